// One state on a depth-first stack and the order its successors are tried in: shared by the
// sequential and the parallel search.
#pragma once

#include <cstdint>

#include "checker/search/options.hpp"
#include "checker/state/state_view.hpp"
#include "checker/transition_system.hpp"

namespace probecheck::checker {

inline constexpr uint32_t kAllThreads = UINT32_MAX;

struct Frame {
    StateRef ref;
    uint32_t next_thread = 0;
    uint32_t next_choice = 0;
    uint32_t enabled = 0;
    uint32_t depth = 0;
    uint32_t only = kAllThreads;  ///< the persistent set's thread, while only it is explored
    uint32_t skip = kAllThreads;  ///< after a fallback to full expansion: the thread already done
    bool decided = false;         ///< the persistent set was chosen
    bool proviso = false;         ///< a reduced step failed or met the proviso: expand fully
};

/// Moves `top` to its next (thread, choice) to try; false when there is none. A reduced frame
/// tries its thread's choices, then falls back to every other thread if the proviso fired or
/// the thread turned out to be blocked.
inline bool next_candidate(Frame& top, uint32_t threads) {
    for (;;) {
        bool past_end = top.next_thread >= threads || (top.only != kAllThreads && top.next_thread != top.only);
        if (past_end) {
            if (top.only == kAllThreads || (!top.proviso && top.enabled > 0)) return false;
            top.skip = top.only;
            top.only = kAllThreads;
            top.next_thread = 0;
            top.next_choice = 0;
            continue;
        }
        if (top.next_thread != top.skip) return true;
        ++top.next_thread;
    }
}

/// The static cycle proviso (DESIGN.md): a reduced step that took the back edge of a loop
/// which can revisit a state forces full expansion of its state.
inline bool static_proviso_fires(SearchOptions const& o, Access const& step) {
    return o.proviso == SearchOptions::Proviso::Static && step.back_edge;
}

/// Whether a thread other than `t` could still move in `s`: a state reduced to `t` then
/// counts as reduced (Stats::reduced_states).
inline bool others_unfinished(TransitionSystem const& sys, ConstStateView s, uint32_t t) {
    for (uint32_t u = 0; u < sys.thread_count(); ++u)
        if (u != t && !sys.thread_finished(s, u)) return true;
    return false;
}

/// The (thread, choice) to try now, given how many choices its thread has; moves `top` past it.
inline Step take_step(Frame& top, uint32_t choices) {
    Step step{top.next_thread, top.next_choice};
    if (++top.next_choice >= choices) {
        top.next_choice = 0;
        ++top.next_thread;
    }
    return step;
}

}  // namespace probecheck::checker
