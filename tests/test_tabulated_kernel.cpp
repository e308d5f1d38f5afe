// `table:file=PATH` kernels (docs/design.md §1): tables written here from catalogue kernels, read
// back through parse_kernel, and held to the closed forms.
//
// Tolerance. The transform is exact for the C² quintic Hermite interpolant of the table up to
// round-off, so its error is the interpolant's, |e − p| ≤ Δr⁶ max|e⁽⁶⁾|/46080 on each interval,
// plus round-off. On these tables that is tiny: gaussian σ with Δr = σ/200 gives
// (1/200)⁶·15/46080 ≈ 2e−18 of e(0); laplace ℓ with Δr = ℓ/100 gives 2e−17; the log-spaced rq
// tables have Δr/r = 0.5 % (and rq varies on the scale max(r, ℓ)), ≈ 4e−19. Bounded by its L1
// norm, that moves ê by < 1e−15 of ê(0), i.e. < 1e−9 of ê where ê has fallen to 1e−6 of ê(0).
// Round-off: the panels' contributions sum to ê with cancellation at most |ê(0)|/|ê(ξ)| ≤ 1e6,
// times ~1e−16, so ≤ 1e−10. Hence 1e−8 relative holds with a margin of ~50 over the ξ range a
// stability map uses, from 0.01/ℓ to where ê has fallen to 1e−6 of ê(0), capped at
// max_reliable_xi() = π/Δr (reached only by laplace in d = 1). The rq tables extend to 1e5 ℓ so
// that cutting the r^{−2α} tail there changes ê by < 1e−10 from ξ = 0.01/ℓ up.
//
// Set WGF_KERNEL_TEST_REPORT=1 to print the worst relative error per table and dimension, and
// the time per transform.
#include <doctest/doctest.h>
#include <hdf5.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <functional>
#include <limits>
#include <numbers>
#include <string>
#include <thread>
#include <vector>

#include "cli_sandbox.hpp"
#include "wgf/errors.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/kernel.hpp"
#include "wgf/tabulated_kernel.hpp"

namespace fs = std::filesystem;

