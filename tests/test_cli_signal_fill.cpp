// A signal during the initial fill (here a thousand Gaussians on a 1024² grid, ~10 s) stops the
// run at once, before any file exists: exit 128 + the signal and nothing left behind. The fill
// used to run to its end first and the run then wrote an "interrupted" file of step 0.
#include <doctest/doctest.h>

#include <chrono>
#include <csignal>
#include <string>

#include "cli_sandbox.hpp"

using wgf::testing::Sandbox;

TEST_CASE("SIGINT or SIGTERM during the initial fill exits 128 + the signal at once, no file") {
  Sandbox box;
  for (const auto& [name, number] : {std::pair{"INT", SIGINT}, std::pair{"TERM", SIGTERM}}) {
    CAPTURE(name);
    const auto start = std::chrono::steady_clock::now();
    const auto r = box.run_signalled(wgf::testing::long_fill_simulation(), name, 1);
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    CAPTURE(r.output);
    CHECK(r.exit_code == 128 + number);
    CHECK(r.output.find("during the initial fill; nothing was written") != std::string::npos);
    CHECK(seconds < 5);  // the signal came after 1 s; the fill alone takes ~10 s
    CHECK(box.stray_files() == 0);
  }
}
