// Monitors observe the search; they never drive it. The search calls on_state for every
// state it stores (kind Inner) and again, once all its successors were tried, for states
// with no enabled step (Terminal: every thread finished; Deadend: some did not).
// Replay calls monitors the same way on a trace's last state, so a state violation found by
// the search is re-derived before it is shown.
#pragma once

#include <vector>

#include "checker/transition_system.hpp"

namespace probecheck::checker {

enum class StateKind : uint8_t { Inner, Terminal, Deadend };

/// The kind of a state with no enabled step: Terminal when every thread finished.
[[nodiscard]] inline StateKind end_kind(TransitionSystem const& sys, ConstStateView s) {
    for (uint32_t t = 0; t < sys.thread_count(); ++t)
        if (!sys.thread_finished(s, t)) return StateKind::Deadend;
    return StateKind::Terminal;
}

class Monitor {
public:
    virtual ~Monitor() = default;
    /// Appends a violation of state `s` to `out` for each property it breaks.
    virtual void on_state(TransitionSystem const& sys, ConstStateView s, StateKind kind,
                          std::vector<ViolationInfo>& out) const = 0;
};

}  // namespace probecheck::checker
