#include "checker/store/sharded_store.hpp"

namespace probecheck::checker {

ShardedStore::ShardedStore(uint32_t width, unsigned initial_log2) : width_(width) {
    for (unsigned i = 0; i < (1u << kShardBits); ++i) shards_.push_back(std::make_unique<Shard>(width, initial_log2));
}

// The shard comes from the hash's low bits: the shard's own table indexes by the same hash,
// so it sees a power-of-two fraction of the keys, evenly spread.
ShardedStore::InsertResult ShardedStore::find_or_insert(ConstStateView s, uint64_t hash, StateRef parent, Step step) {
    uint64_t shard = (hash >> 58) & ((1u << kShardBits) - 1);
    Shard& sh = *shards_[shard];
    std::lock_guard guard(sh.lock);
    auto [ref, inserted] = sh.store.find_or_insert(s, hash);
    if (inserted) {
        Slot* extra = sh.store.extra(ref);
        extra[0] = static_cast<Slot>(parent.value);
        extra[1] = static_cast<Slot>(parent.value >> 32);
        extra[2] = step.thread;
        extra[3] = step.choice;
        sh.count.store(sh.store.size(), std::memory_order_relaxed);
        sh.bytes.store(sh.store.bytes(), std::memory_order_relaxed);
    }
    return {StateRef{(shard << kLocalBits) | ref.value}, inserted};
}

ConstStateView ShardedStore::get(StateRef ref) const { return shard_of(ref).store.get(local(ref)); }

StateRef ShardedStore::parent(StateRef ref) const {
    Slot const* extra = shard_of(ref).store.extra(local(ref));
    return {uint64_t{extra[0]} | (uint64_t{extra[1]} << 32)};
}

Step ShardedStore::step(StateRef ref) const {
    Slot const* extra = shard_of(ref).store.extra(local(ref));
    return {extra[2], extra[3]};
}

uint64_t ShardedStore::size() const {
    uint64_t total = 0;
    for (auto const& s : shards_) total += s->count.load(std::memory_order_relaxed);
    return total;
}

size_t ShardedStore::bytes() const {
    size_t total = 0;
    for (auto const& s : shards_) total += s->bytes.load(std::memory_order_relaxed);
    return total;
}

}  // namespace probecheck::checker
