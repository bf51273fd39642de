// Checks of whole states that need the model's types and layout, run by the search as a
// monitor: data races (two threads whose next steps are conflicting accesses to one field,
// which also means no lock they hold protects it) and `invariant`s on every state; leaked
// pool objects and `final` checks on terminal states. Kinds and property names: properties/.
#pragma once

#include "checker/search/monitor.hpp"
#include "model/compiled_system.hpp"
#include "model/invariant_cache.hpp"

namespace probecheck::model {

/// Site tag of violations raised by invariant/final checks: the low bits index program.checks.
inline constexpr uint64_t kPropertySite = uint64_t{1} << 63;

class StateChecks final : public checker::Monitor {
public:
    explicit StateChecks(CompiledSystem const& system)
        : program_(system.program()), invariants_(invariant_slots(system.program())) {}
    void on_state(checker::TransitionSystem const& sys, checker::ConstStateView s, checker::StateKind kind,
                  std::vector<checker::ViolationInfo>& out) const override;

private:
    void check_races(checker::ConstStateView s, std::vector<checker::ViolationInfo>& out) const;
    void check_leaks(checker::ConstStateView s, std::vector<checker::ViolationInfo>& out) const;
    void check_properties(checker::ConstStateView s, bool final_state, std::vector<checker::ViolationInfo>& out) const;
    [[nodiscard]] std::string field_class(uint32_t slot) const;
    static std::vector<uint32_t> invariant_slots(bc::Program const& program);
    bc::Program const& program_;
    InvariantCache invariants_;
};

}  // namespace probecheck::model
