// The flow-based trainer's methods (training_method.hpp, critic_flow_backend.hpp): the forward-
// Euler update with persistence against the plain generator step it generalises, its approach
// to the held targets, the MMD critic against the reference backend, and the CLI's checks.
#include <doctest/doctest.h>

#include <cmath>
#include <string>
#include <vector>

#include "cli_sandbox.hpp"
#include "wgf/trainer/cpu_gan_backend.hpp"
#include "wgf/trainer/critic_flow_backend.hpp"
#include "wgf/trainer/datasets.hpp"

using namespace wgf;

namespace {

GanSetup small_setup(bool wasserstein, double generator_lr) {
  GanSetup s;
  s.generator = {2, {16, 16}, 2, parse_activation("relu", "test"), {}};
  s.discriminator = {2, {16}, wasserstein ? 1 : 4, parse_activation("leaky_relu", "test"), {}};
  s.generator_kernel = parse_kernel("gaussian:sigma=1+gaussian:sigma=2");
  s.discriminator_kernel = s.generator_kernel;
  s.generator_adam.lr = generator_lr;
  s.batch = 32;
  return s;
}

TrainingMethod method(const std::string& critic, const std::string& update, long persistence,
                      double dt, double penalty, const std::string& optimiser) {
  TrainingMethod m;
  m.critic = critic;
  m.generator_update = update;
  m.persistence = persistence;
  m.euler_dt = dt;
  m.critic_penalty = penalty;
  m.generator_optimizer = optimiser;
  return m;
}

struct Batches {
  std::vector<float> real, latent_d, latent_g;
  Batches(long batch, std::uint64_t seed) : real(batch * 2), latent_d(batch * 2), latent_g(batch * 2) {
    const auto data = make_data_source("ring8", seed, 10);
    Rng rng(seed, 5);
    data->sample_training(rng, batch, real.data());
    for (auto* v : {&latent_d, &latent_g})
      for (float& x : *v) x = static_cast<float>(rng.normal());
  }
};

void initial_parameters(const GanSetup& s, std::vector<float>& g, std::vector<float>& d) {
  Rng rng(3);
  g.resize(s.generator.parameter_count());
  d.resize(s.discriminator.parameter_count());
  initialize_mlp(s.generator, rng, g.data());
  initialize_mlp(s.discriminator, rng, d.data());
}

}  // namespace

TEST_CASE("Forward Euler with K = 1 under SGD at rate eta is one plain generator step at 2 eta dt") {
  // Plain SGD (not Adam: Adam divides by the gradient's running scale, so a gradient 2Δt times
  // larger gives the same first step and the identity would be vacuous). The two paths differ
  // by rounding only: the Euler gradient 2(x − y)/B is formed from y = x + Δt v in fp32, which
  // loses ~6e-8·|x|/|Δt v| (about 1e-6 here) relatively. Tolerance 1e-4 of the largest update;
  // a wrong factor (Δt left out, the 2 of the square missed) would differ by O(1).
  const double eta = 0.02, dt = 0.25;
  for (const char* critic : {"wgan-gp", "mmd"}) {
    const bool w = std::string(critic) == "wgan-gp";
    const double penalty = w ? 10.0 : 0.1;  // the MMD critic gradient-regularised as well
    const GanSetup euler_setup = small_setup(w, eta), plain_setup = small_setup(w, 2 * eta * dt);
    CriticFlowBackend euler(euler_setup, method(critic, "euler", 1, dt, penalty, "sgd"), 7);
    CriticFlowBackend plain(plain_setup, method(critic, "gradient", 1, dt, penalty, "sgd"), 7);
    std::vector<float> g0, d0;
    initial_parameters(euler_setup, g0, d0);
    euler.load_parameters(g0, d0);
    plain.load_parameters(g0, d0);
    const Batches batches(euler_setup.batch, 11);
    for (auto* backend : {&euler, &plain}) {
      backend->discriminator_step(batches.real.data(), batches.latent_d.data());
      backend->generator_step(batches.real.data(), batches.latent_g.data());
    }
    std::vector<float> g_euler(g0.size()), g_plain(g0.size()), d_euler(d0.size()), d_plain(d0.size());
    euler.read_parameters(g_euler, d_euler);
    plain.read_parameters(g_plain, d_plain);
    CHECK(d_euler == d_plain);  // the critic's step saw the same generator: bit for bit
    double largest = 0, worst = 0;
    for (std::size_t i = 0; i < g0.size(); ++i) {
      largest = std::max(largest, std::fabs(double(g_plain[i]) - g0[i]));
      worst = std::max(worst, std::fabs(double(g_euler[i]) - g_plain[i]));
    }
    MESSAGE(std::string(critic) << ": largest update " << largest << ", worst difference " << worst);
    CHECK(largest > 1e-4);  // the step moved something
    CHECK(worst <= 1e-4 * largest);
    CHECK(euler.last_losses().generator == plain.last_losses().generator);
  }
}

