// `patch`, `extend struct` and `override pool`: a proposal changes part of what it imports.
#include <catch2/catch.hpp>

#include "model/frontend.hpp"
#include "tests/support/model_check.hpp"

using namespace probecheck;
using model::DiagKind;

namespace {

// The v6.7 fix of B02 ("iommu: Fix the race of iommu_probe_device with of_iommu_configure")
// written as hunks against v6.6 instead of four copied functions.
std::string const kV67AsPatch = R"M(
import "linux/v6.6";
patch __iommu_probe_device {
    replace "lock(iommu_probe_device_lock);" { lockdep_assert_held(iommu_probe_device_lock); }
    delete "unlock(iommu_probe_device_lock);";
}
patch iommu_probe_device {
    replace "int ret = __iommu_probe_device(dev, NULL);" {
        lock(iommu_probe_device_lock);
        int ret = __iommu_probe_device(dev, NULL);
        unlock(iommu_probe_device_lock);
    }
}
patch of_iommu_configure {
    before "struct iommu_fwspec *fwspec = dev_iommu_fwspec_get(dev);" { lock(iommu_probe_device_lock); }
    replace "if (fwspec && fwspec->ops) return 0;" {
        if (fwspec && fwspec->ops) {
            unlock(iommu_probe_device_lock);
            return 0;
        }
    }
    after "int ret = of_iommu_configure_dev(dev);" { unlock(iommu_probe_device_lock); }
}
patch probe_iommu_group {
    delete "if (dev->iommu_group) return 0;";
    replace "int ret = __iommu_probe_device(dev, group_list);" {
        lock(iommu_probe_device_lock);
        int ret = __iommu_probe_device(dev, group_list);
        unlock(iommu_probe_device_lock);
    }
}
)M";

std::string const kScenario = R"M(
struct iommu_device smmu = { .ops = &smmu_ops, .instance = 1 };
struct device gpu = { .bus = &platform_bus, .iommu_id = 3, .iommu_instance = 1, .match = &client_driver };
thread bind_gpu: device_attach(&gpu);
thread smmu_probe: iommu_device_register(&smmu);
)M";

}  // namespace

TEST_CASE("patch: v6.7's fix as hunks on v6.6 is v6.7, state for state", "[model][patch]") {
    auto bug = test::check_model("import \"linux/v6.6\";\n" + kScenario, "", true);
    auto fixed = test::check_model("import \"linux/v6.7\";\n" + kScenario);
    auto patched = test::check_model(kV67AsPatch + kScenario);
    INFO(patched.diagnostics);
    REQUIRE(patched.errors.empty());
    CHECK(std::count(bug.kinds.begin(), bug.kinds.end(), "use_after_free") == 5);  // B02, at five reads
    CHECK(fixed.kind == "");
    CHECK(patched.kind == "");
    CHECK(patched.result.stats.states == fixed.result.stats.states);
    CHECK(patched.result.stats.transitions == fixed.result.stats.transitions);
}

TEST_CASE("patch: hunks apply in order, anywhere in the body, by tokens not spacing", "[model][patch]") {
    // Each hunk is checked by what the patched function then does: x ends at 7 only if all
    // of them applied where they say.
    auto run = test::check_model(R"M(
int x;
int y;
void f(int a) {
    if (a)
        x = 1;       // a branch of one statement: a hunk there makes it a block
    else
        x = 2;
    y = x;
    x = 0;
}
patch f {
    after "x   =   1 ;" { x = x + 2; }                  // spacing does not matter
    before "if (a)" { y = 5; }                            // the head of an if
    replace "y = x; x = 0;" { int saved = x; x = saved + y; }   // two statements at once
    after "int saved = x;" { y = 4; }                     // sees the earlier hunk
}
final seven { x == 7 }
thread t: f(1);
)M");
    INFO(run.diagnostics);
    REQUIRE(run.errors.empty());
    CHECK(run.kind == "");
    auto broken = test::check_model(R"M(
int x;
void f() { x = 1; }
patch f { replace "x = 1;" { x = 2; } }
final one { x == 1 }
thread t: f();
)M");
    CHECK(broken.kind == "final");  // the replacement runs, not the library's statement
}

TEST_CASE("patch: it changes the latest definition before it, an override included", "[model][patch]") {
    auto run = test::check_model(R"M(
int x;
void f() { x = 1; }
override void f() { x = 2; }
patch f { replace "x = 2;" { x = 3; } }
final three { x == 3 }
thread t: f();
)M");
    INFO(run.diagnostics);
    REQUIRE(run.errors.empty());
    CHECK(run.kind == "");
    auto stale = test::check_model(R"M(
int x;
void f() { x = 1; }
override void f() { x = 2; }
patch f { replace "x = 1;" { x = 3; } }
thread t: f();
)M");
    CHECK(stale.errors == std::vector<DiagKind>{DiagKind::PatchAnchorNotFound});
}

TEST_CASE("patch: the call trace says a frame's function was patched, and where", "[model][patch]") {
    model::SourceManager sm;
    auto loaded = model::load_model_text("proposal.model", kV67AsPatch + kScenario, sm);
    REQUIRE(loaded.system);
    auto const& fns = loaded.system->program().functions;
    auto it = std::find_if(fns.begin(), fns.end(), [](auto const& f) { return f.name == "of_iommu_configure"; });
    REQUIRE(it != fns.end());
    CHECK(it->kernel_version == "v6.6");
    CHECK(it->patched_by == "proposal.model:14");
}

TEST_CASE("extend struct: fields added from a scenario, pointers and per-driver data", "[model][patch]") {
    auto run = test::check_model(R"M(
struct device { mutex lock; int id; };
struct smmu_master { int streams; };
pool struct smmu_master[1];
extend struct device {
    struct smmu_master *drvdata;
    @guarded_by(lock) bool bound;
};
struct device gpu = { .id = 1 };
void probe(struct device *dev) {
    lock(dev->lock);
    dev->drvdata = kzalloc(struct smmu_master);
    dev->drvdata->streams = dev->id;
    dev->bound = true;
    unlock(dev->lock);
}
void unbind(struct device *dev) { dev->bound = false; }   // without the lock
thread a: probe(&gpu);
thread b: unbind(&gpu);
)M");
    INFO(run.diagnostics);
    REQUIRE(run.errors.empty());
    CHECK(run.kind == "guarded_by");
}
