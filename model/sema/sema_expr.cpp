// Expression checking. Every check returns the expression's type (Error after a diagnostic,
// which silences follow-on errors) and annotates the node with its symbol and type.
#include "model/sema/sema_impl.hpp"

namespace probecheck::model::detail {
namespace {

// Function references are nullable like pointers: `if (ops->probe_finalize)`.
bool is_condition_type(Type t) {
    return t.kind == TypeKind::Bool || t.kind == TypeKind::Int || t.kind == TypeKind::Ptr ||
           t.kind == TypeKind::Func || t.kind == TypeKind::Null || t.is_error();
}

// Builtins; `lock` is the lock kind the argument must have (Error: either kind).
struct BuiltinName {
    char const* name;
    ast::Builtin builtin;
    TypeKind lock = TypeKind::Error;
};
constexpr BuiltinName kBuiltins[] = {
    {"lock", ast::Builtin::Lock},
    {"unlock", ast::Builtin::Unlock},
    {"trylock", ast::Builtin::Trylock},
    {"mutex_lock", ast::Builtin::Lock, TypeKind::Mutex},
    {"mutex_unlock", ast::Builtin::Unlock, TypeKind::Mutex},
    {"mutex_trylock", ast::Builtin::Trylock, TypeKind::Mutex},
    {"spin_lock", ast::Builtin::Lock, TypeKind::Spinlock},
    {"spin_unlock", ast::Builtin::Unlock, TypeKind::Spinlock},
    {"spin_trylock", ast::Builtin::Trylock, TypeKind::Spinlock},
    {"assert", ast::Builtin::Assert},
    {"lockdep_assert_held", ast::Builtin::LockdepAssertHeld},
    {"lockdep_assert_not_held", ast::Builtin::LockdepAssertNotHeld},
    {"kfree", ast::Builtin::Kfree},
    {"might_sleep", ast::Builtin::MightSleep},
    {"may_defer", ast::Builtin::MayDefer},
    {"WARN_ON", ast::Builtin::WarnOn},
    {"WARN_ON_ONCE", ast::Builtin::WarnOn},
    {"WARN", ast::Builtin::WarnOn},
    {"dev_WARN", ast::Builtin::DevWarn},
};

}  // namespace

bool Sema::is_builtin_name(std::string const& name) {
    for (auto const& b : kBuiltins)
        if (name == b.name) return true;
    return false;
}

std::string Sema::describe(ast::Expr const& e) { return describe_expr(e); }

}  // namespace probecheck::model::detail

namespace probecheck::model {

std::string describe_expr(ast::Expr const& e) {
    switch (e.kind) {
        case ast::ExprKind::Name: return e.text;
        case ast::ExprKind::NullLit: return "NULL";
        case ast::ExprKind::IntLit:
        case ast::ExprKind::BoolLit: return e.kind == ast::ExprKind::BoolLit ? (e.int_value ? "true" : "false")
                                                                             : std::to_string(e.int_value);
        case ast::ExprKind::Member: return describe_expr(*e.args[0]) + (e.arrow ? "->" : ".") + e.text;
        case ast::ExprKind::AddrOf: return "&" + describe_expr(*e.args[0]);
        case ast::ExprKind::Call: return e.text + "()";
        case ast::ExprKind::CallIndirect: return describe_expr(*e.args[0]) + "()";
        case ast::ExprKind::Unary: return e.op + describe_expr(*e.args[0]);
        case ast::ExprKind::Binary:
            return describe_expr(*e.args[0]) + " " + e.op + " " + describe_expr(*e.args[1]);
        case ast::ExprKind::StringLit: return "\"" + e.text + "\"";
        case ast::ExprKind::Kzalloc: return "kzalloc(struct " + e.text + ")";
        default: return "expression";
    }
}

}  // namespace probecheck::model

