// Every example, explored with and without partial-order reduction (the reduced run with its
// commutation self-check on): the same verdict, the same distinct violations, the same
// terminal states and lock-order edges, and never more states.
#include <catch2/catch.hpp>

#include "tests/support/differential.hpp"

using namespace probecheck::test;

TEST_CASE("reduction: every example agrees with the full search", "[golden][reduction]") {
    uint64_t full_states = 0, reduced_states = 0;
    size_t count = 0;
    for (auto const& [path, text, faults] : examples()) {
        auto full = explore_mode(text, false, faults, path);
        auto reduced = explore_mode(text, true, faults, path);
        INFO(path << "\n" << full.diagnostics);
        REQUIRE(full.loaded);
        CHECK(disagreement(full, reduced) == "");
        full_states += full.states;
        reduced_states += reduced.states;
        ++count;
    }
    CHECK(count >= 40);
    CHECK(reduced_states < full_states);
}
