#include "properties/expectation.hpp"

#include <algorithm>
#include <set>

#include "properties/violation.hpp"

namespace probecheck::properties {
namespace {

std::string join(std::set<std::string> const& items) {
    std::string out;
    for (auto const& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

}  // namespace

ExpectationCheck check_expectations(std::vector<std::string> const& expects, checker::SearchResult const& result,
                                    bool all) {
    ExpectationCheck c;
    if (expects.empty()) return c;
    c.present = true;
    std::set<std::string> wanted(expects.begin(), expects.end()), found;
    for (auto const& v : result.violations)
        found.insert(std::string(violation_id(static_cast<ViolationKind>(v.info.kind))));
    switch (result.verdict) {
        case checker::Verdict::Holds: c.actual = "holds"; break;
        case checker::Verdict::Incomplete: c.actual = "incomplete"; break;
        case checker::Verdict::Violated: c.actual = "violation " + join(found); break;
    }
    bool wants_holds = wanted.count("holds") > 0, wants_incomplete = wanted.count("incomplete") > 0;
    wanted.erase("holds");
    wanted.erase("incomplete");
    c.expected = wanted.empty() ? (wants_holds ? "holds" : "incomplete") : "violation " + join(wanted);
    if (wants_holds || wants_incomplete) {
        c.met = wanted.empty() && ((wants_holds && result.verdict == checker::Verdict::Holds) ||
                                   (wants_incomplete && result.verdict == checker::Verdict::Incomplete));
        return c;
    }
    bool found_only_wanted = std::includes(wanted.begin(), wanted.end(), found.begin(), found.end());
    bool found_all_wanted = !all || std::includes(found.begin(), found.end(), wanted.begin(), wanted.end());
    c.met = result.verdict == checker::Verdict::Violated && found_only_wanted && found_all_wanted;
    return c;
}

}  // namespace probecheck::properties
