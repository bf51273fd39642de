#include "checker/store/state_store.hpp"

#include <algorithm>
#include <stdexcept>

#include "checker/state/hash.hpp"

namespace probecheck::checker {

StateStore::StateStore(uint32_t width, unsigned initial_log2)
    : width_(width == 0 ? 1 : width), table_(size_t{1} << initial_log2, 0), mask_((uint64_t{1} << initial_log2) - 1),
      chunks_(std::make_unique<std::unique_ptr<Slot[]>[]>(kMaxChunks)) {}

Slot* StateStore::slot_of(uint64_t index) const {
    return chunks_[index >> kChunkLog2].get() + (index & ((uint64_t{1} << kChunkLog2) - 1)) * width_;
}

ConstStateView StateStore::get(StateRef ref) const { return {slot_of(ref.value), width_}; }

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
    for (uint64_t word : old) {
        if (word == 0) continue;
        uint64_t index = (word & kRefMask) - 1;
        place(word, hash_state({slot_of(index), width_}));
    }
}

StateStore::InsertResult StateStore::find_or_insert(ConstStateView s, uint64_t hash) {
    uint64_t tag = hash & ~kRefMask;
    for (uint64_t i = hash & mask_;; i = (i + 1) & mask_) {
        uint64_t word = table_[i];
        if (word == 0) break;
        if ((word & ~kRefMask) != tag) continue;
        uint64_t index = (word & kRefMask) - 1;
        if (std::equal(s.begin(), s.end(), slot_of(index))) return {StateRef{index}, false};
    }
    if ((count_ & ((uint64_t{1} << kChunkLog2) - 1)) == 0) {
        if (chunk_count_ == kMaxChunks) throw std::length_error("the visited store is full");
        chunks_[chunk_count_++] = std::make_unique_for_overwrite<Slot[]>((size_t{1} << kChunkLog2) * width_);
    }
    uint64_t index = count_++;
    std::copy(s.begin(), s.end(), slot_of(index));
    if (count_ * 10 > table_.size() * 7) grow();
    place(tag | (index + 1), hash);
    return {StateRef{index}, true};
}

size_t StateStore::bytes() const {
    return table_.size() * sizeof(uint64_t) + (size_t{chunk_count_} << kChunkLog2) * width_ * sizeof(Slot);
}

}  // namespace probecheck::checker