namespace {

constexpr double kPi = std::numbers::pi;

bool report() {
  const char* flag = std::getenv("WGF_KERNEL_TEST_REPORT");
  return flag && std::string(flag) == "1";
}

class TempFolder {
public:
  TempFolder() {
    std::string pattern = (fs::temp_directory_path() / "wgf-table-XXXXXX").string();
    folder_ = mkdtemp(pattern.data());
  }
  ~TempFolder() {
    std::error_code ignored;
    fs::remove_all(folder_, ignored);
  }
  std::string path(const std::string& name) const { return (folder_ / name).string(); }

private:
  fs::path folder_;
};

struct Samples {
  std::vector<double> r, e;
};

Samples uniform_samples(const wgf::Kernel& k, double r_max, int rows) {
  Samples s;
  for (int i = 0; i < rows; ++i) {
    const double r = r_max * i / (rows - 1);
    s.r.push_back(r);
    s.e.push_back(k.value(r));
  }
  return s;
}

// r = 0 (when with_zero), then log-spaced from r_min to r_max.
Samples log_samples(const wgf::Kernel& k, double r_min, double r_max, int rows, bool with_zero) {
  Samples s;
  if (with_zero) {
    s.r.push_back(0.0);
    s.e.push_back(k.value(0.0));
  }
  const int n = rows - (with_zero ? 1 : 0);
  for (int i = 0; i < n; ++i) {
    const double r = r_min * std::pow(r_max / r_min, static_cast<double>(i) / (n - 1));
    s.r.push_back(r);
    s.e.push_back(k.value(r));
  }
  return s;
}

void write_text(const std::string& path, const std::string& content) {
  std::ofstream(path, std::ios::binary) << content;
}

// CSV (comma, header line) or blank-separated text, every double written exactly.
void write_csv(const std::string& path, const Samples& s, bool commas) {
  std::string text = commas ? "r,e\n" : "# r e\n";
  char line[96];
  for (std::size_t i = 0; i < s.r.size(); ++i) {
    std::snprintf(line, sizeof line, commas ? "%.17g,%.17g\n" : "%.17g\t%.17g\n", s.r[i], s.e[i]);
    text += line;
  }
  write_text(path, text);
}

void write_h5_dataset(hid_t file, const char* name, const std::vector<double>& values,
                      std::vector<hsize_t> shape) {
  wgf::H5Id space(H5Screate_simple(static_cast<int>(shape.size()), shape.data(), nullptr));
  wgf::H5Id set(H5Dcreate2(file, name, H5T_NATIVE_DOUBLE, space.get(), H5P_DEFAULT, H5P_DEFAULT,
                           H5P_DEFAULT));
  H5Dwrite(set.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, values.data());
}

void write_h5(const std::string& path, const std::vector<double>& r, const std::vector<double>& e,
              bool e_as_matrix = false) {
  wgf::quiet_hdf5_errors();
  wgf::H5Id file(H5Fcreate(path.c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
  if (!r.empty()) write_h5_dataset(file.get(), "r", r, {r.size()});
  if (!e.empty()) {
    if (e_as_matrix)
      write_h5_dataset(file.get(), "e", e, {e.size() / 2, 2});
    else
      write_h5_dataset(file.get(), "e", e, {e.size()});
  }
}

// ξ where the closed form has fallen to 1e−6 of ê(0) (bisection on a bracket).
double decay_xi(const wgf::Kernel& k, int dim) {
  const double target = 1e-6 * k.transform(0.0, dim);
  double lo = 0, hi = 1;
  while (k.transform(hi, dim) > target) hi *= 2;
  for (int i = 0; i < 100; ++i) {
    const double mid = 0.5 * (lo + hi);
    (k.transform(mid, dim) > target ? lo : hi) = mid;
  }
  return hi;
}

struct TableCase {
  std::string name;    // catalogue spec the table is made from
  double ell;          // length scale: ξ from 0.01/ℓ
  std::string format;  // "csv", "text" or "h5"
  std::function<Samples(const wgf::Kernel&)> samples;
};

std::vector<TableCase> table_cases() {
  auto uniform = [](double r_max, int rows) {
    return [=](const wgf::Kernel& k) { return uniform_samples(k, r_max, rows); };
  };
  auto logarithmic = [](double r_min, double r_max, int rows, bool zero) {
    return [=](const wgf::Kernel& k) { return log_samples(k, r_min, r_max, rows, zero); };
  };
  return {
      {"gaussian:sigma=0.5", 0.5, "csv", uniform(5.0, 2001)},
      {"gaussian:sigma=1", 1.0, "csv", uniform(10.0, 2001)},
      {"gaussian:sigma=1", 1.0, "text", logarithmic(1e-3, 10.0, 3000, false)},  // starts at r > 0
      {"laplace:ell=0.5", 0.5, "text", uniform(20.0, 4001)},
      {"laplace:ell=1", 1.0, "h5", uniform(40.0, 4001)},
      {"laplace:ell=1", 1.0, "csv", logarithmic(1e-4, 40.0, 3000, false)},  // starts at r > 0
      {"rq:alpha=2,ell=0.5", 0.5, "h5", logarithmic(5e-5, 5e4, 4000, true)},
      {"rq:alpha=2,ell=1", 1.0, "csv", logarithmic(1e-4, 1e5, 4000, true)},
      {"rq:alpha=3,ell=0.5", 0.5, "h5", logarithmic(5e-5, 5e4, 4000, true)},
      {"rq:alpha=3,ell=1", 1.0, "h5", logarithmic(1e-4, 1e5, 4000, true)},
  };
}

std::string write_table(const TempFolder& folder, const TableCase& c, int index, const Samples& s) {
  const std::string path = folder.path("table" + std::to_string(index) + "." +
                                       (c.format == "h5" ? "h5" : c.format == "csv" ? "csv" : "txt"));
  if (c.format == "h5")
    write_h5(path, s.r, s.e);
  else
    write_csv(path, s, c.format == "csv");
  return path;
}

// The message of the InputError that `f` throws ("" when it throws none).
std::string input_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const wgf::InputError& error) {
    return error.what();
  }
  return "";
}

}  // namespace

