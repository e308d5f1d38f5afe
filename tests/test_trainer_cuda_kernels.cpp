// The CUDA trainer's fused pairwise loss kernel alone on the GPU against the CPU reference
// PairwiseLoss<float> on the same features (llm.c style, kernel by kernel). Skipped, and
// reported skipped, where no GPU is usable (tests/backend_cases.hpp explains the convention).
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "wgf/kernel.hpp"
#include "wgf/trainer/cuda_gan_backend.hpp"
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
