// End-to-end golden tests. Every example declares what it must give in its header:
//   expect holds; | expect violation KIND; | expect incomplete;   (the language's own line)
//   // STATES: N   // TRANSITIONS: N   (exact counts of the default search)
//   // ARGS: extra verify options (optional)
// and its full text output is pinned in tests/golden/cases/<path>.txt (regenerate with
// tools/golden/update_goldens and review the diff). Violations' JSON traces must replay.
// The bad-input corpus tests/golden/diag/*.model must give exit 2 and exactly the
// diagnostics in the matching .expected file.
#include <catch2/catch.hpp>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "tests/support/run_cli.hpp"

namespace fs = std::filesystem;
using probecheck::test::normalize_output;
using probecheck::test::read_source_file;
using probecheck::test::run_cli;

namespace {

std::vector<std::string> files_under(std::string const& dir, std::string const& ext) {
    std::vector<std::string> out;
    fs::path root = fs::path(PROBECHECK_SOURCE_DIR) / dir;
    for (auto const& e : fs::recursive_directory_iterator(root)) {
        bool library = e.path().parent_path().filename() == "lib";  // imported, not run alone
        if (e.is_regular_file() && e.path().extension() == ext && !library)
            out.push_back(fs::relative(e.path(), PROBECHECK_SOURCE_DIR).string());
    }
    std::sort(out.begin(), out.end());
    return out;
}

std::string annotation(std::string const& text, std::string const& key) {
    std::smatch m;
    std::regex re("// " + key + ": *([^\n]*)");
    return std::regex_search(text, m, re) ? m[1].str() : std::string();
}

std::string golden_path(std::string const& model) {
    std::string name = model;
    std::replace(name.begin(), name.end(), '/', '_');
    return "tests/golden/cases/" + name.substr(0, name.size() - 6) + ".txt";
}

void check_example(std::string const& model) {
    std::string text = read_source_file(model);
    std::smatch m;
    REQUIRE(std::regex_search(text, m, std::regex("\nexpect ([a-z_ ]+);")));
    std::string expect = m[1].str();
    std::string json_path = "/tmp/probecheck_golden_" + std::to_string(::getpid()) + ".json";
    // One worker: the reduced state count is exact only then (parallel_examples_test covers more).
    auto run = run_cli("verify " + model + " --workers 1 " + annotation(text, "ARGS") + " --json " + json_path);
    INFO(run.err);
    int want_exit = expect == "holds" ? 0 : expect == "incomplete" ? 3 : 1;
    REQUIRE(run.exit_code == want_exit);
    std::ifstream json_file(json_path);
    auto doc = nlohmann::json::parse(json_file);
    CHECK(doc["expect"]["met"] == true);  // every violation found is of an expected kind
    CHECK(std::to_string(doc["stats"]["states"].get<uint64_t>()) == annotation(text, "STATES"));
    CHECK(std::to_string(doc["stats"]["transitions"].get<uint64_t>()) == annotation(text, "TRANSITIONS"));
    CHECK(normalize_output(run.out) == read_source_file(golden_path(model)));
    if (want_exit == 1) {
        auto replayed = run_cli("replay " + json_path);
        INFO(replayed.err);
        CHECK(replayed.exit_code == 1);
        CHECK(replayed.out.find("replay: confirmed [" + doc["violations"][0]["kind"].get<std::string>() + "]") !=
              std::string::npos);
    }
    std::remove(json_path.c_str());
}

}  // namespace

TEST_CASE("golden: every example gives its expected verdict, counts and trace", "[golden]") {
    auto examples = files_under("examples", ".model");
    REQUIRE(examples.size() >= 7);
    for (auto const& model : examples) {
        DYNAMIC_SECTION(model) { check_example(model); }
    }
}

TEST_CASE("golden: every pinned case belongs to an example (a renamed example leaves none behind)", "[golden]") {
    std::set<std::string> expected;
    for (auto const& model : files_under("examples", ".model")) expected.insert(golden_path(model));
    auto cases = files_under("tests/golden/cases", ".txt");
    REQUIRE(cases.size() == expected.size());
    for (auto const& c : cases) {
        INFO(c);
        CHECK(expected.count(c) == 1);
    }
}

TEST_CASE("golden: every bad input gives exit 2 and its exact diagnostics", "[golden][diag]") {
    auto corpus = files_under("tests/golden/diag", ".model");
    REQUIRE(corpus.size() >= 25);
    for (auto const& model : corpus) {
        DYNAMIC_SECTION(model) {
            auto run = run_cli("verify " + model);
            CHECK(run.exit_code == 2);
            CHECK(run.out.empty());
            CHECK(run.err.find(": error: ") != std::string::npos);
            CHECK(run.err == read_source_file(model.substr(0, model.size() - 6) + ".expected"));
        }
    }
}
