#include "model/lex/lexer.hpp"

#include <catch2/catch.hpp>

using namespace probecheck::model;

namespace {

std::vector<TokenKind> kinds(std::string text, DiagnosticEngine& diags) {
    SourceManager sm;
    auto f = sm.add_buffer("t.model", std::move(text));
    std::vector<TokenKind> out;
    for (auto const& t : lex(sm, f, diags)) out.push_back(t.kind);
    return out;
}

}  // namespace

TEST_CASE("lexer: keywords, punctuation and comments", "[model][lex]") {
    DiagnosticEngine d;
    auto k = kinds("struct x { int y; } // c\n /* multi\nline */ a->b != 0x1f;", d);
    CHECK_FALSE(d.has_errors());
    CHECK(k == std::vector<TokenKind>{TokenKind::KwStruct, TokenKind::Identifier, TokenKind::LBrace,
                                      TokenKind::KwInt, TokenKind::Identifier, TokenKind::Semi,
                                      TokenKind::RBrace, TokenKind::Identifier, TokenKind::Arrow,
                                      TokenKind::Identifier, TokenKind::NotEq, TokenKind::IntLiteral,
                                      TokenKind::Semi, TokenKind::Eof});
}

TEST_CASE("lexer: integer values and the 31-bit limit", "[model][lex]") {
    DiagnosticEngine d;
    SourceManager sm;
    auto f = sm.add_buffer("t.model", "2147483647 0x10 2147483648");
    auto toks = lex(sm, f, d);
    CHECK(toks[0].int_value == 2147483647);
    CHECK(toks[1].int_value == 16);
    CHECK(toks[2].kind == TokenKind::Error);
    REQUIRE(d.diagnostics().size() == 1);
    CHECK(d.diagnostics()[0].kind == DiagKind::IntegerTooLarge);
}

TEST_CASE("lexer: a string literal's value decodes its escapes", "[model][lex]") {
    DiagnosticEngine d;
    SourceManager sm;
    auto f = sm.add_buffer("t.model", "\"a \\\"quoted\\\" word\" \"back\\\\slash\\n\" \"\\q\" \"ends in \\\\\" "
                                      "\"one \\\nline\"");
    auto toks = lex(sm, f, d);
    CHECK_FALSE(d.has_errors());
    REQUIRE(toks.size() == 6);
    CHECK(string_literal_value(toks[0]) == "a \"quoted\" word");
    CHECK(string_literal_value(toks[1]) == "back\\slash\n");
    CHECK(string_literal_value(toks[2]) == "q");
    CHECK(string_literal_value(toks[3]) == "ends in \\");
    CHECK(string_literal_value(toks[4]) == "one line");
}

TEST_CASE("lexer: unterminated comment is reported at its start", "[model][lex]") {
    DiagnosticEngine d;
    SourceManager sm;
    auto f = sm.add_buffer("t.model", "int x;\n  /* never closed");
    auto toks = lex(sm, f, d);
    REQUIRE(d.diagnostics().size() == 1);
    auto lc = sm.line_col(d.diagnostics()[0].loc);
    CHECK(lc.line == 2);
    CHECK(lc.column == 3);
    CHECK(toks.back().kind == TokenKind::Eof);
}

TEST_CASE("lexer: binary input gives one diagnostic and still ends", "[model][lex]") {
    DiagnosticEngine d;
    std::string garbage;
    for (int i = 0; i < 4096; ++i) garbage += static_cast<char>((i * 37) & 0xff);
    auto k = kinds(garbage, d);
    REQUIRE(d.diagnostics().size() == 1);
    CHECK(d.diagnostics()[0].kind == DiagKind::BinaryFile);
    CHECK(k == std::vector<TokenKind>{TokenKind::Eof});
}

TEST_CASE("lexer: a run of invalid bytes is one diagnostic", "[model][lex]") {
    DiagnosticEngine d;
    auto k = kinds("int x; \xe2\x89\xa5\xff int y;", d);
    REQUIRE(d.diagnostics().size() == 1);
    CHECK(d.diagnostics()[0].kind == DiagKind::InvalidBytes);
    CHECK(d.diagnostics()[0].message == "4 invalid bytes starting with 0xe2");
    CHECK(k.size() == 8);  // int x ; <error> int y ; eof
}

TEST_CASE("diagnostics: clang-style rendering with caret and range", "[model][diag]") {
    SourceManager sm;
    auto f = sm.add_buffer("m.model", "int x;\n\tunlock(x);\n");
    DiagnosticEngine d;
    d.report(DiagKind::NotALock, {f, 15}, {"unlock", "a mutex", "x", "int"}, 1);
    auto text = render_text(d.diagnostics()[0], sm);
    CHECK(text ==
          "m.model:2:16: error: unlock() needs a mutex, found 'x' of type 'int' [NotALock]\n"
          "    2 |         unlock(x);\n"
          "      |                ^\n");
}
