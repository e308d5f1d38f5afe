#include <cuda_runtime.h>

#include <cstdio>

#include "wgf/cuda_devices.hpp"

namespace wgf {

CudaDevices query_cuda_devices() {
  CudaDevices result;
  result.compiled = true;
  int count = 0;
  const cudaError_t status = cudaGetDeviceCount(&count);
  if (status != cudaSuccess) {
    result.note = std::string("no usable CUDA device: ") + cudaGetErrorString(status);
    return result;
  }
  for (int i = 0; i < count; ++i) {
    cudaDeviceProp prop{};
    if (cudaGetDeviceProperties(&prop, i) != cudaSuccess) continue;
    char line[256];
    std::snprintf(line, sizeof line, "%s (sm_%d%d, %.1f GiB)", prop.name, prop.major, prop.minor,
                  static_cast<double>(prop.totalGlobalMem) / (1024.0 * 1024.0 * 1024.0));
    result.devices.emplace_back(line);
  }
  if (result.devices.empty()) result.note = "no CUDA device found";
  return result;
}

}  // namespace wgf
