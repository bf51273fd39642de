// lex -> parse (the scenario and, depth first, everything it imports) -> analyze -> compile,
// stopping after the first phase with errors so later phases never see broken input.
#include "model/frontend.hpp"

#include <cctype>
#include <filesystem>
#include <set>

#include "model/compile/lower.hpp"
#include "model/diag/suggest.hpp"
#include "model/lex/lexer.hpp"
#include "model/parse/parser.hpp"
#include "model/sema/apply_patches.hpp"

namespace probecheck::model {
namespace {

namespace fs = std::filesystem;

// v6.2 before v6.11: runs of digits compare by value.
struct NaturalLess {
    bool operator()(std::string const& a, std::string const& b) const {
        size_t i = 0, j = 0;
        while (i < a.size() && j < b.size()) {
            if (std::isdigit(static_cast<unsigned char>(a[i])) && std::isdigit(static_cast<unsigned char>(b[j]))) {
                size_t ei = a.find_first_not_of("0123456789", i), ej = b.find_first_not_of("0123456789", j);
                ei = ei == std::string::npos ? a.size() : ei;
                ej = ej == std::string::npos ? b.size() : ej;
                auto na = std::stoull(a.substr(i, std::min<size_t>(ei - i, 18)));
                auto nb = std::stoull(b.substr(j, std::min<size_t>(ej - j, 18)));
                if (na != nb) return na < nb;
                i = ei;
                j = ej;
            } else {
                if (a[i] != b[j]) return a[i] < b[j];
                ++i;
                ++j;
            }
        }
        return a.size() - i < b.size() - j;
    }
};

template <typename T>
void append(std::vector<T>& to, std::vector<T>& from) {
    for (auto& x : from) to.push_back(std::move(x));
}

// Parses files and their imports into one module: imported declarations come first, each
// file once (an import cycle simply stops at a file already loaded).
class ModuleLoader {
public:
    ModuleLoader(SourceManager& sources, DiagnosticEngine& diags, LoadOptions const& options)
        : sources_(sources), diags_(diags), options_(options) {}

    void load(FileId file, ast::Module& into) {
        ast::Module unit;
        parse(lex(sources_, file, diags_), unit, diags_);
        fs::path dir = fs::path(sources_.name(file)).parent_path();
        for (auto const& import : unit.imports) resolve_and_load(import, dir, into);
        append(into.structs, unit.structs);
        append(into.enums, unit.enums);
        append(into.pools, unit.pools);
        append(into.globals, unit.globals);
        for (auto& p : unit.properties) p.function += static_cast<uint32_t>(into.functions.size());
        for (auto& p : unit.patches) p.position += static_cast<uint32_t>(into.functions.size());
        append(into.patches, unit.patches);
        append(into.functions, unit.functions);
        append(into.properties, unit.properties);
        append(into.topology, unit.topology);
        append(into.threads, unit.threads);
        append(into.expects, unit.expects);
        append(into.field_overrides, unit.field_overrides);
    }

private:
    std::vector<fs::path> candidates(std::string const& name, fs::path const& dir) const {
        std::vector<fs::path> roots{dir.empty() ? fs::path(".") : dir};
        for (auto const& p : options_.library_paths) roots.emplace_back(p);
        roots.emplace_back(PROBECHECK_LIBRARY_DIR);
        roots.emplace_back(PROBECHECK_SOURCE_ROOT);  // "properties/iommu_groups"
        std::vector<fs::path> out;
        for (auto const& root : roots) {
            out.push_back(root / (name + ".model"));
            out.push_back(root / name / "module.model");
        }
        return out;
    }

    void resolve_and_load(ast::ImportDecl const& import, fs::path const& dir, ast::Module& into) {
        std::error_code ec;
        for (auto const& candidate : candidates(import.path, dir)) {
            if (!fs::is_regular_file(candidate, ec)) continue;
            auto canonical = fs::weakly_canonical(candidate, ec).string();
            if (!loaded_.insert(canonical).second) return;
            // Shown as written relative to the working directory when it is below it.
            auto file = sources_.add_file(fs::proximate(candidate, ec).lexically_normal().string());
            if (file) load(*file, into);
            return;
        }
        diags_.report(DiagKind::ImportNotFound, import.loc, {import.path},
                      static_cast<uint32_t>(import.path.size() + 2));
        note_known_modules(import, dir);
    }

    // "linux/v6.99": list the versions that "linux/" does have, wherever it is found.
    void note_known_modules(ast::ImportDecl const& import, fs::path const& dir) {
        auto slash = import.path.rfind('/');
        if (slash == std::string::npos) return;
        std::string parent = import.path.substr(0, slash);
        std::set<std::string, NaturalLess> names;
        std::error_code ec;
        for (auto const& candidate : candidates(parent, dir)) {
            if (candidate.filename() != "module.model") continue;
            for (auto const& entry : fs::directory_iterator(candidate.parent_path(), ec)) {
                if (fs::is_regular_file(entry.path() / "module.model", ec))
                    names.insert(entry.path().filename().string());
            }
        }
        if (names.empty()) return;
        if (auto near = closest_match(import.path.substr(slash + 1), {names.begin(), names.end()}))
            diags_.suggest(parent + "/" + *near);
        std::string list;
        for (auto const& n : names) list += (list.empty() ? "" : ", ") + n;
        diags_.note(DiagKind::KnownModules, {}, {parent, list});
    }

    SourceManager& sources_;
    DiagnosticEngine& diags_;
    LoadOptions const& options_;
    std::set<std::string> loaded_;
};

// Where each pool is sized, for the run-time message that tells the user what to enlarge.
void name_pool_declarations(bc::Program& program, SymbolTable const& symbols, SourceManager const& sources) {
    for (size_t s = 0; s < program.pools.size() && s < symbols.structs.size(); ++s) {
        SourceLoc loc = symbols.structs[s].pool_loc;
        if (program.pools[s].count == 0 || !loc.valid()) continue;
        program.pools[s].declared_at = sources.name(loc.file) + ":" + std::to_string(sources.line_col(loc).line);
    }
}

LoadedModel compile_file(FileId file, SourceManager& sources, LoadOptions const& options) {
    LoadedModel out;
    ast::Module module;
    module.main_file = file;
    ModuleLoader(sources, out.diagnostics, options).load(file, module);
    if (out.diagnostics.has_errors()) return out;
    apply_patches(module, sources, out.diagnostics);
    if (out.diagnostics.has_errors()) return out;
    SymbolTable symbols;
    if (!analyze(module, symbols, out.diagnostics, options.sema)) return out;
    auto program = compile(module, symbols, out.diagnostics);
    if (program) name_pool_declarations(*program, symbols, sources);
    if (program) out.system = std::make_unique<CompiledSystem>(std::move(*program));
    if (out.system && !options.fuse_steps) out.system->set_fusion(false);
    return out;
}

}  // namespace

LoadedModel load_model(std::string const& path, SourceManager& sources, LoadOptions const& options) {
    auto file = sources.add_file(path);
    if (!file) {
        LoadedModel out;
        out.diagnostics.report(DiagKind::CannotReadFile, {}, {path});
        return out;
    }
    return compile_file(*file, sources, options);
}

LoadedModel load_model_text(std::string name, std::string text, SourceManager& sources, LoadOptions const& options) {
    return compile_file(sources.add_buffer(std::move(name), std::move(text)), sources, options);
}

}  // namespace probecheck::model
