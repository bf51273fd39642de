// The nightly JSON summary (format in tools/cli/JSON.md) and its comparison with a previous
// one (--baseline).
#include <fmt/format.h>

#include <cmath>
#include <map>
#include <set>

#include "tools/cli/nightly.hpp"

namespace probecheck::cli {
namespace {

using nlohmann::json;

json violation_json(TraceView const& v) {
    return {{"kind", v.kind},         {"property", v.property}, {"file", v.where.file},   {"line", v.where.line},
            {"column", v.where.column}, {"function", v.where.function}, {"message", v.message}};
}

json scenario_json(ScenarioResult const& r) {
    json s = {{"path", r.path}, {"status", status_word(r.status)}, {"detail", r.detail}, {"expects", r.expects},
              {"seconds", r.seconds}, {"diagnostics", r.diagnostics}};
    if (!r.report) return s;
    auto const& rep = *r.report;
    json violations = json::array();
    for (auto const& v : rep.violations) violations.push_back(violation_json(v));
    s.update({{"verdict", r.report->model_error ? std::string("model_error") : verdict_word(rep.result.verdict)},
              {"expected", rep.expectation.expected},
              {"actual", rep.expectation.actual},
              {"probabilistic", rep.options.hash_compact},
              {"states", rep.result.stats.states},
              {"transitions", rep.result.stats.transitions},
              {"max_depth", rep.result.stats.max_depth},
              {"peak_memory_bytes", rep.peak_memory_bytes},
              {"violations", violations}});
    return s;
}

std::string violation_key(json const& v) {
    return fmt::format("{} at {}:{} in {}()", v.value("kind", ""), v.value("file", ""), v.value("line", 0),
                       v.value("function", ""));
}

std::set<std::string> violation_keys(json const& scenario) {
    std::set<std::string> out;
    for (auto const& v : scenario.value("violations", json::array())) out.insert(violation_key(v));
    return out;
}

std::map<std::string, json> by_path(json const& summary) {
    std::map<std::string, json> out;
    for (auto const& s : summary.value("scenarios", json::array())) out[s.value("path", "")] = s;
    return out;
}

/// Percent change from `before` to `after`, or nullopt when it is within the threshold.
std::optional<double> moved(double before, double after, double threshold) {
    if (before <= 0) return std::nullopt;
    double percent = (after - before) / before * 100;
    return std::abs(percent) > threshold ? std::optional(percent) : std::nullopt;
}

void compare_scenario(std::string const& path, json const& now, json const& then, double state_threshold,
                      double time_threshold, BaselineDiff& d) {
    std::string was = then.value("status", ""), is = now.value("status", "");
    if (was != is) {
        d.lines.push_back(fmt::format("{}: {} -> {}", path, was, is));
        d.doc["status_changes"].push_back({{"scenario", path}, {"before", was}, {"after", is}});
    }
    auto before = violation_keys(then), after = violation_keys(now);
    for (auto const& k : after)
        if (!before.count(k)) {
            d.lines.push_back(fmt::format("{}: new violation {}", path, k));
            d.doc["new_violations"].push_back({{"scenario", path}, {"violation", k}});
        }
    for (auto const& k : before)
        if (!after.count(k)) {
            d.lines.push_back(fmt::format("{}: fixed violation {}", path, k));
            d.doc["fixed_violations"].push_back({{"scenario", path}, {"violation", k}});
        }
    double s0 = then.value("states", 0.0), s1 = now.value("states", 0.0);
    if (auto p = moved(s0, s1, state_threshold)) {
        d.lines.push_back(fmt::format("{}: states {:.0f} -> {:.0f} ({:+.1f}%)", path, s0, s1, *p));
        d.doc["state_changes"].push_back({{"scenario", path}, {"before", s0}, {"after", s1}, {"percent", *p}});
    }
    // Times under 0.1 s are mostly start-up noise.
    double t0 = then.value("seconds", 0.0), t1 = now.value("seconds", 0.0);
    if (std::max(t0, t1) >= 0.1)
        if (auto p = moved(t0, t1, time_threshold)) {
            d.lines.push_back(fmt::format("{}: time {:.2f} s -> {:.2f} s ({:+.1f}%)", path, t0, t1, *p));
            d.doc["time_changes"].push_back({{"scenario", path}, {"before", t0}, {"after", t1}, {"percent", *p}});
        }
}

}  // namespace

json render_nightly_json(std::vector<ScenarioResult> const& results, double seconds) {
    json scenarios = json::array();
    std::map<std::string, int> totals{{"pass", 0}, {"fail", 0}, {"incomplete", 0}, {"error", 0}};
    for (auto const& r : results) {
        scenarios.push_back(scenario_json(r));
        std::string word(status_word(r.status));
        ++totals[word == "FAIL" ? "fail" : word];
    }
    return {{"schema", 1},
            {"kind", "nightly"},
            {"tool", {{"name", "probecheck"}, {"version", PROBECHECK_VERSION}}},
            {"seconds", seconds},
            {"exit_code", nightly_exit_code(results)},
            {"totals", totals},
            {"scenarios", scenarios}};
}

BaselineDiff compare_with_baseline(json const& current, json const& baseline, double state_threshold,
                                   double time_threshold) {
    BaselineDiff d;
    d.doc = {{"state_threshold_percent", state_threshold}, {"time_threshold_percent", time_threshold},
             {"status_changes", json::array()},
             {"new_violations", json::array()},        {"fixed_violations", json::array()},
             {"state_changes", json::array()},          {"time_changes", json::array()},
             {"added_scenarios", json::array()},        {"removed_scenarios", json::array()}};
    auto now = by_path(current), then = by_path(baseline);
    for (auto const& [path, s] : now) {
        auto it = then.find(path);
        if (it == then.end()) {
            d.lines.push_back(fmt::format("{}: new scenario ({})", path, s.value("status", "")));
            d.doc["added_scenarios"].push_back(path);
        } else {
            compare_scenario(path, s, it->second, state_threshold, time_threshold, d);
        }
    }
    for (auto const& [path, s] : then)
        if (!now.count(path)) {
            d.lines.push_back(fmt::format("{}: no longer run", path));
            d.doc["removed_scenarios"].push_back(path);
        }
    return d;
}

}  // namespace probecheck::cli
