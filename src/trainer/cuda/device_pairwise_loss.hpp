#pragma once
// The fused pairwise loss on the GPU as a plan: the launch description and the split buffers are
// made once per loss (generator's e, discriminator's e − εs); evaluate() only enqueues the two
// launches (pairwise_tile.hpp, pairwise_loss_kernel.cu) on the stream.
#include <cuda_runtime.h>

#include "wgf/device/device_memory.hpp"
#include "pairwise_plan.hpp"

namespace wgf::cuda_trainer {

class DevicePairwiseLoss {
public:
  DevicePairwiseLoss(const PairKernel& kernel, Estimator estimator, long n_fake, long n_real,
                     int dim, long target_blocks);

  // features: the device (n_fake + n_real) × dim stack, fake rows first. Writes the gradient of
  // E times `scale` for rows [0, gradient_rows) to `gradient` and E to *loss (device memory).
  void evaluate(const float* features, long gradient_rows, float scale, float* gradient,
                double* loss, cudaStream_t stream);

private:
  pair_tile::Problem problem_;
  device::DeviceArray<float> partial_gradient_;
  device::DeviceArray<double> partial_loss_;
};

}  // namespace wgf::cuda_trainer
