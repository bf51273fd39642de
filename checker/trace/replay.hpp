// Replay: re-executes a trace from the initial state, checks that every step is enabled,
// and re-derives the violation at its end. Every reported trace goes through this before
// it is shown, so a determinism bug can never print a trace that does not reproduce.
#pragma once

#include <span>
#include <string>

#include "checker/search/monitor.hpp"
#include "checker/trace/trace.hpp"

namespace probecheck::checker {

struct ReplayedTrace {
    bool valid = false;
    std::string problem;                 ///< why the trace is invalid
    std::vector<std::vector<Slot>> states;  ///< states[0] initial, states[i] after step i
    std::vector<Access> accesses;        ///< per step
    ViolationInfo violation;             ///< re-derived at the end
    bool reproduced = false;             ///< the end of the trace violates a property
    /// State at the failing instruction (step violations) or the dead end.
    std::vector<Slot> failure_state;
};

/// `kind`: the violation kind the trace claims (UINT32_MAX: any); a state violation is
/// re-derived only if it is of that kind.
[[nodiscard]] ReplayedTrace replay(TransitionSystem const& sys, std::span<Monitor const* const> monitors,
                                   Trace const& trace, uint32_t kind = UINT32_MAX);

}  // namespace probecheck::checker
