// PairKernel's second derivative in s = r², term by term from each family's closed form (no
// Gaussian ladder: the penalty that needs it is evaluated once per critic step, not per pair
// of every loss). With q = s + δ² for the softened families:
//   gaussian  w e^{−as}:        e' = −a e,               e'' = a² e
//   rq        w (1 + as)^{−α}:  e' = −α a e/u,           e'' = α(α+1) a² e/u²   (u = 1 + as)
//   laplace   w e^{−a√q}:       e' = −a e/(2√q),         e'' = a e (a + 1/√q)/(4q)
//   energy    −w q^{β/2}:       e' = (β/2) e/q,          e'' = (β/2)(β/2 − 1) e/q²
//   riesz     w q^{−α/2}:       e' = −(α/2) e/q,         e'' = (α/2)(α/2 + 1) e/q²
#include <algorithm>
#include <cmath>

#include "wgf/trainer/pair_kernel.hpp"

namespace wgf {

template <typename Scalar>
void PairKernel::slopes_and_curvatures(const Scalar* s_in, Eigen::Index n, Scalar* slope_out,
                                       Scalar* curvature_out) const {
  using Array = Eigen::Array<Scalar, Eigen::Dynamic, 1>;
  Scalar s_buffer[kChunk], e_buffer[kChunk], q_buffer[kChunk];
  for (Eigen::Index start = 0; start < n; start += kChunk) {
    const Eigen::Index len = std::min<Eigen::Index>(kChunk, n - start);
    std::copy(s_in + start, s_in + start + len, s_buffer);  // so that the outputs may alias s
    Eigen::Map<const Array> s(s_buffer, len);
    Eigen::Map<Array> e(e_buffer, len), q(q_buffer, len);
    Eigen::Map<Array> slope(slope_out + start, len), curvature(curvature_out + start, len);
    slope.setZero();
    curvature.setZero();
    const Scalar delta2 = static_cast<Scalar>(softening_ * softening_);
    for (const Term& t : terms_) {
      const Scalar w = static_cast<Scalar>(t.weight), a = static_cast<Scalar>(t.a);
      switch (t.family) {
        case Family::gaussian:
          e = w * (-a * s).exp();
          slope -= a * e;
          curvature += a * a * e;
          break;
        case Family::rational_quadratic: {
          const Scalar alpha = static_cast<Scalar>(t.b);
          q = Scalar(1) + a * s;
          e = w * (-alpha * q.log()).exp();
          slope -= alpha * a * e / q;
          curvature += alpha * (alpha + Scalar(1)) * a * a * e / q.square();
          break;
        }
        case Family::laplace:
          q = s + delta2;
          e = w * (-a * q.sqrt()).exp();
          slope -= Scalar(0.5) * a * e * q.rsqrt();
          curvature += Scalar(0.25) * a * e * (a + q.rsqrt()) / q;
          break;
        case Family::energy:
          q = s + delta2;
          e = -w * (Scalar(0.5) * a * q.log()).exp();
          slope += Scalar(0.5) * a * e / q;
          curvature += Scalar(0.5) * a * (Scalar(0.5) * a - Scalar(1)) * e / q.square();
          break;
        case Family::riesz:
          q = s + delta2;
          e = w * (Scalar(-0.5) * a * q.log()).exp();
          slope -= Scalar(0.5) * a * e / q;
          curvature += Scalar(0.5) * a * (Scalar(0.5) * a + Scalar(1)) * e / q.square();
          break;
      }
    }
  }
}

template void PairKernel::slopes_and_curvatures<float>(const float*, Eigen::Index, float*, float*) const;
template void PairKernel::slopes_and_curvatures<double>(const double*, Eigen::Index, double*,
                                                        double*) const;

}  // namespace wgf
