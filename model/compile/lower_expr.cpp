// Expression lowering. Every shared read becomes its own visible instruction (LoadGlobal /
// LoadField) into a fresh temporary, so `x = x + 1` is two steps and a lost update is
// reachable; everything else is local register arithmetic fused into those steps.
#include "model/compile/lower.hpp"

#include "model/sema/sema.hpp"

namespace probecheck::model::detail {
namespace {

bc::Op binary_op(std::string const& op) {
    if (op == "+") return bc::Op::Add;
    if (op == "-") return bc::Op::Sub;
    if (op == "*") return bc::Op::Mul;
    if (op == "/") return bc::Op::Div;
    if (op == "%") return bc::Op::Mod;
    if (op == "==") return bc::Op::Eq;
    if (op == "!=") return bc::Op::Ne;
    if (op == "<") return bc::Op::Lt;
    if (op == "<=") return bc::Op::Le;
    if (op == ">") return bc::Op::Gt;
    return bc::Op::Ge;
}

}  // namespace

uint32_t FunctionLowering::new_temp() {
    uint32_t r = temp_base_ + temp_top_++;
    temp_max_ = std::max(temp_max_, temp_top_);
    stmt_high_ = std::max(stmt_high_, temp_top_);
    return r;
}

size_t FunctionLowering::emit(bc::Instr i) {
    code_.push_back(i);
    return code_.size() - 1;
}

uint32_t FunctionLowering::to_reg(Operand op, SourceLoc loc) {
    if (!op.imm) return op.value;
    uint32_t t = new_temp();
    emit({bc::Op::Const, false, false, t, op.value, 0, 0, loc});
    return t;
}

void FunctionLowering::move_into(uint32_t dst, Operand op, SourceLoc loc) {
    if (op.imm) emit({bc::Op::Const, false, false, dst, op.value, 0, 0, loc});
    else if (op.value != dst) emit({bc::Op::Move, false, false, dst, op.value, 0, 0, loc});
}

// Slot of `instance.field`: instances are never freed, so the address is static.
uint32_t FunctionLowering::instance_field_slot(ast::Expr const& member) const {
    uint32_t instance = member.args[0]->symbol_index;
    return program_.objects[instance].base + member.symbol_index;
}

Operand FunctionLowering::lower_expr(ast::Expr const& e) {
    switch (e.kind) {
        case ast::ExprKind::IntLit:
        case ast::ExprKind::BoolLit: return {true, static_cast<uint32_t>(e.int_value)};
        case ast::ExprKind::NullLit: return {true, 0};
        case ast::ExprKind::StringLit: return {true, 0};
        case ast::ExprKind::Name: return lower_name(e);
        case ast::ExprKind::Unary: return lower_unary(e);
        case ast::ExprKind::Binary: return lower_binary(e);
        case ast::ExprKind::Member: return lower_member(e);
        case ast::ExprKind::AddrOf: return {true, e.args[0]->symbol_index + 1};
        case ast::ExprKind::Call: return lower_call(e);
        case ast::ExprKind::CallIndirect: return lower_call_indirect(e);
        case ast::ExprKind::Kzalloc: {
            uint32_t t = new_temp();
            emit({bc::Op::Alloc, false, false, t, e.symbol_index, 0, 0, e.loc});
            return {false, t};
        }
    }
    return {true, 0};
}

Operand FunctionLowering::lower_name(ast::Expr const& e) {
    switch (e.symbol) {
        case ast::SymbolKind::Local: return {false, e.symbol_index};
        case ast::SymbolKind::Constant: return {true, static_cast<uint32_t>(e.int_value)};
        case ast::SymbolKind::Function: return {true, e.symbol_index + 1};
        case ast::SymbolKind::Global: {
            uint32_t t = new_temp();
            emit({bc::Op::LoadGlobal, false, false, t, 0, 0, program_.globals[e.symbol_index].slot, e.loc});
            return {false, t};
        }
        default: return {true, 0};
    }
}

// Operands' temporaries are released before the result is allocated, so the result may
// reuse an operand's register: every instruction reads its operands before writing.
Operand FunctionLowering::lower_unary(ast::Expr const& e) {
    uint32_t mark = temp_top_;
    Operand v = lower_expr(*e.args[0]);
    if (v.imm) {
        auto x = static_cast<int32_t>(v.value);
        return {true, static_cast<uint32_t>(e.op == "!" ? int32_t(x == 0) : -x)};
    }
    release_to(mark);
    uint32_t t = new_temp();
    emit({e.op == "!" ? bc::Op::Not : bc::Op::Neg, false, false, t, v.value, 0, 0, e.loc});
    return {false, t};
}

Operand FunctionLowering::lower_binary(ast::Expr const& e) {
    if (e.op == "&&" || e.op == "||") return lower_logical(e);
    uint32_t mark = temp_top_;
    Operand l = lower_expr(*e.args[0]);
    Operand r = lower_expr(*e.args[1]);
    release_to(mark);
    uint32_t t = new_temp();
    emit({binary_op(e.op), l.imm, r.imm, t, l.value, r.value, 0, e.loc});
    return {false, t};
}

// Short circuit: the right operand (and its shared reads) runs only when needed.
Operand FunctionLowering::lower_logical(ast::Expr const& e) {
    uint32_t t = new_temp();
    uint32_t mark = temp_top_;
    Operand l = lower_expr(*e.args[0]);
    emit({bc::Op::ToBool, false, false, t, to_reg(l, e.loc), 0, 0, e.loc});
    release_to(mark);
    bc::Op skip = e.op == "&&" ? bc::Op::JumpIfZero : bc::Op::JumpIfNonZero;
    size_t jump = emit({skip, false, false, t, 0, 0, 0, e.loc});
    Operand r = lower_expr(*e.args[1]);
    emit({bc::Op::ToBool, false, false, t, to_reg(r, e.loc), 0, 0, e.loc});
    release_to(mark);
    code_[jump].b = here();
    return {false, t};
}

Operand FunctionLowering::lower_member(ast::Expr const& e) {
    if (!e.arrow) {
        uint32_t t = new_temp();
        emit({bc::Op::LoadGlobal, false, false, t, 0, 0, instance_field_slot(e), e.loc});
        return {false, t};
    }
    uint32_t mark = temp_top_;
    uint32_t base = to_reg(lower_expr(*e.args[0]), e.loc);
    release_to(mark);
    uint32_t t = new_temp();
    emit({bc::Op::LoadField, false, false, t, base, 0, e.symbol_index, e.loc, struct_of(e)});
    return {false, t};
}

// Lowers call.args[first..] into a block of consecutive temporaries, left to right, and
// returns the block's first register: the callee frame copies them as parameters.
uint32_t FunctionLowering::lower_arguments(ast::Expr const& call, size_t first) {
    uint32_t arg_base = temp_base_ + temp_top_;
    for (size_t i = first; i < call.args.size(); ++i) new_temp();
    uint32_t mark = temp_top_;
    for (size_t i = first; i < call.args.size(); ++i) {
        move_into(arg_base + static_cast<uint32_t>(i - first), lower_expr(*call.args[i]), call.args[i]->loc);
        release_to(mark);
    }
    return arg_base;
}

// Arguments go into consecutive temporaries that the callee frame copies as parameters.
Operand FunctionLowering::lower_call(ast::Expr const& e) {
    if (e.builtin == ast::Builtin::MayDefer) {
        uint32_t t = new_temp();
        emit({bc::Op::MayDefer, false, false, t, 0, 0, 0, e.loc});
        return {false, t};
    }
    if (e.builtin == ast::Builtin::WarnOn) {
        uint32_t cond = to_reg(lower_expr(*e.args[0]), e.loc);
        auto msg = static_cast<uint32_t>(program_.messages.size());
        program_.messages.push_back(e.args.size() > 1 ? e.args[1]->text : e.text + "(" + describe_expr(*e.args[0]) + ")");
        emit({bc::Op::Warn, false, false, cond, msg, bc::kNoReg, 0, e.loc});
        return {false, cond};
    }
    if (e.builtin == ast::Builtin::Trylock) {
        uint32_t t = new_temp();
        lower_lock_op(*e.args[0], bc::Op::TrylockGlobal, bc::Op::TrylockField, e.loc, t);
        return {false, t};
    }
    if (e.symbol == ast::SymbolKind::Builtin) {
        lower_builtin(e);
        return {true, 0};
    }
    uint32_t result = new_temp();
    uint32_t arg_base = lower_arguments(e, 0);
    bool has_value = e.type.kind != TypeKind::Void;
    emit({bc::Op::Call, false, false, has_value ? result : bc::kNoReg, e.symbol_index, arg_base, 0, e.loc});
    release_to(result - temp_base_ + 1);
    return {false, result};
}

// The callee reference is read first (a visible load when it lives in an ops table), then
// the arguments; the call itself is local work.
Operand FunctionLowering::lower_call_indirect(ast::Expr const& e) {
    uint32_t result = new_temp();
    uint32_t callee = new_temp();
    uint32_t mark = temp_top_;
    move_into(callee, lower_expr(*e.args[0]), e.loc);
    release_to(mark);
    uint32_t arg_base = lower_arguments(e, 1);
    auto message = static_cast<uint32_t>(program_.messages.size());
    program_.messages.push_back(describe_expr(*e.args[0]));
    bool has_value = e.type.kind != TypeKind::Void;
    emit({bc::Op::CallIndirect, false, false, has_value ? result : bc::kNoReg, callee, arg_base, message, e.loc});
    release_to(result - temp_base_ + 1);
    return {false, result};
}

}  // namespace probecheck::model::detail
