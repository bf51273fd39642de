// The one place a state crosses from one worker to another: a oneTBB task carrying the
// search, the state and its depth. It lives alone in this header so that ThreadSanitizer's
// suppressions (tools/tsan.supp) can name exactly it: Debian's libtbb is not built with
// -fsanitize=thread, so the task object's own hand-off through TBB's queues looks like a
// race. Everything the task then touches is ordered by tsan_sync.hpp's annotations.
#pragma once

#include <cstdint>

#include "checker/state/state_view.hpp"

namespace probecheck::checker {

template <class Search>
struct Handoff {
    Search* search;
    StateRef root;
    uint32_t depth;
    void operator()() const { search->explore_from(root, depth); }
};

}  // namespace probecheck::checker
