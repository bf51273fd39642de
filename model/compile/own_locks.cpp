// Own locks: for every instruction, the (register, lock field) pairs such that every execution
// reaching it holds that lock field *of the object the register points to* -- the kernel's
// device_lock(dev) protecting dev's own fields, which held_locks.cpp cannot express (it names
// lock words, and `dev->lock` is every device's word at once).
//
// A must-analysis per function over facts keyed by register: `lock(r->l)` adds (r, l); any
// write to r forgets r's facts (a copy `a = r` copies them); an unlock of field l of the
// struct, through any register or by name, forgets every (., l) of it, since the two may be
// the same object. Calls map facts on argument registers to the callee's parameters (its entry
// set is the intersection over every call site; threads, spawned work and property functions
// start with none) and forget what the callee may release; facts follow direct calls only
// (an indirect call's targets over-approximate). Functions are analysed callers first, and
// again until no entry set changes.
//
// What it proves: a field of a struct that is never freed, where every store (for a load) or
// every access (for a store) holds a lock field of the same object that this access holds,
// cannot be touched by another thread meanwhile: a both-mover (fusible_steps.cpp).
#include <algorithm>
#include <unordered_map>

#include "model/compile/lower.hpp"

namespace probecheck::model::detail {
namespace {

using bc::Op;
using Facts = std::vector<uint64_t>;  ///< sorted OwnLocks::key values

/// Per function, per instruction: the lock fields held on the very object a register points
/// to, on every execution reaching it, as sorted keys.
struct OwnLocks {
    static constexpr uint64_t key(uint32_t reg, uint32_t structure, uint32_t field) {
        return uint64_t{reg} << 32 | uint64_t{structure & 0xFFFF} << 16 | (field & 0xFFFF);
    }
    std::vector<std::vector<Facts>> before;
};

uint64_t lock_of(uint64_t key) { return key & 0xFFFFFFFFu; }  // (struct, field) without the register
uint32_t reg_of(uint64_t key) { return static_cast<uint32_t>(key >> 32); }

class OwnLockAnalysis {
public:
    OwnLockAnalysis(SymbolTable const& symbols, bc::Program const& p) : targets_(symbols, p), p_(p) {}

    OwnLocks run() {
        size_t n = p_.functions.size();
        entry_.assign(n, Facts{});
        entry_set_.assign(n, false);
        for (auto const& t : p_.threads)
            if (t.entry != UINT32_MAX) entry_set_[t.entry] = true;
        for (auto const& c : p_.checks) entry_set_[c.function] = true;
        may_release_.assign(n, Facts{});
        std::vector<uint32_t> order = topological_order();
        for (auto it = order.rbegin(); it != order.rend(); ++it) collect_releases(*it);
        OwnLocks out;
        out.before.resize(n);
        // Callers first, and again until no entry set shrinks: the indirect-call edges make
        // "callers first" an order, not a guarantee. Entry sets only shrink, so this ends.
        for (bool again = true; again;) {
            again = false;
            for (uint32_t f : order) {
                if (!entry_set_[f]) continue;  // not reached (yet)
                entry_changed_ = false;
                analyse(f, out.before[f]);
                again |= entry_changed_;
            }
        }
        frozen_ = true;  // what nothing reaches holds no facts, and gives its callees none
        for (uint32_t f = 0; f < n; ++f)
            if (!entry_set_[f]) analyse(f, out.before[f]);
        return out;
    }

private:
    std::vector<uint32_t> callees(uint32_t f, uint32_t pc) const {
        auto const& in = p_.functions[f].code[pc];
        if (in.op == Op::Call || in.op == Op::Spawn) return {in.b};
        if (in.op == Op::CallIndirect) return targets_.at(f, pc);
        return {};
    }

    // Callers before callees (post-order of a DFS over call edges, reversed).
    std::vector<uint32_t> topological_order() const {
        std::vector<uint8_t> state(p_.functions.size(), 0);
        std::vector<uint32_t> post;
        std::vector<std::pair<uint32_t, uint32_t>> stack;  // (function, next pc)
        for (uint32_t root = 0; root < p_.functions.size(); ++root) {
            if (state[root]) continue;
            state[root] = 1;
            stack.push_back({root, 0});
            while (!stack.empty()) {
                auto& [f, pc] = stack.back();
                if (pc == p_.functions[f].code.size()) {
                    post.push_back(f);
                    stack.pop_back();
                    continue;
                }
                for (uint32_t g : callees(f, pc++))
                    if (!state[g]) state[g] = 1, stack.push_back({g, 0});
            }
        }
        return {post.rbegin(), post.rend()};
    }

