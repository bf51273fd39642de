// lock_order: the lockdep dependency graph. Every explored step that acquires lock class B
// while the thread holds class A adds the edge A -> B, remembered with the first path that
// took it (its witness). After the search every cycle of the graph is a violation, whether
// or not an explored interleaving deadlocks on it; a self-loop is two locks of one class
// nested (two device.locks). Cycles are enumerated with Boost.Graph (Hawick & James circuits).
#pragma once

#include <map>
#include <vector>

#include "checker/search/step_observer.hpp"

namespace probecheck::properties {

class LockOrderObserver final : public checker::StepObserver {
public:
    /// At most this many cycles are reported; a graph with more is summarised by them.
    static constexpr size_t kMaxCycles = 64;

    bool on_lock(checker::TransitionSystem const& sys, checker::ConstStateView before, checker::StateRef before_ref,
                 checker::Step step, checker::Access const& access) override;
    [[nodiscard]] std::unique_ptr<checker::StepObserver> fork() const override;
    void join(checker::StepObserver const& other) override;
    void finish(checker::TransitionSystem const& sys, PathFn const& path,
                std::vector<checker::FoundViolation>& out) override;

    /// The edges seen, for tests and reports: (held class, acquired class).
    [[nodiscard]] std::vector<std::pair<uint32_t, uint32_t>> edges() const;

private:
    struct EdgeWitness {
        checker::StateRef before;
        checker::Step step;
    };
    [[nodiscard]] std::vector<std::vector<uint32_t>> cycles() const;
    checker::FoundViolation violation_for(checker::TransitionSystem const& sys, PathFn const& path,
                                          std::vector<uint32_t> const& cycle) const;

    std::map<std::pair<uint32_t, uint32_t>, EdgeWitness> edges_;
    std::vector<uint32_t> held_;  ///< scratch, reused
};

}  // namespace probecheck::properties
