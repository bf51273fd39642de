// Overlay declarations, with which a scenario changes what it imports instead of copying it:
//   override_decl := 'override' (function | IDENT '.' IDENT '=' expr ';' | pool_decl)
//   patch_decl    := 'patch' IDENT '{' hunk* '}'
//   hunk          := ('before' | 'after' | 'replace') STRING block | 'delete' STRING ';'
//   extend_decl   := 'extend' 'struct' IDENT '{' field* '}'
// ('patch', 'extend' and the hunk words are not reserved: only their place gives them meaning.)
#include "model/parse/parser.hpp"

namespace probecheck::model::detail {

void Parser::parse_override(ast::Module& out) {
    advance();
    if (at(TokenKind::KwPool)) {
        size_t pools = out.pools.size();
        parse_pool(out);
        if (out.pools.size() > pools) out.pools.back().is_override = true;
        return;
    }
    if (at(TokenKind::Identifier) && peek(1).kind == TokenKind::Dot) {
        ast::FieldOverride f{std::string(peek().text), std::string(peek(2).text), peek().loc, nullptr};
        advance();
        advance();
        if (!expect(TokenKind::Identifier, "as the field to override") ||
            !expect(TokenKind::Assign, "in 'override instance.field = value;'"))
            return synchronize_declaration();
        f.value = parse_expr();
        if (!f.value || !expect(TokenKind::Semi, "after override")) return synchronize_declaration();
        out.field_overrides.push_back(std::move(f));
        return;
    }
    size_t functions = out.functions.size();
    parse_global_or_function(out);
    if (out.functions.size() > functions) out.functions.back().is_override = true;
}

void Parser::parse_patch(ast::Module& out) {
    advance();  // patch
    ast::PatchDecl patch;
    patch.loc = peek().loc;
    patch.function = std::string(advance().text);
    patch.position = static_cast<uint32_t>(out.functions.size());
    SourceLoc open = advance().loc;  // {
    while (!at(TokenKind::RBrace) && !stopped()) {
        size_t before = pos_;
        if (!parse_patch_clause(patch)) synchronize_statement();
        if (pos_ == before) advance();
    }
    if (!expect(TokenKind::RBrace, "to end the patch")) diags_.note(DiagKind::MatchingBrace, open, {"{"});
    out.patches.push_back(std::move(patch));
}

bool Parser::parse_patch_clause(ast::PatchDecl& patch) {
    using Kind = ast::PatchClause::Kind;
    ast::PatchClause clause;
    std::string_view word = at(TokenKind::Identifier) ? peek().text : std::string_view{};
    if (word == "before") clause.kind = Kind::Before;
    else if (word == "after") clause.kind = Kind::After;
    else if (word == "replace") clause.kind = Kind::Replace;
    else if (word == "delete") clause.kind = Kind::Delete;
    else {
        diags_.report(DiagKind::ExpectedToken, peek().loc,
                      {"'before', 'after', 'replace' or 'delete'", "in a patch", describe_token(peek())},
                      static_cast<uint32_t>(peek().text.size()));
        return false;
    }
    advance();
    if (!expect(TokenKind::StringLiteral, "quoting the statements the hunk applies to")) return false;
    Token const& anchor = toks_[pos_ - 1];
    clause.anchor = string_literal_value(anchor);
    clause.loc = anchor.loc;
    clause.length = static_cast<uint32_t>(anchor.text.size());
    if (clause.kind == Kind::Delete) {
        if (!expect(TokenKind::Semi, "after the deleted statements")) return false;
    } else {
        if (!at(TokenKind::LBrace)) return expect(TokenKind::LBrace, "to begin the statements the hunk inserts");
        clause.body = parse_block();
    }
    patch.clauses.push_back(std::move(clause));
    return true;
}

void Parser::parse_extend(ast::Module& out) {
    advance();  // extend
    if (peek(1).kind != TokenKind::Identifier || peek(2).kind != TokenKind::LBrace) {
        advance();  // struct
        if (expect(TokenKind::Identifier, "as the struct to extend"))
            expect(TokenKind::LBrace, "to begin the fields the extension adds");
        return synchronize_declaration();
    }
    parse_struct(out);
    out.structs.back().is_extension = true;
}

}  // namespace probecheck::model::detail
