// `wgf spectrum` and `wgf map` as a user runs them, and the agreement of the solver's tracked
// mode with the spectral module's discrete rate for the same dynamics.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "cli_sandbox.hpp"
#include "wgf/dynamics.hpp"
#include "wgf/least_squares.hpp"

using namespace wgf::testing;

TEST_CASE("spectrum and map write their layout and exit 0") {
  Sandbox box;
  const CommandResult s = box.run(
      "spectrum --dim 2 --kernel gaussian:sigma=1 --stabilizer gaussian:sigma=0.5 --eps 1 "
      "--xi-max 6 --n-xi 600 --out s.h5");
  CAPTURE(s.output);
  REQUIRE(s.exit_code == 0);
  CHECK(read_status(box.path("s.h5")) == "completed");
  CHECK(read_vector(box.path("s.h5"), "/spectrum/xi").size() == 600);
  // ε* = (σ/σ_s)^d = 4 for d = 2.
  CHECK(read_double_attribute(box.path("s.h5"), "/spectrum", "critical_eps") ==
        doctest::Approx(4.0).epsilon(1e-9));
  const auto bands = read_vector(box.path("s.h5"), "/spectrum/unstable_bands");
  REQUIRE(bands.size() == 2);
  CHECK(bands[0] == 0);

  const CommandResult m = box.run(
      "map --dim 1 --kernel gaussian:sigma=1 --stabilizer 'gaussian:sigma={s}' "
      "--sweep s=0.2:0.8:7 --eps 0:10:11 --n-xi 512 --out m.h5 --quiet");
  CAPTURE(m.output);
  REQUIRE(m.exit_code == 0);
  const auto critical = read_vector(box.path("m.h5"), "/map/critical_eps");
  const auto param = read_vector(box.path("m.h5"), "/map/param");
  REQUIRE(critical.size() == 7);
  for (std::size_t p = 0; p < param.size(); ++p)
    CHECK(critical[p] == doctest::Approx(1.0 / param[p]).epsilon(1e-9));
  CHECK(read_vector(box.path("m.h5"), "/map/max_growth").size() == 77);
}

TEST_CASE("spectrum and map refuse bad input with exit 2 and no file") {
  Sandbox box;
  const std::string spectrum = "spectrum --kernel gaussian --out s.h5 ";
  const std::string map =
      "map --kernel gaussian --stabilizer 'gaussian:sigma={s}' --out m.h5 ";
  const std::pair<std::string, std::string> cases[] = {
      {spectrum + "--xi-max 0", "--xi-max"},
      {spectrum + "--xi-max -3", "--xi-max"},
      {spectrum + "--n-xi 1", "--n-xi"},
      {spectrum + "--role critic", "--role"},
      {spectrum + "--eps 1", "--stabilizer"},
      {"spectrum --kernel gaussian:sigma=0 --out s.h5", "sigma must be > 0"},
      {map + "--sweep s=1:0:5 --eps 0:1:3", "greater than the start"},
      {map + "--sweep s=0.1:1 --eps 0:1:3", "A:B:K"},
      {map + "--sweep t=0.1:1:4 --eps 0:1:3", "placeholder"},
      {map + "--sweep s=0.1:1:4 --eps 0:1:x", "count"},
      {map + "--sweep s=0.1:1:4 --eps -1:1:3", "must be >= 0"},
      {map + "--sweep s=-1:1:4 --eps 0:1:3", "sigma must be > 0"},
      {"map --kernel gaussian --sweep rho0=1:2:3 --eps 0:1:3 --out m.h5", "--stabilizer"},
  };
  for (const auto& [arguments, expected] : cases) {
    const CommandResult r = box.run(arguments);
    CAPTURE(arguments);
    CAPTURE(r.output);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find(expected) != std::string::npos);
    CHECK(box.stray_files() == 0);
  }
}

TEST_CASE("a tracked mode of wgf simulate grows at the spectral module's discrete rate") {
  // Same dynamics given to both: the simulation's measured rate (least squares on log
  // amplitude, amplitude 1e-6, cfl 0.2) must match λ_h to 0.5% (see test_growth_rates.cpp).
  Sandbox box;
  const CommandResult r = box.run(
      "simulate --dim 2 --n 32 --kernel laplace:ell=0.6 --stabilizer gaussian:sigma=0.3 "
      "--eps 0.5 --role discriminator --init mode:amp=1e-6,k=2,1 --t-end 0.4 --cfl 0.2 "
      "--fft-plan estimate --quiet --out run.h5");
  CAPTURE(r.output);
  REQUIRE(r.exit_code == 0);
  const auto t = read_vector(box.path("run.h5"), "/diagnostics/t");
  const auto amplitude = read_vector(box.path("run.h5"), "/modes/amplitude");
  REQUIRE(t.size() == amplitude.size());
  std::vector<double> log_amplitude;
  for (double a : amplitude) log_amplitude.push_back(std::log(a));
  const double measured = wgf::least_squares_slope(t, log_amplitude);
  const wgf::Dynamics dynamics{wgf::parse_kernel("laplace:ell=0.6"),
                               wgf::parse_kernel("gaussian:sigma=0.3"), 0.5,
                               wgf::Role::discriminator, 1.0, 1.0};
  const wgf::Grid grid{2, 32, 2 * M_PI};
  const std::vector<long> k{2, 1};
  const double predicted = dynamics.growth_rate_discrete(k, grid);
  CAPTURE(measured);
  CAPTURE(predicted);
  CHECK(predicted > 0);
  CHECK(std::fabs(measured / predicted - 1) < 5e-3);
  CHECK(read_vector(box.path("run.h5"), "/modes/predicted_rate_discrete")[0] ==
        doctest::Approx(predicted).epsilon(1e-14));
}
