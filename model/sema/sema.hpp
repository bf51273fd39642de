// Semantic analysis: resolves names, checks types, arity and lock expressions, annotates the
// AST in place and fills a SymbolTable. Reports every problem into the DiagnosticEngine and
// returns false if any error was found; the lowering runs only on a module that passed.
#pragma once

#include "model/diag/diagnostics.hpp"
#include "model/sema/symbols.hpp"

namespace probecheck::model {

struct SemaOptions {
    uint32_t max_call_depth = 32;
    uint32_t max_recursion = 2;  ///< occurrences of one function in a call chain
    uint32_t max_threads = 64;
    uint32_t max_pool_size = 64;
};

/// Source-like spelling of an expression for messages: "dev->lock", "&gpu", "ops->probe()".
[[nodiscard]] std::string describe_expr(ast::Expr const& e);

[[nodiscard]] bool analyze(ast::Module& module, SymbolTable& symbols, DiagnosticEngine& diags,
                           SemaOptions const& options = {});

}  // namespace probecheck::model
