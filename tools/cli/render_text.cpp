// Text rendering, modelled on a kernel oops: a header with the message and location, the
// interleaving as a step table, then a `Call trace:` per involved thread, innermost first.
#include <fmt/format.h>

#include <algorithm>

#include "tools/cli/render.hpp"

namespace probecheck::cli {
namespace {

// The file name, with its directory when the name alone says little (each kernel
// version's encoding is a `module.model`).
std::string short_file(std::string const& path) {
    auto slash = path.rfind('/');
    if (slash == std::string::npos) return path;
    if (path.compare(slash + 1, std::string::npos, "module.model") != 0) return path.substr(slash + 1);
    auto parent = slash == 0 ? std::string::npos : path.rfind('/', slash - 1);
    return parent == std::string::npos ? path : path.substr(parent + 1);
}

std::string clip(std::string const& s, size_t width) {
    return s.size() <= width ? s : s.substr(0, width - 3) + "...";
}

std::string join_locks(std::vector<std::string> const& locks) {
    if (locks.empty()) return "-";
    std::string out;
    for (auto const& l : locks) out += (out.empty() ? "" : ", ") + l;
    return out;
}

void render_table(std::vector<StepRow> const& steps, std::string& out) {
    size_t tw = 6, fw = 13, sw = 9, aw = 6;
    for (auto const& s : steps) {
        tw = std::max(tw, s.thread_name.size());
        fw = std::max(fw, s.where.function.size() + 1 + std::to_string(s.where.line).size());
        sw = std::max(sw, std::min<size_t>(s.statement.size(), 40));
        aw = std::max(aw, std::min<size_t>(s.access.size(), 40));
    }
    out += fmt::format("  {:>4}  {:<{}}  {:<{}}  {:<{}}  {:<{}}  {}\n", "step", "thread", tw, "function:line", fw,
                       "statement", sw, "access", aw, "locks held");
    for (auto const& s : steps) {
        out += fmt::format("  {:>4}  {:<{}}  {:<{}}  {:<{}}  {:<{}}  {}\n", s.number, s.thread_name, tw,
                           s.where.function + ":" + std::to_string(s.where.line), fw, clip(s.statement, 40), sw,
                           clip(s.access, 40), aw, join_locks(s.locks_held));
    }
}

void render_steps(TraceView const& v, std::string& out) {
    if (v.steps.empty()) {
        out += "Trace: the initial state already violates the property (0 steps)\n";
        return;
    }
    out += fmt::format("Trace: {} step{}, replayed and confirmed\n", v.steps.size(), v.steps.size() == 1 ? "" : "s");
    render_table(v.steps, out);
}

void render_call_trace(CallTrace const& ct, std::string& out) {
    out += fmt::format("\nCall trace (thread '{}'):\n", ct.thread);
    for (auto const& f : ct.frames) {
        out += fmt::format(" {} ({}:{}:{})", f.function, short_file(f.file), f.line, f.column);
        out += f.kernel.empty() ? "\n" : fmt::format(" [{}]\n", f.kernel);
    }
    out += fmt::format(" <thread {}>\n", ct.thread);
}

void render_call_traces(TraceView const& v, std::string& out) {
    for (auto const& ct : v.call_traces) render_call_trace(ct, out);
}

// Like lockdep's "the existing dependency chain": one path per edge, each replayed.
void render_witnesses(TraceView const& v, std::string& out) {
    for (size_t i = 0; i < v.witnesses.size(); ++i) {
        auto const& w = v.witnesses[i];
        out += fmt::format("{}-> #{} {}: {} step{}, replayed and confirmed\n", i ? "\n" : "", i, w.label,
                           w.steps.size(), w.steps.size() == 1 ? "" : "s");
        render_table(w.steps, out);
        render_call_trace(w.call_trace, out);
    }
}

// The expect line's outcome; when it is not met, each expected kind and each extra one.
std::string render_expectation_text(properties::ExpectationCheck const& x) {
    if (!x.judged)
        return fmt::format("expect: {}: not judged: the search stopped at the first violation ({}); --all finds "
                           "every kind\n", x.expected, x.actual);
    std::string extra = x.extra.empty() ? "" : fmt::format(" (also found, as 'at least' allows: {})",
                                                           fmt::join(x.extra, ", "));
    if (x.met) return fmt::format("expect: {}: met{}\n", x.expected, x.at_least ? extra : "");
    std::string out = fmt::format("expect: {}: NOT MET (got {})\n", x.expected, x.actual);
    for (auto const& k : x.kinds) {
        std::string wanted = k.wanted ? fmt::format("{} distinct", k.wanted) : "one or more";
        out += fmt::format("  {:<20} {}: found {}{}\n", k.kind, k.met ? "met" : "NOT MET", k.found,
                           k.met ? "" : ", wanted " + wanted);
    }
    if (!x.at_least)
        for (auto const& k : x.extra) out += fmt::format("  {:<20} not expected\n", k);
    return out;
}

}  // namespace

std::string verdict_word(checker::Verdict v) {
    switch (v) {
        case checker::Verdict::Holds: return "holds";
        case checker::Verdict::Violated: return "violated";
        case checker::Verdict::Incomplete: return "incomplete";
    }
    return "incomplete";
}

std::string render_violation_text(TraceView const& v) {
    std::string out = v.property.empty() || v.property == v.kind
                          ? fmt::format("probecheck: VIOLATION [{}] {}\n", v.kind, v.message)
                          : fmt::format("probecheck: VIOLATION [{}/{}] {}\n", v.property, v.kind, v.message);
    if (!v.where.file.empty()) {
        out += v.thread.empty() && v.kind != "data_race"
                   ? fmt::format("  --> {}:{}:{} '{}'", v.where.file, v.where.line, v.where.column, v.where.function)
                   : fmt::format("  --> {}:{}:{} in {}()", v.where.file, v.where.line, v.where.column, v.where.function);
        out += v.thread.empty() ? "\n" : fmt::format(", thread '{}'\n", v.thread);
        out += fmt::format("{:>5} | {}\n", v.where.line, v.source_line);
    }
    out += '\n';
    if (!v.witnesses.empty()) {
        render_witnesses(v, out);
        return out;
    }
    render_steps(v, out);
    render_call_traces(v, out);
    return out;
}

std::string render_summary_text(Report const& r) {
    auto const& st = r.result.stats;
    std::string out;
    switch (r.result.verdict) {
        case checker::Verdict::Holds:
            out += fmt::format("verdict: holds for all {} states of {} thread{}: no violation\n", st.states,
                               r.threads.size(), r.threads.size() == 1 ? "" : "s");
            if (r.options.hash_compact)
                out += fmt::format("         probabilistic (--hash-compact): states were stored as 64-bit fingerprints; "
                                   "the chance that one was never explored is below {:.1e}\n",
                                   std::max(st.collision_bound, 1e-20));
            break;
        case checker::Verdict::Violated:
            if (r.model_error) {
                out += "verdict: model error: the model hit one of its own limits (see the trace); fix the model\n";
                break;
            }
            out += fmt::format("verdict: violated ({} violation{}{})\n", r.result.violations.size(),
                               r.result.violations.size() == 1 ? "" : "s",
                               r.options.all_violations ? "" : ", stopped at the first; --all finds every one");
            break;
        case checker::Verdict::Incomplete:
            out += fmt::format("verdict: incomplete: {}; nothing is proven\n", r.result.incomplete_reason);
            break;
    }
    if (r.expectation.present) out += render_expectation_text(r.expectation);
    if (!r.result.traces_not_shortest.empty())
        out += fmt::format("traces: the search's own, not always the shortest ({})\n", r.result.traces_not_shortest);
    double rate = st.seconds > 0 ? static_cast<double>(st.states) / st.seconds : 0.0;
    out += fmt::format("states: {} ({} bytes each), transitions: {}, max depth: {}, {:.3f} s, {:.0f} states/s, "
                       "peak memory {:.1f} MiB\n",
                       st.states, st.state_bytes, st.transitions, st.max_depth, st.seconds, rate,
                       static_cast<double>(r.peak_memory_bytes) / (1024.0 * 1024.0));
    return out;
}

}  // namespace probecheck::cli
