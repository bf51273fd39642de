// "Did you mean": the candidate nearest to a misspelt name or statement, by edit distance,
// when it is near enough to be a typo rather than another thing altogether.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace probecheck::model {

/// Levenshtein distance: insertions, deletions and substitutions of one byte.
[[nodiscard]] size_t edit_distance(std::string_view a, std::string_view b);

/// The candidate nearest to `wanted`, if within a third of its length (as clang's typo
/// correction) and not a replacement of every letter; ties go to the earliest candidate, so
/// the answer is deterministic.
[[nodiscard]] std::optional<std::string> closest_match(std::string_view wanted,
                                                       std::vector<std::string> const& candidates);

}  // namespace probecheck::model
