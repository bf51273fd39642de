// Declarations. Grammar (see model/LANGUAGE.md):
//   module      := declaration* EOF
//   declaration := struct_decl | enum_decl | pool_decl | thread_decl | global | function
//   struct_decl := 'struct' IDENT '{' (type IDENT ';')* '}' ';'?
//   enum_decl   := 'enum' IDENT '{' IDENT (',' IDENT)* ','? '}' ';'?
//   pool_decl   := 'pool' 'struct' IDENT '[' INT ']' ';'
//   thread_decl := 'thread' IDENT ':' IDENT '(' args ')' ';'
//   global      := type IDENT ('=' (expr | '{' '.' IDENT '=' expr (',' ...)* '}'))? ';'
//   function    := type IDENT '(' (type IDENT (',' type IDENT)*)? ')' block
//   type        := 'int' | 'bool' | 'void' | 'mutex' | 'enum'? IDENT | 'struct' IDENT '*'?
#include "model/parse/parser.hpp"

namespace probecheck::model {
namespace detail {

// A missing token is reported where it belongs: right after the previous token when the
// next one is on a later line (`x = 1` then newline), else at the next token. Nothing is
// reported at an invalid token: the lexer already said what is wrong there.
bool Parser::expect_field_name(char const* context) {
    if (at(TokenKind::KwMutex) || at(TokenKind::KwSpinlock)) {
        advance();
        return true;
    }
    return expect(TokenKind::Identifier, context);
}

bool Parser::expect(TokenKind k, char const* context) {
    if (accept(k)) return true;
    if (at(TokenKind::Error) || aborted_) return false;
    SourceLoc where = peek().loc;
    uint32_t length = static_cast<uint32_t>(peek().text.size());
    if (pos_ > 0) {
        Token const& prev = toks_[pos_ - 1];
        SourceLoc after{prev.loc.file, prev.loc.offset + static_cast<uint32_t>(prev.text.size())};
        bool same_buffer = prev.loc.file == where.file && where.offset >= after.offset;
        if (at(TokenKind::Eof) || (same_buffer && source_between(after, where).find('\n') != std::string_view::npos)) {
            where = after;
            length = 1;
        }
    }
    diags_.report(DiagKind::ExpectedToken, where, {token_kind_spelling(k), context, describe_token(peek())}, length);
    return false;
}

std::string_view Parser::source_between(SourceLoc from, SourceLoc to) const {
    // Tokens view the buffer, so the text between two tokens is addressable from either.
    Token const& next = peek();
    char const* end = next.text.data();
    return {end - (to.offset - from.offset), to.offset - from.offset};
}

void Parser::abort_parse(DiagKind kind, std::vector<std::string> args) {
    diags_.report(kind, peek().loc, std::move(args));
    aborted_ = true;
    pos_ = toks_.size() - 1;  // Eof: one clear error instead of a cascade
}

void Parser::synchronize_declaration() {
    while (!stopped()) {
        TokenKind k = peek().kind;
        if (k == TokenKind::KwStruct || k == TokenKind::KwEnum || k == TokenKind::KwPool ||
            k == TokenKind::KwExpect || k == TokenKind::KwImport || k == TokenKind::KwOverride || k == TokenKind::At ||
            k == TokenKind::KwThread || k == TokenKind::KwInt || k == TokenKind::KwBool ||
            k == TokenKind::KwVoid || k == TokenKind::KwMutex || k == TokenKind::KwSpinlock)
            return;
        advance();
        if (k == TokenKind::Semi || k == TokenKind::RBrace) return;
    }
}

void Parser::parse_module(ast::Module& out) {
    while (!stopped()) {
        size_t before = pos_;
        parse_declaration(out);
        if (pos_ == before) advance();  // guarantees progress on any input
    }
}

void Parser::parse_declaration(ast::Module& out) {
    switch (peek().kind) {
        case TokenKind::KwStruct:
            if (peek(1).kind == TokenKind::Identifier && peek(2).kind == TokenKind::LBrace)
                return parse_struct(out);
            if (peek(1).kind == TokenKind::Identifier && peek(2).kind == TokenKind::Semi) {
                advance(), advance(), advance();  // `struct device;`: types may be used before
                return;                           // their definition anyway
            }
            return parse_global_or_function(out);
        case TokenKind::KwEnum:
            if (peek(1).kind == TokenKind::Identifier && peek(2).kind == TokenKind::LBrace)
                return parse_enum(out);
            return parse_global_or_function(out);
        case TokenKind::KwPool: return parse_pool(out);
        case TokenKind::KwThread: return parse_thread(out);
        case TokenKind::KwExpect: return parse_expect(out);
        case TokenKind::KwImport: return parse_import(out);
        case TokenKind::KwOverride: return parse_override(out);
        case TokenKind::KwInvariant:
        case TokenKind::KwFinal: return parse_property(out);
        case TokenKind::At: return parse_annotated(out);
        default: break;
    }
    if (at(TokenKind::Identifier) && peek().text == "must_share_group" && peek(1).kind == TokenKind::LParen)
        return parse_topology(out);
    if (at(TokenKind::Identifier) && peek().text == "patch" && peek(1).kind == TokenKind::Identifier &&
        peek(2).kind == TokenKind::LBrace)
        return parse_patch(out);
    if (at(TokenKind::Identifier) && peek().text == "extend" && peek(1).kind == TokenKind::KwStruct)
        return parse_extend(out);
    if (at_type_start()) return parse_global_or_function(out);
    diags_.report(DiagKind::ExpectedDeclaration, peek().loc, {describe_token(peek())},
                  static_cast<uint32_t>(peek().text.size()));
    advance();
    synchronize_declaration();
}

bool Parser::at_type_start() const {
    switch (peek().kind) {
        case TokenKind::KwInt: case TokenKind::KwBool: case TokenKind::KwVoid:
        case TokenKind::KwMutex: case TokenKind::KwSpinlock: case TokenKind::KwStruct: case TokenKind::KwEnum:
            return true;
        case TokenKind::Identifier:  // `state s` where state is an enum type
            return peek(1).kind == TokenKind::Identifier;
        default: return false;
    }
}

bool Parser::parse_type(ast::TypeRef& out) {
    using K = ast::TypeRef::Kind;
    out.loc = peek().loc;
    switch (peek().kind) {
        case TokenKind::KwInt: advance(); out.kind = K::Int; return true;
        case TokenKind::KwBool: advance(); out.kind = K::Bool; return true;
        case TokenKind::KwVoid: advance(); out.kind = K::Void; return true;
        case TokenKind::KwMutex: advance(); out.kind = K::Mutex; return true;
        case TokenKind::KwSpinlock: advance(); out.kind = K::Spinlock; return true;
        case TokenKind::KwEnum: advance(); break;
        case TokenKind::KwStruct: {
            advance();
            if (!at(TokenKind::Identifier)) return expect(TokenKind::Identifier, "after 'struct'");
            out.name = std::string(advance().text);
            out.kind = accept(TokenKind::Star) ? K::StructPtr : K::Struct;
            return true;
        }
        case TokenKind::Identifier: break;
        default:
            diags_.report(DiagKind::ExpectedType, peek().loc, {describe_token(peek())},
                          static_cast<uint32_t>(peek().text.size()));
            return false;
    }
    if (!at(TokenKind::Identifier)) return expect(TokenKind::Identifier, "as enum type name");
    out.kind = K::Named;
    out.name = std::string(advance().text);
    return true;
}

// declarator := IDENT | '(' '*' IDENT ')' '(' (type IDENT? (',' type IDENT?)*)? ')'
// The second form turns `type` (the return type) into a function reference type.
bool Parser::parse_declarator(ast::TypeRef& type, std::string& name, SourceLoc& loc, char const* what) {
    if (!(at(TokenKind::LParen) && peek(1).kind == TokenKind::Star)) {
        loc = peek().loc;
        bool field = std::string_view(what) == "as field name";
        if (!(field ? expect_field_name(what) : expect(TokenKind::Identifier, what))) return false;
        name = std::string(toks_[pos_ - 1].text);
        return true;
    }
    advance();
    advance();
    loc = peek().loc;
    if (!expect(TokenKind::Identifier, what)) return false;
    name = std::string(toks_[pos_ - 1].text);
    if (!expect(TokenKind::RParen, "after function reference name") ||
        !expect(TokenKind::LParen, "to begin the function reference's parameter types"))
        return false;
    ast::TypeRef ret = std::move(type);
    type = ast::TypeRef{ast::TypeRef::Kind::FuncPtr, {}, ret.loc, {}, {}};
    type.signature.push_back(std::move(ret));
    while (!at(TokenKind::RParen) && !stopped()) {
        if (at(TokenKind::KwVoid) && peek(1).kind == TokenKind::RParen) { advance(); break; }
        ast::TypeRef param;
        if (!parse_type(param)) return false;
        accept(TokenKind::Identifier);  // parameter names are optional here
        type.signature.push_back(std::move(param));
        if (!accept(TokenKind::Comma)) break;
    }
    return expect(TokenKind::RParen, "to end the function reference's parameter types");
}

// annotation := '@' IDENT ('(' (STRING | IDENT) (',' (STRING | IDENT))* ')')?
bool Parser::parse_annotations(std::vector<ast::Annotation>& out) {
    while (at(TokenKind::At)) {
        advance();
        ast::Annotation a;
        a.loc = peek().loc;
        if (!expect(TokenKind::Identifier, "as annotation name")) return false;
        a.name = std::string(toks_[pos_ - 1].text);
        if (accept(TokenKind::LParen)) {
            while (!at(TokenKind::RParen) && !stopped()) {
                Token const& t = peek();
                if (t.kind != TokenKind::StringLiteral && t.kind != TokenKind::Identifier)
                    return expect(TokenKind::Identifier, "or a string as annotation argument");
                advance();
                bool str = t.kind == TokenKind::StringLiteral;
                a.args.push_back({str, str ? string_literal_value(t) : std::string(t.text), t.loc});
                if (!accept(TokenKind::Comma)) break;
            }
            if (!expect(TokenKind::RParen, "to end the annotation")) return false;
        }
        out.push_back(std::move(a));
    }
    return true;
}

// annotated := annotation+ ('override')? function
void Parser::parse_annotated(ast::Module& out) {
    std::vector<ast::Annotation> annotations;
    if (!parse_annotations(annotations)) return synchronize_declaration();
    if (at(TokenKind::KwInvariant) || at(TokenKind::KwFinal)) {
        size_t before = out.properties.size();
        parse_property(out);
        if (out.properties.size() > before) out.properties.back().annotations = std::move(annotations);
        return;
    }
    bool is_override = accept(TokenKind::KwOverride);
    size_t functions = out.functions.size(), globals = out.globals.size();
    parse_global_or_function(out);
    if (out.functions.size() > functions) {
        out.functions.back().annotations = std::move(annotations);
        out.functions.back().is_override = is_override;
    } else if (out.globals.size() > globals) {
        out.globals.back().annotations = std::move(annotations);  // checked by sema
    }
}

// expect_decl := 'expect' ('holds' | 'incomplete' | ('at' 'least')? 'violation' IDENT ('times' INT)?) ';'
void Parser::parse_expect(ast::Module& out) {
    advance();
    ast::ExpectDecl e;
    e.loc = peek().loc;
    if (at(TokenKind::Identifier) && peek().text == "at" && peek(1).kind == TokenKind::Identifier &&
        peek(1).text == "least") {
        advance(), advance();
        e.at_least = true;
        if (!at(TokenKind::Identifier) || peek().text != "violation") {
            diags_.report(DiagKind::ExpectedToken, peek().loc,
                          {"'violation KIND'", "after 'expect at least'", describe_token(peek())},
                          static_cast<uint32_t>(peek().text.size()));
            return synchronize_declaration();
        }
    }
    if (at(TokenKind::Identifier) && (peek().text == "holds" || peek().text == "incomplete")) {
        e.what = std::string(advance().text);
    } else if (at(TokenKind::Identifier) && peek().text == "violation") {
        advance();
        e.loc = peek().loc;
        if (at(TokenKind::KwInvariant) || at(TokenKind::KwFinal)) advance();  // kinds named like keywords
        else if (!expect(TokenKind::Identifier, "as the expected violation kind")) return synchronize_declaration();
        e.what = std::string(toks_[pos_ - 1].text);
        if (at(TokenKind::Identifier) && peek().text == "times") {
            advance();
            if (!expect(TokenKind::IntLiteral, "after 'times': how many distinct violations"))
                return synchronize_declaration();
            e.times = toks_[pos_ - 1].int_value;
            e.times_loc = toks_[pos_ - 1].loc;
        }
    } else {
        expect(TokenKind::Identifier, "after 'expect': 'holds', 'incomplete' or 'violation KIND'");
        return synchronize_declaration();
    }
    if (!expect(TokenKind::Semi, "after expect")) return synchronize_declaration();
    out.expects.push_back(std::move(e));
}

// property_decl := ('invariant' | 'final') IDENT '{' expr '}' ';'?
void Parser::parse_property(ast::Module& out) {
    ast::PropertyDecl p;
    p.is_final = advance().kind == TokenKind::KwFinal;
    p.loc = peek().loc;
    if (!expect(TokenKind::Identifier, "as property name")) return synchronize_declaration();
    p.name = std::string(toks_[pos_ - 1].text);
    if (!expect(TokenKind::LBrace, "to begin the property's expression")) return synchronize_declaration();
    Token const& first = peek();
    ast::ExprPtr e = parse_expr();
    if (!e || !expect(TokenKind::RBrace, "to end the property")) return synchronize_declaration();
    accept(TokenKind::Semi);
    ast::FuncDecl fn;  // bool <kind>:<name>() { return expr; }
    fn.ret = ast::TypeRef{ast::TypeRef::Kind::Bool, {}, p.loc, {}, {}};
    fn.name = std::string(p.is_final ? "final:" : "invariant:") + p.name;
    fn.loc = p.loc;
    fn.body = std::make_unique<ast::Stmt>();
    fn.body->kind = ast::StmtKind::Block;
    fn.body->loc = first.loc;
    auto ret = std::make_unique<ast::Stmt>();
    ret->kind = ast::StmtKind::Return;
    ret->loc = first.loc;
    ret->expr = std::move(e);
    fn.body->body.push_back(std::move(ret));
    p.function = static_cast<uint32_t>(out.functions.size());
    out.functions.push_back(std::move(fn));
    out.properties.push_back(std::move(p));
}

// topology_decl := 'must_share_group' '(' IDENT ',' IDENT ')' ';'
void Parser::parse_topology(ast::Module& out) {
    ast::TopologyEdge e;
    e.loc = advance().loc;
    advance();  // (
    if (!expect(TokenKind::Identifier, "naming a device instance")) return synchronize_declaration();
    e.a = std::string(toks_[pos_ - 1].text);
    if (!expect(TokenKind::Comma, "between the two devices") ||
        !expect(TokenKind::Identifier, "naming a device instance"))
        return synchronize_declaration();
    e.b = std::string(toks_[pos_ - 1].text);
    if (!expect(TokenKind::RParen, "after the devices") || !expect(TokenKind::Semi, "after must_share_group"))
        return synchronize_declaration();
    out.topology.push_back(std::move(e));
}

// import_decl := 'import' STRING ';'
void Parser::parse_import(ast::Module& out) {
    advance();
    ast::ImportDecl i{"", peek().loc};
    if (!expect(TokenKind::StringLiteral, "naming the module to import")) return synchronize_declaration();
    i.path = string_literal_value(toks_[pos_ - 1]);
    if (!expect(TokenKind::Semi, "after import")) return synchronize_declaration();
    out.imports.push_back(std::move(i));
}

// override_decl := 'override' (function | IDENT '.' IDENT '=' expr ';')
void Parser::parse_struct(ast::Module& out) {
    advance();  // struct
    ast::StructDecl s;
    s.loc = peek().loc;
    s.name = std::string(advance().text);
    SourceLoc open = advance().loc;  // {
    while (!at(TokenKind::RBrace) && !stopped()) {
        ast::FieldDecl f;
        if (!parse_annotations(f.annotations) || !parse_type(f.type) ||
            !parse_declarator(f.type, f.name, f.loc, "as field name")) {
            synchronize_statement();
            continue;
        }
        if (!expect(TokenKind::Semi, "after field declaration")) synchronize_statement();
        s.fields.push_back(std::move(f));
    }
    if (!expect(TokenKind::RBrace, "to end the struct")) diags_.note(DiagKind::MatchingBrace, open, {"{"});
    accept(TokenKind::Semi);
    out.structs.push_back(std::move(s));
}

void Parser::parse_enum(ast::Module& out) {
    advance();  // enum
    ast::EnumDecl e;
    e.loc = peek().loc;
    e.name = std::string(advance().text);
    advance();  // {
    while (!at(TokenKind::RBrace) && !stopped()) {
        if (!at(TokenKind::Identifier)) {
            expect(TokenKind::Identifier, "as enumerator");
            synchronize_declaration();
            return;
        }
        Token const& t = advance();
        e.enumerators.emplace_back(std::string(t.text), t.loc);
        if (!accept(TokenKind::Comma)) break;
    }
    expect(TokenKind::RBrace, "to end the enum");
    accept(TokenKind::Semi);
    out.enums.push_back(std::move(e));
}

void Parser::parse_pool(ast::Module& out) {
    advance();  // pool
    ast::PoolDecl p;
    p.loc = peek().loc;
    if (accept(TokenKind::KwThread)) {  // pool thread[N]: slots for spawned work items
        p.is_thread = true;
        if (!expect(TokenKind::LBracket, "after 'pool thread'") || !expect(TokenKind::IntLiteral, "as pool size"))
            return synchronize_declaration();
        p.size = toks_[pos_ - 1].int_value;
        if (!expect(TokenKind::RBracket, "after pool size") || !expect(TokenKind::Semi, "after pool declaration"))
            return synchronize_declaration();
        out.pools.push_back(std::move(p));
        return;
    }
    if (!expect(TokenKind::KwStruct, "after 'pool'") ||
        !expect(TokenKind::Identifier, "as pool struct name"))
        return synchronize_declaration();
    p.struct_name = std::string(toks_[pos_ - 1].text);
    if (!expect(TokenKind::LBracket, "after pool struct name")) return synchronize_declaration();
    if (!expect(TokenKind::IntLiteral, "as pool size")) return synchronize_declaration();
    p.size = toks_[pos_ - 1].int_value;
    if (!expect(TokenKind::RBracket, "after pool size") ||
        !expect(TokenKind::Semi, "after pool declaration"))
        return synchronize_declaration();
    out.pools.push_back(std::move(p));
}

void Parser::parse_thread(ast::Module& out) {
    advance();  // thread
    ast::ThreadDecl t;
    t.loc = peek().loc;
    if (!expect(TokenKind::Identifier, "as thread name")) return synchronize_declaration();
    t.name = std::string(toks_[pos_ - 1].text);
    if (!expect(TokenKind::Colon, "after thread name")) return synchronize_declaration();
    t.call = parse_expr();
    if (!t.call || !expect(TokenKind::Semi, "after thread declaration"))
        return synchronize_declaration();
    out.threads.push_back(std::move(t));
}

void Parser::parse_global_or_function(ast::Module& out) {
    ast::TypeRef type;
    if (!parse_type(type)) return synchronize_declaration();
    SourceLoc name_loc;
    std::string name;
    if (!parse_declarator(type, name, name_loc, "as declaration name")) return synchronize_declaration();
    if (at(TokenKind::LParen) && type.kind != ast::TypeRef::Kind::FuncPtr) {
        ast::FuncDecl fn;
        fn.ret = std::move(type);
        fn.name = std::move(name);
        fn.loc = name_loc;
        parse_function_rest(fn);
        if (fn.body) out.functions.push_back(std::move(fn));
        return;
    }
    ast::GlobalDecl g{std::move(type), std::move(name), name_loc, nullptr, {}, {}};
    if (accept(TokenKind::Assign)) {
        if (at(TokenKind::LBrace)) parse_instance_init(g);
        else g.init = parse_expr();
    }
    if (!expect(TokenKind::Semi, "after global declaration")) return synchronize_declaration();
    out.globals.push_back(std::move(g));
}

void Parser::parse_instance_init(ast::GlobalDecl& g) {
    advance();  // {
    while (!at(TokenKind::RBrace) && !stopped()) {
        if (!expect(TokenKind::Dot, "before field name in initializer") ||
            !expect_field_name("as field name in initializer"))
            return;
        std::string field(toks_[pos_ - 1].text);
        if (!expect(TokenKind::Assign, "after field name in initializer")) return;
        g.field_inits.emplace_back(std::move(field), parse_expr());
        if (!accept(TokenKind::Comma)) break;
    }
    expect(TokenKind::RBrace, "to end the initializer");
}

void Parser::parse_function_rest(ast::FuncDecl& fn) {
    advance();  // (
    while (!at(TokenKind::RParen) && !stopped()) {
        ast::Param p;
        if (at(TokenKind::KwVoid) && peek(1).kind == TokenKind::RParen) { advance(); break; }
        if (!parse_type(p.type) || !parse_declarator(p.type, p.name, p.loc, "as parameter name"))
            return synchronize_declaration();
        fn.params.push_back(std::move(p));
        if (!accept(TokenKind::Comma)) break;
    }
    if (!expect(TokenKind::RParen, "to end the parameter list")) return synchronize_declaration();
    if (!at(TokenKind::LBrace)) {
        expect(TokenKind::LBrace, "to begin the function body");
        return synchronize_declaration();
    }
    fn.body = parse_block();
}

}  // namespace detail

void parse(std::vector<Token> const& tokens, ast::Module& out, DiagnosticEngine& diags) {
    detail::Parser(tokens, diags).parse_module(out);
}

}  // namespace probecheck::model
