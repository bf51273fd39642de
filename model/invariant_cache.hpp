// Invariants are re-evaluated only when what they read changed. An invariant is a function of
// the slots its property function may read (Footprints::invariant_reads; the reads it skips
// there are of data nothing writes), so its outcome on a state is the outcome on any earlier
// state with the same values in those slots. Consecutive states of a search mostly differ
// elsewhere (program counters, registers, locks), so a small direct-mapped cache keyed by
// those values answers most states without running the interpreter. One cache per search
// thread (thread_local), tagged with its owner so two models in one process never share.
#pragma once

#include <array>
#include <atomic>
#include <cstdint>
#include <vector>

#include "checker/transition_system.hpp"

namespace probecheck::model {

class InvariantCache {
public:
    explicit InvariantCache(std::vector<uint32_t> slots) : slots_(std::move(slots)), owner_(next_owner()) {}

    /// The cached outcome for `s`, appended to `out`: true on a hit. On a miss, `key()`
    /// holds the state's key for store().
    bool lookup(checker::ConstStateView s, std::vector<checker::ViolationInfo>& out) const {
        Local& local = mine();
        local.key.resize(slots_.size());
        uint64_t h = 0x9e3779b97f4a7c15ull;
        for (size_t i = 0; i < slots_.size(); ++i) {
            local.key[i] = s[slots_[i]];
            h = (h ^ local.key[i]) * 0x100000001b3ull;
        }
        local.hash = h;
        Entry const& e = local.entries[h % kEntries];
        if (!e.used || e.hash != h || e.key != local.key) return false;
        out.insert(out.end(), e.found.begin(), e.found.end());
        return true;
    }
    /// Records the outcome of the state last looked up (and missed).
    void store(std::vector<checker::ViolationInfo> const& found, size_t from) const {
        Local& local = mine();
        Entry& e = local.entries[local.hash % kEntries];
        e.used = true;
        e.hash = local.hash;
        e.key = local.key;
        e.found.assign(found.begin() + static_cast<std::ptrdiff_t>(from), found.end());
    }

private:
    static constexpr size_t kEntries = 256;
    struct Entry {
        bool used = false;
        uint64_t hash = 0;
        std::vector<uint32_t> key;
        std::vector<checker::ViolationInfo> found;
    };
    struct Local {
        uint64_t owner = 0;
        uint64_t hash = 0;
        std::vector<uint32_t> key;
        std::array<Entry, kEntries> entries;
    };
    static uint64_t next_owner() {
        static std::atomic<uint64_t> counter{0};
        return ++counter;
    }
    Local& mine() const {
        thread_local Local local;
        if (local.owner != owner_) local = Local{owner_, 0, {}, {}};
        return local;
    }

    std::vector<uint32_t> slots_;
    uint64_t owner_;
};

}  // namespace probecheck::model
