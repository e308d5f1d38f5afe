// Penalties on a network's input gradient (input_gradient_penalty.hpp) against central finite
// differences in parameter space, in double, for every activation: the double backward
// (mlp_double_backward.hpp) is exact, so the only error is the differences' own, O(h²) ≈ 1e-12
// relative truncation plus ~1e-16/h ≈ 1e-10 rounding at h = 1e-6 (measured: 1e-10 to 5e-9).
// A dropped curvature term f'', a missing path through the witness's centres or a transposed
// weight gives errors far above that (checked by hand: leaving out the path through the
// centres gives 6e-3 to 0.1). Tolerance 1e-6.
#include <doctest/doctest.h>

#include <cmath>
#include <functional>
#include <vector>

#include "wgf/kernel.hpp"
#include "wgf/trainer/input_gradient_penalty.hpp"
#include "wgf/trainer/random.hpp"

using namespace wgf;

namespace {

const char* kActivations[] = {"identity", "relu", "leaky_relu:slope=0.2", "tanh", "softplus",
                              "sigmoid"};

std::vector<double> normals(Rng& rng, std::size_t n, double scale = 1.0) {
  std::vector<double> v(n);
  for (auto& x : v) x = scale * rng.normal();
  return v;
}

std::vector<double> random_parameters(const MlpShape& shape, Rng& rng) {
  std::vector<float> theta32(shape.parameter_count());
  initialize_mlp(shape, rng, theta32.data());
  std::vector<double> theta(theta32.begin(), theta32.end());
  // Non-zero biases: every bias derivative exercised away from a kink.
  for (int l = 0; l < shape.layers(); ++l)
    for (int j = 0; j < shape.fan_out(l); ++j) theta[shape.bias_offset(l) + j] = 0.2 * rng.normal();
  return theta;
}

std::vector<double> central_differences(const std::function<double(const std::vector<double>&)>& f,
                                        const std::vector<double>& theta, double h = 1e-6) {
  std::vector<double> numeric(theta.size());
  for (std::size_t k = 0; k < theta.size(); ++k) {
    auto plus = theta, minus = theta;
    plus[k] += h;
    minus[k] -= h;
    numeric[k] = (f(plus) - f(minus)) / (2 * h);
  }
  return numeric;
}

// max|analytic − numeric| / max|numeric|.
double relative_error(const std::vector<double>& analytic, const std::vector<double>& numeric) {
  double worst = 0, scale = 1e-12;
  for (std::size_t i = 0; i < numeric.size(); ++i) {
    worst = std::max(worst, std::fabs(analytic[i] - numeric[i]));
    scale = std::max(scale, std::fabs(numeric[i]));
  }
  return worst / scale;
}

}  // namespace

TEST_CASE("PairKernel's second derivative in s against differences of its slope, every family") {
  // Central differences of de/ds at step 1e-5·s: truncation ~1e-10 relative, rounding ~1e-11.
  const char* specs[] = {"gaussian:sigma=0.7+gaussian:sigma=1.4", "rq:alpha=2,ell=1.3", "imq:c=0.8",
                         "laplace:ell=0.6", "energy", "energy:beta=1.5", "riesz:alpha=1"};
  for (const char* spec : specs) {
    const PairKernel kernel(parse_kernel(spec), 3, 1e-2);
    for (double s : {0.01, 0.3, 1.7, 6.0}) {
      double slope = 0, curvature = 0;
      kernel.slopes_and_curvatures(&s, 1, &slope, &curvature);
      const double h = 1e-5 * s;
      const double numeric = (kernel.slope(s + h) - kernel.slope(s - h)) / (2 * h);
      CAPTURE(spec);
      CAPTURE(s);
      CHECK(slope == doctest::Approx(kernel.slope(s)).epsilon(1e-12));
      CHECK(curvature == doctest::Approx(numeric).epsilon(1e-7));
    }
  }
}

