#pragma once
// Launchers of the CUDA trainer's own kernels (network_kernels.cu, pairwise_loss_kernel.cu), for
// the host code that plans and sequences them (device_mlp.cpp, device_pairwise_loss.cpp,
// cuda_gan_backend.cpp). Every launch goes on the caller's stream and is checked; the
// arithmetic of each kernel is a host/device function with a CPU counterpart and a host test:
// activation_cell.hpp, adam_update.hpp, pairwise_tile.hpp.
#include <cuda_runtime.h>

#include <cstddef>

#include "activation_cell.hpp"
#include "pairwise_tile.hpp"
#include "wgf/trainer/adam_update.hpp"

namespace wgf::cuda_trainer {

// z ← z + b with b broadcast over the rows of the rows × cols matrix z, then a ← f(z).
void launch_bias_activation(float* pre, float* post, const float* bias, long rows, int cols,
                            ActivationCode f, cudaStream_t stream);

// grad ← grad ⊙ f'(z) over n values (a = f(z) from the forward pass).
void launch_activation_backward(float* grad, const float* pre, const float* post, long n,
                                ActivationCode f, cudaStream_t stream);

// sums[c] = Σ_r m[r][c] over the rows × cols row-major matrix m, rows added in a fixed order.
void launch_column_sums(const float* m, long rows, int cols, float* sums, cudaStream_t stream);

// One Adam step over n parameters (adam_update.hpp).
void launch_adam(float* parameters, const float* gradient, float* m, float* v, long n,
                 AdamStepScalars scalars, cudaStream_t stream);

// The fused pairwise loss (pairwise_tile.hpp): the tile launch, then the launch that adds the
// splits, writing gradient (gradient_rows × dim, scaled by gradient_scale) and *loss.
void launch_pairwise_loss(const pair_tile::Problem& problem, float gradient_scale, float* gradient,
                          double* loss, cudaStream_t stream);

// The tile kernel's dynamic shared memory beyond the default 48 KiB is an opt-in per kernel;
// throws when the device cannot give `bytes`.
void reserve_pairwise_shared_memory(std::size_t bytes);

}  // namespace wgf::cuda_trainer
