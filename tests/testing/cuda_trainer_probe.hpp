#pragma once
// The CUDA trainer's kernels and network plan run alone on host data, for the kernel-by-kernel
// tests against the CPU reference (llm.c style; tests/test_trainer_cuda_kernels.cpp). Without
// CUDA (tests/testing/no_cuda/) every probe throws the InputError of `--device cuda`.
#include <vector>

#include "wgf/trainer/mlp.hpp"
#include "wgf/trainer/pair_kernel.hpp"
#include "wgf/trainer/pairwise_loss.hpp"

namespace wgf {

namespace cuda_trainer_probe {

// The fused pairwise loss kernel alone on host data (uploaded, launched, downloaded), for the
// kernel-by-kernel test against PairwiseLoss (llm.c style). fake: n × dim, real: m × dim;
// returns E and writes ∂E/∂fake, ∂E/∂real. With `later_kernel` (for features of `later_dim`) a
// second plan is built, and kept alive, after this one and before it runs: a plan's launch must
// not depend on the plans built after it.
double pairwise_loss(const PairKernel& kernel, Estimator estimator, const float* fake, long n,
                     const float* real, long m, int dim, float* fake_grad, float* real_grad,
                     const PairKernel* later_kernel = nullptr, int later_dim = 0);

// The network plan alone (DeviceMlp: cuBLAS products, bias + activation and its backward, the
// bias gradient): forward of `rows` input rows with `parameters`, then backward of
// `output_grad`; returns the outputs and writes the parameter and input gradients (host data).
std::vector<float> mlp_forward_backward(const MlpShape& shape, const float* parameters,
                                        const float* input, long rows, const float* output_grad,
                                        float* parameter_grad, float* input_grad);

}  // namespace cuda_trainer_probe

}  // namespace wgf
