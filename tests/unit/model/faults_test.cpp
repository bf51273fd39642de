// choose { } or { }, injected faults (--faults=alloc,defer) and the fault budget.
#include <catch2/catch.hpp>

#include "tests/support/model_check.hpp"

using probecheck::model::DiagKind;
using probecheck::test::check_model;

TEST_CASE("faults: choose explores every alternative", "[model][faults]") {
    auto o = check_model(R"(
        int x;
        void f() { choose { x = 1; } or { x = 2; } or { x = 3; } }
        thread t: f();)");
    CHECK(o.kind.empty());
    CHECK(o.result.stats.states == 7);       // before choose; 3 before their store; 3 finished
    CHECK(o.result.stats.transitions == 6);
    auto v = check_model(R"(
        int x;
        void f() { choose { x = 1; } or { x = 2; } assert(x == 1, "the second alternative ran"); }
        thread t: f();)");
    CHECK(v.kind == "assertion");
    REQUIRE(v.result.violations.size() == 1);
    CHECK(v.result.violations[0].trace.steps[0].choice == 1);
}

TEST_CASE("faults: kzalloc fails only when alloc faults are on, within the budget", "[model][faults]") {
    std::string const model = R"(
        struct obj { int v; };
        pool struct obj[2];
        void f() {
            struct obj *a = kzalloc(struct obj);
            struct obj *b = kzalloc(struct obj);
            a->v = 1;
            kfree(a);
            kfree(b);
        }
        thread t: f();)";
    CHECK(check_model(model).kind.empty());
    auto faulty = check_model(model, "alloc");
    CHECK(faulty.kind == "null_deref");
    CHECK(check_model(model, "defer").kind.empty());  // only alloc faults make kzalloc fail

    std::string const careful = R"(
        struct obj { int v; };
        pool struct obj[2];
        void f() {
            struct obj *a = kzalloc(struct obj);
            struct obj *b = kzalloc(struct obj);
            if (a) a->v = 1;
            if (b) b->v = 1;
            kfree(a);
            kfree(b);
        }
        thread t: f();)";
    // The stores to the objects just allocated are not steps (compile/fusible_steps.cpp).
    // No faults: before each of 2 allocs, before 2 kfrees, then the end (5).
    // Budget 1, a fails (b takes object #0): at alloc b, kfree a, kfree b, end (4);
    // b fails: at kfree a, kfree b (2), then the same end state as the first fault path
    // (object #0 freed, one fault spent): 5 + 4 + 2 = 11.
    // Budget 2 adds the path where both fail: at kfree a, kfree b, its end (14).
    CHECK(check_model(careful).result.stats.states == 5);
    CHECK(check_model(careful, "alloc").result.stats.states == 11);
    CHECK(check_model(careful, "alloc budget=2").result.stats.states == 14);
}

TEST_CASE("faults: the kernel's check of kzalloc's result makes the fault harmless", "[model][faults]") {
    auto o = check_model(R"(
        struct obj { int v; };
        pool struct obj[1];
        int result;
        struct obj *saved;
        int make() {
            struct obj *a = kzalloc(struct obj);
            if (!a) return -ENOMEM;
            a->v = 1;
            saved = a;
            return 0;
        }
        void f() { result = make(); }
        thread t: f();)",
                         "alloc");
    CHECK(o.kind.empty());
    // initial; ok (the store to the new object joins kzalloc): at saved, result, end;
    // NULL: at result, end
    CHECK(o.result.stats.states == 6);
}

TEST_CASE("faults: may_defer is -EPROBE_DEFER on demand", "[model][faults]") {
    std::string const model = R"(
        int bound;
        int drv_probe() { if (may_defer()) return -EPROBE_DEFER; return 0; }
        void really_probe() { int ret = drv_probe(); assert(ret == 0, "probe deferred"); bound = 1; }
        thread t: really_probe();)";
    CHECK(check_model(model).kind.empty());
    auto o = check_model(model, "defer");
    CHECK(o.kind == "assertion");
    CHECK(o.message == "assertion failed: probe deferred");
}

TEST_CASE("faults: choose needs blocks and may_defer no arguments", "[model][faults][sema]") {
    CHECK(check_model("int x; void f() { choose x = 1; } thread t: f();").errors == std::vector{DiagKind::ExpectedToken});
    CHECK(check_model("void f() { bool d = may_defer(1); } thread t: f();").errors == std::vector{DiagKind::WrongArity});
}
