// DiagnosticEngine: the one sink every front-end phase reports into. Phases keep going after
// an error (so one run reports many independent problems) and the engine caps the count at
// kMaxErrors. Rendering is separate (render_text) so library code never prints.
#pragma once

#include <string>
#include <vector>

#include "model/source/source_manager.hpp"

namespace probecheck::model {

enum class DiagKind : uint16_t {
#define PROBECHECK_DIAG(kind, severity, format) kind,
#include "model/diag/diagnostic_kinds.def"
#undef PROBECHECK_DIAG
};

enum class Severity : uint8_t { Error, Warning, Note };

/// One reported problem; `length` underlines that many bytes after `loc`.
struct Diagnostic {
    DiagKind kind;
    Severity severity;
    SourceLoc loc;
    uint32_t length = 1;
    std::string message;
    std::vector<Diagnostic> notes;
};

[[nodiscard]] std::string_view diag_kind_name(DiagKind k);

/// Collects diagnostics of one front-end run.
class DiagnosticEngine {
public:
    static constexpr unsigned kMaxErrors = 20;

    /// Reports a diagnostic whose message is the kind's format with `args` substituted.
    Diagnostic* report(DiagKind kind, SourceLoc loc, std::vector<std::string> args = {},
                       uint32_t length = 1);
    /// Attaches a note to the last reported diagnostic (ignored if it was dropped).
    void note(DiagKind kind, SourceLoc loc, std::vector<std::string> args = {});
    /// Ends the last reported diagnostic's message with "; did you mean 'NAME'?", as clang does.
    void suggest(std::string const& name);

    [[nodiscard]] bool has_errors() const { return errors_ > 0; }
    [[nodiscard]] bool stopped() const { return errors_ >= kMaxErrors; }
    [[nodiscard]] std::vector<Diagnostic> const& diagnostics() const { return diags_; }

private:
    std::vector<Diagnostic> diags_;
    unsigned errors_ = 0;
    bool last_dropped_ = false;
};

/// Renders clang-style text: `file:line:col: error: msg [Kind]`, the line and a caret.
[[nodiscard]] std::string render_text(Diagnostic const& d, SourceManager const& sm);

}  // namespace probecheck::model
