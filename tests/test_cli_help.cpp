// `wgf --version` and `wgf help COMMAND` as a user runs them: the version of the CMake project,
// each command's help exactly as `wgf COMMAND --help` prints it, and an unknown command named
// with exit 2; defaults as typed, required options marked, summaries without --out.
#include <doctest/doctest.h>

#include <filesystem>
#include <string>
#include <utility>

#include "cli_sandbox.hpp"
#include "wgf/build_info.hpp"

using wgf::testing::CommandResult;
using wgf::testing::Sandbox;

TEST_CASE("wgf --version prints the project version and exits 0") {
  Sandbox box;
  const CommandResult r = box.run("--version");
  CAPTURE(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output == std::string("wgf ") + wgf::build::version + "\n");
}

TEST_CASE("wgf help COMMAND prints what wgf COMMAND --help prints") {
  Sandbox box;
  for (const std::string command :
       {"simulate", "spectrum", "map", "train", "validate", "mmd-flow", "growth", "sample", "info"}) {
    CAPTURE(command);
    const CommandResult help = box.run("help " + command);
    const CommandResult option = box.run(command + " --help");
    CHECK(help.exit_code == 0);
    CHECK(option.exit_code == 0);
    CHECK(help.output == option.output);
    CHECK(help.output.size() > 40);  // a help text, not an empty line
  }
  CHECK(box.stray_files() == 0);
}

TEST_CASE("wgf help with an unknown command names it and exits 2") {
  Sandbox box;
  const CommandResult r = box.run("help nosuch");
  CAPTURE(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("unknown command 'nosuch'") != std::string::npos);
  const CommandResult two = box.run("help simulate map");
  CHECK(two.exit_code == 2);
}

TEST_CASE("--help prints defaults as typed, marks required options, and a shown 2pi is accepted") {
  Sandbox box;
  const auto help = box.run("simulate --help");
  REQUIRE(help.exit_code == 0);
  // boost's own formatting would print 0.90000000000000002 and 9.9999999999999995e-07.
  CHECK(help.output.find("(=0.9)") != std::string::npos);
  CHECK(help.output.find("0000000") == std::string::npos);
  CHECK(help.output.find("e-0") == std::string::npos);  // exponents unpadded: 1e-6, not 1e-06
  CHECK(help.output.find("(required) final time") != std::string::npos);
  CHECK(help.output.find("(required) output HDF5 file") != std::string::npos);
  CHECK(help.output.find("--length arg (=2pi)") != std::string::npos);
  // What the help shows is accepted: --length 2pi and 4*pi are 2π and 4π (π to double precision).
  for (const auto& [text, factor] : {std::pair<std::string, double>{"2pi", 2}, {"4*pi", 4}, {"pi", 1}}) {
    CAPTURE(text);
    std::filesystem::remove(box.path("l.h5"));
    REQUIRE(box.run("simulate --kernel gaussian --t-end 0.01 --n 16 --quiet --length " + text + " --out l.h5")
                .exit_code == 0);
    CHECK(wgf::testing::read_double_attribute(box.path("l.h5"), "/", "length") == factor * 3.141592653589793);
  }
  const auto bad = box.run("simulate --kernel gaussian --t-end 0.01 --n 16 --length 2xpi --out l2.h5");
  CHECK(bad.exit_code == 2);
  CHECK(bad.output.find("--length") != std::string::npos);
}

TEST_CASE("spectrum and map print their summary without --out and write nothing") {
  Sandbox box;
  const auto s = box.run("spectrum --kernel gaussian:sigma=1 --stabilizer gaussian:sigma=0.5 --eps 1 --dim 2");
  CHECK(s.exit_code == 0);
  // ε* = (σe/σs)^d = 4 for two Gaussians in 2D (ê/ŝ peaks at ξ → 0).
  CHECK(s.output.find("critical eps* = 4") != std::string::npos);
  CHECK(s.output.find("written to") == std::string::npos);
  const auto m = box.run("map --kernel gaussian:sigma={s} --stabilizer gaussian:sigma=0.5 --dim 2 "
                         "--sweep s=0.75:1:2 --eps 0:5:3");
  CHECK(m.exit_code == 0);
  CHECK(m.output.find("critical eps from") != std::string::npos);
  CHECK(box.stray_files() == 0);
  const auto force = box.run("spectrum --kernel gaussian --force");
  CHECK(force.exit_code == 2);
  CHECK(force.output.find("--force without --out") != std::string::npos);
}
