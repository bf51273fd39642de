// Instructions that touch shared state: loads and stores through object references,
// locks, allocation and freeing, fault injection, spawning work items and atomic blocks.
// Each records the step's footprint in `access_` and reports violations through fail().
#include <fmt/format.h>

#include "model/vm/executor.hpp"

namespace probecheck::model::vm::detail {

StepStatus Executor::visible(bc::Instr const& in) {
    uint32_t slot = in.d;
    if (evaluating_ && in.op != bc::Op::LoadGlobal && in.op != bc::Op::LoadField && in.op != bc::Op::InstanceLive)
        return fail(ViolationKind::ModelError,
                    fmt::format("invariant and final checks may only read shared state, not '{}'", bc::mnemonic(in.op)));
    switch (in.op) {
        case bc::Op::InstanceLive: {  // a free or freed object is on no list a for each stands for
            bc::ObjectLayout const& obj = p_.objects[reg(in.b) - 1];
            reg(in.a) = obj.lifecycle == UINT32_MAX || st_[obj.lifecycle] == bc::kSlotLive;
            access_ = {Access::Kind::None, 0};
            break;
        }
        case bc::Op::LoadGlobal:
            if (!check_guard(slot, "read of")) return StepStatus::Violation;
            access_ = {Access::Kind::Read, slot};
            reg(in.a) = st_[slot];
            break;
        case bc::Op::StoreGlobal:
            if (!check_guard(slot, "write of")) return StepStatus::Violation;
            access_ = {Access::Kind::Write, slot};
            st_[slot] = value_c(in);
            break;
        case bc::Op::LoadField:
            if (!field_slot(in, "read of", slot) || !check_guard(slot, "read of")) return StepStatus::Violation;
            access_ = {Access::Kind::Read, slot};
            reg(in.a) = st_[slot];
            break;
        case bc::Op::StoreField:
            if (!field_slot(in, "write of", slot) || !check_guard(slot, "write of")) return StepStatus::Violation;
            access_ = {Access::Kind::Write, slot};
            st_[slot] = value_c(in);
            break;
        case bc::Op::LockGlobal: return lock(slot, in.c != 0);
        case bc::Op::UnlockGlobal: return unlock(slot);
        case bc::Op::LockField:
            if (!field_slot(in, "lock of", slot)) return StepStatus::Violation;
            return lock(slot, in.c != 0);
        case bc::Op::TrylockGlobal: return trylock(slot, in.a);
        case bc::Op::TrylockField:
            if (!field_slot(in, "trylock of", slot)) return StepStatus::Violation;
            return trylock(slot, in.a);
        case bc::Op::UnlockField:
            if (!field_slot(in, "unlock of", slot)) return StepStatus::Violation;
            return unlock(slot);
        case bc::Op::AtomicBegin:
            ++atomic_depth_;
            access_ = {Access::Kind::Atomic, 0, in.d};
            break;
        case bc::Op::Spawn: return spawn(in);
        case bc::Op::Alloc:
            if (choice_ == 1) return inject_fault(in.a, 0);  // kzalloc() returns NULL
            return alloc(in);
        case bc::Op::MayDefer:
            if (choice_ == 1) return inject_fault(in.a, 1);
            reg(in.a) = 0;
            break;
        case bc::Op::Choose:
            if (atomic_depth_ > 0)  // a callee of an atomic block chose: only one alternative would run
                return fail(ViolationKind::ModelError, "choose inside an atomic block (in a function it calls)");
            access_ = {Access::Kind::Choice, 0, choice_};
            reg(in.a) = choice_;
            break;
        case bc::Op::Free: return free_object(in);
        case bc::Op::Warn:
            if (in.a == bc::kNoReg || reg(in.a) != 0) warn(in);
            break;
        default: break;
    }
    ++pc_;
    return StepStatus::Ok;
}

// The same checks as the plain access, without a step of its own or an Access.
bool Executor::fused_access(bc::Instr const& in) {
    using bc::Op;
    uint32_t slot = in.d;
    bool field = in.op == Op::LoadFieldFused || in.op == Op::StoreFieldFused || in.op == Op::UnlockFieldFused;
    bool store = in.op == Op::StoreGlobalFused || in.op == Op::StoreFieldFused;
    bool release = in.op == Op::UnlockGlobalFused || in.op == Op::UnlockFieldFused;
    char const* what = release ? "unlock of" : store ? "write of" : "read of";
    if (field && !field_slot(in, what, slot)) return false;
    if (release) {
        Access step = access_;
        bool ok = unlock(slot) == StepStatus::Ok;  // advances pc_
        access_ = step;
        return ok;
    }
    if (!check_guard(slot, what)) return false;
    if (store) st_[slot] = value_c(in);
    else reg(in.a) = st_[slot];
    ++pc_;
    return true;
}

StepStatus Executor::lock(uint32_t slot, bool spin) {
    if (!spin && !p_.spinlocks.empty() && !may_sleep(slot)) return StepStatus::Violation;
    if (st_[slot] == thread_ + 1)
        return fail(ViolationKind::SelfDeadlock,
                    fmt::format("thread '{}' acquires '{}', which it already holds: self deadlock",
                                p_.threads[thread_].name, p_.lock_name(slot)));
    if (st_[slot] != 0) return StepStatus::Disabled;
    access_ = {Access::Kind::Lock, slot};
    st_[slot] = thread_ + 1;
    ++pc_;
    return StepStatus::Ok;
}

StepStatus Executor::unlock(uint32_t slot) {
    if (st_[slot] != thread_ + 1)
        return fail(ViolationKind::UnlockNotHeld,
                    fmt::format("thread '{}' releases '{}', which {}", p_.threads[thread_].name,
                                p_.lock_name(slot),
                                st_[slot] == 0 ? std::string("is not held")
                                               : "is held by thread '" + p_.threads[st_[slot] - 1].name + "'"));
    access_ = {Access::Kind::Unlock, slot};
    st_[slot] = 0;
    ++pc_;
    return StepStatus::Ok;
}

// Never blocks: takes the lock if it is free. Trylock of a lock the thread holds fails
// (returns 0) as mutex_trylock does; it is not a self deadlock.
StepStatus Executor::trylock(uint32_t slot, uint32_t dst) {
    access_ = {Access::Kind::Lock, slot, 1};  // value 1: a trylock, which adds no lock-order edge
    bool free = st_[slot] == 0;
    if (free) st_[slot] = thread_ + 1;
    reg(dst) = free;
    ++pc_;
    return StepStatus::Ok;
}

// Lowest free pool object: a canonical choice, so equal histories give equal states.
StepStatus Executor::alloc(bc::Instr const& in) {
    bc::PoolLayout const& pool = p_.pools[in.b];
    for (uint32_t i = 0; i < pool.count; ++i) {
        bc::ObjectLayout const& obj = p_.objects[pool.first_object + i];
        if (st_[obj.lifecycle] != bc::kSlotFree) continue;
        access_ = {Access::Kind::Alloc, obj.lifecycle};
        st_[obj.lifecycle] = bc::kSlotLive;
        reg(in.a) = pool.first_object + i + 1;
        ++pc_;
        return StepStatus::Ok;
    }
    return fail(ViolationKind::PoolExhausted,
                fmt::format("kzalloc(struct {0}): all {1} objects of 'pool struct {0}[{1}]' ({2}) are in use or "
                            "freed (freed objects are never reused); enlarge it from the scenario: "
                            "'override pool struct {0}[{3}];'",
                            p_.structs[in.b].name, pool.count, pool.declared_at, pool.count + 1));
}

// The fault variant of a fault point: its result register gets `value` and the budget shrinks.
StepStatus Executor::inject_fault(uint32_t dst, uint32_t value) {
    access_ = {Access::Kind::Fault, p_.fault_slot, value};
    ++st_[p_.fault_slot];
    reg(dst) = value;
    ++pc_;
    return StepStatus::Ok;
}

StepStatus Executor::free_object(bc::Instr const& in) {
    uint32_t ref = reg(in.b);
    if (ref == 0) {  // kfree(NULL) is a no-op, as in the kernel
        access_ = {Access::Kind::None, 0};
        ++pc_;
        return StepStatus::Ok;
    }
    bc::ObjectLayout const& obj = p_.objects[ref - 1];
    if (obj.lifecycle == UINT32_MAX)
        return fail(ViolationKind::InvalidFree,
                    fmt::format("kfree of '{}', a named instance that kzalloc did not return (declare it @freeable "
                                "if the code it stands for frees it)", obj.name));
    if (st_[obj.lifecycle] == bc::kSlotFreed)
        return fail(ViolationKind::DoubleFree, fmt::format("double free of '{}'", obj.name));
    access_ = {Access::Kind::Free, obj.lifecycle};
    st_[obj.lifecycle] = bc::kSlotFreed;
    auto fields = static_cast<uint32_t>(p_.structs[obj.struct_index].field_names.size());
    for (uint32_t f = 0; f < fields; ++f) st_[obj.base + f] = 0;
    ++pc_;
    return StepStatus::Ok;
}

bool Executor::assert_not_held(uint32_t slot) {
    if (st_[slot] != thread_ + 1) return true;
    fail(ViolationKind::LockdepAssertNotHeld,
         fmt::format("lockdep_assert_not_held('{}') failed: thread '{}' holds it", p_.lock_name(slot),
                     p_.threads[thread_].name));
    return false;
}

// Sleeping (taking mutex `mutex_slot`, or might_sleep() when it is UINT32_MAX) is a bug while
// any spinlock is held.
bool Executor::may_sleep(uint32_t mutex_slot) {
    for (uint32_t slot : p_.spinlocks) {
        if (st_[slot] != thread_ + 1) continue;
        std::string what = mutex_slot == UINT32_MAX ? "might_sleep()" : "mutex_lock('" + p_.lock_name(mutex_slot) + "')";
        fail(ViolationKind::SleepInAtomic,
             fmt::format("BUG: sleeping function called from invalid context: {} while holding spinlock '{}'", what,
                         p_.lock_name(slot)));
        return false;
    }
    return true;
}

bool Executor::assert_held(uint32_t slot) {
    if (st_[slot] == thread_ + 1) return true;
    fail(ViolationKind::LockdepAssertHeld,
         fmt::format("lockdep_assert_held('{}') failed: {}", p_.lock_name(slot),
                     st_[slot] == 0 ? std::string("the lock is free")
                                    : "the lock is held by thread '" + p_.threads[st_[slot] - 1].name + "'"));
    return false;
}

// Resolves field d of object r[b]; reports NULL dereference or use after free.
bool Executor::field_slot(bc::Instr const& in, char const* what, uint32_t& slot) {
    uint32_t ref = reg(in.b);
    auto const& st = p_.structs[in.aux];
    std::string const& field = st.field_names[in.d];
    if (ref == 0) {
        fail(ViolationKind::NullDeref,
             fmt::format("NULL pointer dereference: {} field '{}' through a NULL 'struct {} *'", what, field, st.name));
        return false;
    }
    bc::ObjectLayout const& obj = p_.objects[ref - 1];
    if (obj.lifecycle != UINT32_MAX && st_[obj.lifecycle] == bc::kSlotFreed) {
        fail(ViolationKind::UseAfterFree,
             fmt::format("use after free: {} field '{}' of '{}', which was freed", what, field, obj.name));
        return false;
    }
    slot = obj.base + in.d;
    return true;
}

// @guarded_by(L): the field's lock must be held by this thread at every access.
bool Executor::check_guard(uint32_t slot, char const* what) {
    if (evaluating_ || slot >= p_.guard_of_slot.size()) return true;
    uint32_t guard = p_.guard_of_slot[slot];
    if (guard >= bc::kRacyByDesign || st_[guard] == thread_ + 1) return true;
    fail(ViolationKind::GuardedBy, fmt::format("{} '{}' without '{}', which @guarded_by requires (thread '{}')", what,
                                               p_.slot_name(slot), p_.lock_name(guard), p_.threads[thread_].name));
    return false;
}

// Starts function b on the lowest free work-item slot; its local prefix runs now, so every
// thread rests before a visible instruction.
StepStatus Executor::spawn(bc::Instr const& in) {
    for (auto t = static_cast<uint32_t>(p_.first_work_item); t < p_.threads.size(); ++t) {
        uint32_t base = p_.threads[t].base;
        if (st_[base] != 0) continue;
        access_ = {Access::Kind::Spawn, base, t};
        st_[base] = 1;
        st_[base + 1] = header(in.b, 0);
        for (uint32_t i = 0; i < p_.functions[in.b].param_count; ++i) st_[base + 2 + i] = reg(in.c + i);
        ++pc_;
        save_position();
        Access ignored;
        return Executor(p_, st_, {t, 0}, ignored, violation_).run(RunMode::Prefix);
    }
    return fail(ViolationKind::PoolExhausted,
                fmt::format("spawn {}(): all {} work-item threads are busy; enlarge 'pool thread[N]'",
                            p_.functions[in.b].name, p_.threads.size() - p_.first_work_item));
}

// The kernel prints the warning and carries on: so does the step. The report is the first
// warning of the step, with the kernel's text ("dev: message" for dev_WARN).
void Executor::warn(bc::Instr const& in) {
    if (warned_ || evaluating_) return;
    warned_ = true;
    std::string message = p_.messages[in.b];
    if (in.c != bc::kNoReg) {
        uint32_t ref = reg(in.c);
        message = (ref == 0 ? std::string("(NULL device)") : p_.objects[ref - 1].name) + ": " + message;
    }
    violation_.kind = static_cast<uint32_t>(ViolationKind::Warn);
    violation_.thread = thread_;
    violation_.message = std::move(message);
    violation_.site = header(fn_, pc_);
}

}  // namespace probecheck::model::vm::detail
