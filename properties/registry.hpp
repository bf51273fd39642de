// The properties users select with `--property a,b` (default: all), each a named group of
// violation kinds. Model errors and arithmetic faults are always reported: a search that
// hit them cannot vouch for anything else.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "properties/violation.hpp"

namespace probecheck::properties {

struct PropertyInfo {
    std::string_view name;
    std::string_view summary;
    std::vector<ViolationKind> kinds;
};

[[nodiscard]] std::span<PropertyInfo const> all_properties();
/// "lock_rules, lock_order, ...": every property's name, for usage messages.
[[nodiscard]] std::string property_names();

/// Bit mask of the kinds the named properties report (bit k: kind k), always-on kinds
/// included; nullopt with `unknown` set when a name is not a property.
[[nodiscard]] std::optional<uint64_t> kinds_of(std::vector<std::string> const& names, std::string& unknown);

/// The property a kind belongs to ("" for always-on kinds).
[[nodiscard]] std::string_view property_of(ViolationKind k);

}  // namespace probecheck::properties
