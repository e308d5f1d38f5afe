#pragma once
// What CUDA devices this process can see (src/device/device_info.cu with nvcc), or the stub's
// report of a CPU-only build (src/device/no_cuda/).
#include <string>
#include <vector>

namespace wgf {

struct CudaDevices {
  bool compiled = false;             // CUDA support was built into this binary
  std::vector<std::string> devices;  // "name (sm_XY, N GiB)" for each visible device
  std::string note;                  // why none is usable, when none is
};

CudaDevices query_cuda_devices();

}  // namespace wgf
