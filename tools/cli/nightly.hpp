// `probecheck nightly`: every scenario under the given paths, checked against its `expect`
// lines within a budget, and reported for people (a table on stdout) and for CI systems
// (JUnit XML, SARIF 2.1.0, a JSON summary, a comparison with a previous summary).
#pragma once

#include <atomic>
#include <iosfwd>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tools/cli/commands.hpp"
#include "tools/cli/render.hpp"

namespace probecheck::cli {

struct NightlyArgs {
    std::vector<std::string> paths;  ///< files or directories; default: examples
    std::string junit_path, sarif_path, json_path, baseline_path;
    double threshold_percent = 10;       ///< state-count change the baseline comparison reports
    double time_threshold_percent = 50;  ///< time change it reports (times are noisier than counts)
    double max_seconds = 0;         ///< per-scenario budgets (a scenario's ARGS line overrides)
    uint64_t max_states = 0;
    uint64_t max_memory_mib = 0;
    uint32_t workers = 0;
    std::vector<std::string> library_paths;
    bool quiet = false;  ///< no progress line
};

enum class ScenarioStatus { Pass, Fail, Incomplete, Error };

struct ScenarioResult {
    std::string path;
    ScenarioStatus status = ScenarioStatus::Error;
    std::string detail;                ///< why it did not pass: the mismatch, the budget, the input error
    std::vector<std::string> expects;  ///< its expect ids: "holds", "incomplete" or violation kinds
    uint32_t expect_line = 0;          ///< first `expect` line (1-based; 0: none)
    std::optional<Report> report;      ///< absent when the model did not load
    std::string diagnostics;           ///< what loading printed
    double seconds = 0;
};

[[nodiscard]] std::string_view status_word(ScenarioStatus s);
[[nodiscard]] int nightly_exit_code(std::vector<ScenarioResult> const& results);

/// The .model files under `paths` (directories recursively, minus imported `lib/` files),
/// sorted; unreadable paths are reported in `errors`.
[[nodiscard]] std::vector<std::string> find_scenarios(std::vector<std::string> const& paths,
                                                      std::vector<std::string>& errors);

/// Applies a scenario's `// ARGS:` line (the options it needs, budgets included) to `args`;
/// false with a clang-style diagnostic when an option is unknown or malformed.
bool apply_scenario_args(std::string const& path, std::string const& text, VerifyArgs& args, std::string& diagnostic);

[[nodiscard]] std::string render_junit(std::vector<ScenarioResult> const& results);
[[nodiscard]] nlohmann::json render_sarif(std::vector<ScenarioResult> const& results);
[[nodiscard]] nlohmann::json render_nightly_json(std::vector<ScenarioResult> const& results, double seconds);

/// What changed against a previous JSON summary: new and fixed violations, status changes,
/// state counts and times that moved more than their thresholds (percent).
struct BaselineDiff {
    std::vector<std::string> lines;  ///< one human-readable line per change
    nlohmann::json doc;              ///< the same, for the JSON summary
};
[[nodiscard]] BaselineDiff compare_with_baseline(nlohmann::json const& current, nlohmann::json const& baseline,
                                                 double state_threshold, double time_threshold);

int run_nightly(NightlyArgs const& args, std::ostream& out, std::ostream& err, std::atomic<bool> const* cancel);

}  // namespace probecheck::cli
