// Exact visited-state store of the sequential search (and of the breadth-first trace pass).
// Design note:
//  * states are stored packed, as the parallel store packs them (state_arena.hpp: varints of
//    each slot XOR the first state inserted, runs of unchanged slots as one varint, prefixed
//    by the hash and the length): a 3 KB kernel state takes ~150 bytes;
//  * a StateRef is a dense index (parents and on-stack flags are vectors indexed by it);
//    offsets_ maps it to its record;
//  * the index is a power-of-two open-addressing table of 64-bit words:
//      0 = empty, else (hash tag: top 16 bits) | (ref + 1: low 48 bits)
//    probed linearly from hash & mask; a tag match compares packed bytes, never decodes;
//  * the table doubles at 70% load, reading each record's stored hash.
// The searches keep the states they expand themselves (the DFS on its stack); decode() is for
// the breadth-first pass, which expands states in the order it stored them.
// Not thread-safe: the parallel search has its own store (concurrent_store.hpp).
#pragma once

#include <cstddef>
#include <vector>

#include "checker/state/state_view.hpp"
#include "checker/store/state_arena.hpp"

namespace probecheck::checker {

class StateStore {
public:
    explicit StateStore(uint32_t width, unsigned initial_log2 = 16);

    struct InsertResult {
        StateRef ref;
        bool inserted = false;
    };
    /// Finds `s` or inserts a copy of it.
    InsertResult find_or_insert(ConstStateView s);
    /// The stored state `ref`, into `out` (width slots).
    void decode(StateRef ref, Slot* out) const;
    [[nodiscard]] uint64_t size() const { return count_; }
    /// Bytes held by the records, their offsets and the table.
    [[nodiscard]] size_t bytes() const;

private:
    static constexpr uint64_t kRefMask = (uint64_t{1} << 48) - 1;

    void grow();
    void place(uint64_t word, uint64_t hash);

    uint32_t width_;
    std::vector<uint64_t> table_;
    uint64_t mask_;
    uint64_t count_ = 0;
    std::vector<uint64_t> offsets_;  ///< per ref: its record in arena_
    std::vector<Slot> reference_;    ///< the first state inserted: records are relative to it
    StateArena arena_;
    PreparedState prepared_;         ///< the state being looked up, packed (reused)
};

}  // namespace probecheck::checker
