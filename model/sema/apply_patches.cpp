// A hunk is anchored on statements quoted as written and compared token by token, so spacing
// and comments do not matter. Like the context lines of a diff, the anchor is what keeps a
// proposal honest: when the library changes the statements it quotes, the patch stops applying
// with an error, where a copied function would silently go stale.
#include "model/sema/apply_patches.hpp"

#include <algorithm>
#include <iterator>

#include "model/diag/suggest.hpp"
#include "model/lex/lexer.hpp"

namespace probecheck::model {
namespace {

using ast::Stmt;
using ast::StmtKind;
using ast::StmtPtr;
using Tokens = std::vector<std::string_view>;

/// A statement with a body has a head (`if (cond)`, `for each d in device where ...`) that an
/// anchor may quote alone.
bool has_head(Stmt const& s) {
    switch (s.kind) {
        case StmtKind::If: case StmtKind::While: case StmtKind::ForEach: case StmtKind::Choose: case StmtKind::Atomic:
            return !s.body.empty() && s.body[0];
        default: return false;
    }
}

/// Where a hunk applies: `count` statements from `first` of a statement list, or a statement
/// standing alone as a branch or loop body (`slot`).
struct Site {
    std::vector<StmtPtr>* list = nullptr;
    StmtPtr* slot = nullptr;
    size_t first = 0, count = 1;
    SourceLoc loc;
};

class StatementText {
public:
    explicit StatementText(SourceManager const& sources) : sources_(sources) {}

    [[nodiscard]] std::string_view whole(Stmt const& s) const { return slice(s, s.end_offset); }
    [[nodiscard]] std::string_view head(Stmt const& s) const { return slice(s, s.body[0]->loc.offset); }

private:
    std::string_view slice(Stmt const& s, uint32_t end) const {
        if (!s.loc.file.valid() || end <= s.loc.offset) return {};
        std::string_view text = sources_.text(s.loc.file);
        if (end > text.size()) return {};
        return text.substr(s.loc.offset, end - s.loc.offset);
    }
    SourceManager const& sources_;
};

/// Every place in a function body where the anchor's tokens are the tokens of a run of
/// consecutive statements (the last one may be quoted by its head alone).
class AnchorFinder {
public:
    AnchorFinder(StatementText const& text, Tokens const& anchor) : text_(text), anchor_(anchor) {}

    std::vector<Site> find(Stmt& body) {
        sites_.clear();
        if (body.kind == StmtKind::Block) visit_list(body.body);
        return sites_;
    }

private:
    bool matches_at(std::string_view source, size_t at, bool to_end) const {
        Tokens tokens = token_spellings(source);
        if (tokens.empty() || at + tokens.size() > anchor_.size()) return false;
        if (to_end && at + tokens.size() != anchor_.size()) return false;
        return std::equal(tokens.begin(), tokens.end(), anchor_.begin() + static_cast<long>(at));
    }

    size_t run_length(std::vector<StmtPtr> const& list, size_t first) const {
        size_t at = 0;
        for (size_t k = first; k < list.size() && list[k]; ++k) {
            if (has_head(*list[k]) && matches_at(text_.head(*list[k]), at, true)) return k - first + 1;
            std::string_view whole = text_.whole(*list[k]);
            if (!matches_at(whole, at, false)) return 0;
            at += token_spellings(whole).size();
            if (at == anchor_.size()) return k - first + 1;
        }
        return 0;
    }

    void visit_list(std::vector<StmtPtr>& list) {
        for (size_t i = 0; i < list.size(); ++i) {
            if (!list[i]) continue;
            if (size_t n = run_length(list, i)) sites_.push_back({&list, nullptr, i, n, list[i]->loc});
            visit_children(*list[i]);
        }
    }

    void visit_children(Stmt& s) {
        for (auto& child : s.body) {
            if (!child) continue;
            if (child->kind == StmtKind::Block) {
                visit_list(child->body);
                continue;
            }
            bool alone = matches_at(text_.whole(*child), 0, true) ||
                         (has_head(*child) && matches_at(text_.head(*child), 0, true));
            if (alone) sites_.push_back({nullptr, &child, 0, 1, child->loc});
            visit_children(*child);
        }
    }

