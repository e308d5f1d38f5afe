#pragma once
// Owners of the CUDA trainer's stream, events and cuBLAS handle, and the check of cuBLAS calls
// (a failure throws std::runtime_error naming the call and the status: the CLI's exit code 1).
// CUDA runtime calls are checked with WGF_CUDA_CHECK (wgf/device/cuda_check.hpp).
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstddef>
#include <stdexcept>
#include <string>
#include <utility>

#include "wgf/device/cuda_check.hpp"
#include "wgf/device/device_info.hpp"
#include "wgf/errors.hpp"

namespace wgf::cuda_trainer {

[[noreturn]] inline void throw_cublas_error(cublasStatus_t status, const char* call,
                                            const char* file, int line) {
  throw std::runtime_error(std::string("cuBLAS error ") + cublasGetStatusName(status) + " (" +
                           cublasGetStatusString(status) + ") in " + call + " (" + file + ":" +
                           std::to_string(line) + ")");
}

}  // namespace wgf::cuda_trainer

#define WGF_CUBLAS_CHECK(call)                                                         \
  do {                                                                                 \
    const cublasStatus_t wgf_status_ = (call);                                         \
    if (wgf_status_ != CUBLAS_STATUS_SUCCESS)                                          \
      ::wgf::cuda_trainer::throw_cublas_error(wgf_status_, #call, __FILE__, __LINE__); \
  } while (0)

namespace wgf::cuda_trainer {

// A move-only owner of one handle, destroyed with `destroy` (errors at destruction are ignored:
// nothing can be done about them there).
template <class Handle, auto destroy>
class Owned {
public:
  Owned() = default;
  explicit Owned(Handle h) : handle_(h) {}
  ~Owned() {
    if (handle_) destroy(handle_);
  }
  Owned(Owned&& other) noexcept : handle_(std::exchange(other.handle_, Handle{})) {}
  Owned& operator=(Owned&& other) noexcept {
    std::swap(handle_, other.handle_);
    return *this;
  }
  Owned(const Owned&) = delete;
  Owned& operator=(const Owned&) = delete;
  Handle get() const { return handle_; }

private:
  Handle handle_{};
};

using Stream = Owned<cudaStream_t, cudaStreamDestroy>;
using Event = Owned<cudaEvent_t, cudaEventDestroy>;
using BlasHandle = Owned<cublasHandle_t, cublasDestroy>;

inline Stream make_stream() {
  cudaStream_t s = nullptr;
  // Non-blocking: the trainer's work never waits on the legacy default stream of other code.
  WGF_CUDA_CHECK(cudaStreamCreateWithFlags(&s, cudaStreamNonBlocking));
  return Stream(s);
}

inline Event make_event() {
  cudaEvent_t e = nullptr;
  WGF_CUDA_CHECK(cudaEventCreateWithFlags(&e, cudaEventDisableTiming));
  return Event(e);
}

inline BlasHandle make_blas(cudaStream_t stream, void* workspace, std::size_t workspace_bytes) {
  cublasHandle_t handle = nullptr;
  WGF_CUBLAS_CHECK(cublasCreate(&handle));
  BlasHandle owned(handle);
  WGF_CUBLAS_CHECK(cublasSetStream(handle, stream));
  WGF_CUBLAS_CHECK(cublasSetWorkspace(handle, workspace, workspace_bytes));
  // Full fp32 products: TF32 tensor cores would round the inputs to 10 mantissa bits and break
  // parity with the CPU reference.
  WGF_CUBLAS_CHECK(cublasSetMathMode(handle, CUBLAS_DEFAULT_MATH));
  return owned;
}

// cuBLAS's recommended workspace on Hopper; given up front so that no GEMM allocates.
inline constexpr std::size_t kBlasWorkspaceBytes = std::size_t(32) << 20;

// The device the trainer runs on (the first visible one), or the InputError of `--device cuda`.
inline device::DeviceInfo usable_device() {
  std::string why;
  const auto found = device::DeviceInfo::query(0, &why);
  if (!found) throw InputError("--device cuda: no GPU is visible (" + why + "); use --device cpu");
  return *found;
}

}  // namespace wgf::cuda_trainer
