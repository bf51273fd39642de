#include "checker/search/parallel_dfs.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <algorithm>
#include <array>
#include <atomic>
#include <chrono>
#include <mutex>
#include <optional>
#include <set>
#include <stdexcept>

#include "checker/search/frame.hpp"
#include "checker/search/reduction.hpp"
#include "checker/search/search_end.hpp"
#include "checker/search/tbb_handoff.hpp"
#include "checker/search/tsan_sync.hpp"
#include "checker/state/hash.hpp"
#include "checker/store/sharded_store.hpp"

namespace probecheck::checker {
namespace {

struct Worker {
    std::vector<Slot> scratch;
    std::vector<ViolationInfo> found;
    std::optional<Reduction> reduction;
    uint64_t transitions = 0;
    uint64_t reduced = 0;
    uint32_t max_depth = 0;
};

class ParallelDfs {
public:
    ParallelDfs(TransitionSystem const& sys, std::span<Monitor const* const> monitors, SearchOptions const& o,
                std::span<StepObserver* const> observers)
        : sys_(sys), monitors_(monitors), observers_(observers), options_(o), store_(sys.state_slots()),
          workers_(o.workers) {}

    SearchResult run();
    /// One task: a DFS from `root` on this worker's own stack.
    void explore_from(StateRef root, uint32_t depth);

private:
    Worker& worker();
    bool expand_next(Worker& w, std::vector<Frame>& stack);
    void choose_persistent_set(Worker& w, Frame& top);
    void hand_over_or_push(std::vector<Frame>& stack, StateRef ref, uint32_t depth);
    void finish_frame(Worker& w, Frame const& top);
    void check_state(Worker& w, StateRef ref, StateKind kind);
    void record(ViolationInfo const& info, StateRef at, std::optional<Step> last, bool deadend);
    [[nodiscard]] Trace path_to(StateRef ref) const;
    [[nodiscard]] bool should_stop();

