// Indirect call targets per call site. Sema knows, per function, every function an indirect
// call in it could reach by signature; but an ops-table entry (`ops->probe_device`,
// `dev->bus->dma_configure`) is a field nothing writes after initialisation, so a call
// through a value just loaded from such a field can only reach the functions the field's
// initialisers name. The held-lock analysis and the futures use the narrower set: a call
// through `probe_device` no longer counts as possibly running `dma_configure`.
#include <algorithm>

#include "model/compile/lower.hpp"

namespace probecheck::model::detail {
namespace {

bool zeroes(bc::Instr const& in, uint32_t reg) {
    if (in.op == bc::Op::Zero) return reg >= in.a && reg < in.a + in.b;
    if (in.op == bc::Op::JumpIfZero || in.op == bc::Op::JumpIfNonZero) return reg >= in.c && reg < in.c + in.d;
    return false;
}

}  // namespace

std::vector<bool> written_slots(bc::Program const& p) {
    std::vector<bool> written(p.state_slots, false);
    auto mark = [&](uint32_t slot) {
        if (slot < written.size()) written[slot] = true;
    };
    for (auto const& fn : p.functions)
        for (auto const& in : fn.code) {
            bool global = in.op == bc::Op::StoreGlobal || in.op == bc::Op::LockGlobal || in.op == bc::Op::UnlockGlobal ||
                          in.op == bc::Op::TrylockGlobal;
            bool field = in.op == bc::Op::StoreField || in.op == bc::Op::LockField || in.op == bc::Op::UnlockField ||
                         in.op == bc::Op::TrylockField;
            if (global) mark(in.d);
            if (field)
                for (auto const& o : p.objects)
                    if (o.struct_index == in.aux) mark(o.base + in.d);
        }
    return written;
}

CallTargets::CallTargets(SymbolTable const& symbols, bc::Program const& p) : symbols_(symbols), p_(p) {
    auto written = written_slots(p);
    narrowed_.resize(p.functions.size());
    for (uint32_t f = 0; f < p.functions.size(); ++f) {
        auto const& code = p.functions[f].code;
        std::vector<bool> target(code.size() + 1, false);
        for (auto const& in : code)
            if ((in.op == bc::Op::Jump || in.op == bc::Op::JumpIfZero || in.op == bc::Op::JumpIfNonZero) &&
                in.b < target.size())
                target[in.b] = true;
        for (uint32_t pc = 0; pc < code.size(); ++pc)
            if (code[pc].op == bc::Op::CallIndirect) narrow(f, pc, target, written);
    }
}

// The definition of the callee register, found by walking back through straight-line code
// (no jump lands in between); a load of a slot nothing writes gives its initial values.
void CallTargets::narrow(uint32_t f, uint32_t pc, std::vector<bool> const& jump_target,
                         std::vector<bool> const& written) {
    auto const& code = p_.functions[f].code;
    uint32_t reg = code[pc].b;
    for (uint32_t k = pc; k-- > 0;) {
        auto const& in = code[k];
        if (zeroes(in, reg)) return;
        if (in.op == bc::Op::Move && in.a == reg) {  // a copy: follow it to its source
            reg = in.b;
            if (jump_target[k]) return;
            continue;
        }
        if (bc::writes_register(in.op) && in.a == reg) {
            std::vector<uint32_t> slots;
            if (in.op == bc::Op::LoadGlobal) slots.push_back(in.d);
            if (in.op == bc::Op::LoadField)
                for (uint32_t j = 0; j < p_.objects.size(); ++j)
                    if (p_.objects[j].struct_index == in.aux && reachable_object(j))
                        slots.push_back(p_.objects[j].base + in.d);
            if (slots.empty()) return;
            std::vector<uint32_t> out;
            for (uint32_t s : slots) {
                if (s >= written.size() || written[s]) return;
                uint32_t value = s < p_.initial.size() ? p_.initial[s] : 0;
                if (value != 0 && value <= p_.functions.size()) out.push_back(value - 1);
            }
            std::sort(out.begin(), out.end());
            out.erase(std::unique(out.begin(), out.end()), out.end());
            narrowed_[f].emplace_back(pc, std::move(out));
            return;
        }
        if (jump_target[k]) return;  // another path may define it differently
    }
}

// Objects are the named instances in declaration order, then the pools (layout.cpp): a
// named instance no pointer can reach is not the base of a load through a register.
bool CallTargets::reachable_object(uint32_t object) const {
    auto const& reachable = symbols_.instance_reachable;
    return object >= symbols_.instances.size() || (object < reachable.size() && reachable[object]);
}

std::vector<uint32_t> const& CallTargets::at(uint32_t f, uint32_t pc) const {
    for (auto const& [site, targets] : narrowed_[f])
        if (site == pc) return targets;
    static std::vector<uint32_t> const none;
    return f < symbols_.callees.size() ? symbols_.callees[f] : none;
}

}  // namespace probecheck::model::detail
