// Static footprints for partial-order reduction (checker/search/reduction.*): what a thread
// may still touch from any instruction on. Over-approximations only: a pointer loaded from
// memory may point at any object of its struct, an indirect call may reach any callee of the
// function, a spawn runs its work with the spawner's future. Accesses through a parameter
// the function never reassigns stay symbolic, so a thread probing `gpu` does not conflict
// with one probing `dsp` on fields reached through `dev`.
#include <algorithm>
#include <set>

#include "model/compile/lower.hpp"

namespace probecheck::model::detail {
namespace {

using Bits = std::vector<uint64_t>;
using Symbolic = std::set<bc::SymbolicAccess>;

struct Summary {
    Bits bits;
    Symbolic symbolic;
    bool operator==(Summary const&) const = default;
};

class FootprintBuilder {
public:
    FootprintBuilder(SymbolTable const& symbols, bc::Program& p) : targets_(symbols, p), p_(p) {}

    void run() {
        auto& fp = p_.footprints;
        uint32_t data = static_cast<uint32_t>(p_.initial.size());
        fp.fault_class = p_.fault_slot != UINT32_MAX ? data : UINT32_MAX;
        spawn_class_ = data + 1;
        fp.words = (data + 2 + 63) / 64;
        build_masks();
        mark_fusible();
        for (uint32_t f = 0; f < p_.functions.size(); ++f) param_tracking(f);
        summarise();
        fp.future.resize(p_.functions.size());
        fp.first.resize(p_.functions.size());
        fp.future_symbolic.resize(p_.functions.size());
        for (uint32_t f = 0; f < p_.functions.size(); ++f) futures(f);
        fp.atomic_blocks.resize(p_.functions.size());
        for (uint32_t f = 0; f < p_.functions.size(); ++f) atomic_blocks(f);
        fp.invariant_reads.assign(fp.words, 0);
        for (auto const& c : p_.checks) {
            if (c.is_final) continue;
            Bits all = coarse(summary_[c.function]);
            for (uint32_t w = 0; w < fp.words; ++w) fp.invariant_reads[w] |= all[w] | all[fp.words + w];
        }
    }

private:
    uint32_t words() const { return p_.footprints.words; }
    Bits empty() const { return Bits(2 * size_t{words()}, 0); }

    void mark(Bits& bits, uint32_t cls, bool write) const {
        if (cls == UINT32_MAX) return;
        bits[(write ? words() : 0) + cls / 64] |= uint64_t{1} << (cls % 64);
    }

    void build_masks() {
        field_masks_.resize(p_.structs.size());
        auto& lifecycles = p_.footprints.pool_lifecycles;
        lifecycles.assign(p_.structs.size(), Bits(words(), 0));
        for (uint32_t s = 0; s < p_.structs.size(); ++s)
            field_masks_[s].assign(p_.structs[s].field_names.size(), Bits(words(), 0));
        for (auto const& o : p_.objects) {
            for (uint32_t f = 0; f < field_masks_[o.struct_index].size(); ++f) {
                uint32_t slot = o.base + f;
                field_masks_[o.struct_index][f][slot / 64] |= uint64_t{1} << (slot % 64);
            }
            if (o.lifecycle != UINT32_MAX) lifecycles[o.struct_index][o.lifecycle / 64] |= uint64_t{1} << (o.lifecycle % 64);
        }
    }

    // Fusible accesses (fusible_steps.cpp) touch data no other thread writes or can reach:
    // they conflict with nothing, whether or not fusion is on, so no future includes them.
    void mark_fusible() {
        fusible_.resize(p_.functions.size());
        for (uint32_t f = 0; f < p_.functions.size(); ++f) fusible_[f].assign(p_.functions[f].code.size(), false);
        for (auto const& s : p_.fusible) fusible_[s.function][s.pc] = true;
    }

    // A field of any object of the struct, and for pooled structs any lifecycle (the
    // use-after-free check reads it).
    void mark_any(Bits& bits, uint32_t structure, uint32_t field, bool write) const {
        for (uint32_t w = 0; w < words(); ++w) {
            bits[(write ? words() : 0) + w] |= field_masks_[structure][field][w];
            bits[w] |= p_.footprints.pool_lifecycles[structure][w];
        }
    }

    Bits coarse(Summary const& s) const {
        Bits out = s.bits;
        for (auto const& a : s.symbolic) mark_any(out, a.structure, a.field, a.write);
        return out;
    }

