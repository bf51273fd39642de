// Fused steps (model/compile/fusible_steps.cpp) against every access as a step of its own,
// on random models and without reduction: same verdict, same distinct violations, same
// terminal and dead-end states, same lock-order edges, and never more states (with
// reduction on both sides, the counts may differ either way).
#include <catch2/catch.hpp>

#include "tests/support/differential.hpp"
#include "tests/support/random_model.hpp"

using namespace probecheck::test;

namespace {

uint64_t compare(uint64_t first, uint64_t count, std::string const& faults, bool reduce, uint32_t workers = 1) {
    uint64_t saved = 0;
    for (uint64_t seed = first; seed < first + count; ++seed) {
        std::string text = random_model(seed);
        ModeOptions plain{.reduce = reduce, .faults = faults, .workers = workers, .fuse = false};
        ModeOptions fused = plain;
        fused.fuse = true;
        auto steps = explore_with(text, plain);
        INFO("seed " << seed << " faults '" << faults << "' reduce " << reduce << "\n" << text << steps.diagnostics);
        REQUIRE(steps.loaded);
        auto merged = explore_with(text, fused);
        std::string differs = disagreement(steps, merged);
        // With reduction the two graphs are reduced differently: only the counts may differ.
        if (reduce && differs.rfind("the reduction stored more states", 0) == 0) differs.clear();
        CHECK(differs == "");
        saved += steps.states - std::min(steps.states, merged.states);
    }
    return saved;
}

}  // namespace

TEST_CASE("fusion: random models agree with every access as a step", "[checker][fusion]") {
    CHECK(compare(1, 300, "", false) > 0);  // fusion does merge steps on these models
}

TEST_CASE("fusion: random models agree under alloc faults and with reduction", "[checker][fusion]") {
    compare(200001, 100, "alloc", false);
    compare(300001, 150, "", true);
}

TEST_CASE("fusion: random models agree on two workers", "[checker][fusion][parallel]") {
    compare(400001, 100, "", false, 2);
    compare(500001, 100, "alloc", true, 2);
}

TEST_CASE("fusion: 5,000 random models agree with every access as a step", "[checker][fusion][slow]") {
    compare(1, 5000, "", false);
    compare(1000001, 500, "alloc", false);
    compare(2000001, 1000, "", true);
}