    // The (struct, field) lock an unlock instruction may release, or UINT64_MAX.
    uint64_t released_by(bc::Instr const& in) const {
        if (in.op == Op::UnlockField) return OwnLocks::key(0, in.aux, in.d);
        if (in.op != Op::UnlockGlobal) return UINT64_MAX;
        size_t o = p_.object_of_slot(in.d);
        if (o >= p_.objects.size()) return UINT64_MAX;
        return OwnLocks::key(0, p_.objects[o].struct_index, in.d - p_.objects[o].base);
    }

    void collect_releases(uint32_t f) {
        Facts& out = may_release_[f];
        auto const& code = p_.functions[f].code;
        for (uint32_t pc = 0; pc < code.size(); ++pc) {
            if (uint64_t lock = released_by(code[pc]); lock != UINT64_MAX) out.push_back(lock);
            if (code[pc].op == Op::Spawn) continue;  // runs on another thread
            for (uint32_t g : callees(f, pc)) out.insert(out.end(), may_release_[g].begin(), may_release_[g].end());
        }
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
    }

    static void forget_register(Facts& facts, uint32_t reg) {
        std::erase_if(facts, [reg](uint64_t k) { return reg_of(k) == reg; });
    }
    static void forget_registers(Facts& facts, uint32_t from, uint32_t count) {
        std::erase_if(facts, [=](uint64_t k) { return reg_of(k) >= from && reg_of(k) < from + count; });
    }
    static void forget_locks(Facts& facts, Facts const& locks) {
        std::erase_if(facts, [&](uint64_t k) { return std::binary_search(locks.begin(), locks.end(), lock_of(k)); });
    }
    static void add(Facts& facts, uint64_t key) {
        auto it = std::lower_bound(facts.begin(), facts.end(), key);
        if (it == facts.end() || *it != key) facts.insert(it, key);
    }
    static Facts intersection(Facts const& a, Facts const& b) {
        Facts out;
        std::set_intersection(a.begin(), a.end(), b.begin(), b.end(), std::back_inserter(out));
        return out;
    }

    void enter(uint32_t callee, Facts const& at_call, uint32_t first_arg, bool none) {
        if (frozen_) return;
        Facts mapped;
        if (!none)
            for (uint64_t k : at_call)
                if (reg_of(k) >= first_arg && reg_of(k) < first_arg + p_.functions[callee].param_count)
                    mapped.push_back(OwnLocks::key(reg_of(k) - first_arg, 0, 0) | lock_of(k));
        std::sort(mapped.begin(), mapped.end());
        Facts next = entry_set_[callee] ? intersection(entry_[callee], mapped) : mapped;
        entry_changed_ |= !entry_set_[callee] || next != entry_[callee];
        entry_[callee] = std::move(next);
        entry_set_[callee] = true;
    }

    void transfer(uint32_t f, uint32_t pc, Facts& facts) {
        auto const& in = p_.functions[f].code[pc];
        if (uint64_t lock = released_by(in); lock != UINT64_MAX) forget_locks(facts, {lock});
        for (uint32_t g : callees(f, pc)) {
            // Facts follow direct calls only: an indirect call's targets are an
            // over-approximation, and an entry set must hold at every real call.
            enter(g, facts, in.c, in.op != Op::Call);
            if (in.op != Op::Spawn) forget_locks(facts, may_release_[g]);
        }
        if (in.op == Op::Move) {
            forget_register(facts, in.a);
            Facts copies;
            for (uint64_t k : facts)
                if (reg_of(k) == in.b) copies.push_back(OwnLocks::key(in.a, 0, 0) | lock_of(k));
            for (uint64_t k : copies) add(facts, k);
        } else if (bc::writes_register(in.op) && in.a != bc::kNoReg) {
            forget_register(facts, in.a);
        }
        if (in.op == Op::Zero) forget_registers(facts, in.a, in.b);
        if (in.op == Op::JumpIfZero || in.op == Op::JumpIfNonZero) forget_registers(facts, in.c, in.d);
        if (in.op == Op::LockField) add(facts, OwnLocks::key(in.b, in.aux, in.d));
    }

    void analyse(uint32_t f, std::vector<Facts>& before) {
        auto const& code = p_.functions[f].code;
        before.assign(code.size(), Facts{});
        std::vector<bool> seen(code.size(), false);
        std::vector<uint32_t> work;
        auto flow = [&](size_t to, Facts const& facts) {
            if (to >= code.size()) return;
            Facts next = seen[to] ? intersection(before[to], facts) : facts;
            if (seen[to] && next == before[to]) return;
            seen[to] = true;
            before[to] = std::move(next);
            work.push_back(static_cast<uint32_t>(to));
        };
        flow(0, entry_[f]);  // never called and no thread: reached by nothing, facts stay empty
        while (!work.empty()) {
            uint32_t pc = work.back();
            work.pop_back();
            auto const& in = code[pc];
            if (in.op == Op::Return) continue;
            Facts facts = before[pc];
            transfer(f, pc, facts);
            if (in.op == Op::Jump) flow(in.b, facts);
            else if (in.op == Op::JumpIfZero || in.op == Op::JumpIfNonZero) flow(in.b, facts), flow(pc + 1, facts);
            else flow(pc + 1, facts);
        }
    }

