// State layout: globals first, then objects (instances in declaration order, then pool
// objects struct by struct), then one fixed region per thread. See bc::Program's design note.
#include <algorithm>

#include "model/compile/lower.hpp"
#include "model/sema/call_chains.hpp"

namespace probecheck::model::detail {
namespace {

bc::ValueKind value_kind(Type t) {
    using Tag = bc::ValueKind::Tag;
    switch (t.kind) {
        case TypeKind::Bool: return {Tag::Bool, 0};
        case TypeKind::Enum: return {Tag::Enum, t.id};
        case TypeKind::Ptr: return {Tag::Ref, 0};
        case TypeKind::Mutex:
        case TypeKind::Spinlock: return {Tag::Lock, 0};
        case TypeKind::Func: return {Tag::Func, 0};
        default: return {Tag::Int, 0};
    }
}

// A pool object starts free; a @freeable named instance starts live, as if allocated.
// lockdep's class of a lock field: the declaration's ("device.lock"), a shared key, or, for a
// novalidate class, the object's own ("gpu.lock").
std::string field_lock_class(SymbolTable const& symbols, std::string const& object, uint32_t struct_index, size_t f) {
    FieldInfo const& field = symbols.structs[struct_index].fields[f];
    if (field.lockdep.novalidate) return object + "." + field.name;
    if (!field.lockdep.key.empty()) return field.lockdep.key;
    return symbols.structs[struct_index].name + "." + field.name;
}

void add_object(bc::Program& p, SymbolTable const& symbols, std::string name, uint32_t struct_index,
                bool pooled, bool freeable, std::vector<int64_t> const* init) {
    bc::ObjectLayout o{std::move(name), struct_index, 0, UINT32_MAX, !pooled};
    if (pooled || freeable) {
        o.lifecycle = static_cast<uint32_t>(p.initial.size());
        p.initial.push_back(pooled ? bc::kSlotFree : bc::kSlotLive);
    }
    o.base = static_cast<uint32_t>(p.initial.size());
    auto const& fields = symbols.structs[struct_index].fields;
    for (size_t f = 0; f < fields.size(); ++f) {
        if (fields[f].type.is_lock())
            p.locks.push_back({o.name + "." + fields[f].name, o.base + static_cast<uint32_t>(f),
                               {bc::ValueKind::Tag::Lock, 0}, field_lock_class(symbols, o.name, struct_index, f)});
        if (fields[f].type.kind == TypeKind::Spinlock) p.spinlocks.push_back(o.base + static_cast<uint32_t>(f));
        p.initial.push_back(init ? static_cast<uint32_t>((*init)[f]) : 0);
    }
    p.objects.push_back(std::move(o));
}

// Per data slot, the lock word its @guarded_by names (or kRacyByDesign); empty without guards.
void build_guard_map(bc::Program& prog) {
    bool any = false;
    for (auto const& s : prog.structs)
        for (size_t f = 0; f < s.field_names.size(); ++f)
            any |= s.guard_sibling[f] != UINT32_MAX || s.guard_global_slot[f] != UINT32_MAX;
    if (!any) return;
    prog.guard_of_slot.assign(prog.initial.size(), UINT32_MAX);
    for (auto const& o : prog.objects) {
        auto const& s = prog.structs[o.struct_index];
        for (uint32_t f = 0; f < s.field_names.size(); ++f)
            prog.guard_of_slot[o.base + f] =
                s.guard_sibling[f] != UINT32_MAX ? o.base + s.guard_sibling[f] : s.guard_global_slot[f];
    }
}

}  // namespace

void lay_out_data(SymbolTable const& symbols, bc::Program& p) {
    for (auto const& e : symbols.enums) p.enums.push_back(e.enumerators);
    for (auto const& s : symbols.structs) {
        bc::StructLayout sl{s.name, {}, {}, {}, {}};
        for (auto const& f : s.fields) {
            sl.field_names.push_back(f.name);
            sl.field_kinds.push_back(value_kind(f.type));
            bool sibling = f.guard.kind == GuardInfo::Kind::SiblingField;
            sl.guard_sibling.push_back(sibling ? f.guard.index : UINT32_MAX);
            sl.guard_global_slot.push_back(UINT32_MAX);
        }
        p.structs.push_back(std::move(sl));
    }
    for (auto const& g : symbols.globals) {
        auto slot = static_cast<uint32_t>(p.initial.size());
        p.globals.push_back({g.name, slot, value_kind(g.type), {}});
        if (g.type.is_lock())
            p.locks.push_back({g.name, slot, value_kind(g.type), g.lockdep.key.empty() ? g.name : g.lockdep.key});
        if (g.type.kind == TypeKind::Spinlock) p.spinlocks.push_back(slot);
        p.initial.push_back(static_cast<uint32_t>(g.init));
    }
    for (size_t s = 0; s < symbols.structs.size(); ++s)
        for (size_t f = 0; f < symbols.structs[s].fields.size(); ++f)
            if (auto g = symbols.structs[s].fields[f].guard; g.kind == GuardInfo::Kind::Global)
                p.structs[s].guard_global_slot[f] = p.globals[g.index].slot;
    for (size_t s = 0; s < symbols.structs.size(); ++s)
        for (size_t f = 0; f < symbols.structs[s].fields.size(); ++f)
            if (symbols.structs[s].fields[f].guard.kind == GuardInfo::Kind::Racy)
                p.structs[s].guard_global_slot[f] = bc::kRacyByDesign;
    p.instances_of.assign(symbols.structs.size(), {});
    for (auto const& inst : symbols.instances) {
        p.instances_of[inst.struct_index].push_back(static_cast<uint32_t>(p.objects.size()) + 1);
        add_object(p, symbols, inst.name, inst.struct_index, false, inst.freeable, &inst.field_init);
    }
    p.pools.assign(symbols.structs.size(), {});
    for (uint32_t s = 0; s < symbols.structs.size(); ++s) {
        uint32_t n = symbols.structs[s].pool_size;
        p.pools[s] = {s, static_cast<uint32_t>(p.objects.size()), n, {}};
        for (uint32_t i = 0; i < n; ++i) {
            p.instances_of[s].push_back(static_cast<uint32_t>(p.objects.size()) + 1);  // for each: live ones
            add_object(p, symbols, symbols.structs[s].name + "#" + std::to_string(i), s, true, false, nullptr);
        }
    }
    build_guard_map(p);  // after pool objects, which carry guards too
    p.lock_class_of_slot.assign(p.initial.size(), UINT32_MAX);
    for (auto const& l : p.locks) {
        auto it = std::find(p.lock_classes.begin(), p.lock_classes.end(), l.lock_class);
        if (it == p.lock_classes.end()) it = p.lock_classes.insert(p.lock_classes.end(), l.lock_class);
        p.lock_class_of_slot[l.slot] = static_cast<uint32_t>(it - p.lock_classes.begin());
    }
}

void lay_out_threads(SymbolTable const& symbols, bc::Program& p) {
    // A frame is its header plus registers; a thread reserves its heaviest chain, recursion
    // included up to max_recursion occurrences of a function (deeper is a run-time model error).
    std::vector<uint64_t> frame_sizes(p.functions.size());
    for (uint32_t f = 0; f < p.functions.size(); ++f) frame_sizes[f] = 1 + p.functions[f].register_count;
    p.max_recursion = symbols.max_recursion;
    auto chains = longest_chains(symbols.callees, frame_sizes, symbols.max_recursion);
    for (uint32_t f = 0; f < p.functions.size(); ++f) p.functions[f].stack_need = static_cast<uint32_t>(chains.weight[f]);
    auto next = static_cast<uint32_t>(p.initial.size());  // threads follow the data
    for (auto const& t : symbols.threads) {
        bc::ThreadLayout tl{t.name, t.function, next, p.functions[t.function].stack_need, t.args, t.loc};
        next += 1 + tl.region;
        p.threads.push_back(std::move(tl));
    }
    // Work-item slots (kernel worker threads) for `spawn`: `pool thread[N]`, else one per site.
    p.first_work_item = static_cast<uint32_t>(p.threads.size());
    uint32_t region = 0;
    for (uint32_t f : symbols.spawn_targets) region = std::max(region, p.functions[f].stack_need);
    uint32_t slots = symbols.spawn_targets.empty() ? 0
                     : symbols.thread_pool ? symbols.thread_pool
                                           : static_cast<uint32_t>(symbols.spawn_targets.size());
    for (uint32_t i = 0; i < slots; ++i) {
        p.threads.push_back({"kworker/" + std::to_string(i), UINT32_MAX, next, region, {}, {}});
        next += 1 + region;
    }
    for (auto const& f : p.functions) {
        for (auto const& in : f.code) {
            p.has_fault_points |= in.op == bc::Op::Alloc || in.op == bc::Op::MayDefer;
            p.has_choose |= in.op == bc::Op::Choose;
        }
    }
    if (p.has_fault_points) {
        p.fault_slot = next++;
        p.globals.push_back({"<faults injected>", p.fault_slot, {}, {}});
    }
    p.state_slots = next;
    for (auto const& c : p.checks) p.eval_region = std::max(p.eval_region, 1 + p.functions[c.function].stack_need);
}

}  // namespace probecheck::model::detail
