// The CLI's contract: exit codes, limits that never yield "holds", determinism of verdicts,
// counts and traces, and replay rejecting traces that do not fit the model.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>

#include "tests/support/run_cli.hpp"

using nlohmann::json;
using probecheck::test::run_cli;

namespace {

std::string temp_path(std::string const& tag) {
    return "/tmp/probecheck_cli_" + tag + "_" + std::to_string(::getpid()) + ".json";
}

json read_json(std::string const& path) {
    std::ifstream f(path);
    return json::parse(f);
}

// The result without what legitimately varies between runs (time, memory).
json without_timing(json doc) {
    for (auto const* key : {"seconds", "states_per_second", "peak_memory_bytes"}) doc["stats"].erase(key);
    return doc;
}

}  // namespace

TEST_CASE("cli: a state bound on a bigger model exits 3, never 0", "[golden][cli]") {
    auto run = run_cli("verify examples/basics/bus_walk.model --max-states 10");
    CHECK(run.exit_code == 3);
    CHECK(run.out.find("verdict: incomplete: state bound reached (--max-states 10); nothing is proven") !=
          std::string::npos);
    CHECK(run_cli("verify examples/basics/bus_walk.model --max-depth 5").exit_code == 3);
}

TEST_CASE("cli: exit codes for holds, violation, input and usage errors", "[golden][cli]") {
    CHECK(run_cli("verify examples/basics/counter_locked.model").exit_code == 0);
    CHECK(run_cli("verify examples/basics/abba.model").exit_code == 1);
    auto missing = run_cli("verify examples/no-such.model");
    CHECK(missing.exit_code == 2);
    CHECK(missing.err == "probecheck: error: cannot read model file 'examples/no-such.model' [CannotReadFile]\n");
    CHECK(run_cli("verify").exit_code == 4);
    CHECK(run_cli("verify examples/basics/abba.model --bogus").exit_code == 4);
    CHECK(run_cli("frobnicate").exit_code == 4);
    auto version = run_cli("--version");
    CHECK(version.exit_code == 0);
    CHECK(version.out.rfind("probecheck ", 0) == 0);
    CHECK(run_cli("verify --help").exit_code == 0);
}

TEST_CASE("cli: an unknown property is usage, and the message and --help list every property", "[golden][cli]") {
    auto bad = run_cli("verify examples/basics/abba.model --property nope");
    CHECK(bad.exit_code == 4);
    std::string const all = "lock_rules, lock_order, deadlock, races, memory, groups, binding, teardown, dma, firmware, "
                            "warnings, user";
    CHECK(bad.err == "probecheck: error: unknown property 'nope' (known: " + all + ")\n");
    auto help = run_cli("verify --help");
    std::string flat;  // CLI11 wraps long option texts
    for (char c : help.out) flat += c == '\n' ? ' ' : c;
    CHECK(flat.find("firmware") != std::string::npos);
    CHECK(flat.find("teardown") != std::string::npos);
}

TEST_CASE("cli: ABBA names both locks and both threads", "[golden][cli]") {
    auto run = run_cli("verify examples/basics/abba.model");
    CHECK(run.exit_code == 1);
    CHECK(run.out.find("thread 't1' waits for 'b' held by thread 't2'; thread 't2' waits for 'a' held by thread 't1'") !=
          std::string::npos);
}

TEST_CASE("cli: the same run twice gives the same verdict, counts and traces", "[golden][cli]") {
    auto a = temp_path("a"), b = temp_path("b");
    auto r1 = run_cli("verify examples/basics/probe_race.model --all --workers 1 --json " + a);
    auto r2 = run_cli("verify examples/basics/probe_race.model --all --workers 1 --json " + b);
    CHECK(r1.exit_code == 1);
    CHECK(r2.exit_code == 1);
    auto d1 = read_json(a), d2 = read_json(b);
    CHECK(without_timing(d1) == without_timing(d2));
    CHECK(d1["stats"]["states"] == 482);  // with partial-order reduction; 552 without
    CHECK(d1["violations"].size() == 8);  // 3 racy fields, assertion, 2 use-after-free sites, NULL deref, leak
    CHECK(d1["expect"]["met"] == true);
    std::remove(a.c_str());
    std::remove(b.c_str());
}

