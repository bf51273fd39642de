#include "tests/support/tiny_systems.hpp"

#include <algorithm>
#include <deque>

namespace probecheck::test {

Counters::Counters(uint32_t threads, uint32_t limit) : threads_(threads), limit_(limit) {
    for (uint32_t t = 0; t < threads; ++t) names_.push_back(std::string("c").append(std::to_string(t)));
}

checker::StepStatus Counters::initial_state(checker::StateView out, checker::ViolationInfo&) const {
    std::fill(out.begin(), out.end(), 0);
    return checker::StepStatus::Ok;
}

checker::StepStatus Counters::step(checker::ConstStateView s, checker::Step st, checker::StateView out,
                                   checker::Access& access, checker::ViolationInfo& v) const {
    if (s[st.thread] >= limit_) return checker::StepStatus::Disabled;
    std::copy(s.begin(), s.end(), out.begin());
    ++out[st.thread];
    access = {checker::Access::Kind::Write, st.thread};
    bool all = std::all_of(out.begin(), out.end(), [&](uint32_t x) { return x == fail_at_; });
    if (!all) return checker::StepStatus::Ok;
    v.kind = 99;
    v.thread = st.thread;
    v.message = "all counters reached the failing value";
    return checker::StepStatus::Violation;
}

ReferenceCounts reference_explore(checker::TransitionSystem const& sys) {
    using State = std::vector<checker::Slot>;
    ReferenceCounts counts;
    State init(sys.state_slots());
    checker::ViolationInfo info;
    if (sys.initial_state(init, info) == checker::StepStatus::Violation) {
        counts.violation = true;
        return counts;
    }
    std::set<State> seen{init};
    std::deque<State> queue{init};
    State next(sys.state_slots());
    while (!queue.empty()) {
        State s = queue.front();
        queue.pop_front();
        for (uint32_t t = 0; t < sys.thread_count(); ++t) {
            for (uint32_t c = 0; c < sys.choice_count(s, t); ++c) {
                checker::Access a;
                auto status = sys.step(s, {t, c}, next, a, info);
                if (status == checker::StepStatus::Disabled) continue;
                ++counts.transitions;
                if (status == checker::StepStatus::Violation) {
                    counts.violation = true;
                    continue;
                }
                counts.violation |= a.warned;  // a WARN_ON reports and the path goes on
                if (seen.insert(next).second) queue.push_back(next);
            }
        }
    }
    counts.states = seen.size();
    return counts;
}

}  // namespace probecheck::test
