#include "checker/search/dfs.hpp"

#include <catch2/catch.hpp>

#include "checker/trace/replay.hpp"
#include "tests/support/tiny_systems.hpp"

using namespace probecheck;
using checker::Verdict;

namespace {

checker::SearchResult run(checker::TransitionSystem const& sys, checker::SearchOptions const& o = {}) {
    return checker::explore(sys, {}, o);
}

}  // namespace

TEST_CASE("dfs: independent counters give the full product state space", "[checker][dfs]") {
    test::Counters sys(3, 4);  // 5^3 states; each state has one edge per unfinished counter
    auto r = run(sys);
    CHECK(r.verdict == Verdict::Holds);
    CHECK(r.stats.states == 125);
    CHECK(r.stats.transitions == 3 * 4 * 25);  // per thread: 4 steps x 25 states of the others
    CHECK(r.stats.max_depth == 12);
    auto ref = test::reference_explore(sys);
    CHECK(ref.states == r.stats.states);
    CHECK(ref.transitions == r.stats.transitions);
}

TEST_CASE("dfs: a violation stops the search and its trace replays", "[checker][dfs][trace]") {
    test::Counters sys(2, 3);
    sys.fail_at(2);
    auto r = run(sys);
    REQUIRE(r.verdict == Verdict::Violated);
    REQUIRE(r.violations.size() == 1);
    auto const& v = r.violations[0];
    CHECK(v.info.kind == 99);
    CHECK(v.trace.steps.size() == 4);
    auto replayed = checker::replay(sys, {}, v.trace);
    CHECK(replayed.valid);
    CHECK(replayed.reproduced);
    CHECK(replayed.failure_state == std::vector<checker::Slot>{2, 2});
}

TEST_CASE("dfs: a state bound makes the verdict incomplete, never holds", "[checker][dfs]") {
    test::Counters sys(3, 4);
    checker::SearchOptions o;
    o.max_states = 10;
    auto r = run(sys, o);
    CHECK(r.verdict == Verdict::Incomplete);
    CHECK(r.stats.states == 10);
    CHECK(r.incomplete_reason.find("--max-states 10") != std::string::npos);
}

TEST_CASE("dfs: a depth bound that cuts paths makes the verdict incomplete", "[checker][dfs]") {
    test::Counters sys(2, 4);
    checker::SearchOptions o;
    o.max_depth = 3;
    auto r = run(sys, o);
    CHECK(r.verdict == Verdict::Incomplete);
    CHECK(r.stats.max_depth == 3);
    o.max_depth = 8;  // the longest path is exactly 8 steps: nothing is cut
    CHECK(run(sys, o).verdict == Verdict::Holds);
}

TEST_CASE("dfs: same system twice gives identical results", "[checker][dfs]") {
    test::Counters sys(3, 3);
    sys.fail_at(3);
    auto a = run(sys), b = run(sys);
    CHECK(a.stats.states == b.stats.states);
    CHECK(a.stats.transitions == b.stats.transitions);
    REQUIRE(a.violations.size() == 1);
    CHECK(a.violations[0].trace.steps == b.violations[0].trace.steps);
}

TEST_CASE("replay: a step by a disabled thread makes the trace invalid", "[checker][trace]") {
    test::Counters sys(1, 1);
    checker::Trace t;
    t.steps = {{0, 0}, {0, 0}};
    auto r = checker::replay(sys, {}, t);
    CHECK_FALSE(r.valid);
    CHECK(r.problem.find("step 2") != std::string::npos);
}

TEST_CASE("dfs: the shortest-trace pass stops at --max-memory and says so", "[checker][dfs][trace]") {
    test::Counters sys(2, 3);
    sys.fail_at(2);
    checker::SearchOptions o;
    auto shortest = run(sys, o);
    CHECK(shortest.traces_not_shortest.empty());
    o.max_memory = 1;  // the search checks its bound every 4096 states: this one ends first
    auto bounded = run(sys, o);
    REQUIRE(bounded.verdict == Verdict::Violated);
    REQUIRE(bounded.violations.size() == 1);
    CHECK(bounded.traces_not_shortest == "the shortest-trace pass stopped early: it reached --max-memory");
    // The search's own trace is kept, and it still replays to the violation.
    auto replayed = checker::replay(sys, {}, bounded.violations[0].trace);
    CHECK(replayed.valid);
    CHECK(replayed.reproduced);
}
