#pragma once
// What CUDA devices this process can see. Built from src/cuda with nvcc, or from a stub that
// reports the CPU-only build when CUDA was not compiled in.
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
