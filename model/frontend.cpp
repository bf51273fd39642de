// lex -> parse -> analyze -> compile, stopping after the first phase with errors so later
// phases never see broken input.
#include "model/frontend.hpp"

#include "model/compile/lower.hpp"
#include "model/lex/lexer.hpp"
#include "model/parse/parser.hpp"

namespace probecheck::model {
namespace {

LoadedModel compile_file(FileId file, SourceManager& sources, SemaOptions const& options) {
    LoadedModel out;
    auto tokens = lex(sources, file, out.diagnostics);
    ast::Module module;
    module.main_file = file;
    parse(tokens, module, out.diagnostics);
    if (out.diagnostics.has_errors()) return out;
    SymbolTable symbols;
    if (!analyze(module, symbols, out.diagnostics, options)) return out;
    auto program = compile(module, symbols, out.diagnostics);
    if (program) out.system = std::make_unique<CompiledSystem>(std::move(*program));
    return out;
}

}  // namespace

LoadedModel load_model(std::string const& path, SourceManager& sources, SemaOptions const& options) {
    auto file = sources.add_file(path);
    if (!file) {
        LoadedModel out;
        out.diagnostics.report(DiagKind::CannotReadFile, {}, {path});
        return out;
    }
    return compile_file(*file, sources, options);
}

LoadedModel load_model_text(std::string name, std::string text, SourceManager& sources,
                            SemaOptions const& options) {
    return compile_file(sources.add_buffer(std::move(name), std::move(text)), sources, options);
}

}  // namespace probecheck::model