    StatementText const& text_;
    Tokens const& anchor_;
    std::vector<Site> sites_;
};

std::string joined(Tokens const& tokens) {
    std::string out;
    for (auto t : tokens) out += (out.empty() ? "" : " ") + std::string(t);
    return out;
}

/// The statement's source with each run of whitespace shown as one space.
std::string one_line(std::string_view source) {
    std::string out;
    for (char c : source) {
        bool space = c == ' ' || c == '\t' || c == '\n' || c == '\r';
        if (!space) out.push_back(c);
        else if (!out.empty() && out.back() != ' ') out.push_back(' ');
    }
    while (!out.empty() && out.back() == ' ') out.pop_back();
    return out;
}

struct Candidate {
    std::string tokens, shown;
    SourceLoc loc;
};

void collect_candidates(std::vector<StmtPtr> const& list, StatementText const& text, std::vector<Candidate>& out) {
    for (auto const& s : list) {
        if (!s) continue;
        if (s->kind != StmtKind::Block) {
            auto source = has_head(*s) ? text.head(*s) : text.whole(*s);
            out.push_back({joined(token_spellings(source)), one_line(source), s->loc});
        }
        collect_candidates(s->body, text, out);
    }
}

class PatchApplier {
public:
    PatchApplier(ast::Module& module, SourceManager const& sources, DiagnosticEngine& diags)
        : module_(module), sources_(sources), text_(sources), diags_(diags) {}

    void apply(ast::PatchDecl& patch) {
        ast::FuncDecl* target = latest_definition(patch);
        if (!target) return;
        for (auto& clause : patch.clauses) apply_hunk(*target, clause);
        std::string where = sources_.name(patch.loc.file) + ":" + std::to_string(sources_.line_col(patch.loc).line);
        target->patched_by += (target->patched_by.empty() ? "" : ", ") + where;
    }

private:
    ast::FuncDecl* latest_definition(ast::PatchDecl const& patch) {
        std::vector<std::string> names;
        for (size_t i = std::min<size_t>(patch.position, module_.functions.size()); i-- > 0;) {
            if (module_.functions[i].name == patch.function) return &module_.functions[i];
            names.push_back(module_.functions[i].name);
        }
        diags_.report(DiagKind::PatchOfUndefined, patch.loc, {patch.function}, uint32_t(patch.function.size()));
        if (auto near = closest_match(patch.function, names)) diags_.suggest(*near);
        return nullptr;
    }

    void apply_hunk(ast::FuncDecl& fn, ast::PatchClause& clause) {
        Tokens anchor = token_spellings(clause.anchor);
        if (anchor.empty()) {
            diags_.report(DiagKind::PatchAnchorInvalid, clause.loc, {clause.anchor}, clause.length);
            return;
        }
        if (!fn.body) return;
        auto sites = AnchorFinder(text_, anchor).find(*fn.body);
        if (sites.empty()) return report_not_found(fn, clause, anchor);
        if (sites.size() > 1) {
            diags_.report(DiagKind::PatchAnchorAmbiguous, clause.loc,
                          {fn.name, one_line(clause.anchor), std::to_string(sites.size())}, clause.length);
            for (auto const& site : sites) diags_.note(DiagKind::PatchMatchHere, site.loc);
            return;
        }
        splice(sites.front(), clause);
    }

    void report_not_found(ast::FuncDecl const& fn, ast::PatchClause const& clause, Tokens const& anchor) {
        diags_.report(DiagKind::PatchAnchorNotFound, clause.loc, {fn.name, one_line(clause.anchor)}, clause.length);
        diags_.note(DiagKind::DeclaredHere, fn.loc, {fn.name});
        std::vector<Candidate> candidates;
        collect_candidates(fn.body->body, text_, candidates);
        std::vector<std::string> spellings;
        for (auto const& c : candidates) spellings.push_back(c.tokens);
        auto near = closest_match(joined(anchor), spellings);
        if (!near) return;
        auto it = std::find_if(candidates.begin(), candidates.end(), [&](auto const& c) { return c.tokens == *near; });
        diags_.note(DiagKind::DidYouMean, it->loc, {it->shown});
    }

    static void splice(Site site, ast::PatchClause& clause) {
        using Kind = ast::PatchClause::Kind;
        std::vector<StmtPtr>* list = site.list;
        if (!list) {  // a branch or loop body of one statement becomes a block around it
            auto block = std::make_unique<Stmt>();
            block->kind = StmtKind::Block;
            block->loc = (*site.slot)->loc;
            block->end_offset = (*site.slot)->end_offset;
            block->body.push_back(std::move(*site.slot));
            *site.slot = std::move(block);
            list = &(*site.slot)->body;
        }
        std::vector<StmtPtr> inserted;
        if (clause.body) inserted = std::move(clause.body->body);
        auto at = static_cast<long>(site.first);
        if (clause.kind == Kind::After) at += static_cast<long>(site.count);
        if (clause.kind == Kind::Replace || clause.kind == Kind::Delete)
            list->erase(list->begin() + at, list->begin() + at + static_cast<long>(site.count));
        list->insert(list->begin() + at, std::make_move_iterator(inserted.begin()),
                     std::make_move_iterator(inserted.end()));
    }

    ast::Module& module_;
    SourceManager const& sources_;
    StatementText text_;
    DiagnosticEngine& diags_;
};

}  // namespace

void apply_patches(ast::Module& module, SourceManager const& sources, DiagnosticEngine& diags) {
    PatchApplier applier(module, sources, diags);
    for (auto& patch : module.patches) applier.apply(patch);
}

}  // namespace probecheck::model
