// Stopping the parallel search: a cancel request (Ctrl-C) and a state bound both end it
// promptly on every worker, with an "incomplete" verdict and the statistics so far.
#include <catch2/catch.hpp>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>

#include "checker/search/dfs.hpp"
#include "model/frontend.hpp"

using namespace probecheck;

namespace {

// Nine philosophers with ordered forks, every access a step of its own (fused, each meal is
// two steps): about 2.3 million states, far more than the test waits for.
std::string philosophers() {
    std::string text;
    for (int i = 0; i < 9; ++i) text += "mutex f" + std::to_string(i) + "; int m" + std::to_string(i) + ";\n";
    for (int i = 0; i < 9; ++i) {
        int a = std::min(i, (i + 1) % 9), b = std::max(i, (i + 1) % 9);
        std::string n = std::to_string(i);
        text += "void p" + n + "() { lock(f" + std::to_string(a) + "); lock(f" + std::to_string(b) + "); m" + n +
                " = m" + n + " + 1; unlock(f" + std::to_string(b) + "); unlock(f" + std::to_string(a) + "); }\n";
        text += "thread t" + n + ": p" + n + "();\n";
    }
    return text;
}

}  // namespace

TEST_CASE("parallel: a cancel request stops every worker with the counts so far", "[checker][parallel]") {
    model::SourceManager sm;
    model::LoadOptions unfused;
    unfused.fuse_steps = false;
    auto loaded = model::load_model_text("p.model", philosophers(), sm, unfused);
    REQUIRE(loaded.system);
    std::atomic<bool> cancel{false};
    checker::SearchOptions o;
    o.workers = 4;
    o.reduce = false;
    o.cancel = &cancel;
    std::thread stopper([&] {
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        cancel = true;
    });
    auto start = std::chrono::steady_clock::now();
    auto r = checker::explore(*loaded.system, {}, o);
    stopper.join();
    CHECK(r.verdict == checker::Verdict::Incomplete);
    CHECK(r.incomplete_reason == "interrupted");
    CHECK(r.stats.states > 0);
    CHECK(r.stats.states < 2284608);
    CHECK(std::chrono::steady_clock::now() - start < std::chrono::seconds(2));  // promptly, not at the end
}

TEST_CASE("parallel: a state bound stops every worker", "[checker][parallel]") {
    model::SourceManager sm;
    model::LoadOptions unfused;
    unfused.fuse_steps = false;
    auto loaded = model::load_model_text("p.model", philosophers(), sm, unfused);
    REQUIRE(loaded.system);
    checker::SearchOptions o;
    o.workers = 4;
    o.reduce = false;
    o.max_states = 50000;
    auto r = checker::explore(*loaded.system, {}, o);
    CHECK(r.verdict == checker::Verdict::Incomplete);
    CHECK(r.incomplete_reason == "state bound reached (--max-states 50000)");
    CHECK(r.stats.states >= 50000);
    CHECK(r.stats.states < 50000 + 4 * 256 * 64);  // each worker overshoots by at most one check interval
}
