// Front-end driver: path -> CompiledSystem, or diagnostics. The single entry point the CLI
// and tests use to load a model.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/compiled_system.hpp"
#include "model/diag/diagnostics.hpp"
#include "model/sema/sema.hpp"

namespace probecheck::model {

struct LoadOptions {
    SemaOptions sema;
    /// Where `import "x/y";` looks after the importing file's directory, in order; the
    /// built-in library (this tree's model/) is always searched last.
    std::vector<std::string> library_paths;
    /// Fuse the accesses no other thread can interleave with into the step before them
    /// (compile/fusible_steps.cpp); off: every shared access is a step of its own.
    bool fuse_steps = true;
};

struct LoadedModel {
    std::unique_ptr<CompiledSystem> system;  ///< null when diagnostics has errors
    DiagnosticEngine diagnostics;
};

/// Loads and compiles a model file; `sources` keeps the buffers for rendering.
[[nodiscard]] LoadedModel load_model(std::string const& path, SourceManager& sources,
                                     LoadOptions const& options = {});
/// Same for an in-memory buffer (tests); imports resolve against the working directory.
[[nodiscard]] LoadedModel load_model_text(std::string name, std::string text, SourceManager& sources,
                                          LoadOptions const& options = {});

}  // namespace probecheck::model
