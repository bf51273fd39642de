#include "tools/cli/progress_line.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cstdlib>
#include <ostream>

namespace probecheck::cli {

ProgressLine::ProgressLine(std::ostream& err, bool wanted)
    : err_(err), enabled_(wanted && ::isatty(STDERR_FILENO) != 0 && std::getenv("NO_COLOR") == nullptr) {}

ProgressLine::~ProgressLine() { stop(); }

void ProgressLine::start(std::string label, checker::SearchProgress const* live) {
    if (!enabled_) return;
    stop();
    label_ = std::move(label);
    live_ = live;
    started_ = std::chrono::steady_clock::now();
    running_ = true;
    painter_ = std::thread([this] { refresh_until_stopped(); });
}

void ProgressLine::stop() {
    if (!painter_.joinable()) return;
    {
        std::lock_guard guard(lock_);
        running_ = false;
    }
    wake_.notify_all();
    painter_.join();
    err_ << "\r\x1b[K" << std::flush;
}

void ProgressLine::refresh_until_stopped() {
    std::unique_lock guard(lock_);
    while (!wake_.wait_for(guard, std::chrono::milliseconds(250), [this] { return !running_; }))
        err_ << "\r\x1b[K" << line() << std::flush;
}

std::string ProgressLine::line() const {
    double elapsed = std::chrono::duration<double>(std::chrono::steady_clock::now() - started_).count();
    uint64_t states = live_->states.load(std::memory_order_relaxed);
    return fmt::format("{}  states {}  {:.0f}/s  depth {}  memory {:.0f} MiB  {:.1f} s", label_, states,
                       elapsed > 0 ? static_cast<double>(states) / elapsed : 0.0,
                       live_->max_depth.load(std::memory_order_relaxed),
                       static_cast<double>(live_->store_bytes.load(std::memory_order_relaxed)) / 1048576.0, elapsed);
}

}  // namespace probecheck::cli
