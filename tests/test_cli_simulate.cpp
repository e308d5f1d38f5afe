// `wgf simulate` as a user runs it: bad input exits 2 with a message naming the problem and
// leaves no file behind; good runs, restarts from a file, --force and SIGINT behave as promised.
#include <doctest/doctest.h>
#include <hdf5.h>
#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

#include "cli_sandbox.hpp"
#include "wgf/h5_file.hpp"

namespace fs = std::filesystem;

namespace {

using wgf::testing::CommandResult;
using wgf::testing::read_status;
using wgf::testing::read_root_string;
using wgf::testing::Sandbox;

const std::string kValid =
    "simulate --dim 1 --n 32 --kernel gaussian:sigma=0.5 --role discriminator "
    "--t-end 0.1 --fft-plan estimate --quiet";

}  // namespace

TEST_CASE("each bad input exits 2, names the problem and leaves no output file") {
  Sandbox box;
  {  // a foreign HDF5 file (no /grid, /fields) and a text file with an .h5 name
    wgf::quiet_hdf5_errors();
    wgf::H5Id file(H5Fcreate(box.path("foreign.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    std::ofstream(box.path("text.h5")) << "not hdf5\n";
  }
  struct BadCase {
    std::string arguments, expected;
  };
  const std::string base = "simulate --n 32 --t-end 0.1 --quiet --out out.h5 ";
  const BadCase cases[] = {
      {base + "--kernel gauss", "unknown kernel 'gauss'"},
      {base + "--kernel gaussian:sigma", "key=value"},
      {base + "--kernel gaussian:width=2", "unknown key 'width'"},
      {base + "--kernel gaussian:sigma=-1", "sigma must be > 0"},
      {base + "--kernel energy:beta=2.5", "0 < beta < 2"},
      {"simulate --n 0 --t-end 0.1 --kernel gaussian --out out.h5", "--n 0"},
      {"simulate --n -4 --t-end 0.1 --kernel gaussian --out out.h5", "--n -4"},
      {base + "--kernel gaussian --length -1", "--length"},
      {"simulate --n 32 --t-end -1 --kernel gaussian --out out.h5", "--t-end"},
      {base + "--kernel gaussian --eps -0.5 --stabilizer gaussian", "--eps"},
      {base + "--kernel gaussian --eps 1", "--stabilizer"},
      {base + "--kernel gaussian --role critic", "--role 'critic'"},
      {base + "--kernel gaussian --dim 4", "--dim 4"},
      {base + "--kernel gaussian --init missing.h5", "no such file"},
      {base + "--kernel gaussian --init text.h5", "not an HDF5 file"},
      {base + "--kernel gaussian --init foreign.h5", "not a wgf simulate output"},
      {base + "--kernel gaussian --init wave:k=1", "unknown field 'wave'"},
      {base + "--kernel gaussian --init mode:amp=2", "amp must be in [0, 1)"},
      {base + "--kernel gaussian --init mode:k=16", "below N/2"},
      {base + "--kernel gaussian --init random:amp=0.1", "seed"},
      {base + "--kernel gaussian --cfl 2", "--cfl"},
      {base + "--kernel gaussian --bogus 1", "bogus"},
      {"simulate --n 32 --t-end 0.1 --out out.h5", "kernel"},
      {base + "--kernel gaussian --n abc", "--n"},
      {base + "--kernel riesz --dim 1", "alpha"},
      {"frobnicate", "unknown command"},
  };
  for (const auto& c : cases) {
    const CommandResult result = box.run(c.arguments);
    CAPTURE(c.arguments);
    CAPTURE(result.output);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find(c.expected) != std::string::npos);
    // One clear message: a single line for most, never a stack of HDF5 diagnostics.
    CHECK(result.output.find("HDF5-DIAG") == std::string::npos);
    CHECK(box.stray_files() == 0);
  }
}

TEST_CASE("an existing output is kept unless --force; --force replaces it") {
  Sandbox box;
  std::ofstream(box.path("keep.h5")) << "precious";
  const CommandResult refused = box.run(kValid + " --out keep.h5");
  CHECK(refused.exit_code == 2);
  CHECK(refused.output.find("file exists") != std::string::npos);
  std::ifstream in(box.path("keep.h5"));
  std::string content;
  in >> content;
  CHECK(content == "precious");
  const CommandResult forced = box.run(kValid + " --out keep.h5 --force");
  CHECK(forced.exit_code == 0);
  CHECK(read_status(box.path("keep.h5")) == "completed");
}

TEST_CASE("a run restarts from an earlier run's file; a mismatched grid is refused") {
  Sandbox box;
  REQUIRE(box.run(kValid + " --init mode:amp=1e-3,k=2 --out first.h5").exit_code == 0);
  const CommandResult second = box.run(kValid + " --init first.h5 --out second.h5");
  CAPTURE(second.output);
  CHECK(second.exit_code == 0);
  CHECK(read_status(box.path("second.h5")) == "completed");
  const CommandResult mismatch = box.run(
      "simulate --n 64 --kernel gaussian --t-end 0.1 --quiet --init first.h5 --out third.h5");
  CHECK(mismatch.exit_code == 2);
  CHECK(mismatch.output.find("differs") != std::string::npos);
  CHECK_FALSE(fs::exists(box.path("third.h5")));
}

TEST_CASE("SIGINT closes a readable file marked interrupted") {
  Sandbox box;
  // A run long enough to be interrupted (a 2D grid, long final time), stopped after 1 s.
  const std::string command =
      "cd '" + box.path("").string() + "' && OMP_NUM_THREADS=1 '" + WGF_BINARY +
      "' simulate --dim 2 --n 128 --kernel gaussian:sigma=0.3 --role generator "
      "--init random:amp=0.5,seed=1 --t-end 1000 --fft-plan estimate --quiet --out long.h5 & "
      "pid=$!; sleep 1; kill -INT $pid; wait $pid";
  const int status = std::system(command.c_str());
  CHECK(WIFEXITED(status));
  // The file is finished, and the exit status says the run was stopped: 128 + SIGINT.
  CHECK(WEXITSTATUS(status) == 130);
  REQUIRE(fs::exists(box.path("long.h5")));
  CHECK(read_status(box.path("long.h5")) == "interrupted");
}

TEST_CASE("the stored command line is shell-quoted: pasted back into a shell it reruns the same run") {
  Sandbox box;
  const auto first = box.run("simulate --kernel gaussian:sigma=1 --t-end 0.01 --n 16 --quiet --out \"it's a run.h5\"");
  REQUIRE(first.exit_code == 0);
  const std::string stored = read_root_string(box.path("it's a run.h5"), "command_line");
  // Written by hand: the word with a space and a quote in single quotes, the quote as '\''.
  CHECK(stored == "wgf simulate --kernel gaussian:sigma=1 --t-end 0.01 --n 16 --quiet --out 'it'\\''s a run.h5'");
  REQUIRE(stored.rfind("wgf ", 0) == 0);
  fs::remove(box.path("it's a run.h5"));
  const auto again = box.run(stored.substr(4));  // the same words through the shell
  CHECK(again.exit_code == 0);
  CHECK(fs::exists(box.path("it's a run.h5")));
}

TEST_CASE("with stderr not a terminal, progress comes as whole lines at the set interval; --quiet hides only it") {
  Sandbox box;
  const std::string run = "simulate --dim 2 --n 128 --kernel gaussian:sigma=0.3 --role generator "
                          "--init random:amp=0.5,seed=1 --t-end 100 --fft-plan estimate --out p.h5";
  // The run takes ~2 s here; progress lines every 0.2 s (WGF_PROGRESS_SECONDS) must show.
  const auto shown = box.run(run, "WGF_PROGRESS_SECONDS=0.2");
  REQUIRE(shown.exit_code == 0);
  long lines = 0;
  std::istringstream in(shown.output);
  for (std::string line; std::getline(in, line);)
    if (line.rfind("simulate ", 0) == 0 && line.find("% ") != std::string::npos &&
        line.find("ETA") != std::string::npos)
      ++lines;
  CHECK(lines >= 1);
  CHECK(shown.output.find('\r') == std::string::npos);  // no terminal redraws in a log
  const auto quiet = box.run(run + " --quiet --force", "WGF_PROGRESS_SECONDS=0.2");
  REQUIRE(quiet.exit_code == 0);
  CHECK(quiet.output.find("ETA") == std::string::npos);
  // --quiet hides only the progress: the final status line stays.
  CHECK(quiet.output.find("status completed at t = 100") != std::string::npos);
}
