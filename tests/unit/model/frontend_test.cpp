// Parser and sema: good input loads, and each class of bad input gets the right diagnostic
// at the right place (the golden corpus in tests/golden/diag pins the full text).
#include <catch2/catch.hpp>

#include "model/frontend.hpp"

using namespace probecheck::model;

namespace {

std::vector<DiagKind> errors_of(std::string const& text) {
    SourceManager sm;
    auto loaded = load_model_text("t.model", text, sm);
    std::vector<DiagKind> out;
    for (auto const& d : loaded.diagnostics.diagnostics()) out.push_back(d.kind);
    if (out.empty()) REQUIRE(loaded.system);
    return out;
}

}  // namespace

TEST_CASE("frontend: a kernel-flavoured model loads without diagnostics", "[model][sema]") {
    auto errs = errors_of(R"(
        enum state { IDLE, PROBED };
        struct dev_iommu { int priv; };
        struct device { mutex lock; struct dev_iommu *iommu; enum state st; bool bound; };
        pool struct dev_iommu[2];
        struct device gpu = { .st = IDLE, .bound = false };
        mutex probe_lock;
        int probe(struct device *dev) {
            lock(&dev->lock);
            lockdep_assert_held(dev->lock);
            if (dev->iommu == NULL && !dev->bound) dev->iommu = kzalloc(struct dev_iommu);
            else return -EEXIST;
            dev->st = PROBED;
            unlock(dev->lock);
            return 0;
        }
        thread t: probe(&gpu);
    )");
    CHECK(errs.empty());
}

TEST_CASE("frontend: errors are found and reported by kind", "[model][sema]") {
    CHECK(errors_of("void f() { y = 1; } thread t: f();") == std::vector{DiagKind::UnknownName});
    CHECK(errors_of("int x; void f() { unlock(x); } thread t: f();") == std::vector{DiagKind::NotALock});
    CHECK(errors_of("int x; void f() { x = true; } thread t: f();") == std::vector{DiagKind::TypeMismatch});
    CHECK(errors_of("int f(int a) { return a; } void g() { int v = f(); } thread t: g();") ==
          std::vector{DiagKind::WrongArity});
    CHECK(errors_of("int x; int x;") == std::vector{DiagKind::Redefinition});
    CHECK(errors_of("") == std::vector{DiagKind::NoThreads});
    CHECK(errors_of("int x = 1 void f() {} thread t: f();") == std::vector{DiagKind::ExpectedToken});
}

TEST_CASE("frontend: independent errors are all reported, capped at 20", "[model][diag]") {
    std::string text;
    for (int i = 0; i < 30; ++i) text += "void f" + std::to_string(i) + "() { nope" + std::to_string(i) + " = 1; }\n";
    auto errs = errors_of(text);
    CHECK(errs.size() == 21);
    CHECK(errs.back() == DiagKind::TooManyErrors);
}

TEST_CASE("frontend: the call bound rejects chains deeper than it", "[model][sema]") {
    std::string text = "int x;\n";
    for (int i = 0; i < 40; ++i) text += "void f" + std::to_string(i) + "() { f" + std::to_string(i + 1) + "(); }\n";
    text += "void f40() { x = 1; }\nthread t: f0();\n";
    SourceManager sm;
    LoadOptions o;
    o.sema.max_call_depth = 64;
    CHECK(load_model_text("deep.model", text, sm, o).system);
    CHECK(errors_of(text) == std::vector{DiagKind::CallDepthExceeded});
}

TEST_CASE("frontend: a type redefinition's note points at the first definition", "[model][sema]") {
    SourceManager sm;
    auto loaded = load_model_text("t.model", "enum a { X };\nenum a { Y };\nenum b { Z };\nstruct b { int q; };\n", sm);
    auto const& diags = loaded.diagnostics.diagnostics();
    REQUIRE(diags.size() >= 2);
    CHECK(diags[1].kind == DiagKind::Redefinition);
    REQUIRE(diags[1].notes.size() == 1);
    CHECK(sm.line_col(diags[1].notes[0].loc).line == 3);  // enum b, not the second enum a
}

namespace {

// A 40-call chain below `deep` (void (struct device *)), stored as a driver's remove(); the
// thread calls ops.finalize, another field of the same signature, holding `shallow`.
std::string field_call_model(std::string const& extra) {
    std::string text = "struct device { int x; };\nstruct device gpu;\n";
    for (int i = 0; i < 40; ++i) text += "void d" + std::to_string(i) + "() { d" + std::to_string(i + 1) + "(); }\n";
    text += "void d40() { gpu.x = 1; }\n"
            "void deep(struct device *dev) { d0(); }\n"
            "void shallow(struct device *dev) { dev->x = 2; }\n"
            "struct driver { void (*remove)(struct device *dev); };\n"
            "struct ops { void (*finalize)(struct device *dev); };\n"
            "struct driver drv = { .remove = deep };\n"
            "struct ops iommu_ops = { .finalize = shallow };\n" +
            extra + "void run() { iommu_ops.finalize(&gpu); }\nthread t: run();\n";
    return text;
}

}  // namespace

TEST_CASE("frontend: a call through a field reaches what was stored into that field", "[model][sema]") {
    CHECK(errors_of(field_call_model("")).empty());
    // A reference that escapes (here into a local) may reach any call of its signature.
    CHECK(errors_of(field_call_model("void leak() { void (*f)(struct device *dev) = deep; }\n")) ==
          std::vector{DiagKind::CallDepthExceeded});
    // A field fed from another field is open: calls through it fall back to the signature.
    CHECK(errors_of(field_call_model("void copy() { iommu_ops.finalize = drv.remove; }\n")) ==
          std::vector{DiagKind::CallDepthExceeded});
    CHECK(errors_of(field_call_model("override iommu_ops.finalize = deep;\n")) ==
          std::vector{DiagKind::CallDepthExceeded});
}

TEST_CASE("frontend: an ops table no pointer can reach adds no targets", "[model][sema]") {
    // other_ops stores `deep` too, but its address is only ever compared: a call through a
    // pointer cannot land in it. Once its address goes into a local, it can.
    std::string const call = "void run2(struct ops *p) { if (p != &other_ops) p->finalize(&gpu); }\n"
                             "void start() { run2(&iommu_ops); }\nthread t2: start();\n";
    std::string const other = "struct ops other_ops = { .finalize = deep };\n";
    CHECK(errors_of(field_call_model(other + call)).empty());
    // Only a reachable function hands it out: one no thread calls does not.
    std::string const hand_out = "void hand_out() { struct ops *q = &other_ops; }\n";
    CHECK(errors_of(field_call_model(other + hand_out + call)).empty());
    // Both threads' calls through the field may reach it once a thread runs hand_out().
    auto both = std::vector{DiagKind::CallDepthExceeded, DiagKind::CallDepthExceeded};
    CHECK(errors_of(field_call_model(other + hand_out + call + "thread t3: hand_out();\n")) == both);
    // So does an instance a reachable one names in its initialiser.
    std::string const chained = "struct holder { struct ops *ops; };\nstruct holder h = { .ops = &other_ops };\n"
                                "void use_holder() { struct holder *p = &h; }\nthread t4: use_holder();\n";
    CHECK(errors_of(field_call_model(other + chained + call)) == both);
    // A `for each` over the struct reaches every instance without taking an address.
    CHECK(errors_of(field_call_model(other + "void walk() { for each o in ops o->finalize(&gpu); }\n" + call)) == both);
}
