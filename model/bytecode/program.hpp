// The compiled model: per-function instruction vectors (a state machine per function) plus
// the packed state layout. Design note on the layout (all slots are 32-bit):
//
//   [ globals | objects | threads ]
//   object  = [lifecycle (pool objects only)] [field 0] [field 1] ...
//   thread  = [frame count] [frame 0] [frame 1] ... (fixed region, sized for the deepest chain)
//   frame   = [function << 16 | pc] [register 0] ... [register n-1]
//
// A lock word holds 0 when free and owner thread + 1 when held. A reference holds object
// index + 1, NULL is 0. Registers are parameters, then locals, then expression temporaries;
// the compiler zeroes dead locals and temporaries, so equal behaviour means equal slots.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model/source/source_manager.hpp"
#include "properties/expect_spec.hpp"

namespace probecheck::model::bc {

enum class Op : uint8_t {
#define PROBECHECK_OPCODE(name, visible, mnemonic) name,
#include "model/bytecode/opcodes.def"
#undef PROBECHECK_OPCODE
};

/// Whether `op` touches shared state (ends a transition before it). Inline: hot loop.
[[nodiscard]] inline bool is_visible(Op op) {
    constexpr bool kVisible[] = {
#define PROBECHECK_OPCODE(name, visible, mnemonic) visible,
#include "model/bytecode/opcodes.def"
#undef PROBECHECK_OPCODE
    };
    return kVisible[static_cast<size_t>(op)];
}
[[nodiscard]] char const* mnemonic(Op op);

/// Whether the opcode writes its register operand `a` (the analyses' kill sets; the fused
/// loads come after the analyses and are not listed).
[[nodiscard]] inline bool writes_register(Op op) {
    switch (op) {
        case Op::Const: case Op::Move: case Op::Not: case Op::Neg: case Op::ToBool: case Op::Add: case Op::Sub:
        case Op::Mul: case Op::Div: case Op::Mod: case Op::Eq: case Op::Ne: case Op::Lt: case Op::Le: case Op::Gt:
        case Op::Ge: case Op::InstanceAt: case Op::InstanceLive: case Op::Call: case Op::CallIndirect: case Op::LoadGlobal:
        case Op::LoadField: case Op::TrylockGlobal: case Op::TrylockField: case Op::Alloc: case Op::Choose:
        case Op::MayDefer:
            return true;
        default: return false;
    }
}

inline constexpr uint32_t kNoReg = UINT32_MAX;
/// Jump operand c on the back edge of a `for each`: its hidden position only grows, so a
/// cycle of states through it must also take some other back edge (the static proviso).
inline constexpr uint32_t kBoundedLoopBack = 1;
inline constexpr uint32_t kRacyByDesign = UINT32_MAX - 1;  ///< guard_of_slot: @racy, no race check

struct Program;
/// Puts the fused (on) or plain (off) opcodes into the program's fusible steps.
void set_fusion(Program& program, bool on);

/// One instruction. Operand meaning per opcode is documented in opcodes.def.
struct Instr {
    Op op;
    bool imm_b = false;  ///< operand b is an immediate (binary ops)
    bool imm_c = false;  ///< operand c is an immediate
    uint32_t a = 0, b = 0, c = 0, d = 0;
    SourceLoc loc;       ///< the statement or expression this instruction implements
    uint16_t aux = 0;    ///< field ops: struct index of the object (for messages)
};
static_assert(sizeof(Instr) <= 32, "instructions are scanned in the hot loop; keep them small");

struct Function {
    std::string name;
    std::string kernel_file, kernel_symbol, kernel_version;  ///< @kernel provenance, if any
    std::string patched_by;  ///< "file:line" of the patches that changed it, comma-separated
    SourceLoc loc;
    uint32_t param_count = 0;
    uint32_t register_count = 0;  ///< params + locals + temporaries
    uint32_t stack_need = 0;      ///< slots of this frame plus the deepest callee chain
    std::vector<Instr> code;
};

/// How a slot's value reads in a trace.
struct ValueKind {
    enum class Tag : uint8_t { Int, Bool, Enum, Ref, Lock, Func } tag = Tag::Int;
    uint32_t enum_index = 0;
};

/// A state slot with a human name, for traces ("gpu.iommu", "probe_lock").
struct NamedSlot {
    std::string name;
    uint32_t slot = 0;
    ValueKind kind;
    /// Locks: the lock class as lockdep sees it: the global's name, or "struct.field" for
    /// per-object locks (every device's `lock` is the one class "device.lock").
    std::string lock_class;
};

struct ObjectLayout {
    std::string name;          ///< "gpu" or "dev_iommu#0"
    uint32_t struct_index = 0;
    uint32_t base = 0;         ///< slot of field 0
    uint32_t lifecycle = UINT32_MAX;  ///< pool and @freeable objects: slot of free/live/freed
    bool named = false;        ///< a named instance (a root of the leak check)
};

enum Lifecycle : uint32_t { kSlotFree = 0, kSlotLive = 1, kSlotFreed = 2 };

struct ThreadLayout {
    std::string name;
    uint32_t entry = 0;        ///< function index (UINT32_MAX: a work-item slot for `spawn`)
    uint32_t base = 0;         ///< slot of the frame count
    uint32_t region = 0;       ///< slots after `base` reserved for frames
    std::vector<int64_t> args;
    SourceLoc loc;
};

struct PoolLayout {
    uint32_t struct_index = 0;
    uint32_t first_object = 0;
    uint32_t count = 0;
    std::string declared_at;  ///< "file:line" of the `pool` declaration that sized it
};

struct StructLayout {
    std::string name;
    std::vector<std::string> field_names;
    std::vector<ValueKind> field_kinds;
    /// @guarded_by per field: lock slot offset within the object (`sibling`), or a global lock
    /// slot; UINT32_MAX when unannotated. Read by the race checks (issue #4).
    std::vector<uint32_t> guard_sibling;
    std::vector<uint32_t> guard_global_slot;
};

/// Faults the search may inject, each costing one unit of the budget.
struct FaultOptions {
    bool alloc = false;   ///< kzalloc may return NULL
    bool defer = false;   ///< may_defer() may return true (a probe returning -EPROBE_DEFER)
    uint32_t budget = 1;  ///< at most this many faults per execution
};

/// Static footprints for partial-order reduction. Access classes are the data slots
/// themselves (a field of one object, a global, a pool object's lifecycle), then the fault
/// counter and the work-item slots. An access through a pointer the analysis cannot pin down
/// covers that field of every object of the struct; an access through a parameter the
/// function never reassigns is kept symbolic and resolved against the frame at run time.
/// Bit sets hold `words` words of reads, then `words` words of writes.
struct SymbolicAccess {
    uint16_t param = 0;       ///< parameter register of the frame
    uint16_t structure = 0;   ///< struct of the object it points to
    uint32_t field = 0;       ///< field offset
    bool write = false;
    friend bool operator==(SymbolicAccess const&, SymbolicAccess const&) = default;
    friend auto operator<=>(SymbolicAccess const&, SymbolicAccess const&) = default;
};

struct Footprints {
    uint32_t words = 0;
    uint32_t fault_class = UINT32_MAX;
    /// Per function, per instruction: what the rest of the function (from that instruction
    /// on, callees and spawned work included) may touch: 2 * words of bits per instruction,
    /// plus symbolic accesses future_symbolic[f][first[f][pc] .. first[f][pc + 1]).
    std::vector<std::vector<uint64_t>> future;
    std::vector<std::vector<uint32_t>> first;
    std::vector<std::vector<SymbolicAccess>> future_symbolic;
    /// Per struct: the lifecycle slots of its pool objects (for kzalloc), `words` each.
    std::vector<std::vector<uint64_t>> pool_lifecycles;
    /// Classes invariant properties read: a step writing one is visible and never reduced.
    std::vector<uint64_t> invariant_reads;
    /// Atomic blocks and awaits that neither spawn nor choose: what the whole block may touch,
    /// so its step can be explored alone. Per function, sorted by the AtomicBegin's pc.
    struct AtomicBlock {
        uint32_t pc = 0;
        std::vector<uint64_t> bits;            ///< 2 * words: reads, then writes
        std::vector<SymbolicAccess> symbolic;  ///< resolved against the frame
    };
    std::vector<std::vector<AtomicBlock>> atomic_blocks;
};

/// A load or store that is not an interleaving point (compile/fusible_steps.cpp): while
/// fusion is on, instruction `pc` of `function` holds `fused` instead of `plain`.
struct FusibleStep {
    uint32_t function = 0;
    uint32_t pc = 0;
    Op plain = Op::LoadField;
    Op fused = Op::LoadFieldFused;
};

/// The fused opcodes are consecutive in opcodes.def, LoadGlobalFused first, UnlockFieldFused last.
[[nodiscard]] inline bool is_fused(Op op) {
    return op >= Op::LoadGlobalFused && op <= Op::UnlockFieldFused;
}

struct Program {
    std::vector<Function> functions;
    std::vector<FusibleStep> fusible;     ///< sorted by (function, pc)
    Footprints footprints;
    std::vector<StructLayout> structs;
    std::vector<ObjectLayout> objects;
    std::vector<PoolLayout> pools;        ///< indexed by struct; count 0 = no pool
    std::vector<ThreadLayout> threads;    ///< declared threads, then work-item slots
    uint32_t max_recursion = 2;           ///< occurrences of a function per call chain the stacks allow
    uint32_t first_work_item = 0;         ///< index of the first work-item slot
    std::vector<NamedSlot> globals;       ///< every global scalar and global lock
    std::vector<std::vector<uint32_t>> instances_of;  ///< per struct: references to its named instances, then its pool objects
    std::vector<NamedSlot> locks;         ///< every lock word, global and per object
    /// Per data slot: the lock word its @guarded_by names, kRacyByDesign for @racy fields,
    /// UINT32_MAX when unannotated; empty when the model has no such annotations.
    std::vector<uint32_t> guard_of_slot;
    std::vector<uint32_t> spinlocks;      ///< lock words that are spinlocks (no sleeping while held)
    std::vector<std::string> lock_classes;  ///< distinct lock classes, in first-seen order
    std::vector<uint32_t> lock_class_of_slot; ///< per data slot: index into lock_classes, or UINT32_MAX
    std::vector<std::string> messages;    ///< assert messages, by Assert operand b
    std::vector<std::vector<std::string>> enums;  ///< enumerator names per enum
    std::vector<uint32_t> initial;        ///< globals and objects before any thread runs
    properties::ExpectSpec expects;       ///< the scenario's `expect` lines
    struct PropertyCheck {
        std::string name;
        bool is_final = false;
        uint32_t function = 0;
        std::string kind;  ///< violation kind id from @kind, "" for invariant/final
    };
    std::vector<PropertyCheck> checks;    ///< invariant and final properties
    /// Slots an evaluation needs after the state (a frame count and the deepest stack of a
    /// property function); evaluations run on a scratch copy, never on stored states.
    uint32_t eval_region = 0;
    uint32_t state_slots = 0;
    /// Slot counting injected faults (UINT32_MAX: the model has no fault points).
    uint32_t fault_slot = UINT32_MAX;
    FaultOptions faults;  ///< run-time configuration, set by the driver before the search
    bool has_choose = false;       ///< some function contains `choose`
    bool has_fault_points = false; ///< some function contains kzalloc or may_defer
    /// Whether any step can have more than one choice (the search's fast path when not).
    [[nodiscard]] bool may_choose() const {
        return has_choose || (has_fault_points && (faults.alloc || faults.defer) && faults.budget > 0);
    }

    /// Name of a lock word ("probe_lock", "gpu.lock") or "" if `slot` is not a lock.
    [[nodiscard]] std::string const& lock_name(uint32_t slot) const;
    /// Object whose fields or lifecycle contain `slot`, or objects.size().
    [[nodiscard]] size_t object_of_slot(uint32_t slot) const;
    /// Trace name of any data slot: "counter", "gpu.iommu", "dev_iommu#0".
    [[nodiscard]] std::string slot_name(uint32_t slot) const;
    /// `value` as the slot's type reads: "true", "NULL", "dev_iommu#1", "PROBED", "-19".
    [[nodiscard]] std::string format_value(uint32_t slot, uint32_t value) const;
};

}  // namespace probecheck::model::bc
