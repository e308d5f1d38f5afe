// Every command refuses words that are no option's value (they used to be ignored: `--out a.h5
// b.h5` ran as if b.h5 were not there) and a --threads beyond what the OpenMP runtime survives,
// each with exit 2, a message naming the problem and no output file.
#include <doctest/doctest.h>

#include <string>

#include "cli_sandbox.hpp"

using wgf::testing::Sandbox;

TEST_CASE("a stray word on any command's line exits 2 and writes nothing") {
  Sandbox box;
  const char* const commands[] = {
      "simulate --kernel gaussian:sigma=1 --t-end 0.01 --n 16 --out o.h5 stray",
      "spectrum --kernel gaussian --out a.h5 b.h5",
      "map --kernel gaussian:sigma={s} --sweep s=0.5:2:3 --out m.h5 stray",
      "train --iters 2 --out t.h5 stray",
      "mmd-flow --iters 2 --out f.h5 stray",
      "growth --out g.h5 stray",
      "sample --generator g.h5 --out s.h5 stray",
      "validate --study particles --out-dir v stray",
  };
  for (const char* command : commands) {
    CAPTURE(command);
    const auto r = box.run(command);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("positional") != std::string::npos);
    CHECK(box.stray_files() == 0);
  }
}

TEST_CASE("--threads beyond 1024 exits 2 naming it, before any file is made") {
  Sandbox box;
  const char* const commands[] = {
      "simulate --kernel gaussian:sigma=1 --t-end 0.01 --n 16 --out o.h5 --threads 100000",
      "train --iters 2 --out t.h5 --threads 100000",
      "mmd-flow --iters 2 --out f.h5 --threads 100000",
      "growth --out g.h5 --threads 100000",
  };
  for (const char* command : commands) {
    CAPTURE(command);
    const auto r = box.run(command);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find("--threads 100000") != std::string::npos);
    CHECK(box.stray_files() == 0);
  }
}
