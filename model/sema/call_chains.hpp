// Bounds on call chains. Threads run on stacks laid out at compile time, so the deepest chain
// a thread can build must be known. Kernel probe paths do recurse, but only a bounded number
// of times (v6.15's iommu_init_device() -> dma_configure -> of_iommu_configure() -> replay ->
// iommu_init_device() stops at the second level), so a chain may hold each function at most
// `max_occurrences` times; deeper recursion is a model error at run time.
#pragma once

#include <cstdint>
#include <vector>

namespace probecheck::model {

struct LongestChains {
    std::vector<uint64_t> weight;  ///< per function: the heaviest chain starting there
    bool budget_exceeded = false;  ///< the recursive part was too large to enumerate
};

/// The heaviest chain from every function through `callees`, where a chain's weight is the sum
/// of its functions' weights and no function occurs more than `max_occurrences` times.
/// Exact: memoised where no cycle is reachable, enumerated (within a budget) where one is.
LongestChains longest_chains(std::vector<std::vector<uint32_t>> const& callees,
                             std::vector<uint64_t> const& weights, uint32_t max_occurrences);

/// One heaviest chain from `root`, for diagnostics.
std::vector<uint32_t> heaviest_chain(std::vector<std::vector<uint32_t>> const& callees,
                                     std::vector<uint64_t> const& weights, uint32_t max_occurrences, uint32_t root);

/// Functions `start` can reach through `callees` (`start` included).
std::vector<bool> reachable_from(std::vector<std::vector<uint32_t>> const& callees, std::vector<uint32_t> start);

/// Functions that can call themselves, directly or through others.
std::vector<bool> recursive_functions(std::vector<std::vector<uint32_t>> const& callees);

}  // namespace probecheck::model
