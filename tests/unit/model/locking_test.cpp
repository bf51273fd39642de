// Spinlocks, trylock, might_sleep and lockdep assertions.
#include <catch2/catch.hpp>

#include "model/frontend.hpp"
#include "tests/support/model_check.hpp"

using probecheck::model::DiagKind;
using probecheck::test::check_model;

TEST_CASE("locking: a mutex taken under a spinlock is sleeping in atomic context", "[model][locks]") {
    auto o = check_model(R"(
        spinlock iommu_device_lock;
        mutex group_mutex;
        void f() { spin_lock(&iommu_device_lock); mutex_lock(&group_mutex); }
        thread t: f();)");
    CHECK(o.kind == "sleep_in_atomic");
    CHECK(o.message == "BUG: sleeping function called from invalid context: mutex_lock('group_mutex') while "
                       "holding spinlock 'iommu_device_lock'");
}

TEST_CASE("locking: might_sleep is fine outside spinlocks and a bug inside", "[model][locks]") {
    CHECK(check_model("spinlock s; void f() { might_sleep(); spin_lock(&s); spin_unlock(&s); } thread t: f();")
              .kind.empty());
    CHECK(check_model("spinlock s; void f() { spin_lock(&s); might_sleep(); } thread t: f();").kind ==
          "sleep_in_atomic");
}

TEST_CASE("locking: trylock never blocks and reports whether it got the lock", "[model][locks]") {
    auto o = check_model(R"(
        mutex m; int owners = 0;
        void f() {
            if (mutex_trylock(&m)) { owners = owners + 1; assert(owners == 1, "two owners"); owners = owners - 1; unlock(m); }
        }
        thread a: f(); thread b: f();)");
    INFO(o.diagnostics);
    CHECK(o.errors.empty());
    CHECK(o.kind.empty());
    // Both before trylock (1); one owner at each of its 6 later steps while the other is
    // before trylock or finished (6 x 2 x 2); one finished, one not started (2); both done (1).
    CHECK(o.result.stats.states == 28);
}

TEST_CASE("locking: lockdep_assert_not_held", "[model][locks]") {
    CHECK(check_model("mutex m; void f() { lockdep_assert_not_held(m); lock(m); unlock(m); } thread t: f();")
              .kind.empty());
    CHECK(check_model("mutex m; void f() { lock(m); lockdep_assert_not_held(m); } thread t: f();").kind ==
          "lockdep_assert_not_held");
}

TEST_CASE("locking: lock kinds are checked", "[model][locks][sema]") {
    CHECK(check_model("mutex m; void f() { spin_lock(&m); } thread t: f();").errors ==
          std::vector{DiagKind::NotALock});
    CHECK(check_model("spinlock s; void f() { mutex_lock(&s); } thread t: f();").errors ==
          std::vector{DiagKind::NotALock});
    CHECK(check_model("spinlock s; int x = s; void f() {} thread t: f();").errors.size() == 1);
}

TEST_CASE("locking: lock classes are what lockdep sees", "[model][locks]") {
    probecheck::model::SourceManager sm;
    auto loaded = probecheck::model::load_model_text(
        "t.model", "struct device { mutex lock; }; struct device gpu; struct device vop; spinlock iommu_device_lock;"
                   "void f() {} thread t: f();", sm);
    REQUIRE(loaded.system);
    std::vector<std::pair<std::string, std::string>> locks;
    for (auto const& l : loaded.system->program().locks) locks.emplace_back(l.name, l.lock_class);
    // every device's lock is the one class device.lock; a global is its own class
    CHECK(locks == std::vector<std::pair<std::string, std::string>>{{"iommu_device_lock", "iommu_device_lock"},
                                                                   {"gpu.lock", "device.lock"},
                                                                   {"vop.lock", "device.lock"}});
}
