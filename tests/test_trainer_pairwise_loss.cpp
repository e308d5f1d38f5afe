// The pairwise loss against a naive double loop over pairs, its gradient against finite
// differences of that loop, and the compiled kernels against the catalogue's own e(r), e'(r).
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "wgf/kernel.hpp"
#include "wgf/trainer/pairwise_loss.hpp"
#include "wgf/trainer/random.hpp"

using namespace wgf;

namespace {

const char* kKernels[] = {
    "gaussian:sigma=1+gaussian:sigma=2+gaussian:sigma=4+gaussian:sigma=8+gaussian:sigma=16",
    "rq:alpha=2,ell=0.7", "rq:alpha=0.3,ell=1.5", "imq:c=0.8", "laplace:ell=0.9",
    "energy", "energy:beta=1.5", "riesz:alpha=1", "riesz", "0.5*gaussian:sigma=0.5+2*laplace:ell=2",
    "gaussian:sigma=0.5+gaussian:sigma=2+-0.3*energy",  // e − εs: a ladder plus another family
};

// The definition, pair by pair, in double. `skip_diagonal` leaves out the V-statistic's diagonal
// pairs: they add the constant e(0) (1e6 for the softened riesz:alpha=2), which does not move
// the gradient but would swamp the finite differences' rounding.
double naive_energy(const PairKernel& k, Estimator estimator, const std::vector<double>& f,
                    long n, const std::vector<double>& g, long m, long dim,
                    bool skip_diagonal = false) {
  auto sum_over = [&](const std::vector<double>& x, long rows, const std::vector<double>& y,
                      long cols, bool self) {
    double total = 0;
    for (long i = 0; i < rows; ++i)
      for (long j = 0; j < cols; ++j) {
        if (self && i == j && (skip_diagonal || estimator == Estimator::u_statistic)) continue;
        double s = 0;
        for (long d = 0; d < dim; ++d) s += (x[i * dim + d] - y[j * dim + d]) * (x[i * dim + d] - y[j * dim + d]);
        total += k.value(s);
      }
    return total;
  };
  const bool u = estimator == Estimator::u_statistic;
  const double a_ff = u ? 1.0 / (n * (n - 1.0)) : 1.0 / (double(n) * n);
  const double a_gg = u ? 1.0 / (m * (m - 1.0)) : 1.0 / (double(m) * m);
  return a_ff * sum_over(f, n, f, n, true) + a_gg * sum_over(g, m, g, m, true) -
         2.0 / (double(n) * m) * sum_over(f, n, g, m, false);
}

std::vector<double> normals(Rng& rng, std::size_t count, double scale) {
  std::vector<double> v(count);
  for (auto& x : v) x = scale * rng.normal();
  return v;
}

double max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

}  // namespace

// Value: the blocked, vectorised evaluation and the naive loop sum the same terms in different
// orders, in double: agreement to 1e-12 relative to the largest block sum. Gradient: central
// differences of the naive loop with h = 1e-5 (truncation ~h²·e''' ~ 1e-10, rounding
// ~1e-16/h ~ 1e-11) against the analytic gradient, 1e-6 relative to the largest component.
// The points are spread (scale 1) so that no pair sits within the softening length, where
// the softened power laws have large third derivatives.
TEST_CASE("pairwise loss: V and U statistics and both gradients match the naive double loop") {
  double worst_value = 0, worst_gradient = 0;
  for (const char* spec : kKernels) {
    for (long dim : {3L, 40L}) {  // direct differences, and the GEMM path for large dimensions
      for (Estimator estimator : {Estimator::v_statistic, Estimator::u_statistic}) {
        const long n = 7, m = 9;
        Rng rng(42 + dim);
        const auto f = normals(rng, n * dim, 1.0), g = normals(rng, m * dim, 1.0);
        const PairKernel kernel(parse_kernel(spec), static_cast<int>(dim), 1e-3);
        PairwiseLoss<double> loss(kernel, estimator, n, m, dim);
        std::vector<double> grad_f(n * dim), grad_g(m * dim);
        const double value = loss.evaluate(f.data(), g.data(), grad_f.data(), grad_g.data());
        const double reference = naive_energy(kernel, estimator, f, n, g, m, dim);
        CAPTURE(std::string(spec));
        CAPTURE(dim);
        CAPTURE(estimator_name(estimator));
        CHECK(std::fabs(value - reference) < 1e-12 * std::max(1.0, std::fabs(reference)) * 10);
        // Values without gradients are the same number.
        CHECK(loss.evaluate(f.data(), g.data(), nullptr, nullptr) == doctest::Approx(value).epsilon(1e-14));

        const double h = 1e-5;
        std::vector<double> numeric_f(n * dim), numeric_g(m * dim);
        for (long k = 0; k < n * dim; ++k) {
          auto plus = f, minus = f;
          plus[k] += h;
          minus[k] -= h;
          numeric_f[k] = (naive_energy(kernel, estimator, plus, n, g, m, dim, true) -
                          naive_energy(kernel, estimator, minus, n, g, m, dim, true)) / (2 * h);
        }
        for (long k = 0; k < m * dim; ++k) {
          auto plus = g, minus = g;
          plus[k] += h;
          minus[k] -= h;
          numeric_g[k] = (naive_energy(kernel, estimator, f, n, plus, m, dim, true) -
                          naive_energy(kernel, estimator, f, n, minus, m, dim, true)) / (2 * h);
        }
        double worst_f = 0, worst_g = 0;
        for (long k = 0; k < n * dim; ++k) worst_f = std::max(worst_f, std::fabs(grad_f[k] - numeric_f[k]));
        for (long k = 0; k < m * dim; ++k) worst_g = std::max(worst_g, std::fabs(grad_g[k] - numeric_g[k]));
        CHECK(worst_f < 1e-6 * std::max(1e-3, max_abs(numeric_f)));
        CHECK(worst_g < 1e-6 * std::max(1e-3, max_abs(numeric_g)));
        worst_value = std::max(worst_value, std::fabs(value - reference) / std::max(1.0, std::fabs(reference)));
        worst_gradient = std::max({worst_gradient, worst_f / std::max(1e-3, max_abs(numeric_f)),
                                   worst_g / std::max(1e-3, max_abs(numeric_g))});
      }
    }
  }
  MESSAGE("pairwise loss vs naive loop, worst relative error: value " << worst_value
                                                                      << ", gradient " << worst_gradient);
}

