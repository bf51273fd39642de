// Statements. Grammar:
//   block     := '{' statement* '}'
//   statement := block | 'if' '(' expr ')' statement ('else' statement)?
//              | 'while' '(' expr ')' statement | 'return' expr? ';'
//              | 'break' ';' | 'continue' ';' | type IDENT ('=' expr)? ';'
//              | expr (('=' | '+=' | '-=') expr | '++' | '--')? ';'
#include "model/parse/parser.hpp"

namespace probecheck::model::detail {

void Parser::synchronize_statement() {
    while (!stopped()) {
        TokenKind k = peek().kind;
        if (k == TokenKind::RBrace) return;
        advance();
        if (k == TokenKind::Semi) return;
    }
}

ast::StmtPtr Parser::parse_block() {
    auto block = std::make_unique<ast::Stmt>();
    block->kind = ast::StmtKind::Block;
    block->loc = peek().loc;
    SourceLoc open = peek().loc;
    expect(TokenKind::LBrace, "to begin a block");
    while (!at(TokenKind::RBrace) && !stopped()) {
        size_t before = pos_;
        if (auto s = parse_statement()) block->body.push_back(std::move(s));
        if (pos_ == before) advance();
    }
    if (!expect(TokenKind::RBrace, "to end the block") && at(TokenKind::Eof) && !aborted_)
        diags_.note(DiagKind::MatchingBrace, open, {"{"});
    return block;
}

// Each statement remembers where its text ends, so a patch can find it by its spelling.
ast::StmtPtr Parser::parse_statement() {
    auto s = parse_statement_kind();
    if (s && pos_ > 0) {
        Token const& last = toks_[pos_ - 1];
        s->end_offset = last.loc.offset + static_cast<uint32_t>(last.text.size());
    }
    return s;
}

ast::StmtPtr Parser::parse_statement_kind() {
    DepthGuard guard(*this);
    if (guard.too_deep()) {
        abort_parse(DiagKind::NestingTooDeep, {std::to_string(DepthGuard::kMaxDepth)});
        return nullptr;
    }
    switch (peek().kind) {
        case TokenKind::LBrace: return parse_block();
        case TokenKind::KwIf: return parse_if();
        case TokenKind::KwWhile: return parse_while();
        case TokenKind::KwChoose: return parse_choose();
        case TokenKind::KwFor: return parse_for_each();
        case TokenKind::KwAtomic: {
            auto s = std::make_unique<ast::Stmt>();
            s->kind = ast::StmtKind::Atomic;
            s->loc = advance().loc;
            if (!at(TokenKind::LBrace)) {
                expect(TokenKind::LBrace, "after 'atomic'");
                synchronize_statement();
                return nullptr;
            }
            auto body = parse_block();
            if (!body) return nullptr;
            s->body.push_back(std::move(body));
            return s;
        }
        case TokenKind::KwAwait:
        case TokenKind::KwSpawn: return parse_await_or_spawn();
        case TokenKind::KwReturn: return parse_return();
        case TokenKind::KwBreak:
        case TokenKind::KwContinue: {
            auto s = std::make_unique<ast::Stmt>();
            s->kind = at(TokenKind::KwBreak) ? ast::StmtKind::Break : ast::StmtKind::Continue;
            s->loc = advance().loc;
            if (!expect(TokenKind::Semi, "after loop control")) synchronize_statement();
            return s;
        }
        default: break;
    }
    if (at_type_start()) return parse_var_decl();
    return parse_simple_statement();
}

// '(' expr ')' after `if`/`while`; false (and resynchronised) on error.
bool Parser::parse_condition(ast::Stmt& s, char const* after_keyword, char const* after_condition) {
    if (!expect(TokenKind::LParen, after_keyword)) {
        synchronize_statement();
        return false;
    }
    s.expr = parse_expr();
    if (!s.expr || !expect(TokenKind::RParen, after_condition)) {
        synchronize_statement();
        return false;
    }
    return true;
}

ast::StmtPtr Parser::parse_if() {
    auto s = std::make_unique<ast::Stmt>();
    s->kind = ast::StmtKind::If;
    s->loc = advance().loc;
    if (!parse_condition(*s, "after 'if'", "after if condition")) return nullptr;
    auto then_branch = parse_statement();
    if (!then_branch) return nullptr;
    s->body.push_back(std::move(then_branch));
    if (accept(TokenKind::KwElse)) {
        auto else_branch = parse_statement();
        if (!else_branch) return nullptr;
        s->body.push_back(std::move(else_branch));
    }
    return s;
}

ast::StmtPtr Parser::parse_while() {
    auto s = std::make_unique<ast::Stmt>();
    s->kind = ast::StmtKind::While;
    s->loc = advance().loc;
    if (!parse_condition(*s, "after 'while'", "after while condition")) return nullptr;
    auto body = parse_statement();
    if (!body) return nullptr;
    s->body.push_back(std::move(body));
    return s;
}

// for_each := 'for' 'each' IDENT 'in' IDENT ('where' expr)? statement
// ('each', 'in' and 'where' are not reserved: only their place here gives them meaning.)
ast::StmtPtr Parser::parse_for_each() {
    auto s = std::make_unique<ast::Stmt>();
    s->kind = ast::StmtKind::ForEach;
    s->loc = advance().loc;
    auto word = [&](char const* w, char const* context) {
        if (at(TokenKind::Identifier) && peek().text == w) {
            advance();
            return true;
        }
        diags_.report(DiagKind::ExpectedToken, peek().loc, {std::string("'") + w + "'", context, describe_token(peek())},
                      static_cast<uint32_t>(peek().text.size()));
        return false;
    };
    bool ok = word("each", "after 'for' (loops are 'for each d in device')");
    ok = ok && expect(TokenKind::Identifier, "as loop variable");
    if (ok) s->name = std::string(toks_[pos_ - 1].text);
    ok = ok && word("in", "after the loop variable");
    if (ok) s->var_type.loc = peek().loc;
    ok = ok && expect(TokenKind::Identifier, "as the struct whose instances the loop visits");
    if (!ok) {  // skip the rest of the header and the body, so the body's '}' ends nothing else
        while (!stopped() && !at(TokenKind::LBrace) && !at(TokenKind::Semi) && !at(TokenKind::RBrace)) advance();
        if (at(TokenKind::LBrace)) parse_block();
        return nullptr;
    }
    s->var_type.kind = ast::TypeRef::Kind::StructPtr;
    s->var_type.name = std::string(toks_[pos_ - 1].text);
    if (at(TokenKind::Identifier) && peek().text == "where") {
        advance();
        s->expr = parse_expr();
        if (!s->expr) return nullptr;
    }
    auto body = parse_statement();
    if (!body) return nullptr;
    s->body.push_back(std::move(body));
    return s;
}

// await_stmt := 'await' '(' expr ')' ';'      spawn_stmt := 'spawn' IDENT '(' args ')' ';'
ast::StmtPtr Parser::parse_await_or_spawn() {
    auto s = std::make_unique<ast::Stmt>();
    bool await = at(TokenKind::KwAwait);
    s->kind = await ? ast::StmtKind::Await : ast::StmtKind::Spawn;
    s->loc = advance().loc;
    if (await) {
        if (!parse_condition(*s, "after 'await'", "after the awaited condition")) return nullptr;
    } else {
        s->expr = parse_expr();
        if (!s->expr) {
            synchronize_statement();
            return nullptr;
        }
    }
    if (!expect(TokenKind::Semi, await ? "after await" : "after spawn")) synchronize_statement();
    return s;
}

// choose_stmt := 'choose' block ('or' block)+
ast::StmtPtr Parser::parse_choose() {
    auto s = std::make_unique<ast::Stmt>();
    s->kind = ast::StmtKind::Choose;
    s->loc = advance().loc;
    do {
        if (!at(TokenKind::LBrace)) {
            expect(TokenKind::LBrace, "to begin a choose alternative");
            synchronize_statement();
            return nullptr;
        }
        auto alternative = parse_block();
        if (!alternative) return nullptr;
        s->body.push_back(std::move(alternative));
    } while (accept(TokenKind::KwOr));
    return s;
}

ast::StmtPtr Parser::parse_return() {
    auto s = std::make_unique<ast::Stmt>();
    s->kind = ast::StmtKind::Return;
    s->loc = advance().loc;
    if (!at(TokenKind::Semi)) {
        s->expr = parse_expr();
        if (!s->expr) { synchronize_statement(); return nullptr; }
    }
    if (!expect(TokenKind::Semi, "after return statement")) synchronize_statement();
    return s;
}

ast::StmtPtr Parser::parse_var_decl() {
    auto s = std::make_unique<ast::Stmt>();
    s->kind = ast::StmtKind::VarDecl;
    s->loc = peek().loc;
    SourceLoc name_loc;
    if (!parse_type(s->var_type) || !parse_declarator(s->var_type, s->name, name_loc, "as variable name")) {
        synchronize_statement();
        return nullptr;
    }
    if (accept(TokenKind::Assign)) {
        s->expr = parse_expr();
        if (!s->expr) { synchronize_statement(); return nullptr; }
    }
    if (!expect(TokenKind::Semi, "after variable declaration")) synchronize_statement();
    return s;
}

ast::StmtPtr Parser::parse_simple_statement() {
    auto s = std::make_unique<ast::Stmt>();
    s->loc = peek().loc;
    ast::ExprPtr e = parse_expr();
    if (!e) { synchronize_statement(); return nullptr; }
    TokenKind k = peek().kind;
    if (k == TokenKind::Assign || k == TokenKind::PlusAssign || k == TokenKind::MinusAssign) {
        s->kind = ast::StmtKind::Assign;
        s->op = std::string(advance().text);
        s->target = std::move(e);
        s->expr = parse_expr();
        if (!s->expr) { synchronize_statement(); return nullptr; }
    } else if (k == TokenKind::PlusPlus || k == TokenKind::MinusMinus) {
        s->kind = ast::StmtKind::Assign;
        Token const& t = advance();
        s->op = k == TokenKind::PlusPlus ? "+=" : "-=";
        s->target = std::move(e);
        s->expr = make_expr(ast::ExprKind::IntLit, t);
        s->expr->int_value = 1;
    } else {
        s->kind = ast::StmtKind::Expr;
        s->expr = std::move(e);
    }
    if (!expect(TokenKind::Semi, "after statement")) synchronize_statement();
    return s;
}

}  // namespace probecheck::model::detail
