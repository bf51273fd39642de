// What a scenario's `expect` lines say, as sema collects them: the verdict or violation
// kinds, whether other kinds may appear too, and how many distinct violations of a kind.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace probecheck::properties {

struct ExpectSpec {
    std::vector<std::string> kinds;  ///< "holds", "incomplete" or violation kind ids, as written
    bool at_least = false;           ///< `expect at least violation K;`: other kinds may appear too
    std::vector<std::pair<std::string, uint32_t>> counts;  ///< `expect violation K times N;`
};

}  // namespace probecheck::properties
