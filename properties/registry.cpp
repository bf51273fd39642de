#include "properties/registry.hpp"

#include <algorithm>

namespace probecheck::properties {
namespace {

using K = ViolationKind;

std::vector<PropertyInfo> const& table() {
    static std::vector<PropertyInfo> const properties = {
        {"lock_rules", "lockdep assertions, recursive locking, unlock of a lock not held, a lock held at thread exit, "
                       "sleeping under a spinlock",
         {K::SelfDeadlock, K::UnlockNotHeld, K::LockdepAssertHeld, K::LockdepAssertNotHeld, K::LockHeldAtExit,
          K::SleepInAtomic}},
        {"lock_order", "cycles in the lock-class order graph, as lockdep reports them", {K::LockOrder}},
        {"deadlock", "no thread can move and some have not finished", {K::Deadlock}},
        {"races", "@guarded_by fields accessed without their lock; conflicting unprotected accesses",
         {K::GuardedBy, K::DataRace}},
        {"memory", "NULL dereference, use after free, double or invalid free, leaks at termination",
         {K::NullDeref, K::UseAfterFree, K::DoubleFree, K::InvalidFree, K::Leak}},
        {"groups", "IOMMU group shape: every IOMMU device grouped, topology respected, one membership, isolation, "
                   "no double probe (properties/iommu_groups.model)",
         {K::GroupMissing, K::GroupSplit, K::GroupMixed, K::GroupMembership, K::NoIsolation, K::DoubleProbe}},
        {"binding", "driver-core binding: no device left on the deferred-probe list once what it waits for is "
                    "ready (properties/deferred_probe.model)",
         {K::ProbeStuck}},
        {"teardown", "IOMMU teardown: no device left translated by an unregistered IOMMU, no ops of an unloaded "
                     "module left reachable, module references balanced (properties/iommu_teardown.model)",
         {K::StaleIommu, K::StaleOps, K::ModuleRef}},
        {"dma", "the DMA API: a bound driver's DMA goes through its group's default domain (properties/dma_ops.model)",
         {K::DmaDirect}},
        {"firmware", "the firmware description reaches the driver: a device is probed with every ID its \"iommus\" "
                     "entries give and with the properties its fixups set (properties/firmware.model)",
         {K::FwspecIds, K::ProbeBeforeFixup}},
        {"warnings", "the kernel's own WARN_ON, WARN and dev_WARN on these paths, reported with the kernel's message "
                     "(the path goes on, as the kernel does)",
         {K::Warn}},
        {"user", "assert(), invariant and final checks written in the model", {K::AssertionFailed, K::Invariant, K::Final}},
    };
    return properties;
}

constexpr ViolationKind kAlwaysOn[] = {K::PoolExhausted, K::LocalLoop, K::ModelError, K::DivisionByZero};

}  // namespace

std::span<PropertyInfo const> all_properties() { return table(); }

std::string property_names() {
    std::string out;
    for (auto const& p : table()) {
        if (!out.empty()) out += ", ";
        out += p.name;
    }
    return out;
}

std::optional<uint64_t> kinds_of(std::vector<std::string> const& names, std::string& unknown) {
    uint64_t mask = 0;
    for (K k : kAlwaysOn) mask |= uint64_t{1} << static_cast<uint32_t>(k);
    for (auto const& name : names) {
        auto it = std::find_if(table().begin(), table().end(), [&](auto const& p) { return p.name == name; });
        if (it == table().end()) {
            unknown = name;
            return std::nullopt;
        }
        for (K k : it->kinds) mask |= uint64_t{1} << static_cast<uint32_t>(k);
    }
    return mask;
}

std::string_view property_of(ViolationKind k) {
    for (auto const& p : table())
        if (std::find(p.kinds.begin(), p.kinds.end(), k) != p.kinds.end()) return p.name;
    return "";
}

}  // namespace probecheck::properties
