#include "wgf/device/cuda_devices.hpp"

namespace wgf {

CudaDevices query_cuda_devices() {
  CudaDevices result;
  result.note = "this build has no CUDA support (configured without nvcc or WGF_ENABLE_CUDA=OFF)";
  return result;
}

}  // namespace wgf
