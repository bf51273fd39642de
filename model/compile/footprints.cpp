// Static footprints for partial-order reduction (checker/search/reduction.*): which access
// classes each instruction touches, and what a thread may still touch from any instruction on.
// Over-approximations only: a pointer may point at any object of its struct, an indirect call
// may reach any callee of the function, a spawn runs its work with the spawner's future.
#include <algorithm>

#include "model/compile/lower.hpp"

namespace probecheck::model::detail {
namespace {

using Bits = std::vector<uint64_t>;

class FootprintBuilder {
public:
    FootprintBuilder(SymbolTable const& symbols, bc::Program& p) : symbols_(symbols), p_(p) {}

    void run() {
        assign_classes();
        auto& fp = p_.footprints;
        fp.words = (classes_ + 63) / 64;
        fp.fault_class = fault_class_;
        fp.own.resize(p_.functions.size());
        for (uint32_t f = 0; f < p_.functions.size(); ++f) {
            auto const& code = p_.functions[f].code;
            fp.own[f].assign(code.size() * 2 * fp.words, 0);
            for (uint32_t pc = 0; pc < code.size(); ++pc) own_classes(code[pc], &fp.own[f][pc * 2 * fp.words]);
        }
        summarise();
        for (uint32_t f = 0; f < p_.functions.size(); ++f) futures(f);
        fp.invariant_reads.assign(fp.words, 0);
        for (auto const& c : p_.checks) {
            if (c.is_final) continue;
            for (uint32_t w = 0; w < fp.words; ++w)
                fp.invariant_reads[w] |= summary_[c.function][w] | summary_[c.function][fp.words + w];
        }
    }

private:
    void assign_classes() {
        field_base_.resize(p_.structs.size());
        for (uint32_t s = 0; s < p_.structs.size(); ++s) {
            field_base_[s] = classes_;
            classes_ += static_cast<uint32_t>(p_.structs[s].field_names.size());
        }
        pool_base_ = classes_;
        classes_ += static_cast<uint32_t>(p_.structs.size());
        slot_class_.assign(p_.initial.size(), UINT32_MAX);
        for (auto const& o : p_.objects) {
            for (uint32_t f = 0; f < p_.structs[o.struct_index].field_names.size(); ++f)
                slot_class_[o.base + f] = field_base_[o.struct_index] + f;
            if (o.lifecycle != UINT32_MAX) slot_class_[o.lifecycle] = pool_base_ + o.struct_index;
        }
        for (uint32_t slot = 0; slot < slot_class_.size(); ++slot)
            if (slot_class_[slot] == UINT32_MAX) slot_class_[slot] = classes_++;  // a plain global
        if (p_.fault_slot != UINT32_MAX) fault_class_ = classes_++;  // the counter lives after the threads
        spawn_class_ = classes_++;
    }

    bool pooled(uint32_t s) const { return s < p_.pools.size() && p_.pools[s].count > 0; }

    void mark(uint64_t* bits, uint32_t cls, bool write) const {
        if (cls == UINT32_MAX) return;
        bits[(write ? p_.footprints.words : 0) + cls / 64] |= uint64_t{1} << (cls % 64);
    }

    void field_access(bc::Instr const& in, uint64_t* bits, bool write) const {
        mark(bits, field_base_[in.aux] + in.d, write);
        if (pooled(in.aux)) mark(bits, pool_base_ + in.aux, false);  // the use-after-free check reads it
    }

    void own_classes(bc::Instr const& in, uint64_t* bits) const {
        using bc::Op;
        switch (in.op) {
            case Op::LoadGlobal: mark(bits, slot_class_[in.d], false); break;
            case Op::StoreGlobal: case Op::LockGlobal: case Op::UnlockGlobal: case Op::TrylockGlobal:
                mark(bits, slot_class_[in.d], true);
                break;
            case Op::LoadField: field_access(in, bits, false); break;
            case Op::StoreField: case Op::LockField: case Op::UnlockField: case Op::TrylockField:
                field_access(in, bits, true);
                break;
            case Op::Alloc:
                mark(bits, pool_base_ + in.b, true);
                mark(bits, fault_class_, true);
                break;
            case Op::MayDefer: mark(bits, fault_class_, true); break;
            case Op::Free:
                if (in.aux != UINT16_MAX && pooled(in.aux)) {
                    mark(bits, pool_base_ + in.aux, true);
                } else {
                    for (uint32_t s = 0; s < p_.structs.size(); ++s) mark(bits, pool_base_ + s, true);
                }
                break;
            case Op::Spawn: mark(bits, spawn_class_, true); break;
            default: break;
        }
    }

