// Finding scenarios and reading the options they carry on their `// ARGS:` line.
#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <sstream>

#include "tools/cli/nightly.hpp"

namespace probecheck::cli {
namespace {

namespace fs = std::filesystem;

bool under_lib(fs::path const& p) {
    return std::any_of(p.begin(), p.end(), [](fs::path const& part) { return part == "lib"; });
}

std::string caret_diagnostic(std::string const& path, uint32_t line, size_t column, std::string const& text,
                             std::string const& message) {
    return fmt::format("{}:{}:{}: error: {}\n{}\n{}^\n", path, line, column + 1, message, text,
                       std::string(column, ' '));
}

struct Token {
    std::string text;
    size_t column = 0;
};

std::vector<Token> tokens_of(std::string const& line, size_t from) {
    std::vector<Token> out;
    for (size_t i = from; i < line.size();) {
        if (line[i] == ' ' || line[i] == '\t') {
            ++i;
            continue;
        }
        size_t end = line.find_first_of(" \t", i);
        if (end == std::string::npos) end = line.size();
        out.push_back({line.substr(i, end - i), i});
        i = end;
    }
    return out;
}

template <class T>
bool parse_number(std::string const& s, T& out) {
    std::istringstream in(s);
    in >> out;
    return in && in.peek() == EOF && !s.empty() && s[0] != '-';
}

std::vector<std::string> split_commas(std::string const& s) {
    std::vector<std::string> out;
    std::stringstream in(s);
    for (std::string item; std::getline(in, item, ',');) out.push_back(item);
    return out;
}

/// Sets one option; "" or the problem with it.
std::string set_option(std::string const& name, std::string const& value, VerifyArgs& args) {
    bool ok = true;
    if (name == "--faults") {
        args.faults = split_commas(value);
        ok = std::all_of(args.faults.begin(), args.faults.end(), [](auto const& f) { return f == "alloc" || f == "defer"; });
    } else if (name == "--fault-budget") ok = parse_number(value, args.fault_budget);
    else if (name == "--max-recursion") ok = parse_number(value, args.max_recursion);
    else if (name == "--max-call-depth") ok = parse_number(value, args.max_call_depth);
    else if (name == "--max-depth") ok = parse_number(value, args.max_depth);
    else if (name == "--max-states") ok = parse_number(value, args.max_states);
    else if (name == "--max-memory") ok = parse_number(value, args.max_memory_mib);
    else if (name == "--max-seconds") ok = parse_number(value, args.max_seconds);
    else if (name == "--property") args.properties = split_commas(value);
    else if (name == "--por") {
        args.por = value;
        ok = value == "persistent" || value == "none";
    } else if (name == "--proviso") {
        args.proviso = value;
        ok = value == "static" || value == "stack";
    } else if (name == "--fuse-steps") {
        args.fuse_steps = value;
        ok = value == "on" || value == "off";
    } else if (name == "-I") args.library_paths.push_back(value);
    else return fmt::format("unknown option '{}' in ARGS (known: --faults, --fault-budget, --max-recursion, "
                            "--max-call-depth, --max-depth, --max-states, --max-memory, --max-seconds, --property, "
                            "--por, --proviso, --fuse-steps, --hash-compact, -I)", name);
    return ok ? "" : fmt::format("bad value '{}' for {}", value, name);
}

}  // namespace

std::vector<std::string> find_scenarios(std::vector<std::string> const& paths, std::vector<std::string>& errors) {
    std::vector<std::string> out;
    for (auto const& p : paths) {
        std::error_code ec;
        if (fs::is_regular_file(p, ec)) {
            out.push_back(p);
            continue;
        }
        if (!fs::is_directory(p, ec)) {
            errors.push_back(fmt::format("probecheck: error: no such file or directory '{}'", p));
            continue;
        }
        for (auto const& e : fs::recursive_directory_iterator(p, ec))
            if (e.is_regular_file() && e.path().extension() == ".model" && !under_lib(e.path().lexically_relative(p)))
                out.push_back(e.path().string());
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
}

bool apply_scenario_args(std::string const& path, std::string const& text, VerifyArgs& args, std::string& diagnostic) {
    std::istringstream in(text);
    uint32_t number = 0;
    for (std::string line; std::getline(in, line);) {
        ++number;
        size_t at = line.find("// ARGS:");
        if (at != 0) continue;
        auto tokens = tokens_of(line, at + 8);
        for (size_t i = 0; i < tokens.size(); ++i) {
            std::string name = tokens[i].text, value;
            size_t column = tokens[i].column;
            if (name == "--hash-compact") {
                args.hash_compact = true;
                continue;
            }
            if (auto eq = name.find('='); eq != std::string::npos) {
                value = name.substr(eq + 1);
                name.resize(eq);
            } else if (i + 1 < tokens.size()) {
                value = tokens[++i].text;
            } else {
                diagnostic = caret_diagnostic(path, number, column, line, "option '" + name + "' needs a value");
                return false;
            }
            if (std::string problem = set_option(name, value, args); !problem.empty()) {
                diagnostic = caret_diagnostic(path, number, column, line, problem);
                return false;
            }
        }
    }
    return true;
}

}  // namespace probecheck::cli
