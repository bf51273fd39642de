// Declarations: types first (so fields may refer to structs declared later), then pools,
// globals and instances, function signatures, thread entries; bodies and the call graph last.
#include <fmt/format.h>

#include <algorithm>

#include "model/sema/sema_impl.hpp"

namespace probecheck::model {

std::string type_name(Type t, SymbolTable const& symbols) {
    switch (t.kind) {
        case TypeKind::Error: return "<error>";
        case TypeKind::Void: return "void";
        case TypeKind::Int: return "int";
        case TypeKind::Bool: return "bool";
        case TypeKind::Null: return "NULL";
        case TypeKind::Mutex: return "mutex";
        case TypeKind::Spinlock: return "spinlock";
        case TypeKind::Func: {
            auto const& sig = symbols.signatures[t.id];
            std::string out = type_name(sig[0], symbols) + " (*)(";
            for (size_t i = 1; i < sig.size(); ++i) out += (i > 1 ? ", " : "") + type_name(sig[i], symbols);
            return out + ")";
        }
        case TypeKind::String: return "string";
        case TypeKind::Enum: return "enum " + symbols.enums[t.id].name;
        case TypeKind::Ptr: return "struct " + symbols.structs[t.id].name + " *";
        case TypeKind::Object: return "struct " + symbols.structs[t.id].name;
    }
    return "<error>";
}

uint32_t intern_signature(SymbolTable& symbols, std::vector<Type> const& signature) {
    auto it = std::find(symbols.signatures.begin(), symbols.signatures.end(), signature);
    if (it != symbols.signatures.end()) return static_cast<uint32_t>(it - symbols.signatures.begin());
    symbols.signatures.push_back(signature);
    return static_cast<uint32_t>(symbols.signatures.size() - 1);
}

bool analyze(ast::Module& module, SymbolTable& symbols, DiagnosticEngine& diags,
             SemaOptions const& options) {
    return detail::Sema(module, symbols, diags, options).run();
}

namespace detail {

bool Sema::run() {
    declare_builtin_constants();
    declare_types();
    resolve_struct_fields();
    apply_function_overrides();
    declare_pools();
    declare_functions();  // before globals: ops-table initialisers name functions
    declare_globals();
    apply_field_overrides();
    apply_topology();
    for (uint32_t i = 0; i < module_.functions.size() && !diags_.stopped(); ++i) check_function(i);
    declare_threads();
    check_annotations();
    check_expects();
    collect_properties();
    if (!diags_.has_errors()) check_call_graph();
    return !diags_.has_errors();
}

// Kernel error codes, positive as in the kernel headers: write `return -ENODEV;`.
void Sema::declare_builtin_constants() {
    static constexpr std::pair<char const*, int> kErrnos[] = {
        {"EPERM", 1}, {"ENOENT", 2}, {"EIO", 5}, {"EAGAIN", 11}, {"EWOULDBLOCK", 11}, {"ENOMEM", 12}, {"EBUSY", 16},
        {"EEXIST", 17},
        {"ENODEV", 19}, {"EINVAL", 22}, {"ENOSPC", 28}, {"ETIMEDOUT", 110}, {"EPROBE_DEFER", 517},
    };
    for (auto const& [name, value] : kErrnos) {
        symbols_.values[name] = {ast::SymbolKind::Constant, 0, Type{TypeKind::Int}, value, {}};
    }
}

bool Sema::declare_value(std::string const& name, ValueSymbol sym) {
    auto [it, inserted] = symbols_.values.try_emplace(name, sym);
    if (inserted) return true;
    diags_.report(DiagKind::Redefinition, sym.loc, {name}, static_cast<uint32_t>(name.size()));
    if (it->second.loc.valid()) diags_.note(DiagKind::PreviousDefinition, it->second.loc, {name});
    return false;
}

// Structs and enums share one namespace of type names, as `struct` is optional for neither.
bool Sema::declare_type_name(std::string const& name, SourceLoc loc) {
    std::optional<SourceLoc> previous;
    if (auto it = symbols_.enum_index.find(name); it != symbols_.enum_index.end())
        previous = symbols_.enums[it->second].loc;
    if (auto it = symbols_.struct_index.find(name); it != symbols_.struct_index.end())
        previous = symbols_.structs[it->second].loc;
    if (!previous) return true;
    diags_.report(DiagKind::Redefinition, loc, {name}, static_cast<uint32_t>(name.size()));
    diags_.note(DiagKind::PreviousDefinition, *previous, {name});
    return false;
}

void Sema::declare_types() {
    for (auto& e : module_.enums) {
        if (!declare_type_name(e.name, e.loc)) continue;
        auto id = static_cast<uint32_t>(symbols_.enums.size());
        symbols_.enum_index[e.name] = id;
        EnumInfo info{e.name, {}, e.loc};
        for (auto const& [name, loc] : e.enumerators) {
            auto value = static_cast<int64_t>(info.enumerators.size());
            if (declare_value(name, {ast::SymbolKind::Constant, 0, Type{TypeKind::Enum, id}, value, loc}))
                info.enumerators.push_back(name);
        }
        symbols_.enums.push_back(std::move(info));
    }
    for (auto& s : module_.structs) {
        if (s.is_extension) continue;
        if (!declare_type_name(s.name, s.loc)) continue;
        symbols_.struct_index[s.name] = static_cast<uint32_t>(symbols_.structs.size());
        symbols_.structs.push_back({s.name, s.loc, {}, {}, 0, {}});
    }
}

Type Sema::resolve_type(ast::TypeRef& t) {
    using K = ast::TypeRef::Kind;
    switch (t.kind) {
        case K::Int: t.resolved = {TypeKind::Int}; break;
        case K::Bool: t.resolved = {TypeKind::Bool}; break;
        case K::Void: t.resolved = {TypeKind::Void}; break;
        case K::Mutex: t.resolved = {TypeKind::Mutex}; break;
        case K::Spinlock: t.resolved = {TypeKind::Spinlock}; break;
        case K::FuncPtr: t.resolved = resolve_signature(t); break;
        case K::Named: {
            auto it = symbols_.enum_index.find(t.name);
            if (it == symbols_.enum_index.end()) {
                diags_.report(DiagKind::UnknownType, t.loc, {t.name});
                t.resolved = {};
            } else {
                t.resolved = {TypeKind::Enum, it->second};
            }
            break;
        }
        case K::Struct:
        case K::StructPtr: {
            auto it = symbols_.struct_index.find(t.name);
            if (it == symbols_.struct_index.end()) {
                report_unknown_struct(t.name, t.loc);
                t.resolved = {};
            } else {
                t.resolved = {t.kind == K::Struct ? TypeKind::Object : TypeKind::Ptr, it->second};
            }
            break;
        }
    }
    return t.resolved;
}

Type Sema::resolve_signature(ast::TypeRef& t) {
    std::vector<Type> sig;
    bool ok = true;
    for (size_t i = 0; i < t.signature.size(); ++i) {
        Type part = resolve_type(t.signature[i]);
        bool fits = part.is_error() || part.is_scalar() || (i == 0 && part.kind == TypeKind::Void);
        if (!fits) {
            diags_.report(DiagKind::BadVariableType, t.signature[i].loc,
                          {i == 0 ? "a function reference's result" : "a function reference's parameter", tname(part)});
        }
        ok = ok && fits && !part.is_error();
        sig.push_back(part);
    }
    return ok ? Type{TypeKind::Func, intern_signature(symbols_, sig)} : Type{};
}

void Sema::resolve_struct_fields() {
    for (auto& s : module_.structs) {
        auto it = symbols_.struct_index.find(s.name);
        if (s.is_extension && it == symbols_.struct_index.end()) {
            report_unknown_struct(s.name, s.loc);
            continue;
        }
        bool original = it != symbols_.struct_index.end() && symbols_.structs[it->second].loc.file == s.loc.file &&
                        symbols_.structs[it->second].loc.offset == s.loc.offset;
        if (!s.is_extension && !original) continue;  // a rejected duplicate
        StructInfo& info = symbols_.structs[it->second];
        for (auto& f : s.fields) {
            Type t = resolve_type(f.type);
            if (t.kind == TypeKind::Void || t.kind == TypeKind::Object) {
                diags_.report(DiagKind::BadVariableType, f.type.loc,
                              {fmt::format("field '{}'", f.name), tname(t)});
                t = {};
            }
            auto [fit, inserted] = info.field_index.try_emplace(f.name, uint32_t(info.fields.size()));
            if (!inserted) {
                diags_.report(DiagKind::Redefinition, f.loc, {f.name}, uint32_t(f.name.size()));
                diags_.note(DiagKind::PreviousDefinition, info.fields[fit->second].loc, {f.name});
                continue;
            }
            info.fields.push_back({f.name, t, f.loc, {}, {}});
        }
    }
}

void Sema::declare_pools() {
    for (auto& p : module_.pools) {
        if (p.is_thread) {
            if (symbols_.thread_pool != 0) diags_.report(DiagKind::Redefinition, p.loc, {"pool thread"});
            if (p.size < 1 || p.size > options_.max_threads)
                diags_.report(DiagKind::BadPoolSize, p.loc,
                              {"thread", std::to_string(options_.max_threads), std::to_string(p.size)});
            symbols_.thread_pool = static_cast<uint32_t>(std::clamp<int64_t>(p.size, 1, options_.max_threads));
            continue;
        }
        auto it = symbols_.struct_index.find(p.struct_name);
        if (it == symbols_.struct_index.end()) {
            report_unknown_struct(p.struct_name, p.loc);
            continue;
        }
        p.struct_index = it->second;
        StructInfo& s = symbols_.structs[it->second];
        // A file that imports the library resizes its pools with `override pool` (imports
        // come first), as it replaces a function; twice in one file is a mistake.
        std::string pool_name = "pool struct " + p.struct_name;
        if (s.pool_size != 0 && (s.pool_loc.file == p.loc.file || !p.is_override)) {
            diags_.report(s.pool_loc.file == p.loc.file ? DiagKind::Redefinition : DiagKind::RedefinitionNeedsOverride,
                          p.loc, {pool_name});
            diags_.note(DiagKind::PreviousDefinition, s.pool_loc, {pool_name});
            continue;
        }
        if (p.is_override && s.pool_size == 0)  // still sized below: no follow-on "needs a pool"
            diags_.report(DiagKind::OverrideOfUndefined, p.loc, {pool_name});
        s.pool_loc = p.loc;
        if (p.size < 1 || p.size > options_.max_pool_size) {
            diags_.report(DiagKind::BadPoolSize, p.loc,
                          {p.struct_name, std::to_string(options_.max_pool_size), std::to_string(p.size)});
            s.pool_size = 1;  // declared: no follow-on "needs a pool" errors
            continue;
        }
        s.pool_size = static_cast<uint32_t>(p.size);
    }
}

bool Sema::constant_value(ast::Expr& e, Type expected, int64_t& out, std::string const& what) {
    bool negate = e.kind == ast::ExprKind::Unary && e.op == "-";
    ast::Expr& inner = negate ? *e.args[0] : e;
    // The shape is checked before the names, so `f()` or `x + 1` is "not a constant",
    // not an unknown function or a use of a global.
    bool shape = inner.kind == ast::ExprKind::IntLit || inner.kind == ast::ExprKind::BoolLit ||
                 inner.kind == ast::ExprKind::NullLit || inner.kind == ast::ExprKind::Name ||
                 (inner.kind == ast::ExprKind::AddrOf && !negate);
    if (!shape) {
        diags_.report(DiagKind::NonConstantInitializer, e.loc, {what}, e.length);
        return false;
    }
    Type t = check_expr(e);
    if (t.is_error()) return false;
    if (inner.kind == ast::ExprKind::Name && inner.symbol != ast::SymbolKind::Constant &&
        inner.symbol != ast::SymbolKind::Function) {
        diags_.report(DiagKind::NonConstantInitializer, e.loc, {what}, e.length);
        return false;
    }
    expect_type(e, t, expected, what);
    if (inner.kind == ast::ExprKind::AddrOf || inner.symbol == ast::SymbolKind::Function)
        out = (inner.kind == ast::ExprKind::AddrOf ? inner.args[0]->symbol_index : inner.symbol_index) + 1;
    else out = negate ? -inner.int_value : inner.int_value;
    return true;
}

void Sema::init_instance(ast::GlobalDecl& g, InstanceInfo& inst) {
    initializing_instance_ = static_cast<uint32_t>(&inst - symbols_.instances.data());
    init_instance_fields(g, inst);
    initializing_instance_ = kNoInstance;
}

void Sema::init_instance_fields(ast::GlobalDecl& g, InstanceInfo& inst) {
    StructInfo const& s = symbols_.structs[inst.struct_index];
    inst.field_init.assign(s.fields.size(), 0);
    if (g.init) diags_.report(DiagKind::InstanceInitializer, g.init->loc, {g.name}, g.init->length);
    std::vector<bool> seen(s.fields.size(), false);
    for (auto& [field, expr] : g.field_inits) {
        if (!expr) continue;
        auto it = s.field_index.find(field);
        if (it != s.field_index.end() && seen[it->second]) {
            diags_.report(DiagKind::DuplicateInitializer, expr->loc, {field});
            continue;
        }
        if (it != s.field_index.end()) seen[it->second] = true;
        if (it == s.field_index.end()) {
            report_unknown_field(s, field, expr->loc);
            continue;
        }
        Type ft = s.fields[it->second].type;
        if (ft.is_lock()) {
            diags_.report(DiagKind::LockAsValue, expr->loc, {g.name + "." + field});
            continue;
        }
        begin_field_store(*expr, ft);
        constant_value(*expr, ft, inst.field_init[it->second],
                       "initializer of '" + g.name + "." + field + "'");
        end_field_store(*expr, ft, inst.struct_index, it->second,
                        static_cast<uint32_t>(&inst - symbols_.instances.data()));
    }
}

void Sema::declare_globals() {
    // Instances first so that `&instance` initializers of scalar globals can refer to any.
    for (auto& g : module_.globals) {
        Type t = resolve_type(g.type);
        if (t.kind != TypeKind::Object) continue;
        auto index = static_cast<uint32_t>(symbols_.instances.size());
        if (!declare_value(g.name, {ast::SymbolKind::Instance, index, t, 0, g.loc})) continue;
        bool freeable = std::any_of(g.annotations.begin(), g.annotations.end(),
                                    [](ast::Annotation const& a) { return a.name == "freeable"; });
        symbols_.instances.push_back({g.name, t.id, {}, g.loc, freeable});
    }
    for (auto& g : module_.globals) {
        Type t = g.type.resolved;
        if (t.kind == TypeKind::Object) {
            auto it = symbols_.values.find(g.name);
            if (it->second.loc.offset == g.loc.offset && it->second.loc.file == g.loc.file)
                init_instance(g, symbols_.instances[it->second.index]);
            continue;
        }
        if (t.kind == TypeKind::Void) {
            diags_.report(DiagKind::BadVariableType, g.type.loc, {"global '" + g.name + "'", "void"});
            continue;
        }
        if (t.is_error()) continue;
        auto index = static_cast<uint32_t>(symbols_.globals.size());
        if (!declare_value(g.name, {ast::SymbolKind::Global, index, t, 0, g.loc})) continue;
        GlobalInfo info{g.name, t, 0, g.loc, {}};
        if (g.init && t.is_lock()) diags_.report(DiagKind::LockAsValue, g.init->loc, {g.name});
        else if (g.init) constant_value(*g.init, t, info.init, "initializer of '" + g.name + "'");
        if (!g.field_inits.empty())
            diags_.report(DiagKind::NonConstantInitializer, g.loc, {"initializer of '" + g.name + "'"});
        symbols_.globals.push_back(std::move(info));
    }
}

void Sema::declare_functions() {
    for (uint32_t i = 0; i < module_.functions.size(); ++i) {
        auto& fn = module_.functions[i];
        Type ret = resolve_type(fn.ret);
        if (ret.is_lock() || ret.kind == TypeKind::Object) {
            diags_.report(DiagKind::BadVariableType, fn.ret.loc, {"a function result", tname(ret)});
        }
        std::vector<Type> sig{ret};
        for (auto& p : fn.params) {
            Type t = resolve_type(p.type);
            if (!t.is_scalar() && !t.is_error()) {
                diags_.report(DiagKind::BadVariableType, p.type.loc, {"parameter '" + p.name + "'", tname(t)});
                p.type.resolved = {};  // reported once, not again at every call
            }
            sig.push_back(p.type.resolved);
        }
        symbols_.function_signature.push_back(intern_signature(symbols_, sig));
        if (auto prev = function_index_.find(fn.name); prev != function_index_.end()) {
            diags_.report(DiagKind::RedefinitionNeedsOverride, fn.loc, {fn.name}, uint32_t(fn.name.size()));
            diags_.note(DiagKind::PreviousDefinition, module_.functions[prev->second].loc, {fn.name});
        } else if (declare_value(fn.name, {ast::SymbolKind::Function, i, ret, 0, fn.loc})) {
            function_index_[fn.name] = i;
        }
    }
    symbols_.callees.assign(module_.functions.size(), {});
    symbols_.indirect_calls.assign(module_.functions.size(), {});
    symbols_.address_taken.assign(module_.functions.size(), false);
    symbols_.escapes.assign(module_.functions.size(), false);
}

void Sema::declare_threads() {
    std::unordered_map<std::string, SourceLoc> seen;
    fn_ = nullptr;
    for (auto& t : module_.threads) {
        if (auto [it, ok] = seen.try_emplace(t.name, t.loc); !ok) {
            diags_.report(DiagKind::Redefinition, t.loc, {"thread " + t.name});
            diags_.note(DiagKind::PreviousDefinition, it->second, {t.name});
            continue;
        }
        ast::Expr& call = *t.call;
        if (call.kind != ast::ExprKind::Call) {
            diags_.report(DiagKind::ThreadEntryNotCall, call.loc, {t.name}, call.length);
            continue;
        }
        auto fit = function_index_.find(call.text);
        if (fit == function_index_.end() && is_builtin_name(call.text)) {
            diags_.report(DiagKind::ThreadEntryBuiltin, call.loc, {t.name, call.text}, uint32_t(call.text.size()));
            continue;
        }
        if (fit == function_index_.end()) {
            diags_.report(DiagKind::UnknownFunction, call.loc, {call.text}, uint32_t(call.text.size()));
            note_nearest_function(call.text);
            continue;
        }
        auto const& params = module_.functions[fit->second].params;
        if (call.args.size() != params.size()) {
            diags_.report(DiagKind::WrongArity, call.loc,
                          {call.text, std::to_string(params.size()), std::to_string(call.args.size())},
                          call.length);
            continue;
        }
        ThreadInfo info{t.name, fit->second, {}, t.loc};
        for (size_t a = 0; a < params.size(); ++a) {
            int64_t v = 0;
            constant_value(*call.args[a], params[a].type.resolved, v,
                           fmt::format("argument {} of thread '{}'", a + 1, t.name));
            info.args.push_back(v);
        }
        symbols_.threads.push_back(std::move(info));
    }
    if (module_.threads.empty() && !diags_.has_errors())
        diags_.report(DiagKind::NoThreads, {module_.main_file, 0});
    if (symbols_.threads.size() > options_.max_threads)
        diags_.report(DiagKind::TooManyThreads, module_.threads[options_.max_threads].loc,
                      {std::to_string(symbols_.threads.size()), std::to_string(options_.max_threads)});
}

}  // namespace detail
}  // namespace probecheck::model
