// `expect` lines: exclusive kinds, `at least`, `times N`, and what is judged without --all.
#include <catch2/catch.hpp>

#include "tests/support/model_check.hpp"
#include "model/frontend.hpp"
#include "properties/expectation.hpp"

using namespace probecheck;
using model::DiagKind;

namespace {

// Two unlocked writer/reader pairs: two distinct data races, and nothing else.
std::string const kTwoRaces = R"M(
int x;
int y;
void f() { x = 1; y = 1; }
void g() { int a = x; int b = y; }
thread t1: f();
thread t2: g();
)M";

properties::ExpectationCheck judge(std::string const& expects, bool all) {
    auto run = test::check_model(expects + kTwoRaces, "", all);
    INFO(run.diagnostics);
    REQUIRE(run.errors.empty());
    model::SourceManager sm;
    auto loaded = model::load_model_text("t.model", expects + kTwoRaces, sm);
    REQUIRE(loaded.system);
    return properties::check_expectations(loaded.system->program().expects, run.result, all);
}

}  // namespace

TEST_CASE("expect: exclusive kinds list what was met and what was not expected", "[props][expect]") {
    auto exact = judge("expect violation data_race;", true);
    CHECK(exact.met);
    REQUIRE(exact.kinds.size() == 1);
    CHECK(exact.kinds[0].found == 2);
    auto wrong = judge("expect violation deadlock;", true);
    CHECK_FALSE(wrong.met);
    CHECK(wrong.judged);
    REQUIRE(wrong.kinds.size() == 1);
    CHECK(wrong.kinds[0].kind == "deadlock");
    CHECK(wrong.kinds[0].found == 0);
    CHECK(wrong.extra == std::vector<std::string>{"data_race"});
    CHECK(judge("expect violation data_race;", false).met);  // the first one is of the kind
}

TEST_CASE("expect: at least allows other kinds, and needs --all to judge", "[props][expect]") {
    auto some = judge("expect at least violation data_race;", true);
    CHECK(some.met);
    CHECK(some.at_least);
    CHECK(some.expected == "at least violation data_race");
    auto more = judge("expect at least violation data_race; expect at least violation deadlock;", true);
    CHECK_FALSE(more.met);
    auto first_only = judge("expect at least violation data_race; expect at least violation deadlock;", false);
    CHECK_FALSE(first_only.met);
    CHECK_FALSE(first_only.judged);  // the search stopped at the first violation
    auto one_kind = judge("expect at least violation data_race;", false);
    CHECK(one_kind.met);  // already shown by the first violation
    CHECK(one_kind.judged);
}

TEST_CASE("expect: times N counts distinct violations of a kind", "[props][expect]") {
    CHECK(judge("expect violation data_race times 2;", true).met);
    auto three = judge("expect violation data_race times 3;", true);
    CHECK_FALSE(three.met);
    REQUIRE(three.kinds.size() == 1);
    CHECK(three.kinds[0].wanted == 3);
    CHECK(three.kinds[0].found == 2);
    CHECK_FALSE(judge("expect violation data_race times 2;", false).judged);
}

TEST_CASE("expect: bad counts and mixed forms are errors", "[props][expect]") {
    auto zero = test::check_model("expect violation data_race times 0;" + kTwoRaces);
    CHECK(zero.errors == std::vector<DiagKind>{DiagKind::BadExpectCount});
    auto mixed = test::check_model("expect violation data_race; expect at least violation deadlock;" + kTwoRaces);
    CHECK(mixed.errors == std::vector<DiagKind>{DiagKind::ExpectMixed});
    auto verdict = test::check_model("expect at least holds;" + kTwoRaces);
    CHECK(verdict.errors == std::vector<DiagKind>{DiagKind::ExpectedToken});
}
