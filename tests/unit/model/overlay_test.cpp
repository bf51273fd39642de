// import, override (functions and ops-table entries), @kernel, @guarded_by and expect.
#include <catch2/catch.hpp>

#include "checker/search/dfs.hpp"
#include "model/frontend.hpp"
#include "properties/expectation.hpp"
#include "properties/violation.hpp"

using namespace probecheck;
using model::DiagKind;

namespace {

struct Loaded {
    std::vector<DiagKind> errors;
    std::string text;  ///< rendered diagnostics
    std::unique_ptr<model::CompiledSystem> system;
};

// Loads `text` as a scenario importing from the built-in library (model/linux/...).
Loaded load(std::string const& text) {
    model::SourceManager sm;
    auto loaded = model::load_model_text("scenario.model", text, sm);
    Loaded out;
    for (auto const& d : loaded.diagnostics.diagnostics()) {
        if (d.severity == model::Severity::Error) out.errors.push_back(d.kind);
        out.text += model::render_text(d, sm);
    }
    out.system = std::move(loaded.system);
    return out;
}

std::string const kScenario = R"(
struct iommu_device smmu = { .ops = &smmu_ops, .instance = 1 };
struct device gpu = { .bus = &platform_bus, .iommu_id = 3, .iommu_instance = 1, .match = &client_driver };
thread t1: device_attach(&gpu);
thread t2: iommu_device_register(&smmu);
)";

}  // namespace

TEST_CASE("overlay: imports load once, with @kernel provenance on functions", "[model][overlay]") {
    auto l = load("import \"linux/v6.6\";\nimport \"linux/v6.1\";\n" + kScenario);
    INFO(l.text);
    REQUIRE(l.system);
    auto const& fns = l.system->program().functions;
    auto it = std::find_if(fns.begin(), fns.end(), [](auto const& f) { return f.name == "iommu_init_device"; });
    REQUIRE(it != fns.end());
    CHECK(it->kernel_file == "drivers/iommu/iommu.c");
    CHECK(it->kernel_version == "v6.6");
}

std::string first_kind(model::CompiledSystem const& sys) {
    auto r = checker::explore(sys, {}, {});
    if (r.violations.empty()) return "holds";
    return std::string(properties::violation_id(static_cast<properties::ViolationKind>(r.violations[0].info.kind)));
}

TEST_CASE("overlay: an override replaces the definition every caller reaches", "[model][overlay]") {
    // A probe_device that never fails removes the unwind and its use after free; what is
    // left is the unlocked check-then-allocate in dev_iommu_get() (both threads allocate,
    // one dev_iommu loses its fwspec): the race v6.8's lockdep assertion there guards.
    auto racy = load("import \"linux/v6.6\";\n" + kScenario);
    auto fixed = load("import \"linux/v6.6\";\noverride struct iommu_device *smmu_probe_device(struct device *dev) { return &smmu; }\n" +
                      kScenario);
    REQUIRE(racy.system);
    REQUIRE(fixed.system);
    CHECK(first_kind(*racy.system) == "use_after_free");
    CHECK(first_kind(*fixed.system) == "null_deref");
}

TEST_CASE("overlay: an ops-table entry can be overridden", "[model][overlay]") {
    auto entry = load("import \"linux/v6.6\";\nstruct iommu_device *never_fails(struct device *dev) { return &smmu; }\n"
                      "override smmu_ops.probe_device = never_fails;\n" + kScenario);
    auto function = load("import \"linux/v6.6\";\noverride struct iommu_device *smmu_probe_device(struct device *dev) { return &smmu; }\n" +
                         kScenario);
    INFO(entry.text);
    REQUIRE(entry.system);
    REQUIRE(function.system);
    checker::SearchOptions all;
    all.all_violations = true;
    auto by_entry = checker::explore(*entry.system, {}, all), by_function = checker::explore(*function.system, {}, all);
    CHECK(by_entry.stats.states == by_function.stats.states);  // same behaviour, two ways to plug it
    CHECK(by_entry.violations.size() == by_function.violations.size());
}

