// `wgf simulate` files as a reader meets them: the layout --write-every promises (one row per
// write, the times and steps beside them, the grid's cell centres), a restart that continues
// from the last write exactly, the statuses --max-steps and --dt-min give, and the same fields at
// one and two threads. Expected values are computed here from the options, not read back from
// the program.
#include <doctest/doctest.h>
#include <hdf5.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "cli_sandbox.hpp"
#include "wgf/h5_file.hpp"

namespace {

using wgf::testing::CommandResult;
using wgf::testing::read_double_attribute;
using wgf::testing::read_root_string;
using wgf::testing::read_status;
using wgf::testing::read_vector;
using wgf::testing::Sandbox;
namespace fs = std::filesystem;

std::vector<hsize_t> shape_of(const fs::path& file, const std::string& path) {
  wgf::H5Id f = wgf::open_for_reading(file.string(), "test");
  wgf::H5Id dataset(H5Dopen2(f.get(), path.c_str(), H5P_DEFAULT));
  wgf::H5Id space(H5Dget_space(dataset.get()));
  std::vector<hsize_t> dims(static_cast<std::size_t>(H5Sget_simple_extent_ndims(space.get())));
  H5Sget_simple_extent_dims(space.get(), dims.data(), nullptr);
  return dims;
}

double max_abs_difference(const std::vector<double>& a, const std::vector<double>& b) {
  REQUIRE(a.size() == b.size());
  double worst = 0;
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::abs(a[i] - b[i]));
  return worst;
}

double max_abs(const std::vector<double>& a) {
  double worst = 0;
  for (double v : a) worst = std::max(worst, std::abs(v));
  return worst;
}

// An aggregating discriminator flow: its time step shrinks from 0.022 towards 0.003 as p
// concentrates (measured: below 0.01 after about ten steps, at t ≈ 0.15).
const std::string kAggregating =
    "simulate --dim 1 --n 64 --kernel gaussian:sigma=0.5 --role discriminator "
    "--init mode:amp=0.5,k=1 --fft-plan estimate --quiet";

}  // namespace

TEST_CASE("--write-every writes one row per write time, with its time, step and the grid's cell centres") {
  Sandbox box;
  // 1D, N = 32, t_end 0.1 every 0.025: writes at 0, 0.025, 0.05, 0.075, 0.1.
  const CommandResult one = box.run(
      "simulate --dim 1 --n 32 --kernel gaussian:sigma=0.5 --role discriminator --t-end 0.1 "
      "--write-every 0.025 --fft-plan estimate --quiet --out one.h5");
  CAPTURE(one.output);
  REQUIRE(one.exit_code == 0);
  const fs::path f = box.path("one.h5");
  CHECK(shape_of(f, "/fields/p") == std::vector<hsize_t>{5, 32});
  CHECK(shape_of(f, "/fields/q") == std::vector<hsize_t>{5, 32});
  const auto t = read_vector(f, "/scales/t");
  REQUIRE(t.size() == 5);
  // Times land on the write times to rounding (the last step is cut to meet each one).
  for (std::size_t i = 0; i < t.size(); ++i) CHECK(t[i] == doctest::Approx(0.025 * i).epsilon(1e-12));
  const auto step = read_vector(f, "/scales/step");
  REQUIRE(step.size() == 5);
  CHECK(step[0] == 0);
  for (std::size_t i = 1; i < step.size(); ++i) CHECK(step[i] > step[i - 1]);
  CHECK(step.back() == read_double_attribute(f, "/", "steps"));
  // The grid: [-π, π) in 32 cells of h = 2π/32, centres at -π + (i + ½) h.
  const double length = 2 * M_PI, h = length / 32;
  CHECK(read_double_attribute(f, "/grid", "h") == doctest::Approx(h).epsilon(1e-15));
  CHECK(read_double_attribute(f, "/grid", "length") == doctest::Approx(length).epsilon(1e-15));
  CHECK(read_double_attribute(f, "/grid", "n") == 32);
  CHECK(read_double_attribute(f, "/grid", "dim") == 1);
  const auto x0 = read_vector(f, "/grid/x0");
  REQUIRE(x0.size() == 32);
  for (int i = 0; i < 32; ++i) CHECK(x0[i] == doctest::Approx(-M_PI + (i + 0.5) * h).epsilon(1e-14));
  // Each row's mass is the diagnostics' mass at that time: the rows are the states written.
  const auto p = read_vector(f, "/fields/p");
  const auto mass = read_vector(f, "/diagnostics/mass_p");
  const auto diagnostic_t = read_vector(f, "/diagnostics/t");
  for (std::size_t row = 0; row < 5; ++row) {
    double sum = 0;
    for (int i = 0; i < 32; ++i) sum += p[row * 32 + i] * h;
    const auto at = std::find(diagnostic_t.begin(), diagnostic_t.end(), t[row]);
    REQUIRE(at != diagnostic_t.end());
    CHECK(sum == doctest::Approx(mass[at - diagnostic_t.begin()]).epsilon(1e-12));
  }

  // 2D: the rows are N × N fields.
  const CommandResult two = box.run(
      "simulate --dim 2 --n 16 --kernel gaussian:sigma=0.5 --t-end 0.05 --write-every 0.025 "
      "--init mode:amp=0.1,k=1,1 --fft-plan estimate --quiet --out two.h5");
  CAPTURE(two.output);
  REQUIRE(two.exit_code == 0);
  CHECK(shape_of(box.path("two.h5"), "/fields/p") == std::vector<hsize_t>{3, 16, 16});
  CHECK(shape_of(box.path("two.h5"), "/grid/x0").size() == 1);
}