TEST_CASE("tabulated gaussian, rq and laplace reproduce their closed-form transforms to 1e-8") {
  TempFolder folder;
  const auto cases = table_cases();
  int index = 0;
  double worst_overall = 0, seconds = 0;
  long evaluations = 0;
  for (const auto& c : cases) {
    const wgf::Kernel exact = wgf::parse_kernel(c.name);
    const Samples s = c.samples(exact);
    const std::string path = write_table(folder, c, index++, s);
    const wgf::Kernel table = wgf::parse_kernel("table:file=" + path);
    REQUIRE(table.terms().size() == 1);
    const double reliable = table.max_reliable_xi();
    for (int dim = 1; dim <= 3; ++dim) {
      CAPTURE(c.name);
      CAPTURE(c.format);
      CAPTURE(dim);
      const double lo = 0.01 / c.ell, hi = std::min(decay_xi(exact, dim), reliable);
      REQUIRE(hi > 10 * lo);
      double worst = 0, worst_xi = 0;
      const int samples = 60;
      std::vector<double> values(samples);
      const auto start = std::chrono::steady_clock::now();
      for (int i = 0; i < samples; ++i)
        values[i] = table.transform(lo * std::pow(hi / lo, i / (samples - 1.0)), dim);
      seconds += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      evaluations += samples;
      for (int i = 0; i < samples; ++i) {
        const double xi = lo * std::pow(hi / lo, i / (samples - 1.0));
        const double reference = exact.transform(xi, dim);
        const double relative = std::fabs(values[i] - reference) / std::fabs(reference);
        if (relative > worst) {
          worst = relative;
          worst_xi = xi;
        }
      }
      CHECK(worst < 1e-8);
      worst_overall = std::max(worst_overall, worst);
      if (report())
        std::printf("%-20s %-4s %5zu rows d=%d xi in [%.3g, %.3g]: worst rel. error %.2e (xi %.3g)\n",
                    c.name.c_str(), c.format.c_str(), s.r.size(), dim, lo, hi, worst, worst_xi);
    }
  }
  if (report())
    std::printf("worst overall %.2e; %.1f us per transform (%ld evaluations)\n", worst_overall,
                1e6 * seconds / evaluations, evaluations);
}

TEST_CASE("tabulated value and radial derivative follow the closed form; zero beyond r_max") {
  TempFolder folder;
  const auto cases = table_cases();
  int index = 0;
  for (const auto& c : cases) {
    CAPTURE(c.name);
    CAPTURE(c.format);
    const wgf::Kernel exact = wgf::parse_kernel(c.name);
    const Samples s = c.samples(exact);
    const wgf::Kernel table = wgf::parse_kernel("table:file=" + write_table(folder, c, index++, s));
    double worst_value = 0, worst_slope = 0, largest_slope = 0;
    for (std::size_t i = 0; i + 1 < s.r.size(); ++i) {
      for (double f : {0.0, 0.3, 0.5}) {  // the samples themselves and points between them
        const double r = s.r[i] + f * (s.r[i + 1] - s.r[i]);
        worst_value = std::max(worst_value, std::fabs(table.value(r) - exact.value(r)));
        worst_slope = std::max(worst_slope, std::fabs(table.radial_derivative(r) -
                                                      exact.radial_derivative(r)));
        largest_slope = std::max(largest_slope, std::fabs(exact.radial_derivative(r)));
      }
    }
    CHECK(worst_value < 1e-12);  // e(0) = 1
    CHECK(worst_slope < 1e-8 * largest_slope);
    // Between 0 and a first sample r_0 > 0: the Taylor extension.
    CHECK(table.value(0.0) == doctest::Approx(exact.value(0.0)).epsilon(1e-10));
    CHECK(table.value(s.r.back() * 1.01) == 0.0);
    CHECK(table.radial_derivative(s.r.back() * 1.01) == 0.0);
  }
}

