// One worker's stored states for the ConcurrentStore, packed. Slots are 32 bits, but a state
// differs from a reference state (the initial one) in few slots, and there by small values:
// program counters, booleans, pool indices, a frame word (function << 16 | pc), while the
// unused frames of a deep kernel stack stay zero. So a state is stored as LEB128 varints of
// (slot XOR reference): x = d << 1 for one slot whose difference is d != 0, and
// x = r << 1 | 1 for a run of r unchanged slots, the whole prefixed by its length and by the
// state's 64-bit hash (so a table doubling reads hashes instead of decoding and rehashing,
// and a lookup rejects a tag collision on 8 bytes). A bench state of 180 bytes packs into
// ~50 bytes, a 3 KB kernel state into ~170.
// The encoding is a function of the state, so two states are equal exactly when their packed
// bytes are: lookups compare bytes and never decode. The hash is XXH3 of the packed bytes
// too (a tenth of the state): packing walks 8-slot difference masks (SSE2), so a state is
// read once, not once to hash and once to pack (callgrind, v6.16 boot 1 SMMU x 1 client:
// 10.8k -> 4.8k instructions per lookup, whole search 6.90G -> 4.51G).
// Records live in fixed-size chunks hanging off a directory allocated once: other workers read
// them while the owner appends, so nothing they can reach ever moves.
#pragma once

#include <algorithm>
#include <atomic>
#include <bit>
#include <cstdint>
#include <cstring>
#include <memory>
#include <stdexcept>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "checker/state/hash.hpp"
#include "checker/state/state_view.hpp"

namespace probecheck::checker {

namespace packing {

inline uint8_t* put_varint(uint8_t* out, uint64_t x) {
    while (x >= 0x80) {
        *out++ = static_cast<uint8_t>(x | 0x80);
        x >>= 7;
    }
    *out++ = static_cast<uint8_t>(x);
    return out;
}

inline uint64_t get_varint(uint8_t const*& p) {
    uint64_t x = 0;
    for (unsigned shift = 0;; shift += 7) {
        uint8_t b = *p++;
        x |= uint64_t{b & 0x7Fu} << shift;
        if (b < 0x80) return x;
    }
}

}  // namespace packing

/// Bit k set when s[k] != r[k], for the eight slots at s and r. Kernel states differ from
/// the reference in a few scattered slots: the packer walks these masks, not the slots.
inline uint32_t difference_mask8(Slot const* s, Slot const* r) {
#if defined(__SSE2__)
    __m128i lo = _mm_cmpeq_epi32(_mm_loadu_si128(reinterpret_cast<__m128i const*>(s)),
                                 _mm_loadu_si128(reinterpret_cast<__m128i const*>(r)));
    __m128i hi = _mm_cmpeq_epi32(_mm_loadu_si128(reinterpret_cast<__m128i const*>(s + 4)),
                                 _mm_loadu_si128(reinterpret_cast<__m128i const*>(r + 4)));
    __m128i bytes = _mm_packs_epi16(_mm_packs_epi32(lo, hi), _mm_setzero_si128());
    return ~static_cast<uint32_t>(_mm_movemask_epi8(bytes)) & 0xFF;
#else
    uint32_t mask = 0;
    for (uint32_t k = 0; k < 8; ++k) mask |= uint32_t{s[k] != r[k]} << k;
    return mask;
#endif
}

/// A state about to be looked up, packed as it would be stored (built once per insert, into
/// a buffer sized once: no allocation on the hot path), and its hash: XXH3 of the packed
/// bytes, which are a function of the state and a tenth of its size.
class PreparedState {
public:
    void prepare(ConstStateView s, Slot const* reference) {
        size_t worst = s.size() * 5 + kHeaderRoom;
        if (buffer_.size() < worst) buffer_.resize(worst);
        uint8_t* body = buffer_.data() + kHeaderRoom;
        uint8_t* out = body;
        Slot const* state = s.data();
        size_t n = s.size();
        uint64_t run = 0;  // equal slots not yet written
        auto put_difference = [&](size_t i) {
            if (run > 0) out = packing::put_varint(out, run << 1 | 1);
            run = 0;
            out = packing::put_varint(out, uint64_t{state[i] ^ reference[i]} << 1);
        };
        size_t i = 0;
        for (; i + 8 <= n; i += 8) {
            uint32_t mask = difference_mask8(state + i, reference + i);
            uint32_t done = 0;  // slots of this block accounted for
            while (mask != 0) {
                uint32_t k = static_cast<uint32_t>(std::countr_zero(mask));
                run += k - done;
                put_difference(i + k);
                done = k + 1;
                mask &= mask - 1;
            }
            run += 8 - done;
        }
        for (; i < n; ++i) {
            if (state[i] == reference[i]) ++run;
            else put_difference(i);
        }
        if (run > 0) out = packing::put_varint(out, run << 1 | 1);
        uint8_t length[10];
        size_t length_bytes = packing::put_varint(length, static_cast<uint64_t>(out - body)) - length;
        hash_ = XXH3_64bits(body, static_cast<size_t>(out - body));
        data_ = body - length_bytes - sizeof hash_;
        std::memcpy(data_, &hash_, sizeof hash_);
        std::memcpy(data_ + sizeof hash_, length, length_bytes);
        size_ = static_cast<size_t>(out - data_);
    }
    /// The record: the hash, the length varint, then the packed slots.
    [[nodiscard]] uint8_t const* data() const { return data_; }
    [[nodiscard]] size_t size() const { return size_; }
    [[nodiscard]] uint64_t hash() const { return hash_; }

private:
    static constexpr size_t kHeaderRoom = 8 + 10;  ///< the hash and the longest length varint
    std::vector<uint8_t> buffer_;
    uint8_t* data_ = nullptr;
    size_t size_ = 0;
    uint64_t hash_ = 0;
};

class StateArena {
public:
    explicit StateArena(uint32_t width)
        : chunk_bytes_(std::max<size_t>(size_t{1} << 22, std::bit_ceil(size_t{width} * 5 + 16))),
          chunks_(std::make_unique<std::unique_ptr<uint8_t[]>[]>(kMaxChunks)) {}

