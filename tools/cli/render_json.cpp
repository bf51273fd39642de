// JSON rendering (schema 1, see tools/cli/JSON.md). Field names are part of the interface.
#include "tools/cli/render.hpp"

namespace probecheck::cli {
namespace {

using nlohmann::json;

json location_json(Location const& l) {
    json j{{"file", l.file}, {"line", l.line}, {"column", l.column}, {"function", l.function}};
    if (!l.kernel.empty()) j["kernel"] = l.kernel;
    return j;
}

json steps_json(std::vector<StepRow> const& rows) {
    json steps = json::array();
    for (auto const& s : rows) {
        steps.push_back({{"step", s.number},
                         {"thread", s.thread_name},
                         {"thread_index", s.thread},
                         {"choice", s.choice},
                         {"location", location_json(s.where)},
                         {"statement", s.statement},
                         {"access", s.access},
                         {"locks_held", s.locks_held}});
    }
    return steps;
}

json call_trace_json(CallTrace const& ct) {
    json frames = json::array();
    for (auto const& f : ct.frames) frames.push_back(location_json(f));
    return {{"thread", ct.thread}, {"frames", frames}};
}

json violation_json(TraceView const& v) {
    json steps = steps_json(v.steps);
    json traces = json::array();
    for (auto const& ct : v.call_traces) traces.push_back(call_trace_json(ct));
    json witnesses = json::array();
    for (auto const& w : v.witnesses)
        witnesses.push_back({{"label", w.label}, {"steps", steps_json(w.steps)}, {"call_trace", call_trace_json(w.call_trace)}});
    return {{"kind", v.kind},
            {"property", v.property},
            {"title", v.title},
            {"message", v.message},
            {"thread", v.thread},
            {"location", location_json(v.where)},
            {"trace", {{"ends_at_state", v.ends_at_state}, {"steps", steps}}},
            {"call_traces", traces},
            {"witnesses", witnesses}};
}

std::vector<std::string> fault_names(model::bc::FaultOptions const& f) {
    std::vector<std::string> out;
    if (f.alloc) out.emplace_back("alloc");
    if (f.defer) out.emplace_back("defer");
    return out;
}

json render_expectation_json(properties::ExpectationCheck const& e) {
    json kinds = json::array();
    for (auto const& k : e.kinds)
        kinds.push_back({{"kind", k.kind}, {"wanted", k.wanted}, {"found", k.found}, {"met", k.met}});
    return {{"expected", e.expected}, {"actual", e.actual}, {"met", e.met}, {"judged", e.judged},
            {"at_least", e.at_least}, {"kinds", kinds}, {"extra", e.extra}};
}

}  // namespace

json render_json(Report const& r) {
    auto const& st = r.result.stats;
    json violations = json::array();
    for (auto const& v : r.violations) violations.push_back(violation_json(v));
    return {{"schema", 1},
            {"tool", {{"name", "probecheck"}, {"version", PROBECHECK_VERSION}}},
            {"model", r.model},
            {"threads", r.threads},
            {"verdict", r.model_error ? std::string("model_error") : verdict_word(r.result.verdict)},
            {"incomplete_reason", r.result.incomplete_reason},
            {"traces_not_shortest", r.result.traces_not_shortest},
            {"probabilistic", r.options.hash_compact},
            {"options",
             {{"max_states", r.options.max_states},
              {"max_depth", r.options.max_depth},
              {"all", r.options.all_violations},
              {"por", r.options.reduce ? "persistent" : "none"},
              {"proviso", r.options.proviso == checker::SearchOptions::Proviso::Stack ? "stack" : "static"},
              {"workers", r.options.workers},
              {"hash_compact", r.options.hash_compact},
              {"faults", fault_names(r.faults)},
              {"fault_budget", r.faults.budget},
              {"include_paths", r.load.library_paths},
              {"max_call_depth", r.load.sema.max_call_depth},
              {"max_recursion", r.load.sema.max_recursion},
              {"fuse_steps", r.load.fuse_steps}}},
            {"stats",
             {{"states", st.states},
              {"transitions", st.transitions},
              {"max_depth", st.max_depth},
              {"reduced_states", st.reduced_states},
              {"seconds", st.seconds},
              {"states_per_second", st.seconds > 0 ? static_cast<double>(st.states) / st.seconds : 0.0},
              {"store_bytes", st.store_bytes},
              {"state_bytes", st.state_bytes},
              {"collision_bound", st.collision_bound},
              {"peak_memory_bytes", r.peak_memory_bytes}}},
            {"violations", violations},
            {"expect",
             r.expectation.present ? render_expectation_json(r.expectation) : json(nullptr)}};
}

}  // namespace probecheck::cli
