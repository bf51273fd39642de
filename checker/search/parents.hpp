// Traces rebuilt from parent links: each stored state remembers the state and step it was
// first reached by (store little, replay a lot).
#pragma once

#include <algorithm>
#include <vector>

#include "checker/trace/trace.hpp"
#include "checker/transition_system.hpp"

namespace probecheck::checker {

struct Parent {
    StateRef parent;
    Step step;
};

/// The steps from the initial state to `ref`, `parents` indexed by StateRef value.
[[nodiscard]] inline Trace path_from(std::vector<Parent> const& parents, StateRef ref) {
    Trace t;
    while (ref.valid() && parents[ref.value].parent.valid()) {
        t.steps.push_back(parents[ref.value].step);
        ref = parents[ref.value].parent;
    }
    std::reverse(t.steps.begin(), t.steps.end());
    return t;
}

}  // namespace probecheck::checker
