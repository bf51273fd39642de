// Hand-built TransitionSystems for checker tests, so the search is tested without the
// language (cf. Stateright test_util, DIVINE t-search). Also a naive reference explorer.
#pragma once

#include <set>
#include <vector>

#include "checker/transition_system.hpp"

namespace probecheck::test {

/// `threads` independent counters, each counting from 0 to `limit`; thread i may step while
/// its counter is below the limit. Reachable states: (limit+1)^threads.
class Counters final : public checker::TransitionSystem {
public:
    Counters(uint32_t threads, uint32_t limit);
    uint32_t state_slots() const override { return threads_; }
    uint32_t thread_count() const override { return threads_; }
    std::string const& thread_name(uint32_t t) const override { return names_[t]; }
    checker::StepStatus initial_state(checker::StateView out, checker::ViolationInfo&) const override;
    checker::StepStatus step(checker::ConstStateView s, checker::Step st, checker::StateView out,
                             checker::Access& access, checker::ViolationInfo& v) const override;
    uint32_t choice_count(checker::ConstStateView, uint32_t) const override { return 1; }
    bool thread_finished(checker::ConstStateView s, uint32_t t) const override { return s[t] == limit_; }
    std::vector<checker::Wait> waits(checker::ConstStateView) const override { return {}; }
    /// Makes the state with every counter at `value` a violation (kind 99).
    void fail_at(uint32_t value) { fail_at_ = value; }

private:
    uint32_t threads_, limit_;
    uint32_t fail_at_ = UINT32_MAX;
    std::vector<std::string> names_;
};

struct ReferenceCounts {
    uint64_t states = 0;
    uint64_t transitions = 0;
    bool violation = false;
};

/// Breadth-first enumeration with a std::set: slow and obviously right.
ReferenceCounts reference_explore(checker::TransitionSystem const& sys);

}  // namespace probecheck::test
