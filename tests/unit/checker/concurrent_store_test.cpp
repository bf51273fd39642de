// The parallel search's store under contention: threads insert overlapping states into a
// table that starts with two entries, so it grows many times while others probe and insert.
#include <catch2/catch.hpp>

#include <atomic>
#include <thread>
#include <vector>

#include "checker/state/hash.hpp"
#include "checker/store/concurrent_store.hpp"

using namespace probecheck::checker;

namespace {

constexpr uint32_t kWidth = 5, kThreads = 8, kStates = 20000;

std::vector<Slot> state_for(uint32_t key) {
    std::vector<Slot> s(kWidth);
    for (uint32_t k = 0; k < kWidth; ++k) s[k] = key * (k + 1);
    return s;
}

/// Every thread inserts its own permutation of [0, 2 kStates): each key is new exactly once.
uint64_t inserted_by_all(ConcurrentStore& store) {
    std::atomic<uint64_t> inserted{0};
    std::vector<std::thread> threads;
    for (uint32_t t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (uint32_t i = 0; i < 2 * kStates; ++i) {
                auto s = state_for((i * 7919 + t * 104729) % (2 * kStates));
                if (store.insert(s, hash_state(s), t)) inserted.fetch_add(1, std::memory_order_relaxed);
            }
        });
    }
    for (auto& th : threads) th.join();
    return inserted.load();
}

}  // namespace

TEST_CASE("concurrent store: overlapping inserts into a tiny table, exact", "[checker][store][parallel]") {
    ConcurrentStore store(kWidth, kThreads, false, 1);
    CHECK(inserted_by_all(store) == 2 * kStates);  // each distinct state inserted once, by one thread
    CHECK(store.size() == 2 * kStates);
    for (uint32_t key = 0; key < 2 * kStates; ++key) {
        auto s = state_for(key);
        REQUIRE_FALSE(store.insert(s, hash_state(s), 0));  // every one is found again
    }
    auto fresh = state_for(2 * kStates);
    CHECK(store.insert(fresh, hash_state(fresh), 3));
    CHECK(store.bytes() >= store.size() * kWidth * sizeof(Slot));
}

TEST_CASE("concurrent store: compact mode keeps fingerprints only", "[checker][store][parallel]") {
    ConcurrentStore store(kWidth, kThreads, true, 1);
    CHECK(inserted_by_all(store) == 2 * kStates);
    CHECK(store.size() == 2 * kStates);
    // The table alone: 2 kStates words at most 76% full, rounded up to a power of two.
    CHECK(store.bytes() == 65536 * sizeof(uint64_t));
    // Equal hashes are one state, whatever the state: that is what makes it probabilistic.
    auto a = state_for(1), b = state_for(2);
    ConcurrentStore one(kWidth, 1, true, 4);
    CHECK(one.insert(a, 42, 0));
    CHECK_FALSE(one.insert(b, 42, 0));
}

TEST_CASE("concurrent store: equal hashes, distinct states are both kept when exact", "[checker][store]") {
    ConcurrentStore store(kWidth, 1, false, 2);
    auto a = state_for(1), b = state_for(2);
    CHECK(store.insert(a, 42, 0));
    CHECK(store.insert(b, 42, 0));
    CHECK_FALSE(store.insert(a, 42, 0));
    CHECK_FALSE(store.insert(b, 42, 0));
    CHECK(store.size() == 2);
}
