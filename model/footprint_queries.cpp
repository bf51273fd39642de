// What a thread may still touch, read off its stack against the static footprints
// (compile/footprints.cpp): symbolic accesses through parameters are resolved to the objects
// the frames hold. The search's reduction asks this on every state: no allocation.
#include "model/compiled_system.hpp"

#include <algorithm>

namespace probecheck::model {
namespace {

void set_bit(uint64_t* bits, uint32_t cls) { bits[cls / 64] |= uint64_t{1} << (cls % 64); }

}  // namespace

void CompiledSystem::mask_faults(uint64_t* writes) const {
    auto const& fp = program_.footprints;
    bool faults = (program_.faults.alloc || program_.faults.defer) && program_.faults.budget > 0;
    if (!faults && fp.fault_class != UINT32_MAX) writes[fp.fault_class / 64] &= ~(uint64_t{1} << (fp.fault_class % 64));
}

void CompiledSystem::mark_object_field(uint32_t ref, uint32_t field, bool write, uint64_t* reads,
                                       uint64_t* writes) const {
    if (ref == 0 || ref > program_.objects.size()) return;  // NULL: the step fails, touching nothing
    auto const& obj = program_.objects[ref - 1];
    set_bit(write ? writes : reads, obj.base + field);
    if (obj.lifecycle != UINT32_MAX) set_bit(reads, obj.lifecycle);
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
        for (uint32_t k = fp.first[fn][pc]; k < fp.first[fn][pc + 1]; ++k) {
            auto const& a = fp.future_symbolic[fn][k];
            mark_object_field(s[at + 1 + a.param], a.field, a.write, reads, writes);
        }
        at += 1 + program_.functions[fn].register_count;
    }
    mask_faults(writes);
}

// An atomic block or await explored alone: what its whole body may touch (compile/footprints.cpp).
// False when it has no such footprint (it spawns or chooses).
bool CompiledSystem::atomic_footprint(checker::ConstStateView s, uint32_t frame, uint32_t fn, uint32_t pc,
                                      uint64_t* reads, uint64_t* writes) const {
    auto const& fp = program_.footprints;
    auto const& blocks = fp.atomic_blocks[fn];
    auto it = std::lower_bound(blocks.begin(), blocks.end(), pc, [](auto const& b, uint32_t p) { return b.pc < p; });
    if (it == blocks.end() || it->pc != pc) return false;
    for (uint32_t w = 0; w < fp.words; ++w) {
        reads[w] |= it->bits[w];
        writes[w] |= it->bits[fp.words + w];
    }
    for (auto const& a : it->symbolic) mark_object_field(s[frame + 1 + a.param], a.field, a.write, reads, writes);
    return true;
}

// The pending instruction with its operands resolved: exactly the slots it touches.
bool CompiledSystem::next_footprint(checker::ConstStateView s, uint32_t thread, uint64_t* reads,
                                    uint64_t* writes) const {
    auto const& fp = program_.footprints;
    uint32_t base = program_.threads[thread].base;
    if (s[base] == 0) return false;
    uint32_t at = base + 1;
    for (uint32_t i = 1; i < s[base]; ++i) at += 1 + program_.functions[s[at] >> 16].register_count;
    uint32_t fn = s[at] >> 16, pc = s[at] & 0xffff;
    auto const& in = program_.functions[fn].code[pc];
    for (uint32_t w = 0; w < fp.words; ++w) reads[w] = writes[w] = 0;
    using bc::Op;
    switch (in.op) {
        case Op::LoadGlobal: set_bit(reads, in.d); break;
        case Op::InstanceLive: {
            uint32_t ref = s[at + 1 + in.b];
            if (ref != 0 && ref <= program_.objects.size() && program_.objects[ref - 1].lifecycle != UINT32_MAX)
                set_bit(reads, program_.objects[ref - 1].lifecycle);
            break;
        }
        case Op::StoreGlobal: case Op::LockGlobal: case Op::UnlockGlobal: case Op::TrylockGlobal:
            set_bit(writes, in.d);
            break;
        case Op::LoadField: case Op::StoreField: case Op::LockField: case Op::UnlockField: case Op::TrylockField:
            mark_object_field(s[at + 1 + in.b], in.d, in.op != Op::LoadField, reads, writes);
            break;
        case Op::Alloc:
            for (uint32_t w = 0; w < fp.words; ++w) writes[w] |= fp.pool_lifecycles[in.b][w];
            if (fp.fault_class != UINT32_MAX) set_bit(writes, fp.fault_class);
            break;
        case Op::Free: {
            uint32_t ref = s[at + 1 + in.b];
            if (ref != 0 && ref <= program_.objects.size() && program_.objects[ref - 1].lifecycle != UINT32_MAX)
                set_bit(writes, program_.objects[ref - 1].lifecycle);
            break;
        }
        case Op::MayDefer:
            if (fp.fault_class != UINT32_MAX) set_bit(writes, fp.fault_class);
            break;
        case Op::Choose: case Op::Warn: break;
        case Op::AtomicBegin:
            if (!atomic_footprint(s, at, fn, pc, reads, writes)) return false;
            break;
        // A step that starts at a fused access (after a split) touches nothing another
        // thread may touch before it: the access commutes with every other thread's steps.
        case Op::LoadGlobalFused: case Op::StoreGlobalFused: case Op::LoadFieldFused: case Op::StoreFieldFused:
        case Op::UnlockGlobalFused: case Op::UnlockFieldFused:
            break;
        default: return false;  // spawns: a new thread appears
    }
    mask_faults(writes);
    bool visible = false;
    for (uint32_t w = 0; w < fp.words; ++w) visible |= (writes[w] & fp.invariant_reads[w]) != 0;
    return !visible;
}

}  // namespace probecheck::model
