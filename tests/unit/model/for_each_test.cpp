// for each d in STRUCT [where cond] { ... } over named instances.
#include <catch2/catch.hpp>

#include "tests/support/model_check.hpp"

using probecheck::model::DiagKind;
using probecheck::test::check_model;

namespace {

std::string const kBus = R"(
struct bus_type { int id; };
struct device { struct bus_type *bus; int probed; };
struct bus_type platform_bus = { .id = 1 };
struct bus_type pci_bus = { .id = 2 };
struct device gpu = { .bus = &platform_bus };
struct device nic = { .bus = &pci_bus };
struct device vop = { .bus = &platform_bus };
int visited;
)";

}  // namespace

TEST_CASE("for each: visits every instance in declaration order", "[model][foreach]") {
    auto o = check_model(kBus + R"(
        void walk() {
            int order = 0;
            for each d in device {
                order = order + 1;
                d->probed = order;
            }
            assert(gpu.probed == 1 && nic.probed == 2 && vop.probed == 3, "wrong order");
        }
        thread t: walk();)");
    INFO(o.diagnostics);
    CHECK(o.errors.empty());
    CHECK(o.kind.empty());
    CHECK(o.result.stats.states == 7);  // 3 stores, 3 loads for the assert, end
}

TEST_CASE("for each: where filters, break and continue", "[model][foreach]") {
    auto o = check_model(kBus + R"(
        void walk() {
            for each d in device where d->bus == &platform_bus {
                if (d == &vop) break;
                visited = visited + 1;
            }
            for each d in device {
                if (d->bus != &pci_bus) continue;
                d->probed = 1;
            }
            assert(visited == 1 && nic.probed == 1 && gpu.probed == 0, "filter, break or continue wrong");
        }
        thread t: walk();)");
    INFO(o.diagnostics);
    CHECK(o.errors.empty());
    CHECK(o.kind.empty());
}

TEST_CASE("for each: errors", "[model][foreach][sema]") {
    CHECK(check_model(kBus + "void f() { for each d in nosuch { } } thread t: f();").errors ==
          std::vector{DiagKind::UnknownType});
    CHECK(check_model(kBus + "void f() { for d in device { } } thread t: f();").errors ==
          std::vector{DiagKind::ExpectedToken});
    CHECK(check_model(kBus + "void f() { for each d in device where d { int y = d->id; } } thread t: f();").errors ==
          std::vector{DiagKind::UnknownField});
}
