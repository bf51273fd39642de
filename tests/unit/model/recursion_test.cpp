// Bounded recursion: a function may occur --max-recursion times in one call chain (v6.15's
// iommu_init_device -> dma_configure -> of_iommu_configure -> replay -> iommu_init_device);
// deeper is a model error at run time, never a silent truncation.
#include <catch2/catch.hpp>

#include "model/sema/call_chains.hpp"
#include "tests/support/model_check.hpp"

using probecheck::test::check_model;
using namespace probecheck::model;

namespace {

std::string const kWalk = R"(
int depth = 0;
void walk(int n) {
    if (n > 0) {
        depth = depth + 1;
        walk(n - 1);
    }
}
)";

}  // namespace

TEST_CASE("recursion: a function may re-enter itself once by default", "[model][recursion]") {
    auto once = check_model(kWalk + "thread t: walk(1);");
    REQUIRE(once.errors.empty());
    CHECK(once.kind.empty());
    CHECK(once.result.stats.states == 3);
}

TEST_CASE("recursion: deeper than the bound is a model error naming the call", "[model][recursion]") {
    auto deep = check_model(kWalk + "thread t: walk(3);");
    REQUIRE(deep.errors.empty());
    CHECK(deep.kind == "model_error");
    CHECK(deep.message ==
          "call to walk() recurses deeper than --max-recursion=2 allows (a function at most that many times in "
          "one call chain)");
}

TEST_CASE("recursion: mutual recursion through an ops table is bounded the same way", "[model][recursion][ops]") {
    auto r = check_model(R"(
        struct ops { void (*cb)(int); };
        struct ops table;
        int calls;
        void walk(int depth) { calls = calls + 1; if (depth < 5) table.cb(depth + 1); }
        void start() { table.cb = walk; walk(0); }
        thread t: start();)");
    REQUIRE(r.errors.empty());
    CHECK(r.kind == "model_error");
}

TEST_CASE("recursion: chain bounds count each function at most N times", "[model][recursion]") {
    // 0 -> 1 -> 2 -> 0 (a cycle), 2 -> 3
    std::vector<std::vector<uint32_t>> callees{{1}, {2}, {0, 3}, {}};
    std::vector<uint64_t> one(4, 1);
    auto once = longest_chains(callees, one, 1);
    CHECK(once.weight == std::vector<uint64_t>{4, 3, 3, 1});  // 0 1 2 3 | 1 2 0 or 1 2 3 | 2 0 1 | 3
    auto twice = longest_chains(callees, one, 2);
    CHECK(twice.weight[0] == 7);  // 0 1 2 0 1 2 3
    CHECK_FALSE(twice.budget_exceeded);
    CHECK(heaviest_chain(callees, one, 2, 0) == std::vector<uint32_t>{0, 1, 2, 0, 1, 2, 3});
    CHECK(recursive_functions(callees) == std::vector<bool>{true, true, true, false});
}
