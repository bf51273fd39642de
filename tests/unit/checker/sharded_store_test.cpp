// The parallel search's store under contention: threads insert overlapping states into
// shards whose tables start with two entries, so every shard grows many times while others
// read and insert.
#include <catch2/catch.hpp>

#include <set>
#include <thread>
#include <vector>

#include "checker/state/hash.hpp"
#include "checker/store/sharded_store.hpp"

using namespace probecheck::checker;

TEST_CASE("sharded store: concurrent inserts of overlapping states, tiny tables", "[checker][store][parallel]") {
    constexpr uint32_t kWidth = 5, kThreads = 8, kStates = 20000;
    ShardedStore store(kWidth, 1);
    std::vector<std::vector<std::pair<StateRef, uint32_t>>> seen(kThreads);
    std::vector<std::thread> threads;
    for (uint32_t t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            std::vector<Slot> s(kWidth);
            for (uint32_t i = 0; i < kStates; ++i) {
                uint32_t key = (i * 7919 + t * 104729) % (kStates * 2);  // threads overlap on half the keys
                for (uint32_t k = 0; k < kWidth; ++k) s[k] = key * (k + 1);
                auto [ref, inserted] = store.find_or_insert(s, hash_state(s), StateRef{key}, Step{t, i});
                seen[t].push_back({ref, key});
            }
        });
    }
    for (auto& th : threads) th.join();
    std::set<uint32_t> keys;
    std::set<uint64_t> refs;
    for (auto const& per_thread : seen) {
        for (auto const& [ref, key] : per_thread) {
            keys.insert(key);
            refs.insert(ref.value);
            ConstStateView s = store.get(ref);
            for (uint32_t k = 0; k < kWidth; ++k) REQUIRE(s[k] == key * (k + 1));
            CHECK(store.parent(ref).value == key);  // whoever inserted it recorded the same parent
        }
    }
    CHECK(store.size() == keys.size());  // one copy per distinct state
    CHECK(refs.size() == keys.size());   // and one ref
}
