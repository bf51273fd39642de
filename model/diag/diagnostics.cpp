// Diagnostic formatting and clang-style rendering. Formats are substituted positionally
// ({0}, {1}, ...) by fmt's dynamic argument store, so a format/argument mismatch can only
// produce a visible "{n}", never undefined behaviour.
#include "model/diag/diagnostics.hpp"

#include <fmt/args.h>
#include <fmt/format.h>

namespace probecheck::model {
namespace {

struct KindInfo {
    std::string_view name;
    Severity severity;
    std::string_view format;
};

constexpr KindInfo kKinds[] = {
#define PROBECHECK_DIAG(kind, severity, format) {#kind, Severity::severity, format},
#include "model/diag/diagnostic_kinds.def"
#undef PROBECHECK_DIAG
};

std::string format_message(std::string_view format, std::vector<std::string> const& args) {
    fmt::dynamic_format_arg_store<fmt::format_context> store;
    for (auto const& a : args) store.push_back(a);
    try {
        return fmt::vformat(format, store);
    } catch (fmt::format_error const&) {
        return std::string(format);
    }
}

std::string_view severity_word(Severity s) {
    switch (s) {
        case Severity::Error: return "error";
        case Severity::Warning: return "warning";
        case Severity::Note: return "note";
    }
    return "error";
}

bool is_plain_ascii(std::string_view line) {
    for (unsigned char c : line) {
        if (c >= 0x7f || (c < 0x20 && c != '\t')) return false;
    }
    return true;
}

// Non-printable bytes are shown escaped so binary input cannot garble a terminal.
std::string printable(std::string_view line) {
    std::string out;
    for (unsigned char c : line) {
        if (c == '\t') out += "        ";
        else if (c >= 0x20 && c < 0x7f) out += static_cast<char>(c);
        else out += fmt::format("\\x{:02x}", c);
    }
    return out;
}

std::string expand_tabs(std::string_view line) {
    std::string out;
    for (char c : line) {
        if (c == '\t') out.append(8 - out.size() % 8, ' ');
        else out += c;
    }
    return out;
}

}  // namespace

std::string_view diag_kind_name(DiagKind k) { return kKinds[static_cast<size_t>(k)].name; }

Diagnostic* DiagnosticEngine::report(DiagKind kind, SourceLoc loc, std::vector<std::string> args,
                                     uint32_t length) {
    KindInfo const& info = kKinds[static_cast<size_t>(kind)];
    if (stopped()) {
        last_dropped_ = true;
        return nullptr;
    }
    last_dropped_ = false;
    diags_.push_back({kind, info.severity, loc, length == 0 ? 1 : length,
                      format_message(info.format, args), {}});
    if (info.severity == Severity::Error && ++errors_ == kMaxErrors) {
        diags_.push_back({DiagKind::TooManyErrors, Severity::Error, {}, 1,
                          std::string(kKinds[size_t(DiagKind::TooManyErrors)].format), {}});
    }
    return &diags_.back();
}

void DiagnosticEngine::suggest(std::string const& name) {
    if (last_dropped_ || diags_.empty()) return;
    Diagnostic& target = diags_.back().kind == DiagKind::TooManyErrors && diags_.size() > 1
                             ? diags_[diags_.size() - 2]
                             : diags_.back();
    target.message += "; did you mean '" + name + "'?";
}

void DiagnosticEngine::note(DiagKind kind, SourceLoc loc, std::vector<std::string> args) {
    if (last_dropped_ || diags_.empty()) return;
    KindInfo const& info = kKinds[static_cast<size_t>(kind)];
    Diagnostic& target = diags_.back().kind == DiagKind::TooManyErrors && diags_.size() > 1
                             ? diags_[diags_.size() - 2]
                             : diags_.back();
    target.notes.push_back({kind, Severity::Note, loc, 1, format_message(info.format, args), {}});
}

namespace {

void render_one(Diagnostic const& d, SourceManager const& sm, std::string& out) {
    bool located = d.loc.valid();
    if (located) {
        LineCol lc = sm.line_col(d.loc);
        out += fmt::format("{}:{}:{}: ", sm.name(d.loc.file), lc.line, lc.column);
    } else {
        out += "probecheck: ";
    }
    out += fmt::format("{}: {}", severity_word(d.severity), d.message);
    if (d.severity != Severity::Note) out += fmt::format(" [{}]", diag_kind_name(d.kind));
    out += '\n';
    if (!located) return;
    LineCol lc = sm.line_col(d.loc);
    std::string_view line = sm.line_text(d.loc.file, lc.line);
    if (!is_plain_ascii(line)) {
        out += fmt::format("{:>5} | {}\n", lc.line, printable(line));
        return;
    }
    out += fmt::format("{:>5} | {}\n", lc.line, expand_tabs(line));
    uint32_t width = static_cast<uint32_t>(expand_tabs(line).size());
    uint32_t tildes = d.length > 1 ? d.length - 1 : 0;
    if (lc.column + tildes > width) tildes = width >= lc.column ? width - lc.column : 0;
    out += fmt::format("      | {}^{}\n", std::string(lc.column - 1, ' '), std::string(tildes, '~'));
}

}  // namespace

std::string render_text(Diagnostic const& d, SourceManager const& sm) {
    std::string out;
    render_one(d, sm, out);
    for (auto const& n : d.notes) render_one(n, sm, out);
    return out;
}

}  // namespace probecheck::model
