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

bool is_visible(Op op) { return kOps[static_cast<size_t>(op)].visible; }
char const* mnemonic(Op op) { return kOps[static_cast<size_t>(op)].mnemonic; }

std::string const& Program::lock_name(uint32_t slot) const {
    static std::string const empty;
    auto it = std::find_if(locks.begin(), locks.end(), [&](NamedSlot const& l) { return l.slot == slot; });
    return it == locks.end() ? empty : it->name;
}

size_t Program::object_of_slot(uint32_t slot) const {
    for (size_t i = 0; i < objects.size(); ++i) {
        auto const& o = objects[i];
        uint32_t fields = static_cast<uint32_t>(structs[o.struct_index].field_names.size());
        if (slot >= o.base && slot < o.base + fields) return i;
    }
    return objects.size();
}

}  // namespace probecheck::model::bc
