// Builds TraceViews from replayed traces: each step is described by the visible instruction
// the thread rested at before it, which is the statement that step executed.
#include "tools/cli/trace_view.hpp"

#include "model/state_checks.hpp"
#include "model/vm/interpreter.hpp"
#include "properties/registry.hpp"
#include "properties/violation.hpp"

namespace probecheck::cli {
namespace {

// A source line as a statement: without indentation and trailing `//` comment.
std::string trimmed(std::string_view s) {
    bool in_string = false;
    for (size_t i = 0; i + 1 < s.size(); ++i) {
        if (s[i] == '"' && (i == 0 || s[i - 1] != '\\')) in_string = !in_string;
        if (!in_string && s[i] == '/' && s[i + 1] == '/') {
            s = s.substr(0, i);
            break;
        }
    }
    size_t b = s.find_first_not_of(" \t");
    if (b == std::string_view::npos) return {};
    size_t e = s.find_last_not_of(" \t\r");
    return std::string(s.substr(b, e - b + 1));
}

// Where `thread` rests in `state`: its innermost frame's instruction.
Location resting_place(model::CompiledSystem const& sys, model::SourceManager const& sources,
                       checker::ConstStateView state, uint32_t thread) {
    auto stack = sys.call_stack(state, thread);
    if (stack.empty()) return {};
    return locate(sources, stack.front().loc, stack.front().function);
}

CallTrace call_trace_of(model::CompiledSystem const& sys, model::SourceManager const& sources,
                        checker::ConstStateView state, uint32_t thread) {
    CallTrace ct{sys.thread_name(thread), {}};
    for (auto const& f : sys.call_stack(state, thread)) {
        ct.frames.push_back(locate(sources, f.loc, f.function));
        ct.frames.back().kernel = f.kernel;
    }
    return ct;
}

}  // namespace

std::vector<StepRow> step_rows(model::CompiledSystem const& sys, model::SourceManager const& sources,
                               checker::Trace const& trace, checker::ReplayedTrace const& replayed, bool last_fails,
                               std::string const& kind) {
    std::vector<StepRow> rows;
    for (size_t i = 0; i < trace.steps.size(); ++i) {
        checker::Step s = trace.steps[i];
        StepRow row{static_cast<uint32_t>(i + 1), s.thread, s.choice, sys.thread_name(s.thread), {}, {}, {}, {}};
        row.where = resting_place(sys, sources, replayed.states[i], s.thread);
        auto stack = sys.call_stack(replayed.states[i], s.thread);
        if (!stack.empty()) row.statement = trimmed(sources.line_text(stack.front().loc.file, row.where.line));
        bool last_failed = i + 1 == trace.steps.size() && last_fails;
        auto const& after = last_failed ? replayed.failure_state : replayed.states[i + 1];
        row.locks_held = sys.locks_held(after, s.thread);
        row.access = last_failed ? "*** " + kind : sys.describe_access(replayed.accesses[i], after);
        rows.push_back(std::move(row));
    }
    return rows;
}

WitnessView build_witness_view(model::CompiledSystem const& sys, model::SourceManager const& sources,
                               checker::Witness const& witness, checker::ReplayedTrace const& replayed) {
    WitnessView w{witness.label, step_rows(sys, sources, witness.trace, replayed, false, ""), {}};
    if (!witness.trace.steps.empty()) {  // the acquiring thread, resting at its lock
        uint32_t thread = witness.trace.steps.back().thread;
        w.call_trace = call_trace_of(sys, sources, replayed.states[replayed.states.size() - 2], thread);
    }
    return w;
}

Location locate(model::SourceManager const& sources, model::SourceLoc loc, std::string function) {
    if (!loc.valid()) return {"", 0, 0, std::move(function), {}};
    auto lc = sources.line_col(loc);
    return {sources.name(loc.file), lc.line, lc.column, std::move(function), {}};
}

TraceView header_view(checker::ViolationInfo const& info) {
    TraceView v;
    auto kind = static_cast<properties::ViolationKind>(info.kind);
    v.kind = std::string(properties::violation_id(kind));
    v.title = std::string(properties::violation_title(kind));
    v.property = std::string(properties::property_of(kind));
    v.message = info.message;
    return v;
}

TraceView build_trace_view(model::CompiledSystem const& sys, model::SourceManager const& sources,
                           checker::Trace const& trace, checker::ReplayedTrace const& replayed) {
    TraceView v = header_view(replayed.violation);
    v.ends_at_state = trace.ends_at_state;
    v.steps = step_rows(sys, sources, trace, replayed, !trace.ends_at_state, v.kind);
    checker::ConstStateView failure = replayed.failure_state;
    uint32_t failing = replayed.violation.thread;
    auto const& checks = sys.program().checks;
    uint64_t check = replayed.violation.site & ~model::kPropertySite;
    if ((replayed.violation.site & model::kPropertySite) && check < checks.size()) {  // the property as written
        auto const& fn = sys.program().functions[checks[check].function];
        v.where = locate(sources, fn.loc, checks[check].name);
        v.source_line = std::string(sources.line_text(fn.loc.file, v.where.line));
    }
    if (failing != UINT32_MAX) {
        v.thread = sys.thread_name(failing);
        auto stack = sys.call_stack(failure, failing);
        if (!stack.empty()) {
            v.where = locate(sources, stack.front().loc, stack.front().function);
            v.source_line = std::string(sources.line_text(stack.front().loc.file, v.where.line));
        }
    }
    if (replayed.violation.other_thread != UINT32_MAX) {  // a race: both threads' next steps
        v.call_traces.push_back(call_trace_of(sys, sources, failure, failing));
        v.call_traces.push_back(call_trace_of(sys, sources, failure, replayed.violation.other_thread));
    } else if (trace.ends_at_state) {  // a dead end: every waiting thread
        for (auto const& w : sys.waits(failure)) v.call_traces.push_back(call_trace_of(sys, sources, failure, w.thread));
    } else if (failing != UINT32_MAX) {
        v.call_traces.push_back(call_trace_of(sys, sources, failure, failing));
    }
    return v;
}

}  // namespace probecheck::cli