TEST_CASE("overlay: override errors say what they replace", "[model][overlay][sema]") {
    auto missing = load("import \"linux/v6.6\";\noverride int no_such_function(struct device *dev) { return 0; }\n" + kScenario);
    CHECK(missing.errors == std::vector{DiagKind::OverrideOfUndefined});
    auto wrong = load("import \"linux/v6.6\";\noverride void smmu_probe_device(struct device *dev) { }\n" + kScenario);
    CHECK(wrong.errors == std::vector{DiagKind::OverrideSignature});
    CHECK(wrong.text.find("note: the definition of 'smmu_probe_device' it replaces is here") != std::string::npos);
    CHECK(wrong.text.find("linux/common/smmu.model:") != std::string::npos);
    CHECK(load("import \"linux/v6.6\";\noverride smmu_ops.no_field = smmu_probe_device;\n" + kScenario).errors ==
          std::vector{DiagKind::UnknownField});
    CHECK(load("import \"linux/v6.6\";\noverride nobody.probe_device = smmu_probe_device;\n" + kScenario).errors ==
          std::vector{DiagKind::OverrideOfUndefined});
    CHECK(load("import \"linux/v6.6\";\nstruct iommu_device *smmu_probe_device(struct device *dev) { return &smmu; }\n" + kScenario).errors ==
          std::vector{DiagKind::RedefinitionNeedsOverride});
}

TEST_CASE("overlay: a missing import names where it looked", "[model][overlay]") {
    auto l = load("import \"linux/v9.99\";\nvoid f() {} thread t: f();");
    CHECK(l.errors == std::vector{DiagKind::ImportNotFound});
    CHECK(l.text.find("cannot find module 'linux/v9.99'") != std::string::npos);
}

TEST_CASE("annotations: checked where they are written", "[model][overlay][sema]") {
    CHECK(load("@kernel(\"a.c\", \"f\") void f() {} thread t: f();").errors == std::vector{DiagKind::AnnotationArguments});
    CHECK(load("@inline void f() {} thread t: f();").errors == std::vector{DiagKind::UnknownAnnotation});
    CHECK(load("@kernel(\"a.c\", \"x\", \"v6.1\") int x; void f() {} thread t: f();").errors ==
          std::vector{DiagKind::AnnotationMisplaced});
    CHECK(load("struct s { mutex m; @guarded_by(m) int v; }; mutex g; struct t { @guarded_by(g) int w; };"
               "void f() {} thread t: f();")
              .errors.empty());
    CHECK(load("struct s { @guarded_by(nolock) int v; }; void f() {} thread t: f();").errors ==
          std::vector{DiagKind::GuardNotALock});
}

TEST_CASE("expect: lines are validated and checked against the result", "[model][overlay][props]") {
    CHECK(load("expect violation no_such_kind; void f() {} thread t: f();").errors ==
          std::vector{DiagKind::UnknownViolationKind});
    auto l = load("expect violation deadlock; expect holds; mutex m; void f() { lock(m); } thread t: f();");
    REQUIRE(l.system);
    auto r = checker::explore(*l.system, {}, {});
    auto c = properties::check_expectations(l.system->program().expects, r, false);
    CHECK(c.present);
    CHECK_FALSE(c.met);  // holds together with a violation can never be met
    auto h = load("expect holds; mutex m; void f() { lock(m); unlock(m); } thread t: f();");
    REQUIRE(h.system);
    CHECK(properties::check_expectations(h.system->program().expects, checker::explore(*h.system, {}, {}), false).met);
}

TEST_CASE("overlay: a scenario resizes a library pool with override pool", "[model][overlay]") {
    auto library = load("import \"linux/v6.16\";\n" + kScenario);
    REQUIRE(library.errors.empty());
    auto const& pools = library.system->program().pools;
    auto dev_iommu = [](model::bc::Program const& p) {
        for (auto const& pool : p.pools)
            if (p.structs[pool.struct_index].name == "dev_iommu") return pool.count;
        return 0u;
    };
    CHECK(dev_iommu(library.system->program()) == 4);  // model/linux/common/types.model
    CHECK_FALSE(pools.empty());
    auto enlarged = load("import \"linux/v6.16\";\noverride pool struct dev_iommu[9];\n" + kScenario);
    INFO(enlarged.text);
    REQUIRE(enlarged.errors.empty());
    CHECK(dev_iommu(enlarged.system->program()) == 9);
    auto twice = load("import \"linux/v6.16\";\noverride pool struct dev_iommu[9];\noverride pool struct dev_iommu[10];\n" + kScenario);
    CHECK(twice.errors == std::vector<DiagKind>{DiagKind::Redefinition});  // twice in one file
    auto unmarked = load("import \"linux/v6.16\";\npool struct dev_iommu[9];\n" + kScenario);
    CHECK(unmarked.errors == std::vector<DiagKind>{DiagKind::RedefinitionNeedsOverride});
    auto nothing = load("struct s { int v; };\noverride pool struct s[2];\nvoid f() {}\nthread t: f();\n");
    CHECK(nothing.errors == std::vector<DiagKind>{DiagKind::OverrideOfUndefined});
}