TEST_CASE("tabulated transform at xi = 0 and in dimensions beyond 3") {
  TempFolder folder;
  const wgf::Kernel exact = wgf::parse_kernel("gaussian:sigma=1");
  const std::string path = folder.path("g.csv");
  write_csv(path, uniform_samples(exact, 10.0, 2001), true);
  const wgf::Kernel table = wgf::parse_kernel("table:file=" + path);
  for (int dim = 1; dim <= 6; ++dim) {
    CAPTURE(dim);
    CHECK(table.transform(0.0, dim) == doctest::Approx(exact.transform(0.0, dim)).epsilon(1e-12));
    for (double xi : {0.3, 1.0, 2.5, 4.0})
      CHECK(table.transform(xi, dim) == doctest::Approx(exact.transform(xi, dim)).epsilon(1e-8));
  }
  // Past the reliable range the value stays finite and tiny (the interpolant's own transform).
  const double beyond = 3 * table.max_reliable_xi();
  for (int dim = 1; dim <= 3; ++dim) {
    const double v = table.transform(beyond, dim);
    CHECK(std::isfinite(v));
    CHECK(std::fabs(v) < 1e-12 * table.transform(0.0, dim));
  }
  CHECK_THROWS_AS(table.transform(1.0, 0), wgf::InputError);
}

TEST_CASE("tabulated transform gives identical results from concurrent threads") {
  TempFolder folder;
  const wgf::Kernel exact = wgf::parse_kernel("rq:alpha=2,ell=1");
  const std::string path = folder.path("rq.h5");
  const Samples s = log_samples(exact, 1e-4, 1e5, 4000, true);
  write_h5(path, s.r, s.e);
  const wgf::Kernel table = wgf::parse_kernel("table:file=" + path);
  auto sweep = [&](int dim) {
    std::vector<double> v;
    for (int i = 0; i < 40; ++i) v.push_back(table.transform(0.02 + 0.2 * i, dim));
    return v;
  };
  const std::vector<double> serial = sweep(2);
  std::vector<std::vector<double>> results(4);
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) threads.emplace_back([&, t] { results[t] = sweep(2); });
  for (auto& t : threads) t.join();
  for (const auto& r : results) CHECK(r == serial);
}

