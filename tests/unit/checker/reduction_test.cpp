// Partial-order reduction on hand-made models whose reduced graphs are known exactly.
#include <catch2/catch.hpp>

#include "checker/search/dfs.hpp"
#include "model/frontend.hpp"

using namespace probecheck;

namespace {

checker::SearchResult run(std::string const& text, bool reduce) {
    model::SourceManager sm;
    auto loaded = model::load_model_text("r.model", text, sm, {});
    REQUIRE(loaded.system);
    checker::SearchOptions o;
    o.all_violations = true;
    o.reduce = reduce;
    o.check_reduction = reduce;
    return checker::explore(*loaded.system, {}, o);
}

}  // namespace

TEST_CASE("reduction: independent writers explore one interleaving", "[checker][reduction]") {
    std::string const text = "int x; int y; void a() { x = 1; } void b() { y = 1; } thread ta: a(); thread tb: b();";
    CHECK(run(text, false).stats.states == 4);  // the diamond
    auto reduced = run(text, true);
    CHECK(reduced.stats.states == 3);  // a line: ta's write, then tb's
    CHECK(reduced.stats.transitions == 2);
    CHECK(reduced.stats.reduced_states == 1);  // the initial state; then only tb can move
}

TEST_CASE("reduction: dependent accesses are never reduced", "[checker][reduction]") {
    std::string const text = "int x; void a() { x = 1; } void b() { x = 2; } thread ta: a(); thread tb: b();";
    CHECK(run(text, true).stats.states == run(text, false).stats.states);
}

TEST_CASE("reduction: n independent threads go from 2^n states to n + 1", "[checker][reduction]") {
    std::string text;
    for (int i = 0; i < 8; ++i) text += "int x" + std::to_string(i) + "; void f" + std::to_string(i) + "() { x" +
                                        std::to_string(i) + " = 1; } thread t" + std::to_string(i) + ": f" +
                                        std::to_string(i) + "();\n";
    CHECK(run(text, false).stats.states == 256);
    CHECK(run(text, true).stats.states == 9);
}

TEST_CASE("reduction: a step an invariant reads is visible and keeps its interleavings", "[checker][reduction]") {
    std::string const text = "int x; int y; void a() { x = 1; } void b() { y = 1; } thread ta: a(); thread tb: b();"
                             "invariant not_both { !(x == 1 && y == 0) }";
    auto full = run(text, false), reduced = run(text, true);
    CHECK(reduced.stats.states == full.stats.states);
    CHECK(reduced.violations.size() == full.violations.size());
}

TEST_CASE("reduction: a failing step is never the whole persistent set", "[checker][reduction]") {
    // ta fails at once; tb's assertion fails only after tb's own write: both must be found.
    std::string const text = "int x; int y; void a() { assert(x == 1, \"a\"); } "
                             "void b() { y = 1; assert(y == 0, \"b\"); } thread ta: a(); thread tb: b();";
    CHECK(run(text, true).violations.size() == 2);
}

namespace {

checker::SearchResult run_with(std::string const& text, checker::SearchOptions::Proviso proviso, uint32_t workers) {
    model::SourceManager sm;
    auto loaded = model::load_model_text("r.model", text, sm, {});
    REQUIRE(loaded.system);
    checker::SearchOptions o;
    o.all_violations = true;
    o.check_reduction = workers == 1;
    o.proviso = proviso;
    o.workers = workers;
    o.shortest_traces = false;
    return checker::explore(*loaded.system, {}, o);
}

constexpr auto kStatic = checker::SearchOptions::Proviso::Static;
constexpr auto kStack = checker::SearchOptions::Proviso::Stack;

}  // namespace

TEST_CASE("reduction: a thread cycling alone does not hide another's failure (the proviso)", "[checker][reduction]") {
    // ta's steps are independent of tb's and ta never ends: without a cycle proviso the
    // reduced search would follow ta round its loop for ever and never run tb.
    std::string const text = "int x; int y; void a() { while (true) { x = 1 - x; } } "
                             "void b() { y = 1; assert(y == 0, \"b ran\"); } thread ta: a(); thread tb: b();";
    for (auto proviso : {kStatic, kStack})
        for (uint32_t workers : {1u, 2u}) {
            INFO("proviso " << static_cast<int>(proviso) << ", " << workers << " workers");
            auto r = run_with(text, proviso, workers);
            REQUIRE(r.violations.size() == 1);
            CHECK(r.violations[0].info.message.find("b ran") != std::string::npos);
        }
    // The static proviso expands fully wherever ta takes its back edge: every state here.
    CHECK(run_with(text, kStatic, 1).stats.states == run(text, false).stats.states);
}

