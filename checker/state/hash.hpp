// One fixed-seed 64-bit hash per state (XXH3), computed once and passed along: the store
// takes its table index from the low bits and a 16-bit tag from the high bits.
#pragma once

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "checker/state/state_view.hpp"

namespace probecheck::checker {

[[nodiscard]] inline uint64_t hash_state(ConstStateView s) {
    return XXH3_64bits(s.data(), s.size_bytes());
}

}  // namespace probecheck::checker
