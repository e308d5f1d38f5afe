// The CUDA trainer's elementwise kernels: bias + activation, its backward, the bias gradient
// (column sums) and Adam. Each thread applies the shared host/device arithmetic of
// activation_cell.hpp and adam_update.hpp; the loops are grid-stride so any size fits one launch.
#include <algorithm>

#include "wgf/device/cuda_check.hpp"
#include "trainer_kernels.hpp"

namespace wgf::cuda_trainer {

namespace {

constexpr int kBlock = 256;
// Enough blocks to fill a large GPU several times over; grid-stride loops do the rest.
constexpr long kMaxBlocks = 4096;

int blocks_for(long n) {
  return static_cast<int>(std::max(1L, std::min(kMaxBlocks, (n + kBlock - 1) / kBlock)));
}

__global__ void bias_activation_kernel(float* pre, float* post, const float* bias, long n, int cols,
                                       ActivationCode f) {
  for (long e = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; e < n;
       e += static_cast<long>(gridDim.x) * blockDim.x) {
    const float z = pre[e] + bias[e % cols];
    pre[e] = z;
    post[e] = activate_one(f, z);
  }
}

__global__ void activation_backward_kernel(float* grad, const float* pre, const float* post, long n,
                                           ActivationCode f) {
  for (long e = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; e < n;
       e += static_cast<long>(gridDim.x) * blockDim.x)
    grad[e] = activation_backward_one(f, pre[e], post[e], grad[e]);
}

// Block (32, 8): threadIdx.x picks the column (coalesced rows), threadIdx.y a stripe of rows;
// the 8 stripe sums are added in stripe order.
constexpr int kSumColumns = 32, kSumStripes = 8;
__global__ void column_sums_kernel(const float* m, long rows, int cols, float* sums) {
  __shared__ float partial[kSumStripes][kSumColumns];
  const int c = blockIdx.x * kSumColumns + threadIdx.x;
  float sum = 0.0f;
  if (c < cols)
    for (long r = threadIdx.y; r < rows; r += kSumStripes) sum += m[r * cols + c];
  partial[threadIdx.y][threadIdx.x] = sum;
  __syncthreads();
  if (threadIdx.y == 0 && c < cols) {
    float total = 0.0f;
    for (int y = 0; y < kSumStripes; ++y) total += partial[y][threadIdx.x];
    sums[c] = total;
  }
}

__global__ void adam_kernel(float* parameters, const float* gradient, float* m, float* v, long n,
                            AdamStepScalars scalars) {
  for (long i = blockIdx.x * static_cast<long>(blockDim.x) + threadIdx.x; i < n;
       i += static_cast<long>(gridDim.x) * blockDim.x)
    adam_update(scalars, gradient[i], m[i], v[i], parameters[i]);
}

}  // namespace

void launch_bias_activation(float* pre, float* post, const float* bias, long rows, int cols,
                            ActivationCode f, cudaStream_t stream) {
  const long n = rows * cols;
  if (n == 0) return;
  bias_activation_kernel<<<blocks_for(n), kBlock, 0, stream>>>(pre, post, bias, n, cols, f);
  WGF_CUDA_CHECK(cudaGetLastError());
}

void launch_activation_backward(float* grad, const float* pre, const float* post, long n,
                                ActivationCode f, cudaStream_t stream) {
  if (n == 0 || f.kind == ActivationCode::identity) return;
  activation_backward_kernel<<<blocks_for(n), kBlock, 0, stream>>>(grad, pre, post, n, f);
  WGF_CUDA_CHECK(cudaGetLastError());
}

void launch_column_sums(const float* m, long rows, int cols, float* sums, cudaStream_t stream) {
  if (cols == 0) return;
  const dim3 block(kSumColumns, kSumStripes);
  const int blocks = (cols + kSumColumns - 1) / kSumColumns;
  column_sums_kernel<<<blocks, block, 0, stream>>>(m, rows, cols, sums);
  WGF_CUDA_CHECK(cudaGetLastError());
}

void launch_adam(float* parameters, const float* gradient, float* m, float* v, long n,
                 AdamStepScalars scalars, cudaStream_t stream) {
  if (n == 0) return;
  adam_kernel<<<blocks_for(n), kBlock, 0, stream>>>(parameters, gradient, m, v, n, scalars);
  WGF_CUDA_CHECK(cudaGetLastError());
}

}  // namespace wgf::cuda_trainer
