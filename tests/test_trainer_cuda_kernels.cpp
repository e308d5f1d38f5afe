// The CUDA trainer's parts alone on the GPU against their CPU references on the same data
// (llm.c style, kernel by kernel): the fused pairwise loss kernel against PairwiseLoss<float>,
// the device MLP against Mlp<float>. Skipped, and reported skipped, where no GPU is usable
// (tests/backend_cases.hpp explains the convention).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "wgf/kernel.hpp"
#include "cuda_trainer_probe.hpp"
#include "wgf/trainer/cuda_gan_backend.hpp"
#include "wgf/trainer/mlp.hpp"
#include "wgf/trainer/pairwise_loss.hpp"
#include "wgf/trainer/random.hpp"

using namespace wgf;

// Both sides compute in fp32 with different summation orders (ordered pairs tile by tile against
// symmetric blocks and GEMMs) and different exp/log libraries; each pair's e carries ~1e-7
// relative rounding (×2^8 on the deepest Gaussian ladder rung) and the sums cancel to E. So,
// as between PairwiseLoss<float> and <double>: E within 1e-5 of the kernel's scale
// |e(0)| + |e(4·dim)|, each gradient component within 1e-4 of the largest.
TEST_CASE("CUDA trainer: the fused pairwise loss kernel matches PairwiseLoss<float>") {
  std::string why;
  if (!cuda_gan_backend_available(&why)) {
    MESSAGE("skipped: no CUDA device for the trainer's kernels (" << why << ")");
    return;
  }
  const char* kernels[] = {
      "gaussian:sigma=1+gaussian:sigma=2+gaussian:sigma=4+gaussian:sigma=8+gaussian:sigma=16",
      "rq:alpha=2,ell=0.7", "imq:c=0.8", "laplace:ell=0.9", "energy", "riesz:alpha=1",
      "gaussian:sigma=1+gaussian:sigma=2+gaussian:sigma=4+gaussian:sigma=8+gaussian:sigma=16"
      "+-0.3*energy",
  };
  struct Shape {
    long n;
    int dim;
  };
  double worst_loss = 0, worst_gradient = 0;
  for (const Shape shape : {Shape{128, 16}, Shape{100, 3}, Shape{256, 64}}) {
    const long n = shape.n;
    const int dim = shape.dim;
    Rng rng(11 + dim);
    std::vector<float> fake(n * dim), real(n * dim);
    for (auto& v : fake) v = static_cast<float>(rng.normal());
    for (auto& v : real) v = static_cast<float>(1.3 * rng.normal());
    for (const char* spec : kernels) {
      const PairKernel kernel(parse_kernel(spec), dim, 1e-3);
      for (Estimator estimator : {Estimator::v_statistic, Estimator::u_statistic}) {
        PairwiseLoss<float> reference(kernel, estimator, n, n, dim);
        std::vector<float> ref_fake(n * dim), ref_real(n * dim), got_fake(n * dim), got_real(n * dim);
        const double want = reference.evaluate(fake.data(), real.data(), ref_fake.data(), ref_real.data());
        const double got = cuda_trainer_probe::pairwise_loss(kernel, estimator, fake.data(), n,
                                                             real.data(), n, dim, got_fake.data(),
                                                             got_real.data());
        const double scale = std::fabs(kernel.value(0.0)) + std::fabs(kernel.value(4.0 * dim));
        double largest = 0, error = 0;
        for (long e = 0; e < n * dim; ++e) {
          largest = std::max({largest, double(std::fabs(ref_fake[e])), double(std::fabs(ref_real[e]))});
          error = std::max({error, double(std::fabs(got_fake[e] - ref_fake[e])),
                            double(std::fabs(got_real[e] - ref_real[e]))});
        }
        CAPTURE(std::string(spec));
        CAPTURE(n);
        CAPTURE(dim);
        CAPTURE(estimator_name(estimator));
        CHECK(std::fabs(got - want) < 1e-5 * scale);
        CHECK(error < 1e-4 * largest);
        worst_loss = std::max(worst_loss, std::fabs(got - want) / scale);
        worst_gradient = std::max(worst_gradient, error / largest);
      }
    }
  }
  MESSAGE("fused loss kernel vs PairwiseLoss<float>, worst: loss " << worst_loss
                                                                   << " of scale, gradient "
                                                                   << worst_gradient << " of max");
}

