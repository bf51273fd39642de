// `patch NAME { ... }`: a proposal changes part of a library function instead of copying it.
// Runs on the parsed module, before sema, so the patched function is checked like any other.
#pragma once

#include "model/ast/ast.hpp"
#include "model/diag/diagnostics.hpp"

namespace probecheck::model {

/// Applies every patch, in module order, to the latest definition of its function declared
/// before it (an override included); reports hunks that do not apply.
void apply_patches(ast::Module& module, SourceManager const& sources, DiagnosticEngine& diags);

}  // namespace probecheck::model
