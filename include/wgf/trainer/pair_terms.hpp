#pragma once
// A compiled pair kernel (pair_kernel.hpp) as plain data, and its value and slope at one squared
// distance as a function that compiles for the host and for the device (host_device.hpp).
//
// PairKernel evaluates whole chunks of pairs with Eigen's vectorised exp/log/sqrt, which device
// code cannot use; the CUDA trainer needs the same arithmetic one pair per thread. Both read the
// one term list PairKernel compiles (PairKernel::flat_terms()), and pair_value() performs the
// chunked path's operations in its order (Gaussian ladder first, then the other terms, each
// with its softening), so the two agree to the last bits of the math library's exp/log/sqrt.
// tests/test_trainer_cuda_reference.cpp holds them together on the host; the fused CUDA loss
// kernel calls this very function.
#include <cmath>

#include "wgf/host_device.hpp"

namespace wgf {

struct PairTerms {
  // Room for the longest kernels the trainer meets (the five-Gaussian mixture plus a
  // stabiliser); PairKernel::flat_terms() refuses longer ones with an InputError. The struct is
  // passed by value as a kernel argument, so it stays well under CUDA's 4 KiB parameter limit.
  static constexpr int kMaxTerms = 16;
  enum Family : int { gaussian = 0, rational_quadratic, laplace, energy, riesz };
  struct Term {
    int family;
    double weight;
    double a;  // gaussian 1/(2σ²); rq 1/(2αℓ²) (imq 1/c²); laplace 1/ℓ; energy β; riesz α
    double b;  // rq α (imq ½); unused otherwise
  };
  // Gaussians whose widths differ by powers of two: exp(−a s) of the widest, squared
  // `squarings` times from the previous rung (pair_kernel.hpp).
  struct Rung {
    int squarings;
    double weight, a;
  };
  Term terms[kMaxTerms];  // the terms not on the ladder
  int term_count = 0;
  Rung rungs[kMaxTerms];
  int rung_count = 0;
  double softening = 0;  // δ: laplace, energy and riesz are evaluated at √(s + δ²)
};

namespace pair_math {
// The math library of the side the code runs on: CUDA's on the device (expf … for float),
// the C++ library's on the host (also inside nvcc-compiled host code).
#if defined(__CUDA_ARCH__)
WGF_HOST_DEVICE float exp_of(float x) { return expf(x); }
WGF_HOST_DEVICE float log_of(float x) { return logf(x); }
WGF_HOST_DEVICE float sqrt_of(float x) { return sqrtf(x); }
WGF_HOST_DEVICE double exp_of(double x) { return ::exp(x); }
WGF_HOST_DEVICE double log_of(double x) { return ::log(x); }
WGF_HOST_DEVICE double sqrt_of(double x) { return ::sqrt(x); }
#else
WGF_HOST_DEVICE float exp_of(float x) { return std::exp(x); }
WGF_HOST_DEVICE float log_of(float x) { return std::log(x); }
WGF_HOST_DEVICE float sqrt_of(float x) { return std::sqrt(x); }
WGF_HOST_DEVICE double exp_of(double x) { return std::exp(x); }
WGF_HOST_DEVICE double log_of(double x) { return std::log(x); }
WGF_HOST_DEVICE double sqrt_of(double x) { return std::sqrt(x); }
#endif
}  // namespace pair_math

// Returns e(s) and writes de/ds to *slope, at one squared distance s ≥ 0, in Scalar arithmetic
// with the constants rounded to Scalar first (as PairKernel's chunks do).
template <class Scalar>
WGF_HOST_DEVICE Scalar pair_value(const PairTerms& k, Scalar s, Scalar* slope) {
  using pair_math::exp_of;
  using pair_math::log_of;
  using pair_math::sqrt_of;
  Scalar value = 0, ds = 0;
  if (k.rung_count > 0) {
    Scalar rung = exp_of(static_cast<Scalar>(-k.rungs[0].a) * s);
    for (int r = 0; r < k.rung_count; ++r) {
      for (int q = 0; q < k.rungs[r].squarings; ++q) rung = rung * rung;
      value += static_cast<Scalar>(k.rungs[r].weight) * rung;
      ds -= static_cast<Scalar>(k.rungs[r].weight * k.rungs[r].a) * rung;
    }
  }
  const Scalar delta2 = static_cast<Scalar>(k.softening * k.softening);
  for (int i = 0; i < k.term_count; ++i) {
    const PairTerms::Term& t = k.terms[i];
    const Scalar w = static_cast<Scalar>(t.weight), a = static_cast<Scalar>(t.a);
    Scalar term;
    switch (t.family) {
      case PairTerms::gaussian:
        term = w * exp_of(-a * s);
        ds -= a * term;
        break;
      case PairTerms::rational_quadratic: {
        const Scalar alpha = static_cast<Scalar>(t.b);
        const Scalar u = Scalar(1) + a * s;
        if (t.b == 0.5) term = w * (Scalar(1) / sqrt_of(u));
        else if (t.b == 1.0) term = w * (Scalar(1) / u);
        else term = w * exp_of(-alpha * log_of(u));
        ds -= alpha * a * term / u;
        break;
      }
      case PairTerms::laplace: {
        const Scalar r = sqrt_of(s + delta2);
        term = w * exp_of(-a * r);
        ds -= Scalar(0.5) * a * term / r;
        break;
      }
      case PairTerms::energy: {
        const Scalar q = s + delta2;
        if (t.a == 1.0) term = -w * sqrt_of(q);
        else term = -w * exp_of(Scalar(0.5) * a * log_of(q));
        ds += Scalar(0.5) * a * term / q;
        break;
      }
      default: {  // riesz
        const Scalar q = s + delta2;
        if (t.a == 1.0) term = w * (Scalar(1) / sqrt_of(q));
        else term = w * exp_of(Scalar(-0.5) * a * log_of(q));
        ds -= Scalar(0.5) * a * term / q;
        break;
      }
    }
    value += term;
  }
  if (slope) *slope = ds;
  return value;
}

}  // namespace wgf