TEST_CASE("max_reliable_xi is pi over the widest spacing where e matters, and is enforced") {
  TempFolder folder;
  const wgf::Kernel gaussian = wgf::parse_kernel("gaussian:sigma=1");
  const std::string uniform = folder.path("u.csv");
  write_csv(uniform, uniform_samples(gaussian, 10.0, 2001), true);
  const wgf::Kernel u = wgf::parse_kernel("table:file=" + uniform);
  CHECK(u.max_reliable_xi() == doctest::Approx(kPi / (10.0 / 2000)).epsilon(1e-9));

  // Log spacing: the spacing where |e| > 1e-6 max|e| decides, not the coarse tail.
  const wgf::Kernel rq = wgf::parse_kernel("rq:alpha=2,ell=1");
  const Samples s = log_samples(rq, 1e-4, 1e5, 4000, true);
  double widest = 0;
  for (std::size_t i = 0; i + 1 < s.r.size(); ++i)
    if (std::max(std::fabs(s.e[i]), std::fabs(s.e[i + 1])) > 1e-6)
      widest = std::max(widest, s.r[i + 1] - s.r[i]);
  const std::string log_path = folder.path("rq.h5");
  write_h5(log_path, s.r, s.e);
  const wgf::Kernel l = wgf::parse_kernel("table:file=" + log_path);
  CHECK(l.max_reliable_xi() == doctest::Approx(kPi / widest).epsilon(1e-12));
  CHECK(l.max_reliable_xi() < 0.01 * kPi / (s.r.back() - s.r[s.r.size() - 2]) * 1e6);

  // Sums take the smallest; closed forms are unlimited.
  CHECK(std::isinf(gaussian.max_reliable_xi()));
  const wgf::Kernel sum =
      wgf::parse_kernel("0.5*table:file=" + uniform + "+table:file=" + log_path + "+laplace");
  CHECK(sum.max_reliable_xi() == doctest::Approx(l.max_reliable_xi()).epsilon(1e-12));

  // The spectrum command refuses a range beyond it with exit code 2 and accepts one within.
  wgf::testing::Sandbox box;
  write_csv(box.path("g.csv").string(), uniform_samples(gaussian, 10.0, 2001), true);
  const auto refused = box.run("spectrum --dim 2 --kernel table:file=g.csv --xi-max 1000 "
                               "--n-xi 64 --quiet --out s.h5");
  CHECK(refused.exit_code == 2);
  CHECK(refused.output.find("reliable") != std::string::npos);
  CHECK_FALSE(fs::exists(box.path("s.h5")));
  const auto accepted = box.run("spectrum --dim 2 --kernel table:file=g.csv --xi-max 6 "
                                "--n-xi 64 --quiet --out s.h5");
  CHECK(accepted.exit_code == 0);
}

TEST_CASE("table specs round-trip through spec()") {
  TempFolder folder;
  const std::string path = folder.path("g.csv");
  write_csv(path, uniform_samples(wgf::parse_kernel("gaussian"), 10.0, 101), true);
  const wgf::Kernel k = wgf::parse_kernel("2*table:file=" + path);
  CHECK(k.spec() == "2*table:file=" + path);
  const wgf::Kernel again = wgf::parse_kernel(k.spec());
  CHECK(again.spec() == k.spec());
  CHECK(again.transform(1.3, 2) == k.transform(1.3, 2));
}

