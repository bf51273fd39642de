// Fusible steps: shared accesses that can never interleave with another thread, found by a
// whole-program analysis, so they need not be steps of their own (checker/search/DESIGN.md,
// "Steps that are not interleaving points"). Six kinds:
//
//  * a read of data nothing writes after initialisation: no instruction of any function
//    stores to the global slot, or to that field of any object of the struct (direct and
//    through pointers), and no object of the struct can be freed (the use-after-free check
//    reads the lifecycle, which a kfree writes);
//  * a read or write of an object the thread has just kzalloc'ed and not yet published: a
//    must-analysis per function tracks which registers hold such an object, and storing
//    the reference anywhere, passing it to a call or a spawn, or returning it, publishes it.
//    Freed pool objects are never reused, so no other thread holds a pointer to it. A write
//    stays a step when an invariant reads that field: the states between must be seen.
//  * an access to data every access of the whole program makes under one common lock
//    (held_locks.cpp; invariants count as accesses holding nothing): while this thread
//    holds the lock nobody else touches the data, so the access commutes both ways
//    (Lipton's both-mover; Flanagan and Qadeer, "A type and effect system for atomicity",
//    PLDI 2003). For a pool object the lifecycle must be protected the same way;
//  * a read of data every write of the whole program makes under a lock this read holds:
//    no other thread can write it meanwhile, and reads commute with reads (a both-mover
//    too); for a pool object every kfree must hold that lock as well;
//  * an access to a field of an object never freed under a lock of that same object, where
//    every store (for a load) or every access (for a store) of the field holds that object's
//    lock (own_locks.cpp: the kernel's device_lock(dev) over dev's own fields);
//  * a release of a lock no thread ever trylocks: it commutes to the left with every
//    other thread's step (Lipton's left-mover; a blocked acquire cannot come between).
//
// Each found instruction gets a fused opcode (opcodes.def) that the interpreter runs inside
// the step before it; CompiledSystem::set_fusion(false) restores the plain opcodes.
#include <algorithm>

#include "model/compile/lower.hpp"

namespace probecheck::model::detail {
namespace {

using bc::Op;

constexpr int kNotFresh = -1;

class FusibleFinder {
public:
    FusibleFinder(SymbolTable const& symbols, bc::Program& p)
        : symbols_(symbols), p_(p), held_(must_held_locks(symbols, p)) {}

    void run() {
        mark_written_slots();
        mark_freeable_structs();
        mark_invariant_fields();
        find_protectors();
        mark_trylocked();
        for (auto [f, pc] : own_lock_protected(symbols_, p_, held_, freeable_))
            add(f, pc, fused_form(p_.functions[f].code[pc].op));
        for (uint32_t f = 0; f < p_.functions.size(); ++f) {
            find_read_only(f);
            find_fresh(f);
            find_protected(f);
            find_releases(f);
        }
        std::sort(p_.fusible.begin(), p_.fusible.end(),
                  [](auto const& a, auto const& b) { return std::pair(a.function, a.pc) < std::pair(b.function, b.pc); });
        p_.fusible.erase(std::unique(p_.fusible.begin(), p_.fusible.end(),
                                     [](auto const& a, auto const& b) { return a.function == b.function && a.pc == b.pc; }),
                         p_.fusible.end());
    }

private:
    void mark_field(std::vector<bool>& slots, uint32_t structure, uint32_t field) const {
        for (auto const& o : p_.objects)
            if (o.struct_index == structure && o.base + field < slots.size()) slots[o.base + field] = true;
    }

    void mark_written_slots() { written_ = written_slots(p_); }

    void mark_freeable_structs() {
        freeable_.assign(p_.structs.size(), false);
        for (auto const& fn : p_.functions)
            for (auto const& in : fn.code) {
                if (in.op != Op::Free) continue;
                for (uint32_t s = 0; s < p_.structs.size(); ++s)
                    if (in.aux == UINT16_MAX || in.aux == s) freeable_[s] = freeable_[s] || p_.pools[s].count > 0;
            }
        for (auto const& o : p_.objects)  // @freeable named instances
            if (o.named && o.lifecycle != UINT32_MAX) freeable_[o.struct_index] = true;
    }

