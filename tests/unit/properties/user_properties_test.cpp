// invariant NAME { expr } on every state; final NAME { expr } on terminal states.
#include <catch2/catch.hpp>

#include "tests/support/model_check.hpp"

using probecheck::model::DiagKind;
using probecheck::test::check_model;

namespace {

std::string const kProbe = R"(
mutex probe_lock;
int probes = 0;
bool probed = false;
void probe() {
    lock(probe_lock);
    if (!probed) { probes = probes + 1; probed = true; }
    unlock(probe_lock);
}
)";

}  // namespace

TEST_CASE("user: invariant and final hold for a locked probe", "[props][user]") {
    auto o = check_model(kProbe + "invariant at_most_once { probes <= 1 }\nfinal probed_once { probed && probes == 1 }\n"
                                  "thread a: probe(); thread b: probe();");
    INFO(o.diagnostics);
    CHECK(o.errors.empty());
    CHECK(o.kind.empty());
}

TEST_CASE("user: an invariant fails on the first state that breaks it", "[props][user]") {
    auto o = check_model(kProbe + "invariant at_most_once { probes <= 1 }\n"
                                  "void racy() { if (!probed) { probes = probes + 1; probed = true; } }\n"
                                  "thread a: probe(); thread b: racy();",
                         "", true);
    CHECK(std::find(o.kinds.begin(), o.kinds.end(), "invariant") != o.kinds.end());
}

TEST_CASE("user: a final check is evaluated only where every thread has finished", "[props][user]") {
    // probed is false in the initial state, which is not terminal: only the end counts.
    auto ok = check_model(kProbe + "final probed_once { probed && probes == 1 }\nthread a: probe();");
    CHECK(ok.kind.empty());
    auto bad = check_model(kProbe + "final never_probed { !probed }\nthread a: probe();");
    CHECK(bad.kind == "final");
    CHECK(bad.message == "final check 'never_probed' does not hold");
}

TEST_CASE("user: properties that fault or write are reported, not trusted", "[props][user]") {
    auto null = check_model("struct s { int v; }; struct s *p; invariant deref { p->v == 0 }\n"
                            "void f() {} thread t: f();");
    CHECK(null.kind == "invariant");
    CHECK(null.message ==
          "invariant 'deref' cannot be evaluated: NULL pointer dereference: read of field 'v' through a NULL 'struct s *'");
    CHECK(check_model("int x; invariant bad { x }\nvoid f() {} thread t: f();").errors ==
          std::vector{DiagKind::TypeMismatch});
    CHECK(check_model("invariant unknown { nope == 1 }\nvoid f() {} thread t: f();").errors ==
          std::vector{DiagKind::UnknownName});
}
