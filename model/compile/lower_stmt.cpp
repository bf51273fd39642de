// Statement lowering and the compile() entry point. Canonical states: temporaries are zeroed
// at the end of every statement (conditional jumps zero their condition's temporaries), and a
// block's locals are zeroed when control leaves it.
#include <algorithm>

#include <fmt/format.h>

#include "model/compile/lower.hpp"
#include "model/sema/sema.hpp"

namespace probecheck::model {
namespace detail {

bc::Function FunctionLowering::run() {
    temp_base_ = static_cast<uint32_t>(fn_.local_types.size());
    next_local_ = static_cast<uint32_t>(fn_.params.size());
    lower_stmt(*fn_.body);
    emit({bc::Op::Return, false, false, bc::kNoReg, 0, 0, 0, fn_.body->loc});
    bc::Function out;
    out.name = fn_.name;
    out.loc = fn_.loc;
    out.param_count = static_cast<uint32_t>(fn_.params.size());
    out.register_count = temp_base_ + temp_max_;
    out.code = std::move(code_);
    return out;
}

void FunctionLowering::end_statement() {
    if (stmt_high_ > 0) emit({bc::Op::Zero, false, false, temp_base_, stmt_high_, 0, 0, {}});
    temp_top_ = stmt_high_ = 0;
}

void FunctionLowering::lower_stmt(ast::Stmt const& s) {
    switch (s.kind) {
        case ast::StmtKind::Block: return lower_block(s);
        case ast::StmtKind::VarDecl: return lower_var_decl(s);
        case ast::StmtKind::Assign: return lower_assign(s);
        case ast::StmtKind::Return: return lower_return(s);
        case ast::StmtKind::If: return lower_if(s);
        case ast::StmtKind::While: return lower_while(s);
        case ast::StmtKind::Break:
        case ast::StmtKind::Continue: return lower_loop_exit(s);
        case ast::StmtKind::Choose: return lower_choose(s);
        case ast::StmtKind::ForEach: return lower_for_each(s);
        case ast::StmtKind::Atomic:
            emit({bc::Op::AtomicBegin, false, false, 0, 0, 0, UINT32_MAX, s.loc});
            lower_stmt(*s.body[0]);
            emit({bc::Op::AtomicEnd, false, false, 0, 0, 0, 0, s.loc});
            return;
        case ast::StmtKind::Await: return lower_await(s);
        case ast::StmtKind::Spawn: return lower_spawn(s);
        case ast::StmtKind::Expr:
            lower_expr(*s.expr);
            return end_statement();
    }
}

void FunctionLowering::lower_block(ast::Stmt const& s) {
    uint32_t first_local = next_local_;
    for (auto const& c : s.body) lower_stmt(*c);
    if (next_local_ > first_local)
        emit({bc::Op::Zero, false, false, first_local, next_local_ - first_local, 0, 0, {}});
}

void FunctionLowering::lower_var_decl(ast::Stmt const& s) {
    next_local_ = std::max(next_local_, s.local_index + 1);
    if (s.expr) move_into(s.local_index, lower_expr(*s.expr), s.loc);
    end_statement();
}

void FunctionLowering::lower_if(ast::Stmt const& s) {
    Operand cond = lower_expr(*s.expr);
    uint32_t reg = to_reg(cond, s.expr->loc);
    size_t to_else = emit({bc::Op::JumpIfZero, false, false, reg, 0, temp_base_, stmt_high_, s.loc});
    temp_top_ = stmt_high_ = 0;
    lower_stmt(*s.body[0]);
    if (s.body.size() == 1) {
        code_[to_else].b = here();
        return;
    }
    size_t to_end = emit({bc::Op::Jump, false, false, 0, 0, 0, 0, s.loc});
    code_[to_else].b = here();
    lower_stmt(*s.body[1]);
    code_[to_end].b = here();
}

void FunctionLowering::lower_while(ast::Stmt const& s) {
    loops_.push_back({{}, {}, here(), next_local_, true});
    Operand cond = lower_expr(*s.expr);
    uint32_t reg = to_reg(cond, s.expr->loc);
    size_t to_end = emit({bc::Op::JumpIfZero, false, false, reg, 0, temp_base_, stmt_high_, s.loc});
    temp_top_ = stmt_high_ = 0;
    lower_stmt(*s.body[0]);
    emit({bc::Op::Jump, false, false, 0, loops_.back().top, 0, 0, s.loc});
    code_[to_end].b = here();
    for (size_t b : loops_.back().breaks) code_[b].b = here();
    loops_.pop_back();
}

// Pool objects and @freeable instances: a for each tests each one's lifecycle as it goes.
bool FunctionLowering::has_objects_with_lifecycle(uint32_t struct_index) const {
    return std::any_of(program_.objects.begin(), program_.objects.end(), [&](bc::ObjectLayout const& o) {
        return o.lifecycle != UINT32_MAX && o.struct_index == struct_index;
    });
}

// for each d in S where cond { body }: a hidden position local walks the instances of S in
// declaration order; `continue` goes to the step, and both locals are zeroed at the end.
void FunctionLowering::lower_for_each(ast::Stmt const& s) {
    uint32_t pos = s.counter_index, var = s.local_index;
    next_local_ = std::max(next_local_, var + 1);
    auto count = static_cast<uint32_t>(program_.instances_of[s.struct_index].size());
    loops_.push_back({{}, {}, here(), next_local_, false});
    uint32_t in_range = new_temp();
    emit({bc::Op::Lt, false, true, in_range, pos, count, 0, s.loc});
    size_t to_end = emit({bc::Op::JumpIfZero, false, false, in_range, 0, temp_base_, stmt_high_, s.loc});
    temp_top_ = stmt_high_ = 0;
    emit({bc::Op::InstanceAt, false, false, var, s.struct_index, pos, 0, s.loc});
    size_t to_step = SIZE_MAX, freed_to_step = SIZE_MAX;
    if (has_objects_with_lifecycle(s.struct_index)) {
        uint32_t live = new_temp();
        emit({bc::Op::InstanceLive, false, false, live, var, 0, 0, s.loc, static_cast<uint16_t>(s.struct_index)});
        freed_to_step = emit({bc::Op::JumpIfZero, false, false, live, 0, temp_base_, stmt_high_, s.loc});
        temp_top_ = stmt_high_ = 0;
    }
    if (s.expr) {
        uint32_t cond = to_reg(lower_expr(*s.expr), s.expr->loc);
        to_step = emit({bc::Op::JumpIfZero, false, false, cond, 0, temp_base_, stmt_high_, s.loc});
        temp_top_ = stmt_high_ = 0;
    }
    lower_stmt(*s.body[0]);
    uint32_t step = here();
    emit({bc::Op::Add, false, true, pos, pos, 1, 0, s.loc});
    emit({bc::Op::Jump, false, false, 0, loops_.back().top, bc::kBoundedLoopBack, 0, s.loc});
    uint32_t end = here();
    emit({bc::Op::Zero, false, false, pos, 2, 0, 0, s.loc});  // position and variable are adjacent
    code_[to_end].b = end;
    if (to_step != SIZE_MAX) code_[to_step].b = step;
    if (freed_to_step != SIZE_MAX) code_[freed_to_step].b = step;
    for (size_t c : loops_.back().continues) code_[c].b = step;
    for (size_t b : loops_.back().breaks) code_[b].b = end;
    loops_.pop_back();
}

// await(cond): the condition is evaluated atomically at the start of a step; when it is false
// the step does not exist (Block), so the thread is disabled until another thread changes it.
void FunctionLowering::lower_await(ast::Stmt const& s) {
    auto message = static_cast<uint32_t>(program_.messages.size());
    program_.messages.push_back(describe_expr(*s.expr));
    emit({bc::Op::AtomicBegin, false, false, 0, 1, 0, message, s.loc});
    uint32_t cond = to_reg(lower_expr(*s.expr), s.expr->loc);
    size_t to_ok = emit({bc::Op::JumpIfNonZero, false, false, cond, 0, temp_base_, stmt_high_, s.loc});
    emit({bc::Op::Block, false, false, 0, 0, 0, 0, s.loc});
    code_[to_ok].b = here();
    emit({bc::Op::AtomicEnd, false, false, 0, 0, 0, 0, s.loc});
    temp_top_ = stmt_high_ = 0;
}

void FunctionLowering::lower_spawn(ast::Stmt const& s) {
    ast::Expr const& call = *s.expr;
    uint32_t arg_base = lower_arguments(call, 0);
    emit({bc::Op::Spawn, false, false, 0, call.symbol_index, arg_base, 0, s.loc});
    end_statement();
}

// choose {A} or {B} or {C}: one visible Choose step picks the alternative; comparisons
// dispatch to it. The choice register is zeroed when an alternative starts.
void FunctionLowering::lower_choose(ast::Stmt const& s) {
    uint32_t choice = new_temp();
    uint32_t test = new_temp();
    auto n = static_cast<uint32_t>(s.body.size());
    emit({bc::Op::Choose, false, false, choice, n, 0, 0, s.loc});
    uint32_t used = stmt_high_;
    std::vector<size_t> to_end;
    for (uint32_t i = 0; i < n; ++i) {
        size_t skip = SIZE_MAX;
        if (i + 1 < n) {
            emit({bc::Op::Eq, false, true, test, choice, i, 0, s.loc});
            skip = emit({bc::Op::JumpIfZero, false, false, test, 0, 0, 0, s.loc});
        }
        emit({bc::Op::Zero, false, false, temp_base_, used, 0, 0, s.loc});
        temp_top_ = stmt_high_ = 0;
        lower_stmt(*s.body[i]);
        to_end.push_back(emit({bc::Op::Jump, false, false, 0, 0, 0, 0, s.loc}));
        if (skip != SIZE_MAX) code_[skip].b = here();
    }
    for (size_t j : to_end) code_[j].b = here();
    temp_top_ = stmt_high_ = 0;
}

void FunctionLowering::lower_loop_exit(ast::Stmt const& s) {
    Loop& loop = loops_.back();
    if (next_local_ > loop.first_local)
        emit({bc::Op::Zero, false, false, loop.first_local, next_local_ - loop.first_local, 0, 0, s.loc});
    size_t j = emit({bc::Op::Jump, false, false, 0, loop.top, 0, 0, s.loc});
    if (s.kind == ast::StmtKind::Break) loop.breaks.push_back(j);
    else if (!loop.continue_to_top) loop.continues.push_back(j);
}

void FunctionLowering::lower_assign(ast::Stmt const& s) {
    ast::Expr const& target = *s.target;
    // Left to right: the target's base pointer is read before the value is computed.
    uint32_t base_reg = 0;
    if (target.kind == ast::ExprKind::Member && target.arrow)
        base_reg = to_reg(lower_expr(*target.args[0]), target.loc);
    Operand value = lower_expr(*s.expr);
    if (s.op != "=") {
        Operand current = target.kind == ast::ExprKind::Member && target.arrow
                              ? Operand{false, new_temp()}
                              : lower_expr(target);
        if (target.kind == ast::ExprKind::Member && target.arrow)
            emit({bc::Op::LoadField, false, false, current.value, base_reg, 0, target.symbol_index, target.loc,
                  struct_of(target)});
        uint32_t t = new_temp();
        emit({s.op == "+=" ? bc::Op::Add : bc::Op::Sub, current.imm, value.imm, t, current.value, value.value, 0, s.loc});
        value = {false, t};
    }
    if (target.kind == ast::ExprKind::Name && target.symbol == ast::SymbolKind::Local) {
        move_into(target.symbol_index, value, s.loc);
    } else if (target.kind == ast::ExprKind::Name) {
        emit({bc::Op::StoreGlobal, false, value.imm, 0, 0, value.value,
              program_.globals[target.symbol_index].slot, s.loc});
    } else if (!target.arrow) {
        emit({bc::Op::StoreGlobal, false, value.imm, 0, 0, value.value, instance_field_slot(target), s.loc});
    } else {
        emit({bc::Op::StoreField, false, value.imm, 0, base_reg, value.value, target.symbol_index, s.loc,
              struct_of(target)});
    }
    end_statement();
}

void FunctionLowering::lower_return(ast::Stmt const& s) {
    uint32_t reg = s.expr ? to_reg(lower_expr(*s.expr), s.loc) : bc::kNoReg;
    emit({bc::Op::Return, false, false, reg, 0, 0, 0, s.loc});
    temp_top_ = stmt_high_ = 0;
}

void FunctionLowering::lower_lock_op(ast::Expr const& arg, bc::Op global_op, bc::Op field_op, SourceLoc loc,
                                     uint32_t dst) {
    ast::Expr const& target = arg.kind == ast::ExprKind::AddrOf ? *arg.args[0] : arg;
    uint32_t spin = target.type.kind == TypeKind::Spinlock ? 1 : 0;
    if (target.kind == ast::ExprKind::Name) {
        emit({global_op, false, false, dst, 0, spin, program_.globals[target.symbol_index].slot, loc});
    } else if (!target.arrow) {
        emit({global_op, false, false, dst, 0, spin, instance_field_slot(target), loc});
    } else {
        uint32_t base = to_reg(lower_expr(*target.args[0]), loc);
        emit({field_op, false, false, dst, base, spin, target.symbol_index, loc, struct_of(target)});
    }
}

void FunctionLowering::lower_builtin(ast::Expr const& call) {
    switch (call.builtin) {
        case ast::Builtin::Lock:
            return lower_lock_op(*call.args[0], bc::Op::LockGlobal, bc::Op::LockField, call.loc);
        case ast::Builtin::Unlock:
            return lower_lock_op(*call.args[0], bc::Op::UnlockGlobal, bc::Op::UnlockField, call.loc);
        case ast::Builtin::LockdepAssertHeld:
            return lower_lock_op(*call.args[0], bc::Op::AssertHeldGlobal, bc::Op::AssertHeldField, call.loc);
        case ast::Builtin::LockdepAssertNotHeld:
            return lower_lock_op(*call.args[0], bc::Op::AssertNotHeldGlobal, bc::Op::AssertNotHeldField, call.loc);
        case ast::Builtin::MightSleep:
            emit({bc::Op::MightSleep, false, false, 0, 0, 0, 0, call.loc});
            return;
        case ast::Builtin::Trylock:
        case ast::Builtin::WarnOn:
        case ast::Builtin::MayDefer: return;  // have a value: lowered by lower_call
        case ast::Builtin::DevWarn: {
            uint32_t object = to_reg(lower_expr(*call.args[0]), call.loc);
            auto msg = static_cast<uint32_t>(program_.messages.size());
            program_.messages.push_back(call.args[1]->text);
            emit({bc::Op::Warn, false, false, bc::kNoReg, msg, object, 0, call.loc});
            return;
        }
        case ast::Builtin::Assert: {
            uint32_t reg = to_reg(lower_expr(*call.args[0]), call.loc);
            uint32_t object = call.args.size() > 2 ? to_reg(lower_expr(*call.args[2]), call.loc) : bc::kNoReg;
            auto msg = static_cast<uint32_t>(program_.messages.size());
            program_.messages.push_back(call.args.size() > 1 ? call.args[1]->text : std::string());
            emit({bc::Op::Assert, false, false, reg, msg, object, 0, call.loc});
            return;
        }
        case ast::Builtin::Kfree: {
            uint32_t reg = to_reg(lower_expr(*call.args[0]), call.loc);
            auto const& arg_type = call.args[0]->type;  // the pool it frees into, for reduction
            uint16_t pool = arg_type.kind == TypeKind::Ptr ? static_cast<uint16_t>(arg_type.id) : UINT16_MAX;
            emit({bc::Op::Free, false, false, 0, reg, 0, 0, call.loc, pool});
            return;
        }
        case ast::Builtin::None: return;
    }
}

// A library driver no scenario binds: its accesses must not count as another thread's in
// the reduction's and the fusion's analyses, and running it would be a front-end bug.
bc::Function unreachable_stub(ast::FuncDecl const& fn) {
    bc::Function out;
    out.name = fn.name;
    out.loc = fn.loc;
    out.param_count = static_cast<uint32_t>(fn.params.size());
    out.register_count = std::max<uint32_t>(out.param_count, 1);
    out.code.push_back({bc::Op::Unreachable, false, false, 0, 0, 0, 0, fn.loc});
    out.code.push_back({bc::Op::Return, false, false, bc::kNoReg, 0, 0, 0, fn.loc});
    return out;
}

}  // namespace detail

std::optional<bc::Program> compile(ast::Module const& module, SymbolTable const& symbols,
                                   DiagnosticEngine& diags) {
    constexpr uint32_t kMaxSlots = 1u << 20;
    constexpr size_t kMaxCode = 1u << 16;
    bc::Program program;
    detail::lay_out_data(symbols, program);
    program.expects = symbols.expects;
    for (auto const& p : symbols.properties) program.checks.push_back({p.name, p.is_final, p.function, p.kind});
    for (size_t i = 0; i < module.functions.size(); ++i) {
        auto const& fn = module.functions[i];
        bool reachable = i >= symbols.function_reachable.size() || symbols.function_reachable[i];
        program.functions.push_back(reachable ? detail::FunctionLowering(fn, symbols, program).run()
                                              : detail::unreachable_stub(fn));
        if (i < symbols.kernel_refs.size()) {
            auto const& k = symbols.kernel_refs[i];
            auto& out = program.functions.back();
            out.kernel_file = k.file, out.kernel_symbol = k.symbol, out.kernel_version = k.version;
        }
        program.functions.back().patched_by = fn.patched_by;
        if (program.functions.back().code.size() >= kMaxCode)
            diags.report(DiagKind::FunctionTooLarge, fn.loc,
                         {fn.name, std::to_string(program.functions.back().code.size()), std::to_string(kMaxCode)},
                         static_cast<uint32_t>(fn.name.size()));
    }
    detail::lay_out_threads(symbols, program);
    detail::find_fusible_steps(symbols, program);
    detail::compute_footprints(symbols, program);
    if (program.state_slots > kMaxSlots)
        diags.report(DiagKind::StateTooLarge, {module.main_file, 0},
                     {std::to_string(program.state_slots), std::to_string(kMaxSlots)});
    if (diags.has_errors()) return std::nullopt;
    bc::set_fusion(program, true);
    return program;
}

}  // namespace probecheck::model
