// Input that is well formed but meaningless for the run: finite values whose products overflow
// double precision, limits that stop every run at t = 0, NaN thresholds, negative seeds, inputs
// that are no regular files, a factor without a kernel. Each used to run (exit 0 "completed" or
// "concentrated" at t = 0, -inf energies), fail as exit 1 "non-finite growth rate", or hang;
// each now exits 2 with one message naming the option, and leaves no file.
#include <doctest/doctest.h>
#include <sys/stat.h>

#include <cmath>
#include <string>

#include "cli_sandbox.hpp"
#include "wgf/analysis/stability_map.hpp"

using wgf::testing::Sandbox;

namespace {

struct BadCase {
  const char* arguments;
  const char* expected;  // in the message
};

void check_refused(const Sandbox& box, const BadCase& c) {
  const std::string arguments = c.arguments;
  CAPTURE(arguments);
  const auto r = box.run(c.arguments);
  CAPTURE(r.output);
  CHECK(r.exit_code == 2);
  CHECK(r.output.find(c.expected) != std::string::npos);
  CHECK(box.stray_files() == 0);
}

}  // namespace

TEST_CASE("finite values that overflow double precision exit 2 naming the option") {
  Sandbox box;
  const BadCase cases[] = {
      {"spectrum --kernel gaussian --rho0 1e308 --out a.h5", "--rho0 1e+308"},
      {"spectrum --kernel gaussian --xi-max 1e308 --out a.h5", "--xi-max"},
      {"spectrum --kernel gaussian --dim 1000 --out a.h5", "--dim 1000"},
      {"spectrum --kernel gaussian:sigma=1e200 --out a.h5", "--kernel gaussian:sigma=1e+200"},
      {"spectrum --kernel gaussian --stabilizer gaussian:sigma=0.5 --eps 1e308 --out a.h5",
       "--eps 1e+308"},
      {"map --kernel gaussian --stabilizer gaussian:sigma={s} --sweep s=0.5:2:3 --eps 0:1:3 "
       "--rho0 1e308 --out m.h5",
       "--rho0 1e+308"},
      {"map --kernel gaussian:sigma={s} --stabilizer gaussian:sigma=0.5 --sweep s=1:1e200:3:log "
       "--eps 0:1:3 --out m.h5",
       "--kernel gaussian:sigma=1e+200"},
      {"simulate --kernel gaussian:sigma=1 --stabilizer gaussian:sigma=0.5 --role discriminator "
       "--t-end 0.01 --n 16 --eps 1e308 --out o.h5",
       "--eps 1e+308"},
      {"simulate --kernel 1e308*gaussian:sigma=1 --t-end 0.01 --n 16 --out o.h5",
       "--kernel 1e+308*gaussian"},
      {"simulate --kernel gaussian:sigma=1 --t-end 0.01 --n 16 --init uniform:rho0=1e308 "
       "--out o.h5",
       "--init 'uniform:rho0=1e308': its mass is not finite"},
  };
  for (const BadCase& c : cases) check_refused(box, c);
}

TEST_CASE("simulate refuses a --dt-min or --write-every that stops every run at t = 0") {
  Sandbox box;
  const BadCase cases[] = {
      {"simulate --kernel gaussian:sigma=1 --t-end 0.01 --n 16 --dt-min inf --out o.h5",
       "--dt-min inf"},
      {"simulate --kernel gaussian:sigma=1 --t-end 0.01 --n 16 --dt-min 0.01 --out o.h5",
       "below --t-end"},
      {"simulate --kernel gaussian:sigma=1 --t-end 0.01 --n 16 --write-every 1e-300 --out o.h5",
       "--write-every 1e-300"},
  };
  for (const BadCase& c : cases) check_refused(box, c);
}

TEST_CASE("NaN thresholds and negative seeds are refused like train refuses its seed") {
  Sandbox box;
  const BadCase cases[] = {
      {"validate --study gan --energy-z nan --out-dir v", "--energy-z nan"},
      {"validate --study gan --growth-threshold inf --out-dir v", "--growth-threshold inf"},
      {"validate --study gan --stabilizer-width nan --out-dir v", "--stabilizer-width nan"},
      {"mmd-flow --seed -1 --iters 2 --out f.h5", "--seed -1: must be >= 0"},
      {"growth --seed -1 --out g.h5", "--seed -1: must be >= 0"},
      {"train --seed -1 --iters 2 --out t.h5", "--seed -1: must be >= 0"},
  };
  for (const BadCase& c : cases) check_refused(box, c);
}

TEST_CASE("a device or a FIFO as an input file is refused instead of read for ever") {
  Sandbox box;
  REQUIRE(mkfifo(box.path("fifo.h5").c_str(), 0600) == 0);
  const BadCase cases[] = {
      {"spectrum --kernel table:file=/dev/zero --out s.h5", "'/dev/zero': is not a regular file"},
      {"simulate --kernel gaussian --t-end 0.01 --n 16 --init fifo.h5 --out o.h5",
       "'fifo.h5': is not a regular file"},
      {"spectrum --kernel table:file=fifo.h5 --out s.h5", "'fifo.h5': is not a regular file"},
      {"train --data fifo.h5 --iters 2 --out t.h5", "'fifo.h5': is not a regular file"},
  };
  for (const BadCase& c : cases) {
    const std::string arguments = c.arguments;
    CAPTURE(arguments);
    const auto r = box.run(c.arguments);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find(c.expected) != std::string::npos);
    CHECK(box.stray_files() == 1);  // the FIFO itself
  }
}

TEST_CASE("a factor without a kernel says so; a sweep over 600 decades has finite values") {
  // The sweep's values were a·(b/a)^f with b/a = inf: "sigma=inf" for a value the user never
  // gave. Now the values are the ones asked for, and the one whose transform overflows
  // (σ = 1e300: (2πσ²)^{1/2} = ∞ times e^{−σ²ξ²/2} = 0) is named.
  Sandbox box;
  check_refused(box, {"spectrum --kernel 2* --out s.h5", "multiplies no kernel"});
  check_refused(box, {"spectrum --kernel 'gaussian+0.5* ' --out s.h5", "multiplies no kernel"});
  const auto values = wgf::parse_range("1e-300:1e300:5:log", "--sweep");
  REQUIRE(values.size() == 5);
  CHECK(values.front() == 1e-300);
  CHECK(values.back() == 1e300);
  CHECK(values[2] == doctest::Approx(1.0));
  for (double v : values) CHECK(std::isfinite(v));
  const auto linear = wgf::parse_range("-1e308:1e308:3", "--sweep");
  CHECK(linear == std::vector<double>{-1e308, 0.0, 1e308});
  check_refused(box, {"map --kernel gaussian:sigma={s} --stabilizer gaussian:sigma=0.5 "
                      "--sweep s=1e-300:1e300:5:log --eps 0:1:3 --out m.h5",
                      "--kernel gaussian:sigma=1e+300"});
}

TEST_CASE("the field-spec help states the mode bound the code applies: |k_j| < N/2") {
  Sandbox box;
  const auto help = box.run("simulate --help");
  CHECK(help.output.find("|k_j| < N/2") != std::string::npos);
  CHECK(help.output.find("|k_j| <= N/2") == std::string::npos);
  check_refused(box, {"simulate --kernel gaussian --t-end 0.01 --n 16 --init mode:k=8 --out o.h5",
                      "below N/2"});
}
