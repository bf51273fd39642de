#include "tests/support/random_model.hpp"

#include <fmt/format.h>

#include <random>
#include <vector>

namespace probecheck::test {
namespace {

class Generator {
public:
    explicit Generator(uint64_t seed) : rng_(seed) {}

    std::string run() {
        threads_ = pick(2, 3);
        std::string out = "struct obj { mutex lock; int a; int b; };\n";
        out += fmt::format("pool struct obj[{}];\n", threads_);
        out += "struct obj o0;\nstruct obj o1;\nstruct obj *shared;\n";
        out += "int g0;\nint g1;\nint g2;\nmutex m0;\nmutex m1;\nspinlock s0;\n";
        // ro is never written; p0 only under m0 (unless a model writes it bare): fused steps
        out += "int ro = 1;\nint p0;\n";
        // devices are never freed: their fields may be protected by their own lock (own_locks.cpp)
        out += "struct dev { mutex lock; int v; };\nstruct dev e0;\nstruct dev e1;\n";
        out += "void bump(struct dev *e) { e->v = (e->v + 1) % 3; }\n";
        out += "void bump_locked(struct dev *e) { lock(e->lock); bump(e); unlock(e->lock); }\n";
        for (uint32_t t = 0; t < threads_; ++t) out += function(t);
        for (uint32_t t = 0; t < threads_; ++t) out += fmt::format("thread t{0}: f{0}(&o{1});\n", t, t % 2);
        if (chance(30)) out += fmt::format("invariant inv {{ g{} != 2 }}\n", pick(0, 2));
        if (chance(30)) out += fmt::format("final fin {{ g{} != {} }}\n", pick(0, 2), pick(0, 2));
        return out;
    }

private:
    uint32_t pick(uint32_t lo, uint32_t hi) { return std::uniform_int_distribution<uint32_t>(lo, hi)(rng_); }
    bool chance(uint32_t percent) { return pick(1, 100) <= percent; }
    std::string global() { return fmt::format("g{}", pick(0, 2)); }

    std::string function(uint32_t t) {
        allocated_ = false;
        std::string body;
        uint32_t n = pick(2, 5);
        for (uint32_t i = 0; i < n; ++i) body += statement(1, 2);
        return fmt::format("void f{}(struct obj *self) {{\n{}}}\n", t, body);
    }

    std::string statement(int indent, int depth) {
        std::string pad(size_t(indent) * 4, ' ');
        switch (pick(0, depth > 0 ? 20 : 7)) {
            case 0: case 1: return fmt::format("{}{} = ({} + {}) % 3;\n", pad, global(), global(), pick(1, 2));
            case 2: return fmt::format("{}self->a = (self->b + {}) % 3;\n", pad, pick(0, 2));
            case 3: return fmt::format("{}lock(self->lock);\n{}self->b = (self->a + 1) % 3;\n{}unlock(self->lock);\n",
                                       pad, pad, pad);
            case 4: return allocation(pad);
            case 5: return fmt::format("{}{{ struct obj *r = shared; if (r) r->a = (r->a + 1) % 3; }}\n", pad);
            case 6: return fmt::format("{}{{ struct obj *r = shared; if (r) {{ shared = NULL; kfree(r); }} }}\n", pad);
            case 7: return fmt::format("{}assert({} != {}, \"bad value\");\n", pad, global(), pick(0, 2));
            case 8: {
                std::string m = chance(20) ? "s0" : fmt::format("m{}", pick(0, 1));
                return fmt::format("{}lock({});\n{}{}unlock({});\n", pad, m, statement(indent, depth - 1), pad, m);
            }
            case 9:
                return fmt::format("{}if ({} == {}) {{\n{}{}}} else {{\n{}{}}}\n", pad, global(), pick(0, 2),
                                   statement(indent + 1, depth - 1), pad, statement(indent + 1, depth - 1), pad);
            case 10: return fmt::format("{}while ({} == {}) {{ }}\n", pad, global(), pick(1, 2));  // a spin: cycles
            case 11: return fmt::format("{}await({} != {});\n", pad, global(), pick(1, 2));
            case 12: return fmt::format("{}lock(m0);\n{}p0 = (p0 + {}) % 3;\n{}{} = p0;\n{}unlock(m0);\n", pad, pad,
                                        pick(1, 2), pad, global(), pad);
            case 13: return fmt::format("{}{} = (ro + {}) % 3;\n", pad, global(), pick(0, 2));
            case 15:  // a bounded loop: its back edge does not close a cycle of states
                return fmt::format("{}for each o in obj where o->a != {} {{\n{}{}}}\n", pad, pick(0, 2),
                                   statement(indent + 1, depth - 1), pad);
            case 16: return fmt::format("{}for each e in dev {{ lock(e->lock); {} = e->v; unlock(e->lock); }}\n", pad,
                                        global());
            case 17: return fmt::format("{}bump_locked(&e{});\n", pad, pick(0, 1));
            case 18: return fmt::format("{1}lock(e{0}.lock);\n{1}e{0}.v = (e{0}.v + {2}) % 3;\n{1}unlock(e{0}.lock);\n",
                                        pick(0, 1), pad, pick(1, 2));
            case 19: return chance(30) ? fmt::format("{}{} = e{}.v;\n", pad, global(), pick(0, 1))  // bare: no store fuses
                                       : fmt::format("{}bump_locked(&e{});\n", pad, pick(0, 1));
            case 20:  // the kernel's warning: reported, and the path goes on
                return fmt::format("{}if (WARN_ON({} == {})) {} = {};\n", pad, global(), pick(0, 2), global(), pick(0, 2));
            default:  // a spin on data nothing writes: forever when ro is 1
                return chance(10) ? fmt::format("{}while (ro == 1) {{ }}\n", pad)
                                  : fmt::format("{}if (p0 == 2) {} = 1;\n", pad, global());
        }
    }

    std::string allocation(std::string const& pad) {
        if (allocated_) return fmt::format("{}{} = 1;\n", pad, global());
        allocated_ = true;
        return fmt::format("{}{{ struct obj *q = kzalloc(struct obj); if (q) {{ q->b = 1; shared = q; }} }}\n", pad);
    }

    std::mt19937_64 rng_;
    uint32_t threads_ = 2;
    bool allocated_ = false;
};

}  // namespace

std::string random_model(uint64_t seed) { return Generator(seed).run(); }

}  // namespace probecheck::test
