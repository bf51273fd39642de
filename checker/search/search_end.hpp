// What every search does once its workers are done: the step observers' findings (lock-order
// cycles) join the violations, and the verdict follows from what was found and what stopped
// the search. Shared by the sequential and the parallel search.
#pragma once

#include <chrono>
#include <set>
#include <span>
#include <utility>

#include "checker/search/options.hpp"
#include "checker/search/step_observer.hpp"

namespace probecheck::checker {

inline void collect_observer_violations(TransitionSystem const& sys, std::span<StepObserver* const> observers,
                                        StepObserver::PathFn const& path, SearchOptions const& options,
                                        std::set<std::pair<uint32_t, uint64_t>>& seen, SearchResult& result) {
    for (StepObserver* o : observers) {
        std::vector<FoundViolation> found;
        o->finish(sys, path, found);
        for (auto& v : found)
            if (kind_enabled(options, v.info.kind) && seen.insert({v.info.kind, v.info.site}).second)
                result.violations.push_back(std::move(v));
    }
}

inline void record_store_stats(SearchResult& result, uint64_t states, size_t store_bytes, uint32_t state_slots,
                               std::chrono::steady_clock::time_point start) {
    result.stats.states = states;
    result.stats.store_bytes = store_bytes;
    result.stats.state_bytes = static_cast<uint32_t>(state_slots * sizeof(Slot));
    result.stats.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
}

inline void settle_verdict(SearchResult& result, bool depth_pruned, SearchOptions const& options) {
    if (!result.violations.empty()) result.verdict = Verdict::Violated;
    else if (!result.incomplete_reason.empty()) result.verdict = Verdict::Incomplete;
    else if (depth_pruned) {
        result.verdict = Verdict::Incomplete;
        result.incomplete_reason = "depth bound reached (--max-depth " + std::to_string(options.max_depth) + ")";
    }
}

}  // namespace probecheck::checker
