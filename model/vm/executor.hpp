// The Executor: runs one transition of one thread on a state, in place. Shared by
// interpreter.cpp (the run loop and local instructions) and effects.cpp (instructions that
// touch shared state). See interpreter.hpp for the transition contract.
#pragma once

#include <string>

#include "model/vm/interpreter.hpp"
#include "properties/violation.hpp"

namespace probecheck::model::vm::detail {

using checker::Access;
using checker::StepStatus;
using properties::ViolationKind;

constexpr uint32_t header(uint32_t fn, uint32_t pc) { return fn << 16 | pc; }

class Executor {
public:
    Executor(bc::Program const& p, checker::StateView st, checker::Step step, Access& access,
             checker::ViolationInfo& violation)
        : p_(p), st_(st), thread_(step.thread), choice_(step.choice), base_(p.threads[step.thread].base),
          stack_end_(base_ + 1 + p.threads[step.thread].region), access_(access), violation_(violation) {}

    StepStatus run(RunMode mode);

    /// A property evaluation: the frame lives after the state, visible instructions join one
    /// step, and only reads of shared state are allowed.
    Executor(bc::Program const& p, checker::StateView scratch, uint32_t function, Access& access,
             checker::ViolationInfo& violation)
        : p_(p), st_(scratch), thread_(UINT32_MAX), choice_(0), base_(p.state_slots),
          stack_end_(base_ + p.eval_region), access_(access),
          violation_(violation), atomic_depth_(1), evaluating_(true) {
        st_[base_] = 1;
        st_[base_ + 1] = header(function, 0);
    }
    [[nodiscard]] uint32_t result() const { return result_; }
    /// A fused access ran after the step's visible instruction (RunMode::Split would stop there).
    [[nodiscard]] bool ran_fused_tail() const { return fused_tail_; }
    /// A WARN_ON or dev_WARN fired in this run (the first one is in the violation record).
    [[nodiscard]] bool warned() const { return warned_; }
    /// The run took a back edge that may close a cycle of states (bc::Instr::c of a Jump).
    [[nodiscard]] bool took_back_edge() const { return back_edge_; }

private:
    friend class SpawnedThread;
    uint32_t& reg(uint32_t r) { return st_[frame_ + 1 + r]; }
    uint32_t value_b(bc::Instr const& in) { return in.imm_b ? in.b : reg(in.b); }
    uint32_t value_c(bc::Instr const& in) { return in.imm_c ? in.c : reg(in.c); }
    void load_top_frame();
    void save_position() { st_[frame_] = header(fn_, pc_); }

    StepStatus fail(ViolationKind kind, std::string message);
    bool field_slot(bc::Instr const& in, char const* what, uint32_t& slot);
    [[gnu::always_inline]] inline bool local(bc::Instr const& in);  // false: violation
    StepStatus visible(bc::Instr const& in);
    bool fused_access(bc::Instr const& in);  // false: violation
    StepStatus lock(uint32_t slot, bool spin);
    StepStatus trylock(uint32_t slot, uint32_t dst);
    bool assert_not_held(uint32_t slot);
    bool may_sleep(uint32_t mutex_slot);
    StepStatus unlock(uint32_t slot);
    bool assert_held(uint32_t slot);
    StepStatus alloc(bc::Instr const& in);
    StepStatus inject_fault(uint32_t dst, uint32_t value);
    StepStatus free_object(bc::Instr const& in);
    void warn(bc::Instr const& in);
    StepStatus spawn(bc::Instr const& in);
    StepStatus begin_atomic(bc::Instr const& in);
    [[nodiscard]] bool call(bc::Instr const& in, uint32_t function);
    bool ret(bc::Instr const& in);  // false: thread finished, or a violation (failed_)
    bool check_no_locks_at_exit();
    bool check_guard(uint32_t slot, char const* what);
    [[gnu::always_inline]] inline bool arithmetic(bc::Instr const& in);

    bc::Program const& p_;
    checker::StateView st_;
    uint32_t thread_;
    uint32_t choice_;
    uint32_t base_;
    uint32_t stack_end_;  ///< first slot past this thread's stack region
    Access& access_;
    checker::ViolationInfo& violation_;
    uint32_t frame_ = 0;
    uint32_t fn_ = 0;
    uint32_t pc_ = 0;
    uint32_t atomic_depth_ = 0;  ///< > 0: visible instructions join the current step
    bool failed_ = false;        ///< fail() was called: the step is a violation
    bool evaluating_ = false;    ///< evaluating an invariant or final check
    bool fused_tail_ = false;    ///< see ran_fused_tail()
    bool back_edge_ = false;     ///< see took_back_edge()
    bool warned_ = false;        ///< see warned()
    uint32_t result_ = 0;        ///< the evaluated function's return value
};

}  // namespace probecheck::model::vm::detail
