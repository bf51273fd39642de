// Recursive-descent parser: tokens -> ast::Module. Errors are reported and the parser
// resynchronises at ';', '}' or the next declaration keyword, so one run reports several
// independent syntax errors. Every loop consumes a token or stops, so it always terminates.
#pragma once

#include <vector>

#include "model/ast/ast.hpp"
#include "model/lex/lexer.hpp"

namespace probecheck::model {

/// Parses one file's tokens (which end in Eof) and appends its declarations to `out`.
void parse(std::vector<Token> const& tokens, ast::Module& out, DiagnosticEngine& diags);

namespace detail {

/// Shared cursor and helpers of the parse_{decl,stmt,expr}.cpp parts.
class Parser {
public:
    Parser(std::vector<Token> const& tokens, DiagnosticEngine& diags)
        : toks_(tokens), diags_(diags) {}

    void parse_module(ast::Module& out);

    // parse_decl.cpp
    bool at_type_start() const;
    bool parse_type(ast::TypeRef& out);
    bool parse_declarator(ast::TypeRef& type, std::string& name, SourceLoc& loc, char const* what);
    // parse_stmt.cpp
    ast::StmtPtr parse_block();
    ast::StmtPtr parse_statement();
    // parse_expr.cpp
    ast::ExprPtr parse_expr();

private:
    Token const& peek(size_t ahead = 0) const {
        size_t i = pos_ + ahead;
        return i < toks_.size() ? toks_[i] : toks_.back();
    }
    bool at(TokenKind k) const { return peek().kind == k; }
    Token const& advance() {
        Token const& t = peek();
        if (pos_ + 1 < toks_.size()) ++pos_;
        return t;
    }
    bool accept(TokenKind k) {
        if (!at(k)) return false;
        advance();
        return true;
    }
    bool expect(TokenKind k, char const* context);
    // A field name: an identifier, or `mutex`/`spinlock`, which the kernel uses as field names
    // (group->mutex).
    bool expect_field_name(char const* context);
    [[nodiscard]] std::string_view source_between(SourceLoc from, SourceLoc to) const;
    void abort_parse(DiagKind kind, std::vector<std::string> args);
    void synchronize_statement();
    void synchronize_declaration();
    bool stopped() const { return diags_.stopped() || at(TokenKind::Eof); }

    void parse_declaration(ast::Module& out);
    void parse_struct(ast::Module& out);
    void parse_enum(ast::Module& out);
    void parse_pool(ast::Module& out);
    void parse_thread(ast::Module& out);
    bool parse_annotations(std::vector<ast::Annotation>& out);
    void parse_annotated(ast::Module& out);
    void parse_expect(ast::Module& out);
    void parse_import(ast::Module& out);
    // parse_overlay.cpp
    void parse_override(ast::Module& out);
    void parse_patch(ast::Module& out);
    bool parse_patch_clause(ast::PatchDecl& patch);
    void parse_extend(ast::Module& out);
    ast::StmtPtr parse_statement_kind();
    void parse_property(ast::Module& out);
    void parse_topology(ast::Module& out);
    void parse_global_or_function(ast::Module& out);
    void parse_function_rest(ast::FuncDecl& fn);
    void parse_instance_init(ast::GlobalDecl& g);

    bool parse_condition(ast::Stmt& s, char const* after_keyword, char const* after_condition);
    ast::StmtPtr parse_if();
    ast::StmtPtr parse_while();
    ast::StmtPtr parse_choose();
    ast::StmtPtr parse_for_each();
    ast::StmtPtr parse_await_or_spawn();
    ast::StmtPtr parse_return();
    ast::StmtPtr parse_var_decl();
    ast::StmtPtr parse_simple_statement();

    ast::ExprPtr parse_binary(int min_precedence);
    ast::ExprPtr parse_unary();
    ast::ExprPtr parse_postfix();
    ast::ExprPtr parse_primary();
    bool parse_arguments(ast::Expr& call);
    ast::ExprPtr parse_call(Token const& callee);
    ast::ExprPtr parse_indirect_call(ast::ExprPtr callee, Token const& first);
    ast::ExprPtr make_expr(ast::ExprKind k, Token const& at_token);
    void finish(ast::Expr& e, Token const& first);

    std::vector<Token> const& toks_;
    DiagnosticEngine& diags_;
    size_t pos_ = 0;
    unsigned depth_ = 0;
    bool aborted_ = false;  ///< a fatal parse error: no further diagnostics
    friend class DepthGuard;
};

/// Bounds recursion so pathological nesting is a diagnostic, not a stack overflow.
class DepthGuard {
public:
    static constexpr unsigned kMaxDepth = 200;
    explicit DepthGuard(Parser& p) : p_(p) { ++p_.depth_; }
    ~DepthGuard() { --p_.depth_; }
    DepthGuard(DepthGuard const&) = delete;
    DepthGuard& operator=(DepthGuard const&) = delete;
    [[nodiscard]] bool too_deep() const { return p_.depth_ > kMaxDepth; }

private:
    Parser& p_;
};

}  // namespace detail
}  // namespace probecheck::model
