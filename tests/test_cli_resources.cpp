// Runs larger than the machine, and the leftovers of killed runs. A grid the machine cannot hold
// used to be killed by the kernel (exit 137, no message) or end in "error: std::bad_alloc"; a
// SIGKILLed run's NAME.tmp-PID stayed behind for ever. Now: the grid is refused before anything
// is allocated (exit 2, how much it needs against what the machine has), an allocation that no
// check foresaw ends as exit 1 "out of memory" with no file, and the next run to NAME removes the
// temporary files of processes that no longer exist, saying so.
#include <doctest/doctest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <string>

#include "cli_sandbox.hpp"
#include "wgf/grid.hpp"

using wgf::testing::Sandbox;
namespace fs = std::filesystem;

TEST_CASE("a grid larger than the machine's memory exits 2 with the memory it needs, before allocating") {
  // 4096³ cells × 128 bytes = 2⁴³ B = 8192 GiB: more than any machine this runs on. The figure in
  // the message is computed here from the cell count and the documented bytes per cell.
  REQUIRE(wgf::physical_memory_bytes() > 0);
  REQUIRE(wgf::physical_memory_bytes() < 8192.0 * 1073741824.0);
  Sandbox box;
  const auto r = box.run("simulate --dim 3 --n 4096 --kernel gaussian:sigma=0.5 --t-end 0.01 --out o.h5");
  CAPTURE(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find("--n 4096 in 3D: the run needs about 8.19e+03 GiB") != std::string::npos);
  CHECK(r.output.find("more than this machine's") != std::string::npos);
  CHECK(box.stray_files() == 0);
}

TEST_CASE("an allocation no check foresaw exits 1 'out of memory' and leaves no file") {
  // 8192² cells need ~8.6 GB by the per-cell figure: below the CI machine's memory, so the grid
  // check lets it through, and above the 2 GB of address space the shell allows here.
  if (wgf::physical_memory_bytes() < 9.0e9) {
    MESSAGE("skipped: the machine has less memory than the run, so the grid check refuses it first");
    return;
  }
  Sandbox box;
  const auto r = box.run("simulate --dim 2 --n 8192 --kernel gaussian:sigma=0.5 --t-end 0.01 --out o.h5",
                         "ulimit -v 2000000;");
  CAPTURE(r.output);
  CHECK(r.exit_code == 1);
  CHECK(r.output.find("out of memory") != std::string::npos);
  CHECK(box.stray_files() == 0);
}

TEST_CASE("the temporary file of a killed run is removed by the next run to the same name, and a live one is kept") {
  Sandbox box;
  // A process id that no longer exists: a child that has exited and been reaped.
  const pid_t child = fork();
  if (child == 0) _exit(0);
  REQUIRE(child > 0);
  waitpid(child, nullptr, 0);
  const std::string dead = "o.h5.tmp-" + std::to_string(child);
  const std::string live = "o.h5.tmp-" + std::to_string(getpid());  // this test: alive
  std::ofstream(box.path(dead)) << "left by a killed run";
  std::ofstream(box.path(live)) << "being written";
  const auto r = box.run("simulate --dim 1 --n 16 --kernel gaussian:sigma=0.5 --t-end 0.01 --quiet --out o.h5");
  CAPTURE(r.output);
  CHECK(r.exit_code == 0);
  CHECK(r.output.find("removed") != std::string::npos);
  CHECK(r.output.find(dead) != std::string::npos);
  CHECK(r.output.find("(process " + std::to_string(child) + ") that no longer exists") != std::string::npos);
  CHECK_FALSE(fs::exists(box.path(dead)));
  CHECK(fs::exists(box.path(live)));
  CHECK(fs::exists(box.path("o.h5")));
}
