// The CPU backend's wiring: one step of each player moves every parameter the way the gradient
// of the composed objective says. Adam's first step is exactly lr·sign(g) (m̂/√v̂ = g/|g|), so
// the sign of each parameter's change is compared with the sign of a central finite difference
// of E(D(G(z)), D(x)) computed in double from the same fp32 starting point.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "trainer_backend_cases.hpp"
#include "wgf/trainer/cpu_gan_backend.hpp"
#include "wgf/trainer/gan_backend.hpp"
#include "wgf/trainer/random.hpp"

using namespace wgf;

namespace {

GanSetup small_setup() {
  GanSetup s;
  s.generator = {3, {8}, 2, parse_activation("tanh", "t"), {}};
  s.discriminator = {2, {8}, 3, parse_activation("softplus", "t"), {}};
  s.generator_adam.lr = s.discriminator_adam.lr = 1e-6;
  s.generator_kernel = parse_kernel("gaussian:sigma=1+gaussian:sigma=2");
  s.discriminator_kernel = s.generator_kernel.plus(parse_kernel("laplace:ell=1").scaled(-0.3));
  s.estimator = Estimator::u_statistic;
  s.batch = 6;
  return s;
}

// E_kernel(D(G(z)), D(x)) in double.
double objective(const GanSetup& s, const Kernel& kernel, const std::vector<double>& g,
                 const std::vector<double>& d, const std::vector<double>& real,
                 const std::vector<double>& latent) {
  Mlp<double> gen(s.generator, s.batch), dis(s.discriminator, s.batch);
  PairwiseLoss<double> loss(PairKernel(kernel, s.discriminator.outputs, s.softening), s.estimator,
                            s.batch, s.batch, s.discriminator.outputs);
  const double* fake = gen.forward(g.data(), latent.data(), s.batch);
  const std::vector<double> fake_rows(fake, fake + s.batch * s.generator.outputs);
  const double* ff = dis.forward(d.data(), fake_rows.data(), s.batch);
  const std::vector<double> fake_features(ff, ff + s.batch * s.discriminator.outputs);
  const double* fr = dis.forward(d.data(), real.data(), s.batch);
  return loss.evaluate(fake_features.data(), fr, nullptr, nullptr);
}

struct Signs {
  long checked = 0, agree = 0;
};

// Compares sign(after − before) with `direction`·sign(∂E/∂θ) where |∂E/∂θ| is clearly non-zero.
Signs compare_signs(const std::vector<float>& before, const std::vector<float>& after,
                    const std::vector<double>& numeric_gradient, double direction) {
  Signs s;
  double largest = 0;
  for (double g : numeric_gradient) largest = std::max(largest, std::fabs(g));
  for (std::size_t k = 0; k < before.size(); ++k) {
    if (std::fabs(numeric_gradient[k]) < 1e-3 * largest) continue;
    ++s.checked;
    const double moved = double(after[k]) - double(before[k]);
    if (moved * direction * numeric_gradient[k] > 0) ++s.agree;
  }
  return s;
}

}  // namespace

