#include "tests/support/run_cli.hpp"

#include <sys/wait.h>

#include <cstdio>
#include <fstream>
#include <regex>
#include <sstream>

namespace probecheck::test {
namespace {

std::string slurp(std::string const& path) {
    std::ifstream f(path, std::ios::binary);
    std::ostringstream ss;
    ss << f.rdbuf();
    return ss.str();
}

}  // namespace

CliRun run_cli(std::string const& args) {
    static int counter = 0;
    std::string err_path = "/tmp/probecheck_test_err_" + std::to_string(::getpid()) + "_" + std::to_string(counter++);
    std::string cmd = std::string("cd '") + PROBECHECK_SOURCE_DIR + "' && '" + PROBECHECK_CLI + "' " + args +
                      " 2>'" + err_path + "'";
    CliRun run;
    FILE* pipe = ::popen(cmd.c_str(), "r");
    if (!pipe) return run;
    char buffer[4096];
    size_t n;
    while ((n = std::fread(buffer, 1, sizeof buffer, pipe)) > 0) run.out.append(buffer, n);
    int status = ::pclose(pipe);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
    run.err = slurp(err_path);
    std::remove(err_path.c_str());
    return run;
}

std::string read_source_file(std::string const& relative) {
    return slurp(std::string(PROBECHECK_SOURCE_DIR) + "/" + relative);
}

std::string normalize_output(std::string const& text) {
    static std::regex const timing(R"(, [0-9.]+ s, [0-9]+ states/s, peak memory [0-9.]+ MiB)");
    return std::regex_replace(text, timing, ", <timing>");
}

}  // namespace probecheck::test