TEST_CASE("cli: every trace of an --all run replays", "[golden][cli][trace]") {
    auto path = temp_path("all");
    REQUIRE(run_cli("verify examples/basics/probe_race.model --all --json " + path).exit_code == 1);
    auto doc = read_json(path);
    for (size_t i = 0; i < doc["violations"].size(); ++i) {
        auto replay = run_cli("replay " + path + " --index " + std::to_string(i));
        INFO(replay.err);
        CHECK(replay.exit_code == 1);
    }
    std::remove(path.c_str());
}

TEST_CASE("cli: replay rejects a trace that does not fit the model", "[golden][cli][trace]") {
    auto path = temp_path("tampered");
    REQUIRE(run_cli("verify examples/basics/abba.model --json " + path).exit_code == 1);
    auto doc = read_json(path);

    SECTION("a step by the wrong thread") {
        auto& steps = doc["violations"][0]["trace"]["steps"];
        std::swap(steps[0], steps[1]);
        steps[0]["thread_index"] = 1;
        steps[0]["thread"] = "t2";
        steps[1]["thread_index"] = 1;
        steps[1]["thread"] = "t2";
    }
    SECTION("a different model") { doc["model"] = "examples/basics/counter_locked.model"; }
    SECTION("not a trace at all") { doc = json{{"schema", 1}}; }
    std::ofstream(path) << doc.dump();
    auto replay = run_cli("replay " + path);
    CHECK(replay.exit_code == 2);
    CHECK(replay.err.find("probecheck: ") == 0);
    std::remove(path.c_str());
}

TEST_CASE("cli: a model that outgrows its pool is a model error with a trace, exit 2", "[golden][cli]") {
    std::string path = "/tmp/probecheck_cli_pool_" + std::to_string(::getpid()) + ".model";
    std::ofstream(path) << "struct obj { int v; };\npool struct obj[1];\n"
                           "void f() { struct obj *a = kzalloc(struct obj); struct obj *b = kzalloc(struct obj); }\n"
                           "thread t: f();\n";
    auto run = run_cli("verify " + path);
    CHECK(run.exit_code == 2);
    CHECK(run.out.find("VIOLATION [pool_exhausted] kzalloc(struct obj): all 1 objects of 'pool struct obj[1]' (" + path +
                       ":2) are in use or freed (freed objects are never reused); enlarge it from the scenario: "
                       "'override pool struct obj[2];'") != std::string::npos);
    CHECK(run.out.find("Trace: 2 steps, replayed and confirmed") != std::string::npos);  // the first kzalloc, then the failing one
    CHECK(run.out.find("verdict: model error") != std::string::npos);
    std::remove(path.c_str());
}

TEST_CASE("cli: --hash-compact says probabilistic, keeps the exact counts, its traces replay", "[golden][cli]") {
    auto exact = run_cli("verify examples/basics/bus_walk.model --por none --workers 1");
    auto compact = run_cli("verify examples/basics/bus_walk.model --por none --workers 2 --hash-compact");
    CHECK(exact.exit_code == 0);
    CHECK(compact.exit_code == 0);
    CHECK(exact.out.find("holds for all 1878 states") != std::string::npos);
    CHECK(compact.out.find("holds for all 1878 states") != std::string::npos);
    CHECK(exact.out.find("probabilistic") == std::string::npos);
    CHECK(compact.out.find("probabilistic (--hash-compact): states were stored as 64-bit fingerprints; the chance "
                           "that one was never explored is below 9.6e-14") != std::string::npos);

    std::string path = temp_path("compact");
    REQUIRE(run_cli("verify examples/basics/probe_race.model --all --hash-compact --workers 2 --json " + path)
                .exit_code == 1);
    json doc = read_json(path);
    CHECK(doc["probabilistic"] == true);
    CHECK(doc["options"]["hash_compact"] == true);
    REQUIRE(doc["violations"].size() == 8);
    for (size_t i = 0; i < doc["violations"].size(); ++i) {
        auto replay = run_cli("replay " + path + " --index " + std::to_string(i));
        INFO(replay.out << replay.err);
        CHECK(replay.exit_code == 1);
        CHECK(replay.out.find("replay: confirmed") != std::string::npos);
    }
    std::remove(path.c_str());
}

