#include "checker/search/parallel_dfs.hpp"

#include <tbb/enumerable_thread_specific.h>
#include <tbb/global_control.h>
#include <tbb/task_arena.h>
#include <tbb/task_group.h>

#include <algorithm>
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
#include "checker/store/concurrent_store.hpp"

namespace probecheck::checker {
namespace {

constexpr unsigned kTokenWorkerShift = 40;
constexpr uint64_t kTokenIndexMask = (uint64_t{1} << kTokenWorkerShift) - 1;

/// A state handed to another worker, with the path that reached it.
struct Work {
    std::vector<Slot> state;
    std::vector<Step> path;
    uint32_t depth = 0;
};

// A worker's DFS stack. Frame i's state is states[i * width, (i + 1) * width); `path` is the
// path to the top frame: the task's path to its root, then one step per frame above it.
// Kept across tasks, so the hot loop allocates nothing once the stack reached its depth.
struct Worker {
    uint32_t index = 0;  ///< the store's arena: the arena slot this thread holds now
    uint32_t id = 0;     ///< which worker this is, in creation order: names its witness tokens
    std::vector<Slot> scratch;
    std::vector<Slot> states;
    std::vector<Frame> frames;
    std::vector<Step> path;
    std::vector<ViolationInfo> found;
    std::vector<std::unique_ptr<StepObserver>> observers;  ///< this worker's forks
    std::vector<Trace> witness_paths;  ///< paths to the states its observers kept, by token
    std::optional<Reduction> reduction;
    uint64_t transitions = 0;
    uint64_t reduced = 0;
    uint32_t max_depth = 0;
    uint32_t until_check = 0;  ///< expansions left before the next look at the bounds
};

class ParallelDfs {
public:
    ParallelDfs(TransitionSystem const& sys, std::span<Monitor const* const> monitors, SearchOptions const& o,
                std::span<StepObserver* const> observers)
        : sys_(sys), monitors_(monitors), observers_(observers), options_(o), width_(sys.state_slots()),
          store_(width_, o.workers, o.hash_compact) {}

    SearchResult run();
    /// One task: a DFS from `work`'s state on this worker's own stack.
    void explore_from(Work* work);

private:
    Worker& worker();
    void search_from_initial(std::vector<Slot> initial);
    [[nodiscard]] ConstStateView top_state(Worker const& w) const {
        return {w.states.data() + (w.frames.size() - 1) * width_, width_};
    }
    bool expand_next(Worker& w);
    void choose_persistent_set(Worker& w, Frame& top);
    void hand_over_or_push(Worker& w, Step step, uint32_t depth);
    void pop(Worker& w);
    void observe_lock(Worker& w, ConstStateView state, Step step, Access const& access);
    void check_state(Worker& w, ConstStateView state, StateKind kind);
    void record(ViolationInfo const& info, std::vector<Step> const& path, std::optional<Step> last, bool deadend);
    [[nodiscard]] bool should_stop();