    // Fields read by an invariant (its function and everything it calls): writes to them
    // stay steps, so the invariant is checked on every state where they change.
    void mark_invariant_fields() {
        invariant_slots_.assign(p_.state_slots, false);
        std::vector<bool> reached(p_.functions.size(), false);
        std::vector<uint32_t> work;
        for (auto const& c : p_.checks)
            if (!c.is_final && !reached[c.function]) reached[c.function] = true, work.push_back(c.function);
        while (!work.empty()) {
            uint32_t f = work.back();
            work.pop_back();
            for (auto const& in : p_.functions[f].code) {
                if (in.op == Op::LoadField) mark_field(invariant_slots_, in.aux, in.d);
                if (in.op == Op::LoadGlobal && in.d < invariant_slots_.size()) invariant_slots_[in.d] = true;
                if (in.op == Op::Call && !reached[in.b]) reached[in.b] = true, work.push_back(in.b);
            }
        }
    }

    bool field_written(std::vector<bool> const& slots, uint32_t structure, uint32_t field) const {
        for (auto const& o : p_.objects)
            if (o.struct_index == structure && o.base + field < slots.size() && slots[o.base + field]) return true;
        return false;
    }

    static Op fused_form(Op plain) {
        switch (plain) {
            case Op::LoadGlobal: return Op::LoadGlobalFused;
            case Op::StoreGlobal: return Op::StoreGlobalFused;
            case Op::LoadField: return Op::LoadFieldFused;
            default: return Op::StoreFieldFused;
        }
    }

    void add(uint32_t f, uint32_t pc, Op fused) {
        p_.fusible.push_back({f, pc, p_.functions[f].code[pc].op, fused});
    }

    void find_read_only(uint32_t f) {
        auto const& code = p_.functions[f].code;
        for (uint32_t pc = 0; pc < code.size(); ++pc) {
            auto const& in = code[pc];
            if (in.op == Op::LoadGlobal && in.d < written_.size() && !written_[in.d] && !lifecycle_of_freeable(in.d))
                add(f, pc, Op::LoadGlobalFused);
            if (in.op == Op::LoadField && in.aux < p_.structs.size() && !freeable_[in.aux] &&
                !field_written(written_, in.aux, in.d))
                add(f, pc, Op::LoadFieldFused);
        }
    }

    // A named field read directly (`gpu.iommu`) is a LoadGlobal of the object's slot; such
    // objects are named instances, never freed, but pool objects' slots are checked anyway.
    bool lifecycle_of_freeable(uint32_t slot) const {
        size_t o = p_.object_of_slot(slot);
        return o < p_.objects.size() && p_.objects[o].lifecycle != UINT32_MAX && freeable_[p_.objects[o].struct_index];
    }

    using Regs = std::vector<int>;

    static void publish(Regs& regs, int site) {
        if (site == kNotFresh) return;
        for (int& r : regs)
            if (r == site) r = kNotFresh;
    }

    void publish_args(Regs& regs, uint32_t first, uint32_t count) const {
        for (uint32_t r = first; r < first + count && r < regs.size(); ++r) publish(regs, regs[r]);
    }

    // The registers after instruction pc, from those before it.
    void transfer(uint32_t f, uint32_t pc, Regs& regs) const {
        auto const& in = p_.functions[f].code[pc];
        auto kill = [&](uint32_t from, uint32_t count) {
            for (uint32_t r = from; r < from + count && r < regs.size(); ++r) regs[r] = kNotFresh;
        };
        if ((in.op == Op::StoreField || in.op == Op::StoreGlobal) && !in.imm_c && in.c < regs.size())
            publish(regs, regs[in.c]);
        if (in.op == Op::Call || in.op == Op::Spawn) publish_args(regs, in.c, p_.functions[in.b].param_count);
        if (in.op == Op::CallIndirect) publish_args(regs, in.c, static_cast<uint32_t>(regs.size()));
        if (in.op == Op::Move && in.a < regs.size()) regs[in.a] = in.b < regs.size() ? regs[in.b] : kNotFresh;
        else if (in.op == Op::Alloc && in.a < regs.size()) regs[in.a] = static_cast<int>(pc);
        else if (bc::writes_register(in.op) && in.a != bc::kNoReg) kill(in.a, 1);
        if (in.op == Op::Zero) kill(in.a, in.b);
        if (in.op == Op::JumpIfZero || in.op == Op::JumpIfNonZero) kill(in.c, in.d);
    }

