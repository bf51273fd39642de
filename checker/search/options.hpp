// Search options and result: plain data, the only API of the search.
#pragma once

#include <atomic>
#include <cstdio>
#include <cstdint>
#include <string>
#include <vector>

#include "checker/trace/trace.hpp"

namespace probecheck::checker {

/// Live figures for a progress display: the search publishes them now and then (relaxed
/// stores, every few thousand states), the display reads them from its own thread.
struct SearchProgress {
    std::atomic<uint64_t> states{0};
    std::atomic<uint64_t> store_bytes{0};
    std::atomic<uint32_t> max_depth{0};
    void publish(uint64_t s, uint64_t bytes, uint32_t depth) {
        states.store(s, std::memory_order_relaxed);
        store_bytes.store(bytes, std::memory_order_relaxed);
        if (depth > max_depth.load(std::memory_order_relaxed)) max_depth.store(depth, std::memory_order_relaxed);
    }
};

struct SearchOptions {
    uint64_t max_states = 0;   ///< 0: unbounded
    uint64_t max_memory = 0;   ///< bytes the visited store may hold; 0: unbounded
    uint32_t max_depth = 0;    ///< 0: unbounded
    double max_seconds = 0;    ///< wall-clock budget; 0: unbounded
    bool all_violations = false;
    std::atomic<bool> const* cancel = nullptr;  ///< set asynchronously to stop (Ctrl-C)
    SearchProgress* progress = nullptr;         ///< published now and then, if set
    /// Violation kinds to report (bit k: kind k). A step raising a kind that is off ends its
    /// path silently; a state violation of such a kind is ignored.
    uint64_t enabled_kinds = ~uint64_t{0};
    /// Partial-order reduction (reduction.hpp): explore a persistent set per state. Off, every
    /// enabled step of every thread is explored.
    bool reduce = true;
    /// How the reduction avoids ignoring a thread on a cycle of states (DESIGN.md).
    ///  Static: a state whose reduced steps take a loop's back edge is expanded fully; the
    ///   reduced graph is then a function of the state alone, the same for every worker count.
    ///  Stack: a reduced step reaching a state on the DFS stack (with several workers: any
    ///   stored state) forces full expansion; the count depends on the search order.
    enum class Proviso : uint8_t { Static, Stack } proviso = Proviso::Static;
    /// Self-check of the reduction: at every reduced state also run every other enabled step
    /// and require it to commute with the chosen one (tests use this), on any number of workers.
    bool check_reduction = false;
    /// Worker threads (parallel_dfs.hpp). 1: the sequential search, whose order and first
    /// trace are fixed.
    uint32_t workers = 1;
    /// Replace each violation's trace by the first in breadth-first order (shortest_traces.hpp):
    /// the same trace for any number of workers.
    bool shortest_traces = true;
    /// Store 64-bit fingerprints instead of states (--hash-compact): far less memory, but
    /// two states with equal hashes count as one, so the verdict is probabilistic.
    bool hash_compact = false;
};

enum class Verdict : uint8_t { Holds, Violated, Incomplete };

[[nodiscard]] inline std::string memory_bound_reason(uint64_t bytes) {
    return "memory bound reached (--max-memory " + std::to_string(bytes >> 20) + " MiB)";
}

[[nodiscard]] inline std::string time_bound_reason(double seconds) {
    char text[64];
    std::snprintf(text, sizeof text, "time bound reached (--max-seconds %g)", seconds);
    return text;
}

[[nodiscard]] inline bool kind_enabled(SearchOptions const& o, uint32_t kind) {
    return kind >= 64 || ((o.enabled_kinds >> kind) & 1) != 0;
}

struct Stats {
    uint64_t states = 0;       ///< distinct states stored
    uint64_t transitions = 0;  ///< successors generated, including revisits
    uint32_t max_depth = 0;
    double seconds = 0;
    size_t store_bytes = 0;
    uint32_t state_bytes = 0;  ///< size of one state vector
    uint64_t reduced_states = 0;  ///< states where other unfinished threads' steps were left out
    /// --hash-compact: an upper bound on the chance that two distinct states shared a
    /// fingerprint, so that one was never explored (n(n-1)/2 / 2^64). 0 for exact stores.
    double collision_bound = 0;
};

/// A labelled path, for violations that several paths prove together (each edge of a
/// lock-order cycle is witnessed by the path that first took its two locks in that order).
struct Witness {
    std::string label;
    Trace trace;
};

struct FoundViolation {
    ViolationInfo info;
    Trace trace;
    std::vector<Witness> witnesses;
};

struct SearchResult {
    Verdict verdict = Verdict::Holds;
    std::string incomplete_reason;  ///< set when a limit stopped the search
    /// Set when the pass that replaces traces by the shortest ones stopped at a limit: why.
    /// The traces are then the search's own (still replayed and confirmed).
    std::string traces_not_shortest;
    Stats stats;
    std::vector<FoundViolation> violations;
};

}  // namespace probecheck::checker
