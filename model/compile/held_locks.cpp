// Must-held locks: for every instruction, the lock words every execution reaching it holds.
// Interprocedural and context-insensitive: a function's entry set is the intersection of the
// sets at all its call sites (thread bodies, spawned work and property functions start with
// none); after a call the caller holds what it held minus what the callee may release, plus
// what the callee holds at every return. Iterated to a fixpoint from "everything held", so
// the sets only shrink. A trylock adds nothing (it may fail); locks a caller passes in are
// tracked by word, so `lock(gpu.lock)` then `unlock(dev->lock)` releases every device.lock.
#include "model/compile/lower.hpp"

namespace probecheck::model::detail {
namespace {

using bc::Op;
using Bits = std::vector<uint64_t>;

class HeldLockAnalysis {
public:
    HeldLockAnalysis(SymbolTable const& symbols, bc::Program const& p) : targets_(symbols, p), p_(p) {
        words_ = (static_cast<uint32_t>(p.locks.size()) + 63) / 64;
        index_of_slot_.assign(p.state_slots, UINT32_MAX);
        for (uint32_t i = 0; i < p.locks.size(); ++i) index_of_slot_[p.locks[i].slot] = i;
    }

    HeldLocks run() {
        size_t n = p_.functions.size();
        entry_.assign(n, all());
        exit_.assign(n, all());
        for (auto const& t : p_.threads)
            if (t.entry != UINT32_MAX) entry_[t.entry] = none();
        for (auto const& c : p_.checks) entry_[c.function] = none();
        may_release_.assign(n, none());
        compute_may_release();
        HeldLocks out{words_, std::vector<std::vector<Bits>>(n)};
        for (bool changed = true; changed;) {
            changed = false;
            for (uint32_t f = 0; f < n; ++f) changed |= analyse(f, out.before[f]);
        }
        return out;
    }

private:
    Bits all() const { return Bits(words_, ~uint64_t{0}); }
    Bits none() const { return Bits(words_, 0); }
    static void intersect(Bits& into, Bits const& with) {
        for (size_t w = 0; w < into.size(); ++w) into[w] &= with[w];
    }
    void set(Bits& b, uint32_t lock, bool on) const {
        if (lock == UINT32_MAX) return;
        if (on) b[lock / 64] |= uint64_t{1} << (lock % 64);
        else b[lock / 64] &= ~(uint64_t{1} << (lock % 64));
    }

    // Lock words an unlock instruction may release: one word, or that field of every object.
    void released_by(bc::Instr const& in, Bits& out) const {
        if (in.op == Op::UnlockGlobal && in.d < index_of_slot_.size()) set(out, index_of_slot_[in.d], true);
        if (in.op != Op::UnlockField) return;
        for (auto const& o : p_.objects)
            if (o.struct_index == in.aux && o.base + in.d < index_of_slot_.size())
                set(out, index_of_slot_[o.base + in.d], true);
    }

    void compute_may_release() {
        for (bool changed = true; changed;) {
            changed = false;
            for (uint32_t f = 0; f < p_.functions.size(); ++f) {
                Bits next = may_release_[f];
                auto const& code = p_.functions[f].code;
                for (uint32_t pc = 0; pc < code.size(); ++pc) {
                    auto const& in = code[pc];
                    released_by(in, next);
                    if (in.op == Op::Call) merge_into(next, may_release_[in.b]);
                    if (in.op == Op::CallIndirect)
                        for (uint32_t g : targets_.at(f, pc)) merge_into(next, may_release_[g]);
                }
                if (next != may_release_[f]) may_release_[f] = std::move(next), changed = true;
            }
        }
    }
    static void merge_into(Bits& into, Bits const& from) {
        for (size_t w = 0; w < into.size(); ++w) into[w] |= from[w];
    }

    // What a call from a state holding `held` leaves held, and the callee's entry updated.
    void call(uint32_t callee, Bits& held, Bits& after, bool& first) {
        Bits entry = entry_[callee];
        intersect(entry_[callee], held);
        entry_changed_ |= entry != entry_[callee];
        Bits mine = held;
        for (size_t w = 0; w < mine.size(); ++w) mine[w] = (mine[w] & ~may_release_[callee][w]) | exit_[callee][w];
        if (first) after = mine, first = false;
        else intersect(after, mine);
    }

    void transfer(uint32_t f, uint32_t pc, Bits& held) {
        auto const& in = p_.functions[f].code[pc];
        if ((in.op == Op::LockGlobal) && in.d < index_of_slot_.size()) set(held, index_of_slot_[in.d], true);
        if (in.op == Op::UnlockGlobal || in.op == Op::UnlockField) {
            Bits released = none();
            released_by(in, released);
            for (size_t w = 0; w < held.size(); ++w) held[w] &= ~released[w];
        }
        if (in.op == Op::Spawn && entry_[in.b] != none()) entry_[in.b] = none(), entry_changed_ = true;
        if (in.op != Op::Call && in.op != Op::CallIndirect) return;
        Bits after = held;
        bool first = true;
        if (in.op == Op::Call) call(in.b, held, after, first);
        else
            for (uint32_t g : targets_.at(f, pc)) call(g, held, after, first);
        held = std::move(after);
    }

    // One pass over f from its current entry set; true when an entry or exit set changed.
    bool analyse(uint32_t f, std::vector<Bits>& before) {
        auto const& code = p_.functions[f].code;
        entry_changed_ = false;
        before.assign(code.size(), all());
        std::vector<bool> seen(code.size(), false);
        std::vector<uint32_t> work;
        Bits exit = all();
        auto flow = [&](size_t to, Bits const& held) {
            if (to >= code.size()) return;
            Bits next = seen[to] ? before[to] : held;
            intersect(next, held);
            if (seen[to] && next == before[to]) return;
            seen[to] = true;
            before[to] = std::move(next);
            work.push_back(static_cast<uint32_t>(to));
        };
        flow(0, entry_[f]);
        while (!work.empty()) {
            uint32_t pc = work.back();
            work.pop_back();
            Bits held = before[pc];
            auto const& in = code[pc];
            if (in.op == Op::Return) {
                intersect(exit, held);
                continue;
            }
            transfer(f, pc, held);
            if (in.op == Op::Jump) flow(in.b, held);
            else if (in.op == Op::JumpIfZero || in.op == Op::JumpIfNonZero) flow(in.b, held), flow(pc + 1, held);
            else flow(pc + 1, held);
        }
        bool changed = exit != exit_[f] || entry_changed_;
        exit_[f] = std::move(exit);
        return changed;
    }

    CallTargets targets_;
    bc::Program const& p_;
    uint32_t words_ = 0;
    std::vector<uint32_t> index_of_slot_;
    std::vector<Bits> entry_, exit_, may_release_;
    bool entry_changed_ = false;  ///< this pass over a function shrank some callee's entry set
};

}  // namespace

HeldLocks must_held_locks(SymbolTable const& symbols, bc::Program const& program) {
    return HeldLockAnalysis(symbols, program).run();
}

}  // namespace probecheck::model::detail
