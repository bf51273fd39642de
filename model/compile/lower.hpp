// Lowering: annotated AST + SymbolTable -> bc::Program. Runs only on modules sema accepted;
// the only diagnostics left at this stage are size limits (state too large).
#pragma once

#include <optional>

#include "model/bytecode/program.hpp"
#include "model/diag/diagnostics.hpp"
#include "model/sema/symbols.hpp"

namespace probecheck::model {

[[nodiscard]] std::optional<bc::Program> compile(ast::Module const& module, SymbolTable const& symbols,
                                                 DiagnosticEngine& diags);

namespace detail {

/// Computes globals/objects/locks layout and initial values (layout.cpp).
void lay_out_data(SymbolTable const& symbols, bc::Program& program);
/// Computes each function's stack need and the thread regions (layout.cpp).
void lay_out_threads(SymbolTable const& symbols, bc::Program& program);
/// Per data slot: some instruction of some function may write it (call_targets.cpp).
[[nodiscard]] std::vector<bool> written_slots(bc::Program const& program);

/// The functions each indirect call may reach (call_targets.cpp): through a field nothing
/// writes, those its initialisers name; otherwise every function of a matching signature.
class CallTargets {
public:
    CallTargets(SymbolTable const& symbols, bc::Program const& program);
    [[nodiscard]] std::vector<uint32_t> const& at(uint32_t function, uint32_t pc) const;

private:
    void narrow(uint32_t f, uint32_t pc, std::vector<bool> const& jump_target, std::vector<bool> const& written);
    [[nodiscard]] bool reachable_object(uint32_t object) const;
    SymbolTable const& symbols_;
    bc::Program const& p_;
    std::vector<std::vector<std::pair<uint32_t, std::vector<uint32_t>>>> narrowed_;  ///< per function: (pc, targets)
};

/// Per function, per instruction: bit sets over program.locks of the lock words every
/// execution reaching the instruction holds (held_locks.cpp).
struct HeldLocks {
    uint32_t words = 0;
    std::vector<std::vector<std::vector<uint64_t>>> before;
};
[[nodiscard]] HeldLocks must_held_locks(SymbolTable const& symbols, bc::Program const& program);
/// The (function, pc) of field loads and stores a lock of their own object protects, for
/// structs never freed (`freeable`: per struct): own_locks.cpp.
[[nodiscard]] std::vector<std::pair<uint32_t, uint32_t>> own_lock_protected(SymbolTable const& symbols,
                                                                            bc::Program const& program,
                                                                            HeldLocks const& held,
                                                                            std::vector<bool> const& freeable);
/// Finds the accesses no other thread can interleave with (fusible_steps.cpp).
void find_fusible_steps(SymbolTable const& symbols, bc::Program& program);
/// Computes the access classes and per-instruction futures reduction uses (footprints.cpp).
void compute_footprints(SymbolTable const& symbols, bc::Program& program);

/// Struct index of the object a member expression `p->f` reads through.
inline uint16_t struct_of(ast::Expr const& member) {
    return static_cast<uint16_t>(member.args[0]->type.id);
}

/// A value produced by expression lowering: a register or an immediate.
struct Operand {
    bool imm = false;
    uint32_t value = 0;
};

/// The body of a function no call can reach (SymbolTable::function_reachable).
bc::Function unreachable_stub(ast::FuncDecl const& fn);

/// Lowers one function body (lower_stmt.cpp, lower_expr.cpp).
class FunctionLowering {
public:
    FunctionLowering(ast::FuncDecl const& fn, SymbolTable const& symbols, bc::Program& program)
        : fn_(fn), symbols_(symbols), program_(program) {}
    bc::Function run();

private:
    struct Loop {
        std::vector<size_t> breaks;
        std::vector<size_t> continues;  ///< patched to the loop's step (for each)
        uint32_t top = 0;
        uint32_t first_local = 0;
        bool continue_to_top = true;
    };

    // statements
    void lower_stmt(ast::Stmt const& s);
    void lower_block(ast::Stmt const& s);
    void lower_if(ast::Stmt const& s);
    void lower_while(ast::Stmt const& s);
    void lower_loop_exit(ast::Stmt const& s);
    void lower_choose(ast::Stmt const& s);
    void lower_for_each(ast::Stmt const& s);
    bool has_objects_with_lifecycle(uint32_t struct_index) const;
    void lower_await(ast::Stmt const& s);
    void lower_spawn(ast::Stmt const& s);
    void lower_var_decl(ast::Stmt const& s);
    void lower_assign(ast::Stmt const& s);
    void lower_return(ast::Stmt const& s);
    void lower_builtin(ast::Expr const& call);
    void lower_lock_op(ast::Expr const& target, bc::Op global_op, bc::Op field_op, SourceLoc loc,
                       uint32_t dst = 0);
    void end_statement();

    // expressions
    Operand lower_expr(ast::Expr const& e);
    Operand lower_name(ast::Expr const& e);
    Operand lower_unary(ast::Expr const& e);
    Operand lower_binary(ast::Expr const& e);
    Operand lower_logical(ast::Expr const& e);
    Operand lower_member(ast::Expr const& e);
    Operand lower_call(ast::Expr const& e);
    uint32_t lower_arguments(ast::Expr const& call, size_t first);
    Operand lower_call_indirect(ast::Expr const& e);
    uint32_t to_reg(Operand op, SourceLoc loc);
    void move_into(uint32_t dst, Operand op, SourceLoc loc);
    uint32_t instance_field_slot(ast::Expr const& member) const;

    uint32_t new_temp();
    /// Frees the temporaries allocated since `mark` (their values are consumed).
    void release_to(uint32_t mark) { temp_top_ = mark; }
    size_t emit(bc::Instr i);
    [[nodiscard]] uint32_t here() const { return static_cast<uint32_t>(code_.size()); }

    ast::FuncDecl const& fn_;
    SymbolTable const& symbols_;
    bc::Program& program_;
    std::vector<bc::Instr> code_;
    uint32_t temp_base_ = 0;
    uint32_t temp_top_ = 0;
    uint32_t temp_max_ = 0;
    uint32_t stmt_high_ = 0;  ///< temporaries the current statement touched, to zero at its end
    uint32_t next_local_ = 0;
    std::vector<Loop> loops_;
};

}  // namespace detail
}  // namespace probecheck::model
