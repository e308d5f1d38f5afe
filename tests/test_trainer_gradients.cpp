// The trainer's hand-written derivatives against central finite differences, in double: the
// layers and the MLP are templates, so a double instantiation is checked tightly, and the fp32
// instantiation is held to the double one. A wrong sign, a missing activation derivative or a
// transposed weight gives relative errors of order 1, far above the tolerances below.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "wgf/trainer/mlp.hpp"
#include "wgf/trainer/random.hpp"

using namespace wgf;

namespace {

// L(θ, x) = Σ c ⊙ MLP(x): its gradient is backward(c).
double weighted_output(Mlp<double>& net, const std::vector<double>& theta,
                       const std::vector<double>& input, long rows,
                       const std::vector<double>& weights) {
  const double* y = net.forward(theta.data(), input.data(), rows);
  double total = 0;
  for (long i = 0; i < rows * net.shape().outputs; ++i) total += weights[i] * y[i];
  return total;
}

std::vector<double> normals(Rng& rng, std::size_t n, double scale = 1.0) {
  std::vector<double> v(n);
  for (auto& x : v) x = scale * rng.normal();
  return v;
}

// Worst relative error max|analytic − numeric| / max(max|numeric|, floor) over all components.
double relative_error(const std::vector<double>& analytic, const std::vector<double>& numeric) {
  double worst = 0, scale = 1e-3;
  for (double v : numeric) scale = std::max(scale, std::fabs(v));
  for (std::size_t i = 0; i < numeric.size(); ++i)
    worst = std::max(worst, std::fabs(analytic[i] - numeric[i]));
  return worst / scale;
}

struct MlpCheck {
  double parameter_error, input_error;
};

MlpCheck check_mlp(const MlpShape& shape, long rows) {
  Rng rng(17);
  std::vector<float> theta32(shape.parameter_count());
  initialize_mlp(shape, rng, theta32.data());
  std::vector<double> theta(theta32.begin(), theta32.end());
  // Non-zero biases so that every bias derivative is exercised away from a kink.
  for (int l = 0; l < shape.layers(); ++l)
    for (int j = 0; j < shape.fan_out(l); ++j) theta[shape.bias_offset(l) + j] = 0.1 * rng.normal();
  const auto input = normals(rng, rows * shape.inputs);
  const auto weights = normals(rng, rows * shape.outputs);
  Mlp<double> net(shape, rows);

  net.forward(theta.data(), input.data(), rows);
  std::vector<double> grad(theta.size()), input_grad(input.size());
  net.backward(theta.data(), weights.data(), rows, grad.data(), input_grad.data());

  const double h = 1e-6;
  std::vector<double> numeric(theta.size());
  for (std::size_t k = 0; k < theta.size(); ++k) {
    auto plus = theta, minus = theta;
    plus[k] += h;
    minus[k] -= h;
    numeric[k] = (weighted_output(net, plus, input, rows, weights) -
                  weighted_output(net, minus, input, rows, weights)) / (2 * h);
  }
  std::vector<double> numeric_input(input.size());
  for (std::size_t k = 0; k < input.size(); ++k) {
    auto plus = input, minus = input;
    plus[k] += h;
    minus[k] -= h;
    numeric_input[k] = (weighted_output(net, theta, plus, rows, weights) -
                        weighted_output(net, theta, minus, rows, weights)) / (2 * h);
  }
  return {relative_error(grad, numeric), relative_error(input_grad, numeric_input)};
}

}  // namespace

// Central differences with h = 1e-6 in double have truncation error O(h²)·|f'''| ~ 1e-12 and
// rounding error ~ 1e-16·|L|/h ~ 1e-10: 1e-6 leaves a wide margin for the smooth activations.
// The rectifiers have kinks; a difference straddling one is off by O(1), but with Gaussian
// inputs the chance that any of the few hundred pre-activations lies within 1e-6 of 0 is ~1e-4,
// so they are held to the same tolerance.
TEST_CASE("every activation's layer and the whole MLP: backward matches finite differences") {
  double worst_parameter = 0, worst_input = 0;
  for (const char* activation : {"identity", "relu", "leaky_relu:slope=0.2", "tanh", "softplus",
                                 "sigmoid"}) {
    for (const std::vector<int>& hidden : {std::vector<int>{}, std::vector<int>{7},
                                          std::vector<int>{6, 5, 4}}) {
      MlpShape shape;
      shape.inputs = 3;
      shape.hidden = hidden;
      shape.outputs = 2;
      shape.activation = parse_activation(activation, "test");
      shape.output_activation = parse_activation(hidden.empty() ? activation : "tanh", "test");
      const MlpCheck check = check_mlp(shape, 5);
      CAPTURE(activation);
      CAPTURE(shape.describe());
      CHECK(check.parameter_error < 1e-6);
      CHECK(check.input_error < 1e-6);
      worst_parameter = std::max(worst_parameter, check.parameter_error);
      worst_input = std::max(worst_input, check.input_error);
    }
  }
  MESSAGE("MLP gradient check, worst relative error: parameters " << worst_parameter
                                                                  << ", inputs " << worst_input);
}