    // Must-analysis to a fixpoint: a register is fresh at pc when it is on every path there.
    std::vector<Regs> fresh_before(uint32_t f) const {
        auto const& code = p_.functions[f].code;
        std::vector<Regs> in(code.size());
        std::vector<bool> seen(code.size(), false);
        std::vector<uint32_t> work;
        auto flow = [&](size_t to, Regs const& regs) {
            if (to >= code.size()) return;
            bool changed = !seen[to];
            if (!seen[to]) seen[to] = true, in[to] = regs;
            for (size_t r = 0; r < regs.size(); ++r)
                if (in[to][r] != regs[r] && in[to][r] != kNotFresh) in[to][r] = kNotFresh, changed = true;
            if (changed) work.push_back(static_cast<uint32_t>(to));
        };
        flow(0, Regs(p_.functions[f].register_count, kNotFresh));
        while (!work.empty()) {
            uint32_t pc = work.back();
            work.pop_back();
            Regs regs = in[pc];
            transfer(f, pc, regs);
            auto const& i = code[pc];
            if (i.op == Op::Jump) flow(i.b, regs);
            else if (i.op == Op::JumpIfZero || i.op == Op::JumpIfNonZero) flow(i.b, regs), flow(pc + 1, regs);
            else if (i.op != Op::Return) flow(pc + 1, regs);
        }
        return in;
    }

    void find_fresh(uint32_t f) {
        auto const& code = p_.functions[f].code;
        if (std::none_of(code.begin(), code.end(), [](auto const& in) { return in.op == Op::Alloc; })) return;
        auto before = fresh_before(f);
        for (uint32_t pc = 0; pc < code.size(); ++pc) {
            auto const& in = code[pc];
            if (before[pc].empty() || in.b >= before[pc].size() || before[pc][in.b] == kNotFresh) continue;
            if (in.op == Op::LoadField) add(f, pc, Op::LoadFieldFused);
            if (in.op == Op::StoreField && !field_written(invariant_slots_, in.aux, in.d)) add(f, pc, Op::StoreFieldFused);
        }
    }

    // Per data slot: the locks held at every instruction that may touch it, and at every
    // instruction that may write it (a store; for a lifecycle, a kfree).
    void find_protectors() {
        protector_.assign(p_.state_slots, std::vector<uint64_t>(held_.words, ~uint64_t{0}));
        write_protector_ = protector_;
        auto restrict = [&](std::vector<std::vector<uint64_t>>& locks, uint32_t slot, std::vector<uint64_t> const& held) {
            if (slot >= locks.size()) return;
            for (uint32_t w = 0; w < held_.words; ++w) locks[slot][w] &= held[w];
        };
        for (uint32_t f = 0; f < p_.functions.size(); ++f) {
            auto const& code = p_.functions[f].code;
            for (uint32_t pc = 0; pc < code.size(); ++pc) {
                auto const& in = code[pc];
                auto const& held = held_.before[f][pc];
                if (in.op == Op::LoadGlobal || in.op == Op::StoreGlobal) restrict(protector_, in.d, held);
                if (in.op == Op::StoreGlobal) restrict(write_protector_, in.d, held);
                bool data = in.op == Op::LoadField || in.op == Op::StoreField;
                bool field = data || in.op == Op::LockField || in.op == Op::UnlockField || in.op == Op::TrylockField;
                for (auto const& o : p_.objects) {
                    if (field && o.struct_index == in.aux) {  // every field access checks the lifecycle
                        if (data) restrict(protector_, o.base + in.d, held);
                        if (in.op == Op::StoreField) restrict(write_protector_, o.base + in.d, held);
                        if (o.lifecycle != UINT32_MAX) restrict(protector_, o.lifecycle, held);
                    }
                    if (in.op == Op::Free && o.lifecycle != UINT32_MAX && (in.aux == UINT16_MAX || in.aux == o.struct_index)) {
                        restrict(protector_, o.lifecycle, held);
                        restrict(write_protector_, o.lifecycle, held);
                    }
                }
            }
        }
    }

    // `held` includes a lock every write of `slot` holds: nobody can write it meanwhile.
    bool writers_excluded(uint32_t slot, std::vector<uint64_t> const& held) const {
        if (slot >= write_protector_.size()) return false;
        for (uint32_t w = 0; w < held_.words; ++w)
            if ((write_protector_[slot][w] & held[w]) != 0) return true;
        return false;
    }

