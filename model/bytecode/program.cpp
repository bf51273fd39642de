// Opcode tables and name lookups of the compiled Program.
#include "model/bytecode/program.hpp"

#include <algorithm>

namespace probecheck::model::bc {
namespace {

struct OpInfo {
    bool visible;
    char const* mnemonic;
};
constexpr OpInfo kOps[] = {
#define PROBECHECK_OPCODE(name, visible, mnemonic) {visible, mnemonic},
#include "model/bytecode/opcodes.def"
#undef PROBECHECK_OPCODE
};

}  // namespace

char const* mnemonic(Op op) { return kOps[static_cast<size_t>(op)].mnemonic; }

std::string const& Program::lock_name(uint32_t slot) const {
    static std::string const empty;
    auto it = std::find_if(locks.begin(), locks.end(), [&](NamedSlot const& l) { return l.slot == slot; });
    return it == locks.end() ? empty : it->name;
}

size_t Program::object_of_slot(uint32_t slot) const {
    for (size_t i = 0; i < objects.size(); ++i) {
        auto const& o = objects[i];
        auto fields = static_cast<uint32_t>(structs[o.struct_index].field_names.size());
        if ((slot >= o.base && slot < o.base + fields) || slot == o.lifecycle) return i;
    }
    return objects.size();
}

namespace {

ValueKind kind_of(Program const& p, uint32_t slot) {
    for (auto const& g : p.globals)
        if (g.slot == slot) return g.kind;
    size_t o = p.object_of_slot(slot);
    if (o == p.objects.size() || slot == p.objects[o].lifecycle) return {};
    return p.structs[p.objects[o].struct_index].field_kinds[slot - p.objects[o].base];
}

}  // namespace

std::string Program::slot_name(uint32_t slot) const {
    for (auto const& g : globals)
        if (g.slot == slot) return g.name;
    size_t o = object_of_slot(slot);
    if (o == objects.size()) return "slot " + std::to_string(slot);
    if (slot == objects[o].lifecycle) return objects[o].name;
    return objects[o].name + "." + structs[objects[o].struct_index].field_names[slot - objects[o].base];
}

std::string Program::format_value(uint32_t slot, uint32_t value) const {
    ValueKind k = kind_of(*this, slot);
    switch (k.tag) {
        case ValueKind::Tag::Bool: return value ? "true" : "false";
        case ValueKind::Tag::Ref: return value == 0 ? "NULL" : "&" + objects[value - 1].name;
        case ValueKind::Tag::Enum:
            return value < enums[k.enum_index].size() ? enums[k.enum_index][value] : std::to_string(value);
        case ValueKind::Tag::Lock:
            return value == 0 ? "free" : "held by thread '" + threads[value - 1].name + "'";
        case ValueKind::Tag::Func: return value == 0 ? "NULL" : functions[value - 1].name;
        case ValueKind::Tag::Int: break;
    }
    return std::to_string(static_cast<int32_t>(value));
}

void set_fusion(Program& program, bool on) {
    for (auto const& s : program.fusible) program.functions[s.function].code[s.pc].op = on ? s.fused : s.plain;
}

}  // namespace probecheck::model::bc
