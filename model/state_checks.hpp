// Checks of whole states that need the model's types and layout, run by the search as a
// monitor: data races (two threads whose next steps are conflicting accesses to one field,
// which also means no lock they hold protects it) on every state, and leaked pool objects
// on terminal states. Kinds and their property names are in properties/.
#pragma once

#include "checker/search/monitor.hpp"
#include "model/compiled_system.hpp"

namespace probecheck::model {

class StateChecks final : public checker::Monitor {
public:
    explicit StateChecks(CompiledSystem const& system) : program_(system.program()) {}
    void on_state(checker::TransitionSystem const& sys, checker::ConstStateView s, checker::StateKind kind,
                  std::vector<checker::ViolationInfo>& out) const override;

private:
    void check_races(checker::ConstStateView s, std::vector<checker::ViolationInfo>& out) const;
    void check_leaks(checker::ConstStateView s, std::vector<checker::ViolationInfo>& out) const;
    [[nodiscard]] std::string field_class(uint32_t slot) const;
    bc::Program const& program_;
};

}  // namespace probecheck::model
