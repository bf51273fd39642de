#include "checker/search/shortest_traces.hpp"

#include <algorithm>
#include <chrono>
#include <map>
#include <optional>

#include "checker/search/frame.hpp"
#include "checker/search/parents.hpp"
#include "checker/search/reduction.hpp"
#include "checker/store/state_store.hpp"

namespace probecheck::checker {
namespace {

using Key = std::pair<uint32_t, uint64_t>;

class BreadthFirst {
public:
    BreadthFirst(TransitionSystem const& sys, std::span<Monitor const* const> monitors, SearchOptions const& o,
                 SearchResult const& result)
        : sys_(sys), monitors_(monitors), options_(o), store_(sys.state_slots()), scratch_(sys.state_slots()),
          current_(sys.state_slots()), budget_(std::max<uint64_t>(result.stats.states * 4, 1u << 20)) {
        // The pass gets what the search left of the time budget, and the same memory bound.
        if (o.max_seconds > 0) seconds_left_ = std::max(0.0, o.max_seconds - result.stats.seconds);
        if (o.reduce && sys.footprint_words() > 0) reduction_.emplace(sys);
        for (auto const& v : result.violations)
            if (v.witnesses.empty()) wanted_.insert({{v.info.kind, v.info.site}, std::nullopt});
    }

    /// The first violation of each wanted kind and site, in breadth-first order; without
    /// --all, the first violation of any kind.
    std::map<Key, std::optional<FoundViolation>> run();

private:
    void expand(StateRef ref);
    void check(StateRef ref, ConstStateView state, StateKind kind);
    /// Why the pass must stop now ("" to go on): a state, memory or time bound, or Ctrl-C.
    [[nodiscard]] std::string limit_reached();
    void found(ViolationInfo const& info, StateRef at, std::optional<Step> last, bool at_state);
    [[nodiscard]] bool done() const;

