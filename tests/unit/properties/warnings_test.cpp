// WARN_ON, WARN and dev_WARN: reported as `warn` with the kernel's text, and the path goes on.
#include <catch2/catch.hpp>

#include <algorithm>

#include "tests/support/model_check.hpp"

using probecheck::model::DiagKind;
using probecheck::test::check_model;

TEST_CASE("warnings: a WARN_ON that fires is reported and the path goes on", "[props][warn]") {
    auto o = check_model("int x; int y; void f() { if (WARN_ON(x == 1)) y = 2; assert(y != 2, \"after\"); } "
                         "void g() { x = 1; } thread a: f(); thread b: g();",
                         "", true);
    INFO(o.diagnostics);
    REQUIRE(o.errors.empty());
    CHECK(o.kinds == std::vector<std::string>{"data_race", "warn", "assertion"});
    // The value of WARN_ON is its condition: the assertion fails only on the warning's path.
    auto v = std::find_if(o.result.violations.begin(), o.result.violations.end(),
                          [](auto const& f) { return f.info.message == "WARN_ON(x == 1)"; });
    CHECK(v != o.result.violations.end());
}

TEST_CASE("warnings: dev_WARN names the device as the kernel prints it", "[props][warn]") {
    auto o = check_model("struct device { int driver; }; struct device gpu = { .driver = 1 }; "
                         "void f(struct device *dev) { if (dev->driver) dev_WARN(dev, \"late probe\"); } "
                         "thread a: f(&gpu);");
    INFO(o.diagnostics);
    CHECK(o.kind == "warn");
    CHECK(o.message == "gpu: late probe");
}

TEST_CASE("warnings: a warning that cannot fire is no finding, and a bad argument is a diagnostic", "[props][warn]") {
    auto quiet = check_model("int x; void f() { WARN(x == 1, \"x set\"); WARN_ON_ONCE(x > 5); } thread a: f();");
    CHECK(quiet.errors.empty());
    CHECK(quiet.kind.empty());
    CHECK(quiet.result.stats.states == 4);  // rest before each warning's step, then finished
    auto bad = check_model("int x; void f() { dev_WARN(x, \"no device\"); } thread a: f();");
    CHECK(bad.errors == std::vector<DiagKind>{DiagKind::TypeMismatch});
}
