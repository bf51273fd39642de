// A fixed-seed 64-bit hash (XXH3) of a whole state, for sets of states kept outside the
// stores (the tests' terminal states). The stores hash a state's packed form instead
// (state_arena.hpp), which they build anyway and which is a tenth of the size.
#pragma once

#define XXH_INLINE_ALL
#include <xxhash.h>

#include "checker/state/state_view.hpp"

namespace probecheck::checker {

[[nodiscard]] inline uint64_t hash_state(ConstStateView s) {
    return XXH3_64bits(s.data(), s.size_bytes());
}

}  // namespace probecheck::checker