TEST_CASE("CPU backend: a generator step descends E_e and a discriminator step ascends E_{e-eps s}") {
  const GanSetup s = small_setup();
  Rng rng(9);
  std::vector<float> g(s.generator.parameter_count()), d(s.discriminator.parameter_count());
  initialize_mlp(s.generator, rng, g.data());
  initialize_mlp(s.discriminator, rng, d.data());
  std::vector<float> real(s.batch * 2), latent(s.batch * 3);
  for (auto& v : real) v = static_cast<float>(rng.normal());
  for (auto& v : latent) v = static_cast<float>(rng.normal());
  const std::vector<double> gd(g.begin(), g.end()), dd(d.begin(), d.end()),
      real_d(real.begin(), real.end()), latent_d(latent.begin(), latent.end());

  CpuGanBackend backend(s);
  const double h = 1e-6;
  SUBCASE("generator") {
    backend.load_parameters(g, d);
    backend.generator_step(real.data(), latent.data());
    std::vector<float> g_after(g.size()), d_after(d.size());
    backend.read_parameters(g_after, d_after);
    std::vector<double> numeric(g.size());
    for (std::size_t k = 0; k < g.size(); ++k) {
      auto plus = gd, minus = gd;
      plus[k] += h;
      minus[k] -= h;
      numeric[k] = (objective(s, s.generator_kernel, plus, dd, real_d, latent_d) -
                    objective(s, s.generator_kernel, minus, dd, real_d, latent_d)) / (2 * h);
    }
    const Signs signs = compare_signs(g, g_after, numeric, -1.0);
    CHECK(signs.checked > static_cast<long>(g.size()) / 2);
    CHECK(signs.agree == signs.checked);
    CHECK(d_after == d);  // the discriminator is held during the generator's step
    CHECK(backend.last_losses().generator ==
          doctest::Approx(objective(s, s.generator_kernel, gd, dd, real_d, latent_d)).epsilon(1e-4));
  }
  SUBCASE("discriminator") {
    backend.load_parameters(g, d);
    backend.discriminator_step(real.data(), latent.data());
    std::vector<float> g_after(g.size()), d_after(d.size());
    backend.read_parameters(g_after, d_after);
    std::vector<double> numeric(d.size());
    for (std::size_t k = 0; k < d.size(); ++k) {
      auto plus = dd, minus = dd;
      plus[k] += h;
      minus[k] -= h;
      numeric[k] = (objective(s, s.discriminator_kernel, gd, plus, real_d, latent_d) -
                    objective(s, s.discriminator_kernel, gd, minus, real_d, latent_d)) / (2 * h);
    }
    const Signs signs = compare_signs(d, d_after, numeric, +1.0);
    CHECK(signs.checked > static_cast<long>(d.size()) / 2);
    CHECK(signs.agree == signs.checked);
    CHECK(g_after == g);
    CHECK(backend.last_losses().discriminator ==
          doctest::Approx(objective(s, s.discriminator_kernel, gd, dd, real_d, latent_d)).epsilon(1e-4));
  }
}

namespace {

// Losses after every step and the final parameters of `steps` iterations (one D step, one G
// step each) from fixed initial parameters and batches: the trajectory a backend must follow.
struct Trajectory {
  std::vector<double> losses;
  std::vector<float> generator, discriminator;
};

Trajectory run_trajectory(GanBackend& backend, const GanSetup& s, int steps) {
  Rng init(21), batches(22);
  Trajectory t;
  t.generator.resize(s.generator.parameter_count());
  t.discriminator.resize(s.discriminator.parameter_count());
  initialize_mlp(s.generator, init, t.generator.data());
  initialize_mlp(s.discriminator, init, t.discriminator.data());
  backend.load_parameters(t.generator, t.discriminator);
  std::vector<float> real(s.batch * s.generator.outputs), latent(s.batch * s.generator.inputs);
  for (int step = 0; step < steps; ++step) {
    for (auto& v : real) v = static_cast<float>(batches.normal());
    for (auto& v : latent) v = static_cast<float>(batches.normal());
    backend.discriminator_step(real.data(), latent.data());
    backend.generator_step(real.data(), latent.data());
    t.losses.push_back(backend.last_losses().discriminator);
    t.losses.push_back(backend.last_losses().generator);
  }
  backend.read_parameters(t.generator, t.discriminator);
  return t;
}

GanSetup parity_setup() {
  GanSetup s;
  s.generator = {8, {64, 64}, 2, parse_activation("relu", "t"), {}};
  s.discriminator = {2, {64, 64}, 16, parse_activation("leaky_relu", "t"), {}};
  s.generator_kernel = parse_kernel(
      "gaussian:sigma=1+gaussian:sigma=2+gaussian:sigma=4+gaussian:sigma=8+gaussian:sigma=16");
  s.discriminator_kernel = s.generator_kernel.plus(parse_kernel("energy").scaled(-0.3));
  s.batch = 128;
  return s;
}

}  // namespace

