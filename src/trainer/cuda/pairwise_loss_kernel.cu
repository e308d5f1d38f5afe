// The fused pairwise loss on the GPU: thin kernels around the phases of pairwise_tile.hpp, with
// the block barriers between them (the host emulation in tests/test_trainer_cuda_reference.cpp
// runs the same phases in the same order).
#include <algorithm>
#include <map>
#include <mutex>
#include <stdexcept>
#include <string>

#include "wgf/device/cuda_check.hpp"
#include "trainer_kernels.hpp"
#include "wgf/errors.hpp"

namespace wgf::cuda_trainer {

namespace {

using namespace pair_tile;

// Grid (row_tiles, splits), kThreads threads, tile_bytes(dim) of dynamic shared memory.
__global__ void __launch_bounds__(kThreads) pairwise_tile_kernel(Problem p) {
  extern __shared__ double shared_memory[];  // double: the loss sums come first, 8-aligned
  Tile s = carve_tile(shared_memory, p.dim);
  const int thread = threadIdx.x, row0 = blockIdx.x * kRows, split = blockIdx.y;
  load_owned_rows(p, s, row0, thread);
  double loss = 0;
  for (int tile = split; tile < p.column_tiles; tile += p.splits) {
    __syncthreads();  // the previous tile's gradient phase is done with columns and weights
    load_columns(p, s, tile * kColumns, thread);
    __syncthreads();  // owned rows and partner rows staged
    loss += pair_weights(p, s, row0, tile * kColumns, thread);
    __syncthreads();  // weights complete
    accumulate_gradient(p, s, row0, thread);
  }
  // Each gradient entry was accumulated by the thread that stores it: no barrier needed.
  store_gradient(p, s, row0, split, thread);
  s.loss[thread] = loss;
  __syncthreads();
  for (int stride = kThreads / 2; stride > 0; stride /= 2) {
    reduce_loss(s, stride, thread);
    __syncthreads();
  }
  if (thread == 0) p.partial_loss[split * p.row_tiles + blockIdx.x] = s.loss[0];
}

constexpr int kFinishBlock = 256;

__global__ void finish_pairwise_kernel(Problem p, float scale, float* gradient, double* loss) {
  const std::size_t entries = static_cast<std::size_t>(p.gradient_rows) * p.dim;
  for (std::size_t e = blockIdx.x * static_cast<std::size_t>(blockDim.x) + threadIdx.x;
       e < entries; e += static_cast<std::size_t>(gridDim.x) * blockDim.x)
    gradient[e] = finished_gradient(p, scale, e);
  if (blockIdx.x == 0 && threadIdx.x == 0) *loss = finished_loss(p);
}

}  // namespace

void reserve_pairwise_shared_memory(std::size_t bytes) {
  int device = 0, optin = 0;
  WGF_CUDA_CHECK(cudaGetDevice(&device));
  WGF_CUDA_CHECK(cudaDeviceGetAttribute(&optin, cudaDevAttrMaxSharedMemoryPerBlockOptin, device));
  if (bytes > static_cast<std::size_t>(optin))
    throw InputError("the CUDA trainer's pairwise loss needs " + std::to_string(bytes) +
                     " bytes of shared memory per block for this feature dimension; the device "
                     "allows " + std::to_string(optin) + " (use a smaller --df or "
                     "--device cpu)");
  // The limit is the kernel's, process-wide (per device), not the plan's: only ever raise it,
  // so that building a plan of a smaller feature dimension leaves a larger live plan's launch
  // valid.
  static std::mutex mutex;
  static std::map<int, std::size_t> reserved;  // per device
  const std::lock_guard<std::mutex> lock(mutex);
  if (bytes <= reserved[device]) return;
  WGF_CUDA_CHECK(cudaFuncSetAttribute(pairwise_tile_kernel,
                                      cudaFuncAttributeMaxDynamicSharedMemorySize,
                                      static_cast<int>(bytes)));
  reserved[device] = bytes;
}

void launch_pairwise_loss(const Problem& p, float gradient_scale, float* gradient, double* loss,
                          cudaStream_t stream) {
  const dim3 grid(p.row_tiles, p.splits);
  pairwise_tile_kernel<<<grid, kThreads, tile_bytes(p.dim), stream>>>(p);
  WGF_CUDA_CHECK(cudaGetLastError());
  const std::size_t entries = static_cast<std::size_t>(p.gradient_rows) * p.dim;
  const int blocks = static_cast<int>(
      std::max<std::size_t>(1, std::min<std::size_t>(1024, (entries + kFinishBlock - 1) / kFinishBlock)));
  finish_pairwise_kernel<<<blocks, kFinishBlock, 0, stream>>>(p, gradient_scale, gradient, loss);
  WGF_CUDA_CHECK(cudaGetLastError());
}

}  // namespace wgf::cuda_trainer
