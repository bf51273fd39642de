// Partial-order reduction with persistent sets from static footprints.
//
// At a state s, the steps of one thread t form a persistent set when t's next step is
// independent of everything every other thread may still do from s on (its future
// footprint): whatever the others do first, t's step stays enabled, reads the same values,
// and commutes with theirs. Exploring only t's steps then reaches every deadlock and every
// terminal state; and because t's step is also invisible (nothing an invariant reads) and
// the search applies a cycle proviso (a reduced state whose step takes a loop's back edge,
// or with --proviso stack reaches the DFS stack, is expanded fully), every state violation,
// step violation, race and lock-order edge of the full graph is found too, in an equivalent
// interleaving. DESIGN.md in this directory gives the argument in full.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "checker/transition_system.hpp"

namespace probecheck::checker {

class Reduction {
public:
    explicit Reduction(TransitionSystem const& sys);

    [[nodiscard]] bool available() const { return words_ > 0; }
    /// A thread whose steps alone form a persistent set in `s`, or UINT32_MAX: expand fully.
    /// Deterministic: the lowest such thread.
    [[nodiscard]] uint32_t persistent_thread(ConstStateView s);

private:
    [[nodiscard]] bool independent_of_others(ConstStateView s, uint32_t t);

    TransitionSystem const& sys_;
    uint32_t threads_;
    uint32_t words_;
    std::vector<uint64_t> futures_;  ///< per thread: reads then writes, words_ each
    std::vector<uint64_t> next_;     ///< the candidate step: reads then writes
    std::vector<uint8_t> computed_;  ///< per thread: its future is in futures_ for this state
};

/// The reduction's self-check (--por-check): every choice of `t`'s step must commute with
/// every enabled step of every other thread at `s` (both orders enabled, same state); throws
/// std::logic_error saying what failed. A pure function of the state: any worker may run it.
void check_commutation(TransitionSystem const& sys, ConstStateView s, uint32_t t);

}  // namespace probecheck::checker
