// Monitors observe the search; they never drive it. The search calls on_deadend for every
// state with no enabled step in which some thread has not finished.
#pragma once

#include "checker/transition_system.hpp"

namespace probecheck::checker {

class Monitor {
public:
    virtual ~Monitor() = default;
    /// Reports a violation for the dead-end state `s` into `out`; false if it has none.
    virtual bool on_deadend(TransitionSystem const& sys, ConstStateView s, ViolationInfo& out) const = 0;
};

}  // namespace probecheck::checker
