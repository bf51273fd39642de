// Renderers for verify/replay results: kernel-log style text and the schema-1 JSON document
// (format documented in tools/cli/JSON.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>

#include "model/frontend.hpp"
#include "properties/expectation.hpp"
#include "tools/cli/trace_view.hpp"

namespace probecheck::cli {

/// Everything `verify` reports, ready to render.
struct Report {
    std::string model;
    std::vector<std::string> threads;
    checker::SearchOptions options;
    model::bc::FaultOptions faults;
    model::LoadOptions load;  ///< how the model was loaded: replay loads it the same way
    checker::SearchResult result;
    std::vector<TraceView> violations;
    size_t peak_memory_bytes = 0;
    properties::ExpectationCheck expectation;
    std::vector<std::string> expects;  ///< the model's expect ids ("holds", "incomplete", kinds)
    bool model_error = false;  ///< a violation is a model limit (pool too small, ...): exit 2
};

[[nodiscard]] std::string render_violation_text(TraceView const& v);
[[nodiscard]] std::string render_summary_text(Report const& r);
[[nodiscard]] nlohmann::json render_json(Report const& r);
[[nodiscard]] std::string verdict_word(checker::Verdict v);

}  // namespace probecheck::cli
