// Exact visited-state store of the sequential search (and of the breadth-first trace pass).
// Design note:
//  * states live in an arena of fixed-size chunks, so a StateRef (dense index) gives a stable
//    pointer that stays valid while the store grows;
//  * the index is a power-of-two open-addressing table of 64-bit words:
//      0 = empty, else (hash tag: top 16 bits) | (ref + 1: low 48 bits)
//    probed linearly from hash & mask, so lookups compare the full state only on a tag match;
//  * the table doubles at 70% load, rehashing from the arena (hashes are not stored);
//  * chunks hang off a directory allocated once.
// Not thread-safe: the parallel search has its own store (concurrent_store.hpp).
#pragma once

#include <cstddef>
#include <memory>
#include <vector>

#include "checker/state/state_view.hpp"

namespace probecheck::checker {

class StateStore {
public:
    explicit StateStore(uint32_t width, unsigned initial_log2 = 16);

    struct InsertResult {
        StateRef ref;
        bool inserted = false;
    };
    /// Finds `s` (whose hash is `hash`) or inserts a copy of it.
    InsertResult find_or_insert(ConstStateView s, uint64_t hash);
    [[nodiscard]] ConstStateView get(StateRef ref) const;
    [[nodiscard]] uint64_t size() const { return count_; }
    /// Bytes held by the arena and the table.
    [[nodiscard]] size_t bytes() const;

private:
    static constexpr uint64_t kRefMask = (uint64_t{1} << 48) - 1;
    static constexpr unsigned kChunkLog2 = 14;        ///< states per chunk: 2^14
    static constexpr uint32_t kMaxChunks = 1u << 16;  ///< 2^30 states in all

    Slot* slot_of(uint64_t index) const;
    void grow();
    void place(uint64_t word, uint64_t hash);

    uint32_t width_;
    std::vector<uint64_t> table_;
    uint64_t mask_;
    uint64_t count_ = 0;
    uint32_t chunk_count_ = 0;
    std::unique_ptr<std::unique_ptr<Slot[]>[]> chunks_;
};

}  // namespace probecheck::checker