    TransitionSystem const& sys_;
    std::span<Monitor const* const> monitors_;
    SearchOptions const& options_;
    StateStore store_;
    std::vector<Slot> scratch_;
    std::vector<Slot> current_;  ///< the state being expanded, decoded from the store
    std::vector<Parent> parents_;
    std::vector<StateRef> queue_;
    std::optional<Reduction> reduction_;
    std::vector<ViolationInfo> infos_;
    std::map<Key, std::optional<FoundViolation>> wanted_;
    std::optional<FoundViolation> first_;
    uint64_t budget_;
    double seconds_left_ = -1;  ///< < 0: no time bound
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();

public:
    std::string stopped;  ///< the limit that ended the pass early, if one did
};

std::string BreadthFirst::limit_reached() {
    if (store_.size() >= budget_) return "it reached its state budget (" + std::to_string(budget_) + " states)";
    if (options_.cancel && options_.cancel->load(std::memory_order_relaxed)) return "it was interrupted";
    size_t bytes = store_.bytes() + parents_.capacity() * sizeof(Parent) + queue_.capacity() * sizeof(StateRef);
    if (options_.max_memory && bytes >= options_.max_memory) return "it reached --max-memory";
    if (seconds_left_ >= 0 &&
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() >= seconds_left_)
        return "it reached --max-seconds";
    return {};
}

std::map<Key, std::optional<FoundViolation>> BreadthFirst::run() {
    ViolationInfo info;
    if (sys_.initial_state(scratch_, info) == StepStatus::Violation) return wanted_;
    auto [ref, inserted] = store_.find_or_insert(scratch_);
    parents_.push_back({StateRef{}, {}});
    queue_.push_back(ref);
    check(ref, scratch_, StateKind::Inner);
    for (size_t head = 0; head < queue_.size() && !done(); ++head) {
        if ((head & 255) == 0 && !(stopped = limit_reached()).empty()) break;
        expand(queue_[head]);
    }
    if (!options_.all_violations && first_) return {{{first_->info.kind, first_->info.site}, first_}};
    return wanted_;
}

bool BreadthFirst::done() const {
    if (!options_.all_violations) return first_.has_value();
    return std::all_of(wanted_.begin(), wanted_.end(), [](auto const& w) { return w.second.has_value(); });
}

void BreadthFirst::expand(StateRef ref) {
    store_.decode(ref, current_.data());
    ConstStateView state = current_;
    uint32_t only = reduction_ ? reduction_->persistent_thread(state) : UINT32_MAX;
    uint32_t enabled = 0;
    bool full = only == UINT32_MAX;
    for (int pass = 0; pass < 2 && !done(); ++pass) {
        bool fallback = false;
        for (uint32_t t = 0; t < sys_.thread_count(); ++t) {
            if ((pass == 0 && !full && t != only) || (pass == 1 && t == only)) continue;
            for (uint32_t c = 0; c < sys_.choice_count(state, t); ++c) {
                Access access;
                ViolationInfo info;
                StepStatus status = sys_.step(state, {t, c}, scratch_, access, info);
                if (status == StepStatus::Disabled) continue;
                ++enabled;
                if (status == StepStatus::Violation) {
                    fallback = true;
                    if (kind_enabled(options_, info.kind)) found(info, ref, Step{t, c}, false);
                    continue;
                }
                if (access.warned && kind_enabled(options_, info.kind)) found(info, ref, Step{t, c}, false);
                // The search's proviso, so that both explore one graph where they can.
                fallback |= static_proviso_fires(options_, access);
                auto [next, inserted] = store_.find_or_insert(scratch_);
                if (!inserted) {  // stack proviso: a reduced step reached a stored state
                    fallback |= options_.proviso == SearchOptions::Proviso::Stack;
                    continue;
                }
                parents_.push_back({ref, {t, c}});
                queue_.push_back(next);
                check(next, scratch_, StateKind::Inner);
            }
        }
        if (full || !(fallback || enabled == 0)) break;
        full = true;
    }
    if (enabled == 0) check(ref, state, end_kind(sys_, state));
}

void BreadthFirst::check(StateRef ref, ConstStateView state, StateKind kind) {
    infos_.clear();
    for (Monitor const* m : monitors_) m->on_state(sys_, state, kind, infos_);
    for (auto const& info : infos_)
        if (kind_enabled(options_, info.kind)) found(info, ref, std::nullopt, true);
}

void BreadthFirst::found(ViolationInfo const& info, StateRef at, std::optional<Step> last, bool at_state) {
    auto want = wanted_.find({info.kind, info.site});
    bool take = options_.all_violations ? want != wanted_.end() && !want->second : !first_;
    if (!take) return;
    FoundViolation v{info, path_from(parents_, at), {}};
    if (last) v.trace.steps.push_back(*last);
    v.trace.ends_at_state = at_state;
    if (options_.all_violations) want->second = std::move(v);
    else first_ = std::move(v);
}

}  // namespace

void shorten_traces(TransitionSystem const& sys, std::span<Monitor const* const> monitors,
                    SearchOptions const& options, SearchResult& result) {
    bool any = std::any_of(result.violations.begin(), result.violations.end(),
                           [](auto const& v) { return v.witnesses.empty(); });
    if (!any) return;
    BreadthFirst pass(sys, monitors, options, result);
    auto canonical = pass.run();
    if (!pass.stopped.empty()) result.traces_not_shortest = "the shortest-trace pass stopped early: " + pass.stopped;
    if (!options.all_violations) {
        auto it = std::find_if(canonical.begin(), canonical.end(), [](auto const& c) { return c.second.has_value(); });
        if (it != canonical.end() && result.violations.size() == 1 && result.violations[0].witnesses.empty())
            result.violations[0] = std::move(*it->second);
        return;
    }
    for (auto& v : result.violations) {
        auto it = canonical.find({v.info.kind, v.info.site});
        if (it != canonical.end() && it->second) v = std::move(*it->second);
    }
}

}  // namespace probecheck::checker
