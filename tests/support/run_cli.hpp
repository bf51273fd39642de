// Runs the built probecheck CLI from the source directory (so reported paths are relative)
// and captures its exit code, stdout and stderr. Used by the golden end-to-end tests.
#pragma once

#include <string>

namespace probecheck::test {

struct CliRun {
    int exit_code = -1;
    std::string out;
    std::string err;
};

/// Runs `probecheck ARGS` (ARGS is passed to the shell as written).
CliRun run_cli(std::string const& args);
/// Reads a file of the source tree ("" if missing).
std::string read_source_file(std::string const& relative);
/// Replaces the timing part of the statistics line so outputs compare across runs.
std::string normalize_output(std::string const& text);

}  // namespace probecheck::test
