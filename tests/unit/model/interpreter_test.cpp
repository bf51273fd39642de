// Language semantics end to end (load -> explore), with state counts computed by hand.
#include <catch2/catch.hpp>
#include <filesystem>

#include "checker/search/dfs.hpp"
#include "model/frontend.hpp"
#include "properties/deadlock.hpp"
#include "properties/violation.hpp"
#include "tests/support/model_check.hpp"
#include "tests/support/tiny_systems.hpp"

using namespace probecheck;
using probecheck::test::check_model;

TEST_CASE("interpreter: one thread, two stores: 3 states, 2 transitions", "[model][vm]") {
    auto o = check_model("int x = 0; void f() { x = 1; x = 2; } thread t: f();");
    CHECK(o.result.verdict == checker::Verdict::Holds);
    CHECK(o.result.stats.states == 3);
    CHECK(o.result.stats.transitions == 2);
}

TEST_CASE("interpreter: two independent writers: the 4-state diamond", "[model][vm]") {
    auto o = check_model("int x; int y; void a() { x = 1; } void b() { y = 1; } thread ta: a(); thread tb: b();");
    CHECK(o.result.stats.states == 4);
    CHECK(o.result.stats.transitions == 4);
}

TEST_CASE("interpreter: dead locals are zeroed so loop iterations do not inflate states", "[model][vm]") {
    auto o = check_model("int x; void f() { int i = 0; while (i < 3) { int sq = i * i; x = sq; i = i + 1; } }"
                   "thread t: f();");
    CHECK(o.result.stats.states == 4);  // rest before each of 3 stores, then finished
    CHECK(o.result.stats.transitions == 3);
}

TEST_CASE("interpreter: calls pass arguments and return values", "[model][vm]") {
    auto o = check_model("int x = 5; int y; int get(int k) { return x + k; }"
                   "void f() { int v = get(2); y = v; assert(y == 7, \"bad return\"); } thread t: f();");
    CHECK(o.result.verdict == checker::Verdict::Holds);
    CHECK(o.result.stats.states == 4);  // load x, store y, load y, finished
}

TEST_CASE("interpreter: each intrinsic violation kind", "[model][vm]") {
    std::string const s = "struct s { int v; mutex m; }; pool struct s[1]; struct s inst; mutex g; int z;";
    CHECK(check_model(s + "void f() { struct s *p = kzalloc(struct s); kfree(p); p->v = 1; } thread t: f();").kind ==
          "use_after_free");
    CHECK(check_model(s + "void f() { struct s *p = kzalloc(struct s); kfree(p); kfree(p); } thread t: f();").kind ==
          "double_free");
    CHECK(check_model(s + "void f() { struct s *p = kzalloc(struct s); p = kzalloc(struct s); } thread t: f();").kind ==
          "pool_exhausted");
    CHECK(check_model(s + "void f() { kfree(&inst); } thread t: f();").kind == "invalid_free");
    CHECK(check_model(s + "void f() { struct s *p = NULL; lock(p->m); } thread t: f();").kind == "null_deref");
    CHECK(check_model(s + "void f() { lock(g); lock(g); } thread t: f();").kind == "self_deadlock");
    CHECK(check_model(s + "void f() { unlock(inst.m); } thread t: f();").kind == "unlock_not_held");
    CHECK(check_model(s + "void f() { lockdep_assert_held(g); } thread t: f();").kind == "lockdep_assert_held");
    CHECK(check_model(s + "void f() { int d = z; z = 10 / d; } thread t: f();").kind == "division_by_zero");
    CHECK(check_model(s + "void f() { while (true) { int q = 1; } } thread t: f();").kind == "local_loop");
    CHECK(check_model(s + "void f() { assert(z == 1, \"z must be 1\"); } thread t: f();").message ==
          "assertion failed: z must be 1");
}

TEST_CASE("interpreter: deadlock names the wait-for cycle", "[model][vm][props]") {
    auto o = check_model("mutex a; mutex b; void f() { lock(a); lock(b); unlock(b); unlock(a); }"
                   "void g() { lock(b); lock(a); unlock(a); unlock(b); } thread t1: f(); thread t2: g();");
    CHECK(o.kind == "deadlock");
    CHECK(o.message ==
          "deadlock: thread 't1' waits for 'b' held by thread 't2'; thread 't2' waits for 'a' held by thread 't1'");
}

TEST_CASE("interpreter: DFS counts equal a naive reference search on every example", "[model][vm][slow-ish]") {
    namespace fs = std::filesystem;
    for (auto const& e : fs::recursive_directory_iterator(fs::path(PROBECHECK_SOURCE_DIR) / "examples")) {
        if (e.path().extension() != ".model" || e.path().parent_path().filename() == "lib") continue;
        model::SourceManager sm;
        auto loaded = model::load_model(e.path().string(), sm);
        REQUIRE(loaded.system);
        checker::SearchOptions all;
        all.all_violations = true;
        all.reduce = false;
        auto r = checker::explore(*loaded.system, {}, all);
        auto ref = test::reference_explore(*loaded.system);
        INFO(e.path().string());
        CHECK(r.stats.states == ref.states);
        CHECK(r.stats.transitions == ref.transitions);
        CHECK(r.violations.empty() == !ref.violation);
    }
}
