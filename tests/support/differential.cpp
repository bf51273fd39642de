#include "tests/support/differential.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <mutex>
#include <regex>

#include "checker/search/dfs.hpp"
#include "checker/state/hash.hpp"
#include "model/frontend.hpp"
#include "model/state_checks.hpp"
#include "properties/deadlock.hpp"
#include "properties/lock_order.hpp"

namespace probecheck::test {
namespace {

// Records every state with no enabled step; the search calls it once per such state.
class TerminalRecorder final : public checker::Monitor {
public:
    TerminalRecorder(std::set<uint64_t>& out, std::mutex& lock) : out_(out), lock_(lock) {}
    void on_state(checker::TransitionSystem const&, checker::ConstStateView s, checker::StateKind kind,
                  std::vector<checker::ViolationInfo>&) const override {
        if (kind == checker::StateKind::Inner) return;
        std::lock_guard guard(lock_);  // the parallel search calls monitors from every worker
        out_.insert(checker::hash_state(s) ^ static_cast<uint64_t>(kind));
    }

private:
    std::set<uint64_t>& out_;
    std::mutex& lock_;
};

}  // namespace

ModeOutcome explore_mode(std::string const& text, bool reduce, std::string const& faults, std::string const& path,
                         uint32_t workers, bool hash_compact) {
    return explore_with(text, {reduce, faults, path, workers, hash_compact, true, {}});
}

ModeOutcome explore_with(std::string const& text, ModeOptions const& mode) {
    auto const& [reduce, faults, path, workers, hash_compact, fuse, proviso] = mode;
    ModeOutcome o;
    model::SourceManager sm;
    model::LoadOptions load;
    load.fuse_steps = fuse;
    auto loaded = model::load_model_text(path, text, sm, load);
    for (auto const& d : loaded.diagnostics.diagnostics()) o.diagnostics += model::render_text(d, sm);
    if (!loaded.system) return o;
    o.loaded = true;
    model::bc::FaultOptions f;
    f.alloc = faults.find("alloc") != std::string::npos;
    f.defer = faults.find("defer") != std::string::npos;
    loaded.system->set_faults(f);
    properties::DeadlockMonitor deadlock;
    model::StateChecks state_checks(*loaded.system);
    std::mutex terminals_lock;
    TerminalRecorder terminals(o.terminal_states, terminals_lock);
    checker::Monitor const* monitors[] = {&deadlock, &state_checks, &terminals};
    properties::LockOrderObserver lock_order;
    checker::StepObserver* observers[] = {&lock_order};
    checker::SearchOptions options;
    options.all_violations = true;
    options.reduce = reduce;
    options.check_reduction = reduce && workers == 1;
    options.workers = workers;
    options.hash_compact = hash_compact;
    options.proviso = proviso;
    auto result = checker::explore(*loaded.system, monitors, options, observers);
    o.verdict = static_cast<int>(result.verdict);
    for (auto const& v : result.violations) o.violations.insert({v.info.kind, v.info.site});
    for (auto const& e : lock_order.edges()) o.lock_edges.insert(e);
    o.states = result.stats.states;
    o.transitions = result.stats.transitions;
    return o;
}

std::vector<Example> examples() {
    namespace fs = std::filesystem;
    std::vector<Example> out;
    for (auto const& e : fs::recursive_directory_iterator(fs::path(PROBECHECK_SOURCE_DIR) / "examples")) {
        if (!e.is_regular_file() || e.path().extension() != ".model" || e.path().parent_path().filename() == "lib")
            continue;
        std::ifstream in(e.path());
        std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
        std::smatch args;
        std::string faults = std::regex_search(text, args, std::regex("// ARGS: *--faults=([a-z,]+)")) ? args[1].str() : "";
        out.push_back({e.path().string(), std::move(text), std::move(faults)});
    }
    std::sort(out.begin(), out.end(), [](auto const& a, auto const& b) { return a.path < b.path; });
    return out;
}

std::string disagreement(ModeOutcome const& full, ModeOutcome const& reduced) {
    if (full.loaded != reduced.loaded) return "one run did not load";
    if (full.verdict != reduced.verdict)
        return fmt::format("verdict {} without reduction, {} with", full.verdict, reduced.verdict);
    if (full.violations != reduced.violations)
        return fmt::format("{} distinct violations without reduction, {} with", full.violations.size(),
                           reduced.violations.size());
    if (full.terminal_states != reduced.terminal_states)
        return fmt::format("{} terminal states without reduction, {} with", full.terminal_states.size(),
                           reduced.terminal_states.size());
    if (full.lock_edges != reduced.lock_edges)
        return fmt::format("{} lock-order edges without reduction, {} with", full.lock_edges.size(),
                           reduced.lock_edges.size());
    if (reduced.states > full.states)
        return fmt::format("the reduction stored more states ({} > {})", reduced.states, full.states);
    return {};
}

}  // namespace probecheck::test
