// Deadlock: a dead-end state (no thread can move) in which some thread has not finished.
// The message names the wait-for chain: thread -> lock -> owner -> ...
#pragma once

#include "checker/search/monitor.hpp"

namespace probecheck::properties {

class DeadlockMonitor final : public checker::Monitor {
public:
    void on_state(checker::TransitionSystem const& sys, checker::ConstStateView s, checker::StateKind kind,
                  std::vector<checker::ViolationInfo>& out) const override;
};

}  // namespace probecheck::properties
