// `probecheck verify`: load, explore, replay every violation's trace, render.
#include <sys/resource.h>

#include <algorithm>
#include <fstream>
#include <iostream>
#include <iterator>
#include <ostream>
#include <thread>

#include "checker/search/dfs.hpp"
#include "model/frontend.hpp"
#include "model/state_checks.hpp"
#include "properties/deadlock.hpp"
#include "properties/lock_order.hpp"
#include "tools/cli/confirm.hpp"
#include "properties/registry.hpp"
#include "properties/violation.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/output_file.hpp"
#include "tools/cli/render.hpp"

namespace probecheck::cli {

size_t peak_memory_bytes() {
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return static_cast<size_t>(usage.ru_maxrss) * 1024;
}

namespace {

bool hit_model_limit(checker::SearchResult const& r) {
    return std::any_of(r.violations.begin(), r.violations.end(), [](auto const& v) {
        return properties::is_model_limit(static_cast<properties::ViolationKind>(v.info.kind));
    });
}

int exit_code_for(checker::Verdict v) {
    switch (v) {
        case checker::Verdict::Holds: return kExitHolds;
        case checker::Verdict::Violated: return kExitViolation;
        case checker::Verdict::Incomplete: return kExitIncomplete;
    }
    return kExitInternal;
}

// "-": the model text comes from standard input, and imports resolve from the working directory.
model::LoadedModel load(std::string const& path, model::SourceManager& sources, model::LoadOptions const& options) {
    if (!is_standard_stream(path)) return model::load_model(path, sources, options);
    std::string text((std::istreambuf_iterator<char>(std::cin)), std::istreambuf_iterator<char>());
    return model::load_model_text("<stdin>", std::move(text), sources, options);
}

}  // namespace

int check_model(VerifyArgs const& args, Report& report, std::ostream& err, std::atomic<bool> const* cancel,
                checker::SearchProgress* progress) {
    model::SourceManager sources;
    model::LoadOptions load_options;
    load_options.sema.max_call_depth = args.max_call_depth;
    load_options.sema.max_recursion = args.max_recursion;
    load_options.library_paths = args.library_paths;
    load_options.fuse_steps = args.fuse_steps == "on";
    auto loaded = load(args.model, sources, load_options);
    for (auto const& d : loaded.diagnostics.diagnostics()) err << model::render_text(d, sources);
    if (!loaded.system) return kExitInputError;

    report.model = args.model;
    report.load = load_options;
    for (auto const& f : args.faults) (f == "alloc" ? report.faults.alloc : report.faults.defer) = true;
    report.faults.budget = args.fault_budget;
    loaded.system->set_faults(report.faults);
    for (uint32_t t = 0; t < loaded.system->thread_count(); ++t) report.threads.push_back(loaded.system->thread_name(t));
    report.options.max_states = args.max_states;
    report.options.max_depth = args.max_depth;
    report.options.all_violations = args.all;
    report.options.cancel = cancel;
    report.options.progress = progress;
    report.options.reduce = args.por != "none";
    report.options.check_reduction = args.por_check;
    report.options.proviso =
        args.proviso == "stack" ? checker::SearchOptions::Proviso::Stack : checker::SearchOptions::Proviso::Static;
    report.options.workers = args.workers ? args.workers : std::max(1u, std::thread::hardware_concurrency());
    report.options.max_memory = args.max_memory_mib << 20;
    report.options.hash_compact = args.hash_compact;
    report.options.max_seconds = args.max_seconds;
    if (!args.properties.empty()) {
        std::string unknown;
        auto mask = properties::kinds_of(args.properties, unknown);
        if (!mask) {
            err << "probecheck: error: unknown property '" << unknown
                << "' (known: " << properties::property_names() << ")\n";
            return kExitUsage;
        }
        report.options.enabled_kinds = *mask;
    }
    properties::DeadlockMonitor deadlock;
    model::StateChecks state_checks(*loaded.system);
    checker::Monitor const* monitors[] = {&deadlock, &state_checks};
    properties::LockOrderObserver lock_order;
    checker::StepObserver* observers[] = {&lock_order};
    report.result = checker::explore(*loaded.system, monitors, report.options, observers);
    report.peak_memory_bytes = peak_memory_bytes();
    report.expects = loaded.system->program().expects.kinds;
    report.expectation =
        properties::check_expectations(loaded.system->program().expects, report.result, args.all);

    for (auto const& v : report.result.violations) {
        std::string problem;
        auto view = confirm_violation(*loaded.system, sources, monitors, v, problem);
        if (!view) {
            err << "probecheck: internal error: a trace did not replay (" << problem
                << "); the search and the replay disagree\n";
            return kExitInternal;
        }
        report.violations.push_back(std::move(*view));
    }
    report.model_error = hit_model_limit(report.result);
    return 0;
}

int run_verify(VerifyArgs const& args, std::ostream& out, std::ostream& err, std::atomic<bool> const* cancel) {
    Report report;
    if (int code = check_model(args, report, err, cancel)) return code;
    std::ostream& text = is_standard_stream(args.json_path) ? err : out;  // stdout carries only the JSON then
    if (!args.quiet)
        for (auto const& v : report.violations) text << render_violation_text(v) << '\n';
    text << render_summary_text(report);
    if (!args.json_path.empty() && !write_output(args.json_path, render_json(report).dump(2) + "\n", out, err))
        return kExitInputError;
    return report.model_error ? kExitInputError : exit_code_for(report.result.verdict);
}

}  // namespace probecheck::cli