    // Must-analysis: which parameter's value each register holds before each instruction
    // (-1: unknown). Parameters are the first registers; Moves copy, any other write kills.
    void param_tracking(uint32_t f) {
        auto const& fn = p_.functions[f];
        auto const& code = fn.code;
        std::vector<std::vector<int>> in(code.size());
        std::vector<bool> seen(code.size(), false);
        std::vector<int> entry(fn.register_count, -1);
        for (uint32_t q = 0; q < fn.param_count && q < entry.size(); ++q) entry[q] = static_cast<int>(q);
        std::vector<uint32_t> work;
        auto flow = [&](size_t to, std::vector<int> const& regs) {
            if (to >= code.size()) return;
            if (!seen[to]) {
                seen[to] = true;
                in[to] = regs;
                work.push_back(static_cast<uint32_t>(to));
                return;
            }
            bool changed = false;
            for (size_t r = 0; r < regs.size(); ++r)
                if (in[to][r] != regs[r] && in[to][r] != -1) in[to][r] = -1, changed = true;
            if (changed) work.push_back(static_cast<uint32_t>(to));
        };
        flow(0, entry);
        while (!work.empty()) {
            uint32_t pc = work.back();
            work.pop_back();
            auto regs = in[pc];
            auto const& i = code[pc];
            // A write to a parameter's own register also drops every copy of it: the run-time
            // lookup reads the parameter register.
            auto kill = [&](uint32_t from, uint32_t count) {
                for (uint32_t r = from; r < from + count && r < regs.size(); ++r) {
                    regs[r] = -1;
                    if (r < fn.param_count)
                        for (auto& x : regs)
                            if (x == static_cast<int>(r)) x = -1;
                }
            };
            if (i.op == bc::Op::Move && i.a < regs.size()) regs[i.a] = i.b < regs.size() ? regs[i.b] : -1;
            else if (bc::writes_register(i.op) && i.a != bc::kNoReg) kill(i.a, 1);
            if (i.op == bc::Op::Zero) kill(i.a, i.b);
            if (i.op == bc::Op::JumpIfZero || i.op == bc::Op::JumpIfNonZero) kill(i.c, i.d);
            if (i.op == bc::Op::Jump) flow(i.b, regs);
            else if (i.op == bc::Op::JumpIfZero || i.op == bc::Op::JumpIfNonZero) flow(i.b, regs), flow(pc + 1, regs);
            else if (i.op != bc::Op::Return) flow(pc + 1, regs);
        }
        param_in_.push_back(std::move(in));
    }

    int param_of(uint32_t f, uint32_t pc, uint32_t reg) const {
        auto const& regs = param_in_[f][pc];
        return reg < regs.size() ? regs[reg] : -1;
    }

    // What instruction pc of f touches itself (not its callees).
    void own(uint32_t f, uint32_t pc, Summary& out) const {
        using bc::Op;
        auto const& in = p_.functions[f].code[pc];
        if (fusible_[f][pc]) return;
        switch (in.op) {
            case Op::LoadGlobal: mark(out.bits, in.d, false); break;
            case Op::InstanceLive:
                for (uint32_t w = 0; w < words(); ++w) out.bits[w] |= p_.footprints.pool_lifecycles[in.aux][w];
                break;
            case Op::StoreGlobal: case Op::LockGlobal: case Op::UnlockGlobal: case Op::TrylockGlobal:
                mark(out.bits, in.d, true);
                break;
            case Op::LoadField: case Op::StoreField: case Op::LockField: case Op::UnlockField: case Op::TrylockField: {
                bool write = in.op != Op::LoadField;
                int q = param_of(f, pc, in.b);
                if (q >= 0) out.symbolic.insert({static_cast<uint16_t>(q), in.aux, in.d, write});
                else mark_any(out.bits, in.aux, in.d, write);
                break;
            }
            case Op::Alloc:
                for (uint32_t w = 0; w < words(); ++w) out.bits[words() + w] |= p_.footprints.pool_lifecycles[in.b][w];
                mark(out.bits, p_.footprints.fault_class, true);
                break;
            case Op::MayDefer: mark(out.bits, p_.footprints.fault_class, true); break;
            case Op::Free:
                for (uint32_t s = 0; s < p_.structs.size(); ++s) {
                    if (in.aux != UINT16_MAX && in.aux != s) continue;
                    for (uint32_t w = 0; w < words(); ++w) out.bits[words() + w] |= p_.footprints.pool_lifecycles[s][w];
                }
                break;
            case Op::Spawn: mark(out.bits, spawn_class_, true); break;
            default: break;
        }
    }

    // A callee's (or spawned function's) summary seen from the call site: its parameter
    // accesses become the caller's when the argument is one of the caller's parameters.
    void add_call(uint32_t f, uint32_t pc, Summary const& callee, bool direct, Summary& out) const {
        auto const& in = p_.functions[f].code[pc];
        for (uint32_t w = 0; w < out.bits.size(); ++w) out.bits[w] |= callee.bits[w];
        for (auto const& a : callee.symbolic) {
            int q = direct ? param_of(f, pc, in.c + a.param) : -1;
            if (q >= 0) out.symbolic.insert({static_cast<uint16_t>(q), a.structure, a.field, a.write});
            else mark_any(out.bits, a.structure, a.field, a.write);
        }
    }

