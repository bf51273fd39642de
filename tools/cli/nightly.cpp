// `probecheck nightly`: the run loop, the status of each scenario, the table and the exit code.
#include "tools/cli/nightly.hpp"
#include "tools/cli/output_file.hpp"

#include <fmt/format.h>

#include <chrono>
#include <fstream>
#include <ostream>
#include <sstream>

#include "checker/search/options.hpp"
#include "tools/cli/progress_line.hpp"

namespace probecheck::cli {
namespace {

std::string read_file(std::string const& path) {
    std::ifstream f(path);
    std::stringstream s;
    s << f.rdbuf();
    return s.str();
}

uint32_t first_expect_line(std::string const& text) {
    std::istringstream in(text);
    uint32_t number = 0;
    for (std::string line; std::getline(in, line);) {
        ++number;
        if (line.rfind("expect ", 0) == 0) return number;
    }
    return 0;
}

VerifyArgs scenario_defaults(NightlyArgs const& args, std::string const& path) {
    VerifyArgs v;
    v.model = path;
    v.all = true;  // an expectation names every kind the scenario must show
    v.quiet = true;
    v.workers = args.workers;
    v.max_seconds = args.max_seconds;
    v.max_states = args.max_states;
    v.max_memory_mib = args.max_memory_mib;
    v.library_paths = args.library_paths;
    return v;
}

void classify(ScenarioResult& r) {
    Report const& report = *r.report;
    if (!report.expectation.present) {
        r.status = ScenarioStatus::Error;
        r.detail = "no `expect` line: nightly needs the verdict the scenario should give";
    } else if (report.expectation.met) {
        r.status = ScenarioStatus::Pass;
    } else if (report.result.verdict == checker::Verdict::Incomplete) {
        r.status = ScenarioStatus::Incomplete;
        r.detail = report.result.incomplete_reason;
    } else {
        r.status = ScenarioStatus::Fail;
        r.detail = fmt::format("expected {}, got {}", report.expectation.expected, report.expectation.actual);
    }
}

ScenarioResult run_scenario(NightlyArgs const& args, std::string const& path, std::atomic<bool> const* cancel,
                            checker::SearchProgress* progress) {
    ScenarioResult r;
    r.path = path;
    std::string text = read_file(path);
    r.expect_line = first_expect_line(text);
    VerifyArgs v = scenario_defaults(args, path);
    if (!apply_scenario_args(path, text, v, r.diagnostics)) {
        r.detail = "bad ARGS line";
        return r;
    }
    auto start = std::chrono::steady_clock::now();
    Report report;
    std::ostringstream diagnostics;
    int code = check_model(v, report, diagnostics, cancel, progress);
    r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    r.diagnostics = diagnostics.str();
    if (code != 0) {
        r.detail = code == kExitInternal ? "internal error" : "the model did not load";
        return r;
    }
    r.expects = report.expects;
    r.report = std::move(report);
    classify(r);
    return r;
}

std::string short_count(uint64_t n) {
    return n >= 10'000'000 ? fmt::format("{}M", n / 1'000'000) : n >= 10'000 ? fmt::format("{}k", n / 1000) : std::to_string(n);
}

void print_table(std::vector<ScenarioResult> const& results, double seconds, std::ostream& out) {
    size_t width = 8;
    for (auto const& r : results) width = std::max(width, r.path.size());
    out << fmt::format("{:<{}}  {:<10}  {:>8}  {:>8}  {}\n", "scenario", width, "status", "states", "seconds", "detail");
    size_t counts[4] = {0, 0, 0, 0};
    for (auto const& r : results) {
        ++counts[static_cast<int>(r.status)];
        uint64_t states = r.report ? r.report->result.stats.states : 0;
        out << fmt::format("{:<{}}  {:<10}  {:>8}  {:>8.2f}  {}\n", r.path, width, status_word(r.status),
                           short_count(states), r.seconds, r.detail);
    }
    out << fmt::format("{} scenarios: {} pass, {} fail, {} incomplete, {} error ({:.1f} s)\n", results.size(),
                       counts[0], counts[1], counts[2], counts[3], seconds);
}

// `out` gets the human-readable comparison, `report_out` a report named "-".
bool write_reports(NightlyArgs const& args, std::vector<ScenarioResult> const& results, double seconds,
                   std::ostream& out, std::ostream& report_out, std::ostream& err) {
    nlohmann::json summary = render_nightly_json(results, seconds);
    if (!args.baseline_path.empty()) {
        std::ifstream f(args.baseline_path);
        nlohmann::json baseline = nlohmann::json::parse(f, nullptr, false);
        if (baseline.is_discarded() || !baseline.contains("scenarios")) {
            err << "probecheck: error: '" << args.baseline_path << "' is not a nightly --json summary\n";
            return false;
        }
        BaselineDiff diff =
            compare_with_baseline(summary, baseline, args.threshold_percent, args.time_threshold_percent);
        out << fmt::format("\ncompared with {}: {}\n", args.baseline_path,
                           diff.lines.empty() ? "no changes" : fmt::format("{} change(s)", diff.lines.size()));
        for (auto const& l : diff.lines) out << "  " << l << '\n';
        summary["baseline"] = diff.doc;
    }
    bool ok = true;
    if (!args.json_path.empty()) ok &= write_output(args.json_path, summary.dump(2) + "\n", report_out, err);
    if (!args.junit_path.empty()) ok &= write_output(args.junit_path, render_junit(results), report_out, err);
    if (!args.sarif_path.empty())
        ok &= write_output(args.sarif_path, render_sarif(results).dump(2) + "\n", report_out, err);
    return ok;
}

}  // namespace

std::string_view status_word(ScenarioStatus s) {
    switch (s) {
        case ScenarioStatus::Pass: return "pass";
        case ScenarioStatus::Fail: return "FAIL";
        case ScenarioStatus::Incomplete: return "incomplete";
        case ScenarioStatus::Error: return "error";
    }
    return "error";
}

// A mismatch matters most; then a scenario nobody could check; then one a budget cut short.
int nightly_exit_code(std::vector<ScenarioResult> const& results) {
    auto any = [&](ScenarioStatus s) {
        return std::any_of(results.begin(), results.end(), [s](auto const& r) { return r.status == s; });
    };
    if (any(ScenarioStatus::Fail)) return kExitViolation;
    if (any(ScenarioStatus::Error)) return kExitInputError;
    if (any(ScenarioStatus::Incomplete)) return kExitIncomplete;
    return kExitHolds;
}

int run_nightly(NightlyArgs const& args, std::ostream& out, std::ostream& err, std::atomic<bool> const* cancel) {
    std::vector<std::string> errors;
    auto paths = find_scenarios(args.paths.empty() ? std::vector<std::string>{"examples"} : args.paths, errors);
    for (auto const& e : errors) err << e << '\n';
    if (!errors.empty()) return kExitInputError;
    int to_stdout = is_standard_stream(args.json_path) + is_standard_stream(args.junit_path) +
                    is_standard_stream(args.sarif_path);
    if (to_stdout > 1) {
        err << "probecheck: error: only one of --json, --junit and --sarif can be '-' (standard output)\n";
        return kExitUsage;
    }
    std::ostream& text = to_stdout ? err : out;  // stdout carries only the report then
    if (paths.empty()) {
        err << "probecheck: error: no .model scenarios found\n";
        return kExitInputError;
    }
    auto start = std::chrono::steady_clock::now();
    std::vector<ScenarioResult> results;
    ProgressLine progress(err, !args.quiet);
    for (size_t i = 0; i < paths.size(); ++i) {
        if (cancel && cancel->load()) {
            ScenarioResult skipped;
            skipped.path = paths[i];
            skipped.status = ScenarioStatus::Incomplete;
            skipped.detail = "interrupted before it ran";
            results.push_back(std::move(skipped));
            continue;
        }
        checker::SearchProgress live;
        progress.start(fmt::format("[{}/{}] {}", i + 1, paths.size(), paths[i]), &live);
        results.push_back(run_scenario(args, paths[i], cancel, &live));
        progress.stop();
        if (!results.back().diagnostics.empty()) err << results.back().diagnostics;
    }
    double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    print_table(results, seconds, text);
    if (!write_reports(args, results, seconds, text, out, err)) return kExitInputError;
    return nightly_exit_code(results);
}

}  // namespace probecheck::cli
