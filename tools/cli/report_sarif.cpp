// SARIF 2.1.0 for nightly: one result per violation found, located at its failing statement
// in the model file, with the trace as a code flow; violations a scenario expects (its
// `expect` line) are results suppressed in source, so code-scanning UIs show only what is
// unexpected. A scenario that did not meet its expectation without a violation to show, that
// a budget cut short, or that did not load, is a result at its expect line (or line 1).
#include <fmt/format.h>

#include <algorithm>
#include <regex>

#include "properties/registry.hpp"
#include "tools/cli/nightly.hpp"

namespace probecheck::cli {
namespace {

using nlohmann::json;

json location(std::string const& file, uint32_t line, uint32_t column, std::string const& message = "") {
    json region = {{"startLine", std::max(line, 1u)}};
    if (column > 0) region["startColumn"] = column;
    bool absolute = !file.empty() && file[0] == '/';
    json artifact = absolute ? json{{"uri", "file://" + file}} : json{{"uri", file}, {"uriBaseId", "%SRCROOT%"}};
    json loc = {{"physicalLocation", {{"artifactLocation", artifact}, {"region", region}}}};
    if (!message.empty()) loc["message"] = {{"text", message}};
    return loc;
}

json code_flow(TraceView const& v) {
    json steps = json::array();
    for (auto const& s : v.steps) {
        std::string text = fmt::format("#{} {}: {}", s.number, s.thread_name, s.statement);
        if (!s.access.empty()) text += " (" + s.access + ")";
        steps.push_back({{"location", location(s.where.file, s.where.line, s.where.column, text)}});
    }
    return {{"threadFlows", json::array({{{"locations", steps}}})}};
}

json violation_result(ScenarioResult const& r, TraceView const& v) {
    json result = {{"ruleId", v.kind},
                   {"level", "error"},
                   {"message", {{"text", fmt::format("{}: {} (scenario {})", v.title, v.message, r.path)}}},
                   {"locations", json::array({location(v.where.file, v.where.line, v.where.column)})},
                   {"properties", {{"scenario", r.path}, {"property", v.property}}}};
    if (!v.steps.empty()) result["codeFlows"] = json::array({code_flow(v)});
    if (std::find(r.expects.begin(), r.expects.end(), v.kind) != r.expects.end())
        result["suppressions"] = json::array(
            {{{"kind", "inSource"}, {"justification", "the scenario expects it: expect violation " + v.kind}}});
    return result;
}

/// Where a scenario-level result points: the first diagnostic's location if it did not load,
/// else its first `expect` line.
json scenario_location(ScenarioResult const& r) {
    std::smatch m;
    static std::regex const diagnostic(R"(^([^:\n]+):(\d+):(\d+): error)");
    if (std::regex_search(r.diagnostics, m, diagnostic))
        return location(m[1], static_cast<uint32_t>(std::stoul(m[2])), static_cast<uint32_t>(std::stoul(m[3])));
    return location(r.path, r.expect_line, 0);
}

std::optional<json> scenario_result(ScenarioResult const& r) {
    std::string rule, level;
    switch (r.status) {
        case ScenarioStatus::Pass: return std::nullopt;
        case ScenarioStatus::Fail: rule = "expectation_not_met", level = "error"; break;
        case ScenarioStatus::Incomplete: rule = "incomplete", level = "warning"; break;
        case ScenarioStatus::Error: rule = "input_error", level = "error"; break;
    }
    std::string text = r.detail + (r.diagnostics.empty() ? "" : "\n" + r.diagnostics);
    return json{{"ruleId", rule},
                {"level", level},
                {"message", {{"text", fmt::format("{}: {}", r.path, text)}}},
                {"locations", json::array({scenario_location(r)})},
                {"properties", {{"scenario", r.path}}}};
}

json rules() {
    json out = json::array();
    for (uint32_t k = 0; k < static_cast<uint32_t>(properties::ViolationKind::Count_); ++k) {
        auto kind = static_cast<properties::ViolationKind>(k);
        out.push_back({{"id", std::string(properties::violation_id(kind))},
                       {"shortDescription", {{"text", std::string(properties::violation_title(kind))}}},
                       {"properties", {{"property", std::string(properties::property_of(kind))}}}});
    }
    out.push_back({{"id", "expectation_not_met"},
                   {"shortDescription", {{"text", "a scenario's verdict differs from its expect lines"}}}});
    out.push_back({{"id", "incomplete"},
                   {"shortDescription", {{"text", "a budget stopped the scenario before it was decided"}}}});
    out.push_back({{"id", "input_error"}, {"shortDescription", {{"text", "the scenario could not be checked"}}}});
    return out;
}

}  // namespace

json render_sarif(std::vector<ScenarioResult> const& results) {
    json out = json::array();
    for (auto const& r : results) {
        if (r.report)
            for (auto const& v : r.report->violations) out.push_back(violation_result(r, v));
        bool shown_by_violation = r.status == ScenarioStatus::Fail && r.report && !r.report->violations.empty();
        if (!shown_by_violation)
            if (auto s = scenario_result(r)) out.push_back(*s);
    }
    bool clean = std::none_of(results.begin(), results.end(),
                              [](auto const& r) { return r.status == ScenarioStatus::Error; });
    json driver = {{"name", "probecheck"}, {"semanticVersion", PROBECHECK_VERSION}, {"rules", rules()}};
    return {{"$schema", "https://json.schemastore.org/sarif-2.1.0.json"},
            {"version", "2.1.0"},
            {"runs", json::array({{{"tool", {{"driver", driver}}},
                                   {"invocations", json::array({{{"executionSuccessful", clean}}})},
                                   {"columnKind", "unicodeCodePoints"},
                                   {"results", out}}})}};
}

}  // namespace probecheck::cli
