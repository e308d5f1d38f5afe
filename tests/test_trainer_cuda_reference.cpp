// The CUDA trainer's kernel arithmetic on the host, against the CPU reference (llm.c style),
// with or without a GPU: the per-pair kernel evaluation and the activations the kernels call,
// and the fused pairwise loss kernel emulated phase by phase (src/trainer/cuda/pairwise_tile.hpp)
// against PairwiseLoss in double. What the emulation cannot see is the device's own math
// library and scheduling: tests/test_trainer_cuda_kernels.cpp and the backend parity test
// cover those on a GPU.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <string>
#include <vector>

#include "../src/trainer/cuda/activation_cell.hpp"
#include "../src/trainer/cuda/pairwise_plan.hpp"
#include "../src/trainer/cuda/row_major_gemm.hpp"
#include "wgf/kernel.hpp"
#include "wgf/trainer/activation.hpp"
#include "wgf/trainer/pair_terms.hpp"
#include "wgf/trainer/pairwise_loss.hpp"
#include "wgf/trainer/random.hpp"

using namespace wgf;

namespace {

const char* kKernels[] = {
    "gaussian:sigma=1+gaussian:sigma=2+gaussian:sigma=4+gaussian:sigma=8+gaussian:sigma=16",
    "rq:alpha=2,ell=0.7", "rq:alpha=1,ell=1", "imq:c=0.8", "laplace:ell=0.9", "energy",
    "energy:beta=1.5", "riesz:alpha=1", "riesz:alpha=0.5",
    "gaussian:sigma=0.5+gaussian:sigma=2+-0.3*energy",  // e − εs: a ladder plus another family
    "gaussian:sigma=1+gaussian:sigma=3",                // not a ladder: term by term
};

double max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

}  // namespace

// PairKernel's reference value and slopes through its vectorised chunk path (a single value
// would take Eigen's scalar fallback): kReplicas copies of s, whose values sum exactly to
// kReplicas·e(s) in double (equal fp32/fp64 terms, a power of two of them).
template <class Scalar>
void chunked_reference(const PairKernel& kernel, Scalar s, double& value, double& slope) {
  constexpr int kReplicas = 16;
  std::vector<Scalar> in(kReplicas, s), slopes(kReplicas);
  value = kernel.accumulate(in.data(), kReplicas, static_cast<Scalar*>(nullptr)) / kReplicas;
  kernel.accumulate(in.data(), kReplicas, slopes.data());
  slope = static_cast<double>(slopes[kReplicas / 2]);
}

// The same operations in the same order as PairKernel's chunks, so only the libraries' exp, log
// and sqrt may differ (Eigen's vectorised ones against the C library's: an ulp or two each).
// Repeated squaring multiplies a rung's relative error by 2^k, but the rungs squared most are the
// narrowest Gaussians, whose values where that matters are ≪ 1 against the 1 + |e| scale:
// 1e-13 in double (ulp 1.1e-16), 1e-6 in fp32 (ulp 6e-8).
TEST_CASE("CUDA trainer cells: pair_value equals PairKernel's chunked evaluation for every family") {
  double worst_double = 0, worst_float = 0;
  for (const char* spec : kKernels) {
    for (double softening : {1e-3, 0.05}) {
      const PairKernel kernel(parse_kernel(spec), 3, softening);
      const PairTerms flat = kernel.flat_terms();
      for (double s : {0.0, 1e-7, 1e-3, 0.09, 1.0, 2.7, 9.0, 40.0}) {
        CAPTURE(std::string(spec));
        CAPTURE(softening);
        CAPTURE(s);
        double slope = 0, ref_value = 0, ref_slope = 0;
        const double value = pair_value(flat, s, &slope);
        chunked_reference(kernel, s, ref_value, ref_slope);
        const double e_value = std::fabs(value - ref_value) / (1 + std::fabs(ref_value));
        const double e_slope = std::fabs(slope - ref_slope) / (1 + std::fabs(ref_slope));
        CHECK(e_value < 1e-13);
        CHECK(e_slope < 1e-13);
        worst_double = std::max({worst_double, e_value, e_slope});

        float slope_f = 0;
        const float value_f = pair_value(flat, static_cast<float>(s), &slope_f);
        chunked_reference(kernel, static_cast<float>(s), ref_value, ref_slope);
        const double f_value = std::fabs(value_f - ref_value) / (1 + std::fabs(ref_value));
        const double f_slope = std::fabs(slope_f - ref_slope) / (1 + std::fabs(ref_slope));
        CHECK(f_value < 1e-6);
        CHECK(f_slope < 1e-6);
        worst_float = std::max({worst_float, f_value, f_slope});
      }
    }
  }
  MESSAGE("pair_value vs PairKernel, worst relative difference: double " << worst_double
                                                                         << ", float " << worst_float);
}