    // A read of the field under `held`: no store to it, and no kfree of its object, can run
    // while this thread holds what it holds here.
    bool field_writers_excluded(uint32_t structure, uint32_t field, std::vector<uint64_t> const& held) const {
        for (auto const& o : p_.objects) {
            if (o.struct_index != structure) continue;
            if (!writers_excluded(o.base + field, held)) return false;
            if (freeable_[structure] && o.lifecycle != UINT32_MAX && !writers_excluded(o.lifecycle, held)) return false;
        }
        return true;
    }

    bool protected_slot(uint32_t slot) const {
        if (slot >= protector_.size()) return false;
        for (uint64_t w : protector_[slot])
            if (w != 0) return true;
        return false;
    }

    // No kfree can come between this thread's check of an object's lifecycle and its use.
    bool lifetime_protected(uint32_t structure) const {
        if (!freeable_[structure]) return true;
        for (auto const& o : p_.objects)
            if (o.struct_index == structure && o.lifecycle != UINT32_MAX && !protected_slot(o.lifecycle)) return false;
        return true;
    }

    bool protected_field(uint32_t structure, uint32_t field) const {
        for (auto const& o : p_.objects)
            if (o.struct_index == structure && !protected_slot(o.base + field)) return false;
        return lifetime_protected(structure);
    }

    // Stores need every access of the slot under a common lock; a load needs only the
    // writers excluded by a lock it holds (it commutes with other loads).
    void find_protected(uint32_t f) {
        auto const& code = p_.functions[f].code;
        for (uint32_t pc = 0; pc < code.size(); ++pc) {
            auto const& in = code[pc];
            auto const& held = held_.before[f][pc];
            if (in.op == Op::StoreGlobal && protected_slot(in.d)) add(f, pc, Op::StoreGlobalFused);
            if (in.op == Op::LoadGlobal && (protected_slot(in.d) || writers_excluded(in.d, held)))
                add(f, pc, Op::LoadGlobalFused);
            if (in.aux >= p_.structs.size()) continue;
            if (in.op == Op::StoreField && protected_field(in.aux, in.d)) add(f, pc, Op::StoreFieldFused);
            if (in.op == Op::LoadField && (protected_field(in.aux, in.d) || field_writers_excluded(in.aux, in.d, held)))
                add(f, pc, Op::LoadFieldFused);
        }
    }

    void mark_trylocked() {
        trylocked_.assign(p_.state_slots, false);
        for (auto const& fn : p_.functions)
            for (auto const& in : fn.code) {
                if (in.op == Op::TrylockGlobal && in.d < trylocked_.size()) trylocked_[in.d] = true;
                if (in.op == Op::TrylockField) mark_field(trylocked_, in.aux, in.d);
            }
    }

    void find_releases(uint32_t f) {
        auto const& code = p_.functions[f].code;
        for (uint32_t pc = 0; pc < code.size(); ++pc) {
            auto const& in = code[pc];
            if (in.op == Op::UnlockGlobal && in.d < trylocked_.size() && !trylocked_[in.d] && !invariant_slots_[in.d])
                add(f, pc, Op::UnlockGlobalFused);
            if (in.op == Op::UnlockField && in.aux < p_.structs.size() && lifetime_protected(in.aux) &&
                !field_written(trylocked_, in.aux, in.d) &&
                !field_written(invariant_slots_, in.aux, in.d))
                add(f, pc, Op::UnlockFieldFused);
        }
    }

    SymbolTable const& symbols_;
    bc::Program& p_;
    HeldLocks held_;
    std::vector<std::vector<uint64_t>> protector_;  ///< per slot: locks every access to it holds
    std::vector<std::vector<uint64_t>> write_protector_;  ///< per slot: locks every write of it holds
    std::vector<bool> trylocked_;        ///< per lock word: some trylock may take it
    std::vector<bool> written_;          ///< per slot: some instruction may write it
    std::vector<bool> freeable_;         ///< per struct: some kfree may free one of its pool objects
    std::vector<bool> invariant_slots_;  ///< per slot: an invariant reads it
};

}  // namespace

void find_fusible_steps(SymbolTable const& symbols, bc::Program& program) { FusibleFinder(symbols, program).run(); }

}  // namespace probecheck::model::detail
