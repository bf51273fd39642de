// Partial-order reduction against the full search on random models, with the static and the
// stack proviso: same verdict, same distinct violations, same terminal and dead-end states,
// same lock-order edges, never more states, and the per-state commutation self-check on. The default suite runs a fast subset;
// `probecheck_tests "[slow]"` (tools/test-por) runs 10,000 models.
#include <catch2/catch.hpp>

#include <cstdlib>

#include "tests/support/differential.hpp"
#include "tests/support/random_model.hpp"

using namespace probecheck::test;

namespace {

uint64_t run_models(uint64_t first, uint64_t count, std::string const& faults) {
    uint64_t reduced_total = 0;
    for (uint64_t seed = first; seed < first + count; ++seed) {
        std::string text = random_model(seed);
        auto full = explore_mode(text, false, faults);
        INFO("seed " << seed << " faults '" << faults << "'\n" << text << full.diagnostics);
        REQUIRE(full.loaded);
        auto reduced = explore_mode(text, true, faults);
        CHECK(disagreement(full, reduced) == "");
        auto stack = explore_with(text, {.reduce = true, .faults = faults,
                                         .proviso = probecheck::checker::SearchOptions::Proviso::Stack});
        CHECK(disagreement(full, stack) == "");
        reduced_total += full.states - reduced.states;
    }
    return reduced_total;
}

uint64_t env_count(char const* name, uint64_t fallback) {
    char const* v = std::getenv(name);
    return v ? std::strtoull(v, nullptr, 10) : fallback;
}

}  // namespace

TEST_CASE("reduction: random models agree with the full search", "[checker][reduction]") {
    uint64_t saved = run_models(1, 300, "");
    CHECK(saved > 0);  // the reduction does reduce on these models
}

TEST_CASE("reduction: random models agree with the full search under alloc faults", "[checker][reduction]") {
    run_models(100001, 100, "alloc");
}

TEST_CASE("reduction: 10,000 random models agree with the full search", "[checker][reduction][slow]") {
    uint64_t count = env_count("PROBECHECK_DIFF_MODELS", 10000);
    run_models(1, count, "");
    run_models(1000001, count / 10, "alloc");
}
