// `probecheck nightly` end to end: the whole examples/ library as CI runs it every night (its
// JUnit report validated against the Jenkins schema, its SARIF against SARIF 2.1.0), and the
// statuses a wrong expectation, a budget, a bad ARGS line and a missing expect line give.
#include <catch2/catch.hpp>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "properties/registry.hpp"
#include "tests/support/run_cli.hpp"

using nlohmann::json;
using probecheck::test::read_source_file;
using probecheck::test::run_cli;

namespace {

struct TempDir {
    std::filesystem::path path =
        std::filesystem::temp_directory_path() / ("probecheck_nightly_" + std::to_string(::getpid()));
    TempDir() { std::filesystem::create_directories(path); }
    ~TempDir() { std::filesystem::remove_all(path); }
    [[nodiscard]] std::string file(std::string const& name) const { return (path / name).string(); }
    void write(std::string const& name, std::string const& text) const { std::ofstream(file(name)) << text; }
};

json read_json(std::string const& path) {
    std::ifstream f(path);
    return json::parse(f);
}

std::string slurp(std::string const& path) {
    std::ifstream f(path);
    return {std::istreambuf_iterator<char>(f), {}};
}

/// Runs a validator from the source directory (schemas are named relative to it).
int shell(std::string const& cmd) {
    std::string line = std::string("cd '") + PROBECHECK_SOURCE_DIR + "' && " + cmd + " >&2";
    return WEXITSTATUS(std::system(line.c_str()));
}

size_t count(std::string const& text, std::string const& needle) {
    size_t n = 0;
    for (size_t at = text.find(needle); at != std::string::npos; at = text.find(needle, at + 1)) ++n;
    return n;
}

/// The scenarios nightly must find under examples/: every .model outside a lib/ directory.
size_t example_scenarios() {
    size_t n = 0;
    auto root = std::filesystem::path(PROBECHECK_SOURCE_DIR) / "examples";
    for (auto const& entry : std::filesystem::recursive_directory_iterator(root)) {
        bool in_lib = entry.path().parent_path().filename() == "lib";
        if (entry.path().extension() == ".model" && !in_lib) ++n;
    }
    return n;
}

}  // namespace

TEST_CASE("nightly: every example meets its expectation, and JUnit and SARIF validate", "[golden][nightly]") {
    TempDir dir;
    auto run = run_cli("nightly examples/ --workers 2 --junit " + dir.file("j.xml") + " --sarif " + dir.file("s.sarif") +
                       " --json " + dir.file("r.json"));
    INFO(run.out << run.err);
    size_t const scenarios = example_scenarios();
    REQUIRE(scenarios >= 53);
    CHECK(run.exit_code == 0);
    std::string const tally = std::to_string(scenarios);
    CHECK(run.out.find(tally + " scenarios: " + tally + " pass, 0 fail, 0 incomplete, 0 error") != std::string::npos);
    CHECK(run.err.empty());  // not a terminal: no progress line

    CHECK(shell("xmllint --noout --schema tests/schemas/junit.xsd " + dir.file("j.xml")) == 0);
    std::string junit = slurp(dir.file("j.xml"));
    CHECK(count(junit, "<testsuite ") == scenarios);
    // "expect", each property, then "model" (model limits)
    size_t const cases_per_scenario = 2 + probecheck::properties::all_properties().size();
    CHECK(count(junit, "<testcase ") == scenarios * cases_per_scenario);
    CHECK(count(junit, "<failure") == 0);

    CHECK(shell("tests/support/validate_sarif.py " + dir.file("s.sarif")) == 0);
    json sarif = read_json(dir.file("s.sarif"));
    auto const& results = sarif["runs"][0]["results"];
    REQUIRE(results.size() > 0);
    for (auto const& r : results) CHECK(r.contains("suppressions"));  // every violation is expected

    json summary = read_json(dir.file("r.json"));
    CHECK(summary["totals"]["pass"] == scenarios);
    CHECK(summary["exit_code"] == 0);
    CHECK(summary["scenarios"].size() == scenarios);
}

