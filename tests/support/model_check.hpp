// Loads model text and explores its full interleaving graph (no partial-order reduction):
// the one-liner the language tests use.
#pragma once

#include <string>
#include <vector>

#include "checker/search/options.hpp"
#include "model/diag/diagnostics.hpp"

namespace probecheck::test {

struct Outcome {
    std::vector<model::DiagKind> errors;  ///< non-empty: the model did not compile
    std::string diagnostics;              ///< rendered, for failure messages
    checker::SearchResult result;
    std::string kind;     ///< first violation's stable id, "" if none
    std::string message;  ///< first violation's message
    std::vector<std::string> kinds;  ///< every violation's kind, in the order found
};

/// `faults` names the faults to inject and the budget, e.g. "alloc,defer budget=2".
Outcome check_model(std::string const& text, std::string const& faults = "", bool all_violations = false);

}  // namespace probecheck::test