    /// Copies `p` to the next free place without claiming it; its offset (the local ref).
    uint64_t put(PreparedState const& p) {
        size_t size = p.size();
        if (next_ % chunk_bytes_ + size > chunk_bytes_) next_ += chunk_bytes_ - next_ % chunk_bytes_;
        uint64_t chunk = next_ / chunk_bytes_;
        if (chunk >= kMaxChunks || next_ + size >= kMaxOffset) throw std::length_error("the visited store is full");
        if (!chunks_[chunk]) chunks_[chunk] = std::make_unique_for_overwrite<uint8_t[]>(chunk_bytes_);
        std::memcpy(at(next_), p.data(), size);
        return next_;
    }
    /// Claims what the last put() placed.
    void commit(PreparedState const& p) {
        next_ += p.size();
        stored_.store(stored_.load(std::memory_order_relaxed) + p.size(), std::memory_order_relaxed);
    }
    /// Reads the stored record's length before its bytes: a shorter record is followed by
    /// bytes its owner may be writing.
    [[nodiscard]] bool matches(uint64_t offset, PreparedState const& p) const {
        uint8_t const* stored = at(offset);
        uint8_t const* mine = p.data();
        if (std::memcmp(stored, mine, 8) != 0) return false;  // the hashes differ
        stored += 8, mine += 8;
        if (packing::get_varint(stored) != packing::get_varint(mine)) return false;
        return std::memcmp(stored, mine, p.data() + p.size() - mine) == 0;
    }
    /// The state as 32-bit slots, into `out` (width slots). The store never decodes (it compares
    /// packed bytes and keeps hashes); the tests decode every record to prove the packing
    /// loses nothing, which is what makes comparing packed bytes exact.
    void decode(uint64_t offset, ConstStateView reference, Slot* out) const {
        uint8_t const* p = at(offset) + 8;
        uint64_t length = packing::get_varint(p);  // before `p + ...`: the call moves `p`
        uint8_t const* end = p + length;
        size_t i = 0;
        while (p < end) {
            uint64_t x = packing::get_varint(p);
            if (x & 1) {
                std::copy_n(reference.begin() + static_cast<std::ptrdiff_t>(i), x >> 1, out + i);
                i += x >> 1;
            } else {
                out[i] = static_cast<Slot>(x >> 1) ^ reference[i];
                ++i;
            }
        }
    }
    [[nodiscard]] uint64_t hash(uint64_t offset) const {
        uint64_t h;
        std::memcpy(&h, at(offset), sizeof h);
        return h;
    }
    /// Bytes of the records stored (not of the chunks' untouched tails: those cost address
    /// space, not memory, and a small model must not hit --max-memory for its first chunk).
    [[nodiscard]] size_t bytes() const { return stored_.load(std::memory_order_relaxed); }

private:
    static constexpr uint64_t kMaxChunks = uint64_t{1} << 17;
    static constexpr uint64_t kMaxOffset = uint64_t{1} << 39;  ///< what a ref has room for

    [[nodiscard]] uint8_t* at(uint64_t offset) const {
        return chunks_[offset / chunk_bytes_].get() + offset % chunk_bytes_;
    }

    size_t chunk_bytes_;
    uint64_t next_ = 0;                ///< the owner's next free offset
    std::atomic<uint64_t> stored_{0};  ///< record bytes committed, for readers of bytes()
    std::unique_ptr<std::unique_ptr<uint8_t[]>[]> chunks_;
};

}  // namespace probecheck::checker
