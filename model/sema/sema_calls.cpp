// Call graph checks. Threads run on fixed-size stacks laid out at compile time, so recursion
// is rejected and the deepest call chain is bounded (SemaOptions::max_call_depth). Both are
// found by one depth-first walk with colours over the static call graph.
#include <fmt/format.h>

#include <algorithm>

#include "model/sema/sema_impl.hpp"

namespace probecheck::model::detail {
namespace {

struct CallGraphWalk {
    std::vector<std::vector<uint32_t>> const& callees;
    std::vector<ast::FuncDecl> const& functions;
    std::vector<uint8_t> colour;  // 0 unvisited, 1 on the path, 2 done
    std::vector<uint32_t> height;
    std::vector<uint32_t> path;
    std::string cycle;  // first recursion found, as "a -> b -> a"
    uint32_t cycle_at = 0;

    void visit(uint32_t f) {
        colour[f] = 1;
        path.push_back(f);
        uint32_t h = 1;
        for (uint32_t g : callees[f]) {
            if (colour[g] == 1 && cycle.empty()) record_cycle(g);
            if (colour[g] == 0) visit(g);
            if (colour[g] == 2) h = std::max(h, height[g] + 1);
        }
        path.pop_back();
        height[f] = h;
        colour[f] = 2;
    }

    void record_cycle(uint32_t g) {
        auto start = std::find(path.begin(), path.end(), g);
        for (auto it = start; it != path.end(); ++it) cycle += functions[*it].name + " -> ";
        cycle += functions[g].name;
        cycle_at = path.back();
    }

    std::string deepest_chain(uint32_t f) const {
        std::string out = functions[f].name;
        while (height[f] > 1) {
            for (uint32_t g : callees[f]) {
                if (height[g] + 1 == height[f]) { f = g; break; }
            }
            out += " -> " + functions[f].name;
        }
        return out;
    }
};

}  // namespace

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
    CallGraphWalk walk{symbols_.callees, module_.functions, std::vector<uint8_t>(n, 0),
                       std::vector<uint32_t>(n, 0), {}, {}, 0};
    for (uint32_t f = 0; f < n; ++f)
        if (walk.colour[f] == 0) walk.visit(f);
    if (!walk.cycle.empty()) {
        auto const& fn = module_.functions[walk.cycle_at];
        diags_.report(DiagKind::Recursion, fn.loc, {walk.cycle}, uint32_t(fn.name.size()));
        return;
    }
    symbols_.call_height = walk.height;
    for (auto const& t : symbols_.threads) {
        if (walk.height[t.function] <= options_.max_call_depth) continue;
        diags_.report(DiagKind::CallDepthExceeded, t.loc,
                      {walk.deepest_chain(t.function), std::to_string(walk.height[t.function]),
                       std::to_string(options_.max_call_depth)});
    }
}

}  // namespace probecheck::model::detail
