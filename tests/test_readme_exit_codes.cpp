// The README's table of exit codes is the contract scripts rely on: it lists exactly 0, 1, 2 and
// 128 + N, and one case of each row gives that code, with the output file the row promises.
#include <doctest/doctest.h>

#include <csignal>
#include <fstream>
#include <regex>
#include <set>
#include <sstream>
#include <string>

#include "cli_sandbox.hpp"

using wgf::testing::Sandbox;

namespace {

// The first column of the table under "### Exit codes" in README.md.
std::set<std::string> readme_codes() {
  std::ifstream in(std::string(WGF_SOURCE_DIR) + "/README.md");
  std::stringstream text;
  text << in.rdbuf();
  const std::string readme = text.str();
  const auto section = readme.find("### Exit codes");
  REQUIRE(section != std::string::npos);
  const auto end = readme.find("\n#", section + 1);
  const std::string body = readme.substr(section, end - section);
  std::set<std::string> codes;
  const std::regex row(R"(\n\| *([0-9][0-9 +N]*?) *\|)");
  for (auto it = std::sregex_iterator(body.begin(), body.end(), row); it != std::sregex_iterator();
       ++it)
    codes.insert((*it)[1]);
  return codes;
}

}  // namespace

TEST_CASE("README's exit-code table lists 0, 1, 2 and 128 + N, and each row holds") {
  CHECK(readme_codes() == std::set<std::string>{"0", "1", "2", "128 + N"});
  Sandbox box;
  SUBCASE("0: done, a readable file whose status says how the run ended") {
    const auto r = box.run("simulate --kernel gaussian:sigma=1 --t-end 1 --n 16 --max-steps 1 "
                           "--quiet --out o.h5");
    CHECK(r.exit_code == 0);
    CHECK(wgf::testing::read_status(box.path("o.h5")) == "interrupted");
  }
  SUBCASE("1: a failed write, no file") {
    const auto r = box.run("spectrum --kernel gaussian --n-xi 100000 --quiet --out s.h5",
                           "trap '' XFSZ; ulimit -f 32;");
    CHECK(r.exit_code == 1);
    CHECK(r.output.find("cannot write s.h5") != std::string::npos);
    CHECK(box.stray_files() == 0);
  }
  SUBCASE("2: invalid input, no file") {
    const auto r = box.run("spectrum --kernel gaussian --rho0 -1 --out s.h5");
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("--rho0") != std::string::npos);
    CHECK(box.stray_files() == 0);
  }
  SUBCASE("128 + N: a signal during the run's loop, the file finished and marked interrupted") {
    // (A process killed by the signal would also show 143 to the shell; the finished file is
    // what only the handler's path leaves.)
    const auto r = box.run_signalled("simulate --dim 2 --n 128 --kernel gaussian:sigma=0.3 --role generator "
                                     "--init random:amp=0.5,seed=1 --t-end 1000 --fft-plan estimate "
                                     "--quiet --out loop.h5", "TERM", 1);
    CHECK(r.exit_code == 128 + SIGTERM);
    REQUIRE(std::filesystem::exists(box.path("loop.h5")));
    CHECK(wgf::testing::read_status(box.path("loop.h5")) == "interrupted");
  }
  SUBCASE("128 + N: a signal before there is a file to finish, no file") {
    const auto r = box.run_signalled(wgf::testing::long_fill_simulation(), "TERM", 1);
    CHECK(r.exit_code == 128 + SIGTERM);
    CHECK(box.stray_files() == 0);
  }
}
