#pragma once
// One parameter's Adam update, shared by the CPU optimiser (adam.cpp) and the CUDA trainer's
// kernel (network_kernels.cu, built with --fmad=false so that nvcc contracts nothing into FMA,
// as the CPU build does not), so both run the same fp32 arithmetic: the bias corrections are folded into the step
// size and into the denominator before ε is added (PyTorch's order, adam.hpp).
#include <cmath>

#include "wgf/host_device.hpp"

namespace wgf {

// The scalars of step t, computed once per step on the host in double and rounded to fp32.
struct AdamStepScalars {
  float beta1, beta2;
  float step_size;                // lr / (1 − β1^t)
  float inverse_root_correction;  // 1 / √(1 − β2^t)
  float eps;
};

inline AdamStepScalars adam_step_scalars(double lr, double beta1, double beta2, double eps, long t) {
  const double tt = static_cast<double>(t);
  return {static_cast<float>(beta1), static_cast<float>(beta2),
          static_cast<float>(lr / (1.0 - std::pow(beta1, tt))),
          static_cast<float>(1.0 / std::sqrt(1.0 - std::pow(beta2, tt))),
          static_cast<float>(eps)};
}

WGF_HOST_DEVICE void adam_update(const AdamStepScalars& a, float gradient, float& m, float& v,
                                 float& parameter) {
  m = a.beta1 * m + (1.0f - a.beta1) * gradient;
  v = a.beta2 * v + (1.0f - a.beta2) * gradient * gradient;
#if defined(__CUDA_ARCH__)
  const float root = sqrtf(v);
#else
  const float root = std::sqrt(v);
#endif
  parameter -= a.step_size * m / (root * a.inverse_root_correction + a.eps);
}

}  // namespace wgf
