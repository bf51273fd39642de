// races (@guarded_by, data races, @racy), memory (leaks) and lock_rules (lock held at exit).
#include <catch2/catch.hpp>

#include "tests/support/model_check.hpp"

using probecheck::test::check_model;

TEST_CASE("races: a @guarded_by field needs its lock at every access", "[props][races]") {
    std::string const decls = "struct group { mutex mutex_; @guarded_by(mutex_) int users; };\n"
                              "struct group g0;\nmutex iommu_probe_device_lock;\n"
                              "struct device { @guarded_by(iommu_probe_device_lock) int probed; };\nstruct device gpu;\n";
    CHECK(check_model(decls + "void f() { lock(g0.mutex_); g0.users = 1; unlock(g0.mutex_); "
                              "lock(iommu_probe_device_lock); gpu.probed = 1; unlock(iommu_probe_device_lock); }"
                              "thread t: f();")
              .kind.empty());
    auto o = check_model(decls + "void f() { g0.users = 1; } thread t: f();");
    CHECK(o.kind == "guarded_by");
    CHECK(o.message == "write of 'g0.users' without 'g0.mutex_', which @guarded_by requires (thread 't')");
}

TEST_CASE("races: conflicting unprotected accesses race, locked, read-only and @racy ones do not",
          "[props][races]") {
    auto race = check_model("int x; void w() { x = 1; } void r() { int v = x; } thread a: w(); thread b: r();");
    CHECK(race.kind == "data_race");
    CHECK(race.message ==
          "data race on 'x': thread 'a' writes it in w() while thread 'b' reads it in r(), with no lock in common");
    CHECK(check_model("int x; mutex m; void w() { lock(m); x = 1; unlock(m); } void r() { lock(m); int v = x; unlock(m); }"
                      "thread a: w(); thread b: r();")
              .kind.empty());
    CHECK(check_model("int x; void r() { int v = x; } thread a: r(); thread b: r();").kind.empty());
    CHECK(check_model("struct dev { @racy bool ready; }; struct dev d; void w() { d.ready = true; }"
                      "void r() { bool v = d.ready; } thread a: w(); thread b: r();")
              .kind.empty());
}

TEST_CASE("races: one report per field, whichever accesses conflict", "[props][races]") {
    auto o = check_model("int x; void w() { x = 1; x = 2; } void r() { int v = x; v = x; } thread a: w(); thread b: r();",
                         "", true);
    CHECK(o.kinds == std::vector<std::string>{"data_race"});
}

TEST_CASE("memory: an allocation nobody can reach at the end leaks", "[props][memory]") {
    std::string const decls = "struct obj { int v; }; pool struct obj[2]; struct holder { struct obj *o; };"
                              "struct holder h;\n";
    CHECK(check_model(decls + "void f() { h.o = kzalloc(struct obj); } thread t: f();").kind.empty());
    CHECK(check_model(decls + "void f() { struct obj *p = kzalloc(struct obj); kfree(p); } thread t: f();").kind.empty());
    auto leak = check_model(decls + "void f() { h.o = kzalloc(struct obj); h.o = kzalloc(struct obj); } thread t: f();");
    CHECK(leak.kind == "leak");
    CHECK(leak.message ==
          "memory leak: 'obj#0' still allocated but unreachable from any global or instance when every thread has finished");
}

TEST_CASE("lock_rules: a thread must not end holding a lock", "[props][lock_rules]") {
    auto o = check_model("mutex m; void f() { lock(m); } thread t: f();");
    CHECK(o.kind == "lock_held_at_exit");
    CHECK(o.message == "thread 't' ends with 'm' held");
}

