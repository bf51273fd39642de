#include "checker/trace/replay.hpp"

namespace probecheck::checker {
namespace {

// Classifies `s` as the search does and asks every monitor about it; picks the violation of
// `kind` (any kind when `kind` is UINT32_MAX).
bool state_violation(TransitionSystem const& sys, std::span<Monitor const* const> monitors, ConstStateView s,
                     uint32_t kind, ViolationInfo& out) {
    std::vector<ViolationInfo> found;
    for (Monitor const* m : monitors) m->on_state(sys, s, StateKind::Inner, found);
    std::vector<Slot> scratch(sys.state_slots());
    bool enabled = false, finished = true;
    for (uint32_t t = 0; t < sys.thread_count(); ++t) {
        finished = finished && sys.thread_finished(s, t);
        for (uint32_t c = 0; c < sys.choice_count(s, t) && !enabled; ++c) {
            Access a;
            ViolationInfo v;
            enabled = sys.step(s, {t, c}, scratch, a, v) != StepStatus::Disabled;
        }
    }
    if (!enabled)
        for (Monitor const* m : monitors) m->on_state(sys, s, finished ? StateKind::Terminal : StateKind::Deadend, found);
    for (auto const& v : found) {
        if (kind != UINT32_MAX && v.kind != kind) continue;
        out = v;
        return true;
    }
    return false;
}

}  // namespace

ReplayedTrace replay(TransitionSystem const& sys, std::span<Monitor const* const> monitors, Trace const& trace,
                     uint32_t kind) {
    ReplayedTrace r;
    std::vector<Slot> state(sys.state_slots());
    ViolationInfo info;
    StepStatus init = sys.initial_state(state, info);
    r.states.push_back(state);
    if (init == StepStatus::Violation) {
        r.valid = trace.steps.empty();
        r.problem = r.valid ? "" : "the initial state already violates a property";
        r.reproduced = r.valid;
        r.violation = info;
        r.failure_state = state;
        return r;
    }
    std::vector<Slot> next(sys.state_slots());
    for (size_t i = 0; i < trace.steps.size(); ++i) {
        Step s = trace.steps[i];
        if (s.thread >= sys.thread_count() || s.choice >= sys.choice_count(state, s.thread)) {
            r.problem = "step " + std::to_string(i + 1) + " names a thread or choice the model does not have";
            return r;
        }
        Access access;
        StepStatus status = sys.step(state, s, next, access, info);
        if (status == StepStatus::Disabled) {
            r.problem = "step " + std::to_string(i + 1) + ": thread '" + sys.thread_name(s.thread) +
                        "' cannot move there";
            return r;
        }
        r.accesses.push_back(access);
        if (status == StepStatus::Violation) {
            if (i + 1 != trace.steps.size()) {
                r.problem = "step " + std::to_string(i + 1) + " violates a property before the trace ends";
                return r;
            }
            r.valid = r.reproduced = true;
            r.violation = info;
            r.failure_state = next;
            return r;
        }
        if (access.warned && i + 1 == trace.steps.size() && !trace.ends_at_state &&
            (kind == UINT32_MAX || info.kind == kind)) {  // the step warned and went on
            r.valid = r.reproduced = true;
            r.violation = info;
            r.failure_state = state;  // the thread rests at the warning: the kernel's stack
            return r;
        }
        state.swap(next);
        r.states.push_back(state);
    }
    r.valid = true;
    r.reproduced = trace.ends_at_state && state_violation(sys, monitors, state, kind, r.violation);
    if (r.reproduced) r.failure_state = state;
    return r;
}

}  // namespace probecheck::checker
