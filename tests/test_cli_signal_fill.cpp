// A signal during the initial fill (here a thousand Gaussians on a 1024² grid, ~10 s) stops the
// run at once, before any file exists: exit 128 + the signal and nothing left behind. The fill
// used to run to its end first and the run then wrote an "interrupted" file of step 0.
#include <doctest/doctest.h>
#include <sys/wait.h>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "cli_sandbox.hpp"

using wgf::testing::Sandbox;

namespace {

// Centres spread over the box [-π, π), two coordinates each.
std::string thousand_centres() {
  std::string at;
  for (int i = 0; i < 2000; ++i) {
    char value[32];
    std::snprintf(value, sizeof value, "%s%.3f", i ? "," : "", (i % 97) / 97.0 * 6 - 3);
    at += value;
  }
  return at;
}

struct Stopped {
  int status;
  double seconds;  // from start to exit, the signal sent after 1 s
};

Stopped run_and_signal(const Sandbox& box, const char* signal) {
  const std::string command =
      "cd '" + box.path("").string() + "' && OMP_NUM_THREADS=1 '" + wgf::testing::wgf_binary() +
      "' simulate --dim 2 --n 1024 --kernel gaussian:sigma=1 --t-end 1e-6 --fft-plan estimate "
      "--init gaussians:sigma=0.3,at=" + thousand_centres() + " --quiet --out fill.h5 "
      "> command.log 2>&1 & pid=$!; sleep 1; kill -" + signal + " $pid; wait $pid";
  const auto start = std::chrono::steady_clock::now();
  const int status = std::system(command.c_str());
  return {status, std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count()};
}

}  // namespace

TEST_CASE("SIGINT or SIGTERM during the initial fill exits 128 + the signal at once, no file") {
  Sandbox box;
  for (const auto& [name, number] : {std::pair{"INT", SIGINT}, std::pair{"TERM", SIGTERM}}) {
    CAPTURE(name);
    const Stopped stopped = run_and_signal(box, name);
    REQUIRE(WIFEXITED(stopped.status));
    CHECK(WEXITSTATUS(stopped.status) == 128 + number);
    CHECK(stopped.seconds < 5);
    CHECK(box.stray_files() == 0);
  }
}
