// Call graph checks. Threads run on fixed-size stacks laid out at compile time: recursion is
// bounded (SemaOptions::max_recursion occurrences of a function per chain) and so is the
// deepest chain (SemaOptions::max_call_depth).
#include <fmt/format.h>

#include <algorithm>

#include "model/sema/call_chains.hpp"
#include "model/sema/sema_impl.hpp"

namespace probecheck::model::detail {

// An indirect call may reach every address-taken function of its signature.
void Sema::resolve_indirect_calls() {
    auto n = static_cast<uint32_t>(module_.functions.size());
    for (uint32_t f = 0; f < n; ++f) {
        auto& out = symbols_.callees[f];
        for (uint32_t sig : symbols_.indirect_calls[f])
            for (uint32_t g = 0; g < n; ++g)
                if (symbols_.address_taken[g] && symbols_.function_signature[g] == sig) out.push_back(g);
        std::sort(out.begin(), out.end());
        out.erase(std::unique(out.begin(), out.end()), out.end());
    }
}

void Sema::check_call_graph() {
    resolve_indirect_calls();
    auto n = static_cast<uint32_t>(module_.functions.size());
    std::vector<uint64_t> frames(n, 1);
    auto chains = longest_chains(symbols_.callees, frames, options_.max_recursion);
    if (chains.budget_exceeded) {
        auto recursive = recursive_functions(symbols_.callees);
        auto f = static_cast<uint32_t>(std::find(recursive.begin(), recursive.end(), true) - recursive.begin());
        auto const& fn = module_.functions[f < n ? f : 0];
        diags_.report(DiagKind::RecursionTooComplex, fn.loc, {fn.name, std::to_string(options_.max_recursion)},
                      uint32_t(fn.name.size()));
        return;
    }
    symbols_.call_height.assign(chains.weight.begin(), chains.weight.end());
    symbols_.max_recursion = options_.max_recursion;
    for (auto const& t : symbols_.threads) {
        if (symbols_.call_height[t.function] <= options_.max_call_depth) continue;
        std::string chain;
        for (uint32_t f : heaviest_chain(symbols_.callees, frames, options_.max_recursion, t.function))
            chain += (chain.empty() ? "" : " -> ") + module_.functions[f].name;
        diags_.report(DiagKind::CallDepthExceeded, t.loc,
                      {chain, std::to_string(symbols_.call_height[t.function]), std::to_string(options_.max_call_depth)});
    }
}

}  // namespace probecheck::model::detail