namespace {

// An IOMMU instance its driver frees on unbind, a walk over the instances, and a client
// still holding a pointer to it.
std::string freeable_smmu(std::string const& walk_lock) {
    return "struct iommu_device { bool registered; int instance; };\n"
           "struct device { struct iommu_device *iommu; };\n"
           "mutex iommu_device_lock;\n"
           "@freeable struct iommu_device smmu = { .registered = true, .instance = 1 };\n"
           "struct iommu_device smmu2 = { .registered = true, .instance = 2 };\n"
           "int found;\n"
           "void walk() { " + walk_lock + " for each i in iommu_device where i->registered found = found + i->instance; "
           + (walk_lock.empty() ? "" : "unlock(iommu_device_lock); ") + "}\n"
           "void unbind() { lock(iommu_device_lock); kfree(&smmu); unlock(iommu_device_lock); }\n"
           "thread w: walk();\nthread u: unbind();\n";
}

}  // namespace

TEST_CASE("memory: a @freeable instance is skipped by a for each once freed, caught when used", "[props][memory]") {
    auto locked = check_model(freeable_smmu("lock(iommu_device_lock);"), "", true);
    INFO(locked.diagnostics);
    REQUIRE(locked.errors.empty());
    CHECK(locked.kinds.empty());  // the walk sees smmu live, or not at all
    auto unlocked = check_model(freeable_smmu(""), "", true);
    REQUIRE(unlocked.errors.empty());
    // freed between the where test and the body, or between the walk's step and the test
    CHECK(unlocked.kinds == std::vector<std::string>{"use_after_free", "use_after_free"});
    CHECK(unlocked.message == "use after free: read of field 'instance' of 'smmu', which was freed");
    auto held = check_model("struct iommu_device { int instance; };\n@freeable struct iommu_device smmu;\n"
                            "struct iommu_device *dangling = &smmu;\n"
                            "void unbind() { kfree(&smmu); int x = dangling->instance; }\nthread u: unbind();\n");
    CHECK(held.kind == "use_after_free");
    auto twice = check_model("struct iommu_device { int instance; };\n@freeable struct iommu_device smmu;\n"
                             "void unbind() { kfree(&smmu); kfree(&smmu); }\nthread u: unbind();\n");
    CHECK(twice.kind == "double_free");
    auto plain = check_model("struct iommu_device { int instance; };\nstruct iommu_device smmu;\n"
                             "void unbind() { kfree(&smmu); }\nthread u: unbind();\n");
    CHECK(plain.kind == "invalid_free");
    // A live @freeable instance nobody points to is not a leak: its name reaches it.
    auto kept = check_model("struct iommu_device { int instance; };\n@freeable struct iommu_device smmu;\n"
                            "void nothing() { }\nthread t: nothing();\n");
    REQUIRE(kept.errors.empty());
    CHECK(kept.kind.empty());
}

TEST_CASE("memory: @freeable belongs on named instances only", "[props][memory]") {
    auto o = check_model("@freeable int registered;\nvoid f() { }\nthread t: f();\n");
    REQUIRE(o.errors.size() == 1);
    CHECK(o.errors[0] == probecheck::model::DiagKind::AnnotationMisplaced);
    CHECK(o.diagnostics.find("annotation '@freeable' applies to named instances only") != std::string::npos);
}

TEST_CASE("memory: a for each visits live pool objects, not free or freed ones", "[props][memory]") {
    auto o = check_model("struct dev_iommu { int ids; };\npool struct dev_iommu[3];\nint total;\nint seen;\n"
                         "void f() {\n"
                         "    struct dev_iommu *a = kzalloc(struct dev_iommu);\n"
                         "    struct dev_iommu *b = kzalloc(struct dev_iommu);\n"
                         "    a->ids = 1; b->ids = 2;\n"
                         "    kfree(a);\n"
                         "    for each p in dev_iommu { total = total + p->ids; seen++; }\n"
                         "    assert(total == 2 && seen == 1, \"for each saw a free or freed pool object\");\n"
                         "    kfree(b);\n"
                         "}\nthread t: f();\n");
    INFO(o.diagnostics);
    REQUIRE(o.errors.empty());
    CHECK(o.kind.empty());
    CHECK(o.result.stats.states == 15);
}
