// Every violation is confirmed by replay before it is shown: its trace must replay to the same
// kind of violation, and each witness of a multi-path violation (a lock-order cycle) must
// replay with its last step taking the edge's second lock.
#pragma once

#include <optional>
#include <span>
#include <string>

#include "tools/cli/trace_view.hpp"

namespace probecheck::cli {

[[nodiscard]] std::optional<TraceView> confirm_violation(model::CompiledSystem const& sys,
                                                         model::SourceManager const& sources,
                                                         std::span<checker::Monitor const* const> monitors,
                                                         checker::FoundViolation const& v, std::string& problem);

}  // namespace probecheck::cli
