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