// The network plan alone against Mlp<float> (the CPU reference) for every activation, with a
// saturating output activation so that the last layer's backward is exercised too. Both sides
// are fp32 products of at most 48 terms summed in different orders (cuBLAS's blocking and FMA
// against Eigen's): outputs and gradients within 1e-5 of each array's largest component.
TEST_CASE("CUDA trainer: the device MLP's forward and backward match Mlp<float>") {
  std::string why;
  if (!cuda_gan_backend_available(&why)) {
    MESSAGE("skipped: no CUDA device for the trainer's kernels (" << why << ")");
    return;
  }
  const char* activations[] = {"identity", "relu", "leaky_relu:slope=0.2", "tanh", "softplus",
                               "sigmoid"};
  for (const char* spec : activations) {
    MlpShape shape{5, {48, 24}, 3, parse_activation(spec, "test"), parse_activation("tanh", "test")};
    const long rows = 37;
    Rng rng(17);
    std::vector<float> parameters(shape.parameter_count()), input(rows * 5), output_grad(rows * 3);
    initialize_mlp(shape, rng, parameters.data());
    for (float& b : parameters) b += static_cast<float>(0.05 * rng.normal());  // non-zero biases
    for (float& v : input) v = static_cast<float>(rng.normal());
    for (float& v : output_grad) v = static_cast<float>(rng.normal());
    Mlp<float> reference(shape, rows);
    const float* y = reference.forward(parameters.data(), input.data(), rows);
    const std::vector<float> want_y(y, y + rows * 3);
    std::vector<float> want_dp(parameters.size()), want_dx(input.size());
    reference.backward(parameters.data(), output_grad.data(), rows, want_dp.data(), want_dx.data());
    std::vector<float> got_dp(parameters.size()), got_dx(input.size());
    const std::vector<float> got_y = cuda_trainer_probe::mlp_forward_backward(
        shape, parameters.data(), input.data(), rows, output_grad.data(), got_dp.data(),
        got_dx.data());
    auto worst = [](const std::vector<float>& got, const std::vector<float>& want) {
      double largest = 0, gap = 0;
      for (std::size_t i = 0; i < want.size(); ++i) {
        largest = std::max(largest, double(std::fabs(want[i])));
        gap = std::max(gap, double(std::fabs(got[i] - want[i])));
      }
      return gap / largest;
    };
    CAPTURE(std::string(spec));
    REQUIRE(got_y.size() == want_y.size());
    CHECK(worst(got_y, want_y) < 1e-5);
    CHECK(worst(got_dp, want_dp) < 1e-5);
    CHECK(worst(got_dx, want_dx) < 1e-5);
  }
}

TEST_CASE("CUDA trainer: a pairwise-loss plan still runs after a plan of a smaller feature dimension is built") {
  // The kernel's dynamic shared-memory limit is process-wide: a later plan with a smaller tile
  // must not lower it below what a live larger plan launches with (issue: the limit was set to
  // each plan's own size, and the larger plan's launch failed).
  std::string why;
  if (!cuda_gan_backend_available(&why)) {
    MESSAGE("skipped: no CUDA device for the trainer's kernels (" << why << ")");
    return;
  }
  const long n = 96;
  const int dim = 64, later_dim = 2;
  Rng rng(5);
  std::vector<float> fake(n * dim), real(n * dim);
  for (auto& v : fake) v = static_cast<float>(rng.normal());
  for (auto& v : real) v = static_cast<float>(rng.normal());
  const PairKernel kernel(parse_kernel("gaussian:sigma=4"), dim, 1e-3);
  const PairKernel later(parse_kernel("gaussian:sigma=4"), later_dim, 1e-3);
  std::vector<float> alone_fake(n * dim), alone_real(n * dim), after_fake(n * dim), after_real(n * dim);
  const double alone = cuda_trainer_probe::pairwise_loss(kernel, Estimator::v_statistic, fake.data(), n,
                                                         real.data(), n, dim, alone_fake.data(), alone_real.data());
  const double after = cuda_trainer_probe::pairwise_loss(kernel, Estimator::v_statistic, fake.data(), n,
                                                         real.data(), n, dim, after_fake.data(),
                                                         after_real.data(), &later, later_dim);
  // The same kernel on the same data: bit for bit.
  CHECK(after == alone);
  CHECK(after_fake == alone_fake);
  CHECK(after_real == alone_real);
}
