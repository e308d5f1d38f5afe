// The Fréchet distance against closed forms that do not use its eigen-decomposition route:
// commuting covariances (Σ1, Σ2 diagonal in one basis: d² = ‖Δμ‖² + Σ (√a_i − √b_i)²), one
// dimension ((μ1 − μ2)² + (σ1 − σ2)²), and 2 × 2 matrices that do not commute, where
// tr M^{1/2} = √(tr M + 2√det M) for any 2 × 2 PSD M, with tr M = tr Σ1Σ2 and det M =
// det Σ1 det Σ2. The fit itself is held to a naive loop.
#include <doctest/doctest.h>

#include <Eigen/LU>
#include <Eigen/QR>
#include <cmath>
#include <vector>

#include "wgf/analysis/frechet_distance.hpp"
#include "wgf/trainer/random.hpp"

using namespace wgf;

namespace {

Eigen::MatrixXd random_orthogonal(Rng& rng, int n) {
  Eigen::MatrixXd a(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) a(i, j) = rng.normal();
  return Eigen::HouseholderQR<Eigen::MatrixXd>(a).householderQ();
}

GaussianFit fit_of(Eigen::VectorXd mean, Eigen::MatrixXd covariance) {
  GaussianFit fit;
  fit.mean = std::move(mean);
  fit.covariance = std::move(covariance);
  fit.samples = 1000;
  return fit;
}

Eigen::MatrixXd random_spd(Rng& rng, int n) {
  Eigen::MatrixXd a(n, n);
  for (int i = 0; i < n; ++i)
    for (int j = 0; j < n; ++j) a(i, j) = rng.normal();
  return a * a.transpose() + 0.1 * Eigen::MatrixXd::Identity(n, n);
}

}  // namespace

// Tolerances: each closed form is evaluated in double from the same inputs; the eigen route
// loses a few digits to the decompositions of matrices with condition numbers up to ~1e3, so a
// relative 1e-9 is loose for round-off and far below any formula error (which is O(1)).
TEST_CASE("Frechet distance: commuting covariances and one dimension, closed forms") {
  Rng rng(3);
  for (int n : {1, 5, 40}) {
    const Eigen::MatrixXd q = random_orthogonal(rng, n);
    Eigen::VectorXd a(n), b(n), m1(n), m2(n);
    double expected = 0;
    for (int i = 0; i < n; ++i) {
      a(i) = std::exp(2 * rng.normal());
      b(i) = std::exp(2 * rng.normal());
      m1(i) = rng.normal();
      m2(i) = rng.normal();
      expected += std::pow(m1(i) - m2(i), 2) + std::pow(std::sqrt(a(i)) - std::sqrt(b(i)), 2);
    }
    // Σ = Q diag Qᵀ: commuting, but not diagonal, so the test does not favour the basis.
    const double d = frechet_distance(fit_of(m1, q * a.asDiagonal() * q.transpose()),
                                      fit_of(m2, q * b.asDiagonal() * q.transpose()));
    CAPTURE(n);
    CHECK(d == doctest::Approx(expected).epsilon(1e-9));
  }
  // 1-D with explicit numbers: (1 − 4)² + (2 − 3)² = 10.
  Eigen::VectorXd m1(1), m2(1);
  m1 << 1;
  m2 << 4;
  Eigen::MatrixXd s1(1, 1), s2(1, 1);
  s1 << 4;
  s2 << 9;
  CHECK(frechet_distance(fit_of(m1, s1), fit_of(m2, s2)) == doctest::Approx(10.0).epsilon(1e-12));
}

TEST_CASE("Frechet distance: non-commuting 2x2 closed form, symmetry, zero for one set") {
  Rng rng(5);
  for (int trial = 0; trial < 20; ++trial) {
    const Eigen::MatrixXd s1 = random_spd(rng, 2), s2 = random_spd(rng, 2);
    Eigen::VectorXd m1(2), m2(2);
    m1 << rng.normal(), rng.normal();
    m2 << rng.normal(), rng.normal();
    const double trace_root =
        std::sqrt((s1 * s2).trace() + 2 * std::sqrt(s1.determinant() * s2.determinant()));
    const double expected = (m1 - m2).squaredNorm() + s1.trace() + s2.trace() - 2 * trace_root;
    CHECK(frechet_distance(fit_of(m1, s1), fit_of(m2, s2)) == doctest::Approx(expected).epsilon(1e-9));
  }
  // Symmetry in 30 dimensions, where the two orders take different decompositions.
  const GaussianFit a = fit_of(Eigen::VectorXd::Random(30), random_spd(rng, 30));
  const GaussianFit b = fit_of(Eigen::VectorXd::Random(30), random_spd(rng, 30));
  const double ab = frechet_distance(a, b), ba = frechet_distance(b, a);
  CHECK(ab > 1.0);
  CHECK(ab == doctest::Approx(ba).epsilon(1e-9));

  // One feature set against itself: zero up to round-off of its trace (tr Σ ≈ 64 here); the
  // set has fewer samples than dimensions, so its covariance is singular and the clipping of
  // rounding-negative eigenvalues is exercised.
  const long rows = 40;
  const int dim = 64;
  std::vector<float> features(rows * dim);
  for (float& v : features) v = static_cast<float>(rng.normal());
  const GaussianFit same = fit_gaussian(features.data(), rows, dim);
  CHECK(frechet_distance(same, same) < 1e-8 * same.covariance.trace());
}

TEST_CASE("fit_gaussian: mean and unbiased covariance equal a naive loop") {
  Rng rng(9);
  const long rows = 300;
  const int dim = 7;
  std::vector<float> x(rows * dim);
  for (long i = 0; i < rows; ++i)
    for (int j = 0; j < dim; ++j) x[i * dim + j] = static_cast<float>(j + (j + 1) * rng.normal());
  const GaussianFit fit = fit_gaussian(x.data(), rows, dim);
  for (int j = 0; j < dim; ++j) {
    double mean_j = 0;
    for (long i = 0; i < rows; ++i) mean_j += x[i * dim + j];
    mean_j /= rows;
    CHECK(fit.mean(j) == doctest::Approx(mean_j).epsilon(1e-12));
    for (int k = 0; k < dim; ++k) {
      double mean_k = 0, c = 0;
      for (long i = 0; i < rows; ++i) mean_k += x[i * dim + k];
      mean_k /= rows;
      for (long i = 0; i < rows; ++i) c += (x[i * dim + j] - mean_j) * (x[i * dim + k] - mean_k);
      // Summation orders differ; 1e-10 of the variance scale covers it.
      CHECK(std::fabs(fit.covariance(j, k) - c / (rows - 1)) < 1e-10 * (1 + (j + 1) * (k + 1)));
    }
  }
}
