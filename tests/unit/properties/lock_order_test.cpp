// lock_order: lockdep-style cycles over lock classes, found whether or not they deadlock.
#include <catch2/catch.hpp>

#include "tests/support/model_check.hpp"

using probecheck::test::check_model;

namespace {

// Each thread takes its pair of locks inside `outer`, so no interleaving deadlocks; the
// order of the inner pairs still forms a cycle, which is what lockdep reports.
std::string serialised(std::vector<std::pair<std::string, std::string>> const& pairs, std::string const& decls) {
    std::string text = decls + "mutex outer;\n";
    for (size_t i = 0; i < pairs.size(); ++i) {
        auto const& [a, b] = pairs[i];
        text += "void f" + std::to_string(i) + "() { lock(outer); lock(" + a + "); lock(" + b + "); unlock(" + b +
                "); unlock(" + a + "); unlock(outer); }\n";
    }
    for (size_t i = 0; i < pairs.size(); ++i)
        text += "thread t" + std::to_string(i) + ": f" + std::to_string(i) + "();\n";
    return text;
}

}  // namespace

TEST_CASE("lock_order: cycles of length 2, 3 and 4 that never deadlock", "[props][lock_order]") {
    std::string const globals = "mutex a; mutex b; mutex c; mutex d;\n";
    auto two = check_model(serialised({{"a", "b"}, {"b", "a"}}, globals));
    CHECK(two.kind == "lock_order");
    CHECK(two.message == "possible circular locking dependency: 'a' -> 'b' -> 'a'");
    auto three = check_model(serialised({{"a", "b"}, {"b", "c"}, {"c", "a"}}, globals));
    CHECK(three.message == "possible circular locking dependency: 'a' -> 'b' -> 'c' -> 'a'");
    CHECK(three.result.violations[0].witnesses.size() == 3);
    auto four = check_model(serialised({{"a", "b"}, {"b", "c"}, {"c", "d"}, {"d", "a"}}, globals));
    CHECK(four.message == "possible circular locking dependency: 'a' -> 'b' -> 'c' -> 'd' -> 'a'");
    CHECK(four.result.violations[0].witnesses.size() == 4);
    CHECK(four.kinds == std::vector<std::string>{"lock_order"});  // and no deadlock
}

TEST_CASE("lock_order: per-object locks are one class, and nesting two of them is reported", "[props][lock_order]") {
    std::string const decls = "struct device { mutex lock; }; struct device gpu; struct device vop; mutex g;\n";
    auto nested = check_model(decls + "void f() { lock(gpu.lock); lock(vop.lock); unlock(vop.lock); unlock(gpu.lock); }"
                                      "thread t: f();");
    CHECK(nested.kind == "lock_order");
    CHECK(nested.message ==
          "possible recursive locking: two locks of class 'device.lock' nested; lockdep sees one class and cannot order them");
    auto mixed = check_model(serialised({{"gpu.lock", "g"}, {"g", "vop.lock"}}, decls));
    CHECK(mixed.message == "possible circular locking dependency: 'g' -> 'device.lock' -> 'g'");  // starts at the first class declared
}

TEST_CASE("lock_order: a consistent order holds, and trylock adds no dependency", "[props][lock_order]") {
    std::string const decls = "mutex a; mutex b;\n";
    CHECK(check_model(serialised({{"a", "b"}, {"a", "b"}}, decls)).kind.empty());
    auto o = check_model(decls + "void f() { lock(a); lock(b); unlock(b); unlock(a); }"
                                 "void g() { lock(b); if (trylock(a)) unlock(a); unlock(b); }"
                                 "thread t1: f(); thread t2: g();");
    CHECK(o.kind.empty());
}
