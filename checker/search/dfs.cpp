// Sequential DFS. The stack holds (state ref, next thread to try) and, in one flat buffer, a
// copy of each of its states: successors are generated one thread at a time from that copy,
// so the store keeps states packed and never decodes them, and nothing is allocated per
// state except the store's record. Parents are kept per stored state to rebuild traces (store little,
// replay a lot). Order is deterministic: threads in declaration order, so the same model
// gives the same counts and the same first trace on every run.
#include "checker/search/dfs.hpp"

#include <algorithm>
#include <chrono>
#include <optional>
#include <set>

#include "checker/search/frame.hpp"
#include "checker/search/parents.hpp"
#include "checker/search/parallel_dfs.hpp"
#include "checker/search/reduction.hpp"
#include "checker/search/search_end.hpp"
#include "checker/search/shortest_traces.hpp"
#include "checker/store/state_store.hpp"

namespace probecheck::checker {
namespace {

class Dfs {
public:
    Dfs(TransitionSystem const& sys, std::span<Monitor const* const> monitors, SearchOptions const& o,
        std::span<StepObserver* const> observers)
        : sys_(sys), monitors_(monitors), observers_(observers), options_(o), store_(sys.state_slots()),
          scratch_(sys.state_slots()), width_(sys.state_slots()) {
        if (o.reduce && sys.footprint_words() > 0) reduction_.emplace(sys);
        track_stack_ = reduction_ && o.proviso == SearchOptions::Proviso::Stack;
    }

    SearchResult run();

private:
    bool expand_next(Frame& top);
    void choose_persistent_set(Frame& top);
    void push(StateRef ref, StateRef parent, Step step);
    void finish_frame(Frame const& top);
    void check_state(StateRef ref, ConstStateView state, StateKind kind);
    /// The state of the top frame (valid until the next push).
    [[nodiscard]] ConstStateView top_state() const {
        return {stack_states_.data() + (stack_.size() - 1) * width_, width_};
    }
    void record(ViolationInfo const& info, StateRef at, std::optional<Step> last, bool deadend);
    Trace path_to(StateRef ref) const;
    bool should_stop();
    /// What the search keeps per stored state: the store, each state's parent link and, for
    /// the stack proviso, its on-stack flag (the memory bound and the statistics count all).
    [[nodiscard]] size_t visited_bytes() const {
        return store_.bytes() + parents_.capacity() * sizeof(Parent) + on_stack_.capacity() +
               stack_states_.capacity() * sizeof(Slot);
    }

