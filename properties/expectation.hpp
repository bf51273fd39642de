// A scenario's `expect` lines against a search result: the check `verify` reports and the
// nightly runner counts as pass or fail.
#pragma once

#include <string>
#include <vector>

#include "checker/search/options.hpp"
#include "properties/expect_spec.hpp"

namespace probecheck::properties {

/// One expected violation kind: how many distinct violations of it were wanted and found.
struct KindOutcome {
    std::string kind;
    uint32_t wanted = 0;  ///< `times N`; 0: one or more
    uint32_t found = 0;
    bool met = false;
};

struct ExpectationCheck {
    bool present = false;  ///< the model has expect lines
    bool met = false;
    /// false when the search stopped at the first violation but the lines need every kind
    /// (`at least`, `times N`, or an expected kind not found): run with --all to judge.
    bool judged = true;
    bool at_least = false;
    std::string expected;  ///< "holds", "violation null_deref, deadlock", "at least violation ..."
    std::string actual;    ///< "holds", "violation assertion", "incomplete"
    std::vector<KindOutcome> kinds;  ///< each expected violation kind, sorted
    std::vector<std::string> extra;  ///< kinds found that no expect line names, sorted
};

/// Plain `expect violation K;` lines are exclusive: met when every violation found is of an
/// expected kind and, with `all` (the search found every kind), every expected kind (as often
/// as `times N` says) was found. `at least` lines allow other kinds, and need `all`.
[[nodiscard]] ExpectationCheck check_expectations(ExpectSpec const& expects, checker::SearchResult const& result,
                                                  bool all);

}  // namespace probecheck::properties
