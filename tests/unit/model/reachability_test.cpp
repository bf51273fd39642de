// What the front end finds no call can reach is not lowered (model/compile: unreachable_stub),
// so a library driver no scenario binds costs no states; running such a stub is an internal
// error, never a silent no-op.
#include <catch2/catch.hpp>

#include <algorithm>

#include "model/frontend.hpp"
#include "tests/support/model_check.hpp"

using namespace probecheck;

namespace {

std::string const kDriver = R"(
struct device { int x; };
struct driver { int (*probe)(struct device *dev); };
struct device gpu;
int shared;
int used_probe(struct device *dev) { dev->x = 1; return 0; }
int unused_probe(struct device *dev) { shared = 2; return 0; }
struct driver used = { .probe = used_probe };
struct driver unused = { .probe = unused_probe };
int bind(struct driver *drv, struct device *dev) { if (drv == &unused) return 1; return drv->probe(dev); }
int probe_any(struct driver *drv, struct device *dev) { return drv->probe(dev); }
)";

bool lowered(model::CompiledSystem const& sys, std::string const& name) {
    auto const& fns = sys.program().functions;
    auto it = std::find_if(fns.begin(), fns.end(), [&](auto const& f) { return f.name == name; });
    REQUIRE(it != fns.end());
    return it->code.empty() || it->code[0].op != model::bc::Op::Unreachable;
}

}  // namespace

TEST_CASE("reachability: a driver no thread can reach is not lowered", "[model][sema]") {
    model::SourceManager sm;
    auto loaded = model::load_model_text("t.model", kDriver + "thread t: bind(&used, &gpu);\n", sm);
    REQUIRE(loaded.system);
    CHECK(lowered(*loaded.system, "used_probe"));
    CHECK_FALSE(lowered(*loaded.system, "unused_probe"));  // `unused` is only compared
    CHECK(lowered(*loaded.system, "bind"));
}

TEST_CASE("reachability: handing the driver to a thread makes it reachable", "[model][sema]") {
    model::SourceManager sm;
    std::string const threads = "thread t: probe_any(&unused, &gpu);\nthread u: bind(&used, &gpu);\n";
    auto loaded = model::load_model_text("t.model", kDriver + threads, sm);
    REQUIRE(loaded.system);
    CHECK(lowered(*loaded.system, "unused_probe"));
    // and it runs for real: its write is seen
    auto o = test::check_model(kDriver + threads + "final shared_untouched { shared == 0 }\n");
    CHECK(o.errors.empty());
    CHECK(o.kind == "final");
}
