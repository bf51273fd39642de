#include "checker/store/state_store.hpp"

#include <catch2/catch.hpp>

#include "checker/state/hash.hpp"

using namespace probecheck::checker;

TEST_CASE("state_store: duplicate insert returns same ref", "[checker][store]") {
    StateStore store(3);
    std::vector<Slot> a{1, 2, 3}, b{1, 2, 4};
    auto first = store.find_or_insert(a);
    auto again = store.find_or_insert(a);
    auto other = store.find_or_insert(b);
    CHECK(first.inserted);
    CHECK_FALSE(again.inserted);
    CHECK(again.ref == first.ref);
    CHECK(other.inserted);
    CHECK(other.ref.value == 1);
    CHECK(store.size() == 2);
    std::vector<Slot> decoded(3);
    store.decode(first.ref, decoded.data());
    CHECK(decoded == a);
    store.decode(other.ref, decoded.data());
    CHECK(decoded == b);
}

TEST_CASE("state_store: growth keeps every state findable and refs stable", "[checker][store]") {
    StateStore store(2, 4);  // 16 buckets: forces many doublings
    for (Slot i = 0; i < 50000; ++i) {
        std::vector<Slot> s{i, i * 7};
        auto r = store.find_or_insert(s);
        REQUIRE(r.inserted);
        REQUIRE(r.ref.value == i);
    }
    for (Slot i = 0; i < 50000; i += 97) {
        std::vector<Slot> s{i, i * 7};
        auto r = store.find_or_insert(s);
        REQUIRE_FALSE(r.inserted);
        REQUIRE(r.ref.value == i);
        std::vector<Slot> decoded(2);
        store.decode(r.ref, decoded.data());
        REQUIRE(decoded == s);
    }
    CHECK(store.size() == 50000);
}

TEST_CASE("state_store: states are stored packed, far below their width", "[checker][store]") {
    StateStore store(1000, 4);  // a small table: the records dominate
    std::vector<Slot> s(1000, 0);
    for (Slot i = 0; i < 1000; ++i) {
        s[i] = i + 1;  // each state differs from the first in one slot
        REQUIRE(store.find_or_insert(s).inserted);
        s[i] = 0;
    }
    // ~16-byte records (hash, length, three varints), an offset and the table: 4,000 bytes unpacked
    CHECK(store.bytes() < 1000 * 48);
}

TEST_CASE("state_store: colliding hashes are told apart by content", "[checker][store]") {
    // A 16-entry table compares the top 16 bits of the hash after the index's low 4: search
    // for a state that shares both with `a`, so that only the packed bytes tell them apart.
    std::vector<Slot> a{1}, b{2};
    PreparedState pa, pb;
    pa.prepare(a, a.data());  // the store packs against its first state
    constexpr uint64_t kCompared = 0xFFFF00000000000FULL;
    for (pb.prepare(b, a.data()); ((pa.hash() ^ pb.hash()) & kCompared) != 0; pb.prepare(b, a.data())) ++b[0];
    StateStore store(1, 4);
    auto ra = store.find_or_insert(a);
    auto rb = store.find_or_insert(b);
    CHECK(rb.inserted);
    CHECK(store.find_or_insert(a).ref == ra.ref);
    CHECK(store.find_or_insert(b).ref == rb.ref);
}