TEST_CASE("backward on the first rows only equals backward of those rows alone") {
  MlpShape shape{4, {8, 8}, 3, parse_activation("leaky_relu", "t"), {}};
  Rng rng(3);
  std::vector<float> theta32(shape.parameter_count());
  initialize_mlp(shape, rng, theta32.data());
  std::vector<double> theta(theta32.begin(), theta32.end());
  const auto input = normals(rng, 10 * 4);
  const auto upstream = normals(rng, 6 * 3);
  Mlp<double> stacked(shape, 10), alone(shape, 6);
  stacked.forward(theta.data(), input.data(), 10);
  alone.forward(theta.data(), input.data(), 6);
  std::vector<double> g1(theta.size()), g2(theta.size()), x1(6 * 4), x2(6 * 4);
  stacked.backward(theta.data(), upstream.data(), 6, g1.data(), x1.data());
  alone.backward(theta.data(), upstream.data(), 6, g2.data(), x2.data());
  CHECK(relative_error(g1, g2) < 1e-14);
  CHECK(relative_error(x1, x2) < 1e-14);
}

// fp32 against double on the same parameters: float GEMMs over fan-ins of ~64 carry relative
// rounding ~ 64 · 6e-8 ≈ 4e-6 per layer; 1e-4 relative is a generous bound that still catches
// any real difference between the two instantiations.
TEST_CASE("the fp32 network computes what the double network computes") {
  MlpShape shape{2, {64, 64}, 16, parse_activation("relu", "t"), {}};
  Rng rng(5);
  std::vector<float> theta(shape.parameter_count());
  initialize_mlp(shape, rng, theta.data());
  const long rows = 32;
  std::vector<float> input(rows * 2), upstream(rows * 16);
  for (auto& v : input) v = static_cast<float>(rng.normal());
  for (auto& v : upstream) v = static_cast<float>(rng.normal());
  Mlp<float> single(shape, rows);
  Mlp<double> twice(shape, rows);
  std::vector<double> theta_d(theta.begin(), theta.end()), input_d(input.begin(), input.end()),
      upstream_d(upstream.begin(), upstream.end());
  const float* y = single.forward(theta.data(), input.data(), rows);
  const double* yd = twice.forward(theta_d.data(), input_d.data(), rows);
  std::vector<double> y_as_double(y, y + rows * 16), yd_copy(yd, yd + rows * 16);
  CHECK(relative_error(y_as_double, yd_copy) < 1e-4);
  std::vector<float> g(theta.size());
  std::vector<double> gd(theta.size());
  single.backward(theta.data(), upstream.data(), rows, g.data(), nullptr);
  twice.backward(theta_d.data(), upstream_d.data(), rows, gd.data(), nullptr);
  CHECK(relative_error(std::vector<double>(g.begin(), g.end()), gd) < 1e-4);
}

TEST_CASE("initialisation: He variance for rectifiers, Xavier otherwise, zero biases") {
  MlpShape shape{200, {300}, 100, parse_activation("relu", "t"), {}};
  Rng rng(11);
  std::vector<float> theta(shape.parameter_count());
  initialize_mlp(shape, rng, theta.data());
  auto variance = [&](int layer) {
    double sum = 0;
    const long count = static_cast<long>(shape.fan_in(layer)) * shape.fan_out(layer);
    for (long i = 0; i < count; ++i) sum += double(theta[shape.weight_offset(layer) + i]) * theta[shape.weight_offset(layer) + i];
    return sum / count;
  };
  // 60000 and 30000 draws: the sample variance is within 2% (about 3 standard errors).
  CHECK(variance(0) == doctest::Approx(2.0 / 200).epsilon(0.02));
  CHECK(variance(1) == doctest::Approx(2.0 / 400).epsilon(0.03));
  for (int j = 0; j < 300; ++j) CHECK(theta[shape.bias_offset(0) + j] == 0.0f);
}
