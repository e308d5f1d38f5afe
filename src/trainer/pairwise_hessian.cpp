#include "wgf/trainer/pairwise_hessian.hpp"

#include <algorithm>

#include "wgf/errors.hpp"

namespace wgf {

PairwiseHessian::PairwiseHessian(PairKernel kernel, Estimator estimator, Index n_fake,
                                 Index n_real, Index dim)
    : kernel_(std::move(kernel)), estimator_(estimator), n_(n_fake), m_(n_real), dim_(dim),
      points_(static_cast<std::size_t>(n_fake + n_real) * dim) {
  if (dim_ > kMaxDim) throw InputError("the feature Hessian supports feature dimensions up to " +
                                       std::to_string(kMaxDim));
  const std::size_t total = static_cast<std::size_t>(n_ + m_);
  slope_.resize(total * total);
  curvature_.resize(total * total);
}

double PairwiseHessian::coefficient(Index a, Index b) const {
  const bool u = estimator_ == Estimator::u_statistic;
  const double n = static_cast<double>(n_), m = static_cast<double>(m_);
  const bool fake_a = a < n_, fake_b = b < n_;
  if (fake_a && fake_b) return u ? 1.0 / (n * (n - 1)) : 1.0 / (n * n);
  if (!fake_a && !fake_b) return u ? 1.0 / (m * (m - 1)) : 1.0 / (m * m);
  return -1.0 / (n * m);
}

void PairwiseHessian::linearise_at(const double* fake, const double* real) {
  std::copy(fake, fake + n_ * dim_, points_.begin());
  std::copy(real, real + m_ * dim_, points_.begin() + n_ * dim_);
  const Index N = n_ + m_;
#pragma omp parallel for schedule(static)
  for (Index a = 0; a < N; ++a) {
    double* w = slope_.data() + static_cast<std::size_t>(a) * N;
    double* w2 = curvature_.data() + static_cast<std::size_t>(a) * N;
    for (Index b = 0; b < N; ++b) {
      double s = 0;
      for (Index j = 0; j < dim_; ++j) {
        const double d = points_[a * dim_ + j] - points_[b * dim_ + j];
        s += d * d;
      }
      w[b] = s;
    }
    kernel_.slopes_and_curvatures(w, N, w, w2);
    for (Index b = 0; b < N; ++b) {
      const double c = b == a ? 0.0 : coefficient(a, b);  // the pair (a, a) pulls nowhere
      w[b] *= 4.0 * c;
      w2[b] *= 8.0 * c;
    }
  }
}

namespace {

// One output row of H v; D > 0 fixes the feature dimension at compile time (the loop over b then
// vectorises), D = 0 takes it from `dim`.
template <int D>
void hessian_row(const double* w, const double* w2, const double* points, const double* v,
                 Eigen::Index N, Eigen::Index dim_runtime, Eigen::Index a, double* out) {
  constexpr int kMax = PairwiseHessian::kMaxDim;
  const Eigen::Index dim = D > 0 ? D : dim_runtime;
  double sum[kMax] = {0}, za[kMax], va[kMax];
  for (Eigen::Index j = 0; j < dim; ++j) {
    za[j] = points[a * dim + j];
    va[j] = v[a * dim + j];
  }
  for (Eigen::Index b = 0; b < N; ++b) {
    double d[kMax], dv[kMax], dot = 0;
    for (Eigen::Index j = 0; j < dim; ++j) {
      d[j] = za[j] - points[b * dim + j];
      dv[j] = va[j] - v[b * dim + j];
      dot += d[j] * dv[j];
    }
    for (Eigen::Index j = 0; j < dim; ++j) sum[j] += w[b] * dv[j] + w2[b] * dot * d[j];
  }
  for (Eigen::Index j = 0; j < dim; ++j) out[a * dim + j] = sum[j];
}

}  // namespace

void PairwiseHessian::apply(const double* v, double* out) const {
  const Index N = n_ + m_;
  // Each output row sums over its partners in a fixed order (b = 0 … N−1), so the result does
  // not depend on the thread count.
#pragma omp parallel for schedule(static)
  for (Index a = 0; a < N; ++a) {
    const double* w = slope_.data() + static_cast<std::size_t>(a) * N;
    const double* w2 = curvature_.data() + static_cast<std::size_t>(a) * N;
    switch (dim_) {
      case 1: hessian_row<1>(w, w2, points_.data(), v, N, dim_, a, out); break;
      case 2: hessian_row<2>(w, w2, points_.data(), v, N, dim_, a, out); break;
      case 3: hessian_row<3>(w, w2, points_.data(), v, N, dim_, a, out); break;
      default: hessian_row<0>(w, w2, points_.data(), v, N, dim_, a, out); break;
    }
  }
}

}  // namespace wgf
