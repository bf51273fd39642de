// The live line nightly shows while a scenario runs: states, states/s, depth, memory,
// elapsed. Only on a terminal, never with NO_COLOR or --quiet, and always on stderr, so it
// never mixes into the table or the reports.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <iosfwd>
#include <mutex>
#include <string>
#include <thread>

#include "checker/search/options.hpp"

namespace probecheck::cli {

class ProgressLine {
public:
    /// `wanted`: the user did not ask for quiet; the line also needs a terminal and no NO_COLOR.
    ProgressLine(std::ostream& err, bool wanted);
    ~ProgressLine();
    ProgressLine(ProgressLine const&) = delete;
    ProgressLine& operator=(ProgressLine const&) = delete;

    /// Shows `label` with the figures `live` publishes, refreshed until stop().
    void start(std::string label, checker::SearchProgress const* live);
    /// Clears the line.
    void stop();
    [[nodiscard]] bool enabled() const { return enabled_; }

private:
    void refresh_until_stopped();
    [[nodiscard]] std::string line() const;

    std::ostream& err_;
    bool enabled_;
    std::string label_;
    checker::SearchProgress const* live_ = nullptr;
    std::chrono::steady_clock::time_point started_;
    std::mutex lock_;
    std::condition_variable wake_;
    bool running_ = false;
    std::thread painter_;
};

}  // namespace probecheck::cli
