// The interpreter: executes one transition of one thread on a state in place. A transition
// is one visible instruction plus the local instructions that follow it, up to the next
// visible instruction or the thread's end (so states always rest before a visible step).
// No allocation happens on the Ok/Disabled paths; violation messages are built only when a
// violation is found, which ends that path.
#pragma once

#include "checker/transition_system.hpp"
#include "model/bytecode/program.hpp"

namespace probecheck::model::vm {

/// Local instructions one transition may run before it is reported as a loop without
/// visible progress (a hang in the model must never hang the checker).
inline constexpr uint32_t kMaxLocalSteps = 100000;
/// Fused accesses (bc::is_fused) one transition runs after its visible instruction.
inline constexpr uint32_t kMaxFusedPerStep = 256;

enum class RunMode : uint8_t {
    Step,     ///< execute the visible instruction the thread rests at, then locals
    Prefix,   ///< initial state: run locals only, stop at the first visible instruction
    Split,    ///< as Step, but stop before a fused access after the visible instruction
};

/// One transition of `step.thread` from `s` into `out`. A step that fails after fused
/// accesses (bc::is_fused) is run again split before the first of them: the states a
/// failing path passes through are states of the search, as without fusion, so invariants
/// are checked on them.
checker::StepStatus run_step(bc::Program const& program, checker::ConstStateView s, checker::StateView out,
                             checker::Step step, checker::Access& access, checker::ViolationInfo& violation);

/// Runs thread `thread` on `state` (modified in place).
checker::StepStatus run_thread(bc::Program const& program, checker::StateView state, checker::Step step,
                               RunMode mode, checker::Access& access, checker::ViolationInfo& violation);

/// Evaluates property function `function` (an invariant or final check) on `scratch`: a copy
/// of a state followed by program.eval_region spare slots. `result` is the function's value;
/// Violation when evaluating it faults (a NULL dereference) or it does more than read.
checker::StepStatus evaluate(bc::Program const& program, checker::StateView scratch, uint32_t function, uint32_t& result,
                             checker::ViolationInfo& violation);

/// How many choices the thread's next step has: alternatives of `choose`, and 2 at a fault
/// point (kzalloc, may_defer) while faults of that kind are on and the budget lasts.
[[nodiscard]] uint32_t choice_count(bc::Program const& program, checker::ConstStateView state, uint32_t thread);

/// Where a thread rests: function index and pc of its innermost frame.
struct Position {
    uint32_t function = 0;
    uint32_t pc = 0;
    uint32_t frame = 0;  ///< slot of the frame header
};

/// Frames of a thread, outermost first (empty when finished).
[[nodiscard]] std::vector<Position> frames(bc::Program const& program, checker::ConstStateView state,
                                           uint32_t thread);

/// "await(cond)" or "an atomic block" when the thread's next step starts one, else "".
[[nodiscard]] std::string pending_atomic(bc::Program const& program, checker::ConstStateView state, uint32_t thread);

/// The plain shared read or write the thread's next step starts with (kind None when it is
/// something else, or would fault); `position` is where (function << 16 | pc).
struct PendingAccess {  // trivially constructible: arrays of it are built per state
    checker::Access::Kind kind;
    uint32_t slot;
    uint32_t position;
};
[[nodiscard]] PendingAccess pending_access(bc::Program const& program, checker::ConstStateView state, uint32_t thread);

/// Lock word slot the thread's next instruction acquires, or UINT32_MAX.
[[nodiscard]] uint32_t pending_lock(bc::Program const& program, checker::ConstStateView state,
                                    uint32_t thread);

}  // namespace probecheck::model::vm
