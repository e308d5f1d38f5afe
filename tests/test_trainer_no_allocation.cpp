// The training step allocates nothing (docs/design.md §6): not our code, and not Eigen's GEMM
// workspace either (EIGEN_STACK_ALLOCATION_LIMIT puts it on the stack). The test binary's
// malloc is interposed here by a counting one, armed only around the steps; operator new (the
// counting one of test_no_allocation.cpp, or the library's) ends in malloc as well.
#include <doctest/doctest.h>

#include <atomic>
#include <cmath>
#include <cstdlib>
#include <string>
#include <vector>

#include "wgf/trainer/cpu_gan_backend.hpp"
#include "wgf/trainer/critic_flow_backend.hpp"
#include "wgf/trainer/datasets.hpp"

namespace {
std::atomic<bool> g_counting{false};
std::atomic<long> g_mallocs{0};
}  // namespace

extern "C" void* __libc_malloc(std::size_t size);
extern "C" void* malloc(std::size_t size) {
  if (g_counting.load(std::memory_order_relaxed)) g_mallocs.fetch_add(1, std::memory_order_relaxed);
  return __libc_malloc(size);
}

using namespace wgf;

namespace {

struct CountedSteps {
  long mallocs = 0;
  StepLosses losses;
};

// Loads seeded parameters into `backend`, runs one uncounted warm-up iteration (the first use
// of each OpenMP construct may set up its thread team), then counts the mallocs of `iterations`
// more (a discriminator and a generator step each, and a learning-rate change between
// iterations when `change_rates`).
CountedSteps count_step_allocations(GanBackend& backend, const GanSetup& s, int iterations,
                                    bool change_rates) {
  Rng rng(1);
  std::vector<float> g(s.generator.parameter_count()), d(s.discriminator.parameter_count());
  initialize_mlp(s.generator, rng, g.data());
  initialize_mlp(s.discriminator, rng, d.data());
  backend.load_parameters(g, d);
  const auto data = make_data_source("ring8", 1, 10);
  std::vector<float> real(s.batch * 2), latent(s.batch * 2);
  auto iteration = [&] {
    data->sample_training(rng, s.batch, real.data());
    for (float& v : latent) v = static_cast<float>(rng.normal());
    backend.discriminator_step(real.data(), latent.data());
    backend.generator_step(real.data(), latent.data());
    if (change_rates) backend.set_learning_rates(1e-3, 1e-3);
  };
  iteration();
  g_mallocs = 0;
  g_counting = true;
  for (int i = 0; i < iterations; ++i) iteration();
  CountedSteps counted;
  counted.losses = backend.last_losses();
  g_counting = false;
  counted.mallocs = g_mallocs.load();  // read before doctest allocates
  return counted;
}

}  // namespace

TEST_CASE("CPU backend steps allocate nothing, for small and benchmark-sized networks") {
  struct Size {
    long batch;
    int width;
  };
  for (const Size size : {Size{64, 32}, Size{256, 256}}) {
    GanSetup s;
    s.generator = {2, {size.width, size.width, size.width}, 2, parse_activation("relu", "t"), {}};
    s.discriminator = {2, {size.width, size.width, size.width}, 16,
                       parse_activation("leaky_relu", "t"), {}};
    s.generator_kernel = parse_kernel(
        "gaussian:sigma=1+gaussian:sigma=2+gaussian:sigma=4+gaussian:sigma=8+gaussian:sigma=16");
    s.discriminator_kernel = s.generator_kernel.plus(parse_kernel("energy").scaled(-0.3));
    s.batch = size.batch;
    CpuGanBackend backend(s);
    const CountedSteps counted = count_step_allocations(backend, s, 5, true);
    CAPTURE(size.width);
    CHECK(counted.mallocs == 0);
    CHECK(std::isfinite(counted.losses.generator));
  }
}

TEST_CASE("Flow-method steps (WGAN-GP, regularised MMD critic, Euler persistence) allocate nothing") {
  for (const char* critic : {"wgan-gp", "mmd"}) {
    const bool wasserstein = std::string(critic) == "wgan-gp";
    GanSetup s;
    s.generator = {2, {64, 64}, 2, parse_activation("relu", "t"), {}};
    s.discriminator = {2, {64, 64}, wasserstein ? 1 : 8, parse_activation("tanh", "t"), {}};
    s.generator_kernel = parse_kernel("gaussian:sigma=1+gaussian:sigma=2");
    s.discriminator_kernel = s.generator_kernel.plus(parse_kernel("laplace:ell=0.5").scaled(-0.3));
    s.batch = 64;
    TrainingMethod method;
    method.critic = critic;
    method.critic_penalty = 1.0;
    method.generator_update = "euler";
    method.persistence = 3;
    CriticFlowBackend backend(s, method, 1);
    const CountedSteps counted = count_step_allocations(backend, s, 3, false);
    CAPTURE(std::string(critic));
    CHECK(counted.mallocs == 0);
    CHECK(std::isfinite(counted.losses.generator));
  }
}
