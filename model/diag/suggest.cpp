#include "model/diag/suggest.hpp"

#include <algorithm>
#include <numeric>

namespace probecheck::model {

size_t edit_distance(std::string_view a, std::string_view b) {
    std::vector<size_t> row(b.size() + 1);
    std::iota(row.begin(), row.end(), size_t{0});
    for (size_t i = 1; i <= a.size(); ++i) {
        size_t diagonal = row[0];
        row[0] = i;
        for (size_t j = 1; j <= b.size(); ++j) {
            size_t above = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
            diagonal = above;
        }
    }
    return row[b.size()];
}

std::optional<std::string> closest_match(std::string_view wanted, std::vector<std::string> const& candidates) {
    size_t limit = std::max<size_t>(1, (wanted.size() + 2) / 3);
    std::optional<std::string> best;
    size_t best_distance = limit + 1;
    for (auto const& c : candidates) {
        if (c == wanted) continue;
        size_t longer = std::max(c.size(), wanted.size()), shorter = std::min(c.size(), wanted.size());
        if (longer - shorter > limit) continue;  // cannot be near: skip the quadratic work
        size_t d = edit_distance(wanted, c);
        if (d < best_distance && d < wanted.size()) {  // replacing every letter is not a typo
            best_distance = d;
            best = c;
        }
    }
    return best;
}

}  // namespace probecheck::model