    TransitionSystem const& sys_;
    std::span<Monitor const* const> monitors_;
    std::span<StepObserver* const> observers_;
    SearchOptions const& options_;
    StateStore store_;
    std::vector<Slot> scratch_;
    std::vector<Parent> parents_;
    std::vector<Frame> stack_;
    size_t width_;
    std::vector<Slot> stack_states_;  ///< frame i's state at i * width_
    std::vector<uint8_t> on_stack_;  ///< per stored state: on the DFS stack (stack proviso only)
    bool track_stack_ = false;
    std::optional<Reduction> reduction_;
    std::set<std::pair<uint32_t, uint64_t>> seen_violations_;
    std::vector<ViolationInfo> found_;  ///< scratch for check_state, reused
    SearchResult result_;
    bool depth_pruned_ = false;
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
    uint32_t until_clock_ = 0;  ///< iterations before the next look at the clock
};

SearchResult Dfs::run() {
    ViolationInfo info;
    if (sys_.initial_state(scratch_, info) == StepStatus::Violation) {
        record(info, StateRef{}, std::nullopt, false);
    } else {
        auto inserted = store_.find_or_insert(scratch_);
        push(inserted.ref, StateRef{}, {});
        check_state(inserted.ref, top_state(), StateKind::Inner);
    }
    while (!stack_.empty() && !should_stop()) {
        Frame& top = stack_.back();
        if (!expand_next(top)) {
            finish_frame(stack_.back());
            if (track_stack_) on_stack_[stack_.back().ref.value] = 0;
            stack_.pop_back();
        }
    }
    StepObserver::PathFn path = [this](StateRef ref, Step step) {
        Trace t = path_to(ref);
        t.steps.push_back(step);
        return t;
    };
    collect_observer_violations(sys_, observers_, path, options_, seen_violations_, result_);
    record_store_stats(result_, store_.size(), visited_bytes(), sys_.state_slots(), start_);
    settle_verdict(result_, depth_pruned_, options_);
    return result_;
}

bool Dfs::should_stop() {
    if (!result_.violations.empty() && !options_.all_violations) return true;
    if (options_.cancel && options_.cancel->load(std::memory_order_relaxed)) {
        result_.incomplete_reason = "interrupted";
        return true;
    }
    if (options_.max_states && store_.size() >= options_.max_states) {
        result_.incomplete_reason = "state bound reached (--max-states " + std::to_string(options_.max_states) + ")";
        return true;
    }
    if ((options_.max_seconds > 0 || options_.progress) && until_clock_-- == 0) {
        until_clock_ = 4095;
        if (options_.progress) options_.progress->publish(store_.size(), visited_bytes(), result_.stats.max_depth);
        double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
        if (options_.max_seconds > 0 && elapsed >= options_.max_seconds) {
            result_.incomplete_reason = time_bound_reason(options_.max_seconds);
            return true;
        }
    }
    // The store's size changes in steps (chunks, table doublings): checking every 4096 states is enough.
    if (options_.max_memory && (store_.size() & 4095) == 0 && visited_bytes() >= options_.max_memory) {
        result_.incomplete_reason = memory_bound_reason(options_.max_memory);
        return true;
    }
    return false;
}

void Dfs::push(StateRef ref, StateRef parent, Step step) {
    parents_.push_back({parent, step});
    if (track_stack_) on_stack_.push_back(1);
    stack_.push_back({ref});
    size_t need = stack_.size() * width_;
    if (stack_states_.size() < need) stack_states_.resize(std::max(need, 2 * stack_states_.size()));
    std::copy(scratch_.begin(), scratch_.end(), stack_states_.begin() + static_cast<std::ptrdiff_t>(need - width_));
}

void Dfs::choose_persistent_set(Frame& top) {
    top.decided = true;
    if (!reduction_) return;
    ConstStateView state = top_state();
    uint32_t t = reduction_->persistent_thread(state);
    if (t == kAllThreads) return;
    if (options_.check_reduction) check_commutation(sys_, state, t);
    top.only = t;
    top.next_thread = t;
    if (others_unfinished(sys_, state, t)) ++result_.stats.reduced_states;
}

// Tries the next (thread, choice) of `top`; false when all have been tried.
bool Dfs::expand_next(Frame& top) {
    if (!top.decided) choose_persistent_set(top);
    while (next_candidate(top, sys_.thread_count())) {
        ConstStateView state = top_state();
        Step step = take_step(top, sys_.choice_count(state, top.next_thread));
        Access access;
        ViolationInfo info;
        StepStatus status = sys_.step(state, step, scratch_, access, info);
        if (status == StepStatus::Disabled) continue;
        ++top.enabled;
        ++result_.stats.transitions;
        if (status == StepStatus::Violation) {
            // A failing step ends its execution, so it disables every other thread: it never
            // forms a persistent set alone.
            if (top.only != kAllThreads) top.proviso = true;
            if (kind_enabled(options_, info.kind)) record(info, top.ref, step, false);
            return true;
        }
        if (access.warned && kind_enabled(options_, info.kind)) record(info, top.ref, step, false);
        if (access.kind == Access::Kind::Lock)
            for (StepObserver* o : observers_) o->on_lock(sys_, state, top.ref, step, access);
        if (options_.max_depth && stack_.size() > options_.max_depth) {
            depth_pruned_ = true;
            return true;
        }
        if (top.only != kAllThreads && static_proviso_fires(options_, access)) top.proviso = true;
        auto [ref, inserted] = store_.find_or_insert(scratch_);
        if (!inserted) {
            if (top.only != kAllThreads && track_stack_ && on_stack_[ref.value]) top.proviso = true;
            return true;
        }
        push(ref, top.ref, step);  // invalidates `top` and `state`
        result_.stats.max_depth = std::max(result_.stats.max_depth, static_cast<uint32_t>(stack_.size() - 1));
        check_state(ref, top_state(), StateKind::Inner);
        return true;
    }
    return false;
}

void Dfs::finish_frame(Frame const& top) {
    if (top.enabled > 0) return;
    ConstStateView state = top_state();
    check_state(top.ref, state, end_kind(sys_, state));
}

void Dfs::check_state(StateRef ref, ConstStateView state, StateKind kind) {
    if (monitors_.empty()) return;
    found_.clear();
    for (Monitor const* m : monitors_) m->on_state(sys_, state, kind, found_);
    for (auto const& info : found_)
        if (kind_enabled(options_, info.kind)) record(info, ref, std::nullopt, true);
}

Trace Dfs::path_to(StateRef ref) const { return path_from(parents_, ref); }

void Dfs::record(ViolationInfo const& info, StateRef at, std::optional<Step> last, bool deadend) {
    if (!seen_violations_.insert({info.kind, info.site}).second) return;
    FoundViolation v{info, at.valid() ? path_to(at) : Trace{}, {}};
    if (last) v.trace.steps.push_back(*last);
    v.trace.ends_at_state = deadend;
    result_.violations.push_back(std::move(v));
}

}  // namespace

SearchResult explore(TransitionSystem const& sys, std::span<Monitor const* const> monitors,
                     SearchOptions const& options, std::span<StepObserver* const> observers) {
    SearchResult result = options.workers > 1 || options.hash_compact ? explore_parallel(sys, monitors, options, observers)
                                              : Dfs(sys, monitors, options, observers).run();
    if (options.shortest_traces) shorten_traces(sys, monitors, options, result);
    return result;
}

}  // namespace probecheck::checker
