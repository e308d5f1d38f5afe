// The trainer's data sources and metrics on inputs whose answers are known.
#include <doctest/doctest.h>
#include <hdf5.h>
#include <zlib.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>
#include <vector>

#include "cli_sandbox.hpp"
#include "wgf/errors.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/trainer/datasets.hpp"
#include "wgf/trainer/metrics.hpp"

using namespace wgf;

TEST_CASE("ring8 and grid25: every sample near a centre, components equally likely") {
  for (const char* name : {"ring8", "grid25"}) {
    const auto source = make_data_source(name, 5, 100);
    const GaussianMixture& m = *source->mixture();
    CHECK(m.components() == (std::string(name) == "ring8" ? 8 : 25));
    const long n = 20000;
    std::vector<float> x(n * 2);
    Rng rng(1);
    source->sample_training(rng, n, x.data());
    std::vector<long> counts(m.components(), 0);
    double worst = 0;
    for (long i = 0; i < n; ++i) {
      long nearest = 0;
      double best = 1e9;
      for (long c = 0; c < m.components(); ++c) {
        const double d = std::hypot(x[2 * i] - m.centres[2 * c], x[2 * i + 1] - m.centres[2 * c + 1]);
        if (d < best) best = d, nearest = c;
      }
      worst = std::max(worst, best);
      ++counts[nearest];
    }
    CAPTURE(name);
    // 2-D Gaussian: P(r > 6σ) = e^{-18} ≈ 1.5e-8 per sample.
    CHECK(worst < 6 * m.std);
    // Each count is binomial(n, 1/K): within 5 standard deviations of n/K.
    const double expected = double(n) / m.components();
    for (long c : counts) CHECK(std::fabs(c - expected) < 5 * std::sqrt(expected));
  }
  const GaussianMixture ring = ring8_mixture();
  CHECK(ring.std == 0.02);
  CHECK(std::hypot(ring.centres[2], ring.centres[3]) == doctest::Approx(2.0));
  const GaussianMixture grid = grid25_mixture();
  CHECK(grid.std == 0.05);
  CHECK(grid.centres[0] == -4.0);
  CHECK(grid.centres[2 * 24] == 4.0);
}

