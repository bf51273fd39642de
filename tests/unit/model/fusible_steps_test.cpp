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