TEST_CASE("cli: --proviso static gives one worker's counts on two, stack is accepted, a bad value is usage",
          "[golden][cli]") {
    std::string const model = "examples/seeds/b02_k67_fixed.model";
    std::string one = temp_path("proviso1"), two = temp_path("proviso2"), stack = temp_path("proviso_stack");
    REQUIRE(run_cli("verify " + model + " --workers 1 --json " + one).exit_code == 0);
    REQUIRE(run_cli("verify " + model + " --workers 2 --proviso static --json " + two).exit_code == 0);
    REQUIRE(run_cli("verify " + model + " --workers 1 --proviso stack --json " + stack).exit_code == 0);
    json a = read_json(one), b = read_json(two), c = read_json(stack);
    CHECK(a["options"]["proviso"] == "static");
    CHECK(c["options"]["proviso"] == "stack");
    CHECK(a["stats"]["states"] == 1238);
    CHECK(a["stats"]["transitions"] == 1663);
    CHECK(b["stats"]["states"] == 1238);
    CHECK(b["stats"]["transitions"] == 1663);
    CHECK(c["stats"]["states"] == 1238);  // no cycle here: the stack proviso never fires either
    CHECK(run_cli("verify " + model + " --proviso sleep").exit_code == 4);
    for (auto const& p : {one, two, stack}) std::remove(p.c_str());
}

TEST_CASE("cli: options that take a value never swallow the model path after them", "[golden][cli]") {
    std::string const model = " examples/tutorial/step3_recheck.model -q";
    auto imports = run_cli("verify -I examples/tutorial" + model);
    CHECK(imports.exit_code == 0);
    CHECK(imports.out.find("verdict: holds for all 2768 states") != std::string::npos);
    auto faults = run_cli("verify --workers 1 --faults alloc --property memory" + model);
    CHECK(faults.err.find("model is required") == std::string::npos);
    CHECK(faults.out.find("states: 1163 ") != std::string::npos);  // alloc faults, memory checks only
    auto repeated = run_cli("verify --faults alloc --faults defer -I examples -I examples/tutorial" + model);
    CHECK(repeated.err.find("model is required") == std::string::npos);
    CHECK((repeated.exit_code == 0 || repeated.exit_code == 1));
}

TEST_CASE("cli: - reads the model from standard input and writes a report to standard output", "[golden][cli]") {
    auto run = run_cli("verify - --json - < examples/basics/bus_walk.model");
    CHECK(run.exit_code == 0);
    auto doc = nlohmann::json::parse(run.out, nullptr, false);  // stdout is the JSON alone
    REQUIRE_FALSE(doc.is_discarded());
    CHECK(doc["verdict"] == "holds");
    CHECK(doc["stats"]["states"] == 1878);
    CHECK(run.err.find("verdict: holds for all 1878 states") != std::string::npos);  // the text went to stderr
    auto bad = run_cli("verify - < tests/golden/diag/01-unknown-name.model");
    CHECK(bad.exit_code == 2);
    CHECK(bad.err.find("<stdin>:7:16: error: use of undeclared identifier 'refcnt'") != std::string::npos);
    auto two = run_cli("nightly examples/basics/bus_walk.model --json - --sarif -");
    CHECK(two.exit_code == 4);  // usage
    CHECK(two.err.find("only one of --json, --junit and --sarif can be '-'") != std::string::npos);
    auto junit = run_cli("nightly examples/basics/bus_walk.model --junit - -q");
    CHECK(junit.exit_code == 0);
    CHECK(junit.out.rfind("<?xml", 0) == 0);
}
