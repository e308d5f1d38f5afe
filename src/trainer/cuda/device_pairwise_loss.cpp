#include "device_pairwise_loss.hpp"

#include <stdexcept>

#include "trainer_kernels.hpp"

namespace wgf::cuda_trainer {

DevicePairwiseLoss::DevicePairwiseLoss(const PairKernel& kernel, Estimator estimator, long n_fake,
                                       long n_real, int dim, long target_blocks)
    : problem_(plan_pairwise_problem(kernel, estimator, n_fake, n_real, dim, target_blocks)),
      partial_gradient_(static_cast<std::size_t>(problem_.splits) * problem_.rows * dim),
      partial_loss_(static_cast<std::size_t>(problem_.splits) * problem_.row_tiles) {
  problem_.partial_gradient = partial_gradient_.get();
  problem_.partial_loss = partial_loss_.get();
  reserve_pairwise_shared_memory(pair_tile::tile_bytes(dim));
}

void DevicePairwiseLoss::evaluate(const float* features, long gradient_rows, float scale,
                                  float* gradient, double* loss, cudaStream_t stream) {
  if (gradient_rows < 0 || gradient_rows > problem_.rows)
    throw std::logic_error("DevicePairwiseLoss::evaluate: gradient rows out of range");
  pair_tile::Problem p = problem_;
  p.features = features;
  p.gradient_rows = static_cast<int>(gradient_rows);
  launch_pairwise_loss(p, scale, gradient, loss, stream);
}

}  // namespace wgf::cuda_trainer
