// Every example, explored with fused steps and with every access a step of its own
// (model/compile/fusible_steps.cpp), without reduction: the same verdict, the same distinct
// violations, the same terminal states and lock-order edges, and never more states.
#include <catch2/catch.hpp>

#include "tests/support/differential.hpp"

using namespace probecheck::test;

TEST_CASE("fusion: every example agrees with every access as a step", "[golden][fusion]") {
    uint64_t plain_states = 0, fused_states = 0;
    size_t count = 0;
    for (auto const& [path, text, faults] : examples()) {
        ModeOptions plain{.faults = faults, .path = path, .fuse = false};
        ModeOptions fused = plain;
        fused.fuse = true;
        auto steps = explore_with(text, plain);
        INFO(path << "\n" << steps.diagnostics);
        REQUIRE(steps.loaded);
        auto merged = explore_with(text, fused);
        CHECK(disagreement(steps, merged) == "");
        plain_states += steps.states;
        fused_states += merged.states;
        ++count;
    }
    CHECK(count >= 40);
    CHECK(fused_states * 2 < plain_states);  // fusion at least halves the examples' graphs
}
