#pragma once
// Mlp (mlp.hpp) on the GPU: the same flat parameter layout and the same forward and backward,
// with the three products of each layer as cuBLAS SGEMMs and the pointwise parts as the
// trainer's kernels (trainer_kernels.hpp). Built once for a largest batch; forward and backward
// allocate nothing and only enqueue work on the plan's stream.
//
// Row-major data through column-major cuBLAS: a row-major r × c matrix is the column-major
// c × r matrix of its transpose, so Z = X W (rows × out) is computed as Zᵀ = Wᵀ Xᵀ, and the
// backward products dW = Xᵀ δ and dX = δ Wᵀ likewise (row_major_gemm.hpp, tested on the host).
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <vector>

#include "wgf/device/device_memory.hpp"
#include "activation_cell.hpp"
#include "wgf/trainer/mlp.hpp"

namespace wgf::cuda_trainer {

ActivationCode activation_code(const Activation& f);

class DeviceMlp {
public:
  DeviceMlp(const MlpShape& shape, long max_rows, cublasHandle_t blas, cudaStream_t stream);

  // Runs `rows` device rows through the network with device `parameters`. The input is read
  // in place: it must stay unchanged until the backward that follows. Returns the device
  // rows × outputs result, valid until the next forward.
  const float* forward(const float* parameters, const float* input, long rows);

  // Mlp::backward on the device: the first `rows` rows of the last forward; writes the
  // parameter gradient and/or the input gradient where the pointers are non-null.
  void backward(const float* parameters, const float* output_grad, long rows,
                float* parameter_grad, float* input_grad);

  const MlpShape& shape() const { return shape_; }

private:
  MlpShape shape_;
  long max_rows_, forwarded_rows_ = 0;
  cublasHandle_t blas_;
  cudaStream_t stream_;
  std::vector<ActivationCode> activations_;  // per layer
  const float* input_ = nullptr;
  std::vector<device::DeviceArray<float>> pre_, post_;
  device::DeviceArray<float> delta_, delta_next_;
};

}  // namespace wgf::cuda_trainer
