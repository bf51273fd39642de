// The kernel library's version chain (model/linux/*): every import loads, a release that
// changes nothing on these paths behaves exactly as the one it imports, and a stable line
// that picks fixes behaves differently from the release it branches from.
#include <catch2/catch.hpp>

#include <filesystem>

#include "tests/support/model_check.hpp"

using namespace probecheck;

namespace {

// A client binding while its SMMU registers, with the DMA-ops checks: it reaches the
// firmware parse, the replay, both walk passes and the bind's default-domain claim.
std::string scenario(std::string const& version) {
    return "import \"linux/" + version + "\";\nimport \"properties/dma_ops\";\n" + R"(
struct iommu_device smmu = { .ops = &smmu_ops, .instance = 1 };
struct device gpu = { .bus = &platform_bus, .iommu_id = 3, .iommu_instance = 1, .match = &client_driver };
thread bind_gpu: device_attach(&gpu);
thread smmu_probe: iommu_device_register(&smmu);
)";
}

struct Run {
    std::string diagnostics;
    bool loaded = false;
    checker::SearchResult result;
};

// Every violation, over the full interleaving graph (no reduction).
Run run(std::string const& version) {
    auto o = test::check_model(scenario(version), "", true);
    return {o.diagnostics, o.errors.empty(), o.result};
}

void require_same(std::string const& version, std::string const& base) {
    auto a = run(version), b = run(base);
    INFO(version << " against " << base << "\n" << a.diagnostics << b.diagnostics);
    REQUIRE(a.loaded);
    REQUIRE(b.loaded);
    CHECK(a.result.stats.states == b.result.stats.states);
    CHECK(a.result.stats.transitions == b.result.stats.transitions);
    CHECK(a.result.violations.size() == b.result.violations.size());
}

}  // namespace

TEST_CASE("library: every version directory loads and completes the scenario", "[model][library]") {
    namespace fs = std::filesystem;
    int versions = 0;
    for (auto const& entry : fs::directory_iterator(fs::path(PROBECHECK_SOURCE_DIR) / "model" / "linux")) {
        if (!fs::is_regular_file(entry.path() / "module.model")) continue;
        auto version = entry.path().filename().string();
        auto r = run(version);
        INFO(version << "\n" << r.diagnostics);
        REQUIRE(r.loaded);
        CHECK(r.result.verdict != checker::Verdict::Incomplete);
        ++versions;
    }
    CHECK(versions == 27);
}

TEST_CASE("library: releases with nothing on these paths are the release they import", "[model][library]") {
    require_same("v6.3", "v6.2");
    require_same("v6.5", "v6.4");
    require_same("v6.10", "v6.8");
    require_same("v6.12", "v6.11");
    require_same("v6.14", "v6.12");
    require_same("v6.17", "v6.16");
    require_same("v7.1", "v6.16");
    require_same("6.6.5", "v6.7");
}

TEST_CASE("library: the stable lines' picks change what the scenario can reach", "[model][library]") {
    auto v6_6_5 = run("6.6.5"), v6_6_90 = run("6.6.90"), v6_12 = run("v6.12"), v6_12_26 = run("6.12.26");
    REQUIRE(v6_6_90.loaded);
    REQUIRE(v6_12_26.loaded);
    // 6.6.90's deferral prunes binds but leaves the bus-ops window: still violated.
    CHECK(v6_6_5.result.verdict == checker::Verdict::Violated);
    CHECK(v6_6_90.result.verdict == checker::Verdict::Violated);
    CHECK(v6_6_90.result.stats.states != v6_6_5.result.stats.states);
    // 6.12.26's pick defers the early bind: no driver is left on dma-direct.
    CHECK(v6_12.result.verdict == checker::Verdict::Violated);
    CHECK(v6_12_26.result.verdict == checker::Verdict::Holds);
}

namespace {

// A HiSilicon VF added by SR-IOV behind a bound, registered arm-smmu-v3.
std::string huawei_vf(std::string const& version) {
    return "import \"linux/" + version + "\";\nimport \"properties/firmware\";\n" + R"(
struct device smmu_dev = { .bus = &platform_bus, .match = &arm_smmu_driver, .acpi = true,
                           .driver = &arm_smmu_driver, .bound = true, .drvdata = &smmu };
struct iommu_device smmu = { .ops = &arm_smmu_ops, .instance = 1, .hwdev = &smmu_dev, .registered = true };
struct device vf = { .bus = &pci_bus, .acpi = true, .iommu_instance = 1, .iommu_id = 5,
                     .quirk_huawei_sva = true, .pending_add = true, .match = &client_driver };
thread sriov: pci_iov_add_virtfn(&vf);
)";
}

// An E2000-like VF enabled, disabled and enabled again behind an Intel unit.
std::string ats_quirked_vf_cycle(std::string const& version) {
    return "import \"linux/" + version + "\";\n" + R"(
struct iommu_device dmar0 = { .ops = &intel_iommu_ops, .instance = 1, .global = true };
struct device vf = { .bus = &pci_bus, .iommu_instance = 1, .dmar_scope = true, .iommu_id = 7,
                     .ats_present = true, .quirk_no_ats = true, .pending_add = true };
struct device vf_again = { .bus = &pci_bus, .iommu_instance = 1, .dmar_scope = true, .iommu_id = 7,
                           .ats_present = true, .quirk_no_ats = true, .pending_add = true };
void cycle() {
    int ret = intel_iommu_init();
    ret = pci_iov_add_virtfn(&vf);
    pci_iov_remove_virtfn(&vf);
    ret = pci_iov_add_virtfn(&vf_again);
}
thread sriov: cycle();
)";
}

}  // namespace

TEST_CASE("library: a FINAL fixup matters from the version whose notifier configures the device",
          "[model][library]") {
    // bcb81ac6ae3c (next-20250312) probes in the notifier; v6.14 probed at bind, after the
    // FINAL pass; c8ba3f8aff67 (v6.15) moved the quirk to the HEADER pass.
    auto before = test::check_model(huawei_vf("v6.14"), "", true);
    auto next = test::check_model(huawei_vf("next-20250312"), "", true);
    auto fixed = test::check_model(huawei_vf("v6.15"), "", true);
    INFO(before.diagnostics << next.diagnostics << fixed.diagnostics);
    REQUIRE(before.errors.empty());
    REQUIRE(next.errors.empty());
    REQUIRE(fixed.errors.empty());
    CHECK(before.kinds.empty());
    CHECK(next.kinds == std::vector<std::string>{"probe_before_fixup"});
    CHECK(fixed.kinds.empty());
}

TEST_CASE("library: the Intel ATS rbtree of v6.9 keeps a VF whose ATS a FINAL quirk cleared",
          "[model][library]") {
    auto v6_8 = test::check_model(ats_quirked_vf_cycle("v6.8"), "", true);
    auto v6_9 = test::check_model(ats_quirked_vf_cycle("v6.9"), "", true);
    INFO(v6_8.diagnostics << v6_9.diagnostics);
    REQUIRE(v6_8.errors.empty());
    REQUIRE(v6_9.errors.empty());
    CHECK(v6_8.kinds.empty());
    CHECK(v6_9.kinds == std::vector<std::string>{"use_after_free"});
}