namespace probecheck::model::detail {

bool Sema::assignable(Type to, Type from) const {
    if (to.is_error() || from.is_error()) return true;
    if (to == from) return true;
    return (to.kind == TypeKind::Ptr || to.kind == TypeKind::Func) && from.kind == TypeKind::Null;
}

void Sema::expect_type(ast::Expr& e, Type got, Type want, std::string const& context) {
    if (assignable(want, got)) return;
    diags_.report(DiagKind::TypeMismatch, e.loc, {context, tname(want), tname(got)}, e.length);
}

// A value: anything but a lock, an instance, void or a string.
Type Sema::check_value(ast::Expr& e, char const* context) {
    Type t = check_expr(e);
    switch (t.kind) {
        case TypeKind::Mutex:
        case TypeKind::Spinlock:
            diags_.report(DiagKind::LockAsValue, e.loc, {describe(e)}, e.length);
            return {};
        case TypeKind::Object:
            diags_.report(DiagKind::InstanceAsValue, e.loc, {describe(e)}, e.length);
            return {};
        case TypeKind::Void:
            diags_.report(DiagKind::VoidValueUsed, e.loc, {e.text}, e.length);
            return {};
        case TypeKind::String:
            diags_.report(DiagKind::TypeMismatch, e.loc, {context, "a value", "string"}, e.length);
            return {};
        default: return t;
    }
}

Type Sema::check_expr(ast::Expr& e) {
    switch (e.kind) {
        case ast::ExprKind::IntLit: return e.type = {TypeKind::Int};
        case ast::ExprKind::BoolLit: return e.type = {TypeKind::Bool};
        case ast::ExprKind::NullLit: return e.type = {TypeKind::Null};
        case ast::ExprKind::StringLit: return e.type = {TypeKind::String};
        case ast::ExprKind::Name: return e.type = check_name(e);
        case ast::ExprKind::Unary: return e.type = check_unary(e);
        case ast::ExprKind::Binary: return e.type = check_binary(e);
        case ast::ExprKind::Member: return e.type = check_member(e);
        case ast::ExprKind::AddrOf: return e.type = check_addr_of(e);
        case ast::ExprKind::Call: return e.type = check_call(e);
        case ast::ExprKind::Kzalloc: return e.type = check_kzalloc(e);
        case ast::ExprKind::CallIndirect: return e.type = check_call_indirect(e);
    }
    return {};
}

Type Sema::check_name(ast::Expr& e) {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
        auto found = it->find(e.text);
        if (found != it->end()) {
            e.symbol = ast::SymbolKind::Local;
            e.symbol_index = found->second;
            return fn_->local_types[found->second];
        }
    }
    auto it = symbols_.values.find(e.text);
    if (it == symbols_.values.end()) {
        diags_.report(DiagKind::UnknownName, e.loc, {e.text}, e.length);
        note_nearest_value(e.text);
        return {};
    }
    ValueSymbol const& sym = it->second;
    if (sym.kind == ast::SymbolKind::Function) {  // a function reference: ops tables, callbacks
        symbols_.address_taken[sym.index] = true;
        if (&e != field_store_value_) symbols_.escapes[sym.index] = true;
        e.symbol = sym.kind;
        e.symbol_index = sym.index;
        return {TypeKind::Func, symbols_.function_signature[sym.index]};
    }
    e.symbol = sym.kind;
    e.symbol_index = sym.index;
    e.int_value = sym.value;
    if (sym.kind == ast::SymbolKind::Instance && &e != compared_instance_) note_instance_ref(sym.index);
    return sym.type;
}

// `i->ops == &rk_iommu_ops` compares an address and lets it go nowhere.
Type Sema::check_comparison_operand(ast::Expr& e) {
    bool addr_of_name = e.kind == ast::ExprKind::AddrOf && e.args[0]->kind == ast::ExprKind::Name;
    if (addr_of_name) compared_instance_ = e.args[0].get();
    Type t = check_value(e, "operand");
    compared_instance_ = nullptr;
    return t;
}

