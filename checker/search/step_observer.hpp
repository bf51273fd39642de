// Step observers collect facts across the whole search (not per state) and turn them into
// violations when it ends, each proven by witness paths. The lock-order analysis is one:
// lockdep reports an inverted order even if no explored interleaving deadlocks.
// The search calls on_lock only for steps that acquire a lock, so the hot loop pays nothing
// for models without locks.
#pragma once

#include <functional>
#include <memory>
#include <vector>

#include "checker/search/options.hpp"

namespace probecheck::checker {

class StepObserver {
public:
    virtual ~StepObserver() = default;
    /// `before` is the state the step `step` started from; `before_ref` names it for PathFn.
    /// Returns true when the observer kept `before_ref` (as a witness): a search that names
    /// states by their path rather than by a stored ref saves the path only then.
    virtual bool on_lock(TransitionSystem const& sys, ConstStateView before, StateRef before_ref, Step step,
                         Access const& access) = 0;
    /// An empty observer of the same kind. The parallel search gives each worker a fork, so
    /// workers never contend on one observer, and joins them into this one at the end.
    [[nodiscard]] virtual std::unique_ptr<StepObserver> fork() const = 0;
    /// Adds the facts `other` (a fork) observed to this observer's own.
    virtual void join(StepObserver const& other) = 0;
    /// Builds the trace from the initial state through `ref`, then `step`.
    using PathFn = std::function<Trace(StateRef ref, Step step)>;
    /// Called once when the search ends; appends the violations the observed facts prove.
    virtual void finish(TransitionSystem const& sys, PathFn const& path, std::vector<FoundViolation>& out) = 0;
};

}  // namespace probecheck::checker
