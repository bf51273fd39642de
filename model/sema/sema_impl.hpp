// Internal state of one sema run, shared by sema_{decls,expr,stmt,calls}.cpp.
#pragma once

#include <optional>
#include <string>
#include <unordered_map>
#include <vector>

#include "model/sema/sema.hpp"

namespace probecheck::model::detail {

class Sema {
public:
    Sema(ast::Module& m, SymbolTable& s, DiagnosticEngine& d, SemaOptions const& o)
        : module_(m), symbols_(s), diags_(d), options_(o) {}

    bool run();

private:
    // sema_decls.cpp
    void declare_builtin_constants();
    void declare_types();
    void resolve_struct_fields();
    void declare_pools();
    void declare_globals();
    void declare_functions();
    void declare_threads();
    // sema_overlay.cpp
    void apply_function_overrides();
    void apply_field_overrides();
    void check_annotations();
    void check_expects();
    void collect_properties();
    // sema_suggest.cpp
    void note_nearest(std::string const& wanted, std::vector<std::string> candidates, char const* prefix = "");
    void report_unknown_struct(std::string const& name, SourceLoc loc, uint32_t length = 1);
    void report_unknown_field(StructInfo const& s, std::string const& field, SourceLoc loc, uint32_t length = 1);
    void note_nearest_value(std::string const& name);
    void note_nearest_function(std::string const& name);
    // sema_topology.cpp
    void apply_topology();
    void check_kernel_annotation(ast::Annotation const& a, KernelRef& out);
    void check_guard_annotation(ast::Annotation const& a, StructInfo& s, FieldInfo& field);
    void check_lockdep_class(ast::Annotation const& a, LockdepInfo& out);
    void check_lockdep_annotation(ast::Annotation const& a, FieldInfo& field);
    bool declare_value(std::string const& name, ValueSymbol sym);
    bool declare_type_name(std::string const& name, SourceLoc loc);
    Type resolve_type(ast::TypeRef& t);
    Type resolve_signature(ast::TypeRef& t);
    bool constant_value(ast::Expr& e, Type expected, int64_t& out, std::string const& what);
    void init_instance(ast::GlobalDecl& g, InstanceInfo& inst);

    // sema_stmt.cpp
    void check_function(uint32_t index);
    void check_stmt(ast::Stmt& s);
    void check_block(ast::Stmt& s);
    void check_var_decl(ast::Stmt& s);
    void check_for_each(ast::Stmt& s);
    void check_atomic(ast::Stmt& s);
    void check_spawn(ast::Stmt& s);
    void check_assign(ast::Stmt& s);
    void check_return(ast::Stmt& s);
    void check_condition(ast::Expr& e);
    static bool always_returns(ast::Stmt const& s);
    static bool breaks_out(ast::Stmt const& s);

    // sema_expr.cpp
    Type check_expr(ast::Expr& e);
    Type check_value(ast::Expr& e, char const* context);
    Type check_name(ast::Expr& e);
    Type check_unary(ast::Expr& e);
    Type check_binary(ast::Expr& e);
    Type check_comparison_operand(ast::Expr& e);
    Type check_member(ast::Expr& e);
    Type check_addr_of(ast::Expr& e);
    Type check_call(ast::Expr& e);
    Type check_builtin(ast::Expr& e, TypeKind lock_kind);
    Type check_call_indirect(ast::Expr& e);
    [[nodiscard]] bool names_function_reference(std::string const& name) const;
    Type check_kzalloc(ast::Expr& e);
    void check_lock_arg(ast::Expr& e, char const* builtin, TypeKind want);
    static bool is_builtin_name(std::string const& name);
    /// Source-like spelling of an expression for messages: "dev->lock", "&gpu", "NULL".
    static std::string describe(ast::Expr const& e);
    bool assignable(Type to, Type from) const;
    void expect_type(ast::Expr& e, Type got, Type want, std::string const& context);
    [[nodiscard]] std::string tname(Type t) const { return type_name(t, symbols_); }

    // sema_calls.cpp
    void check_call_graph();
    void resolve_indirect_calls();
    /// Before checking `value`, the value stored into field `field` of struct `structure`:
    /// a function named there is that field's target rather than an escaping reference.
    void begin_field_store(ast::Expr const& value, Type field_type);
    void init_instance_fields(ast::GlobalDecl& g, InstanceInfo& inst);
    void end_field_store(ast::Expr const& value, Type field_type, uint32_t structure, uint32_t field,
                         uint32_t instance);
    void note_instance_ref(uint32_t instance);
    void add_indirect_callees();
    std::vector<uint32_t> entry_functions() const;
    bool grow_reachable_instances(std::vector<bool> const& functions);

    ast::Module& module_;
    SymbolTable& symbols_;
    DiagnosticEngine& diags_;
    SemaOptions const& options_;

    // per-function state
    ast::FuncDecl* fn_ = nullptr;
    uint32_t fn_index_ = 0;
    std::vector<std::unordered_map<std::string, uint32_t>> scopes_;
    unsigned loop_depth_ = 0;
    unsigned atomic_depth_ = 0;
    unsigned loop_depth_at_atomic_ = 0;  ///< loops outside the innermost atomic block
    std::unordered_map<std::string, uint32_t> function_index_;
    ast::Expr const* field_store_value_ = nullptr;  ///< see begin_field_store()
    ast::Expr const* compared_instance_ = nullptr;  ///< `x` of `p == &x`: not a flow of `&x`
    // Where instances are named (see SymbolTable::instance_reachable): by a function, by an
    // instance's initialiser, or at top level (threads, globals, topology).
    static constexpr uint32_t kNoInstance = UINT32_MAX;
    uint32_t initializing_instance_ = kNoInstance;
    std::vector<std::vector<uint32_t>> function_instance_refs_;
    std::vector<std::vector<uint32_t>> instance_init_refs_;
    std::vector<uint32_t> top_level_instance_refs_;
};

}  // namespace probecheck::model::detail
