// TraceView: everything a renderer shows about one violation, as plain data built from a
// replayed trace. Text and JSON are two views of the same TraceView, so they never disagree.
#pragma once

#include <string>
#include <vector>

#include "checker/search/options.hpp"
#include "checker/search/step_observer.hpp"
#include "checker/trace/replay.hpp"
#include "model/compiled_system.hpp"

namespace probecheck::cli {

struct Location {
    std::string file;
    uint32_t line = 0;
    uint32_t column = 0;
    std::string function;
    std::string kernel;  ///< @kernel provenance of the function, if any
};

struct StepRow {
    uint32_t number = 0;
    uint32_t thread = 0;
    uint32_t choice = 0;
    std::string thread_name;
    Location where;
    std::string statement;
    std::string access;                   ///< "read gpu.iommu == NULL", "" for a failing step
    std::vector<std::string> locks_held;  ///< by the stepping thread, after the step
};

struct CallTrace {
    std::string thread;
    std::vector<Location> frames;  ///< innermost first
};

/// One witness path of a violation several paths prove (a lock-order cycle's edges).
struct WitnessView {
    std::string label;
    std::vector<StepRow> steps;
    CallTrace call_trace;
};

struct TraceView {
    std::string kind;      ///< stable id: "deadlock", "null_deref", ...
    std::string property;  ///< the property the kind belongs to: "memory", "races", ...
    std::string title;
    std::string message;
    std::string thread;    ///< failing thread ("" if none)
    Location where;        ///< failing instruction
    std::string source_line;
    bool ends_at_state = false;
    std::vector<StepRow> steps;
    std::vector<CallTrace> call_traces;
    std::vector<WitnessView> witnesses;  ///< non-empty: `steps` is empty and these prove it
};

/// Kind, title, property and message of a violation: the header every view starts with.
[[nodiscard]] TraceView header_view(checker::ViolationInfo const& info);

/// Builds the view of a violation whose trace replayed and reproduced.
[[nodiscard]] TraceView build_trace_view(model::CompiledSystem const& sys, model::SourceManager const& sources,
                                         checker::Trace const& trace, checker::ReplayedTrace const& replayed);

/// The step table of a replayed trace; `last_fails`: the last step raised the violation.
[[nodiscard]] std::vector<StepRow> step_rows(model::CompiledSystem const& sys, model::SourceManager const& sources,
                                             checker::Trace const& trace, checker::ReplayedTrace const& replayed,
                                             bool last_fails, std::string const& kind);

/// A witness path, replayed; its last step is the one that took the edge's second lock.
[[nodiscard]] WitnessView build_witness_view(model::CompiledSystem const& sys, model::SourceManager const& sources,
                                             checker::Witness const& witness, checker::ReplayedTrace const& replayed);

/// file:line:col of a model location.
[[nodiscard]] Location locate(model::SourceManager const& sources, model::SourceLoc loc, std::string function);

}  // namespace probecheck::cli