TEST_CASE("bad tables and table specs throw InputError naming the file and the problem") {
  TempFolder folder;
  const Samples good = uniform_samples(wgf::parse_kernel("gaussian"), 10.0, 101);
  auto csv_with = [&](const std::string& name, const std::string& body) {
    const std::string path = folder.path(name);
    write_text(path, body);
    return path;
  };
  std::string good_text;
  for (std::size_t i = 1; i < good.r.size(); ++i)
    good_text += std::to_string(good.r[i]) + "," + std::to_string(good.e[i]) + "\n";

  struct Bad {
    std::string path, expected;
  };
  std::vector<Bad> bad = {
      {folder.path("missing.csv"), "no such file"},
      {folder.path(""), "folder"},
      {csv_with("binary.dat", std::string("\x89HDF\0\x01\x02junk", 12)), "neither an HDF5 file"},
      {csv_with("short.csv", "r,e\n0,1\n1,0.5\n2,1e-9\n"), "at least 8"},
      {csv_with("word.csv", "r,e\n0,1\n0.1,abc\n" + good_text), "'abc' is not a number"},
      {csv_with("columns.csv", "0,1,2\n" + good_text), "expected two columns"},
      {csv_with("columns2.csv", "r,e\n0,1\n0.05\n" + good_text), "found 1"},
      {csv_with("order.csv", "0,1\n0.2,0.9\n0.1,0.95\n" + good_text), "strictly increasing"},
      {csv_with("repeat.csv", "0,1\n0,1\n" + good_text), "strictly increasing"},
      {csv_with("negative.csv", "-0.1,1\n" + good_text), "negative"},
      {csv_with("nan.csv", "0,1\n0.05,nan\n" + good_text), "not finite"},
      {csv_with("inf.csv", "0,inf\n" + good_text), "not finite"},
      {csv_with("zero.csv", "0,0\n1,0\n2,0\n3,0\n4,0\n5,0\n6,0\n7,0\n8,0\n"), "zero everywhere"},
      {csv_with("slow.csv", "0,1\n1,0.5\n2,0.3\n3,0.2\n4,0.1\n5,0.05\n6,0.02\n7,0.01\n"),
       "not negligible"},
      // tests/fuzz/fuzz_kernel_table: unit spacings, then one interval out to r = 8e8 where e = 0;
      // a transform of it ran for minutes (Gauss–Legendre pieces in proportion to the width).
      {csv_with("span.csv", "0,1\n1,0.367879\n2,0.135335\n3,0.0497871\n4,0.0183156\n"
                            "5,0.00673795\n6,0.00247875\n7,0\n828119816,0\n"),
       "more than 10^6 times the widest spacing where e is not negligible"},
  };
  {
    const std::string no_e = folder.path("no_e.h5");
    write_h5(no_e, good.r, {});
    bad.push_back({no_e, "without a dataset 'e'"});
    const std::string matrix = folder.path("matrix.h5");
    std::vector<double> e2(2 * good.r.size(), 0.0);
    write_h5(matrix, good.r, e2, true);
    bad.push_back({matrix, "must be 1-D"});
    const std::string mismatch = folder.path("mismatch.h5");
    write_h5(mismatch, good.r, std::vector<double>(good.e.begin(), good.e.end() - 1));
    bad.push_back({mismatch, "differ in length"});
  }
  for (const auto& b : bad) {
    CAPTURE(b.path);
    const std::string message = input_error([&] { wgf::parse_kernel("table:file=" + b.path); });
    CHECK(message.find(b.path) != std::string::npos);
    CHECK(message.find(b.expected) != std::string::npos);
    if (message.find(b.expected) == std::string::npos) MESSAGE(message);
  }
  const std::string good_path = folder.path("good.csv");
  write_csv(good_path, good, true);
  const std::string unknown =
      input_error([&] { wgf::parse_kernel("table:file=" + good_path + ",sigma=2"); });
  CHECK(unknown.find(good_path) != std::string::npos);
  CHECK(unknown.find("unknown key 'sigma'") != std::string::npos);
  CHECK(input_error([] { wgf::parse_kernel("table"); }).find("file=PATH") != std::string::npos);
  // The directly constructed family checks its samples too.
  CHECK(input_error([] { wgf::TabulatedKernel("mine", {0, 1}, {1, 0}); }).find("'mine'") !=
        std::string::npos);
}

TEST_CASE("wgf simulate and spectrum run with a tabulated kernel") {
  wgf::testing::Sandbox box;
  const wgf::Kernel gaussian = wgf::parse_kernel("gaussian:sigma=0.5");
  write_csv(box.path("g.csv").string(), uniform_samples(gaussian, 5.0, 2001), true);
  const auto run = box.run("simulate --dim 1 --n 32 --kernel table:file=g.csv "
                           "--role discriminator --t-end 0.1 --fft-plan estimate --quiet "
                           "--out out.h5");
  INFO(run.output);
  REQUIRE(run.exit_code == 0);
  CHECK(wgf::testing::read_status(box.path("out.h5")) == "completed");
  // The spectrum written from the table matches the closed form's.
  const auto table = box.run("spectrum --dim 2 --kernel table:file=g.csv --xi-max 8 --n-xi 50 "
                             "--quiet --out t.h5");
  const auto closed = box.run("spectrum --dim 2 --kernel gaussian:sigma=0.5 --xi-max 8 "
                              "--n-xi 50 --quiet --out c.h5");
  REQUIRE(table.exit_code == 0);
  REQUIRE(closed.exit_code == 0);
  const auto a = wgf::testing::read_vector(box.path("t.h5"), "/spectrum/F_e");
  const auto b = wgf::testing::read_vector(box.path("c.h5"), "/spectrum/F_e");
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i)
    CHECK(a[i] == doctest::Approx(b[i]).epsilon(1e-8).scale(1e-12 * b[0]));
}
