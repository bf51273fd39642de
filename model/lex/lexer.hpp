// Lexer: bytes -> tokens. Bad input becomes an Error token plus a diagnostic; the lexer never
// throws and always ends with an Eof token, so the parser can rely on termination.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "model/diag/diagnostics.hpp"

namespace probecheck::model {

enum class TokenKind : uint8_t {
#define PROBECHECK_TOKEN(kind, spelling) kind,
#define PROBECHECK_KEYWORD(kind, spelling) kind,
#include "model/lex/token_kinds.def"
#undef PROBECHECK_TOKEN
#undef PROBECHECK_KEYWORD
};

/// One token; `text` views the source buffer (string literals include their quotes).
struct Token {
    TokenKind kind = TokenKind::Eof;
    SourceLoc loc;
    std::string_view text;
    int64_t int_value = 0;
};

/// Spelling of a token kind for messages: "';'", "identifier".
[[nodiscard]] std::string token_kind_spelling(TokenKind k);
/// Describes an actual token for "found X" in messages.
[[nodiscard]] std::string describe_token(Token const& t);

/// The value of a string literal token: quotes removed, `\"` `\\` `\n` `\t` decoded, a
/// backslash-newline spliced out; any other escaped character stands for itself.
[[nodiscard]] std::string string_literal_value(Token const& t);

/// The tokens of a fragment of model text (a patch's anchor, a statement's source), as
/// written and without Eof; empty when the fragment does not lex.
[[nodiscard]] std::vector<std::string_view> token_spellings(std::string_view text);

/// Tokenizes one file; the result always ends with Eof.
[[nodiscard]] std::vector<Token> lex(SourceManager const& sm, FileId file, DiagnosticEngine& diags);

}  // namespace probecheck::model
