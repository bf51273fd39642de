// Canonical traces. Whichever worker finds a violation first, and along whichever path, the
// trace reported is the first one in breadth-first order from the initial state: the
// shortest, and the same for any number of workers. Without --all, the first violation in
// that order is the one reported. The breadth-first pass uses the same reduction (with the
// proviso "already stored": sound in any search order) and stops once every violation has
// its trace; past a state budget the traces found by the search are kept. Lock-order
// violations keep the witnesses the search recorded.
#pragma once

#include <span>

#include "checker/search/monitor.hpp"
#include "checker/search/options.hpp"

namespace probecheck::checker {

void shorten_traces(TransitionSystem const& sys, std::span<Monitor const* const> monitors,
                    SearchOptions const& options, SearchResult& result);

}  // namespace probecheck::checker
