// Which accesses compile/fusible_steps.cpp takes out of the interleaving points: each kind on
// a model where it applies and on the nearest model where it must not.
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "model/compiled_system.hpp"
#include "model/frontend.hpp"

using namespace probecheck;
using model::bc::Op;

namespace {

/// The plain opcodes of `function`'s fused accesses, in pc order.
std::vector<Op> fused_in(std::string const& text, std::string const& function) {
    model::SourceManager sm;
    auto loaded = model::load_model_text("f.model", text, sm, {});
    REQUIRE(loaded.system);
    auto const& p = loaded.system->program();
    std::vector<Op> out;
    for (auto const& f : p.fusible)
        if (p.functions[f.function].name == function) out.push_back(f.plain);
    return out;
}

std::string const kWriters = "int x; int out; mutex m; mutex other; "
                             "void writer() { lock(m); x = 1; unlock(m); } ";
std::string const kThreads = "thread a: reader(); thread b: writer(); thread c: peeker();";

}  // namespace

TEST_CASE("fusion: a read under the lock every write holds is fused, unlocked readers elsewhere or not",
          "[model][fusion]") {
    std::string const under_m = "void reader() { lock(m); out = x; unlock(m); } ";
    std::string const peeker = "void peeker() { int seen = x; if (seen == 2) out = 3; } ";
    // The peeker reads x unlocked: x is not data every access protects, yet no write can
    // come between the reader's lock and its read.
    CHECK(fused_in(kWriters + under_m + peeker + kThreads, "reader") == std::vector<Op>{Op::LoadGlobal, Op::UnlockGlobal});
    CHECK(fused_in(kWriters + under_m + peeker + kThreads, "peeker").empty());
    // Under another lock the writer can run in between: the read stays a step.
    std::string const under_other = "void reader() { lock(other); out = x; unlock(other); } ";
    CHECK(fused_in(kWriters + under_other + peeker + kThreads, "reader") == std::vector<Op>{Op::UnlockGlobal});
    // One unlocked write anywhere and the read under m stays a step too.
    std::string const bare = "void peeker() { x = 2; out = 0; } ";
    CHECK(fused_in(kWriters + under_m + bare + kThreads, "reader") == std::vector<Op>{Op::UnlockGlobal});
}

TEST_CASE("fusion: a pool object's field read under its writers' lock needs its kfree under it too",
          "[model][fusion]") {
    std::string const decls = "struct obj { int v; }; pool struct obj[2]; struct obj *shared; mutex m; int out; "
                              "void maker() { struct obj *o = kzalloc(struct obj); if (o) { lock(m); shared = o; "
                              "unlock(m); } } "
                              "void reader() { lock(m); struct obj *o = shared; if (o) out = o->v; unlock(m); } "
                              "void writer() { lock(m); struct obj *o = shared; if (o) o->v = 1; unlock(m); } ";
    std::string const freed_locked = "void freer() { lock(m); struct obj *o = shared; shared = NULL; if (o) kfree(o); "
                                     "unlock(m); } ";
    std::string const freed_bare = "void freer() { lock(m); struct obj *o = shared; shared = NULL; unlock(m); "
                                   "if (o) kfree(o); } ";
    std::string const threads = "thread t0: maker(); thread t1: reader(); thread t2: writer(); thread t3: freer();";
    auto locked = fused_in(decls + freed_locked + threads, "reader");
    auto bare = fused_in(decls + freed_bare + threads, "reader");
    CHECK(std::count(locked.begin(), locked.end(), Op::LoadField) == 1);
    CHECK(std::count(bare.begin(), bare.end(), Op::LoadField) == 0);
}

TEST_CASE("fusion: a field under its own object's lock, through calls and for each", "[model][fusion]") {
    std::string const decls = "struct dev { mutex lock; int bound; int peek; }; struct dev d0; struct dev d1; ";
    // The lock is taken by the caller on the object it passes: the callee's store holds it.
    std::string const bind = "void set_bound(struct dev *dev) { dev->bound = 1; } "
                             "void bind(struct dev *dev) { lock(dev->lock); set_bound(dev); unlock(dev->lock); } ";
    std::string const walker = "void walker() { for each d in dev { lock(d->lock); int b = d->bound; "
                               "unlock(d->lock); if (b == 1) d->peek = 1; } } ";
    std::string const threads = "thread t0: bind(&d0); thread t1: bind(&d1); thread w: walker();";
    auto loads = [](std::vector<Op> const& ops) { return std::count(ops.begin(), ops.end(), Op::LoadField); };
    auto stores = [](std::vector<Op> const& ops) { return std::count(ops.begin(), ops.end(), Op::StoreField); };
    CHECK(loads(fused_in(decls + bind + walker + threads, "walker")) == 1);
    CHECK(stores(fused_in(decls + bind + walker + threads, "set_bound")) == 1);
    // A bare read by name elsewhere: the load under the lock still fuses, the store no longer.
    std::string const peeker = "void peeker() { int seen = d0.bound; if (seen == 1) d1.peek = 2; } thread p: peeker();";
    CHECK(loads(fused_in(decls + bind + walker + threads + peeker, "walker")) == 1);
    CHECK(stores(fused_in(decls + bind + walker + threads + peeker, "set_bound")) == 0);
}

TEST_CASE("fusion: another object's lock, or a register reassigned under the lock, protects nothing",
          "[model][fusion]") {
    std::string const decls = "struct dev { mutex lock; int bound; }; struct dev d0; struct dev d1; ";
    std::string const walker = "void walker() { for each d in dev { lock(d->lock); int b = d->bound; unlock(d->lock); } } ";
    std::string const other = "void bind(struct dev *dev, struct dev *by) { lock(by->lock); dev->bound = 1; "
                              "unlock(by->lock); } thread t0: bind(&d0, &d1); thread w: walker();";
    CHECK(fused_in(decls + walker + other, "walker") == std::vector<Op>{Op::UnlockField});
    CHECK(fused_in(decls + walker + other, "bind") == std::vector<Op>{Op::UnlockField});
    std::string const moved = "void bind(struct dev *dev, struct dev *to) { struct dev *p = dev; lock(p->lock); "
                              "p = to; p->bound = 1; unlock(dev->lock); } thread t0: bind(&d0, &d1); thread w: walker();";
    CHECK(fused_in(decls + walker + moved, "walker") == std::vector<Op>{Op::UnlockField});
}
