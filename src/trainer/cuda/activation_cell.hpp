#pragma once
// The MLP activations one value at a time, for the CUDA trainer's bias+activation kernels
// (network_kernels.cu). The CPU reference (activation.hpp) runs Eigen's array expressions, which
// device code cannot; these functions perform the same formulas in the same order, and
// tests/test_trainer_cuda_reference.cpp holds them to activate()/activation_backward() on the
// host. The kind codes are the trainer's own (ActivationCode), mapped from Activation in the
// host code, so this header needs no Eigen.
#include <cmath>

#include "wgf/host_device.hpp"

namespace wgf::cuda_trainer {

struct ActivationCode {
  enum Kind : int { identity = 0, relu, leaky_relu, tanh, softplus, sigmoid };
  int kind = identity;
  float slope = 0.2f;  // leaky_relu's slope for negative inputs
};

namespace activation_math {
#if defined(__CUDA_ARCH__)
WGF_HOST_DEVICE float exp_of(float x) { return expf(x); }
WGF_HOST_DEVICE float log1p_of(float x) { return log1pf(x); }
WGF_HOST_DEVICE float tanh_of(float x) { return tanhf(x); }
#else
WGF_HOST_DEVICE float exp_of(float x) { return std::exp(x); }
WGF_HOST_DEVICE float log1p_of(float x) { return std::log1p(x); }
WGF_HOST_DEVICE float tanh_of(float x) { return std::tanh(x); }
#endif
}  // namespace activation_math

// a = f(z).
WGF_HOST_DEVICE float activate_one(const ActivationCode& f, float z) {
  using namespace activation_math;
  switch (f.kind) {
    case ActivationCode::relu: return z > 0.0f ? z : 0.0f;
    case ActivationCode::leaky_relu: return z > 0.0f ? z : f.slope * z;
    case ActivationCode::tanh: return tanh_of(z);
    // log(1 + e^z) without overflow: max(z, 0) + log1p(e^{-|z|}).
    case ActivationCode::softplus: return (z > 0.0f ? z : 0.0f) + log1p_of(exp_of(-(z < 0.0f ? -z : z)));
    case ActivationCode::sigmoid: return 1.0f / (1.0f + exp_of(-z));
    default: return z;
  }
}

// grad · f'(z), with a = f(z) from the forward pass.
WGF_HOST_DEVICE float activation_backward_one(const ActivationCode& f, float z, float a, float grad) {
  using namespace activation_math;
  switch (f.kind) {
    case ActivationCode::relu: return z > 0.0f ? grad : 0.0f;
    case ActivationCode::leaky_relu: return z > 0.0f ? grad : f.slope * grad;
    case ActivationCode::tanh: return grad * (1.0f - a * a);
    case ActivationCode::softplus: return grad * (1.0f / (1.0f + exp_of(-z)));
    case ActivationCode::sigmoid: return grad * (a * (1.0f - a));
    default: return grad;
  }
}

}  // namespace wgf::cuda_trainer
