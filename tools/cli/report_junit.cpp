// JUnit XML for nightly: one <testsuite> per scenario; in it one <testcase> "expect" (the
// scenario's own verdict against its expect lines) and one per property, which fails when the
// property's violations differ from the expected ones. A failure carries the traces.
// Incomplete scenarios are <skipped> (never a pass), scenarios that did not load <error>.
#include <fmt/format.h>

#include <set>

#include "properties/registry.hpp"
#include "tools/cli/nightly.hpp"

namespace probecheck::cli {
namespace {

std::string xml_escape(std::string_view s) {
    std::string out;
    for (char c : s) {
        switch (c) {
            case '&': out += "&amp;"; break;
            case '<': out += "&lt;"; break;
            case '>': out += "&gt;"; break;
            case '"': out += "&quot;"; break;
            case '\'': out += "&apos;"; break;
            default:
                // XML 1.0 has no representation for most control characters.
                if (static_cast<unsigned char>(c) >= 0x20 || c == '\n' || c == '\t') out += c;
        }
    }
    return out;
}

std::string join(std::set<std::string> const& items) {
    std::string out;
    for (auto const& i : items) out += (out.empty() ? "" : ", ") + i;
    return out.empty() ? "none" : out;
}

std::string class_name(std::string path) {
    if (path.size() > 6 && path.ends_with(".model")) path.resize(path.size() - 6);
    for (char& c : path)
        if (c == '/') c = '.';
    return path;
}

struct Case {
    std::string name;
    std::string failure;  ///< message; "" when it passed
    std::string body;
};

/// The property groups a scenario is judged on: every property, then "model" (model limits
/// and other kinds no property owns).
std::vector<std::pair<std::string, std::set<std::string>>> property_groups() {
    std::vector<std::pair<std::string, std::set<std::string>>> out;
    std::set<std::string> owned;
    for (auto const& p : properties::all_properties()) {
        std::set<std::string> ids;
        for (auto k : p.kinds) ids.insert(std::string(properties::violation_id(k)));
        owned.insert(ids.begin(), ids.end());
        out.emplace_back(std::string(p.name), std::move(ids));
    }
    std::set<std::string> rest;
    for (uint32_t k = 0; k < static_cast<uint32_t>(properties::ViolationKind::Count_); ++k) {
        std::string id(properties::violation_id(static_cast<properties::ViolationKind>(k)));
        if (!owned.count(id)) rest.insert(id);
    }
    out.emplace_back("model", std::move(rest));
    return out;
}

std::vector<Case> cases_of(ScenarioResult const& r) {
    std::vector<Case> out;
    out.push_back({"expect", r.status == ScenarioStatus::Fail ? r.detail : "", ""});
    if (!r.report) return out;
    for (auto const& [name, ids] : property_groups()) {
        std::set<std::string> expected, found;
        for (auto const& e : r.expects)
            if (ids.count(e)) expected.insert(e);
        Case c{name, "", ""};
        for (auto const& v : r.report->violations) {
            if (!ids.count(v.kind)) continue;
            found.insert(v.kind);
            if (!expected.count(v.kind)) c.body += render_violation_text(v) + "\n";
        }
        if (expected != found) c.failure = fmt::format("expected {}, found {}", join(expected), join(found));
        out.push_back(std::move(c));
    }
    return out;
}

void write_case(std::string& out, ScenarioResult const& r, Case const& c) {
    double time = c.name == "expect" ? r.seconds : 0.0;
    out += fmt::format("    <testcase classname=\"{}\" name=\"{}\" time=\"{:.3f}\"", xml_escape(class_name(r.path)),
                       xml_escape(c.name), time);
    if (r.status == ScenarioStatus::Error) {
        out += fmt::format(">\n      <error message=\"{}\">{}</error>\n    </testcase>\n", xml_escape(r.detail),
                           xml_escape(r.diagnostics));
    } else if (r.status == ScenarioStatus::Incomplete) {
        out += fmt::format(">\n      <skipped message=\"incomplete: {}\"/>\n    </testcase>\n", xml_escape(r.detail));
    } else if (!c.failure.empty()) {
        out += fmt::format(">\n      <failure message=\"{}\" type=\"expectation\">{}</failure>\n    </testcase>\n",
                           xml_escape(c.failure), xml_escape(c.body));
    } else {
        out += "/>\n";
    }
}

}  // namespace

std::string render_junit(std::vector<ScenarioResult> const& results) {
    std::string suites;
    size_t tests = 0, failures = 0, errors = 0;
    double total = 0;
    for (auto const& r : results) {
        auto cases = cases_of(r);
        size_t f = 0;
        for (auto const& c : cases) f += !c.failure.empty();
        size_t n = cases.size();
        size_t e = r.status == ScenarioStatus::Error ? n : 0, s = r.status == ScenarioStatus::Incomplete ? n : 0;
        if (e || s) f = 0;
        suites += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"{}\" skipped=\"{}\" "
                              "time=\"{:.3f}\">\n",
                              xml_escape(r.path), n, f, e, s, r.seconds);
        for (auto const& c : cases) write_case(suites, r, c);
        suites += "  </testsuite>\n";
        tests += n, failures += f, errors += e, total += r.seconds;
    }
    // <testsuites> takes no skipped count in the Jenkins schema: readers sum the suites'.
    return fmt::format("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"probecheck nightly\" "
                       "tests=\"{}\" failures=\"{}\" errors=\"{}\" time=\"{:.3f}\">\n{}</testsuites>\n",
                       tests, failures, errors, total, suites);
}

}  // namespace probecheck::cli
