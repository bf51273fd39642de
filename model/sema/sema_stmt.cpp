// Statements and function bodies: scopes, local slots, assignment targets, returns.
#include <algorithm>

#include "model/sema/sema_impl.hpp"

namespace probecheck::model::detail {

void Sema::check_function(uint32_t index) {
    fn_ = &module_.functions[index];
    fn_index_ = index;
    loop_depth_ = 0;
    atomic_depth_ = 0;
    scopes_.assign(1, {});
    fn_->local_types.clear();
    fn_->local_names.clear();
    for (auto& p : fn_->params) {
        auto slot = static_cast<uint32_t>(fn_->local_types.size());
        if (!scopes_.back().try_emplace(p.name, slot).second)
            diags_.report(DiagKind::Redefinition, p.loc, {p.name}, uint32_t(p.name.size()));
        fn_->local_types.push_back(p.type.resolved);
        fn_->local_names.push_back(p.name);
    }
    check_stmt(*fn_->body);
    Type ret = fn_->ret.resolved;
    if (ret.kind != TypeKind::Void && !ret.is_error() && !always_returns(*fn_->body))
        diags_.report(DiagKind::MissingReturn, fn_->loc, {fn_->name}, uint32_t(fn_->name.size()));
    auto& callees = symbols_.callees[index];
    std::sort(callees.begin(), callees.end());
    callees.erase(std::unique(callees.begin(), callees.end()), callees.end());
    scopes_.clear();
}

bool Sema::always_returns(ast::Stmt const& s) {
    switch (s.kind) {
        case ast::StmtKind::Return: return true;
        case ast::StmtKind::Block:
            for (auto const& c : s.body)
                if (c && always_returns(*c)) return true;
            return false;
        case ast::StmtKind::If:
            return s.body.size() == 2 && always_returns(*s.body[0]) && always_returns(*s.body[1]);
        case ast::StmtKind::Choose:
            return std::all_of(s.body.begin(), s.body.end(), [](auto const& a) { return always_returns(*a); });
        case ast::StmtKind::While:  // `while (true)` without break never falls through
            return (s.expr->kind == ast::ExprKind::BoolLit || s.expr->kind == ast::ExprKind::IntLit) &&
                   s.expr->int_value != 0 && !breaks_out(*s.body[0]);
        default: return false;
    }
}

bool Sema::breaks_out(ast::Stmt const& s) {
    if (s.kind == ast::StmtKind::Break) return true;
    if (s.kind == ast::StmtKind::While) return false;  // its breaks leave the inner loop only
    for (auto const& c : s.body)
        if (c && breaks_out(*c)) return true;
    return false;
}

void Sema::check_condition(ast::Expr& e) {
    Type t = check_value(e, "condition");
    if (t.is_error()) return;
    if (t.kind != TypeKind::Bool && t.kind != TypeKind::Int && t.kind != TypeKind::Ptr && t.kind != TypeKind::Func)
        diags_.report(DiagKind::BadCondition, e.loc, {tname(t)}, e.length);
}

void Sema::check_block(ast::Stmt& s) {
    scopes_.emplace_back();
    for (auto& c : s.body)
        if (c) check_stmt(*c);
    scopes_.pop_back();
}

void Sema::check_stmt(ast::Stmt& s) {
    switch (s.kind) {
        case ast::StmtKind::Block: return check_block(s);
        case ast::StmtKind::VarDecl: return check_var_decl(s);
        case ast::StmtKind::Assign: return check_assign(s);
        case ast::StmtKind::Return: return check_return(s);
        case ast::StmtKind::Expr:
            if (s.expr->kind != ast::ExprKind::Call && s.expr->kind != ast::ExprKind::CallIndirect) {
                diags_.report(DiagKind::UnusedExpression, s.expr->loc, {}, s.expr->length);
                return;
            }
            check_expr(*s.expr);
            return;
        case ast::StmtKind::If:
            check_condition(*s.expr);
            scopes_.emplace_back();
            check_stmt(*s.body[0]);
            scopes_.back().clear();
            if (s.body.size() > 1) check_stmt(*s.body[1]);
            scopes_.pop_back();
            return;
        case ast::StmtKind::While:
            check_condition(*s.expr);
            ++loop_depth_;
            scopes_.emplace_back();
            check_stmt(*s.body[0]);
            scopes_.pop_back();
            --loop_depth_;
            return;
        case ast::StmtKind::Choose:
            if (atomic_depth_ > 0) diags_.report(DiagKind::NotInAtomic, s.loc, {"choose"}, 6);
            for (auto& alternative : s.body) check_stmt(*alternative);
            return;
        case ast::StmtKind::Atomic: return check_atomic(s);
        case ast::StmtKind::Await:
            if (atomic_depth_ > 0) diags_.report(DiagKind::NotInAtomic, s.loc, {"await"}, 5);
            check_condition(*s.expr);
            return;
        case ast::StmtKind::Spawn: return check_spawn(s);
        case ast::StmtKind::ForEach: return check_for_each(s);
        case ast::StmtKind::Break:
        case ast::StmtKind::Continue:
            if (atomic_depth_ > 0 && loop_depth_ == loop_depth_at_atomic_)
                diags_.report(DiagKind::LeavesAtomic, s.loc, {s.kind == ast::StmtKind::Break ? "break" : "continue"});
            if (loop_depth_ == 0)
                diags_.report(DiagKind::BreakOutsideLoop, s.loc,
                              {s.kind == ast::StmtKind::Break ? "break" : "continue"});
            return;
    }
}

void Sema::check_for_each(ast::Stmt& s) {
    Type t = resolve_type(s.var_type);
    if (t.is_error()) return;
    s.struct_index = t.id;
    symbols_.iterated_structs.insert(t.id);
    scopes_.emplace_back();
    s.counter_index = static_cast<uint32_t>(fn_->local_types.size());
    fn_->local_types.push_back({TypeKind::Int});
    fn_->local_names.push_back("<position of " + s.name + ">");
    s.local_index = static_cast<uint32_t>(fn_->local_types.size());
    fn_->local_types.push_back(t);
    fn_->local_names.push_back(s.name);
    scopes_.back()[s.name] = s.local_index;
    if (s.expr) check_condition(*s.expr);
    ++loop_depth_;
    check_stmt(*s.body[0]);
    --loop_depth_;
    scopes_.pop_back();
}

void Sema::check_var_decl(ast::Stmt& s) {
    Type t = resolve_type(s.var_type);
    if (!t.is_error() && !t.is_scalar()) {
        diags_.report(DiagKind::BadVariableType, s.var_type.loc, {"local variable '" + s.name + "'", tname(t)});
        t = {};
    }
    if (s.expr) {
        Type init = check_value(*s.expr, "initializer");
        expect_type(*s.expr, init, t, "initialization of '" + s.name + "'");
    }
    auto slot = static_cast<uint32_t>(fn_->local_types.size());
    auto [it, inserted] = scopes_.back().try_emplace(s.name, slot);
    if (!inserted) {
        diags_.report(DiagKind::Redefinition, s.loc, {s.name});
        return;
    }
    s.local_index = slot;
    fn_->local_types.push_back(t);
    fn_->local_names.push_back(s.name);
}

void Sema::check_assign(ast::Stmt& s) {
    ast::Expr& target = *s.target;
    Type t = check_expr(target);
    bool to_field = target.kind == ast::ExprKind::Member && !t.is_error() && !target.args[0]->type.is_error();
    if (to_field) begin_field_store(*s.expr, t);
    Type v = check_value(*s.expr, "assignment");
    if (to_field) {
        ast::Expr const& base = *target.args[0];
        bool named = !target.arrow && base.kind == ast::ExprKind::Name && base.symbol == ast::SymbolKind::Instance;
        end_field_store(*s.expr, t, base.type.id, target.symbol_index,
                        named ? base.symbol_index : SymbolTable::FieldStore::kNoInstance);
    }
    if (t.is_error()) return;
    bool lvalue = (target.kind == ast::ExprKind::Name &&
                   (target.symbol == ast::SymbolKind::Local || target.symbol == ast::SymbolKind::Global)) ||
                  target.kind == ast::ExprKind::Member;
    if (t.is_lock()) {
        diags_.report(DiagKind::LockAsValue, target.loc, {describe(target)}, target.length);
        return;
    }
    if (!lvalue || !t.is_scalar()) {
        diags_.report(DiagKind::NotAssignable, target.loc, {}, target.length);
        return;
    }
    if (s.op != "=" && t.kind != TypeKind::Int) {
        diags_.report(DiagKind::InvalidOperands, s.loc, {s.op, tname(t), tname(v)});
        return;
    }
    expect_type(*s.expr, v, t, "assignment");
}

void Sema::check_atomic(ast::Stmt& s) {
    unsigned saved = loop_depth_at_atomic_;
    loop_depth_at_atomic_ = loop_depth_;
    ++atomic_depth_;
    check_stmt(*s.body[0]);
    --atomic_depth_;
    loop_depth_at_atomic_ = saved;
}

void Sema::check_spawn(ast::Stmt& s) {
    ast::Expr& call = *s.expr;
    bool direct = call.kind == ast::ExprKind::Call && function_index_.count(call.text) > 0;
    if (!direct) {
        diags_.report(DiagKind::SpawnNotCall, call.loc, {describe_expr(call)}, call.length);
        return;
    }
    // A work item is not a call: it runs on its own thread, so it is no call-graph edge.
    auto& edges = symbols_.callees[fn_index_];
    size_t before = edges.size();
    check_expr(call);
    if (edges.size() > before) edges.pop_back();
    symbols_.spawn_targets.push_back(call.symbol_index);
}

void Sema::check_return(ast::Stmt& s) {
    if (atomic_depth_ > 0) diags_.report(DiagKind::LeavesAtomic, s.loc, {"return"}, 6);
    Type ret = fn_->ret.resolved;
    if (!s.expr) {
        if (ret.kind != TypeKind::Void && !ret.is_error())
            diags_.report(DiagKind::ReturnWithoutValue, s.loc, {fn_->name}, 6);
        return;
    }
    if (ret.kind == TypeKind::Void) {
        diags_.report(DiagKind::ReturnValueInVoid, s.expr->loc, {fn_->name}, s.expr->length);
        check_expr(*s.expr);
        return;
    }
    Type v = check_value(*s.expr, "return value");
    expect_type(*s.expr, v, ret, "return value of '" + fn_->name + "'");
}

}  // namespace probecheck::model::detail