TEST_CASE("WGAN-GP penalty: exact parameter gradient against finite differences, every activation") {
  const long rows = 9, first = 3, count = 6;  // rows [0, 3) carry the loss only
  for (const char* activation : kActivations) {
    MlpShape shape{3, {6, 5}, 1, parse_activation(activation, "test"), {}};
    Rng rng(23);
    const auto theta = random_parameters(shape, rng);
    const auto points = normals(rng, rows * 3);
    const auto adjoint = normals(rng, rows, 0.3);
    const double weight = 2.5;
    Mlp<double> net(shape, rows);
    GradientNormPenalty<double> penalty(shape, rows);
    // The objective the gradient is of: weight · P + Σ ā ψ(x).
    auto objective = [&](const std::vector<double>& t) {
      const double* psi = net.forward(t.data(), points.data(), rows);
      double linear = 0;
      for (long r = 0; r < rows; ++r) linear += adjoint[r] * psi[r];
      std::vector<double> scratch(t.size());
      return weight * penalty.evaluate(net, t.data(), first, count, weight, adjoint.data(),
                                       scratch.data()) + linear;
    };
    std::vector<double> analytic(theta.size());
    net.forward(theta.data(), points.data(), rows);
    penalty.evaluate(net, theta.data(), first, count, weight, adjoint.data(), analytic.data());
    const double error = relative_error(analytic, central_differences(objective, theta));
    CAPTURE(std::string(activation));
    MESSAGE("WGAN-GP penalty gradient, " << std::string(activation) << ": relative error " << error);
    CHECK(error < 1e-6);
  }
}

TEST_CASE("Gradient-regularised MMD witness penalty: value and exact gradient, every activation") {
  const long n = 5, m = 4, rows = n + m;
  // A mixture, and a stabilised kernel e − εs with a softened cusp (laplace).
  const Kernel kernels[] = {parse_kernel("gaussian:sigma=1+gaussian:sigma=2"),
                            parse_kernel("rq:alpha=2,ell=1").plus(parse_kernel("laplace:ell=0.5").scaled(-0.5))};
  for (const Kernel& kernel_choice : kernels) {
    const std::string kernel_spec = kernel_choice.spec();
    for (const char* activation : kActivations) {
      MlpShape shape{2, {7}, 3, parse_activation(activation, "test"), {}};
      Rng rng(29);
      const auto theta = random_parameters(shape, rng);
      const auto points = normals(rng, rows * 2);
      const auto adjoint = normals(rng, rows * 3, 0.3);
      const double weight = 1.5;
      const PairKernel kernel(kernel_choice, 3, 1e-3);
      Mlp<double> net(shape, rows);
      WitnessGradientPenalty<double> penalty(shape, kernel, n, m);
      CAPTURE(kernel_spec);
      CAPTURE(std::string(activation));

      // The penalty's value against a naive witness: f(x) from kernel values at the centres
      // D(x_j), its input gradient by central differences in x (error ~1e-9 at h = 1e-5).
      std::vector<double> grad(theta.size());
      const double* f = net.forward(theta.data(), points.data(), rows);
      const std::vector<double> centres(f, f + rows * 3);
      const double value = penalty.evaluate(net, theta.data(), weight, nullptr, grad.data());
      Mlp<double> probe(shape, 1);
      auto witness = [&](const double* x) {
        const double* phi = probe.forward(theta.data(), x, 1);
        double total = 0;
        for (long j = 0; j < rows; ++j) {
          double s = 0;
          for (int k = 0; k < 3; ++k) s += (phi[k] - centres[j * 3 + k]) * (phi[k] - centres[j * 3 + k]);
          total += (j < n ? 1.0 / n : -1.0 / m) * kernel.value(s);
        }
        return total;
      };
      double naive = 0, worst_gradient = 0;
      for (long r = 0; r < rows; ++r) {
        for (int k = 0; k < 2; ++k) {
          double plus[2] = {points[r * 2], points[r * 2 + 1]}, minus[2] = {plus[0], plus[1]};
          plus[k] += 1e-5;
          minus[k] -= 1e-5;
          const double g = (witness(plus) - witness(minus)) / 2e-5;
          naive += g * g / rows;
          worst_gradient = std::max(worst_gradient,
                                    std::fabs(g - penalty.witness_input_gradient()[r * 2 + k]));
        }
      }
      CHECK(value == doctest::Approx(naive).epsilon(1e-7));
      CHECK(worst_gradient < 1e-7);

      // The parameter gradient of weight · P + Σ ā · D(x) against differences of that objective.
      auto objective = [&](const std::vector<double>& t) {
        const double* d = net.forward(t.data(), points.data(), rows);
        double linear = 0;
        for (long i = 0; i < rows * 3; ++i) linear += adjoint[i] * d[i];
        std::vector<double> scratch(t.size());
        return weight * penalty.evaluate(net, t.data(), weight, adjoint.data(), scratch.data()) + linear;
      };
      net.forward(theta.data(), points.data(), rows);
      penalty.evaluate(net, theta.data(), weight, adjoint.data(), grad.data());
      const double error = relative_error(grad, central_differences(objective, theta));
      MESSAGE("witness penalty gradient, " << kernel_spec << ", " << std::string(activation)
                                           << ": relative error " << error);
      CHECK(error < 1e-6);
    }
  }
}