    // Whole-function summaries, callees and spawned work included; a fixpoint because the
    // call graph may be recursive (bounded recursion).
    void summarise() {
        uint32_t words2 = 2 * p_.footprints.words;
        summary_.assign(p_.functions.size(), Bits(words2, 0));
        for (bool changed = true; changed;) {
            changed = false;
            for (uint32_t f = 0; f < p_.functions.size(); ++f) {
                Bits next = summary_[f];
                auto const& own = p_.footprints.own[f];
                for (size_t i = 0; i < own.size(); ++i) next[i % words2] |= own[i];
                for (uint32_t g : reached_functions(f)) or_into(next, summary_[g]);
                if (next != summary_[f]) {
                    summary_[f] = std::move(next);
                    changed = true;
                }
            }
        }
    }

    std::vector<uint32_t> reached_functions(uint32_t f) const {
        std::vector<uint32_t> out = f < symbols_.callees.size() ? symbols_.callees[f] : std::vector<uint32_t>{};
        for (auto const& in : p_.functions[f].code)
            if (in.op == bc::Op::Spawn || in.op == bc::Op::Call) out.push_back(in.b);
        return out;
    }

    static void or_into(Bits& into, Bits const& from) {
        for (size_t i = 0; i < into.size(); ++i) into[i] |= from[i];
    }

    // future[pc] = own[pc] | what pc calls | future of every successor, to a fixpoint (loops).
    void futures(uint32_t f) {
        auto const& code = p_.functions[f].code;
        uint32_t words2 = 2 * p_.footprints.words;
        auto& fut = p_.footprints.future.emplace_back(code.size() * words2, 0);
        bool blocks = std::any_of(code.begin(), code.end(), [](auto const& in) { return in.op == bc::Op::Block; });
        Bits indirect(words2, 0);
        for (uint32_t g : reached_functions(f)) or_into(indirect, summary_[g]);
        for (bool changed = true; changed;) {
            changed = false;
            for (size_t pc = code.size(); pc-- > 0;) {
                Bits next(words2, 0);
                for (uint32_t w = 0; w < words2; ++w) next[w] = p_.footprints.own[f][pc * words2 + w];
                auto const& in = code[pc];
                if (blocks) or_into(next, summary_[f]);  // an await retries from its start
                if (in.op == bc::Op::Call || in.op == bc::Op::Spawn) or_into(next, summary_[in.b]);
                if (in.op == bc::Op::CallIndirect) or_into(next, indirect);
                auto add = [&](size_t succ) {
                    if (succ < code.size())
                        for (uint32_t w = 0; w < words2; ++w) next[w] |= fut[succ * words2 + w];
                };
                if (in.op == bc::Op::Jump) add(in.b);
                else if (in.op == bc::Op::JumpIfZero || in.op == bc::Op::JumpIfNonZero) add(in.b), add(pc + 1);
                else if (in.op != bc::Op::Return) add(pc + 1);
                for (uint32_t w = 0; w < words2; ++w) {
                    if (fut[pc * words2 + w] == next[w]) continue;
                    fut[pc * words2 + w] = next[w];
                    changed = true;
                }
            }
        }
    }

    SymbolTable const& symbols_;
    bc::Program& p_;
    uint32_t classes_ = 0;
    uint32_t pool_base_ = 0;
    uint32_t fault_class_ = UINT32_MAX;
    uint32_t spawn_class_ = 0;
    std::vector<uint32_t> field_base_;
    std::vector<uint32_t> slot_class_;
    std::vector<Bits> summary_;
};

}  // namespace

void compute_footprints(SymbolTable const& symbols, bc::Program& program) {
    FootprintBuilder(symbols, program).run();
}

}  // namespace probecheck::model::detail