TEST_CASE("Forward Euler with persistence K > 1 brings G(z) monotonically toward the held targets") {
  // For a small enough rate, gradient descent on mean ‖G(z) − y‖² with y held decreases it at
  // every step (the decrease per step is η‖∇‖² + O(η²)). With K = 8 steps at η = 1e-3 the
  // decrease is far above the objective's fp32 rounding.
  for (const char* critic : {"wgan-gp", "mmd"}) {
    const bool w = std::string(critic) == "wgan-gp";
    const GanSetup setup = small_setup(w, 1e-3);
    CriticFlowBackend backend(setup, method(critic, "euler", 8, 0.5, -1, "sgd"), 7);
    std::vector<float> g0, d0;
    initial_parameters(setup, g0, d0);
    backend.load_parameters(g0, d0);
    const Batches batches(setup.batch, 13);
    backend.discriminator_step(batches.real.data(), batches.latent_d.data());
    backend.generator_step(batches.real.data(), batches.latent_g.data());
    const auto& distances = backend.generator_update().target_distances();
    REQUIRE(distances.size() == 8);
    CAPTURE(std::string(critic));
    CHECK(distances[0] > 0);
    for (std::size_t k = 1; k < distances.size(); ++k) {
      CAPTURE(k);
      CHECK(distances[k] < distances[k - 1]);
    }
  }
}

TEST_CASE("The MMD critic with the plain K = 1 Adam update is the reference backend, bit for bit") {
  // Same arithmetic in the same order (CpuGanBackend is the independent implementation).
  GanSetup setup = small_setup(false, 1e-3);
  setup.discriminator_kernel = setup.generator_kernel.plus(parse_kernel("energy").scaled(-0.2));
  CriticFlowBackend flow(setup, method("mmd", "gradient", 1, 1.0, 0.0, "adam"), 7);
  CpuGanBackend reference(setup);
  std::vector<float> g0, d0;
  initial_parameters(setup, g0, d0);
  flow.load_parameters(g0, d0);
  reference.load_parameters(g0, d0);
  for (int it = 0; it < 3; ++it) {
    const Batches batches(setup.batch, 20 + it);
    for (GanBackend* backend : {static_cast<GanBackend*>(&flow), static_cast<GanBackend*>(&reference)}) {
      backend->discriminator_step(batches.real.data(), batches.latent_d.data());
      backend->generator_step(batches.real.data(), batches.latent_g.data());
    }
  }
  std::vector<float> g1(g0.size()), d1(d0.size()), g2(g0.size()), d2(d0.size());
  flow.read_parameters(g1, d1);
  reference.read_parameters(g2, d2);
  CHECK(g1 == g2);
  CHECK(d1 == d2);
  CHECK(flow.last_losses().generator == reference.last_losses().generator);
  CHECK(flow.last_losses().discriminator == reference.last_losses().discriminator);
}

TEST_CASE("wgf train --method/--persistence: bad options exit 2; a WGAN-GP Euler run records them") {
  using wgf::testing::Sandbox;
  Sandbox box;
  const std::string base = "train --quiet --eval-samples 40 --iters 3 --batch 8 --g-hidden 8 --d-hidden 8 ";
  struct BadCase {
    std::string arguments, expected;
  };
  const BadCase cases[] = {
      {"--method gan", "--method 'gan'"},
      {"--generator-update leapfrog", "--generator-update 'leapfrog'"},
      {"--persistence 0", "--persistence 0"},
      {"--generator-update euler --euler-dt 0", "--euler-dt"},
      {"--critic-penalty -1", "--critic-penalty"},
      {"--g-optimizer rmsprop", "--g-optimizer 'rmsprop'"},
      {"--method wgan-gp --device cuda", "CPU"},
      {"--persistence 2 --device cuda", "CPU"},
  };
  for (const auto& c : cases) {
    const auto result = box.run(base + c.arguments + " --out out.h5");
    CAPTURE(c.arguments);
    CAPTURE(result.output);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find(c.expected) != std::string::npos);
    CHECK(!std::filesystem::exists(box.path("out.h5")));
  }
  const auto good = box.run(base + "--method wgan-gp --generator-update euler --persistence 3 "
                                   "--euler-dt 0.5 --df 7 --out good.h5");
  CAPTURE(good.output);
  REQUIRE(good.exit_code == 0);
  using wgf::testing::read_double_attribute;
  const auto file = box.path("good.h5");
  CHECK(read_double_attribute(file, "/", "persistence") == 3);
  CHECK(read_double_attribute(file, "/", "euler_dt") == 0.5);
  CHECK(read_double_attribute(file, "/", "critic_penalty") == 10);  // WGAN-GP's default λ
  CHECK(read_double_attribute(file, "/", "df") == 1);               // ψ is scalar whatever --df
  CHECK(wgf::testing::read_vector(file, "/train/loss_g").size() == 1);
}
