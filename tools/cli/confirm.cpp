#include "tools/cli/confirm.hpp"

#include "checker/trace/replay.hpp"
#include "properties/registry.hpp"
#include "properties/violation.hpp"

namespace probecheck::cli {
namespace {

std::optional<TraceView> confirm_witnesses(model::CompiledSystem const& sys, model::SourceManager const& sources,
                                           std::span<checker::Monitor const* const> monitors,
                                           checker::FoundViolation const& v, std::string& problem) {
    TraceView view = header_view(v.info);
    if (v.info.thread != UINT32_MAX) view.thread = sys.thread_name(v.info.thread);
    for (auto const& w : v.witnesses) {
        auto replayed = checker::replay(sys, monitors, w.trace);
        bool takes_lock = !replayed.accesses.empty() && replayed.accesses.back().kind == checker::Access::Kind::Lock;
        if (!replayed.valid || !takes_lock || replayed.reproduced) {
            problem = "witness '" + w.label + "' does not replay to its lock acquisition: " + replayed.problem;
            return std::nullopt;
        }
        view.witnesses.push_back(build_witness_view(sys, sources, w, replayed));
        if (view.witnesses.size() == 1 && !w.trace.steps.empty()) {  // the header shows the first lock taken
            auto const& last = view.witnesses.front().steps.back();
            view.where = last.where;
            auto stack = sys.call_stack(replayed.states.rbegin()[1], last.thread);
            if (!stack.empty()) view.source_line = std::string(sources.line_text(stack.front().loc.file, last.where.line));
        }
    }
    return view;
}

}  // namespace

std::optional<TraceView> confirm_violation(model::CompiledSystem const& sys, model::SourceManager const& sources,
                                           std::span<checker::Monitor const* const> monitors,
                                           checker::FoundViolation const& v, std::string& problem) {
    if (!v.witnesses.empty()) return confirm_witnesses(sys, sources, monitors, v, problem);
    auto replayed = checker::replay(sys, monitors, v.trace, v.info.kind);
    if (!replayed.valid || !replayed.reproduced || replayed.violation.kind != v.info.kind) {
        problem = replayed.problem.empty() ? "the trace does not end in the same violation" : replayed.problem;
        return std::nullopt;
    }
    return build_trace_view(sys, sources, v.trace, replayed);
}

}  // namespace probecheck::cli