Type Sema::check_unary(ast::Expr& e) {
    Type t = check_value(*e.args[0], "operand");
    if (t.is_error()) return {};
    if (e.op == "!") {
        if (is_condition_type(t)) return {TypeKind::Bool};
    } else if (t.kind == TypeKind::Int) {
        return {TypeKind::Int};
    }
    diags_.report(DiagKind::InvalidOperand, e.loc, {e.op, tname(t)}, e.length);
    return {};
}

Type Sema::check_binary(ast::Expr& e) {
    bool equality = e.op == "==" || e.op == "!=";
    Type l = equality ? check_comparison_operand(*e.args[0]) : check_value(*e.args[0], "operand");
    Type r = equality ? check_comparison_operand(*e.args[1]) : check_value(*e.args[1], "operand");
    if (l.is_error() || r.is_error()) return {};
    std::string const& op = e.op;
    if (op == "&&" || op == "||") {
        if (is_condition_type(l) && is_condition_type(r)) return {TypeKind::Bool};
    } else if (op == "==" || op == "!=") {
        if (assignable(l, r) || assignable(r, l)) return {TypeKind::Bool};
    } else if (l.kind == TypeKind::Int && r.kind == TypeKind::Int) {
        bool compare = op == "<" || op == "<=" || op == ">" || op == ">=";
        return {compare ? TypeKind::Bool : TypeKind::Int};
    }
    diags_.report(DiagKind::InvalidOperands, e.loc, {op, tname(l), tname(r)}, e.length);
    return {};
}

Type Sema::check_member(ast::Expr& e) {
    ast::Expr& base = *e.args[0];
    Type b = check_expr(base);
    if (b.is_error()) return {};
    if (e.arrow && b.kind != TypeKind::Ptr) {
        diags_.report(DiagKind::ArrowOnNonPointer, e.loc, {tname(b)}, e.length);
        return {};
    }
    if (!e.arrow && b.kind != TypeKind::Object) {
        char const* hint = b.kind == TypeKind::Ptr ? "; use '->'" : "";
        diags_.report(DiagKind::DotOnNonStruct, e.loc, {tname(b), hint}, e.length);
        return {};
    }
    StructInfo const& s = symbols_.structs[b.id];
    auto it = s.field_index.find(e.text);
    if (it == s.field_index.end()) {
        report_unknown_field(s, e.text, e.loc, e.length);
        return {};
    }
    e.symbol_index = it->second;
    return s.fields[it->second].type;
}

Type Sema::check_addr_of(ast::Expr& e) {
    ast::Expr& operand = *e.args[0];
    Type t = check_expr(operand);
    if (t.is_error()) return {};
    if (operand.kind == ast::ExprKind::Name && t.kind == TypeKind::Object)
        return {TypeKind::Ptr, t.id};
    if (t.is_lock()) return t;  // `lock(&dev->lock)` reads like the kernel
    diags_.report(DiagKind::AddressOfNonInstance, e.loc, {tname(t)}, e.length);
    return {};
}

Type Sema::check_kzalloc(ast::Expr& e) {
    auto it = symbols_.struct_index.find(e.text);
    if (it == symbols_.struct_index.end()) {
        report_unknown_struct(e.text, e.loc, e.length);
        return {};
    }
    if (symbols_.structs[it->second].pool_size == 0) {
        diags_.report(DiagKind::NoPool, e.loc, {e.text}, e.length);
        return {};
    }
    e.symbol_index = it->second;
    return {TypeKind::Ptr, it->second};
}

