// Every example, explored with and without partial-order reduction (the reduced run with its
// commutation self-check on): the same verdict, the same distinct violations, the same
// terminal states and lock-order edges, and never more states.
#include <catch2/catch.hpp>

#include <filesystem>
#include <regex>

#include "tests/support/differential.hpp"
#include "tests/support/run_cli.hpp"

namespace fs = std::filesystem;
using namespace probecheck::test;

TEST_CASE("reduction: every example agrees with the full search", "[golden][reduction]") {
    uint64_t full_states = 0, reduced_states = 0;
    size_t examples = 0;
    for (auto const& e : fs::recursive_directory_iterator(fs::path(PROBECHECK_SOURCE_DIR) / "examples")) {
        if (!e.is_regular_file() || e.path().extension() != ".model" || e.path().parent_path().filename() == "lib")
            continue;
        std::string path = e.path().string();
        std::string text = read_source_file(fs::relative(e.path(), PROBECHECK_SOURCE_DIR).string());
        std::smatch args;
        std::string faults = std::regex_search(text, args, std::regex("// ARGS: *--faults=([a-z,]+)")) ? args[1].str() : "";
        auto full = explore_mode(text, false, faults, path);
        auto reduced = explore_mode(text, true, faults, path);
        INFO(path << "\n" << full.diagnostics);
        REQUIRE(full.loaded);
        CHECK(disagreement(full, reduced) == "");
        full_states += full.states;
        reduced_states += reduced.states;
        ++examples;
    }
    CHECK(examples >= 40);
    CHECK(reduced_states < full_states);
}
