// The parallel search's visited set: one lock-free open-addressing table shared by every
// worker. Design note:
//  * the table is an array of atomic 64-bit words, probed linearly from hash & mask;
//  * exact mode: a word is (hash tag: top 16 bits) | (ref + 1: low 48 bits), and the state
//    itself lives, packed, in the arena of the worker that inserted it (state_arena.hpp:
//    varints of the difference from the initial state, a fraction of the state's size). An insert copies the state into
//    its own arena first, then publishes the word with one compare-and-swap (release), so a
//    worker that sees the word (acquire) sees the state. If the state turns out to be there
//    already, the arena slot is simply reused: nobody else ever saw it;
//  * compact mode (--hash-compact): a word is the state's 64-bit hash itself and no state is
//    kept. Two states with equal hashes count as one: the search may miss states, with a
//    probability the verdict reports;
//  * nothing is stored per state besides the word and (exact) the state: traces come from the
//    workers' stacks, not from parent links;
//  * growth stops the world: a worker marks itself busy (its own cache line) around each
//    insert; the grower raises `resizing`, waits until nobody is busy, and moves the words to
//    a table twice the size. Workers that arrive meanwhile help: they claim blocks of the old
//    table, so the rehash (which recomputes each exact state's hash) runs on every core.
//    Inserts never take a lock and never share a written cache line except the table's.
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <vector>

#include "checker/state/state_view.hpp"
#include "checker/store/state_arena.hpp"

namespace probecheck::checker {

class ConcurrentStore {
public:
    /// `workers`: how many threads insert (each passes its index); `initial_log2`: the first
    /// table size (tests use tiny tables to force growth under contention).
    ConcurrentStore(uint32_t width, uint32_t workers, bool compact, unsigned initial_log2 = 16);
    ~ConcurrentStore();
    ConcurrentStore(ConcurrentStore const&) = delete;
    ConcurrentStore& operator=(ConcurrentStore const&) = delete;

    /// The state narrow forms are relative to (state_arena.hpp); before any insert. The
    /// initial state is a good one: most states differ from it in a few low bits per slot.
    void set_reference(ConstStateView s);
    /// Inserts `s` unless an equal state (compact: an equal hash) is there; true when it was
    /// new. `worker` < workers, one thread per index at a time.
    bool insert(ConstStateView s, uint32_t worker);
    /// States stored so far: exact once the workers are done, approximate while they run.
    [[nodiscard]] uint64_t size() const;
    /// Bytes held by the table and the stored states.
    [[nodiscard]] size_t bytes() const;
    [[nodiscard]] bool compact() const { return compact_; }

private:
    struct Arena;
    struct alignas(64) Busy {
        std::atomic<uint32_t> flag{0};
    };
    enum class Probe : uint8_t { Found, Inserted, Full };

    Probe probe_and_insert(PreparedState const& prepared, uint32_t worker);
    [[nodiscard]] bool equal_to_stored(uint64_t word, PreparedState const& p) const;
    [[nodiscard]] uint64_t rehash_key(uint64_t word) const;
    void enter(uint32_t worker);
    void leave(uint32_t worker);
    void grow(uint64_t seen_mask);
    void wait_for_growth();
    void help_move();
    void move_blocks();
    [[nodiscard]] bool over_load() const;
    [[nodiscard]] uint32_t period_for(uint64_t table_size) const;

    uint32_t width_;
    bool compact_;
    std::unique_ptr<std::atomic<uint64_t>[]> words_;
    uint64_t mask_;
    uint32_t check_period_;
    std::vector<Slot> reference_;  ///< inserts a worker makes between load checks (power of two)
    std::atomic<size_t> table_bytes_{0};  ///< readable while workers insert (memory bound)
    std::atomic<bool> resizing_{false};
    std::unique_ptr<std::atomic<uint64_t>[]> next_words_;  ///< the table being filled
    std::atomic<bool> moving_{false};     ///< next_words_ is ready: blocks may be claimed
    std::atomic<uint64_t> next_block_{0};
    std::atomic<uint32_t> helpers_{0};    ///< threads inside move_blocks
    std::unique_ptr<Busy[]> busy_;
    std::vector<std::unique_ptr<Arena>> arenas_;
};

}  // namespace probecheck::checker