Type Sema::check_call(ast::Expr& e) {
    for (auto const& b : kBuiltins) {
        if (e.text == b.name && !function_index_.count(e.text)) {
            e.symbol = ast::SymbolKind::Builtin;
            e.builtin = b.builtin;
            return check_builtin(e, b.lock);
        }
    }
    auto it = function_index_.find(e.text);
    if (it == function_index_.end() && names_function_reference(e.text)) {
        // `cb(dev)` where cb is a variable holding a function reference
        auto callee = std::make_unique<ast::Expr>();
        callee->kind = ast::ExprKind::Name;
        callee->loc = e.loc;
        callee->length = static_cast<uint32_t>(e.text.size());
        callee->text = e.text;
        e.args.insert(e.args.begin(), std::move(callee));
        e.kind = ast::ExprKind::CallIndirect;
        return check_call_indirect(e);
    }
    if (it == function_index_.end()) {
        bool exists = symbols_.values.count(e.text) > 0;
        diags_.report(exists ? DiagKind::NotAFunction : DiagKind::UnknownFunction, e.loc, {e.text},
                      static_cast<uint32_t>(e.text.size()));
        if (!exists) note_nearest_function(e.text);
        for (auto& a : e.args) check_expr(*a);
        return {};
    }
    ast::FuncDecl& callee = module_.functions[it->second];
    e.symbol = ast::SymbolKind::Function;
    e.symbol_index = it->second;
    if (fn_) symbols_.callees[fn_index_].push_back(it->second);
    if (e.args.size() != callee.params.size()) {
        diags_.report(DiagKind::WrongArity, e.loc,
                      {e.text, std::to_string(callee.params.size()), std::to_string(e.args.size())},
                      e.length);
        for (auto& a : e.args) check_expr(*a);
        return callee.ret.resolved;
    }
    for (size_t i = 0; i < e.args.size(); ++i) {
        Type t = check_value(*e.args[i], "argument");
        expect_type(*e.args[i], t, callee.params[i].type.resolved,
                    "argument " + std::to_string(i + 1) + " of '" + e.text + "'");
    }
    return callee.ret.resolved;
}

bool Sema::names_function_reference(std::string const& name) const {
    for (auto it = scopes_.rbegin(); it != scopes_.rend(); ++it) {
        auto found = it->find(name);
        if (found != it->end()) return fn_->local_types[found->second].kind == TypeKind::Func;
    }
    auto it = symbols_.values.find(name);
    return it != symbols_.values.end() && it->second.kind == ast::SymbolKind::Global &&
           it->second.type.kind == TypeKind::Func;
}

Type Sema::check_call_indirect(ast::Expr& e) {
    Type callee = check_value(*e.args[0], "call");
    if (callee.is_error()) {
        for (size_t i = 1; i < e.args.size(); ++i) check_expr(*e.args[i]);
        return {};
    }
    if (callee.kind != TypeKind::Func) {
        diags_.report(DiagKind::NotCallable, e.args[0]->loc, {describe(*e.args[0]), tname(callee)}, e.args[0]->length);
        return {};
    }
    auto const& sig = symbols_.signatures[callee.id];
    if (e.args.size() != sig.size()) {
        diags_.report(DiagKind::WrongArity, e.loc,
                      {describe(*e.args[0]), std::to_string(sig.size() - 1), std::to_string(e.args.size() - 1)},
                      e.length);
        return sig[0];
    }
    for (size_t i = 1; i < e.args.size(); ++i) {
        Type t = check_value(*e.args[i], "argument");
        expect_type(*e.args[i], t, sig[i], "argument " + std::to_string(i) + " of '" + describe(*e.args[0]) + "'");
    }
    if (fn_) {
        IndirectCall call{callee.id};
        ast::Expr const& target = *e.args[0];
        if (target.kind == ast::ExprKind::Member && !target.args[0]->type.is_error()) {
            call.structure = target.args[0]->type.id;   // the base's struct (pointer or object)
            call.field = target.symbol_index;
        }
        symbols_.indirect_calls[fn_index_].push_back(call);
    }
    e.symbol_index = callee.id;
    return sig[0];
}

void Sema::check_lock_arg(ast::Expr& e, char const* builtin, TypeKind want) {
    ast::Expr& target = e.kind == ast::ExprKind::AddrOf ? *e.args[0] : e;
    Type t = check_expr(target);
    if (&target != &e) e.type = t;
    if (t.is_error() || (t.is_lock() && (want == TypeKind::Error || t.kind == want))) return;
    std::string wanted = want == TypeKind::Spinlock ? "a spinlock" : want == TypeKind::Mutex ? "a mutex" : "a mutex or a spinlock";
    diags_.report(DiagKind::NotALock, e.loc, {builtin, wanted, describe(target), tname(t)}, e.length);
}