TEST_CASE("CUDA trainer cells: a kernel with more terms than the device holds is refused") {
  std::string spec = "gaussian:sigma=1";
  for (int i = 0; i < PairTerms::kMaxTerms; ++i) spec += "+laplace:ell=" + std::to_string(i + 1);
  const PairKernel kernel(parse_kernel(spec), 2, 1e-3);
  CHECK_THROWS_AS(kernel.flat_terms(), InputError);
}

// fp32 on both sides; Eigen's vectorised tanh/exp/log1p and the C library's differ by a few
// ulps: 1e-6 relative to 1 + |value|. The rectifiers and identity are exact.
TEST_CASE("CUDA trainer cells: activate_one and activation_backward_one equal the Eigen reference") {
  const char* specs[] = {"identity", "relu", "leaky_relu:slope=0.2", "tanh", "softplus", "sigmoid"};
  std::vector<float> z;
  for (int i = -240; i <= 240; ++i) z.push_back(0.05f * static_cast<float>(i));
  z.push_back(-30.0f);
  z.push_back(30.0f);
  const long n = static_cast<long>(z.size());
  for (const char* spec : specs) {
    const Activation f = parse_activation(spec, "test");
    cuda_trainer::ActivationCode code;
    code.slope = static_cast<float>(f.slope);
    switch (f.kind) {
      case Activation::Kind::identity: code.kind = cuda_trainer::ActivationCode::identity; break;
      case Activation::Kind::relu: code.kind = cuda_trainer::ActivationCode::relu; break;
      case Activation::Kind::leaky_relu: code.kind = cuda_trainer::ActivationCode::leaky_relu; break;
      case Activation::Kind::tanh: code.kind = cuda_trainer::ActivationCode::tanh; break;
      case Activation::Kind::softplus: code.kind = cuda_trainer::ActivationCode::softplus; break;
      case Activation::Kind::sigmoid: code.kind = cuda_trainer::ActivationCode::sigmoid; break;
    }
    std::vector<float> a(n), grad(n);
    activate(f, z.data(), a.data(), n);
    for (long i = 0; i < n; ++i) grad[i] = 0.3f + 0.01f * static_cast<float>(i % 7);
    std::vector<float> upstream = grad;
    activation_backward(f, z.data(), a.data(), grad.data(), n);
    double worst = 0;
    for (long i = 0; i < n; ++i) {
      const float a_one = cuda_trainer::activate_one(code, z[i]);
      const float g_one = cuda_trainer::activation_backward_one(code, z[i], a[i], upstream[i]);
      worst = std::max({worst, std::fabs(a_one - a[i]) / (1.0 + std::fabs(a[i])),
                        std::fabs(g_one - grad[i]) / (1.0 + std::fabs(grad[i]))});
    }
    CAPTURE(std::string(spec));
    CHECK(worst < 1e-6);
  }
}

