// The parallel search on every example with 2, 4 and 8 workers (more workers than this
// machine has cores): exactly the states, transitions, terminal states, lock-order edges and
// distinct violations of one worker, without reduction and with it (the static proviso
// makes the reduced graph a function of the state); with the stack proviso, whose count
// depends on the schedule, the same verdict, violations, terminal states and edges. The compact store (--hash-compact) must give the
// exact store's results too: with a few thousand states a fingerprint collision has odds
// below 1e-11, so any difference is a bug, not bad luck.
#include <catch2/catch.hpp>

#include "tests/support/differential.hpp"
#include "tests/support/random_model.hpp"

using namespace probecheck::test;

namespace {

void same_results(ModeOutcome const& one, ModeOutcome const& many, bool exact_counts) {
    CHECK(one.verdict == many.verdict);
    CHECK(one.violations == many.violations);
    CHECK(one.terminal_states == many.terminal_states);
    CHECK(one.lock_edges == many.lock_edges);
    if (exact_counts) {
        CHECK(one.states == many.states);
        CHECK(one.transitions == many.transitions);
    }
}

ModeOutcome stack_proviso(Example const& e, uint32_t workers) {
    return explore_with(e.text, {.reduce = true, .faults = e.faults, .path = e.path, .workers = workers,
                                 .proviso = probecheck::checker::SearchOptions::Proviso::Stack});
}

}  // namespace

TEST_CASE("parallel: every example gives one worker's results on 2, 4 and 8", "[golden][parallel]") {
    size_t count = 0;
    for (auto const& example : examples()) {
        auto const& [path, text, faults] = example;
        auto full = explore_mode(text, false, faults, path, 1);
        auto reduced = explore_mode(text, true, faults, path, 1);
        for (uint32_t workers : {2u, 4u, 8u}) {
            INFO(path << " with " << workers << " workers");
            same_results(full, explore_mode(text, false, faults, path, workers), true);
            same_results(reduced, explore_mode(text, true, faults, path, workers), true);
        }
        INFO(path << " with --proviso stack");
        same_results(reduced, stack_proviso(example, 1), false);
        same_results(reduced, stack_proviso(example, 2), false);
        INFO(path << " with --hash-compact");
        same_results(full, explore_mode(text, false, faults, path, 1, true), true);
        same_results(full, explore_mode(text, false, faults, path, 2, true), true);
        same_results(reduced, explore_mode(text, true, faults, path, 2, true), true);
        ++count;
    }
    CHECK(count >= 40);
}

TEST_CASE("parallel: random models give one worker's results on 4", "[checker][parallel]") {
    for (uint64_t seed = 500; seed < 700; ++seed) {
        std::string text = random_model(seed);
        INFO("seed " << seed << "\n" << text);
        same_results(explore_mode(text, false, "", "random.model", 1), explore_mode(text, false, "", "random.model", 4),
                     true);
        same_results(explore_mode(text, true, "", "random.model", 1), explore_mode(text, true, "", "random.model", 4),
                     true);
        same_results(explore_mode(text, false, "", "random.model", 1),
                     explore_mode(text, false, "", "random.model", 4, true), true);
    }
}
