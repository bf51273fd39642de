// Exhaustive depth-first search over a TransitionSystem with an exact visited store.
#pragma once

#include <span>

#include "checker/search/monitor.hpp"
#include "checker/search/options.hpp"
#include "checker/search/step_observer.hpp"

namespace probecheck::checker {

/// Explores every interleaving reachable from the initial state.
[[nodiscard]] SearchResult explore(TransitionSystem const& sys, std::span<Monitor const* const> monitors,
                                   SearchOptions const& options, std::span<StepObserver* const> observers = {});

}  // namespace probecheck::checker
