// Interpreter hot loop. See interpreter.hpp for the transition contract and bc::Program for
// the layout. Frame header = function << 16 | pc.
#include "model/vm/interpreter.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "model/vm/executor.hpp"

namespace probecheck::model::vm {
namespace detail {


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
    failed_ = true;
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
    uint32_t fused_left = kMaxFusedPerStep;
    for (uint32_t budget = kMaxLocalSteps; budget > 0; --budget) {
        bc::Instr const& in = p_.functions[fn_].code[pc_];
        if (bc::is_fused(in.op)) {
            // Bounded, so a loop that only polls read-only data stays a cycle of steps
            // instead of becoming a local loop; a step may start at a fused access. The
            // initial prefix stops at one: a failure there would end the whole search.
            if (visible_done && atomic_depth_ == 0 && (mode != RunMode::Step || fused_left-- == 0)) {
                save_position();
                return StepStatus::Ok;
            }
            fused_tail_ |= visible_done && atomic_depth_ == 0;
            if (!fused_access(in)) return StepStatus::Violation;
            visible_done = true;
            continue;
        }
        if (bc::is_visible(in.op)) {
            if (visible_done && atomic_depth_ == 0) {
                save_position();
                return StepStatus::Ok;
            }
            // Inside an atomic block the step's footprint stays "atomic" (it touches several slots).
            Access first = access_;
            StepStatus s = visible(in);
            if (s != StepStatus::Ok) return s;
            if (visible_done) access_ = first;
            visible_done = true;
            choice_ = 0;  // only a step's first instruction chooses; none inside atomic blocks
            continue;
        }
        if (in.op == bc::Op::Return) {
            if (!ret(in)) return violation_.thread == thread_ && failed_ ? StepStatus::Violation : StepStatus::Ok;
            continue;
        }
        if (in.op == bc::Op::Block) return StepStatus::Disabled;  // await: condition false
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
        case bc::Op::Jump:
            back_edge_ |= in.b <= pc_ && in.c != bc::kBoundedLoopBack;
            pc_ = in.b;
            return true;
        case bc::Op::JumpIfZero:
        case bc::Op::JumpIfNonZero: {
            bool zero = reg(in.a) == 0;
            for (uint32_t i = 0; i < in.d; ++i) reg(in.c + i) = 0;
            uint32_t to = zero == (in.op == bc::Op::JumpIfZero) ? in.b : pc_ + 1;
            back_edge_ |= to <= pc_;  // the compiler emits none; a new loop form stays sound
            pc_ = to;
            return true;
        }
        case bc::Op::Zero:
            for (uint32_t i = 0; i < in.b; ++i) reg(in.a + i) = 0;
            break;
        case bc::Op::Call: return call(in, in.b);
        case bc::Op::AtomicEnd: --atomic_depth_; break;
        case bc::Op::CallIndirect: {
            uint32_t target = reg(in.b);
            if (target == 0) {
                fail(ViolationKind::NullDeref,
                     fmt::format("NULL pointer dereference: call through NULL function reference '{}'", p_.messages[in.d]));
                return false;
            }
            return call(in, target - 1);
        }
        case bc::Op::Unreachable:
            fail(ViolationKind::ModelError,
                 fmt::format("internal error: {}() runs, but the front end found no call that can reach it",
                             p_.functions[fn_].name));
            return false;
        case bc::Op::Assert: {
            if (reg(in.a) != 0) break;
            std::string message = p_.messages[in.b].empty() ? "assertion failed" : "assertion failed: " + p_.messages[in.b];
            if (in.c != bc::kNoReg) {  // the object the assertion is about
                uint32_t ref = reg(in.c);
                message += ref == 0 ? std::string(" (NULL)") : " ('" + p_.objects[ref - 1].name + "')";
            }
            fail(ViolationKind::AssertionFailed, std::move(message));
            return false;
        }
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












bool Executor::call(bc::Instr const& in, uint32_t function) {
    bc::Function const& callee = p_.functions[function];
    uint32_t next = frame_ + 1 + p_.functions[fn_].register_count;
    if (next + 1 + callee.register_count > stack_end_) {  // only recursion can get here
        fail(ViolationKind::ModelError,
             fmt::format("call to {}() recurses deeper than --max-recursion={} allows (a function at most "
                         "that many times in one call chain)", callee.name, p_.max_recursion));
        return false;
    }
    save_position();  // the caller rests on its Call until the callee returns
    for (uint32_t i = 0; i < callee.param_count; ++i) st_[next + 1 + i] = reg(in.c + i);
    frame_ = next;
    fn_ = function;
    pc_ = 0;
    ++st_[base_];
    return true;
}

bool Executor::ret(bc::Instr const& in) {
    if (st_[base_] == 1 && !evaluating_ && !check_no_locks_at_exit()) return false;
    uint32_t value = in.a == bc::kNoReg ? 0 : reg(in.a);
    if (st_[base_] == 1) result_ = value;
    uint32_t size = 1 + p_.functions[fn_].register_count;
    for (uint32_t i = 0; i < size; ++i) st_[frame_ + i] = 0;
    if (--st_[base_] == 0) return false;
    load_top_frame();
    bc::Instr const& call_site = p_.functions[fn_].code[pc_];
    if (call_site.a != bc::kNoReg) reg(call_site.a) = value;
    ++pc_;
    return true;
}

// A thread that ends holding a lock leaves it held forever (lockdep: "lock held when
// returning to user space"); checked before its last frame is popped, so the trace shows where.
bool Executor::check_no_locks_at_exit() {
    for (auto const& l : p_.locks) {
        if (st_[l.slot] != thread_ + 1) continue;
        fail(ViolationKind::LockHeldAtExit,
             fmt::format("thread '{}' ends with '{}' held", p_.threads[thread_].name, l.name));
        return false;
    }
    return true;
}

}  // namespace detail

using detail::Executor;

checker::StepStatus run_thread(bc::Program const& program, checker::StateView state, checker::Step step,
                               RunMode mode, checker::Access& access, checker::ViolationInfo& violation) {
    return Executor(program, state, step, access, violation).run(mode);
}

checker::StepStatus run_step(bc::Program const& program, checker::ConstStateView s, checker::StateView out,
                             checker::Step step, checker::Access& access, checker::ViolationInfo& violation) {
    std::copy(s.begin(), s.end(), out.begin());
    access = {};
    Executor e(program, out, step, access, violation);
    auto status = e.run(RunMode::Step);
    access.back_edge = e.took_back_edge();
    access.warned = e.warned() && status == checker::StepStatus::Ok;
    if (status != checker::StepStatus::Violation || !e.ran_fused_tail()) return status;
    std::copy(s.begin(), s.end(), out.begin());
    access = {};
    violation = {};
    return Executor(program, out, step, access, violation).run(RunMode::Split);
}

checker::StepStatus evaluate(bc::Program const& program, checker::StateView scratch, uint32_t function,
                             uint32_t& result, checker::ViolationInfo& violation) {
    checker::Access access;
    Executor e(program, scratch, function, access, violation);
    auto status = e.run(RunMode::Step);
    result = e.result();
    return status;
}

uint32_t choice_count(bc::Program const& p, checker::ConstStateView st, uint32_t thread) {
    uint32_t base = p.threads[thread].base;
    if (!p.may_choose() || st[base] == 0) return 1;
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

PendingAccess pending_access(bc::Program const& p, checker::ConstStateView st, uint32_t thread) {
    uint32_t base = p.threads[thread].base;
    if (st[base] == 0) return {checker::Access::Kind::None, 0, 0};
    uint32_t at = base + 1;
    for (uint32_t i = 1; i < st[base]; ++i) at += 1 + p.functions[st[at] >> 16].register_count;
    bc::Instr const& in = p.functions[st[at] >> 16].code[st[at] & 0xffff];
    using K = checker::Access::Kind;
    K kind = in.op == bc::Op::LoadGlobal || in.op == bc::Op::LoadField     ? K::Read
             : in.op == bc::Op::StoreGlobal || in.op == bc::Op::StoreField ? K::Write
                                                                           : K::None;
    if (kind == K::None) return {K::None, 0, 0};
    uint32_t slot = in.d;
    if (in.op == bc::Op::LoadField || in.op == bc::Op::StoreField) {
        uint32_t ref = st[at + 1 + in.b];
        if (ref == 0) return {K::None, 0, 0};
        auto const& obj = p.objects[ref - 1];
        if (obj.lifecycle != UINT32_MAX && st[obj.lifecycle] == bc::kSlotFreed) return {K::None, 0, 0};
        slot = obj.base + in.d;
    }
    return {kind, slot, st[at]};
}

std::string pending_atomic(bc::Program const& p, checker::ConstStateView st, uint32_t thread) {
    auto fr = frames(p, st, thread);
    if (fr.empty()) return {};
    bc::Instr const& in = p.functions[fr.back().function].code[fr.back().pc];
    if (in.op != bc::Op::AtomicBegin) return {};
    return in.b == 1 ? "await(" + p.messages[in.d] + ")" : std::string("an atomic block");
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
