// `probecheck replay TRACE.json`: re-executes a reported trace on its model and confirms the
// violation (exit 1), or says why the trace is invalid for this model (exit 2).
#include <fstream>
#include <ostream>

#include "model/frontend.hpp"
#include "model/state_checks.hpp"
#include "properties/deadlock.hpp"
#include "properties/violation.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/confirm.hpp"
#include "tools/cli/render.hpp"

namespace probecheck::cli {
namespace {

using nlohmann::json;

struct Named {
    checker::Trace trace;
    std::vector<std::string> thread_names;  ///< per step, to check the model still matches
};

struct LoadedTrace {
    std::string model;
    model::bc::FaultOptions faults;
    model::LoadOptions load;
    std::string kind;
    std::string message;
    Named main;
    std::vector<std::pair<std::string, Named>> witnesses;  ///< label, path
};

Named read_steps(json const& steps, bool ends_at_state) {
    Named n;
    n.trace.ends_at_state = ends_at_state;
    for (auto const& s : steps) {
        n.trace.steps.push_back({s.at("thread_index").get<uint32_t>(), s.at("choice").get<uint32_t>()});
        n.thread_names.push_back(s.at("thread").get<std::string>());
    }
    return n;
}

// Reads violation `index` of a verify --json document; throws json errors on bad shape.
LoadedTrace read_trace(json const& doc, size_t index) {
    if (doc.at("schema").get<int>() != 1) throw std::runtime_error("unsupported trace schema");
    auto const& violations = doc.at("violations");
    if (index >= violations.size())
        throw std::runtime_error("the file has " + std::to_string(violations.size()) + " violation(s), no index " +
                                 std::to_string(index));
    auto const& v = violations.at(index);
    LoadedTrace t;
    t.model = doc.at("model").get<std::string>();
    t.kind = v.at("kind").get<std::string>();
    t.message = v.at("message").get<std::string>();
    auto const& options = doc.at("options");
    for (auto const& f : options.value("faults", json::array()))
        (f.get<std::string>() == "alloc" ? t.faults.alloc : t.faults.defer) = true;
    t.faults.budget = options.value("fault_budget", 1u);
    t.load.library_paths = options.value("include_paths", std::vector<std::string>{});
    t.load.sema.max_call_depth = options.value("max_call_depth", t.load.sema.max_call_depth);
    t.load.sema.max_recursion = options.value("max_recursion", t.load.sema.max_recursion);
    t.load.fuse_steps = options.value("fuse_steps", true);
    t.main = read_steps(v.at("trace").at("steps"), v.at("trace").at("ends_at_state").get<bool>());
    for (auto const& w : v.value("witnesses", json::array()))
        t.witnesses.emplace_back(w.at("label").get<std::string>(), read_steps(w.at("steps"), false));
    return t;
}

bool names_match(Named const& n, checker::TransitionSystem const& sys, std::ostream& err) {
    for (size_t i = 0; i < n.trace.steps.size(); ++i) {
        uint32_t thread = n.trace.steps[i].thread;
        if (thread < sys.thread_count() && sys.thread_name(thread) == n.thread_names[i]) continue;
        err << "probecheck: trace invalid: step " << i + 1 << " names thread '" << n.thread_names[i]
            << "', which the model does not have at that index\n";
        return false;
    }
    return true;
}

std::optional<LoadedTrace> load_trace_file(ReplayArgs const& args, std::ostream& err) {
    try {
        std::ifstream f(args.trace_path);
        if (!f) {
            err << "probecheck: error: cannot read trace file '" << args.trace_path << "'\n";
            return std::nullopt;
        }
        return read_trace(json::parse(f), args.index);
    } catch (std::exception const& e) {
        err << "probecheck: error: '" << args.trace_path << "' is not a probecheck trace: " << e.what() << '\n';
        return std::nullopt;
    }
}

}  // namespace

int run_replay(ReplayArgs const& args, std::ostream& out, std::ostream& err) {
    auto t = load_trace_file(args, err);
    if (!t) return kExitInputError;
    auto kind = properties::violation_from_id(t->kind);
    if (!kind) {
        err << "probecheck: trace invalid: unknown violation kind '" << t->kind << "'\n";
        return kExitInputError;
    }
    model::SourceManager sources;
    auto loaded = model::load_model(args.model_override.empty() ? t->model : args.model_override, sources, t->load);
    for (auto const& d : loaded.diagnostics.diagnostics()) err << model::render_text(d, sources);
    if (!loaded.system) return kExitInputError;
    loaded.system->set_faults(t->faults);
    checker::FoundViolation v{{static_cast<uint32_t>(*kind), UINT32_MAX, UINT32_MAX, t->message, 0}, t->main.trace, {}};
    bool names_ok = names_match(t->main, *loaded.system, err);
    for (auto const& [label, named] : t->witnesses) {
        names_ok = names_ok && names_match(named, *loaded.system, err);
        v.witnesses.push_back({label, named.trace});
    }
    if (!names_ok) return kExitInputError;

    properties::DeadlockMonitor deadlock;
    model::StateChecks state_checks(*loaded.system);
    checker::Monitor const* monitors[] = {&deadlock, &state_checks};
    std::string problem;
    auto view = confirm_violation(*loaded.system, sources, monitors, v, problem);
    if (!view) {
        err << "probecheck: trace invalid: " << problem << " (expected a '" << t->kind << "' violation)\n";
        return kExitInputError;
    }
    out << render_violation_text(*view);
    out << "replay: confirmed [" << t->kind << "] ";
    if (t->witnesses.empty()) out << "after " << t->main.trace.steps.size() << " steps\n";
    else out << "by " << t->witnesses.size() << " witness paths\n";
    return kExitViolation;
}

}  // namespace probecheck::cli