TEST_CASE("nightly: a wrong expectation exits 1 and names the scenario in every report", "[golden][nightly]") {
    TempDir dir;
    std::string text = read_source_file("examples/basics/abba.model");
    auto at = text.find("expect violation deadlock;");
    REQUIRE(at != std::string::npos);
    text.replace(at, 26, "expect holds;");
    text.erase(text.find("expect violation lock_order;"), 28);
    dir.write("abba_wrong.model", text);
    auto run = run_cli("nightly " + dir.path.string() + " -q --junit " + dir.file("j.xml") + " --sarif " +
                       dir.file("s.sarif"));
    INFO(run.out << run.err);
    CHECK(run.exit_code == 1);
    CHECK(run.out.find("abba_wrong.model") != std::string::npos);
    CHECK(run.out.find("FAIL") != std::string::npos);
    CHECK(run.out.find("expected holds, got violation deadlock, lock_order") != std::string::npos);
    CHECK(run.out.find("1 scenarios: 0 pass, 1 fail, 0 incomplete, 0 error") != std::string::npos);

    CHECK(shell("xmllint --noout --schema tests/schemas/junit.xsd " + dir.file("j.xml")) == 0);
    std::string junit = slurp(dir.file("j.xml"));
    CHECK(count(junit, "<failure") == 3);  // expect, deadlock, lock_order
    CHECK(junit.find("message=\"expected none, found deadlock\"") != std::string::npos);
    CHECK(junit.find("Call trace") != std::string::npos);  // the trace travels with the failure

    CHECK(shell("tests/support/validate_sarif.py " + dir.file("s.sarif")) == 0);
    json results = read_json(dir.file("s.sarif"))["runs"][0]["results"];
    REQUIRE(results.size() == 2);
    for (auto const& r : results) {
        CHECK_FALSE(r.contains("suppressions"));  // unexpected: code scanning shows them
        CHECK(r["level"] == "error");
        CHECK(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].get<std::string>().ends_with(
            "abba_wrong.model"));
    }
}

TEST_CASE("nightly: a budget makes a scenario incomplete (exit 3, skipped in JUnit)", "[golden][nightly]") {
    TempDir dir;
    auto run = run_cli("nightly examples/basics/bus_walk.model examples/basics/abba.model -q --max-states 100 "
                       "--junit " + dir.file("j.xml") + " --json " + dir.file("r.json"));
    INFO(run.out << run.err);
    CHECK(run.exit_code == 3);
    CHECK(run.out.find("state bound reached (--max-states 100)") != std::string::npos);
    CHECK(run.out.find("2 scenarios: 1 pass, 0 fail, 1 incomplete, 0 error") != std::string::npos);
    CHECK(count(slurp(dir.file("j.xml")), "<skipped message=\"incomplete: state bound reached") ==
          2 + probecheck::properties::all_properties().size());
    json summary = read_json(dir.file("r.json"));
    CHECK(summary["scenarios"][1]["status"] == "incomplete");
    CHECK(summary["exit_code"] == 3);
}

TEST_CASE("nightly: bad ARGS lines and missing expectations are input errors (exit 2)", "[golden][nightly]") {
    TempDir dir;
    std::string text = read_source_file("examples/basics/abba.model");
    dir.write("bad_args.model", "// ARGS: --faults=alloc --frobnicate 3\n" + text);
    auto run = run_cli("nightly " + dir.file("bad_args.model") + " -q");
    CHECK(run.exit_code == 2);
    CHECK(run.err.find("bad_args.model:1:25: error: unknown option '--frobnicate' in ARGS") != std::string::npos);
    CHECK(run.err.find("\n                        ^\n") != std::string::npos);

    std::string no_expect = text;
    no_expect.erase(no_expect.find("expect violation deadlock;"), 26);
    no_expect.erase(no_expect.find("expect violation lock_order;"), 28);
    dir.write("no_expect.model", no_expect);
    auto missing = run_cli("nightly " + dir.file("no_expect.model") + " -q");
    CHECK(missing.exit_code == 2);
    CHECK(missing.out.find("no `expect` line") != std::string::npos);
    CHECK(run_cli("nightly no/such/dir -q").exit_code == 2);
}

TEST_CASE("nightly: --baseline reports new and fixed violations and moved counts", "[golden][nightly]") {
    TempDir dir;
    REQUIRE(run_cli("nightly examples/basics -q --workers 1 --json " + dir.file("before.json")).exit_code == 0);
    json before = read_json(dir.file("before.json"));
    // Pretend last night abba deadlocked somewhere else and bus_walk had half the states.
    for (auto& s : before["scenarios"]) {
        if (s["path"] == "examples/basics/abba.model") s["violations"][0]["line"] = 99;
        if (s["path"] == "examples/basics/bus_walk.model") s["states"] = s["states"].get<double>() / 2;
    }
    std::ofstream(dir.file("before.json")) << before.dump();
    // Times vary from run to run (and ten-fold under sanitizers): only counts are compared here.
    auto run = run_cli("nightly examples/basics -q --workers 1 --time-threshold 1e9 --baseline " +
                       dir.file("before.json") + " --json " + dir.file("after.json"));
    INFO(run.out << run.err);
    CHECK(run.exit_code == 0);
    CHECK(run.out.find("compared with " + dir.file("before.json") + ": 3 change(s)") != std::string::npos);
    CHECK(run.out.find("examples/basics/abba.model: new violation deadlock at examples/basics/abba.model:") !=
          std::string::npos);
    CHECK(run.out.find("examples/basics/abba.model: fixed violation deadlock at examples/basics/abba.model:99") !=
          std::string::npos);
    CHECK(run.out.find("examples/basics/bus_walk.model: states 939 -> 1878 (+100.0%)") != std::string::npos);
    json after = read_json(dir.file("after.json"));
    CHECK(after["baseline"]["new_violations"].size() == 1);
    CHECK(after["baseline"]["fixed_violations"].size() == 1);
    CHECK(after["baseline"]["state_changes"].size() == 1);
}
