// The one place a state crosses from one worker to another: a oneTBB task carrying the
// search and the work item (a state and the path to it). It lives alone in this header so that ThreadSanitizer's
// suppressions (tools/tsan.supp) can name exactly it: Debian's libtbb is not built with
// -fsanitize=thread, so the task object's own hand-off through TBB's queues looks like a
// race. Everything the task then touches is ordered by tsan_sync.hpp's annotations.
#pragma once

namespace probecheck::checker {

template <class Search, class Work>
struct Handoff {
    Search* search;
    Work* work;
    void operator()() const { search->explore_from(work); }
};

}  // namespace probecheck::checker
