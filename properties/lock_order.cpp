#include "properties/lock_order.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <boost/graph/adjacency_list.hpp>
#include <boost/graph/hawick_circuits.hpp>

#include "properties/violation.hpp"

namespace probecheck::properties {
namespace {

using Graph = boost::adjacency_list<boost::vecS, boost::vecS, boost::directedS>;

struct CycleCollector {
    std::vector<uint32_t> const& class_of_vertex;
    std::vector<std::vector<uint32_t>>& out;

    template <typename Path, typename G>
    void cycle(Path const& p, G const&) {
        if (out.size() >= LockOrderObserver::kMaxCycles || p.size() < 2) return;
        std::vector<uint32_t> c;
        for (auto v : p) c.push_back(class_of_vertex[v]);
        out.push_back(std::move(c));
    }
};

// The same cycle found from another start is one cycle: rotate it to start at its smallest class.
std::vector<uint32_t> canonical(std::vector<uint32_t> c) {
    std::rotate(c.begin(), std::min_element(c.begin(), c.end()), c.end());
    return c;
}

}  // namespace

bool LockOrderObserver::on_lock(checker::TransitionSystem const& sys, checker::ConstStateView before,
                                checker::StateRef before_ref, checker::Step step, checker::Access const& access) {
    if (access.value == 1) return false;  // trylock never waits, so lockdep adds no dependency
    uint32_t acquired = sys.lock_class(access.slot);
    if (acquired == UINT32_MAX) return false;
    held_.clear();
    sys.held_locks(before, step.thread, held_);
    bool kept = false;
    for (uint32_t slot : held_) {
        uint32_t held = sys.lock_class(slot);
        if (held != UINT32_MAX) kept |= edges_.try_emplace({held, acquired}, EdgeWitness{before_ref, step}).second;
    }
    return kept;
}

std::unique_ptr<checker::StepObserver> LockOrderObserver::fork() const { return std::make_unique<LockOrderObserver>(); }

// An edge both saw keeps this observer's witness: joining forks in worker order is
// deterministic for a given schedule.
void LockOrderObserver::join(checker::StepObserver const& other) {
    for (auto const& [edge, witness] : dynamic_cast<LockOrderObserver const&>(other).edges_) edges_.try_emplace(edge, witness);
}

std::vector<std::pair<uint32_t, uint32_t>> LockOrderObserver::edges() const {
    std::vector<std::pair<uint32_t, uint32_t>> out;
    for (auto const& [e, w] : edges_) out.push_back(e);
    return out;
}

std::vector<std::vector<uint32_t>> LockOrderObserver::cycles() const {
    std::vector<std::vector<uint32_t>> out;
    std::vector<uint32_t> class_of_vertex;
    std::map<uint32_t, uint32_t> vertex_of_class;
    auto vertex = [&](uint32_t cls) {
        auto [it, added] = vertex_of_class.try_emplace(cls, static_cast<uint32_t>(class_of_vertex.size()));
        if (added) class_of_vertex.push_back(cls);
        return it->second;
    };
    Graph g;
    for (auto const& [e, w] : edges_) {
        if (e.first == e.second) {
            out.push_back({e.first});  // same-class nesting
            continue;
        }
        boost::add_edge(vertex(e.first), vertex(e.second), g);
    }
    if (boost::num_vertices(g) > 0) boost::hawick_unique_circuits(g, CycleCollector{class_of_vertex, out});
    for (auto& c : out) c = canonical(c);
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    if (out.size() > kMaxCycles) out.resize(kMaxCycles);
    return out;
}

checker::FoundViolation LockOrderObserver::violation_for(checker::TransitionSystem const& sys, PathFn const& path,
                                                         std::vector<uint32_t> const& cycle) const {
    checker::FoundViolation v;
    v.info.kind = static_cast<uint32_t>(ViolationKind::LockOrder);
    std::string chain;
    uint64_t site = 0xcbf29ce484222325ull;
    for (uint32_t cls : cycle) {
        chain += "'" + sys.lock_class_name(cls) + "' -> ";
        site = (site ^ cls) * 0x100000001b3ull;
    }
    chain += "'" + sys.lock_class_name(cycle.front()) + "'";
    v.info.message = cycle.size() == 1
                         ? fmt::format("possible recursive locking: two locks of class '{}' nested; lockdep sees one "
                                       "class and cannot order them",
                                       sys.lock_class_name(cycle.front()))
                         : fmt::format("possible circular locking dependency: {}", chain);
    v.info.site = site;
    for (size_t i = 0; i < cycle.size(); ++i) {
        uint32_t from = cycle[i], to = cycle[(i + 1) % cycle.size()];
        EdgeWitness const& w = edges_.at({from, to});
        if (i == 0) v.info.thread = w.step.thread;  // the header names the first edge's thread
        v.witnesses.push_back({fmt::format("'{}' held, then '{}' taken by thread '{}'", sys.lock_class_name(from),
                                           sys.lock_class_name(to), sys.thread_name(w.step.thread)),
                               path(w.before, w.step)});
    }
    v.trace = v.witnesses.front().trace;
    return v;
}

void LockOrderObserver::finish(checker::TransitionSystem const& sys, PathFn const& path,
                               std::vector<checker::FoundViolation>& out) {
    for (auto const& c : cycles()) out.push_back(violation_for(sys, path, c));
}

}  // namespace probecheck::properties
