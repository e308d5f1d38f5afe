// The CUDA trainer backend (include/wgf/trainer/cuda_gan_backend.hpp): CpuGanBackend's steps,
// operation for operation, as work enqueued on one stream. Host code; the kernels it sequences
// are behind trainer_kernels.hpp and the GEMMs behind DeviceMlp.
#include "wgf/trainer/cuda_gan_backend.hpp"

#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

#include "wgf/device/device_info.hpp"
#include "wgf/device/device_memory.hpp"
#include "cuda_handles.hpp"
#include "device_mlp.hpp"
#include "device_pairwise_loss.hpp"
#include "trainer_kernels.hpp"
#include "wgf/errors.hpp"

namespace wgf {

namespace cuda_trainer {
namespace {

using device::DeviceArray;
using device::DeviceInfo;
using device::PinnedArray;

// Adam with its moments on the device and its step count and settings on the host: the
// per-step scalars are computed there, as Adam::step computes them, and passed by value.
class DeviceAdam {
public:
  DeviceAdam(const AdamSettings& settings, std::size_t count)
      : settings_(settings), m_(count), v_(count) {}

  void reset(cudaStream_t stream) {
    WGF_CUDA_CHECK(cudaMemsetAsync(m_.get(), 0, m_.bytes(), stream));
    WGF_CUDA_CHECK(cudaMemsetAsync(v_.get(), 0, v_.bytes(), stream));
    t_ = 0;
  }
  void step(float* parameters, const float* gradient, cudaStream_t stream) {
    ++t_;
    launch_adam(parameters, gradient, m_.get(), v_.get(), static_cast<long>(m_.size()),
                adam_step_scalars(settings_.lr, settings_.beta1, settings_.beta2, settings_.eps, t_),
                stream);
  }
  void set_learning_rate(double lr) { settings_.lr = lr; }

private:
  AdamSettings settings_;
  DeviceArray<float> m_, v_;
  long t_ = 0;
};

int select_device(int id) {
  WGF_CUDA_CHECK(cudaSetDevice(id));
  return id;
}

class CudaGanBackend final : public GanBackend {
public:
  CudaGanBackend(const GanSetup& setup, const DeviceInfo& device);
  ~CudaGanBackend() override {
    // Nothing may still read the buffers freed below (errors are moot at this point).
    cudaStreamSynchronize(stream_.get());
  }

  std::string name() const override { return "cuda"; }
  void load_parameters(std::span<const float> generator,
                       std::span<const float> discriminator) override;
  void read_parameters(std::span<float> generator, std::span<float> discriminator) override;
  void discriminator_step(const float* real, const float* latent) override;
  void generator_step(const float* real, const float* latent) override;
  StepLosses last_losses() override;
  void set_learning_rates(double generator, double discriminator) override {
    generator_adam_.set_learning_rate(generator);
    discriminator_adam_.set_learning_rate(discriminator);
  }
  void generate(const float* latent, long rows, float* samples) override;
  void features(const float* samples, long rows, float* features) override;

private:
  void upload_batch(const float* real, const float* latent);
  // G(latent) stacked over the real rows, through D: the features of both halves at once.
  const float* stacked_features();
  void copy_to_device(float* device, const float* host, std::size_t count);
  void copy_to_host(float* host, const float* device, std::size_t count);

