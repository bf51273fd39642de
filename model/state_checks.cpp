#include "model/state_checks.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <array>

#include "model/vm/interpreter.hpp"
#include "properties/violation.hpp"

namespace probecheck::model {
namespace {

using checker::Access;
using properties::ViolationKind;

uint64_t mix(uint64_t h, uint64_t v) { return (h ^ v) * 0x100000001b3ull; }

char const* verb(Access::Kind k) { return k == Access::Kind::Write ? "writes" : "reads"; }

}  // namespace

void StateChecks::on_state(checker::TransitionSystem const&, checker::ConstStateView s, checker::StateKind kind,
                           std::vector<checker::ViolationInfo>& out) const {
    if (kind == checker::StateKind::Inner) {
        check_races(s, out);
        size_t from = out.size();
        if (!program_.checks.empty() && !invariants_.lookup(s, out)) {
            check_properties(s, false, out);
            invariants_.store(out, from);
        }
    }
    if (kind == checker::StateKind::Terminal) {
        check_leaks(s, out);
        if (!program_.checks.empty()) check_properties(s, true, out);
    }
}

std::vector<uint32_t> StateChecks::invariant_slots(bc::Program const& program) {
    std::vector<uint32_t> slots;
    auto const& bits = program.footprints.invariant_reads;
    for (uint32_t slot = 0; slot < program.state_slots && slot / 64 < bits.size(); ++slot)
        if (bits[slot / 64] >> (slot % 64) & 1) slots.push_back(slot);
    return slots;
}

// Each check is its synthetic bool function, run on a scratch copy of the state.
void StateChecks::check_properties(checker::ConstStateView s, bool final_state,
                                   std::vector<checker::ViolationInfo>& out) const {
    // One scratch buffer per thread: the parallel search evaluates on several workers at once.
    thread_local std::vector<uint32_t> scratch;
    scratch.resize(s.size() + program_.eval_region);
    for (uint32_t i = 0; i < program_.checks.size(); ++i) {
        auto const& c = program_.checks[i];
        if (c.is_final != final_state) continue;
        std::copy(s.begin(), s.end(), scratch.begin());
        std::fill(scratch.begin() + static_cast<std::ptrdiff_t>(s.size()), scratch.end(), 0u);
        checker::ViolationInfo fault;
        uint32_t holds = 0;
        auto status = vm::evaluate(program_, scratch, c.function, holds, fault);
        if (status == checker::StepStatus::Ok && holds) continue;
        checker::ViolationInfo& v = out.emplace_back();
        auto tagged = c.kind.empty() ? std::nullopt : properties::violation_from_id(c.kind);
        v.kind = static_cast<uint32_t>(tagged ? *tagged : final_state ? ViolationKind::Final : ViolationKind::Invariant);
        v.site = kPropertySite | i;
        char const* what = final_state ? "final check" : "invariant";
        bool asserted = fault.kind == static_cast<uint32_t>(ViolationKind::AssertionFailed);
        v.message = status == checker::StepStatus::Ok
                        ? fmt::format("{} '{}' does not hold", what, c.name)
                    : asserted ? fmt::format("{} '{}' does not hold: {}", what, c.name,
                                             fault.message.substr(std::string_view("assertion failed: ").size()))
                               : fmt::format("{} '{}' cannot be evaluated: {}", what, c.name, fault.message);
    }
}

// "struct.field" for object fields (one race report per field, whichever object), else the global.
std::string StateChecks::field_class(uint32_t slot) const {
    size_t o = program_.object_of_slot(slot);
    if (o == program_.objects.size()) return program_.slot_name(slot);
    auto const& obj = program_.objects[o];
    auto const& st = program_.structs[obj.struct_index];
    return st.name + "." + st.field_names[slot - obj.base];
}

// Two threads can each take a step now; if both touch the same unprotected slot and one
// writes, their order decides the outcome and no lock orders them: a data race.
void StateChecks::check_races(checker::ConstStateView s, std::vector<checker::ViolationInfo>& out) const {
    // Runs on every state: pending accesses are computed once per thread, on the stack.
    std::array<vm::PendingAccess, 2 * 64> pending;
    auto threads = static_cast<uint32_t>(std::min(program_.threads.size(), pending.size()));
    bool any = false;
    for (uint32_t t = 0; t < threads; ++t) {
        pending[t] = vm::pending_access(program_, s, t);
        any |= pending[t].kind == Access::Kind::Write;
    }
    if (!any) return;
    for (uint32_t a = 0; a < threads; ++a) {
        auto const& pa = pending[a];
        if (pa.kind == Access::Kind::None) continue;
        if (!program_.guard_of_slot.empty() && pa.slot < program_.guard_of_slot.size() &&
            program_.guard_of_slot[pa.slot] != UINT32_MAX)
            continue;  // @guarded_by fields are checked at each access; @racy ones not at all
        for (uint32_t b = a + 1; b < threads; ++b) {
            auto const& pb = pending[b];
            if (pb.kind == Access::Kind::None || pb.slot != pa.slot) continue;
            if (pa.kind != Access::Kind::Write && pb.kind != Access::Kind::Write) continue;
            auto const& fa = program_.functions[pa.position >> 16];
            auto const& fb = program_.functions[pb.position >> 16];
            checker::ViolationInfo& v = out.emplace_back();
            v.kind = static_cast<uint32_t>(ViolationKind::DataRace);
            v.thread = a;
            v.other_thread = b;
            v.message = fmt::format("data race on '{}': thread '{}' {} it in {}() while thread '{}' {} it in {}(), "
                                    "with no lock in common",
                                    program_.slot_name(pa.slot), program_.threads[a].name, verb(pa.kind), fa.name,
                                    program_.threads[b].name, verb(pb.kind), fb.name);
            // One report per field (struct.field or global): the first conflicting pair found
            // names both places; fixing the field's locking fixes the other pairs with it.
            v.site = std::hash<std::string>{}(field_class(pa.slot));
        }
    }
}

// At termination every live pool object must be reachable from a global or a named
// instance, through references; anything else can never be freed.
void StateChecks::check_leaks(checker::ConstStateView s, std::vector<checker::ViolationInfo>& out) const {
    std::vector<bool> reached(program_.objects.size(), false);
    std::vector<uint32_t> work;
    auto visit_ref = [&](uint32_t value) {
        if (value != 0 && !reached[value - 1]) {
            reached[value - 1] = true;
            work.push_back(value - 1);
        }
    };
    for (auto const& g : program_.globals)
        if (g.kind.tag == bc::ValueKind::Tag::Ref) visit_ref(s[g.slot]);
    for (uint32_t o = 0; o < program_.objects.size(); ++o)
        if (program_.objects[o].named && !reached[o]) visit_ref(o + 1);
    while (!work.empty()) {
        auto const& obj = program_.objects[work.back()];
        work.pop_back();
        auto const& kinds = program_.structs[obj.struct_index].field_kinds;
        for (uint32_t f = 0; f < kinds.size(); ++f)
            if (kinds[f].tag == bc::ValueKind::Tag::Ref) visit_ref(s[obj.base + f]);
    }
    std::string leaked;
    uint64_t site = 0;
    for (uint32_t o = 0; o < program_.objects.size(); ++o) {
        auto const& obj = program_.objects[o];
        if (obj.named || s[obj.lifecycle] != bc::kSlotLive || reached[o]) continue;  // pool objects only
        leaked += (leaked.empty() ? "'" : ", '") + obj.name + "'";
        site = mix(site, obj.struct_index + 1);
    }
    if (leaked.empty()) return;
    checker::ViolationInfo& v = out.emplace_back();
    v.kind = static_cast<uint32_t>(ViolationKind::Leak);
    v.message = fmt::format("memory leak: {} still allocated but unreachable from any global or instance "
                            "when every thread has finished", leaked);
    v.site = site;
}

}  // namespace probecheck::model
