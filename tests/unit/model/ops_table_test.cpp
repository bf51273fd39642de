// Function references, ops tables and indirect calls.
#include <catch2/catch.hpp>

#include "tests/support/model_check.hpp"

using probecheck::model::DiagKind;
using probecheck::test::check_model;

namespace {

std::string const kOps = R"(
struct device;
struct iommu_ops {
    int (*probe_device)(struct device *dev);
    void (*release_device)(struct device *);
};
struct device { struct iommu_ops *ops; int probed; };
int smmu_probe(struct device *dev) { dev->probed = dev->probed + 1; return 0; }
int failing_probe(struct device *dev) { return -ENODEV; }
struct iommu_ops smmu_ops = { .probe_device = smmu_probe };
struct iommu_ops bad_ops = { .probe_device = failing_probe };
struct iommu_ops empty_ops;
)";

}  // namespace

TEST_CASE("ops: a call through an ops table runs the plugged function", "[model][ops]") {
    auto o = check_model(kOps + R"(
        struct device gpu = { .ops = &smmu_ops };
        void probe() {
            int ret = gpu.ops->probe_device(&gpu);
            assert(ret == 0 && gpu.probed == 1, "smmu_probe did not run");
        }
        thread t: probe();)");
    INFO(o.diagnostics);
    REQUIRE(o.errors.empty());
    CHECK(o.kind.empty());
    // gpu.ops and smmu_ops.probe_device are never written: their reads are one step
    // (compile/fusible_steps.cpp), then read+write probed, read probed, end.
    CHECK(o.result.stats.states == 5);
}

TEST_CASE("ops: each instance plugs its own function, and references are values", "[model][ops]") {
    auto o = check_model(kOps + R"(
        struct device gpu = { .ops = &bad_ops };
        int (*saved)(struct device *) = NULL;
        void probe() {
            saved = gpu.ops->probe_device;
            int ret = saved(&gpu);
            assert(ret == -ENODEV, "bad_ops must fail");
            assert(saved == failing_probe, "reference compares equal to its function");
        }
        thread t: probe();)");
    INFO(o.diagnostics);
    REQUIRE(o.errors.empty());
    CHECK(o.kind.empty());
}

TEST_CASE("ops: calling through a NULL entry is a NULL dereference", "[model][ops]") {
    auto o = check_model(kOps + R"(
        struct device gpu = { .ops = &empty_ops };
        void probe() { int ret = gpu.ops->probe_device(&gpu); }
        thread t: probe();)");
    CHECK(o.kind == "null_deref");
    CHECK(o.message == "NULL pointer dereference: call through NULL function reference 'gpu.ops->probe_device'");
}

TEST_CASE("ops: type errors with function references", "[model][ops][sema]") {
    CHECK(check_model(kOps + "int x; void f() { x(); } thread t: f();").errors ==
          std::vector{DiagKind::NotAFunction});
    CHECK(check_model(kOps + "struct device d; void f() { int r = d.probed(&d); } thread t: f();").errors ==
          std::vector{DiagKind::NotCallable});
    CHECK(check_model(kOps + "struct device d; void f() { int r = smmu_ops.probe_device(&d, 1); } thread t: f();")
              .errors == std::vector{DiagKind::WrongArity});
    CHECK(check_model(kOps + "void g(int a) {} void f() { smmu_ops.probe_device = g; } thread t: f();").errors ==
          std::vector{DiagKind::TypeMismatch});
}