  int device_;
  GanSetup setup_;
  long batch_;
  int dz_, dx_, df_;
  Stream stream_;
  DeviceArray<unsigned char> blas_workspace_;
  BlasHandle blas_;
  DeviceArray<float> generator_, discriminator_, generator_grad_, discriminator_grad_;
  DeviceAdam generator_adam_, discriminator_adam_;
  DeviceArray<float> latent_, stacked_samples_, feature_grad_, sample_grad_;
  DeviceArray<double> losses_;  // [generator, discriminator], written by the loss kernels
  // Two staging slots (real rows, then latent rows): the host fills one while the copy out of
  // the other may still be in flight; each slot's event marks its copy done.
  PinnedArray<float> staging_[2];
  Event staged_[2];
  int slot_ = 0;
  PinnedArray<double> losses_host_;
  DeviceMlp generator_net_, discriminator_net_;  // planned for batch and 2·batch rows
  DevicePairwiseLoss generator_loss_, discriminator_loss_;
};

CudaGanBackend::CudaGanBackend(const GanSetup& setup, const DeviceInfo& device)
    : device_(select_device(device.id)),
      setup_(setup),
      batch_(setup.batch),
      dz_(setup.generator.inputs),
      dx_(setup.generator.outputs),
      df_(setup.discriminator.outputs),
      stream_(make_stream()),
      blas_workspace_(kBlasWorkspaceBytes),
      blas_(make_blas(stream_.get(), blas_workspace_.get(), blas_workspace_.bytes())),
      generator_(setup.generator.parameter_count()),
      discriminator_(setup.discriminator.parameter_count()),
      generator_grad_(generator_.size()),
      discriminator_grad_(discriminator_.size()),
      generator_adam_(setup.generator_adam, generator_.size()),
      discriminator_adam_(setup.discriminator_adam, discriminator_.size()),
      latent_(static_cast<std::size_t>(batch_) * dz_),
      stacked_samples_(static_cast<std::size_t>(2 * batch_) * dx_),
      feature_grad_(static_cast<std::size_t>(2 * batch_) * df_),
      sample_grad_(static_cast<std::size_t>(batch_) * dx_),
      losses_(2),
      staging_{PinnedArray<float>(static_cast<std::size_t>(batch_) * (dx_ + dz_)),
               PinnedArray<float>(static_cast<std::size_t>(batch_) * (dx_ + dz_))},
      staged_{make_event(), make_event()},
      losses_host_(2),
      generator_net_(setup.generator, batch_, blas_.get(), stream_.get()),
      discriminator_net_(setup.discriminator, 2 * batch_, blas_.get(), stream_.get()),
      generator_loss_(PairKernel(setup.generator_kernel, df_, setup.softening), setup.estimator,
                      batch_, batch_, df_, 2L * device.sm_count),
      discriminator_loss_(PairKernel(setup.discriminator_kernel, df_, setup.softening),
                          setup.estimator, batch_, batch_, df_, 2L * device.sm_count) {
  if (setup.discriminator.inputs != dx_)
    throw std::logic_error("CudaGanBackend: D's input size differs from G's output size");
  WGF_CUDA_CHECK(cudaMemsetAsync(losses_.get(), 0, losses_.bytes(), stream_.get()));
  generator_adam_.reset(stream_.get());
  discriminator_adam_.reset(stream_.get());
  WGF_CUDA_CHECK(cudaStreamSynchronize(stream_.get()));
}

void CudaGanBackend::copy_to_device(float* device, const float* host, std::size_t count) {
  WGF_CUDA_CHECK(cudaMemcpyAsync(device, host, count * sizeof(float), cudaMemcpyHostToDevice,
                                 stream_.get()));
}

void CudaGanBackend::copy_to_host(float* host, const float* device, std::size_t count) {
  WGF_CUDA_CHECK(cudaMemcpyAsync(host, device, count * sizeof(float), cudaMemcpyDeviceToHost,
                                 stream_.get()));
}

void CudaGanBackend::load_parameters(std::span<const float> generator,
                                     std::span<const float> discriminator) {
  if (generator.size() != generator_.size() || discriminator.size() != discriminator_.size())
    throw std::logic_error("CudaGanBackend::load_parameters: sizes differ from the setup");
  copy_to_device(generator_.get(), generator.data(), generator.size());
  copy_to_device(discriminator_.get(), discriminator.data(), discriminator.size());
  generator_adam_.reset(stream_.get());
  discriminator_adam_.reset(stream_.get());
  WGF_CUDA_CHECK(cudaStreamSynchronize(stream_.get()));
}

void CudaGanBackend::read_parameters(std::span<float> generator, std::span<float> discriminator) {
  if (generator.size() != generator_.size() || discriminator.size() != discriminator_.size())
    throw std::logic_error("CudaGanBackend::read_parameters: sizes differ from the setup");
  copy_to_host(generator.data(), generator_.get(), generator.size());
  copy_to_host(discriminator.data(), discriminator_.get(), discriminator.size());
  WGF_CUDA_CHECK(cudaStreamSynchronize(stream_.get()));
}

void CudaGanBackend::upload_batch(const float* real, const float* latent) {
  const int slot = slot_;
  slot_ ^= 1;
  // The copy out of this slot two uploads ago must be done before the slot is refilled.
  WGF_CUDA_CHECK(cudaEventSynchronize(staged_[slot].get()));
  const std::size_t real_count = static_cast<std::size_t>(batch_) * dx_;
  const std::size_t latent_count = static_cast<std::size_t>(batch_) * dz_;
  float* staging = staging_[slot].get();
  std::memcpy(staging, real, real_count * sizeof(float));
  std::memcpy(staging + real_count, latent, latent_count * sizeof(float));
  // The real rows go straight to their place in the stack, below the generated ones.
  copy_to_device(stacked_samples_.get() + real_count, staging, real_count);
  copy_to_device(latent_.get(), staging + real_count, latent_count);
  WGF_CUDA_CHECK(cudaEventRecord(staged_[slot].get(), stream_.get()));
}

const float* CudaGanBackend::stacked_features() {
  const float* fake = generator_net_.forward(generator_.get(), latent_.get(), batch_);
  WGF_CUDA_CHECK(cudaMemcpyAsync(stacked_samples_.get(), fake,
                                 sizeof(float) * static_cast<std::size_t>(batch_) * dx_,
                                 cudaMemcpyDeviceToDevice, stream_.get()));
  return discriminator_net_.forward(discriminator_.get(), stacked_samples_.get(), 2 * batch_);
}

void CudaGanBackend::discriminator_step(const float* real, const float* latent) {
  upload_batch(real, latent);
  const float* f = stacked_features();
  // Ascent: D minimises −E_{e−εs}; the kernel's pull sums carry ∂E/∂x's factor 4.
  discriminator_loss_.evaluate(f, 2 * batch_, -4.0f, feature_grad_.get(), losses_.get() + 1,
                               stream_.get());
  discriminator_net_.backward(discriminator_.get(), feature_grad_.get(), 2 * batch_,
                              discriminator_grad_.get(), nullptr);
  discriminator_adam_.step(discriminator_.get(), discriminator_grad_.get(), stream_.get());
}

void CudaGanBackend::generator_step(const float* real, const float* latent) {
  upload_batch(real, latent);
  const float* f = stacked_features();
  generator_loss_.evaluate(f, batch_, 4.0f, feature_grad_.get(), losses_.get(), stream_.get());
  // Through D (its parameters held) to the generated samples, then through G.
  discriminator_net_.backward(discriminator_.get(), feature_grad_.get(), batch_, nullptr,
                              sample_grad_.get());
  generator_net_.backward(generator_.get(), sample_grad_.get(), batch_, generator_grad_.get(),
                          nullptr);
  generator_adam_.step(generator_.get(), generator_grad_.get(), stream_.get());
}

StepLosses CudaGanBackend::last_losses() {
  WGF_CUDA_CHECK(cudaMemcpyAsync(losses_host_.get(), losses_.get(), losses_.bytes(),
                                 cudaMemcpyDeviceToHost, stream_.get()));
  WGF_CUDA_CHECK(cudaStreamSynchronize(stream_.get()));
  return {losses_host_[0], losses_host_[1]};
}

void CudaGanBackend::generate(const float* latent, long rows, float* samples) {
  for (long start = 0; start < rows; start += batch_) {
    const long count = std::min(batch_, rows - start);
    copy_to_device(latent_.get(), latent + start * dz_, static_cast<std::size_t>(count) * dz_);
    const float* out = generator_net_.forward(generator_.get(), latent_.get(), count);
    copy_to_host(samples + start * dx_, out, static_cast<std::size_t>(count) * dx_);
  }
  WGF_CUDA_CHECK(cudaStreamSynchronize(stream_.get()));
}

void CudaGanBackend::features(const float* samples, long rows, float* features) {
  for (long start = 0; start < rows; start += 2 * batch_) {
    const long count = std::min(2 * batch_, rows - start);
    copy_to_device(stacked_samples_.get(), samples + start * dx_,
                   static_cast<std::size_t>(count) * dx_);
    const float* out = discriminator_net_.forward(discriminator_.get(), stacked_samples_.get(), count);
    copy_to_host(features + start * df_, out, static_cast<std::size_t>(count) * df_);
  }
  WGF_CUDA_CHECK(cudaStreamSynchronize(stream_.get()));
}

}  // namespace
}  // namespace cuda_trainer

bool cuda_gan_backend_available(std::string* why) {
  std::string reason;
  if (device::DeviceInfo::query(0, &reason)) return true;
  if (why) *why = "no GPU is visible (" + reason + ")";
  return false;
}

std::unique_ptr<GanBackend> make_cuda_gan_backend(const GanSetup& setup) {
  const device::DeviceInfo device = cuda_trainer::usable_device();
  return std::make_unique<cuda_trainer::CudaGanBackend>(setup, device);
}


}  // namespace wgf