// Kokkos-style: the CPU reference and each other backend run one test body. fp32 rounding
// differs between cuBLAS and Eigen (summation order, FMA), and 50 Adam steps of lr 1e-3 move
// each parameter by at most 0.05: the differences stay ~1e-5 relative unless a kernel is wrong,
// so every loss is held to 1e-3 relative and every parameter to 1e-3 of the largest one.
TEST_CASE("CUDA backend: every loss and parameter matches the CPU reference after 50 steps") {
  if (!testing::trainer_ready<testing::CudaTrainer>()) return;
  const GanSetup s = parity_setup();
  CpuGanBackend cpu(s);
  const auto cuda = testing::make_trainer<testing::CudaTrainer>(s);
  const Trajectory reference = run_trajectory(cpu, s, 50), candidate = run_trajectory(*cuda, s, 50);
  REQUIRE(candidate.losses.size() == reference.losses.size());
  for (std::size_t i = 0; i < reference.losses.size(); ++i) {
    CAPTURE(i);
    CHECK(candidate.losses[i] == doctest::Approx(reference.losses[i]).epsilon(1e-3));
  }
  auto check_parameters = [](const std::vector<float>& got, const std::vector<float>& want) {
    float largest = 0, worst = 0;
    for (std::size_t k = 0; k < want.size(); ++k) {
      largest = std::max(largest, std::fabs(want[k]));
      worst = std::max(worst, std::fabs(got[k] - want[k]));
    }
    CHECK(worst <= 1e-3f * largest);
  };
  check_parameters(candidate.generator, reference.generator);
  check_parameters(candidate.discriminator, reference.discriminator);
}

// One body per backend (tests/trainer_backend_cases.hpp). The CPU reference reduces in a fixed
// order; cuBLAS's SGEMM and the trainer's kernels do too on a given device. So a second run of
// the same steps must give the same bits on either.
TEST_CASE_TEMPLATE("a backend given the same initial parameters and batches follows the same trajectory",
                   Trainer, WGF_TRAINER_BACKENDS) {
  if (!testing::trainer_ready<Trainer>()) return;
  const GanSetup s = parity_setup();
  const auto first = testing::make_trainer<Trainer>(s), second = testing::make_trainer<Trainer>(s);
  const Trajectory a = run_trajectory(*first, s, 10), b = run_trajectory(*second, s, 10);
  CHECK(a.losses == b.losses);
  CHECK(a.generator == b.generator);
  CHECK(a.discriminator == b.discriminator);
}

// The evaluation passes in chunks of the planned batch (G) and twice it (D), the last one
// partial, against Mlp<float> on the host: the CPU backend runs the same products (1e-6
// relative); the CUDA backend's fp32 products of at most 8 terms are summed in another order
// (1e-5 relative).
TEST_CASE_TEMPLATE("a backend's evaluation passes equal the networks run by hand, in any chunking",
                   Trainer, WGF_TRAINER_BACKENDS) {
  if (!testing::trainer_ready<Trainer>()) return;
  GanSetup s = small_setup();
  s.batch = 4;
  Rng rng(2);
  std::vector<float> g(s.generator.parameter_count()), d(s.discriminator.parameter_count());
  initialize_mlp(s.generator, rng, g.data());
  initialize_mlp(s.discriminator, rng, d.data());
  const auto backend = testing::make_trainer<Trainer>(s);
  backend->load_parameters(g, d);
  const long rows = 11;  // not a multiple of the batch: the last chunk is partial
  std::vector<float> latent(rows * 3), samples(rows * 2), features(rows * 3);
  for (auto& v : latent) v = static_cast<float>(rng.normal());
  backend->generate(latent.data(), rows, samples.data());
  backend->features(samples.data(), rows, features.data());
  Mlp<float> gen(s.generator, rows), dis(s.discriminator, rows);
  const float* x = gen.forward(g.data(), latent.data(), rows);
  const float* f = dis.forward(d.data(), x, rows);
  const double tolerance = Trainer::evaluation_tolerance;
  for (long i = 0; i < rows * 2; ++i) CHECK(samples[i] == doctest::Approx(x[i]).epsilon(tolerance));
  for (long i = 0; i < rows * 3; ++i) CHECK(features[i] == doctest::Approx(f[i]).epsilon(tolerance));
}
