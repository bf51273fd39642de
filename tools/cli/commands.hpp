// The CLI's commands. This is the only layer that prints, reads command lines and picks exit
// codes: 0 holds, 1 violation, 2 model or input error, 3 incomplete, 4 usage, 70 internal.
#pragma once

#include <atomic>
#include <cstdint>
#include <iosfwd>
#include <string>
#include <vector>

namespace probecheck::checker {
struct SearchProgress;
}

namespace probecheck::cli {

enum ExitCode : int {
    kExitHolds = 0,
    kExitViolation = 1,
    kExitInputError = 2,
    kExitIncomplete = 3,
    kExitUsage = 4,
    kExitInternal = 70,
};

struct VerifyArgs {
    std::string model;
    std::string json_path;
    bool all = false;
    bool quiet = false;
    uint64_t max_states = 0;
    uint64_t max_memory_mib = 0;
    uint32_t max_depth = 0;
    uint32_t max_call_depth = 32;
    uint32_t max_recursion = 2;
    std::vector<std::string> faults;  ///< "alloc", "defer"
    uint32_t fault_budget = 1;
    std::vector<std::string> library_paths;  ///< -I: where imports are looked for
    std::vector<std::string> properties;     ///< --property: empty = all
    std::string por = "persistent";          ///< partial-order reduction: persistent | none
    bool por_check = false;                  ///< self-check every reduced state
    std::string proviso = "static";          ///< the reduction's cycle proviso: static | stack
    std::string fuse_steps = "on";           ///< fuse accesses that cannot interleave: on | off
    uint32_t workers = 0;                    ///< search threads; 0: one per core
    bool hash_compact = false;               ///< store fingerprints only (probabilistic)
    double max_seconds = 0;                  ///< time budget; 0: none
};

struct ReplayArgs {
    std::string trace_path;
    std::string model_override;
    size_t index = 0;
};

struct Report;
/// Loads `args.model`, explores it and replays every violation's trace into `report`.
/// 0, or the exit code of what stopped it (its diagnostics written to `err`).
int check_model(VerifyArgs const& args, Report& report, std::ostream& err, std::atomic<bool> const* cancel,
                checker::SearchProgress* progress = nullptr);
int run_verify(VerifyArgs const& args, std::ostream& out, std::ostream& err, std::atomic<bool> const* cancel);
int run_replay(ReplayArgs const& args, std::ostream& out, std::ostream& err);


/// Peak resident set size of this process, in bytes.
[[nodiscard]] size_t peak_memory_bytes();

}  // namespace probecheck::cli
