// A trace is the choice sequence from the initial state (store little, replay a lot): the
// renderers rebuild every state by replaying it through the TransitionSystem.
#pragma once

#include <vector>

#include "checker/transition_system.hpp"

namespace probecheck::checker {

struct Trace {
    std::vector<Step> steps;
    /// True when the violation is a property of the state after the last step (a dead end,
    /// a race, a leak at termination, an invariant) rather than raised by the last step.
    bool ends_at_state = false;
};

}  // namespace probecheck::checker
