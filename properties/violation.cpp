// Tables generated from violation_kinds.def.
#include "properties/violation.hpp"

namespace probecheck::properties {
namespace {

struct KindRow {
    std::string_view id;
    std::string_view title;
};
constexpr KindRow kRows[] = {
#define PROBECHECK_VIOLATION(kind, id, title) {id, title},
#include "properties/violation_kinds.def"
#undef PROBECHECK_VIOLATION
};
static_assert(std::size(kRows) == static_cast<size_t>(ViolationKind::Count_));

}  // namespace

std::string_view violation_id(ViolationKind k) {
    auto i = static_cast<size_t>(k);
    return i < std::size(kRows) ? kRows[i].id : "unknown";
}

std::string_view violation_title(ViolationKind k) {
    auto i = static_cast<size_t>(k);
    return i < std::size(kRows) ? kRows[i].title : "unknown";
}

bool is_model_limit(ViolationKind k) {
    return k == ViolationKind::PoolExhausted || k == ViolationKind::LocalLoop || k == ViolationKind::ModelError;
}

std::string all_violation_ids() {
    std::string out;
    for (auto const& row : kRows) out += (out.empty() ? "" : ", ") + std::string(row.id);
    return out;
}

std::optional<ViolationKind> violation_from_id(std::string_view id) {
    for (size_t i = 0; i < std::size(kRows); ++i)
        if (kRows[i].id == id) return static_cast<ViolationKind>(i);
    return std::nullopt;
}

}  // namespace probecheck::properties
