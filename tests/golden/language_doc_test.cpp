// Every complete example of model/LANGUAGE.md (fenced as ```model) is run, so the reference
// cannot rot: it must load, finish with a verdict, carry an `expect` line, and meet it.
// A first-line `// ARGS: ...` comment gives verify options; imports resolve in the built-in library.
#include <catch2/catch.hpp>
#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>

#include "tests/support/run_cli.hpp"

using probecheck::test::read_source_file;
using probecheck::test::run_cli;

namespace {

std::vector<std::string> model_blocks(std::string const& markdown) {
    std::vector<std::string> out;
    std::regex fence("```model\n([\\s\\S]*?)```");
    for (std::sregex_iterator it(markdown.begin(), markdown.end(), fence), end; it != end; ++it)
        out.push_back((*it)[1].str());
    return out;
}

}  // namespace

TEST_CASE("language reference: every example runs and meets its expect line", "[golden][doc]") {
    auto blocks = model_blocks(read_source_file("model/LANGUAGE.md"));
    REQUIRE(blocks.size() == 11);
    for (size_t i = 0; i < blocks.size(); ++i) {
        DYNAMIC_SECTION("example " << i + 1) {
            std::string const& text = blocks[i];
            INFO(text);
            REQUIRE(std::regex_search(text, std::regex("(^|\n)expect ")));
            std::smatch args;
            std::regex_search(text, args, std::regex("^// ARGS: ([^\n]*)"));
            std::string base = "/tmp/probecheck_doc_" + std::to_string(::getpid()) + "_" + std::to_string(i);
            std::ofstream(base + ".model") << text;
            auto run = run_cli("verify " + base + ".model " + (args.empty() ? "" : args[1].str()) +
                               " --json " + base + ".json");
            INFO(run.out << run.err);
            CHECK((run.exit_code == 0 || run.exit_code == 1));
            std::ifstream json(base + ".json");
            REQUIRE(json.good());
            CHECK(nlohmann::json::parse(json)["expect"]["met"] == true);
            std::remove((base + ".model").c_str());
            std::remove((base + ".json").c_str());
        }
    }
}

TEST_CASE("language reference: the first model's state count is what the text says", "[golden][doc]") {
    auto doc = read_source_file("model/LANGUAGE.md");
    auto blocks = model_blocks(doc);
    REQUIRE_FALSE(blocks.empty());
    std::string path = "/tmp/probecheck_doc_first_" + std::to_string(::getpid()) + ".model";
    std::ofstream(path) << blocks[0];
    auto run = run_cli("verify " + path + " -q");
    CHECK(run.out.find("verdict: holds for all 4 states") != std::string::npos);
    CHECK(doc.find("`verdict: holds for all 4 states`") != std::string::npos);
    auto unfused = run_cli("verify " + path + " -q --fuse-steps off");
    CHECK(unfused.out.find("verdict: holds for all 30 states") != std::string::npos);
    CHECK(doc.find("gives 30 states") != std::string::npos);
    std::remove(path.c_str());
}
