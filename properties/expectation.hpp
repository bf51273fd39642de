// A scenario's `expect` lines against a search result: the check `verify` reports and the
// nightly runner will count as pass or fail.
#pragma once

#include <string>
#include <vector>

#include "checker/search/options.hpp"

namespace probecheck::properties {

struct ExpectationCheck {
    bool present = false;  ///< the model has expect lines
    bool met = false;
    std::string expected;  ///< "holds", "violation null_deref, deadlock", ...
    std::string actual;    ///< "holds", "violation assertion", "incomplete"
};

/// `expects` holds "holds", "incomplete" or violation kind ids. Violation expectations are met
/// when every violation found is of an expected kind, and (with `all`, where the search found
/// every kind) every expected kind was found.
[[nodiscard]] ExpectationCheck check_expectations(std::vector<std::string> const& expects,
                                                  checker::SearchResult const& result, bool all);

}  // namespace probecheck::properties
