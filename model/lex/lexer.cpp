// Hand-written lexer. Comments: // to end of line and /* ... */ (not nested). Integer
// literals are decimal or 0x hex and must fit in 31 bits; negative values come from unary '-'.
#include "model/lex/lexer.hpp"

#include <fmt/format.h>

#include <array>
#include <cctype>
#include <unordered_map>

namespace probecheck::model {
namespace {

constexpr std::array kSpellings = {
#define PROBECHECK_TOKEN(kind, spelling) std::string_view(spelling),
#define PROBECHECK_KEYWORD(kind, spelling) std::string_view(spelling),
#include "model/lex/token_kinds.def"
#undef PROBECHECK_TOKEN
#undef PROBECHECK_KEYWORD
};

std::unordered_map<std::string_view, TokenKind> const& keywords() {
    static std::unordered_map<std::string_view, TokenKind> const table = {
#define PROBECHECK_TOKEN(kind, spelling)
#define PROBECHECK_KEYWORD(kind, spelling) {spelling, TokenKind::kind},
#include "model/lex/token_kinds.def"
#undef PROBECHECK_TOKEN
#undef PROBECHECK_KEYWORD
    };
    return table;
}

bool is_ident_start(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool is_ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// Punctuation, longest match first.
struct Punct {
    std::string_view text;
    TokenKind kind;
};
constexpr Punct kPunct[] = {
    {"->", TokenKind::Arrow},      {"==", TokenKind::EqEq},       {"!=", TokenKind::NotEq},
    {"<=", TokenKind::LessEq},     {">=", TokenKind::GreaterEq},  {"&&", TokenKind::AmpAmp},
    {"||", TokenKind::PipePipe},   {"+=", TokenKind::PlusAssign}, {"-=", TokenKind::MinusAssign},
    {"++", TokenKind::PlusPlus},   {"--", TokenKind::MinusMinus}, {"(", TokenKind::LParen},
    {")", TokenKind::RParen},      {"{", TokenKind::LBrace},      {"}", TokenKind::RBrace},
    {"[", TokenKind::LBracket},    {"]", TokenKind::RBracket},    {";", TokenKind::Semi},
    {":", TokenKind::Colon},       {",", TokenKind::Comma},       {".", TokenKind::Dot},
    {"=", TokenKind::Assign},      {"<", TokenKind::Less},        {">", TokenKind::Greater},
    {"+", TokenKind::Plus},        {"-", TokenKind::Minus},       {"*", TokenKind::Star},
    {"/", TokenKind::Slash},       {"%", TokenKind::Percent},     {"&", TokenKind::Amp},
    {"!", TokenKind::Bang},        {"@", TokenKind::At},
};

class Lexer {
public:
    Lexer(std::string_view text, FileId file, DiagnosticEngine& diags)
        : text_(text), file_(file), diags_(diags) {}

    std::vector<Token> run() {
        std::vector<Token> out;
        if (auto nul = text_.find('\0'); nul != std::string_view::npos) {
            diags_.report(DiagKind::BinaryFile, loc(static_cast<uint32_t>(nul)));
            pos_ = static_cast<uint32_t>(text_.size());
        }
        while (!diags_.stopped()) {
            skip_trivia();
            if (pos_ >= text_.size()) break;
            out.push_back(next());
        }
        // The Eof token views the (empty) end of the buffer, like every token views its text.
        out.push_back({TokenKind::Eof, loc(static_cast<uint32_t>(text_.size())), text_.substr(text_.size()), 0});
        return out;
    }

private:
    SourceLoc loc(uint32_t at) const { return {file_, at}; }

    void skip_trivia() {
        while (pos_ < text_.size()) {
            char c = text_[pos_];
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
                ++pos_;
            } else if (text_.substr(pos_, 2) == "//") {
                while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
            } else if (text_.substr(pos_, 2) == "/*") {
                size_t end = text_.find("*/", pos_ + 2);
                if (end == std::string_view::npos) {
                    diags_.report(DiagKind::UnterminatedComment, loc(pos_), {}, 2);
                    pos_ = text_.size();
                } else {
                    pos_ = end + 2;
                }
            } else {
                return;
            }
        }
    }

    Token make(TokenKind k, uint32_t start) {
        return {k, loc(start), text_.substr(start, pos_ - start), 0};
    }

    Token next() {
        uint32_t start = pos_;
        char c = text_[pos_];
        if (is_ident_start(c)) return identifier(start);
        if (std::isdigit(static_cast<unsigned char>(c))) return number(start);
        if (c == '"') return string(start);
        for (auto const& p : kPunct) {
            if (text_.substr(pos_, p.text.size()) == p.text) {
                pos_ += static_cast<uint32_t>(p.text.size());
                return make(p.kind, start);
            }
        }
        return invalid(start);
    }

    // One diagnostic per run of invalid bytes, so binary junk cannot flood the output.
    Token invalid(uint32_t start) {
        auto byte = static_cast<unsigned char>(text_[pos_]);
        if (byte >= 0x20 && byte < 0x7f) {
            ++pos_;
            std::string shown = byte == '\'' ? "\"'\"" : fmt::format("'{}'", static_cast<char>(byte));
            diags_.report(DiagKind::InvalidCharacter, loc(start), {shown});
            return make(TokenKind::Error, start);
        }
        while (pos_ < text_.size() && (static_cast<unsigned char>(text_[pos_]) >= 0x7f ||
                                       (static_cast<unsigned char>(text_[pos_]) < 0x20 &&
                                        !std::isspace(static_cast<unsigned char>(text_[pos_])))))
            ++pos_;
        uint32_t n = pos_ - start;
        if (n == 1) diags_.report(DiagKind::InvalidCharacter, loc(start), {fmt::format("byte 0x{:02x}", byte)});
        else diags_.report(DiagKind::InvalidBytes, loc(start), {std::to_string(n), fmt::format("{:02x}", byte)}, n);
        return make(TokenKind::Error, start);
    }

    Token identifier(uint32_t start) {
        while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
        Token t = make(TokenKind::Identifier, start);
        auto it = keywords().find(t.text);
        if (it != keywords().end()) t.kind = it->second;
        return t;
    }

    Token number(uint32_t start) {
        int base = 10;
        if (text_.substr(pos_, 2) == "0x" || text_.substr(pos_, 2) == "0X") {
            base = 16;
            pos_ += 2;
        }
        while (pos_ < text_.size() && is_ident_char(text_[pos_])) ++pos_;
        Token t = make(TokenKind::IntLiteral, start);
        std::string_view digits = t.text.substr(base == 16 ? 2 : 0);
        int64_t value = 0;
        bool well_formed = !digits.empty(), fits = true;
        for (char d : digits) {
            int v = std::isdigit(static_cast<unsigned char>(d)) ? d - '0'
                    : std::isxdigit(static_cast<unsigned char>(d)) && base == 16
                        ? std::tolower(static_cast<unsigned char>(d)) - 'a' + 10
                        : -1;
            if (v < 0) well_formed = false;
            if (fits) value = value * base + (v < 0 ? 0 : v);
            if (value > INT32_MAX) fits = false;
        }
        if (!well_formed || !fits) {
            diags_.report(well_formed ? DiagKind::IntegerTooLarge : DiagKind::InvalidInteger, t.loc,
                          {std::string(t.text)}, static_cast<uint32_t>(t.text.size()));
            t.kind = TokenKind::Error;
        }
        t.int_value = value;
        return t;
    }

    Token string(uint32_t start) {
        ++pos_;
        while (pos_ < text_.size() && text_[pos_] != '"' && text_[pos_] != '\n') {
            pos_ += text_[pos_] == '\\' && pos_ + 1 < text_.size() ? 2 : 1;
        }
        if (pos_ >= text_.size() || text_[pos_] != '"') {
            diags_.report(DiagKind::UnterminatedString, loc(start));
            return make(TokenKind::Error, start);
        }
        ++pos_;
        return make(TokenKind::StringLiteral, start);
    }

    std::string_view text_;
    FileId file_;
    DiagnosticEngine& diags_;
    uint32_t pos_ = 0;
};

}  // namespace

std::string token_kind_spelling(TokenKind k) {
    auto s = kSpellings[static_cast<size_t>(k)];
    if (k == TokenKind::Eof || k == TokenKind::Identifier || k == TokenKind::IntLiteral ||
        k == TokenKind::StringLiteral || k == TokenKind::Error)
        return std::string(s);
    return fmt::format("'{}'", s);
}

std::string describe_token(Token const& t) {
    if (t.kind == TokenKind::Eof) return "end of file";
    if (t.kind == TokenKind::Error) return "invalid token";
    return fmt::format("'{}'", t.text.size() > 40 ? std::string(t.text.substr(0, 40)) + "..."
                                                  : std::string(t.text));
}

std::vector<Token> lex(SourceManager const& sm, FileId file, DiagnosticEngine& diags) {
    return Lexer(sm.text(file), file, diags).run();
}

std::vector<std::string_view> token_spellings(std::string_view text) {
    DiagnosticEngine scratch;
    auto tokens = Lexer(text, FileId{}, scratch).run();
    std::vector<std::string_view> out;
    if (scratch.has_errors()) return out;
    for (auto const& t : tokens)
        if (t.kind != TokenKind::Eof) out.push_back(t.text);
    return out;
}

std::string string_literal_value(Token const& t) {
    if (t.text.size() < 2) return {};
    std::string_view body = t.text.substr(1, t.text.size() - 2);
    std::string out;
    out.reserve(body.size());
    for (size_t i = 0; i < body.size(); ++i) {
        char c = body[i];
        if (c == '\\' && i + 1 < body.size()) {
            char e = body[++i];
            if (e == '\n') continue;  // a line splice, as in C
            c = e == 'n' ? '\n' : e == 't' ? '\t' : e;
        }
        out.push_back(c);
    }
    return out;
}

}  // namespace probecheck::model
