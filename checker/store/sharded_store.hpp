// The parallel search's visited store: StateStores striped by hash, each behind its own
// lock, so two workers contend only when their states fall in the same shard (1 in 256).
// A StateRef names the shard in its top bits. Counts are per shard: one shared counter
// would be a cache line every insert fights over. Each state carries its parent and the step
// that reached it (extra slots, written once under the shard's lock), so traces can be
// rebuilt by any thread after the search. Reading a state never takes a lock: the caller
// got its ref from find_or_insert (or from a worker that did, through a task hand-off),
// which orders the read after the write.
#pragma once

#include <atomic>
#include <memory>
#include <mutex>
#include <vector>

#include "checker/store/state_store.hpp"
#include "checker/transition_system.hpp"

namespace probecheck::checker {

class ShardedStore {
public:
    /// `initial_log2`: each shard's first table size (tests use tiny tables to force growth).
    explicit ShardedStore(uint32_t width, unsigned initial_log2 = 10);

    struct InsertResult {
        StateRef ref;
        bool inserted = false;
    };
    /// Finds `s` or inserts it with its parent and the step from the parent.
    InsertResult find_or_insert(ConstStateView s, uint64_t hash, StateRef parent, Step step);
    [[nodiscard]] ConstStateView get(StateRef ref) const;
    [[nodiscard]] StateRef parent(StateRef ref) const;
    [[nodiscard]] Step step(StateRef ref) const;
    /// States stored so far; exact once the workers are done, approximate while they run.
    [[nodiscard]] uint64_t size() const;
    [[nodiscard]] size_t bytes() const;

private:
    static constexpr unsigned kShardBits = 8;
    static constexpr unsigned kLocalBits = 40;
    struct Shard {
        std::mutex lock;
        StateStore store;
        std::atomic<uint64_t> count{0};  ///< store.size(), readable without the lock
        std::atomic<size_t> bytes{0};    ///< store.bytes(), likewise (the memory bound reads it often)
        Shard(uint32_t width, unsigned initial_log2)
            : store(width, initial_log2, 4, 1u << 16, 10), bytes(store.bytes()) {}
    };
    [[nodiscard]] Shard& shard_of(StateRef ref) const { return *shards_[ref.value >> kLocalBits]; }
    [[nodiscard]] static StateRef local(StateRef ref) { return {ref.value & ((uint64_t{1} << kLocalBits) - 1)}; }

    uint32_t width_;
    std::vector<std::unique_ptr<Shard>> shards_;
};

}  // namespace probecheck::checker
