#pragma once
// The solver's cuFFT plans, made once per grid: the forward r2c and the inverse c2r transform
// (D2Z/Z2D in fp64, R2C/C2R in fp32) over the whole d-dimensional grid, sharing one work area,
// bound to the solver's stream. c2r overwrites its input (the solver never needs it again).
#include <cufft.h>

#include <algorithm>
#include <cstddef>

#include "wgf/device/cuda_check.hpp"
#include "wgf/device/device_memory.hpp"
#include "fv_cell.hpp"

namespace wgf::cuda_solver {

using device::DeviceArray;

template <class Real>
struct CufftTypes;
template <>
struct CufftTypes<double> {
  using Complex = cufftDoubleComplex;
  static constexpr cufftType forward = CUFFT_D2Z, inverse = CUFFT_Z2D;
  static cufftResult exec_forward(cufftHandle h, double* in, Complex* out) {
    return cufftExecD2Z(h, in, out);
  }
  static cufftResult exec_inverse(cufftHandle h, Complex* in, double* out) {
    return cufftExecZ2D(h, in, out);
  }
};
template <>
struct CufftTypes<float> {
  using Complex = cufftComplex;
  static constexpr cufftType forward = CUFFT_R2C, inverse = CUFFT_C2R;
  static cufftResult exec_forward(cufftHandle h, float* in, Complex* out) {
    return cufftExecR2C(h, in, out);
  }
  static cufftResult exec_inverse(cufftHandle h, Complex* in, float* out) {
    return cufftExecC2R(h, in, out);
  }
};

template <class Real>
class FftPlans {
  using Types = CufftTypes<Real>;
  using CufftComplex = typename Types::Complex;
  static_assert(sizeof(CufftComplex) == sizeof(cuda_cell::Complex<Real>));

public:
  FftPlans() = default;
  FftPlans(const FftPlans&) = delete;
  FftPlans& operator=(const FftPlans&) = delete;
  ~FftPlans() {
    if (forward_created_) cufftDestroy(forward_);
    if (inverse_created_) cufftDestroy(inverse_);
  }

  // Plans without allocating (cuFFT reports the work size); allocate_work_area() next.
  void plan(int dim, long long n, cudaStream_t stream) {
    long long dims[3] = {n, n, n};
    // One flag per handle: when the second create (or anything later) throws, the first plan
    // is still destroyed.
    WGF_CUFFT_CHECK(cufftCreate(&forward_));
    forward_created_ = true;
    WGF_CUFFT_CHECK(cufftCreate(&inverse_));
    inverse_created_ = true;
    planned_ = true;
    for (cufftHandle h : {forward_, inverse_}) {
      WGF_CUFFT_CHECK(cufftSetAutoAllocation(h, 0));
      WGF_CUFFT_CHECK(cufftSetStream(h, stream));
    }
    std::size_t forward_bytes = 0, inverse_bytes = 0;
    WGF_CUFFT_CHECK(cufftMakePlanMany64(forward_, dim, dims, nullptr, 1, 0, nullptr, 1, 0,
                                        Types::forward, 1, &forward_bytes));
    WGF_CUFFT_CHECK(cufftMakePlanMany64(inverse_, dim, dims, nullptr, 1, 0, nullptr, 1, 0,
                                        Types::inverse, 1, &inverse_bytes));
    work_bytes_ = std::max(forward_bytes, inverse_bytes);
  }
  std::size_t work_bytes() const { return work_bytes_; }
  void allocate_work_area() {
    area_ = DeviceArray<char>(std::max<std::size_t>(work_bytes_, 1));
    WGF_CUFFT_CHECK(cufftSetWorkArea(forward_, area_.get()));
    WGF_CUFFT_CHECK(cufftSetWorkArea(inverse_, area_.get()));
  }

  void forward(Real* in, cuda_cell::Complex<Real>* out) const {
    WGF_CUFFT_CHECK(Types::exec_forward(forward_, in, reinterpret_cast<CufftComplex*>(out)));
  }
  void inverse(cuda_cell::Complex<Real>* in, Real* out) const {
    WGF_CUFFT_CHECK(Types::exec_inverse(inverse_, reinterpret_cast<CufftComplex*>(in), out));
  }

private:
  cufftHandle forward_ = 0, inverse_ = 0;
  bool planned_ = false, forward_created_ = false, inverse_created_ = false;
  std::size_t work_bytes_ = 0;
  DeviceArray<char> area_;
};

inline std::string cufft_version_text() {
  int version = 0;
  if (cufftGetVersion(&version) != CUFFT_SUCCESS) return "unknown";
  return std::to_string(version);
}

}  // namespace wgf::cuda_solver