TEST_CASE("reduction: a for-each loop's back edge leaves the state reduced", "[checker][reduction]") {
    std::string const decls = "struct dev { int probed; }; struct dev d0; struct dev d1; struct dev d2; int y; "
                              "void other() { y = 1; } thread tw: walk(); thread to: other();";
    std::string const bounded = decls + "void walk() { for each d in dev { d->probed = 1; } }";
    // The same walk as a while loop: its back edge may close a cycle, so it expands fully.
    std::string const unbounded =
        decls + "void walk() { int i = 0; while (i < 3) { if (i == 0) d0.probed = 1; if (i == 1) d1.probed = 1; "
                "if (i == 2) d2.probed = 1; i = i + 1; } }";
    CHECK(run(bounded, false).stats.states == 8);
    CHECK(run_with(bounded, kStatic, 1).stats.states == 5);  // a line: the three writes, then y
    CHECK(run_with(bounded, kStatic, 2).stats.states == 5);
    CHECK(run_with(unbounded, kStatic, 1).stats.states == run(unbounded, false).stats.states);
    CHECK(run_with(unbounded, kStack, 1).stats.states == 5);  // the stack proviso sees no cycle
}

TEST_CASE("reduction: the static proviso explores one graph for any number of workers", "[checker][reduction]") {
    std::string const text = "int x; int y; mutex m; void a() { lock(m); x = 1; unlock(m); y = 2; } "
                             "void b() { while (x == 0) { } lock(m); x = 2; unlock(m); } "
                             "void c() { y = 1; lock(m); unlock(m); } thread ta: a(); thread tb: b(); thread tc: c();";
    auto one = run_with(text, kStatic, 1);
    for (uint32_t workers : {2u, 4u}) {
        auto many = run_with(text, kStatic, workers);
        CHECK(many.stats.states == one.stats.states);
        CHECK(many.stats.transitions == one.stats.transitions);
        CHECK(many.stats.reduced_states == one.stats.reduced_states);
    }
    CHECK(one.stats.states < run(text, false).stats.states);
}

namespace {

// Two threads that each rewrite one shared slot once, x = 2x + (t + 1), so the two orders
// end in different states -- while claiming to touch nothing: a lying footprint.
class LyingFootprints final : public checker::TransitionSystem {
public:
    uint32_t state_slots() const override { return 3; }  // x, then each thread's "done"
    uint32_t thread_count() const override { return 2; }
    std::string const& thread_name(uint32_t t) const override { return names_[t]; }
    checker::StepStatus initial_state(checker::StateView out, checker::ViolationInfo&) const override {
        std::fill(out.begin(), out.end(), 0);
        return checker::StepStatus::Ok;
    }
    checker::StepStatus step(checker::ConstStateView s, checker::Step st, checker::StateView out, checker::Access&,
                             checker::ViolationInfo&) const override {
        if (s[1 + st.thread]) return checker::StepStatus::Disabled;
        std::copy(s.begin(), s.end(), out.begin());
        out[0] = 2 * s[0] + st.thread + 1;
        out[1 + st.thread] = 1;
        return checker::StepStatus::Ok;
    }
    uint32_t choice_count(checker::ConstStateView, uint32_t) const override { return 1; }
    bool thread_finished(checker::ConstStateView s, uint32_t t) const override { return s[1 + t] != 0; }
    std::vector<checker::Wait> waits(checker::ConstStateView) const override { return {}; }
    uint32_t footprint_words() const override { return 1; }
    bool next_footprint(checker::ConstStateView s, uint32_t t, uint64_t* r, uint64_t* w) const override {
        r[0] = w[0] = 0;
        return s[1 + t] == 0;
    }

private:
    std::vector<std::string> names_{"t0", "t1"};
};

}  // namespace

TEST_CASE("reduction: the self-check catches a lying footprint on one worker and on two", "[checker][reduction]") {
    LyingFootprints sys;
    for (uint32_t workers : {1u, 2u}) {
        INFO(workers << " workers");
        checker::SearchOptions o;
        o.check_reduction = true;
        o.workers = workers;
        CHECK_THROWS_WITH(checker::explore(sys, {}, o),
                          "partial-order reduction self-check failed: thread t0's step does not commute with thread "
                          "t1's");
        o.check_reduction = false;
        CHECK(checker::explore(sys, {}, o).stats.states == 3);  // unchecked, the lie hides a state
    }
}
