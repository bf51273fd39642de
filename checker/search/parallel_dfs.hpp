// Parallel depth-first search on oneTBB. Each task runs an ordinary DFS from one state on its
// worker's stack, which holds copies of the states and the path to them; a task that finds a
// new state while fewer than two tasks per worker are pending hands it (with its path) to a
// new task instead of pushing it, and oneTBB's work stealing spreads those.
// All workers share one lock-free ConcurrentStore, so every state is expanded exactly once:
// the states stored and the transitions generated are the same for any number of workers
// (with the reduction off). The verdict and the set of distinct violations are the same with
// the reduction on too, and shortest_traces.hpp makes every reported trace the same as well.
// The store keeps no parent links: traces come from the stacks. So the same search runs
// --hash-compact (fingerprints only), for any number of workers including one.
#pragma once

#include <span>

#include "checker/search/monitor.hpp"
#include "checker/search/options.hpp"
#include "checker/search/step_observer.hpp"

namespace probecheck::checker {

[[nodiscard]] SearchResult explore_parallel(TransitionSystem const& sys, std::span<Monitor const* const> monitors,
                                            SearchOptions const& options, std::span<StepObserver* const> observers);

}  // namespace probecheck::checker
