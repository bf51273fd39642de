// What a thread may still touch, read off its stack against the static footprints
// (compile/footprints.cpp); the search's reduction asks this on every state, so no allocation.
#include "model/compiled_system.hpp"

namespace probecheck::model {

void CompiledSystem::mask_faults(uint64_t* writes) const {
    auto const& fp = program_.footprints;
    bool faults = (program_.faults.alloc || program_.faults.defer) && program_.faults.budget > 0;
    if (!faults && fp.fault_class != UINT32_MAX) writes[fp.fault_class / 64] &= ~(uint64_t{1} << (fp.fault_class % 64));
}

// Every frame of the stack: the innermost from its pending instruction, each caller from the
// call it rests on (which includes the rest of the callee and the caller's continuation).
void CompiledSystem::future_footprint(checker::ConstStateView s, uint32_t thread, uint64_t* reads,
                                      uint64_t* writes) const {
    auto const& fp = program_.footprints;
    uint32_t base = program_.threads[thread].base;
    uint32_t at = base + 1;
    for (uint32_t i = 0; i < s[base]; ++i) {
        uint32_t fn = s[at] >> 16, pc = s[at] & 0xffff;
        uint64_t const* bits = &fp.future[fn][pc * 2 * fp.words];
        for (uint32_t w = 0; w < fp.words; ++w) {
            reads[w] |= bits[w];
            writes[w] |= bits[fp.words + w];
        }
        at += 1 + program_.functions[fn].register_count;
    }
    mask_faults(writes);
}

bool CompiledSystem::next_footprint(checker::ConstStateView s, uint32_t thread, uint64_t* reads,
                                    uint64_t* writes) const {
    auto const& fp = program_.footprints;
    uint32_t base = program_.threads[thread].base;
    if (s[base] == 0) return false;
    uint32_t at = base + 1;
    for (uint32_t i = 1; i < s[base]; ++i) at += 1 + program_.functions[s[at] >> 16].register_count;
    uint32_t fn = s[at] >> 16, pc = s[at] & 0xffff;
    switch (program_.functions[fn].code[pc].op) {
        case bc::Op::LoadGlobal: case bc::Op::StoreGlobal: case bc::Op::LoadField: case bc::Op::StoreField:
        case bc::Op::Alloc: case bc::Op::Free: case bc::Op::Choose: case bc::Op::MayDefer:
        case bc::Op::LockGlobal: case bc::Op::LockField: case bc::Op::UnlockGlobal: case bc::Op::UnlockField:
        case bc::Op::TrylockGlobal: case bc::Op::TrylockField:
            break;
        default: return false;  // atomic blocks and awaits (several accesses), spawns
    }
    uint64_t const* bits = &fp.own[fn][pc * 2 * fp.words];
    bool visible = false;
    for (uint32_t w = 0; w < fp.words; ++w) {
        reads[w] = bits[w];
        writes[w] = bits[fp.words + w];
    }
    mask_faults(writes);
    for (uint32_t w = 0; w < fp.words; ++w) visible |= (writes[w] & fp.invariant_reads[w]) != 0;
    return !visible;
}

}  // namespace probecheck::model
