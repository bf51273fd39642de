// States are fixed-width vectors of 32-bit slots whose layout the model compiler decides.
// The checker sees only spans over them: it never interprets a slot, it stores, hashes and
// compares them. Equal states must have equal bytes (the model keeps states canonical).
#pragma once

#include <cstdint>
#include <span>

namespace probecheck::checker {

using Slot = uint32_t;
using StateView = std::span<Slot>;
using ConstStateView = std::span<Slot const>;

/// Index of a stored state in the visited store.
struct StateRef {
    uint64_t value = UINT64_MAX;
    [[nodiscard]] bool valid() const { return value != UINT64_MAX; }
    friend bool operator==(StateRef, StateRef) = default;
};

}  // namespace probecheck::checker
