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

/// The packed record's size, from the format state_arena.hpp documents (reference: zeros).
uint64_t packed_size(std::vector<Slot> const& s) {
    auto varint = [](uint64_t x) {
        uint64_t n = 1;
        for (; x >= 0x80; x >>= 7) ++n;
        return n;
    };
    uint64_t body = 0;
    for (size_t i = 0; i < s.size();) {
        size_t run = 0;
        while (i + run < s.size() && s[i + run] == 0) ++run;
        body += run ? varint(run << 1 | 1) : varint(uint64_t{s[i]} << 1);
        i += run ? run : 1;
    }
    return 8 + varint(body) + body;  // the hash, the length, the body
}

/// Every thread inserts its own permutation of [0, 2 kStates): each key is new exactly once.
uint64_t inserted_by_all(ConcurrentStore& store) {
    std::atomic<uint64_t> inserted{0};
    std::vector<std::thread> threads;
    for (uint32_t t = 0; t < kThreads; ++t) {
        threads.emplace_back([&, t] {
            for (uint32_t i = 0; i < 2 * kStates; ++i) {
                auto s = state_for((i * 7919 + t * 104729) % (2 * kStates));
                if (store.insert(s, t)) inserted.fetch_add(1, std::memory_order_relaxed);
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
        REQUIRE_FALSE(store.insert(s, 0));  // every one is found again
    }
    auto fresh = state_for(2 * kStates);
    CHECK(store.insert(fresh, 3));
    uint64_t records = 0;
    for (uint32_t key = 0; key <= 2 * kStates; ++key) records += packed_size(state_for(key));
    CHECK(store.bytes() == (1 << 16) * sizeof(uint64_t) + records);
}

TEST_CASE("concurrent store: packed records, equal only when the states are", "[checker][store]") {
    ConcurrentStore store(3, 1, false, 4);
    std::vector<Slot> small{1, 2, 3}, wide{1, 2, 0x10003}, boundary{1, 2, 0xFFFF}, big{1, 2, 0xFFFFFFFF};
    for (auto* s : {&small, &wide, &boundary, &big}) CHECK(store.insert(*s, 0));
    for (auto* s : {&small, &wide, &boundary, &big}) CHECK_FALSE(store.insert(*s, 0));
    CHECK(store.size() == 4);
    // Records: 8 bytes of hash, a length byte, one varint per slot (value << 1): 1+3, 1+1+1+3,
    // 1+1+1+3, 1+1+1+5.
    CHECK(store.bytes() == 16 * sizeof(uint64_t) + 4 * 8 + 4 + 6 + 6 + 8);

    // Relative to a reference, a frame word (0x10000 | pc) packs into one byte; unchanged
    // slots into runs.
    ConcurrentStore relative(3, 1, false, 4);
    relative.set_reference(std::vector<Slot>{0x10000, 0, 0xFFFFFFFF});
    std::vector<Slot> near{0x10005, 2, 0xFFFFFFF0}, far{0x30005, 2, 0xFFFFFFF0}, same{0x10000, 0, 0xFFFFFFFF};
    CHECK(relative.insert(near, 0));
    CHECK(relative.insert(far, 0));
    CHECK(relative.insert(same, 0));
    CHECK_FALSE(relative.insert(near, 0));
    CHECK_FALSE(relative.insert(far, 0));
    CHECK_FALSE(relative.insert(same, 0));
    CHECK(relative.bytes() == 16 * sizeof(uint64_t) + 3 * 8 + 4 + 6 + 2);  // `same` is one run of 3
}

TEST_CASE("concurrent store: compact mode keeps fingerprints only", "[checker][store][parallel]") {
    ConcurrentStore store(kWidth, kThreads, true, 1);
    CHECK(inserted_by_all(store) == 2 * kStates);
    CHECK(store.size() == 2 * kStates);
    // The table alone: 2 kStates words at most 76% full, rounded up to a power of two.
    CHECK(store.bytes() == 65536 * sizeof(uint64_t));
    // A state is found again by its fingerprint alone (two states with one 64-bit hash
    // would be one: what makes the verdict probabilistic).
    auto a = state_for(1), b = state_for(2);
    ConcurrentStore one(kWidth, 1, true, 4);
    CHECK(one.insert(a, 0));
    CHECK_FALSE(one.insert(a, 0));
    CHECK(one.insert(b, 0));
    CHECK(one.bytes() == 16 * sizeof(uint64_t));
}

TEST_CASE("state arena: records decode to the states they pack", "[checker][store]") {
    std::vector<Slot> reference{0x10000, 0, 0, 0, 7, 0xFFFFFFFF};
    std::vector<std::vector<Slot>> states{reference,
                                          {0x10003, 0, 0, 0, 7, 0xFFFFFFFF},
                                          {0, 0, 0, 0, 0, 0},
                                          {0xFFFFFFFF, 1, 0, 1, 7, 0},
                                          {0x10000, 0, 5, 0, 7, 0xFFFFFFFE}};
    StateArena arena(6);
    PreparedState p;
    std::vector<uint64_t> offsets;
    for (auto const& s : states) {
        p.prepare(s, reference.data());
        offsets.push_back(arena.put(p));
        arena.commit(p);
    }
    // Hash, length byte, body: [run 6]; [3][run 5]; [0x10000: 3 bytes][run 3][7][~0: 5 bytes];
    // [5 bytes][1][run 1][1][run 1][5 bytes]; [run 2][5][run 2][1].
    CHECK(arena.bytes() == 5 * 8 + (1 + 1) + (1 + 2) + (1 + 10) + (1 + 14) + (1 + 4));
    for (size_t i = 0; i < states.size(); ++i) {
        std::vector<Slot> out(6, 0xDEAD);
        arena.decode(offsets[i], reference, out.data());
        CHECK(out == states[i]);
        p.prepare(states[i], reference.data());
        CHECK(arena.hash(offsets[i]) == p.hash());
        CHECK(arena.matches(offsets[i], p));
        CHECK_FALSE(arena.matches(offsets[(i + 1) % states.size()], p));
    }
}

TEST_CASE("concurrent store: a state whose hash collides with a stored one is told apart by content",
          "[checker][store]") {
    // A 16-word table compares the top 16 bits of the hash after the index's low 4: search for
    // a state sharing both with `a` (packed against the store's reference, here all zero).
    std::vector<Slot> reference(1, 0), a{1}, b{2};
    PreparedState pa, pb;
    pa.prepare(a, reference.data());
    constexpr uint64_t kCompared = 0xFFFF00000000000FULL;
    for (pb.prepare(b, reference.data()); ((pa.hash() ^ pb.hash()) & kCompared) != 0; pb.prepare(b, reference.data()))
        ++b[0];
    ConcurrentStore store(1, 1, false, 4);
    CHECK(store.insert(a, 0));
    CHECK(store.insert(b, 0));
    CHECK_FALSE(store.insert(a, 0));
    CHECK_FALSE(store.insert(b, 0));
    CHECK(store.size() == 2);
}