namespace {

struct EmulatedLoss {
  double loss = 0;
  std::vector<float> gradient;  // gradient_rows × dim
};

// The two launches of pairwise_loss_kernel.cu on the host: every block of the grid, and in each
// block every thread's share of a phase before any thread starts the next phase (the barriers).
// Shared memory and the split buffers start as NaN, so a value read before it was written
// shows. `reversed` runs the threads of each phase in the opposite order: a phase whose threads
// depended on each other (a race on the GPU) would then give different bits.
EmulatedLoss emulate(pair_tile::Problem p, const std::vector<float>& features, int gradient_rows,
                     float scale, bool reversed) {
  using namespace pair_tile;
  const double nan = std::numeric_limits<double>::quiet_NaN();
  std::vector<float> partial_gradient(static_cast<std::size_t>(p.splits) * gradient_rows * p.dim,
                                      static_cast<float>(nan));
  std::vector<double> partial_loss(static_cast<std::size_t>(p.splits) * p.row_tiles, nan);
  p.features = features.data();
  p.gradient_rows = gradient_rows;
  p.partial_gradient = partial_gradient.data();
  p.partial_loss = partial_loss.data();
  std::vector<double> shared((tile_bytes(p.dim) + sizeof(double) - 1) / sizeof(double));
  auto each_thread = [&](auto&& phase) {
    for (int i = 0; i < kThreads; ++i) phase(reversed ? kThreads - 1 - i : i);
  };
  for (int split = 0; split < p.splits; ++split) {
    for (int block = 0; block < p.row_tiles; ++block) {
      Tile s = carve_tile(shared.data(), p.dim);
      std::fill(s.loss, s.loss + kThreads, nan);
      std::fill(s.rows, reinterpret_cast<float*>(shared.data() + shared.size()),
                static_cast<float>(nan));
      const int row0 = block * kRows;
      std::vector<double> loss(kThreads, 0.0);
      each_thread([&](int t) { load_owned_rows(p, s, row0, t); });
      for (int tile = split; tile < p.column_tiles; tile += p.splits) {
        each_thread([&](int t) { load_columns(p, s, tile * kColumns, t); });
        each_thread([&](int t) { loss[t] += pair_weights(p, s, row0, tile * kColumns, t); });
        each_thread([&](int t) { accumulate_gradient(p, s, row0, t); });
      }
      each_thread([&](int t) { store_gradient(p, s, row0, split, t); });
      each_thread([&](int t) { s.loss[t] = loss[t]; });
      for (int stride = kThreads / 2; stride > 0; stride /= 2)
        each_thread([&](int t) { reduce_loss(s, stride, t); });
      partial_loss[static_cast<std::size_t>(split) * p.row_tiles + block] = s.loss[0];
    }
  }
  EmulatedLoss out;
  out.gradient.resize(static_cast<std::size_t>(gradient_rows) * p.dim);
  for (std::size_t e = 0; e < out.gradient.size(); ++e)
    out.gradient[e] = finished_gradient(p, scale, e);
  out.loss = finished_loss(p);
  return out;
}

}  // namespace

// The emulated kernel computes in fp32 (the loss sum in double), the reference in double on the
// same fp32 points: as for PairwiseLoss<float> (test_trainer_pairwise_loss.cpp) each pair's e
// carries ~1e-7 relative rounding (×2^8 on the deepest ladder rung) and the sums cancel to E, so
// E is held to 1e-5 of the kernel's scale |e(0)| + |e(4·dim)| and each gradient to 1e-4 of its
// largest component. The sizes leave partial tiles on both axes (74 and 40 rows against tiles
// of 32), the feature dimensions cover a padded stride (8 → 9), an odd one (3) and more
// gradient entries than threads (40 · 32 > 256); the splits run 1, 2 and 3 column tiles apart.
TEST_CASE("CUDA trainer: the fused pairwise loss kernel, emulated, matches PairwiseLoss in double") {
  struct Shape {
    long n;
    int dim;
  };
  double worst_loss = 0, worst_gradient = 0;
  for (const Shape shape : {Shape{37, 3}, Shape{20, 40}, Shape{37, 8}}) {
    const long n = shape.n, rows = 2 * n;
    const int dim = shape.dim;
    Rng rng(5 + dim);
    std::vector<float> features(rows * dim);
    for (long i = 0; i < rows * dim; ++i)
      features[i] = static_cast<float>((i < n * dim ? 1.0 : 1.3) * rng.normal());
    const std::vector<double> features_d(features.begin(), features.end());
    for (const char* spec : kKernels) {
      const PairKernel kernel(parse_kernel(spec), dim, 1e-3);
      for (Estimator estimator : {Estimator::v_statistic, Estimator::u_statistic}) {
        PairwiseLoss<double> reference(kernel, estimator, n, n, dim);
        std::vector<double> grad(rows * dim);
        const double energy = reference.evaluate(features_d.data(), features_d.data() + n * dim,
                                                 grad.data(), grad.data() + n * dim);
        const double scale = std::fabs(kernel.value(0.0)) + std::fabs(kernel.value(4.0 * dim));
        for (long target_blocks : {1L, 6L, 9L}) {
          const pair_tile::Problem p =
              cuda_trainer::plan_pairwise_problem(kernel, estimator, n, n, dim, target_blocks);
          CAPTURE(std::string(spec));
          CAPTURE(dim);
          CAPTURE(estimator_name(estimator));
          CAPTURE(p.splits);
          // The discriminator's step: all rows, ascent; the generator's: the fake rows, descent.
          for (const bool generator : {false, true}) {
            const int gradient_rows = static_cast<int>(generator ? n : rows);
            const float sign = generator ? 1.0f : -1.0f;
            const EmulatedLoss got = emulate(p, features, gradient_rows, 4.0f * sign, false);
            const EmulatedLoss again = emulate(p, features, gradient_rows, 4.0f * sign, true);
            CHECK(again.loss == got.loss);
            CHECK(again.gradient == got.gradient);
            const double loss_error = std::fabs(got.loss - energy) / scale;
            CHECK(loss_error < 1e-5);
            const double largest = max_abs(grad);
            double gradient_error = 0;
            for (long e = 0; e < gradient_rows * dim; ++e)
              gradient_error = std::max(gradient_error, std::fabs(sign * got.gradient[e] - grad[e]));
            gradient_error /= largest;
            CHECK(gradient_error < 1e-4);
            worst_loss = std::max(worst_loss, loss_error);
            worst_gradient = std::max(worst_gradient, gradient_error);
          }
        }
      }
    }
  }
  MESSAGE("emulated fused loss vs PairwiseLoss<double>, worst: loss " << worst_loss
                                                                      << " of scale, gradient "
                                                                      << worst_gradient << " of max");
}

