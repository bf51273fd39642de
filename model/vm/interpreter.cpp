// Interpreter hot loop. See interpreter.hpp for the transition contract and bc::Program for
// the layout. Frame header = function << 16 | pc.
#include "model/vm/interpreter.hpp"

#include <fmt/format.h>

#include "properties/violation.hpp"

namespace probecheck::model::vm {
namespace {

using checker::Access;
using checker::StepStatus;
using properties::ViolationKind;

constexpr uint32_t header(uint32_t fn, uint32_t pc) { return fn << 16 | pc; }

class Executor {
public:
    Executor(bc::Program const& p, checker::StateView st, checker::Step step, Access& access,
             checker::ViolationInfo& violation)
        : p_(p), st_(st), thread_(step.thread), choice_(step.choice), base_(p.threads[step.thread].base),
          access_(access), violation_(violation) {}

    StepStatus run(RunMode mode);

private:
    uint32_t& reg(uint32_t r) { return st_[frame_ + 1 + r]; }
    uint32_t value_b(bc::Instr const& in) { return in.imm_b ? in.b : reg(in.b); }
    uint32_t value_c(bc::Instr const& in) { return in.imm_c ? in.c : reg(in.c); }
    void load_top_frame();
    void save_position() { st_[frame_] = header(fn_, pc_); }

    StepStatus fail(ViolationKind kind, std::string message);
    bool field_slot(bc::Instr const& in, char const* what, uint32_t& slot);
    bool local(bc::Instr const& in);    // false: violation
    StepStatus visible(bc::Instr const& in);
    StepStatus lock(uint32_t slot, bool spin);
    StepStatus trylock(uint32_t slot, uint32_t dst);
    bool assert_not_held(uint32_t slot);
    bool may_sleep(uint32_t mutex_slot);
    StepStatus unlock(uint32_t slot);
    bool assert_held(uint32_t slot);
    StepStatus alloc(bc::Instr const& in);
    StepStatus inject_fault(uint32_t dst, uint32_t value);
    StepStatus free_object(bc::Instr const& in);
    void call(bc::Instr const& in, uint32_t function);
    bool ret(bc::Instr const& in);  // false: thread finished
    bool arithmetic(bc::Instr const& in);

