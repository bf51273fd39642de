#include "properties/expectation.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "properties/violation.hpp"

namespace probecheck::properties {
namespace {

template <typename Container>
std::string join(Container const& items) {
    std::string out;
    for (auto const& i : items) out += (out.empty() ? "" : ", ") + i;
    return out;
}

std::string describe_wanted(std::map<std::string, uint32_t> const& wanted, bool at_least) {
    std::string out;
    for (auto const& [kind, times] : wanted)
        out += (out.empty() ? "" : ", ") + kind + (times ? " times " + std::to_string(times) : "");
    return (at_least ? "at least violation " : "violation ") + out;
}

void judge_violations(ExpectationCheck& c, std::map<std::string, uint32_t> const& wanted,
                      std::map<std::string, uint32_t> const& found, checker::SearchResult const& result, bool all) {
    bool every_kind_met = true;
    for (auto const& [kind, times] : wanted) {
        auto it = found.find(kind);
        uint32_t n = it == found.end() ? 0 : it->second;
        bool met = times ? n == times : n > 0;
        c.kinds.push_back({kind, times, n, met});
        every_kind_met = every_kind_met && met;
    }
    for (auto const& [kind, n] : found)
        if (!wanted.count(kind)) c.extra.push_back(kind);
    bool violated = result.verdict == checker::Verdict::Violated;
    bool extras_allowed = c.at_least || c.extra.empty();
    if (all) {
        c.met = violated && extras_allowed && every_kind_met;
        return;
    }
    // Stopped at the first violation: an exclusive expectation is judged by what was found,
    // one that needs every kind or a count is not judged unless it already holds.
    bool needs_every_kind = c.at_least || std::any_of(wanted.begin(), wanted.end(), [](auto const& w) { return w.second; });
    c.judged = !needs_every_kind || !violated || !extras_allowed || every_kind_met;
    c.met = violated && extras_allowed && (needs_every_kind ? every_kind_met : true);
}

}  // namespace

ExpectationCheck check_expectations(ExpectSpec const& expects, checker::SearchResult const& result, bool all) {
    ExpectationCheck c;
    if (expects.kinds.empty()) return c;
    c.present = true;
    c.at_least = expects.at_least;
    std::map<std::string, uint32_t> wanted, found;
    bool wants_holds = false, wants_incomplete = false;
    for (auto const& k : expects.kinds) {
        if (k == "holds") wants_holds = true;
        else if (k == "incomplete") wants_incomplete = true;
        else wanted.emplace(k, 0);
    }
    for (auto const& [kind, times] : expects.counts) wanted[kind] = times;
    for (auto const& v : result.violations) ++found[std::string(violation_id(static_cast<ViolationKind>(v.info.kind)))];
    std::set<std::string> found_kinds;
    for (auto const& [kind, n] : found) found_kinds.insert(kind);
    switch (result.verdict) {
        case checker::Verdict::Holds: c.actual = "holds"; break;
        case checker::Verdict::Incomplete: c.actual = "incomplete"; break;
        case checker::Verdict::Violated: c.actual = "violation " + join(found_kinds); break;
    }
    c.expected = wanted.empty() ? (wants_holds ? "holds" : "incomplete") : describe_wanted(wanted, c.at_least);
    if (wants_holds || wants_incomplete) {
        c.met = wanted.empty() && ((wants_holds && result.verdict == checker::Verdict::Holds) ||
                                   (wants_incomplete && result.verdict == checker::Verdict::Incomplete));
        return c;
    }
    judge_violations(c, wanted, found, result, all);
    return c;
}

}  // namespace probecheck::properties
