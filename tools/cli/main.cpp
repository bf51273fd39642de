// probecheck command line: `verify`, `replay`, `--help`, `--version`.
#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#include "properties/registry.hpp"
#include "tools/cli/commands.hpp"
#include "tools/cli/nightly.hpp"

namespace {

std::atomic<bool> g_interrupted{false};

void on_interrupt(int) { g_interrupted.store(true); }

}  // namespace

int main(int argc, char** argv) {
    using namespace probecheck::cli;
    CLI::App app{"probecheck: exhaustive interleaving model checker for the Linux device-probe paths"};
    app.set_version_flag("--version", std::string("probecheck ") + PROBECHECK_VERSION);
    app.require_subcommand(1);

    VerifyArgs verify;
    auto* v = app.add_subcommand("verify", "explore every interleaving of a model's threads");
    v->add_option("model", verify.model, "model file (.model); - reads it from standard input")->required();
    v->add_option("--json", verify.json_path,
                  "write the whole result (verdict, statistics, traces) as JSON; - for standard output");
    v->add_flag("--all", verify.all, "keep going after the first violation; report each distinct one once");
    v->add_option("--por", verify.por, "partial-order reduction: persistent (default) or none")
        ->check(CLI::IsMember({"persistent", "none"}));
    v->add_option("--proviso", verify.proviso,
                  "how the reduction avoids ignoring a thread on a cycle: static (default; a reduced step "
                  "taking a loop's back edge expands fully, the same states for any --workers) or stack")
        ->check(CLI::IsMember({"static", "stack"}));
    v->add_option("--fuse-steps", verify.fuse_steps,
                  "on (default): reads of data nothing writes and accesses to objects not yet published join the "
                  "step before them; off: each is a step of its own")
        ->check(CLI::IsMember({"on", "off"}));
    v->add_option("--workers", verify.workers, "search threads (default: one per core)")->check(CLI::Range(1u, 256u));
    v->add_flag("--por-check", verify.por_check,
                "also run every other step at each reduced state and check it commutes with the chosen one");
    v->add_option("--max-states", verify.max_states, "stop after N distinct states (verdict: incomplete)");
    v->add_option("--max-memory", verify.max_memory_mib,
                  "stop when the visited store reaches N MiB (verdict: incomplete, with the counts so far)");
    v->add_flag("--hash-compact", verify.hash_compact,
                "store 64-bit fingerprints instead of states: far less memory; a 'holds' verdict becomes probabilistic");
    v->add_option("--max-seconds", verify.max_seconds, "stop after N seconds (verdict: incomplete)");
    v->add_option("--max-depth", verify.max_depth, "do not go deeper than N steps (verdict: incomplete if cut)");
    v->add_option("--max-call-depth", verify.max_call_depth, "bound on call chains (default 32)");
    v->add_option("--max-recursion", verify.max_recursion,
                  "occurrences of one function in a call chain (default 2: it may re-enter itself once)");
    v->add_flag("-q,--quiet", verify.quiet, "print only the verdict and statistics");
    v->add_option("--faults", verify.faults, "inject faults: alloc (kzalloc returns NULL), defer (may_defer() is true)")
        ->delimiter(',')
        ->allow_extra_args(false)  // one value per occurrence: never the model path after it
        ->check(CLI::IsMember({"alloc", "defer"}));
    v->add_option("--fault-budget", verify.fault_budget, "at most N faults per execution (default 1)");
    v->add_option("-I,--import-path", verify.library_paths, "look for imports in DIR (before the built-in library)")
        ->allow_extra_args(false);
    v->add_option("--property", verify.properties,
                  "check only these properties: " + probecheck::properties::property_names() + " (default: all)")
        ->delimiter(',')
        ->allow_extra_args(false);

    NightlyArgs nightly;
    auto* n = app.add_subcommand("nightly", "check every scenario against its expect lines; CI reports");
    n->add_option("paths", nightly.paths, "scenario files or directories (default: examples)");
    n->add_option("--junit", nightly.junit_path, "write JUnit XML: one testcase per scenario and property");
    n->add_option("--sarif", nightly.sarif_path, "write SARIF 2.1.0: results located in the model files");
    n->add_option("--json", nightly.json_path, "write a JSON summary (the input of a later --baseline)");
    n->add_option("--baseline", nightly.baseline_path, "compare with an earlier --json summary");
    n->add_option("--threshold", nightly.threshold_percent,
                  "percent change in states the baseline comparison reports (default 10)");
    n->add_option("--time-threshold", nightly.time_threshold_percent,
                  "percent change in time it reports (default 50; times under 0.1 s are ignored)");
    n->add_option("--max-seconds", nightly.max_seconds, "per-scenario time budget (a scenario's ARGS line wins)");
    n->add_option("--max-states", nightly.max_states, "per-scenario state budget");
    n->add_option("--max-memory", nightly.max_memory_mib, "per-scenario visited-store budget in MiB");
    n->add_option("--workers", nightly.workers, "search threads (default: one per core)")->check(CLI::Range(1u, 256u));
    n->add_option("-I,--import-path", nightly.library_paths, "look for imports in DIR (before the built-in library)")
        ->allow_extra_args(false);
    n->add_flag("-q,--quiet", nightly.quiet, "no live progress line");

    ReplayArgs replay;
    auto* r = app.add_subcommand("replay", "re-execute a trace written by verify --json and confirm it");
    r->add_option("trace", replay.trace_path, "JSON file written by verify --json")->required();
    r->add_option("--model", replay.model_override, "model to replay on (default: the one the trace names)");
    r->add_option("--index", replay.index, "which violation of the file (default 0)");

    try {
        app.parse(argc, argv);
    } catch (CLI::Success const& e) {
        return app.exit(e);
    } catch (CLI::ParseError const& e) {
        app.exit(e);
        return kExitUsage;
    }
    std::signal(SIGINT, on_interrupt);
    try {
        if (*v) return run_verify(verify, std::cout, std::cerr, &g_interrupted);
        if (*n) return run_nightly(nightly, std::cout, std::cerr, &g_interrupted);
        return run_replay(replay, std::cout, std::cerr);
    } catch (std::exception const& e) {
        std::cerr << "probecheck: internal error: " << e.what() << '\n';
        return kExitInternal;
    }
}