TEST_CASE("idx images (raw and gzipped) and HDF5 points load, split and scale as documented") {
  testing::Sandbox box;
  const long count = 40, side = 3;
  std::vector<unsigned char> pixels(count * side * side);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<unsigned char>(i % 256);
  write_idx_images(box.path("images.idx").string(), count, side, side, pixels);
  {  // the same file gzipped, as Debian ships Fashion-MNIST
    std::ifstream in(box.path("images.idx"), std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    gzFile gz = gzopen(box.path("images.idx.gz").c_str(), "wb");
    gzwrite(gz, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(gz);
  }
  for (const char* file : {"images.idx", "images.idx.gz"}) {
    const auto source = make_data_source(box.path(file).string(), 1, 100);
    CAPTURE(file);
    CHECK(source->dim() == 9);
    CHECK(source->sample_shape() == std::vector<long>{3, 3});
    CHECK(source->held_out_capacity() == count / 5);  // a fifth held out
    std::vector<float> held(8 * 9), drawn(500 * 9);
    source->held_out(8, held.data());
    Rng rng(2);
    source->sample_training(rng, 500, drawn.data());
    // Pixels map to [−1, 1]; every row is one of the images; no held-out image is drawn.
    auto image_of = [&](const float* row) {
      const long first = std::lround((row[0] + 1) / 2 * 255);
      for (long k = 0; k < count; ++k)
        if (pixels[k * 9] == first && pixels[k * 9 + 8] == std::lround((row[8] + 1) / 2 * 255)) return k;
      return -1L;
    };
    std::vector<bool> held_image(count, false);
    for (int i = 0; i < 8; ++i) {
      const long k = image_of(&held[i * 9]);
      REQUIRE(k >= 0);
      held_image[k] = true;
      CHECK(held[i * 9 + 1] == doctest::Approx(pixels[k * 9 + 1] * 2.0 / 255 - 1));
    }
    for (int i = 0; i < 500; ++i) {
      const long k = image_of(&drawn[i * 9]);
      REQUIRE(k >= 0);
      CHECK_FALSE(held_image[k]);
    }
  }
  {  // HDF5 points: 30 points in 3-D at /group/points
    quiet_hdf5_errors();
    H5Id file(H5Fcreate(box.path("points.h5").c_str(), H5F_ACC_TRUNC, H5P_DEFAULT, H5P_DEFAULT));
    H5Id group(H5Gcreate2(file.get(), "group", H5P_DEFAULT, H5P_DEFAULT, H5P_DEFAULT));
    std::vector<double> points(30 * 3);
    for (std::size_t i = 0; i < points.size(); ++i) points[i] = 0.5 * i;
    write_dataset(group.get(), "points", points, {30, 3});
  }
  for (const std::string spec : {box.path("points.h5").string(), box.path("points.h5").string() + ":/group/points"}) {
    const auto source = make_data_source(spec, 1, 100);
    CHECK(source->dim() == 3);
    CHECK(source->held_out_capacity() == 6);
    CHECK(source->mixture() == nullptr);
  }
}

TEST_CASE("mode coverage and quality: exact centres, a collapsed generator, stragglers") {
  const GaussianMixture m = ring8_mixture();
  std::vector<float> at_centres, collapsed, stragglers;
  for (int copy = 0; copy < 10; ++copy)
    for (long c = 0; c < 8; ++c) {
      at_centres.push_back(static_cast<float>(m.centres[2 * c] + 0.05));  // 2.5σ off: inside 3σ
      at_centres.push_back(static_cast<float>(m.centres[2 * c + 1]));
      collapsed.push_back(static_cast<float>(m.centres[0]));
      collapsed.push_back(static_cast<float>(m.centres[1]));
      stragglers.push_back(0.0f);  // the ring's centre: far from every mode
      stragglers.push_back(0.0f);
    }
  ModeCoverage all = mode_coverage(m, at_centres.data(), 80);
  CHECK(all.modes_covered == 8);
  CHECK(all.high_quality_fraction == 1.0);
  ModeCoverage one = mode_coverage(m, collapsed.data(), 80);
  CHECK(one.modes_covered == 1);
  CHECK(one.high_quality_fraction == 1.0);
  ModeCoverage none = mode_coverage(m, stragglers.data(), 80);
  CHECK(none.modes_covered == 0);
  CHECK(none.high_quality_fraction == 0.0);
  // One stray sample per mode among 800 is below a tenth of the fair share: not covered.
  std::vector<float> mostly(collapsed);
  for (int copy = 0; copy < 9; ++copy) mostly.insert(mostly.end(), collapsed.begin(), collapsed.end());
  for (long c = 1; c < 8; ++c) {
    mostly[2 * c] = static_cast<float>(m.centres[2 * c]);
    mostly[2 * c + 1] = static_cast<float>(m.centres[2 * c + 1]);
  }
  CHECK(mode_coverage(m, mostly.data(), 800).modes_covered == 1);
}

TEST_CASE("structure factor: 1 on a lattice's reciprocal vectors, 1/n on average for noise") {
  // Points on a 2-D lattice of spacing a: every exp(−iξ·f) equals 1 at ξ = (2π/a, 0).
  const double a = 0.7;
  std::vector<float> lattice;
  for (int i = 0; i < 10; ++i)
    for (int j = 0; j < 10; ++j) {
      lattice.push_back(static_cast<float>(a * i));
      lattice.push_back(static_cast<float>(a * j));
    }
  const std::vector<double> xi = {2 * std::numbers::pi / a, 0, 0, 2 * std::numbers::pi / a,
                                  std::numbers::pi / a, 0};
  double s[3];
  structure_factor(lattice.data(), 100, 2, xi, s);
  CHECK(s[0] == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(s[1] == doctest::Approx(1.0).epsilon(1e-5));
  CHECK(s[2] < 1e-6);  // half the reciprocal vector: rows cancel in pairs
  // Independent uniform points: E S(ξ) = 1/n for ξ on the box's reciprocal lattice.
  Rng rng(4);
  const long n = 400;
  std::vector<float> noise(n * 2);
  for (auto& v : noise) v = static_cast<float>(rng.uniform());
  std::vector<double> box_xi;
  for (int k = 1; k <= 50; ++k) box_xi.insert(box_xi.end(), {2 * std::numbers::pi * k, 0.0});
  std::vector<double> values(50);
  structure_factor(noise.data(), n, 2, box_xi, values.data());
  double mean = 0;
  for (double v : values) mean += v / 50;
  // 50 exponential(1/n) variables: their mean is within ±45% of 1/n with probability > 0.998.
  CHECK(mean * n == doctest::Approx(1.0).epsilon(0.45));
}

TEST_CASE("metrics: identical sets score zero distance, spreads and the median MMD width") {
  const long n = 300;
  Rng rng(3);
  std::vector<float> x(n * 2), f(n * 4);
  for (auto& v : x) v = static_cast<float>(rng.normal());
  for (auto& v : f) v = static_cast<float>(2.0 * rng.normal());
  MetricsConfig config;
  config.rows = n;
  config.structure_xi = {{0.5, 0, 0, 0}};
  TrainingMetrics metrics(config, 2, 4, x.data(), nullptr);
  CHECK(metrics.mmd_spec().rfind("gaussian:sigma=", 0) == 0);
  TrainingMetrics::Result r;
  metrics.evaluate(x.data(), x.data(), f.data(), f.data(), r);
  const auto& names = metrics.scalar_names();
  auto value = [&](const std::string& name) {
    for (std::size_t i = 0; i < names.size(); ++i)
      if (names[i] == name) return r.scalars[i];
    FAIL("no metric " << name);
    return 0.0;
  };
  // U-statistics of a set against itself: the cross term includes the n zero-distance pairs the
  // self terms leave out, so they are O(1/n) from zero, not exactly zero.
  CHECK(std::fabs(value("energy_distance")) < 0.02);
  CHECK(std::fabs(value("mmd")) < 0.01);
  // Pooled std of N(0, 4 I): 2 within 5%. f − f' ~ N(0, 2σ² I) in 4-D, so |f − f'| = σ√2·χ₄
  // with E χ₄ = √2·Γ(5/2)/Γ(2) ≈ 1.880: E|f − f'| ≈ 2·1.414·1.880 ≈ 5.32 (300 points: ±5%).
  CHECK(value("feature_std_real") == doctest::Approx(2.0).epsilon(0.05));
  CHECK(value("feature_distance_real") == doctest::Approx(5.32).epsilon(0.05));
  CHECK(r.box_length == doctest::Approx(6 * value("feature_std_real")));
  CHECK(r.structure_box.size() == 3 * 4);
  CHECK(r.structure_user.size() == 1);
  // Box length 6σ ≈ 12 fits a few wavelengths over the cloud: S ≪ 1 but positive.
  for (double s : r.structure_box) CHECK(s >= 0);
  CHECK_THROWS_AS(TrainingMetrics(MetricsConfig{10, "", 3, 6, {{1.0}}}, 2, 4, x.data(), nullptr),
                  InputError);
}
