#include "model/sema/call_chains.hpp"

#include <algorithm>

namespace probecheck::model {

using Graph = std::vector<std::vector<uint32_t>>;

std::vector<bool> reachable_from(Graph const& callees, std::vector<uint32_t> start) {
    std::vector<bool> seen(callees.size(), false);
    for (uint32_t s : start) seen[s] = true;
    while (!start.empty()) {
        uint32_t f = start.back();
        start.pop_back();
        for (uint32_t g : callees[f])
            if (!seen[g]) { seen[g] = true; start.push_back(g); }
    }
    return seen;
}

namespace {

// Enumerates chains through the recursive part. The budget keeps a pathological call graph
// from stalling the front end: it is reported, never silently truncated.
class ChainSearch {
public:
    ChainSearch(Graph const& callees, std::vector<uint64_t> const& weights, uint32_t max_occurrences)
        : callees_(callees), weights_(weights), max_(max_occurrences), count_(callees.size(), 0),
          memo_(callees.size(), kUnknown), reaches_cycle_(callees.size(), false) {
        auto recursive = recursive_functions(callees);
        for (uint32_t f = 0; f < callees.size(); ++f) {
            auto reach = reachable_from(callees, {f});
            for (uint32_t g = 0; g < callees.size() && !reaches_cycle_[f]; ++g) reaches_cycle_[f] = recursive[g] && reach[g];
        }
    }

    uint64_t heaviest(uint32_t f, std::vector<uint32_t>* chain) {
        if (!reaches_cycle_[f] && !chain) return acyclic(f);
        if (budget_ == 0) return exceeded_ = true, weights_[f];
        --budget_;
        ++count_[f];
        uint64_t best = 0;
        std::vector<uint32_t> best_chain, sub;
        for (uint32_t g : callees_[f]) {
            if (count_[g] >= max_) continue;
            sub.clear();
            uint64_t w = heaviest(g, chain ? &sub : nullptr);
            if (w > best) { best = w; if (chain) best_chain = sub; }
        }
        --count_[f];
        if (chain) {
            chain->push_back(f);
            chain->insert(chain->end(), best_chain.begin(), best_chain.end());
        }
        return weights_[f] + best;
    }

    bool exceeded() const { return exceeded_; }

private:
    static constexpr uint64_t kUnknown = UINT64_MAX;

    uint64_t acyclic(uint32_t f) {
        if (memo_[f] != kUnknown) return memo_[f];
        uint64_t best = 0;
        for (uint32_t g : callees_[f]) best = std::max(best, acyclic(g));
        return memo_[f] = weights_[f] + best;
    }

    Graph const& callees_;
    std::vector<uint64_t> const& weights_;
    uint32_t max_;
    std::vector<uint32_t> count_;
    std::vector<uint64_t> memo_;
    std::vector<bool> reaches_cycle_;
    uint64_t budget_ = 2'000'000;
    bool exceeded_ = false;
};

}  // namespace

std::vector<bool> recursive_functions(Graph const& callees) {
    std::vector<bool> out(callees.size(), false);
    for (uint32_t f = 0; f < callees.size(); ++f) out[f] = reachable_from(callees, callees[f])[f];
    return out;
}

LongestChains longest_chains(Graph const& callees, std::vector<uint64_t> const& weights, uint32_t max_occurrences) {
    ChainSearch search(callees, weights, std::max<uint32_t>(max_occurrences, 1));
    LongestChains out;
    out.weight.resize(callees.size());
    for (uint32_t f = 0; f < callees.size(); ++f) out.weight[f] = search.heaviest(f, nullptr);
    out.budget_exceeded = search.exceeded();
    return out;
}

std::vector<uint32_t> heaviest_chain(Graph const& callees, std::vector<uint64_t> const& weights,
                                     uint32_t max_occurrences, uint32_t root) {
    ChainSearch search(callees, weights, std::max<uint32_t>(max_occurrences, 1));
    std::vector<uint32_t> chain;
    search.heaviest(root, &chain);
    return chain;
}

}  // namespace probecheck::model
