// `probecheck replay TRACE.json`: re-executes a reported trace on its model and confirms the
// violation (exit 1), or says why the trace is invalid for this model (exit 2).
#include <fstream>
#include <ostream>

#include "model/frontend.hpp"
#include "model/state_checks.hpp"
#include "properties/deadlock.hpp"
#include "properties/violation.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/render.hpp"

namespace probecheck::cli {
namespace {

using nlohmann::json;

struct LoadedTrace {
    std::string model;
    model::bc::FaultOptions faults;
    std::string kind;
    checker::Trace trace;
    std::vector<std::string> thread_names;
};

// Reads violation `index` of a verify --json document; throws json errors on bad shape.
LoadedTrace read_trace(json const& doc, size_t index) {
    if (doc.at("schema").get<int>() != 1) throw std::runtime_error("unsupported trace schema");
    auto const& violations = doc.at("violations");
    if (index >= violations.size())
        throw std::runtime_error("the file has " + std::to_string(violations.size()) + " violation(s), no index " +
                                 std::to_string(index));
    auto const& v = violations.at(index);
    LoadedTrace t{doc.at("model").get<std::string>(), {}, v.at("kind").get<std::string>(), {}, {}};
    auto const& options = doc.at("options");
    for (auto const& f : options.value("faults", json::array()))
        (f.get<std::string>() == "alloc" ? t.faults.alloc : t.faults.defer) = true;
    t.faults.budget = options.value("fault_budget", 1u);
    t.trace.ends_at_state = v.at("trace").at("ends_at_state").get<bool>();
    for (auto const& s : v.at("trace").at("steps")) {
        t.trace.steps.push_back({s.at("thread_index").get<uint32_t>(), s.at("choice").get<uint32_t>()});
        t.thread_names.push_back(s.at("thread").get<std::string>());
    }
    return t;
}

bool names_match(LoadedTrace const& t, checker::TransitionSystem const& sys, std::ostream& err) {
    for (size_t i = 0; i < t.trace.steps.size(); ++i) {
        uint32_t thread = t.trace.steps[i].thread;
        if (thread < sys.thread_count() && sys.thread_name(thread) == t.thread_names[i]) continue;
        err << "probecheck: trace invalid: step " << i + 1 << " names thread '" << t.thread_names[i]
            << "', which the model does not have at that index\n";
        return false;
    }
    return true;
}

}  // namespace

int run_replay(ReplayArgs const& args, std::ostream& out, std::ostream& err) {
    LoadedTrace t;
    try {
        std::ifstream f(args.trace_path);
        if (!f) {
            err << "probecheck: error: cannot read trace file '" << args.trace_path << "'\n";
            return kExitInputError;
        }
        t = read_trace(json::parse(f), args.index);
    } catch (std::exception const& e) {
        err << "probecheck: error: '" << args.trace_path << "' is not a probecheck trace: " << e.what() << '\n';
        return kExitInputError;
    }
    std::string model_path = args.model_override.empty() ? t.model : args.model_override;
    model::SourceManager sources;
    auto loaded = model::load_model(model_path, sources);
    for (auto const& d : loaded.diagnostics.diagnostics()) err << model::render_text(d, sources);
    if (!loaded.system) return kExitInputError;
    loaded.system->set_faults(t.faults);
    if (!names_match(t, *loaded.system, err)) return kExitInputError;

    properties::DeadlockMonitor deadlock;
    model::StateChecks state_checks(*loaded.system);
    checker::Monitor const* monitors[] = {&deadlock, &state_checks};
    auto expected = properties::violation_from_id(t.kind);
    auto replayed = checker::replay(*loaded.system, monitors, t.trace,
                                    expected ? static_cast<uint32_t>(*expected) : UINT32_MAX);
    if (!replayed.valid) {
        err << "probecheck: trace invalid: " << replayed.problem << '\n';
        return kExitInputError;
    }
    auto kind = static_cast<properties::ViolationKind>(replayed.violation.kind);
    if (!replayed.reproduced || properties::violation_id(kind) != t.kind) {
        err << "probecheck: trace invalid: it replays, but does not end in a '" << t.kind << "' violation\n";
        return kExitInputError;
    }
    out << render_violation_text(build_trace_view(*loaded.system, sources, t.trace, replayed));
    out << "replay: confirmed [" << t.kind << "] after " << t.trace.steps.size() << " steps\n";
    return kExitViolation;
}

}  // namespace probecheck::cli