Type Sema::check_builtin(ast::Expr& e, TypeKind lock_kind) {
    auto arity = [&](size_t lo, size_t hi) {
        if (e.args.size() >= lo && e.args.size() <= hi) return true;
        diags_.report(DiagKind::WrongArity, e.loc,
                      {e.text,
                       lo == hi       ? std::to_string(lo)
                       : hi == lo + 1 ? std::to_string(lo) + " or " + std::to_string(hi)
                                      : std::to_string(lo) + " to " + std::to_string(hi),
                       std::to_string(e.args.size())},
                      e.length);
        return false;
    };
    switch (e.builtin) {
        case ast::Builtin::Lock:
        case ast::Builtin::Unlock:
        case ast::Builtin::LockdepAssertHeld:
        case ast::Builtin::LockdepAssertNotHeld:
            if (arity(1, 1)) check_lock_arg(*e.args[0], e.text.c_str(), lock_kind);
            break;
        case ast::Builtin::Trylock:
            if (arity(1, 1)) check_lock_arg(*e.args[0], e.text.c_str(), lock_kind);
            return {TypeKind::Bool};
        case ast::Builtin::MightSleep:
            arity(0, 0);
            break;
        case ast::Builtin::MayDefer:
            arity(0, 0);
            return {TypeKind::Bool};
        case ast::Builtin::Assert:  // assert(cond [, "msg" [, object]]): the object is named in the message
            if (!arity(1, 3)) break;
            check_condition(*e.args[0]);
            if (e.args.size() >= 2 && check_expr(*e.args[1]).kind != TypeKind::String)
                expect_type(*e.args[1], e.args[1]->type, {TypeKind::String}, "assert message");
            if (e.args.size() == 3) {
                Type t = check_value(*e.args[2], "assert object");
                if (!t.is_error() && t.kind != TypeKind::Ptr)
                    diags_.report(DiagKind::TypeMismatch, e.args[2]->loc, {"assert object", "a struct pointer", tname(t)},
                                  e.args[2]->length);
            }
            break;
        case ast::Builtin::WarnOn:  // WARN_ON(cond) or WARN(cond, "msg"): true when it warned
            if (!arity(1, 2)) break;
            check_condition(*e.args[0]);
            if (e.args.size() == 2 && check_expr(*e.args[1]).kind != TypeKind::String)
                expect_type(*e.args[1], e.args[1]->type, {TypeKind::String}, "warning message");
            return {TypeKind::Bool};
        case ast::Builtin::DevWarn:  // dev_WARN(dev, "msg"): the device is named as the kernel prints it
            if (!arity(2, 2)) break;
            if (Type t = check_value(*e.args[0], "dev_WARN device"); !t.is_error() && t.kind != TypeKind::Ptr)
                diags_.report(DiagKind::TypeMismatch, e.args[0]->loc, {"dev_WARN device", "a struct pointer", tname(t)},
                              e.args[0]->length);
            if (check_expr(*e.args[1]).kind != TypeKind::String)
                expect_type(*e.args[1], e.args[1]->type, {TypeKind::String}, "warning message");
            break;
        case ast::Builtin::Kfree:
            if (arity(1, 1)) {
                Type t = check_value(*e.args[0], "kfree argument");
                if (!t.is_error() && t.kind != TypeKind::Ptr && t.kind != TypeKind::Null)
                    diags_.report(DiagKind::TypeMismatch, e.args[0]->loc,
                                  {"kfree argument", "a struct pointer", tname(t)}, e.args[0]->length);
            }
            break;
        case ast::Builtin::None: break;
    }
    return {TypeKind::Void};
}

}  // namespace probecheck::model::detail
