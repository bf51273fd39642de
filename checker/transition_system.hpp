// THE boundary between a model and the search (cf. LTSmin PINS). The checker explores any
// TransitionSystem: it asks for the initial state and, per state, for the successor of each
// thread (a transition group). It never interprets slots; violations come back as data.
//
// Invariants a system must keep:
//  * step() is a pure function of (state, step): same inputs, same output and same result;
//  * states are canonical: two states that behave the same have the same slots;
//  * step() never allocates on the Ok/Disabled paths (the hot loop).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "checker/state/state_view.hpp"

namespace probecheck::checker {

/// What a trace stores: which thread moved and, for nondeterministic steps, which choice.
struct Step {
    uint32_t thread = 0;
    uint32_t choice = 0;
    friend bool operator==(Step, Step) = default;
};

/// The shared access a step made: its footprint, used by reduction and race checks.
struct Access {
    enum class Kind : uint8_t { None, Read, Write, Lock, Unlock, Alloc, Free, Choice, Fault,
                                Atomic,  ///< several accesses in one step (atomic, await): depends on all
                                Spawn };
    Kind kind = Kind::None;
    uint32_t slot = 0;  ///< state slot touched (lock word, field, pool lifecycle, fault counter)
    uint32_t value = 0; ///< Choice: the alternative taken
    /// The step took a back edge of a loop that can revisit a state (a `while`, not a bounded
    /// `for each`): the reduction's static cycle proviso expands such states fully.
    bool back_edge = false;
    /// The step hit a WARN_ON or dev_WARN and went on (status Ok): the violation record says
    /// which, and the search reports it without ending the path.
    bool warned = false;
};

/// A property failure found by the system itself (assertion, NULL dereference, ...).
struct ViolationInfo {
    uint32_t kind = 0;           ///< probecheck::properties::ViolationKind
    uint32_t thread = UINT32_MAX;  ///< thread that failed, if any
    uint32_t other_thread = UINT32_MAX;  ///< the second thread of a race, if any
    std::string message;
    uint64_t site = 0;           ///< where (model-defined); with `kind`, identifies the violation
};

enum class StepStatus : uint8_t {
    Disabled,   ///< the thread cannot move (finished or blocked); `out` is unspecified
    Ok,         ///< `out` holds the successor
    Violation,  ///< `out` holds the state at the failing instruction; `violation` says why
};

/// A thread that cannot move because it waits for a resource another thread holds.
struct Wait {
    uint32_t thread = 0;
    std::string resource;          ///< e.g. "gpu.lock"
    uint32_t owner = UINT32_MAX;   ///< holding thread, if any
};

class TransitionSystem {
public:
    virtual ~TransitionSystem() = default;
    [[nodiscard]] virtual uint32_t state_slots() const = 0;
    [[nodiscard]] virtual uint32_t thread_count() const = 0;
    [[nodiscard]] virtual std::string const& thread_name(uint32_t thread) const = 0;
    /// Builds the initial state (each thread's purely local prefix already run).
    virtual StepStatus initial_state(StateView out, ViolationInfo& violation) const = 0;
    /// Executes one visible step of `step.thread` from `s` into `out`.
    virtual StepStatus step(ConstStateView s, Step step, StateView out, Access& access,
                            ViolationInfo& violation) const = 0;
    /// Number of choices `thread` has in `s` (1 for deterministic steps).
    [[nodiscard]] virtual uint32_t choice_count(ConstStateView s, uint32_t thread) const = 0;
    [[nodiscard]] virtual bool thread_finished(ConstStateView s, uint32_t thread) const = 0;
    /// Why each unfinished thread in `s` is blocked (used for deadlock reports).
    [[nodiscard]] virtual std::vector<Wait> waits(ConstStateView s) const = 0;

    // Locks as lockdep sees them, for the lock-order analysis. A system without locks keeps
    // the defaults.
    /// Class of the lock word at `slot` (all `device.lock`s are one class), UINT32_MAX if none.
    [[nodiscard]] virtual uint32_t lock_class(uint32_t /*slot*/) const { return UINT32_MAX; }
    [[nodiscard]] virtual std::string lock_class_name(uint32_t cls) const { return std::to_string(cls); }
    /// Lock words `thread` holds in `s`, appended to `out`.
    virtual void held_locks(ConstStateView /*s*/, uint32_t /*thread*/, std::vector<uint32_t>& /*out*/) const {}

    // Partial-order reduction (checker/search/reduction.hpp). Footprints are bit sets over
    // the system's access classes, `footprint_words()` words of reads and as many of writes.
    // A system that keeps the defaults is always expanded fully.
    [[nodiscard]] virtual uint32_t footprint_words() const { return 0; }
    /// ORs into `reads`/`writes` every class `thread` may still access from `s` on, its next
    /// step included (an over-approximation).
    virtual void future_footprint(ConstStateView /*s*/, uint32_t /*thread*/, uint64_t* /*reads*/,
                                  uint64_t* /*writes*/) const {}
    /// Sets `reads`/`writes` to the classes of `thread`'s next step. False when that step must
    /// never be explored alone: it runs an atomic block or an await, spawns work, changes what
    /// an invariant reads, or the thread has finished.
    virtual bool next_footprint(ConstStateView /*s*/, uint32_t /*thread*/, uint64_t* /*reads*/,
                                uint64_t* /*writes*/) const {
        return false;
    }
};

}  // namespace probecheck::checker
