#pragma once
// Error checks of CUDA runtime and cuFFT calls: a failure throws std::runtime_error naming the
// call, the place and the library's message (the CLI turns it into exit code 1).
#include <cuda_runtime.h>
#include <cufft.h>

#include <stdexcept>
#include <string>

namespace wgf::device {

[[noreturn]] inline void throw_cuda_error(cudaError_t status, const char* call, const char* file,
                                          int line) {
  throw std::runtime_error(std::string("CUDA error in ") + call + " (" + file + ":" +
                           std::to_string(line) + "): " + cudaGetErrorString(status));
}

[[noreturn]] inline void throw_cufft_error(cufftResult status, const char* call, const char* file,
                                           int line) {
  throw std::runtime_error(std::string("cuFFT error ") + std::to_string(static_cast<int>(status)) +
                           " in " + call + " (" + file + ":" + std::to_string(line) + ")");
}

}  // namespace wgf::device

#define WGF_CUDA_CHECK(call)                                                          \
  do {                                                                                \
    const cudaError_t wgf_status_ = (call);                                           \
    if (wgf_status_ != cudaSuccess)                                                   \
      ::wgf::device::throw_cuda_error(wgf_status_, #call, __FILE__, __LINE__);   \
  } while (0)

#define WGF_CUFFT_CHECK(call)                                                         \
  do {                                                                                \
    const cufftResult wgf_status_ = (call);                                           \
    if (wgf_status_ != CUFFT_SUCCESS)                                                 \
      ::wgf::device::throw_cufft_error(wgf_status_, #call, __FILE__, __LINE__);  \
  } while (0)
