// atomic { }, await(cond) and spawn f(args) on work-item threads.
#include <catch2/catch.hpp>

#include "tests/support/model_check.hpp"

using probecheck::model::DiagKind;
using probecheck::test::check_model;

TEST_CASE("concurrency: await blocks until another thread makes it true", "[model][concurrency]") {
    auto o = check_model(R"(
        int data; int ready;
        void producer() { data = 5; ready = 1; }
        void consumer() { await(ready == 1); assert(data == 5, "saw ready before data"); }
        thread p: producer(); thread c: consumer();)");
    INFO(o.diagnostics);
    CHECK(o.errors.empty());
    CHECK(o.kind.empty());
    // c passes the await only once p has finished: (p before data | before ready | done) with
    // c waiting, then (p done) with c before the assert's load or done: 3 + 2 = 5.
    CHECK(o.result.stats.states == 5);
}

TEST_CASE("concurrency: an await that can never hold is a deadlock naming it", "[model][concurrency]") {
    auto o = check_model("int ready; void c() { await(ready == 1); } thread c: c();");
    CHECK(o.kind == "deadlock");
    CHECK(o.message == "deadlock: thread 'c' waits for 'await(ready == 1)'");
}

TEST_CASE("concurrency: atomic makes a read-modify-write one step", "[model][concurrency]") {
    std::string const tmpl = R"(
        int counter; int finished;
        void w() { BODY atomic { finished = finished + 1; if (finished == 2) assert(counter == 2, "lost update"); } }
        thread a: w(); thread b: w();)";
    auto with = [&](std::string body) { return std::string(tmpl).replace(tmpl.find("BODY"), 4, body); };
    CHECK(check_model(with("atomic { counter = counter + 1; }")).kind.empty());
    CHECK(check_model(with("counter = counter + 1;")).kind == "data_race");  // found before the lost update
    CHECK(check_model(with("atomic { counter = counter + 1; }")).result.stats.states == 9);
}

TEST_CASE("concurrency: spawn starts work items on free worker threads", "[model][concurrency]") {
    auto o = check_model(R"(
        pool thread[2];
        int done;
        void work(int amount) { atomic { done = done + amount; } }
        void probe() { spawn work(1); spawn work(2); await(done == 3); }
        thread t: probe();)");
    INFO(o.diagnostics);
    CHECK(o.errors.empty());
    CHECK(o.kind.empty());
    auto busy = check_model(R"(
        pool thread[1];
        int done;
        void work(int amount) { atomic { done = done + amount; } }
        void probe() { spawn work(1); spawn work(2); }
        thread t: probe();)");
    CHECK(busy.kind == "pool_exhausted");
    CHECK(busy.message == "spawn work(): all 1 work-item threads are busy; enlarge 'pool thread[N]'");
}

TEST_CASE("concurrency: what cannot go inside an atomic block", "[model][concurrency][sema]") {
    CHECK(check_model("int f() { atomic { return 1; } } thread t: f();").errors ==
          std::vector{DiagKind::LeavesAtomic, DiagKind::MissingReturn});
    CHECK(check_model("int x; void f() { atomic { choose { x = 1; } or { x = 2; } } } thread t: f();").errors ==
          std::vector{DiagKind::NotInAtomic});
    CHECK(check_model("int x; void f() { atomic { await(x == 1); } } thread t: f();").errors ==
          std::vector{DiagKind::NotInAtomic});
    CHECK(check_model("int x; void f() { while (x < 3) { atomic { break; } } } thread t: f();").errors ==
          std::vector{DiagKind::LeavesAtomic});
    CHECK(check_model("int x; void f() { spawn x; } thread t: f();").errors == std::vector{DiagKind::SpawnNotCall});
    CHECK(check_model("int x; void g() { choose { x = 1; } or { x = 2; } } void f() { atomic { g(); } } thread t: f();")
              .kind == "model_error");
}
