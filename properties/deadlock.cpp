#include "properties/deadlock.hpp"

#include <fmt/format.h>

#include "checker/state/hash.hpp"
#include "properties/violation.hpp"

namespace probecheck::properties {

void DeadlockMonitor::on_state(checker::TransitionSystem const& sys, checker::ConstStateView s,
                               checker::StateKind kind, std::vector<checker::ViolationInfo>& found) const {
    if (kind != checker::StateKind::Deadend) return;
    checker::ViolationInfo& out = found.emplace_back();
    auto waits = sys.waits(s);
    std::string message;
    uint64_t site = 0;
    for (auto const& w : waits) {
        if (!message.empty()) message += "; ";
        message += fmt::format("thread '{}' waits for '{}'", sys.thread_name(w.thread), w.resource);
        if (w.owner != UINT32_MAX) message += fmt::format(" held by thread '{}'", sys.thread_name(w.owner));
        site = site * 1000003u + std::hash<std::string>{}(w.resource) + w.thread;
    }
    if (waits.empty()) message = "no thread can move and some have not finished";
    out.kind = static_cast<uint32_t>(ViolationKind::Deadlock);
    out.thread = waits.empty() ? UINT32_MAX : waits.front().thread;
    out.message = "deadlock: " + message;
    out.site = site;
}

}  // namespace probecheck::properties