namespace {

// cuBLAS's definition of C = op(A) op(B) (column-major, β = 0), in double; every element read
// is checked to lie inside its operand's storage, so a wrong leading dimension shows.
std::vector<double> column_major_gemm(const cuda_trainer::GemmShape& g, const std::vector<double>& a,
                                      const std::vector<double>& b) {
  std::vector<double> c(static_cast<std::size_t>(g.ldc) * g.n, 0.0);
  bool inside = true;
  for (int j = 0; j < g.n; ++j)
    for (int i = 0; i < g.m; ++i) {
      double sum = 0;
      for (int p = 0; p < g.k; ++p) {
        const std::size_t ia = g.transpose_a ? p + std::size_t(i) * g.lda : i + std::size_t(p) * g.lda;
        const std::size_t ib = g.transpose_b ? j + std::size_t(p) * g.ldb : p + std::size_t(j) * g.ldb;
        inside = inside && ia < a.size() && ib < b.size();
        if (ia < a.size() && ib < b.size()) sum += a[ia] * b[ib];
      }
      c[i + std::size_t(j) * g.ldc] = sum;
    }
  CHECK(inside);
  CHECK(c.size() == static_cast<std::size_t>(g.m) * g.n);  // C is exactly the row-major result
  return c;
}

}  // namespace

// The argument sets DeviceMlp hands cuBLAS, run through cuBLAS's column-major definition on the
// row-major buffers, against the row-major products written as loops. Both sum the same terms
// in the same order in double: equal to 1e-14 relative.
TEST_CASE("CUDA trainer: the row-major GEMM argument sets compute X W, Xt delta and delta Wt") {
  const int rows = 5, in = 3, out = 4;
  Rng rng(3);
  std::vector<double> x(rows * in), w(in * out), delta(rows * out);
  for (auto* v : {&x, &w, &delta})
    for (double& e : *v) e = rng.normal();
  std::vector<double> z(rows * out, 0.0), dw(in * out, 0.0), dx(rows * in, 0.0);
  for (int r = 0; r < rows; ++r)
    for (int i = 0; i < in; ++i)
      for (int o = 0; o < out; ++o) {
        z[r * out + o] += x[r * in + i] * w[i * out + o];
        dw[i * out + o] += x[r * in + i] * delta[r * out + o];
        dx[r * in + i] += delta[r * out + o] * w[i * out + o];
      }
  auto check_equal = [](const std::vector<double>& got, const std::vector<double>& want) {
    REQUIRE(got.size() == want.size());
    for (std::size_t e = 0; e < want.size(); ++e)
      CHECK(got[e] == doctest::Approx(want[e]).epsilon(1e-14));
  };
  check_equal(column_major_gemm(cuda_trainer::forward_gemm(rows, in, out), w, x), z);
  check_equal(column_major_gemm(cuda_trainer::weight_gradient_gemm(rows, in, out), delta, x), dw);
  check_equal(column_major_gemm(cuda_trainer::input_gradient_gemm(rows, in, out), w, delta), dx);
}