    bc::Program const& p_;
    checker::StateView st_;
    uint32_t thread_;
    uint32_t choice_;
    uint32_t base_;
    Access& access_;
    checker::ViolationInfo& violation_;
    uint32_t frame_ = 0;
    uint32_t fn_ = 0;
    uint32_t pc_ = 0;
};

void Executor::load_top_frame() {
    uint32_t n = st_[base_];
    uint32_t at = base_ + 1;
    for (uint32_t i = 1; i < n; ++i) at += 1 + p_.functions[st_[at] >> 16].register_count;
    frame_ = at;
    fn_ = st_[at] >> 16;
    pc_ = st_[at] & 0xffff;
}

StepStatus Executor::fail(ViolationKind kind, std::string message) {
    save_position();
    violation_.kind = static_cast<uint32_t>(kind);
    violation_.thread = thread_;
    violation_.message = std::move(message);
    violation_.site = header(fn_, pc_);
    return StepStatus::Violation;
}

StepStatus Executor::run(RunMode mode) {
    if (st_[base_] == 0) return StepStatus::Disabled;
    load_top_frame();
    bool visible_done = mode == RunMode::Prefix;
    for (uint32_t budget = kMaxLocalSteps; budget > 0; --budget) {
        bc::Instr const& in = p_.functions[fn_].code[pc_];
        if (bc::is_visible(in.op)) {
            if (visible_done) {
                save_position();
                return StepStatus::Ok;
            }
            StepStatus s = visible(in);
            if (s != StepStatus::Ok) return s;
            visible_done = true;
            continue;
        }
        if (in.op == bc::Op::Return) {
            if (!ret(in)) return StepStatus::Ok;  // thread finished
            continue;
        }
        if (!local(in)) return StepStatus::Violation;
    }
    return fail(ViolationKind::LocalLoop,
                fmt::format("thread ran {} local steps without a visible one: a loop in '{}' never "
                            "reads or writes shared state", kMaxLocalSteps, p_.functions[fn_].name));
}

bool Executor::arithmetic(bc::Instr const& in) {
    uint32_t ub = value_b(in), uc = value_c(in);
    auto b = static_cast<int32_t>(ub), c = static_cast<int32_t>(uc);
    uint32_t r = 0;
    switch (in.op) {
        case bc::Op::Add: r = ub + uc; break;
        case bc::Op::Sub: r = ub - uc; break;
        case bc::Op::Mul: r = ub * uc; break;
        case bc::Op::Div:
        case bc::Op::Mod:
            if (c == 0) {
                fail(ViolationKind::DivisionByZero, "division by zero");
                return false;
            }
            if (c == -1) r = in.op == bc::Op::Div ? 0u - ub : 0u;
            else r = static_cast<uint32_t>(in.op == bc::Op::Div ? b / c : b % c);
            break;
        case bc::Op::Eq: r = ub == uc; break;
        case bc::Op::Ne: r = ub != uc; break;
        case bc::Op::Lt: r = b < c; break;
        case bc::Op::Le: r = b <= c; break;
        case bc::Op::Gt: r = b > c; break;
        case bc::Op::Ge: r = b >= c; break;
        default: break;
    }
    reg(in.a) = r;
    ++pc_;
    return true;
}

bool Executor::local(bc::Instr const& in) {
    switch (in.op) {
        case bc::Op::Const: reg(in.a) = in.b; break;
        case bc::Op::Move: reg(in.a) = reg(in.b); break;
        case bc::Op::Not: reg(in.a) = reg(in.b) == 0; break;
        case bc::Op::Neg: reg(in.a) = 0u - reg(in.b); break;
        case bc::Op::ToBool: reg(in.a) = reg(in.b) != 0; break;
        case bc::Op::InstanceAt: reg(in.a) = p_.instances_of[in.b][reg(in.c)]; break;
        case bc::Op::Jump: pc_ = in.b; return true;
        case bc::Op::JumpIfZero:
        case bc::Op::JumpIfNonZero: {
            bool zero = reg(in.a) == 0;
            for (uint32_t i = 0; i < in.d; ++i) reg(in.c + i) = 0;
            pc_ = zero == (in.op == bc::Op::JumpIfZero) ? in.b : pc_ + 1;
            return true;
        }
        case bc::Op::Zero:
            for (uint32_t i = 0; i < in.b; ++i) reg(in.a + i) = 0;
            break;
        case bc::Op::Call: call(in, in.b); return true;
        case bc::Op::CallIndirect: {
            uint32_t target = reg(in.b);
            if (target == 0) {
                fail(ViolationKind::NullDeref,
                     fmt::format("NULL pointer dereference: call through NULL function reference '{}'", p_.messages[in.d]));
                return false;
            }
            call(in, target - 1);
            return true;
        }
        case bc::Op::Assert:
            if (reg(in.a) != 0) break;
            fail(ViolationKind::AssertionFailed,
                 p_.messages[in.b].empty() ? "assertion failed" : "assertion failed: " + p_.messages[in.b]);
            return false;
        case bc::Op::AssertHeldGlobal:
            if (!assert_held(in.d)) return false;
            break;
        case bc::Op::AssertHeldField: {
            uint32_t slot = 0;
            if (!field_slot(in, "lockdep_assert_held on", slot) || !assert_held(slot)) return false;
            break;
        }
        case bc::Op::AssertNotHeldGlobal:
            if (!assert_not_held(in.d)) return false;
            break;
        case bc::Op::AssertNotHeldField: {
            uint32_t slot = 0;
            if (!field_slot(in, "lockdep_assert_not_held on", slot) || !assert_not_held(slot)) return false;
            break;
        }
        case bc::Op::MightSleep:
            if (!may_sleep(UINT32_MAX)) return false;
            break;
        default: return arithmetic(in);
    }
    ++pc_;
    return true;
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

StepStatus Executor::visible(bc::Instr const& in) {
    uint32_t slot = in.d;
    switch (in.op) {
        case bc::Op::LoadGlobal:
            access_ = {Access::Kind::Read, slot};
            reg(in.a) = st_[slot];
            break;
        case bc::Op::StoreGlobal:
            access_ = {Access::Kind::Write, slot};
            st_[slot] = value_c(in);
            break;
        case bc::Op::LoadField:
            if (!field_slot(in, "read of", slot)) return StepStatus::Violation;
            access_ = {Access::Kind::Read, slot};
            reg(in.a) = st_[slot];
            break;
        case bc::Op::StoreField:
            if (!field_slot(in, "write of", slot)) return StepStatus::Violation;
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
        case bc::Op::Alloc:
            if (choice_ == 1) return inject_fault(in.a, 0);  // kzalloc() returns NULL
            return alloc(in);
        case bc::Op::MayDefer:
            if (choice_ == 1) return inject_fault(in.a, 1);
            reg(in.a) = 0;
            break;
        case bc::Op::Choose:
            access_ = {Access::Kind::Choice, 0, choice_};
            reg(in.a) = choice_;
            break;
        case bc::Op::Free: return free_object(in);
        default: break;
    }
    ++pc_;
    return StepStatus::Ok;
}

// Never blocks: takes the lock if it is free. Trylock of a lock the thread holds fails
// (returns 0) as mutex_trylock does; it is not a self deadlock.
StepStatus Executor::trylock(uint32_t slot, uint32_t dst) {
    access_ = {Access::Kind::Lock, slot};
    bool free = st_[slot] == 0;
    if (free) st_[slot] = thread_ + 1;
    reg(dst) = free;
    ++pc_;
    return StepStatus::Ok;
}

StepStatus Executor::lock(uint32_t slot, bool spin) {
    if (!spin && !may_sleep(slot)) return StepStatus::Violation;
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
                fmt::format("kzalloc(struct {}): all {} pool objects are in use or freed; enlarge "
                            "'pool struct {}[N]'", p_.structs[in.b].name, pool.count, p_.structs[in.b].name));
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
                    fmt::format("kfree of '{}', a named instance that kzalloc did not return", obj.name));
    if (st_[obj.lifecycle] == bc::kSlotFreed)
        return fail(ViolationKind::DoubleFree, fmt::format("double free of '{}'", obj.name));
    access_ = {Access::Kind::Free, obj.lifecycle};
    st_[obj.lifecycle] = bc::kSlotFreed;
    auto fields = static_cast<uint32_t>(p_.structs[obj.struct_index].field_names.size());
    for (uint32_t f = 0; f < fields; ++f) st_[obj.base + f] = 0;
    ++pc_;
    return StepStatus::Ok;
}

void Executor::call(bc::Instr const& in, uint32_t function) {
    save_position();  // the caller rests on its Call until the callee returns
    bc::Function const& callee = p_.functions[function];
    uint32_t next = frame_ + 1 + p_.functions[fn_].register_count;
    for (uint32_t i = 0; i < callee.param_count; ++i) st_[next + 1 + i] = reg(in.c + i);
    frame_ = next;
    fn_ = function;
    pc_ = 0;
    ++st_[base_];
}

bool Executor::ret(bc::Instr const& in) {
    uint32_t value = in.a == bc::kNoReg ? 0 : reg(in.a);
    uint32_t size = 1 + p_.functions[fn_].register_count;
    for (uint32_t i = 0; i < size; ++i) st_[frame_ + i] = 0;
    if (--st_[base_] == 0) return false;
    load_top_frame();
    bc::Instr const& call_site = p_.functions[fn_].code[pc_];
    if (call_site.a != bc::kNoReg) reg(call_site.a) = value;
    ++pc_;
    return true;
}

}  // namespace

