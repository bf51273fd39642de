// Differential runs for partial-order reduction: one model explored with and without the
// reduction (and with its self-check on), and what must agree between the two.
#pragma once

#include <cstdint>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "checker/search/options.hpp"

namespace probecheck::test {

struct ModeOutcome {
    bool loaded = false;
    std::string diagnostics;
    int verdict = -1;
    std::set<std::pair<uint32_t, uint64_t>> violations;  ///< (kind, site): each distinct violation
    std::set<uint64_t> terminal_states;                  ///< hashes of terminal and dead-end states
    std::set<std::pair<uint32_t, uint32_t>> lock_edges;  ///< lockdep edges (held, acquired)
    uint64_t states = 0;
    uint64_t transitions = 0;
};

/// How explore_with runs a model.
struct ModeOptions {
    bool reduce = false;          ///< partial-order reduction (with its self-check on one worker)
    std::string faults;           ///< "alloc", "defer", "alloc,defer" or ""
    std::string path = "random.model";
    uint32_t workers = 1;
    bool hash_compact = false;
    bool fuse = true;             ///< fused steps (model/compile/fusible_steps.cpp)
    checker::SearchOptions::Proviso proviso = checker::SearchOptions::Proviso::Static;
};
ModeOutcome explore_with(std::string const& text, ModeOptions const& mode);

/// Explores `text` with every violation collected, reduction on (`reduce`) or off.
/// `faults`: "alloc", "defer", "alloc,defer" or "".
/// `path` names the model for its imports (they resolve next to it).
/// `hash_compact`: fingerprints only (the parallel search's compact store, any worker count).
ModeOutcome explore_mode(std::string const& text, bool reduce, std::string const& faults = "",
                         std::string const& path = "random.model", uint32_t workers = 1, bool hash_compact = false);

/// Every runnable example (not the imported lib/ files): its path, text and --faults argument.
struct Example {
    std::string path;
    std::string text;
    std::string faults;
};
std::vector<Example> examples();

/// "" when the two runs agree on verdict, violations, terminal states and lock edges, and the
/// reduced run stored no more states; else what differs.
std::string disagreement(ModeOutcome const& full, ModeOutcome const& reduced);

}  // namespace probecheck::test
