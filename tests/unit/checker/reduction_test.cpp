// Partial-order reduction on hand-made models whose reduced graphs are known exactly.
#include <catch2/catch.hpp>

#include "checker/search/dfs.hpp"
#include "model/frontend.hpp"

using namespace probecheck;

namespace {

checker::SearchResult run(std::string const& text, bool reduce) {
    model::SourceManager sm;
    auto loaded = model::load_model_text("r.model", text, sm, {});
    REQUIRE(loaded.system);
    checker::SearchOptions o;
    o.all_violations = true;
    o.reduce = reduce;
    o.check_reduction = reduce;
    return checker::explore(*loaded.system, {}, o);
}

}  // namespace

TEST_CASE("reduction: independent writers explore one interleaving", "[checker][reduction]") {
    std::string const text = "int x; int y; void a() { x = 1; } void b() { y = 1; } thread ta: a(); thread tb: b();";
    CHECK(run(text, false).stats.states == 4);  // the diamond
    auto reduced = run(text, true);
    CHECK(reduced.stats.states == 3);  // a line: ta's write, then tb's
    CHECK(reduced.stats.transitions == 2);
    CHECK(reduced.stats.reduced_states == 1);  // the initial state; then only tb can move
}

TEST_CASE("reduction: dependent accesses are never reduced", "[checker][reduction]") {
    std::string const text = "int x; void a() { x = 1; } void b() { x = 2; } thread ta: a(); thread tb: b();";
    CHECK(run(text, true).stats.states == run(text, false).stats.states);
}

TEST_CASE("reduction: n independent threads go from 2^n states to n + 1", "[checker][reduction]") {
    std::string text;
    for (int i = 0; i < 8; ++i) text += "int x" + std::to_string(i) + "; void f" + std::to_string(i) + "() { x" +
                                        std::to_string(i) + " = 1; } thread t" + std::to_string(i) + ": f" +
                                        std::to_string(i) + "();\n";
    CHECK(run(text, false).stats.states == 256);
    CHECK(run(text, true).stats.states == 9);
}

TEST_CASE("reduction: a step an invariant reads is visible and keeps its interleavings", "[checker][reduction]") {
    std::string const text = "int x; int y; void a() { x = 1; } void b() { y = 1; } thread ta: a(); thread tb: b();"
                             "invariant not_both { !(x == 1 && y == 0) }";
    auto full = run(text, false), reduced = run(text, true);
    CHECK(reduced.stats.states == full.stats.states);
    CHECK(reduced.violations.size() == full.violations.size());
}

TEST_CASE("reduction: a failing step is never the whole persistent set", "[checker][reduction]") {
    // ta fails at once; tb's assertion fails only after tb's own write: both must be found.
    std::string const text = "int x; int y; void a() { assert(x == 1, \"a\"); } "
                             "void b() { y = 1; assert(y == 0, \"b\"); } thread ta: a(); thread tb: b();";
    CHECK(run(text, true).violations.size() == 2);
}