TEST_CASE("a restart from a file begins with that file's last write, value for value") {
  Sandbox box;
  const std::string run =
      "simulate --dim 1 --n 32 --kernel gaussian:sigma=0.5 --role discriminator --t-end 0.05 "
      "--write-every 0.025 --fft-plan estimate --quiet";
  REQUIRE(box.run(run + " --init mode:amp=0.2,k=2 --out first.h5").exit_code == 0);
  const CommandResult second = box.run(run + " --init first.h5 --out second.h5");
  CAPTURE(second.output);
  REQUIRE(second.exit_code == 0);
  const auto first_p = read_vector(box.path("first.h5"), "/fields/p");
  const auto second_p = read_vector(box.path("second.h5"), "/fields/p");
  REQUIRE(first_p.size() == 3 * 32);
  REQUIRE(second_p.size() == 3 * 32);
  // Exactly: the restart copies doubles, it computes nothing.
  for (int i = 0; i < 32; ++i) CHECK(second_p[i] == first_p[2 * 32 + i]);
  // And it moved on from there (the flow is not at rest).
  CHECK(max_abs_difference(std::vector<double>(second_p.begin() + 64, second_p.end()),
                           std::vector<double>(first_p.begin() + 64, first_p.end())) > 1e-6);
  // An earlier write on request: index=1 is the write at t = 0.025.
  REQUIRE(box.run(run + " --init first.h5:field=p,index=1 --out third.h5").exit_code == 0);
  const auto third_p = read_vector(box.path("third.h5"), "/fields/p");
  for (int i = 0; i < 32; ++i) CHECK(third_p[i] == first_p[32 + i]);
}

TEST_CASE("--max-steps ends a run 'interrupted' after that many steps, exit 0, the file complete") {
  Sandbox box;
  const CommandResult r = box.run(kAggregating + " --t-end 0.2 --max-steps 3 --out o.h5");
  CAPTURE(r.output);
  CHECK(r.exit_code == 0);
  const fs::path f = box.path("o.h5");
  CHECK(read_status(f) == "interrupted");
  CHECK(read_double_attribute(f, "/", "steps") == 3);
  // Three steps of ≤ 0.022 each: t_final < t_end, and the last write is that state.
  const double t_final = read_double_attribute(f, "/", "t_final");
  CHECK(t_final > 0);
  CHECK(t_final < 0.07);
  CHECK(read_vector(f, "/scales/t").back() == t_final);
  CHECK(read_vector(f, "/diagnostics/dt").size() == 4);  // the initial state and three steps
}

TEST_CASE("--dt-min stops a concentrating flow as 'concentrated', naming --dt-min; a write time does not") {
  Sandbox box;
  const CommandResult r = box.run(kAggregating + " --t-end 1 --dt-min 0.01 --out o.h5");
  CAPTURE(r.output);
  CHECK(r.exit_code == 0);
  const fs::path f = box.path("o.h5");
  CHECK(read_status(f) == "concentrated");
  CHECK(read_root_string(f, "status_reason") == "time step below --dt-min");
  CHECK(r.output.find("--dt-min") != std::string::npos);
  // Every step taken was at least 0.01; the run stopped well before t_end.
  const auto dt = read_vector(f, "/diagnostics/dt");
  REQUIRE(dt.size() > 2);
  for (std::size_t i = 1; i < dt.size(); ++i) CHECK(dt[i] >= 0.01);
  CHECK(read_double_attribute(f, "/", "t_final") < 0.5);

  // The step before a write or t_end is cut short to meet it; that remainder is no sign of
  // concentration. Steps of ~0.03 with writes every 0.03 up to 0.1 leave a last step of 0.01,
  // below --dt-min 0.02: the run still completes.
  const CommandResult cut = box.run(
      "simulate --dim 1 --n 32 --kernel gaussian:sigma=0.5 --role discriminator --t-end 0.1 "
      "--write-every 0.03 --dt-min 0.02 --fft-plan estimate --quiet --out cut.h5");
  CAPTURE(cut.output);
  CHECK(cut.exit_code == 0);
  CHECK(read_status(box.path("cut.h5")) == "completed");
  CHECK(read_double_attribute(box.path("cut.h5"), "/", "t_final") == doctest::Approx(0.1).epsilon(1e-12));
}

TEST_CASE("simulate at one and two threads writes the same fields to rounding") {
  // 2D, N = 64: large enough for FFTW's and OpenMP's threads to split the work. The two runs
  // differ only in the order of the transforms' and reductions' sums (≈1e-16 relative per
  // operation); over this short, non-concentrating run that stays far below 1e-12 of the field.
  Sandbox box;
  const std::string run =
      "simulate --dim 2 --n 64 --kernel gaussian:sigma=0.5 --role discriminator --stabilizer "
      "gaussian:sigma=0.25 --eps 6 --init random:amp=0.2,seed=3 --t-end 0.05 --write-every 0.025 "
      "--fft-plan estimate --quiet";
  REQUIRE(box.run(run + " --threads 1 --out one.h5").exit_code == 0);
  REQUIRE(box.run(run + " --threads 2 --out two.h5").exit_code == 0);
  CHECK(read_double_attribute(box.path("one.h5"), "/", "threads") == 1);
  CHECK(read_double_attribute(box.path("two.h5"), "/", "threads") == 2);
  for (const char* field : {"/fields/p", "/fields/q"}) {
    CAPTURE(field);
    const auto a = read_vector(box.path("one.h5"), field);
    const auto b = read_vector(box.path("two.h5"), field);
    CHECK(max_abs_difference(a, b) <= 1e-12 * max_abs(a));
  }
  CHECK(read_vector(box.path("one.h5"), "/scales/step") == read_vector(box.path("two.h5"), "/scales/step"));
}