    TransitionSystem const& sys_;
    std::span<Monitor const* const> monitors_;
    std::span<StepObserver* const> observers_;
    SearchOptions const& options_;
    uint32_t width_;
    ConcurrentStore store_;
    tbb::task_group group_;
    tbb::enumerable_thread_specific<Worker> locals_;
    std::atomic<int64_t> pending_{0};
    std::atomic<bool> stop_{false};
    std::atomic<uint32_t> next_worker_id_{0};
    std::atomic<bool> depth_pruned_{false};
    std::mutex result_lock_;  ///< result_, seen_violations_
    std::set<std::pair<uint32_t, uint64_t>> seen_violations_;
    SearchResult result_;
    char done_key_ = 0;  ///< ThreadSanitizer: every task's end
    std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

Worker& ParallelDfs::worker() {
    // A thread may leave the arena and come back in another slot, and another thread may take
    // its old one: the store's arena follows the slot, so it is read at every task's start.
    int index = tbb::this_task_arena::current_thread_index();
    if (index < 0 || static_cast<uint32_t>(index) >= options_.workers)
        throw std::logic_error("a search task ran outside the search's arena");
    Worker& w = locals_.local();
    w.index = static_cast<uint32_t>(index);
    if (w.scratch.empty()) {
        w.id = next_worker_id_.fetch_add(1, std::memory_order_relaxed);
        w.scratch.resize(width_);
        for (StepObserver* o : observers_) w.observers.push_back(o->fork());
        if (options_.reduce && sys_.footprint_words() > 0) w.reduction.emplace(sys_);
    }
    return w;
}

SearchResult ParallelDfs::run() {
    std::vector<Slot> initial(width_);
    ViolationInfo info;
    if (sys_.initial_state(initial, info) == StepStatus::Violation) record(info, {}, std::nullopt, false);
    else search_from_initial(std::move(initial));
    // More threads than workers may have served (see worker()): each is joined, none hides another.
    std::vector<Worker const*> by_id(next_worker_id_.load());
    for (Worker const& w : locals_) by_id[w.id] = &w;
    for (Worker const* w : by_id)
        for (size_t i = 0; i < observers_.size(); ++i) observers_[i]->join(*w->observers[i]);
    StepObserver::PathFn path = [&by_id](StateRef token, Step step) {
        Trace t = by_id[token.value >> kTokenWorkerShift]->witness_paths[token.value & kTokenIndexMask];
        t.steps.push_back(step);
        return t;
    };
    collect_observer_violations(sys_, observers_, path, options_, seen_violations_, result_);
    for (Worker const& w : locals_) {
        result_.stats.transitions += w.transitions;
        result_.stats.reduced_states += w.reduced;
        result_.stats.max_depth = std::max(result_.stats.max_depth, w.max_depth);
    }
    record_store_stats(result_, store_.size(), store_.bytes(), width_, start_);
    if (store_.compact()) {
        double n = static_cast<double>(result_.stats.states);
        result_.stats.collision_bound = std::min(1.0, n * (n - 1) / 2 / 18446744073709551616.0);
    }
    settle_verdict(result_, depth_pruned_, options_);
    return result_;
}

void ParallelDfs::search_from_initial(std::vector<Slot> initial) {
    // Allow more workers than cores: determinism tests run 8 workers on 2 cores.
    tbb::global_control parallelism(tbb::global_control::max_allowed_parallelism, options_.workers);
    tbb::task_arena arena(static_cast<int>(options_.workers));
    arena.execute([&] {
        Worker& w = worker();
        store_.set_reference(initial);
        store_.insert(initial, w.index);
        check_state(w, initial, StateKind::Inner);
        auto* work = new Work{std::move(initial), {}, 0};
        pending_ = 1;
        tsan_release(work);
        group_.run(Handoff<ParallelDfs, Work>{this, work});
        group_.wait();
    });
    tsan_acquire(&done_key_);
}

bool ParallelDfs::should_stop() {
    if (stop_.load(std::memory_order_relaxed)) return true;
    std::string reason;
    if (options_.cancel && options_.cancel->load(std::memory_order_relaxed)) reason = "interrupted";
    else if (options_.max_states && store_.size() >= options_.max_states)
        reason = "state bound reached (--max-states " + std::to_string(options_.max_states) + ")";
    else if (options_.max_memory && store_.bytes() >= options_.max_memory)
        reason = memory_bound_reason(options_.max_memory);
    else if (options_.max_seconds > 0 &&
             std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count() >= options_.max_seconds)
        reason = time_bound_reason(options_.max_seconds);
    if (reason.empty()) return false;
    std::lock_guard guard(result_lock_);
    if (result_.incomplete_reason.empty()) result_.incomplete_reason = reason;
    stop_ = true;
    return true;
}

void ParallelDfs::explore_from(Work* work) {
    tsan_acquire(work);
    Worker& w = worker();
    w.states = std::move(work->state);
    w.path = std::move(work->path);
    w.frames.assign(1, Frame{});
    w.frames.back().depth = work->depth;
    delete work;
    while (!w.frames.empty() && !stop_.load(std::memory_order_relaxed)) {
        if (w.until_check-- == 0) {  // the bounds read every worker's counters
            if (should_stop()) break;
            if (options_.progress) options_.progress->publish(store_.size(), store_.bytes(), w.max_depth);
            w.until_check = 255;
        }
        if (!expand_next(w)) pop(w);
    }
    tsan_release(&done_key_);
    pending_.fetch_sub(1, std::memory_order_relaxed);
}

void ParallelDfs::pop(Worker& w) {
    Frame const& top = w.frames.back();
    if (top.enabled == 0) check_state(w, top_state(w), end_kind(sys_, top_state(w)));
    w.frames.pop_back();
    w.states.resize(w.frames.size() * width_);
    if (!w.frames.empty()) w.path.pop_back();
}

// The reduction's proviso: the static one needs nothing from other workers (a reduced step
// that takes a loop's back edge forces full expansion), so every worker count explores the
// same reduced graph. With --proviso stack, a reduced step that reaches a state already
// stored -- by this worker or any other -- forces full expansion: stronger than the
// sequential stack proviso (a stored state may be on another worker's stack, and no worker
// can tell), so sound whatever the schedule, but the reduced count depends on the schedule.
void ParallelDfs::choose_persistent_set(Worker& w, Frame& top) {
    top.decided = true;
    if (!w.reduction) return;
    ConstStateView state = top_state(w);
    uint32_t t = w.reduction->persistent_thread(state);
    if (t == kAllThreads) return;
    if (options_.check_reduction) check_commutation(sys_, state, t);
    top.only = t;
    top.next_thread = t;
    if (others_unfinished(sys_, state, t)) ++w.reduced;
}

void ParallelDfs::hand_over_or_push(Worker& w, Step step, uint32_t depth) {
    if (pending_.load(std::memory_order_relaxed) < 2 * static_cast<int64_t>(options_.workers)) {
        pending_.fetch_add(1, std::memory_order_relaxed);
        auto* work = new Work{w.scratch, w.path, depth};
        work->path.push_back(step);
        tsan_release(work);
        group_.run(Handoff<ParallelDfs, Work>{this, work});
        return;
    }
    w.states.insert(w.states.end(), w.scratch.begin(), w.scratch.end());
    w.frames.push_back(Frame{});
    w.frames.back().depth = depth;
    w.path.push_back(step);
}

bool ParallelDfs::expand_next(Worker& w) {
    Frame& top = w.frames.back();
    if (!top.decided) choose_persistent_set(w, top);
    while (next_candidate(top, sys_.thread_count())) {
        ConstStateView state = top_state(w);
        Step step = take_step(top, sys_.choice_count(state, top.next_thread));
        Access access;
        ViolationInfo info;
        StepStatus status = sys_.step(state, step, w.scratch, access, info);
        if (status == StepStatus::Disabled) continue;
        ++top.enabled;
        ++w.transitions;
        if (status == StepStatus::Violation) {
            if (top.only != kAllThreads) top.proviso = true;
            if (kind_enabled(options_, info.kind)) record(info, w.path, step, false);
            return true;
        }
        if (access.warned && kind_enabled(options_, info.kind)) record(info, w.path, step, false);
        if (access.kind == Access::Kind::Lock && !observers_.empty()) observe_lock(w, state, step, access);
        if (options_.max_depth && top.depth >= options_.max_depth) {
            depth_pruned_ = true;
            return true;
        }
        if (top.only != kAllThreads && static_proviso_fires(options_, access)) top.proviso = true;
        if (!store_.insert(w.scratch, w.index)) {
            if (top.only != kAllThreads && options_.proviso == SearchOptions::Proviso::Stack) top.proviso = true;
            return true;
        }
        uint32_t depth = top.depth + 1;
        w.max_depth = std::max(w.max_depth, depth);
        w.path.push_back(step);
        check_state(w, w.scratch, StateKind::Inner);
        w.path.pop_back();
        hand_over_or_push(w, step, depth);  // invalidates `top` and `state`
        return true;
    }
    return false;
}

// Observers name the state before a lock step by a token (worker, index); the path to it is
// saved only when an observer keeps the token (a new lock-order edge), which is rare.
void ParallelDfs::observe_lock(Worker& w, ConstStateView state, Step step, Access const& access) {
    StateRef token{uint64_t{w.id} << kTokenWorkerShift | w.witness_paths.size()};
    bool kept = false;
    for (auto& o : w.observers) kept |= o->on_lock(sys_, state, token, step, access);
    if (kept) w.witness_paths.push_back(Trace{w.path, false});
}

void ParallelDfs::check_state(Worker& w, ConstStateView state, StateKind kind) {
    if (monitors_.empty()) return;
    w.found.clear();
    for (Monitor const* m : monitors_) m->on_state(sys_, state, kind, w.found);
    for (auto const& info : w.found)
        if (kind_enabled(options_, info.kind)) record(info, w.path, std::nullopt, true);
}

void ParallelDfs::record(ViolationInfo const& info, std::vector<Step> const& path, std::optional<Step> last,
                         bool deadend) {
    std::lock_guard guard(result_lock_);
    if (stop_.load(std::memory_order_relaxed) && !options_.all_violations) return;
    if (!seen_violations_.insert({info.kind, info.site}).second) return;
    FoundViolation v{info, Trace{path, deadend}, {}};
    if (last) v.trace.steps.push_back(*last);
    result_.violations.push_back(std::move(v));
    if (!options_.all_violations) stop_ = true;
}

}  // namespace

SearchResult explore_parallel(TransitionSystem const& sys, std::span<Monitor const* const> monitors,
                              SearchOptions const& options, std::span<StepObserver* const> observers) {
    return ParallelDfs(sys, monitors, options, observers).run();
}

}  // namespace probecheck::checker
