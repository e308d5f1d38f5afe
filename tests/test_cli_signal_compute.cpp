// A signal while growth or map computes (before they open their output file): the run stops
// at once with one message and 128 + the signal, and leaves no file and no temporary behind.
// Their handlers matter: a command started with `&` by a non-interactive shell (a script's
// background job, this test) inherits SIGINT ignored, and before them `kill -INT` did nothing —
// growth went on to its end. Each run below computes for 8 s or more (one thread); the signal
// comes after 1 s.
#include <doctest/doctest.h>

#include <csignal>
#include <fstream>
#include <string>

#include "cli_sandbox.hpp"

using wgf::testing::Sandbox;

TEST_CASE("SIGINT or SIGTERM during wgf growth or wgf map: 128 + the signal, no file") {
  Sandbox box;
  // Stopping rules that never fire: the run would take its 10^5 SGD steps on 2000 + 2000 rows.
  std::ofstream(box.path("long.txt"))
      << "name = growth\nversion = 1\nbatch = 2000\ntime_step = 0\nstep_phase = 0.002\n"
         "max_steps = 100000\nsample_every = 5\nstop_power_ratio = 1e9\nstop_phase = 1e9\n"
         "radii = 3, 5\ndirections = 12\nbootstrap_resamples = 20\nbootstrap_block = 3\n"
         "confidence = 0.9\ndensity_bandwidth = 0.1\nresolved_ci_fraction = 0.5\n"
         "softening = 0.001\nestimator = v\nd_activation = tanh\nd_hidden = 64\nfeature_dim = 2\n";
  const std::pair<std::string, std::string> runs[] = {
      {"growth --protocol long.txt --quiet --out g.h5", "during the growth run; nothing was written"},
      {"map --kernel gaussian:sigma=1 --stabilizer gaussian:sigma={s} --sweep s=0.05:1:10000 "
       "--eps 0:10:400 --n-xi 8192 --quiet --out m.h5",
       "during the map; nothing was written"}};
  for (const auto& [run, message] : runs)
    for (const auto& [name, number] : {std::pair{"INT", SIGINT}, std::pair{"TERM", SIGTERM}}) {
      CAPTURE(run);
      CAPTURE(name);
      const auto r = box.run_signalled(run, name, 1);
      CAPTURE(r.output);
      CHECK(r.exit_code == 128 + number);
      CHECK(r.output.find(message) != std::string::npos);
      int left = 0;  // the outputs or their temporaries ("NAME.tmp-PID")
      for (const auto& entry : std::filesystem::directory_iterator(box.path("")))
        if (entry.path().filename().string().rfind("g.h5", 0) == 0 ||
            entry.path().filename().string().rfind("m.h5", 0) == 0)
          ++left;
      CHECK(left == 0);
    }
}
