// CompiledSystem: a bc::Program seen through the checker's TransitionSystem boundary, plus
// the queries trace renderers need (call stacks, held locks, source positions).
#pragma once

#include "checker/transition_system.hpp"
#include "model/bytecode/program.hpp"

namespace probecheck::model {

/// One frame of a thread's stack as a trace shows it.
struct FrameDescription {
    std::string function;
    SourceLoc loc;       ///< the instruction the frame rests at
    std::string kernel;  ///< @kernel provenance: "drivers/iommu/iommu.c iommu_init_device v6.15"
};

class CompiledSystem final : public checker::TransitionSystem {
public:
    explicit CompiledSystem(bc::Program program) : program_(std::move(program)) {}

    [[nodiscard]] uint32_t state_slots() const override { return program_.state_slots; }
    [[nodiscard]] uint32_t thread_count() const override {
        return static_cast<uint32_t>(program_.threads.size());
    }
    [[nodiscard]] std::string const& thread_name(uint32_t t) const override {
        return program_.threads[t].name;
    }
    checker::StepStatus initial_state(checker::StateView out, checker::ViolationInfo& v) const override;
    checker::StepStatus step(checker::ConstStateView s, checker::Step step, checker::StateView out,
                             checker::Access& access, checker::ViolationInfo& v) const override;
    [[nodiscard]] uint32_t choice_count(checker::ConstStateView s, uint32_t t) const override {
        return program_.may_choose() ? choice_count_slow(s, t) : 1;  // hot: called per thread and state
    }
    /// Faults the search may inject (off by default).
    void set_faults(bc::FaultOptions const& faults) { program_.faults = faults; }
    /// Whether fusible steps (compile/fusible_steps.cpp) run inside the step before them
    /// (the default) or are steps of their own.
    void set_fusion(bool on) { bc::set_fusion(program_, on); }
    [[nodiscard]] bool thread_finished(checker::ConstStateView s, uint32_t t) const override {
        return s[program_.threads[t].base] == 0;
    }
    [[nodiscard]] std::vector<checker::Wait> waits(checker::ConstStateView s) const override;
    [[nodiscard]] uint32_t lock_class(uint32_t slot) const override {
        return slot < program_.lock_class_of_slot.size() ? program_.lock_class_of_slot[slot] : UINT32_MAX;
    }
    [[nodiscard]] std::string lock_class_name(uint32_t cls) const override { return program_.lock_classes[cls]; }
    void held_locks(checker::ConstStateView s, uint32_t thread, std::vector<uint32_t>& out) const override {
        for (auto const& l : program_.locks)
            if (s[l.slot] == thread + 1) out.push_back(l.slot);
    }

    [[nodiscard]] uint32_t footprint_words() const override { return program_.footprints.words; }
    void future_footprint(checker::ConstStateView s, uint32_t thread, uint64_t* reads,
                          uint64_t* writes) const override;
    bool next_footprint(checker::ConstStateView s, uint32_t thread, uint64_t* reads, uint64_t* writes) const override;

    [[nodiscard]] bc::Program const& program() const { return program_; }
    /// Innermost frame first, as a kernel `Call trace:` prints it.
    [[nodiscard]] std::vector<FrameDescription> call_stack(checker::ConstStateView s, uint32_t thread) const;
    /// What a step's shared access did, read in `after`: "read gpu.iommu == NULL".
    [[nodiscard]] std::string describe_access(checker::Access access, checker::ConstStateView after) const;
    /// Names of the locks `thread` holds in `s`, in layout order.
    [[nodiscard]] std::vector<std::string> locks_held(checker::ConstStateView s, uint32_t thread) const;

private:
    [[nodiscard]] uint32_t choice_count_slow(checker::ConstStateView s, uint32_t t) const;
    /// Clears the fault counter's class when no fault can be injected (footprint_queries.cpp).
    void mask_faults(uint64_t* writes) const;
    /// ORs in the footprint of the atomic block or await starting at `pc` of `fn` (frame at
    /// `frame`); false when it has none.
    bool atomic_footprint(checker::ConstStateView s, uint32_t frame, uint32_t fn, uint32_t pc, uint64_t* reads,
                          uint64_t* writes) const;
    /// Marks field `field` of object `ref` (and its lifecycle, for a pool object).
    void mark_object_field(uint32_t ref, uint32_t field, bool write, uint64_t* reads, uint64_t* writes) const;
    bc::Program program_;
};

}  // namespace probecheck::model
