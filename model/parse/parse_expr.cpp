// Expressions, by precedence climbing (lowest first):
//   ||  &&  == !=  < <= > >=  + -  * / %  unary(! - &)  postfix(-> . call)
//   primary := INT | 'true' | 'false' | 'NULL' | STRING | IDENT | IDENT '(' args ')'
//            | 'kzalloc' '(' 'struct' IDENT ')' | '(' expr ')'
#include "model/parse/parser.hpp"

#include <array>

namespace probecheck::model::detail {
namespace {

struct BinaryOp {
    TokenKind token;
    int precedence;
};

constexpr std::array kBinaryOps = {
    BinaryOp{TokenKind::PipePipe, 1}, BinaryOp{TokenKind::AmpAmp, 2},
    BinaryOp{TokenKind::EqEq, 3},     BinaryOp{TokenKind::NotEq, 3},
    BinaryOp{TokenKind::Less, 4},     BinaryOp{TokenKind::LessEq, 4},
    BinaryOp{TokenKind::Greater, 4},  BinaryOp{TokenKind::GreaterEq, 4},
    BinaryOp{TokenKind::Plus, 5},     BinaryOp{TokenKind::Minus, 5},
    BinaryOp{TokenKind::Star, 6},     BinaryOp{TokenKind::Slash, 6},
    BinaryOp{TokenKind::Percent, 6},
};

int precedence_of(TokenKind k) {
    for (auto const& op : kBinaryOps)
        if (op.token == k) return op.precedence;
    return 0;
}

}  // namespace

ast::ExprPtr Parser::make_expr(ast::ExprKind k, Token const& at_token) {
    auto e = std::make_unique<ast::Expr>();
    e->kind = k;
    e->loc = at_token.loc;
    e->length = static_cast<uint32_t>(at_token.text.size());
    return e;
}

// Extends the underline of `e` to the end of the last consumed token.
void Parser::finish(ast::Expr& e, Token const& first) {
    Token const& last = toks_[pos_ == 0 ? 0 : pos_ - 1];
    if (last.loc.file == first.loc.file && last.loc.offset >= first.loc.offset)
        e.length = last.loc.offset + static_cast<uint32_t>(last.text.size()) - first.loc.offset;
}

ast::ExprPtr Parser::parse_expr() {
    DepthGuard guard(*this);
    if (guard.too_deep()) {
        abort_parse(DiagKind::NestingTooDeep, {std::to_string(DepthGuard::kMaxDepth)});
        return nullptr;
    }
    return parse_binary(1);
}

ast::ExprPtr Parser::parse_binary(int min_precedence) {
    Token const& first = peek();
    ast::ExprPtr lhs = parse_unary();
    // Each operator of a left-nested chain deepens the tree that sema and lowering walk
    // recursively; counting it as nesting keeps them far from the stack limit.
    unsigned chain = 0;
    struct ChainGuard {
        unsigned& depth;
        unsigned& chain;
        ~ChainGuard() { depth -= chain; }
    } restore{depth_, chain};
    while (lhs) {
        int prec = precedence_of(peek().kind);
        if (prec < min_precedence || prec == 0) break;
        ++chain;
        if (++depth_ > DepthGuard::kMaxDepth) {
            abort_parse(DiagKind::ExpressionTooDeep, {std::to_string(DepthGuard::kMaxDepth)});
            return nullptr;
        }
        Token const& op = advance();
        ast::ExprPtr rhs = parse_binary(prec + 1);
        if (!rhs) return nullptr;
        auto bin = make_expr(ast::ExprKind::Binary, op);
        bin->op = std::string(op.text);
        bin->loc = first.loc;
        bin->args.push_back(std::move(lhs));
        bin->args.push_back(std::move(rhs));
        finish(*bin, first);
        lhs = std::move(bin);
    }
    return lhs;
}

ast::ExprPtr Parser::parse_unary() {
    TokenKind k = peek().kind;
    if (k != TokenKind::Bang && k != TokenKind::Minus && k != TokenKind::Amp)
        return parse_postfix();
    DepthGuard guard(*this);
    if (guard.too_deep()) {
        abort_parse(DiagKind::NestingTooDeep, {std::to_string(DepthGuard::kMaxDepth)});
        return nullptr;
    }
    Token const& op = advance();
    ast::ExprPtr operand = parse_unary();
    if (!operand) return nullptr;
    auto e = make_expr(k == TokenKind::Amp ? ast::ExprKind::AddrOf : ast::ExprKind::Unary, op);
    e->op = std::string(op.text);
    e->args.push_back(std::move(operand));
    finish(*e, op);
    return e;
}

ast::ExprPtr Parser::parse_postfix() {
    Token const& first = peek();
    ast::ExprPtr e = parse_primary();
    while (e && (at(TokenKind::Arrow) || at(TokenKind::Dot) || at(TokenKind::LParen))) {
        if (at(TokenKind::LParen)) {  // call through a function reference: ops->probe_device(dev)
            e = parse_indirect_call(std::move(e), first);
            continue;
        }
        bool arrow = advance().kind == TokenKind::Arrow;
        if (!expect_field_name(arrow ? "after '->'" : "after '.'")) return nullptr;
        auto m = make_expr(ast::ExprKind::Member, toks_[pos_ - 1]);
        m->text = std::string(toks_[pos_ - 1].text);
        m->arrow = arrow;
        m->loc = first.loc;
        m->args.push_back(std::move(e));
        finish(*m, first);
        e = std::move(m);
    }
    return e;
}

// arguments := '(' (expr (',' expr)*)? ')', appended to call.args
bool Parser::parse_arguments(ast::Expr& call) {
    advance();  // (
    while (!at(TokenKind::RParen) && !stopped()) {
        ast::ExprPtr arg = parse_expr();
        if (!arg) return false;
        call.args.push_back(std::move(arg));
        if (!accept(TokenKind::Comma)) break;
    }
    return expect(TokenKind::RParen, "to end the argument list");
}

ast::ExprPtr Parser::parse_call(Token const& callee) {
    auto call = make_expr(ast::ExprKind::Call, callee);
    call->text = std::string(callee.text);
    if (!parse_arguments(*call)) return nullptr;
    finish(*call, callee);
    return call;
}

ast::ExprPtr Parser::parse_indirect_call(ast::ExprPtr callee, Token const& first) {
    auto call = make_expr(ast::ExprKind::CallIndirect, first);
    call->args.push_back(std::move(callee));
    if (!parse_arguments(*call)) return nullptr;
    finish(*call, first);
    return call;
}

ast::ExprPtr Parser::parse_primary() {
    Token const& t = peek();
    switch (t.kind) {
        case TokenKind::IntLiteral: {
            advance();
            auto e = make_expr(ast::ExprKind::IntLit, t);
            e->int_value = t.int_value;
            return e;
        }
        case TokenKind::KwTrue:
        case TokenKind::KwFalse: {
            advance();
            auto e = make_expr(ast::ExprKind::BoolLit, t);
            e->int_value = t.kind == TokenKind::KwTrue;
            return e;
        }
        case TokenKind::KwNull: advance(); return make_expr(ast::ExprKind::NullLit, t);
        case TokenKind::StringLiteral: {
            advance();
            auto e = make_expr(ast::ExprKind::StringLit, t);
            e->text = string_literal_value(t);
            return e;
        }
        case TokenKind::Identifier: {
            advance();
            if (at(TokenKind::LParen)) return parse_call(t);
            auto e = make_expr(ast::ExprKind::Name, t);
            e->text = std::string(t.text);
            return e;
        }
        case TokenKind::KwKzalloc: {
            advance();
            auto e = make_expr(ast::ExprKind::Kzalloc, t);
            if (!expect(TokenKind::LParen, "after 'kzalloc'") ||
                !expect(TokenKind::KwStruct, "in kzalloc(struct NAME)") ||
                !expect(TokenKind::Identifier, "as kzalloc struct name"))
                return nullptr;
            e->text = std::string(toks_[pos_ - 1].text);
            if (!expect(TokenKind::RParen, "to end kzalloc")) return nullptr;
            finish(*e, t);
            return e;
        }
        case TokenKind::LParen: {
            advance();
            ast::ExprPtr inner = parse_expr();
            if (!inner || !expect(TokenKind::RParen, "to close '('")) return nullptr;
            return inner;
        }
        default:
            if (t.kind != TokenKind::Error)
                diags_.report(DiagKind::ExpectedExpression, t.loc, {describe_token(t)},
                              static_cast<uint32_t>(t.text.size()));
            return nullptr;
    }
}

}  // namespace probecheck::model::detail