    TransitionSystem const& sys_;
    std::span<Monitor const* const> monitors_;
    std::span<StepObserver* const> observers_;
    SearchOptions const& options_;
    ShardedStore store_;
    uint32_t workers_;
    tbb::task_group group_;
    tbb::enumerable_thread_specific<Worker> locals_;
    std::atomic<int64_t> pending_{0};
    std::atomic<bool> stop_{false};
    std::atomic<bool> depth_pruned_{false};
    std::mutex result_lock_;    ///< result_, seen_violations_
    std::mutex observer_lock_;  ///< step observers are not thread-safe
    std::set<std::pair<uint32_t, uint64_t>> seen_violations_;
    SearchResult result_;
    std::array<char, 256> handoff_keys_{};  ///< ThreadSanitizer sync keys, by state
    char done_key_ = 0;                     ///< ThreadSanitizer: every task's end
};

Worker& ParallelDfs::worker() {
    Worker& w = locals_.local();
    if (w.scratch.empty()) {
        w.scratch.resize(sys_.state_slots());
        if (options_.reduce && sys_.footprint_words() > 0) w.reduction.emplace(sys_);
    }
    return w;
}

SearchResult ParallelDfs::run() {
    auto start = std::chrono::steady_clock::now();
    std::vector<Slot> initial(sys_.state_slots());
    ViolationInfo info;
    if (sys_.initial_state(initial, info) == StepStatus::Violation) {
        record(info, StateRef{}, std::nullopt, false);
    } else {
        auto [ref, inserted] = store_.find_or_insert(initial, hash_state(initial), StateRef{}, {});
        // Allow more workers than cores: determinism tests run 8 workers on 2 cores.
        tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, workers_);
        tbb::task_arena arena(static_cast<int>(workers_));
        arena.execute([&] {
            check_state(worker(), ref, StateKind::Inner);
            pending_ = 1;
            tsan_release(&handoff_keys_[ref.value % handoff_keys_.size()]);
            group_.run(Handoff<ParallelDfs>{this, ref, 0});
            group_.wait();
        });
        tsan_acquire(&done_key_);
    }
    StepObserver::PathFn path = [this](StateRef ref, Step step) {
        Trace t = path_to(ref);
        t.steps.push_back(step);
        return t;
    };
    collect_observer_violations(sys_, observers_, path, options_, seen_violations_, result_);
    for (Worker const& w : locals_) {
        result_.stats.transitions += w.transitions;
        result_.stats.reduced_states += w.reduced;
        result_.stats.max_depth = std::max(result_.stats.max_depth, w.max_depth);
    }
    record_store_stats(result_, store_.size(), store_.bytes(), sys_.state_slots(), start);
    settle_verdict(result_, depth_pruned_, options_);
    return result_;
}

bool ParallelDfs::should_stop() {
    if (stop_.load(std::memory_order_relaxed)) return true;
    std::string reason;
    if (options_.cancel && options_.cancel->load(std::memory_order_relaxed)) reason = "interrupted";
    else if (options_.max_states && store_.size() >= options_.max_states)
        reason = "state bound reached (--max-states " + std::to_string(options_.max_states) + ")";
    else if (options_.max_memory && store_.bytes() >= options_.max_memory)
        reason = memory_bound_reason(options_.max_memory);
    if (reason.empty()) return false;
    std::lock_guard guard(result_lock_);
    if (result_.incomplete_reason.empty()) result_.incomplete_reason = reason;
    stop_ = true;
    return true;
}

void ParallelDfs::explore_from(StateRef root, uint32_t depth) {
    tsan_acquire(&handoff_keys_[root.value % handoff_keys_.size()]);
    Worker& w = worker();
    std::vector<Frame> stack;
    stack.push_back({root});
    stack.back().depth = depth;
    // Bounds are checked every 256 expansions: they read every shard's count.
    uint32_t until_check = 0;
    while (!stack.empty() && !stop_.load(std::memory_order_relaxed)) {
        if (until_check-- == 0) {
            if (should_stop()) break;
            until_check = 255;
        }
        if (!expand_next(w, stack)) {
            finish_frame(w, stack.back());
            stack.pop_back();
        }
    }
    tsan_release(&done_key_);
    pending_.fetch_sub(1, std::memory_order_relaxed);
}

// The reduction's proviso, shared between workers: a reduced step that reaches a state
// already stored -- by this worker or any other -- forces a full expansion. Stronger than
// the sequential search's stack proviso (a stored state may be on another worker's stack,
// and no worker can tell), so it is sound whatever the schedule; it reduces less, and the
// reduced state count depends on the schedule.
void ParallelDfs::choose_persistent_set(Worker& w, Frame& top) {
    top.decided = true;
    if (!w.reduction) return;
    uint32_t t = w.reduction->persistent_thread(store_.get(top.ref));
    if (t == kAllThreads) return;
    top.only = t;
    top.next_thread = t;
    ++w.reduced;
}

void ParallelDfs::hand_over_or_push(std::vector<Frame>& stack, StateRef ref, uint32_t depth) {
    if (pending_.load(std::memory_order_relaxed) < 2 * static_cast<int64_t>(workers_)) {
        pending_.fetch_add(1, std::memory_order_relaxed);
        tsan_release(&handoff_keys_[ref.value % handoff_keys_.size()]);
        group_.run(Handoff<ParallelDfs>{this, ref, depth});
        return;
    }
    stack.push_back({ref});
    stack.back().depth = depth;
}

bool ParallelDfs::expand_next(Worker& w, std::vector<Frame>& stack) {
    Frame& top = stack.back();
    if (!top.decided) choose_persistent_set(w, top);
    while (next_candidate(top, sys_.thread_count())) {
        ConstStateView state = store_.get(top.ref);
        Step step = take_step(top, sys_.choice_count(state, top.next_thread));
        Access access;
        ViolationInfo info;
        StepStatus status = sys_.step(state, step, w.scratch, access, info);
        if (status == StepStatus::Disabled) continue;
        ++top.enabled;
        ++w.transitions;
        if (status == StepStatus::Violation) {
            if (top.only != kAllThreads) top.proviso = true;
            if (kind_enabled(options_, info.kind)) record(info, top.ref, step, false);
            return true;
        }
        if (access.kind == Access::Kind::Lock && !observers_.empty()) {
            std::lock_guard guard(observer_lock_);
            for (StepObserver* o : observers_) o->on_lock(sys_, state, top.ref, step, access);
        }
        if (options_.max_depth && top.depth >= options_.max_depth) {
            depth_pruned_ = true;
            return true;
        }
        auto [ref, inserted] = store_.find_or_insert(w.scratch, hash_state(w.scratch), top.ref, step);
        if (!inserted) {
            if (top.only != kAllThreads) top.proviso = true;
            return true;
        }
        uint32_t depth = top.depth + 1;
        w.max_depth = std::max(w.max_depth, depth);
        check_state(w, ref, StateKind::Inner);
        hand_over_or_push(stack, ref, depth);  // invalidates `top`
        return true;
    }
    return false;
}

void ParallelDfs::finish_frame(Worker& w, Frame const& top) {
    if (top.enabled > 0) return;
    ConstStateView state = store_.get(top.ref);
    check_state(w, top.ref, end_kind(sys_, state));
}

void ParallelDfs::check_state(Worker& w, StateRef ref, StateKind kind) {
    if (monitors_.empty()) return;
    w.found.clear();
    for (Monitor const* m : monitors_) m->on_state(sys_, store_.get(ref), kind, w.found);
    for (auto const& info : w.found)
        if (kind_enabled(options_, info.kind)) record(info, ref, std::nullopt, true);
}

Trace ParallelDfs::path_to(StateRef ref) const {
    Trace t;
    while (ref.valid() && store_.parent(ref).valid()) {
        t.steps.push_back(store_.step(ref));
        ref = store_.parent(ref);
    }
    std::reverse(t.steps.begin(), t.steps.end());
    return t;
}

void ParallelDfs::record(ViolationInfo const& info, StateRef at, std::optional<Step> last, bool deadend) {
    std::lock_guard guard(result_lock_);
    if (stop_.load(std::memory_order_relaxed) && !options_.all_violations) return;
    if (!seen_violations_.insert({info.kind, info.site}).second) return;
    FoundViolation v{info, at.valid() ? path_to(at) : Trace{}, {}};
    if (last) v.trace.steps.push_back(*last);
    v.trace.ends_at_state = deadend;
    result_.violations.push_back(std::move(v));
    if (!options_.all_violations) stop_ = true;
}

}  // namespace

SearchResult explore_parallel(TransitionSystem const& sys, std::span<Monitor const* const> monitors,
                              SearchOptions const& options, std::span<StepObserver* const> observers) {
    return ParallelDfs(sys, monitors, options, observers).run();
}

}  // namespace probecheck::checker