    void calls_at(uint32_t f, uint32_t pc, Summary& out) const {
        auto const& in = p_.functions[f].code[pc];
        if (in.op == bc::Op::Call || in.op == bc::Op::Spawn) add_call(f, pc, summary_[in.b], true, out);
        if (in.op == bc::Op::CallIndirect)
            for (uint32_t g : targets_.at(f, pc)) add_call(f, pc, summary_[g], false, out);
    }

    // Whole-function summaries, to a fixpoint: the call graph may recurse (bounded).
    void summarise() {
        summary_.assign(p_.functions.size(), Summary{empty(), {}});
        for (bool changed = true; changed;) {
            changed = false;
            for (uint32_t f = 0; f < p_.functions.size(); ++f) {
                Summary next = summary_[f];
                for (uint32_t pc = 0; pc < p_.functions[f].code.size(); ++pc) {
                    own(f, pc, next);
                    calls_at(f, pc, next);
                }
                if (!(next == summary_[f])) {
                    summary_[f] = std::move(next);
                    changed = true;
                }
            }
        }
    }

    // future[pc] = own[pc] | what pc calls | future of every successor, to a fixpoint (loops).
    void futures(uint32_t f) {
        auto const& code = p_.functions[f].code;
        bool blocks = std::any_of(code.begin(), code.end(), [](auto const& in) { return in.op == bc::Op::Block; });
        std::vector<Summary> fut(code.size(), Summary{empty(), {}});
        for (bool changed = true; changed;) {
            changed = false;
            for (size_t pc = code.size(); pc-- > 0;) {
                Summary next{empty(), {}};
                own(f, static_cast<uint32_t>(pc), next);
                calls_at(f, static_cast<uint32_t>(pc), next);
                if (blocks) next = merge(next, summary_[f]);  // an await retries from its start
                auto const& in = code[pc];
                auto add = [&](size_t succ) {
                    if (succ < code.size()) next = merge(next, fut[succ]);
                };
                if (in.op == bc::Op::Jump) add(in.b);
                else if (in.op == bc::Op::JumpIfZero || in.op == bc::Op::JumpIfNonZero) add(in.b), add(pc + 1);
                else if (in.op != bc::Op::Return) add(pc + 1);
                if (!(next == fut[pc])) {
                    fut[pc] = std::move(next);
                    changed = true;
                }
            }
        }
        auto& fp = p_.footprints;
        for (auto const& s : fut) {
            fp.future[f].insert(fp.future[f].end(), s.bits.begin(), s.bits.end());
            fp.first[f].push_back(static_cast<uint32_t>(fp.future_symbolic[f].size()));
            fp.future_symbolic[f].insert(fp.future_symbolic[f].end(), s.symbolic.begin(), s.symbolic.end());
        }
        fp.first[f].push_back(static_cast<uint32_t>(fp.future_symbolic[f].size()));
    }

    // An atomic block is lowered contiguously, from its AtomicBegin to the matching
    // AtomicEnd; its step runs exactly the instructions in between (and what they call).
    void atomic_blocks(uint32_t f) {
        auto const& code = p_.functions[f].code;
        for (uint32_t pc = 0; pc < code.size(); ++pc) {
            if (code[pc].op != bc::Op::AtomicBegin) continue;
            Summary block{empty(), {}};
            bool reducible = true;
            uint32_t depth = 0;
            for (uint32_t k = pc; k < code.size(); ++k) {
                auto op = code[k].op;
                depth += op == bc::Op::AtomicBegin;
                if (op == bc::Op::AtomicEnd && --depth == 0) break;
                reducible &= op != bc::Op::Spawn && op != bc::Op::Choose && op != bc::Op::Return;
                own(f, k, block);
                calls_at(f, k, block);
            }
            uint32_t spawn = spawn_class_;
            reducible &= (block.bits[words() + spawn / 64] >> (spawn % 64) & 1) == 0;  // a callee spawns
            if (reducible) p_.footprints.atomic_blocks[f].push_back({pc, block.bits, {block.symbolic.begin(), block.symbolic.end()}});
        }
    }

    static Summary merge(Summary a, Summary const& b) {
        for (size_t w = 0; w < a.bits.size(); ++w) a.bits[w] |= b.bits[w];
        a.symbolic.insert(b.symbolic.begin(), b.symbolic.end());
        return a;
    }

    CallTargets targets_;
    bc::Program& p_;
    uint32_t spawn_class_ = 0;
    std::vector<std::vector<bool>> fusible_;          ///< per function, per pc
    std::vector<std::vector<Bits>> field_masks_;      ///< per struct, per field: its slot in every object
    std::vector<std::vector<std::vector<int>>> param_in_;  ///< per function, per pc, per register
    std::vector<Summary> summary_;
};

}  // namespace

void compute_footprints(SymbolTable const& symbols, bc::Program& program) {
    FootprintBuilder(symbols, program).run();
}

}  // namespace probecheck::model::detail
