// `wgf --version` and `wgf help COMMAND` as a user runs them: the version of the CMake project,
// each command's help exactly as `wgf COMMAND --help` prints it, and an unknown command named
// with exit 2.
#include <doctest/doctest.h>

#include <string>

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
       {"simulate", "spectrum", "map", "train", "validate", "mmd-flow", "growth", "info"}) {
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
