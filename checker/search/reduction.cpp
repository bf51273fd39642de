#include "checker/search/reduction.hpp"

#include <algorithm>
#include <stdexcept>

namespace probecheck::checker {

Reduction::Reduction(TransitionSystem const& sys)
    : sys_(sys), threads_(sys.thread_count()), words_(sys.footprint_words()),
      futures_(size_t{threads_} * 2 * words_), next_(2 * size_t{words_}), computed_(threads_, 0) {}

// Futures are computed lazily, once per thread and state, and a candidate is dropped at its
// first conflict: on models where nothing is independent the check stays cheap.
uint32_t Reduction::persistent_thread(ConstStateView s) {
    if (words_ == 0 || threads_ < 2) return UINT32_MAX;
    std::fill(computed_.begin(), computed_.end(), 0);
    for (uint32_t t = 0; t < threads_; ++t) {
        if (!sys_.next_footprint(s, t, next_.data(), next_.data() + words_)) continue;
        if (independent_of_others(s, t)) return t;
    }
    return UINT32_MAX;
}

// A write conflicts with any access of the class, a read with writes only.
bool Reduction::independent_of_others(ConstStateView s, uint32_t t) {
    uint64_t const* reads = next_.data();
    uint64_t const* writes = reads + words_;
    for (uint32_t u = 0; u < threads_; ++u) {
        if (u == t) continue;
        uint64_t* fr = &futures_[size_t{u} * 2 * words_];
        uint64_t* fw = fr + words_;
        if (!computed_[u]) {
            std::fill(fr, fw + words_, 0);
            sys_.future_footprint(s, u, fr, fw);
            computed_[u] = 1;
        }
        for (uint32_t w = 0; w < words_; ++w)
            if ((writes[w] & (fr[w] | fw[w])) != 0 || (reads[w] & fw[w]) != 0) return false;
    }
    return true;
}

namespace {

// `s` then `first` then `second`; false if either is not an ordinary enabled step.
bool run_two(TransitionSystem const& sys, ConstStateView s, Step first, Step second, std::vector<Slot>& mid,
             std::vector<Slot>& out) {
    Access access;
    ViolationInfo info;
    if (sys.step(s, first, mid, access, info) != StepStatus::Ok) return false;
    if (second.choice >= sys.choice_count(mid, second.thread)) return false;
    return sys.step(mid, second, out, access, info) == StepStatus::Ok;
}

// "" or what failed.
std::string commutation_failure(TransitionSystem const& sys, ConstStateView s, uint32_t t) {
    std::vector<Slot> mid(sys.state_slots()), ab(sys.state_slots()), ba(sys.state_slots());
    Access access;
    ViolationInfo info;
    for (uint32_t u = 0; u < sys.thread_count(); ++u) {
        if (u == t) continue;
        for (uint32_t cu = 0; cu < sys.choice_count(s, u); ++cu) {
            Step beta{u, cu};
            if (sys.step(s, beta, mid, access, info) != StepStatus::Ok) continue;
            for (uint32_t ct = 0; ct < sys.choice_count(s, t); ++ct) {
                Step alpha{t, ct};
                if (sys.step(s, alpha, mid, access, info) != StepStatus::Ok) continue;
                bool ok_ab = run_two(sys, s, alpha, beta, mid, ab);
                bool ok_ba = run_two(sys, s, beta, alpha, mid, ba);
                if (ok_ab != ok_ba || (ok_ab && ab != ba))
                    return "thread " + sys.thread_name(t) + "'s step does not commute with thread " +
                           sys.thread_name(u) + "'s";
            }
        }
    }
    return {};
}

}  // namespace

void check_commutation(TransitionSystem const& sys, ConstStateView s, uint32_t t) {
    std::string failure = commutation_failure(sys, s, t);
    if (!failure.empty()) throw std::logic_error("partial-order reduction self-check failed: " + failure);
}

}  // namespace probecheck::checker