    CallTargets targets_;
    bc::Program const& p_;
    std::vector<Facts> entry_, may_release_;
    std::vector<bool> entry_set_;
    bool entry_changed_ = false;  ///< this pass over a function set or shrank a callee's entry
    bool frozen_ = false;         ///< entry sets are final
};

// Which lock fields of its own object every access (or every store) of a field holds.
class OwnProtection {
public:
    OwnProtection(bc::Program const& p, HeldLocks const& held, OwnLocks const& own, std::vector<bool> const& freeable)
        : p_(p), held_(held), own_(own), freeable_(freeable), lock_index_(p.state_slots, UINT32_MAX) {
        for (uint32_t i = 0; i < p.locks.size(); ++i) lock_index_[p.locks[i].slot] = i;
    }

    std::vector<std::pair<uint32_t, uint32_t>> run() {
        for_each_access([&](uint32_t, uint32_t, uint32_t cls, bool store, Locks const& locks) {
            restrict(all_, cls, locks);
            if (store) restrict(stores_, cls, locks);
        });
        std::vector<std::pair<uint32_t, uint32_t>> out;
        for_each_access([&](uint32_t f, uint32_t pc, uint32_t cls, bool store, Locks const& locks) {
            auto const& by = store ? all_ : stores_;  // a load only needs the writers excluded
            auto it = by.find(cls);
            if (it == by.end()) return;
            for (uint32_t l : locks)
                if (std::binary_search(it->second.begin(), it->second.end(), l)) return out.push_back({f, pc});
        });
        return out;
    }

private:
    using Locks = std::vector<uint32_t>;  ///< lock field offsets, sorted

    static void restrict(std::unordered_map<uint32_t, Locks>& into, uint32_t cls, Locks const& locks) {
        auto [it, fresh] = into.try_emplace(cls, locks);
        if (fresh) return;
        Locks kept;
        std::set_intersection(it->second.begin(), it->second.end(), locks.begin(), locks.end(), std::back_inserter(kept));
        it->second = std::move(kept);
    }

    // Every load and store of a field of a struct that is never freed (through a register or
    // a named instance), with the lock fields of that same object held there. Class: struct << 16 | field.
    template <typename Visit>
    void for_each_access(Visit visit) const {
        for (uint32_t f = 0; f < p_.functions.size(); ++f) {
            auto const& code = p_.functions[f].code;
            for (uint32_t pc = 0; pc < code.size(); ++pc) {
                auto const& in = code[pc];
                bool store = in.op == Op::StoreField || in.op == Op::StoreGlobal;
                Locks locks;
                if (in.op == Op::LoadField || in.op == Op::StoreField) {
                    if (in.aux >= freeable_.size() || freeable_[in.aux]) continue;
                    for (uint64_t k : own_.before[f][pc])
                        if (reg_of(k) == in.b && (lock_of(k) >> 16) == in.aux) locks.push_back(k & 0xFFFF);
                    visit(f, pc, uint32_t{in.aux} << 16 | in.d, store, locks);
                } else if (in.op == Op::LoadGlobal || in.op == Op::StoreGlobal) {
                    size_t o = p_.object_of_slot(in.d);
                    if (o >= p_.objects.size() || in.d == p_.objects[o].lifecycle) continue;
                    auto const& obj = p_.objects[o];
                    if (freeable_[obj.struct_index]) continue;
                    auto const& kinds = p_.structs[obj.struct_index].field_kinds;
                    for (uint32_t field = 0; field < kinds.size(); ++field)
                        if (kinds[field].tag == bc::ValueKind::Tag::Lock && named_lock_held(f, pc, obj.base + field))
                            locks.push_back(field);
                    visit(f, pc, obj.struct_index << 16 | (in.d - obj.base), store, locks);
                }
            }
        }
    }

    bool named_lock_held(uint32_t f, uint32_t pc, uint32_t slot) const {
        uint32_t i = slot < lock_index_.size() ? lock_index_[slot] : UINT32_MAX;
        return i != UINT32_MAX && (held_.before[f][pc][i / 64] >> (i % 64) & 1) != 0;
    }

    bc::Program const& p_;
    HeldLocks const& held_;
    OwnLocks const& own_;
    std::vector<bool> const& freeable_;
    std::vector<uint32_t> lock_index_;
    std::unordered_map<uint32_t, Locks> all_, stores_;
};

}  // namespace

std::vector<std::pair<uint32_t, uint32_t>> own_lock_protected(SymbolTable const& symbols, bc::Program const& program,
                                                              HeldLocks const& held, std::vector<bool> const& freeable) {
    OwnLocks own = OwnLockAnalysis(symbols, program).run();
    return OwnProtection(program, held, own, freeable).run();
}

}  // namespace probecheck::model::detail
