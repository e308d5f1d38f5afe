#pragma once
// The line between the training loop and the hardware. A backend owns all training state —
// both networks' parameters, their gradients and Adam moments, activations and the loss's
// scratch — wherever it likes (host memory for the CPU reference, device memory for CUDA).
// The common loop (gan_trainer.hpp) stays on the host and owns the randomness: it draws every
// batch of real samples and latent vectors from its seeded generator and hands them over, so
// two backends given the same initial parameters and the same batches must follow the same
// trajectory up to rounding (the parity test of a new backend). Losses and parameters cross
// back only when the loop asks, at its log intervals, never per step.
//
// One training iteration is n_critic discriminator_step() calls, then one generator_step().
// The discriminator ascends E_{e−εs}(D#P_G, D#P_data) (ε = 0: the original GAN), the generator
// descends E_e, both estimated on a minibatch (pairwise_loss.hpp) with Adam updates.
#include <memory>
#include <span>
#include <string>

#include "wgf/kernel.hpp"
#include "wgf/trainer/adam.hpp"
#include "wgf/trainer/mlp.hpp"
#include "wgf/trainer/pairwise_loss.hpp"

namespace wgf {

// Everything a backend needs to plan its buffers once.
struct GanSetup {
  MlpShape generator;      // dz → dx
  MlpShape discriminator;  // dx → df (the feature map)
  AdamSettings generator_adam, discriminator_adam;
  Kernel generator_kernel;      // e
  Kernel discriminator_kernel;  // e − ε s
  double softening = 1e-3;      // δ of pair_kernel.hpp
  Estimator estimator = Estimator::v_statistic;
  long batch = 256;             // rows of real samples and of latent vectors per step
};

struct StepLosses {
  double generator = 0;      // E_e at the last generator step (what G minimises)
  double discriminator = 0;  // E_{e−εs} at the last discriminator step (what D maximises)
};

class GanBackend {
public:
  virtual ~GanBackend() = default;
  virtual std::string name() const = 0;

  // Host fp32 parameters in MlpShape's flat layout; resets both optimisers.
  virtual void load_parameters(std::span<const float> generator,
                               std::span<const float> discriminator) = 0;
  virtual void read_parameters(std::span<float> generator, std::span<float> discriminator) = 0;

  // real: batch × dx, latent: batch × dz, both row-major host buffers, only read during the
  // call (a device backend copies them over, or is handed pinned buffers by the loop).
  virtual void discriminator_step(const float* real, const float* latent) = 0;
  virtual void generator_step(const float* real, const float* latent) = 0;
  virtual StepLosses last_losses() = 0;
  // Learning-rate schedules: called by the loop between iterations, never inside a step.
  virtual void set_learning_rates(double generator, double discriminator) = 0;

  // Evaluation passes for metrics and snapshots, any number of rows (processed in chunks of
  // the planned batch): samples = G(latent), features = D(samples).
  virtual void generate(const float* latent, long rows, float* samples) = 0;
  virtual void features(const float* samples, long rows, float* features) = 0;
};

// "cpu": the Eigen/OpenMP reference. "cuda": the CUDA backend (cuda_gan_backend.hpp), held to
// the CPU reference by the parity test of tests/test_trainer_backend.cpp (same batches, 50
// steps); InputError when this build has no CUDA or no GPU is visible, so that
// `wgf train --device cuda` exits 2 saying which.
std::unique_ptr<GanBackend> make_gan_backend(const std::string& device, const GanSetup& setup);

// Whether make_gan_backend(device, …) can succeed in this build on this machine; if not, `why`
// (when given) receives the reason.
bool gan_backend_available(const std::string& device, std::string* why = nullptr);

// Throws InputError when `device` cannot run here (checked before any output is created).
void check_gan_device(const std::string& device);

}  // namespace wgf