checker::StepStatus run_thread(bc::Program const& program, checker::StateView state, checker::Step step,
                               RunMode mode, checker::Access& access, checker::ViolationInfo& violation) {
    return Executor(program, state, step, access, violation).run(mode);
}

uint32_t choice_count(bc::Program const& p, checker::ConstStateView st, uint32_t thread) {
    uint32_t base = p.threads[thread].base;
    if (st[base] == 0) return 1;
    uint32_t at = base + 1;  // innermost frame: walk the frame chain
    for (uint32_t i = 1; i < st[base]; ++i) at += 1 + p.functions[st[at] >> 16].register_count;
    bc::Instr const& in = p.functions[st[at] >> 16].code[st[at] & 0xffff];
    bool budget_left = p.fault_slot != UINT32_MAX && st[p.fault_slot] < p.faults.budget;
    switch (in.op) {
        case bc::Op::Choose: return in.b;
        case bc::Op::Alloc: return p.faults.alloc && budget_left ? 2 : 1;
        case bc::Op::MayDefer: return p.faults.defer && budget_left ? 2 : 1;
        default: return 1;
    }
}

std::vector<Position> frames(bc::Program const& p, checker::ConstStateView st, uint32_t thread) {
    std::vector<Position> out;
    uint32_t base = p.threads[thread].base;
    uint32_t at = base + 1;
    for (uint32_t i = 0; i < st[base]; ++i) {
        Position pos{st[at] >> 16, st[at] & 0xffff, at};
        out.push_back(pos);
        at += 1 + p.functions[pos.function].register_count;
    }
    return out;
}

uint32_t pending_lock(bc::Program const& p, checker::ConstStateView st, uint32_t thread) {
    auto fr = frames(p, st, thread);
    if (fr.empty()) return UINT32_MAX;
    bc::Instr const& in = p.functions[fr.back().function].code[fr.back().pc];
    if (in.op == bc::Op::LockGlobal) return in.d;
    if (in.op != bc::Op::LockField) return UINT32_MAX;
    uint32_t ref = st[fr.back().frame + 1 + in.b];
    if (ref == 0) return UINT32_MAX;
    return p.objects[ref - 1].base + in.d;
}

}  // namespace probecheck::model::vm
