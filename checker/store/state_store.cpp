#include "checker/store/state_store.hpp"

#include <algorithm>

namespace probecheck::checker {

StateStore::StateStore(uint32_t width, unsigned initial_log2)
    : width_(width == 0 ? 1 : width), table_(size_t{1} << initial_log2, 0), mask_((uint64_t{1} << initial_log2) - 1),
      arena_(width_) {}

void StateStore::place(uint64_t word, uint64_t hash) {
    for (uint64_t i = hash & mask_;; i = (i + 1) & mask_) {
        if (table_[i] == 0) {
            table_[i] = word;
            return;
        }
    }
}

void StateStore::grow() {
    std::vector<uint64_t> old;
    old.swap(table_);
    table_.assign(old.size() * 2, 0);
    mask_ = table_.size() - 1;
    for (uint64_t word : old)
        if (word != 0) place(word, arena_.hash(offsets_[(word & kRefMask) - 1]));
}

StateStore::InsertResult StateStore::find_or_insert(ConstStateView s) {
    if (count_ == 0) reference_.assign(s.begin(), s.end());
    prepared_.prepare(s, reference_.data());
    uint64_t hash = prepared_.hash();
    uint64_t tag = hash & ~kRefMask;
    for (uint64_t i = hash & mask_;; i = (i + 1) & mask_) {
        uint64_t word = table_[i];
        if (word == 0) break;
        if ((word & ~kRefMask) != tag) continue;
        uint64_t index = (word & kRefMask) - 1;
        if (arena_.matches(offsets_[index], prepared_)) return {StateRef{index}, false};
    }
    offsets_.push_back(arena_.put(prepared_));  // throws std::length_error when the arena is full
    arena_.commit(prepared_);
    uint64_t index = count_++;
    if (count_ * 10 > table_.size() * 7) grow();
    place(tag | (index + 1), hash);
    return {StateRef{index}, true};
}

void StateStore::decode(StateRef ref, Slot* out) const {
    arena_.decode(offsets_[ref.value], {reference_.data(), reference_.size()}, out);
}

size_t StateStore::bytes() const {
    return table_.size() * sizeof(uint64_t) + offsets_.capacity() * sizeof(uint64_t) + arena_.bytes();
}

}  // namespace probecheck::checker
