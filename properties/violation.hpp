// Violation kinds: the enum behind checker::ViolationInfo::kind, with stable ids and titles.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace probecheck::properties {

enum class ViolationKind : uint32_t {
#define PROBECHECK_VIOLATION(kind, id, title) kind,
#include "properties/violation_kinds.def"
#undef PROBECHECK_VIOLATION
    Count_
};

[[nodiscard]] std::string_view violation_id(ViolationKind k);
[[nodiscard]] std::string_view violation_title(ViolationKind k);
[[nodiscard]] std::optional<ViolationKind> violation_from_id(std::string_view id);
/// Kinds that mean the model hit one of its own limits (a pool too small, a loop with no
/// visible step, a construct used where it cannot work): the verdict is a model error.
[[nodiscard]] bool is_model_limit(ViolationKind k);

/// Every stable id, comma-separated, for messages.
[[nodiscard]] std::string all_violation_ids();

}  // namespace probecheck::properties
