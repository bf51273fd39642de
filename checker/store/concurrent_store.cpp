#include "checker/store/concurrent_store.hpp"

#include <algorithm>
#include <bit>
#include <stdexcept>
#include <thread>

namespace probecheck::checker {
namespace {

constexpr uint64_t kRefMask = (uint64_t{1} << 48) - 1;
constexpr unsigned kLocalBits = 39;  ///< a ref is (worker << 39) | the state's ref in that worker's arena
constexpr uint64_t kMaxProbe = 4096;  ///< a longer run means the table is too full: grow
constexpr uint64_t kMoveBlock = 4096; ///< words of the old table one helper moves at a time

}  // namespace

// What each worker owns: its states, the form of the state it is inserting, its count.
struct alignas(64) ConcurrentStore::Arena {
    explicit Arena(uint32_t width) : states(width) {}
    void commit() { count.store(++committed, std::memory_order_relaxed); }

    StateArena states;
    PreparedState prepared;
    uint64_t committed = 0;  ///< owner's own count
    std::atomic<uint64_t> count{0};
};

ConcurrentStore::ConcurrentStore(uint32_t width, uint32_t workers, bool compact, unsigned initial_log2)
    : width_(width == 0 ? 1 : width), compact_(compact),
      words_(std::make_unique<std::atomic<uint64_t>[]>(size_t{1} << initial_log2)),
      mask_((uint64_t{1} << initial_log2) - 1), reference_(width_, 0), busy_(std::make_unique<Busy[]>(workers)) {
    if (workers == 0 || workers > 256) throw std::invalid_argument("the store takes 1 to 256 workers");
    for (uint32_t w = 0; w < workers; ++w) arenas_.push_back(std::make_unique<Arena>(width_));
    table_bytes_ = (mask_ + 1) * sizeof(uint64_t);
    check_period_ = period_for(mask_ + 1);
}

ConcurrentStore::~ConcurrentStore() = default;

void ConcurrentStore::set_reference(ConstStateView s) {
    if (size() != 0) throw std::logic_error("the store's reference state is set before the first insert");
    std::copy(s.begin(), s.end(), reference_.begin());
}

// Each worker checks the load every `period` of its inserts, so together they overshoot
// the 70% threshold by at most 1/16 of the table.
uint32_t ConcurrentStore::period_for(uint64_t table_size) const {
    uint64_t period = std::max<uint64_t>(1, table_size / 16 / arenas_.size());
    return static_cast<uint32_t>(std::bit_floor(std::min<uint64_t>(period, 1u << 16)));
}

bool ConcurrentStore::insert(ConstStateView s, uint32_t worker) {
    PreparedState& prepared = arenas_[worker]->prepared;
    prepared.prepare(s, reference_.data());  // before enter(): packing needs no table
    for (;;) {
        enter(worker);
        Probe result;
        try {
            result = probe_and_insert(prepared, worker);
        } catch (...) {  // the arena is full: a grower must not wait for this worker forever
            leave(worker);
            throw;
        }
        uint64_t seen_mask = mask_;
        bool grow_now = result == Probe::Full ||
                        (result == Probe::Inserted &&
                         (arenas_[worker]->committed & (check_period_ - 1)) == 0 && over_load());
        leave(worker);
        if (grow_now) grow(seen_mask);
        if (result != Probe::Full) return result == Probe::Inserted;
    }
}

ConcurrentStore::Probe ConcurrentStore::probe_and_insert(PreparedState const& prepared, uint32_t worker) {
    Arena& arena = *arenas_[worker];
    uint64_t hash = prepared.hash();
    uint64_t key = compact_ ? (hash == 0 ? 1 : hash) : 0;
    uint64_t tag = hash & ~kRefMask;
    uint64_t limit = std::min(mask_ + 1, kMaxProbe);
    for (uint64_t i = hash & mask_, n = 0; n < limit; i = (i + 1) & mask_, ++n) {
        uint64_t word = words_[i].load(std::memory_order_acquire);
        while (word == 0) {
            if (key == 0) key = tag | ((uint64_t{worker} << kLocalBits | arena.states.put(prepared)) + 1);
            if (words_[i].compare_exchange_strong(word, key, std::memory_order_release, std::memory_order_acquire)) {
                if (!compact_) arena.states.commit(prepared);
                arena.commit();
                return Probe::Inserted;
            }
        }
        if (compact_ ? word == key : (word & ~kRefMask) == tag && equal_to_stored(word, prepared))
            return Probe::Found;
    }
    return Probe::Full;
}

bool ConcurrentStore::equal_to_stored(uint64_t word, PreparedState const& p) const {
    uint64_t ref = (word & kRefMask) - 1;
    return arenas_[ref >> kLocalBits]->states.matches(ref & ((uint64_t{1} << kLocalBits) - 1), p);
}

uint64_t ConcurrentStore::rehash_key(uint64_t word) const {
    if (compact_) return word;
    uint64_t ref = (word & kRefMask) - 1;
    return arenas_[ref >> kLocalBits]->states.hash(ref & ((uint64_t{1} << kLocalBits) - 1));
}

// Dekker-style with the grower: both sides store their flag, then read the other's (seq_cst).
void ConcurrentStore::enter(uint32_t worker) {
    for (;;) {
        busy_[worker].flag.store(1, std::memory_order_seq_cst);
        if (!resizing_.load(std::memory_order_seq_cst)) return;
        busy_[worker].flag.store(0, std::memory_order_release);
        wait_for_growth();
    }
}

void ConcurrentStore::wait_for_growth() {
    while (resizing_.load(std::memory_order_acquire)) {
        if (moving_.load(std::memory_order_acquire)) help_move();
        else std::this_thread::yield();
    }
}

// Dekker-style with the grower's end of the move: the grower lowers `moving` and then waits
// for `helpers` to drain, so no helper is left reading the tables it swaps.
void ConcurrentStore::help_move() {
    helpers_.fetch_add(1, std::memory_order_seq_cst);
    if (moving_.load(std::memory_order_seq_cst)) move_blocks();
    helpers_.fetch_sub(1, std::memory_order_release);
}

void ConcurrentStore::move_blocks() {
    uint64_t old_size = mask_ + 1, new_mask = old_size * 2 - 1;
    for (;;) {
        uint64_t begin = next_block_.fetch_add(1, std::memory_order_relaxed) * kMoveBlock;
        if (begin >= old_size) return;
        for (uint64_t i = begin; i < std::min(begin + kMoveBlock, old_size); ++i) {
            uint64_t word = words_[i].load(std::memory_order_relaxed);
            if (word == 0) continue;
            for (uint64_t j = rehash_key(word) & new_mask;; j = (j + 1) & new_mask) {
                uint64_t empty = 0;
                if (next_words_[j].compare_exchange_strong(empty, word, std::memory_order_relaxed)) break;
            }
        }
    }
}

void ConcurrentStore::leave(uint32_t worker) { busy_[worker].flag.store(0, std::memory_order_release); }

bool ConcurrentStore::over_load() const { return size() * 10 > (mask_ + 1) * 7; }

void ConcurrentStore::grow(uint64_t seen_mask) {
    if (resizing_.exchange(true, std::memory_order_seq_cst)) {
        wait_for_growth();
        return;
    }
    for (size_t w = 0; w < arenas_.size(); ++w)
        while (busy_[w].flag.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();
    if (mask_ == seen_mask) {  // nobody grew it since this worker looked
        uint64_t size = (mask_ + 1) * 2;
        next_words_ = std::make_unique<std::atomic<uint64_t>[]>(size);
        next_block_.store(0, std::memory_order_relaxed);
        moving_.store(true, std::memory_order_seq_cst);
        move_blocks();
        moving_.store(false, std::memory_order_seq_cst);
        while (helpers_.load(std::memory_order_seq_cst) != 0) std::this_thread::yield();
        words_ = std::move(next_words_);
        mask_ = size - 1;
        check_period_ = period_for(size);
        table_bytes_.store(size * sizeof(uint64_t), std::memory_order_relaxed);
    }
    resizing_.store(false, std::memory_order_seq_cst);
}

uint64_t ConcurrentStore::size() const {
    uint64_t total = 0;
    for (auto const& a : arenas_) total += a->count.load(std::memory_order_relaxed);
    return total;
}

size_t ConcurrentStore::bytes() const {
    size_t total = table_bytes_.load(std::memory_order_relaxed);
    for (auto const& a : arenas_) total += a->states.bytes();
    return total;
}

}  // namespace probecheck::checker