// fp32 against double on the same points: each pair's e carries ~1e-7 relative rounding and the
// sum of ~200 of them cancels to E, so E is held to 1e-5 of the block scale, the gradient to
// 1e-4 of its largest component.
TEST_CASE("pairwise loss: the fp32 instantiation agrees with the double one") {
  const long n = 64, m = 48, dim = 8;
  Rng rng(8);
  const auto f = normals(rng, n * dim, 1.0), g = normals(rng, m * dim, 1.3);
  for (const char* spec : kKernels) {
    const PairKernel kernel(parse_kernel(spec), dim, 1e-3);
    PairwiseLoss<double> exact(kernel, Estimator::u_statistic, n, m, dim);
    PairwiseLoss<float> single(kernel, Estimator::u_statistic, n, m, dim);
    std::vector<double> gd(n * dim);
    std::vector<float> f32(f.begin(), f.end()), g32(g.begin(), g.end()), gs(n * dim);
    const double ed = exact.evaluate(f.data(), g.data(), gd.data(), nullptr);
    const double es = single.evaluate(f32.data(), g32.data(), gs.data(), nullptr);
    const double scale = std::fabs(kernel.value(0.0)) + std::fabs(kernel.value(4.0 * dim));
    CAPTURE(std::string(spec));
    CHECK(std::fabs(ed - es) < 1e-5 * scale);
    double worst = 0;
    for (long k = 0; k < n * dim; ++k) worst = std::max(worst, std::fabs(gd[k] - gs[k]));
    CHECK(worst < 1e-4 * max_abs(gd));
  }
}

TEST_CASE("compiled kernels agree with the catalogue's e(r) and e'(r), softened where promised") {
  const double delta = 0.05;
  for (const char* spec : kKernels) {
    const Kernel catalogue = parse_kernel(std::string(spec) == "riesz" ? "riesz:alpha=2" : spec);
    const PairKernel compiled(parse_kernel(spec), 3, delta);
    const std::string text = spec;
    for (double r : {0.3, 1.0, 2.5}) {
      // Term by term: only laplace, energy and riesz are evaluated at the softened radius.
      double value = 0, slope = 0;
      for (const auto& term : catalogue.terms()) {
        const std::string name = term.family->spec();
        const bool softened = name.rfind("laplace", 0) == 0 || name.rfind("energy", 0) == 0 ||
                              name.rfind("riesz", 0) == 0;
        const double rs = softened ? std::sqrt(r * r + delta * delta) : r;
        value += term.weight * term.family->value(rs);
        slope += term.weight * term.family->radial_derivative(rs) / (2 * rs);  // de/ds
      }
      CAPTURE(text);
      CAPTURE(r);
      CHECK(compiled.value(r * r) == doctest::Approx(value).epsilon(1e-13));
      CHECK(compiled.slope(r * r) == doctest::Approx(slope).epsilon(1e-12));
    }
  }
  // Softening keeps the power laws finite at coincident points; δ = 0 does not.
  CHECK(std::isfinite(PairKernel(parse_kernel("riesz:alpha=1"), 2, 1e-3).slope(0.0)));
  CHECK(PairKernel(parse_kernel("riesz:alpha=1"), 2, 1e-3).value(0.0) == doctest::Approx(1e3));
  CHECK_FALSE(std::isfinite(PairKernel(parse_kernel("riesz:alpha=1"), 2, 0.0).value(0.0)));
}

TEST_CASE("a V-statistic with a positive-definite kernel is non-negative; identical sets give 0") {
  const long n = 16, dim = 2;
  Rng rng(1);
  const auto f = normals(rng, n * dim, 1.0), g = normals(rng, n * dim, 1.0);
  PairwiseLoss<double> loss(PairKernel(parse_kernel("gaussian:sigma=0.7"), dim, 0), Estimator::v_statistic, n, n, dim);
  CHECK(loss.evaluate(f.data(), g.data(), nullptr, nullptr) > 0);
  CHECK(std::fabs(loss.evaluate(f.data(), f.data(), nullptr, nullptr)) < 1e-14);
}
