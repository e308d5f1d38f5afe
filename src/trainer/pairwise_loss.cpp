#include "wgf/trainer/pairwise_loss.hpp"

#include <algorithm>
#include <stdexcept>

#include "wgf/errors.hpp"

namespace wgf {

Estimator parse_estimator(const std::string& text) {
  if (text == "v" || text == "V") return Estimator::v_statistic;
  if (text == "u" || text == "U") return Estimator::u_statistic;
  throw InputError("--estimator '" + text + "': use v (V-statistic, all pairs) or u "
                   "(U-statistic, diagonal pairs left out)");
}

std::string estimator_name(Estimator e) { return e == Estimator::v_statistic ? "v" : "u"; }

template <typename Scalar>
PairwiseLoss<Scalar>::PairwiseLoss(PairKernel kernel, Estimator estimator, Index n_fake,
                                   Index n_real, Index dim)
    : kernel_(std::move(kernel)), estimator_(estimator), n_(n_fake), m_(n_real), dim_(dim) {
  const Index least = estimator_ == Estimator::u_statistic ? 2 : 1;
  if (n_ < least || m_ < least || dim_ < 1)
    throw InputError("pairwise loss: the " + estimator_name(estimator_) +
                     "-statistic needs at least " + std::to_string(least) +
                     " rows on each side and dimension >= 1");
  slopes_ff_.resize(n_, n_);
  slopes_gg_.resize(m_, m_);
  slopes_fg_.resize(n_, m_);
  transposed_.resize(dim_, std::max(n_, m_));
  rows_ff_.resize(n_);
  rows_fg_.resize(n_);
  rows_gg_.resize(m_);
  cols_fg_.resize(m_);
  norms_x_.resize(std::max(n_, m_));
  norms_y_.resize(std::max(n_, m_));
  row_values_.resize(std::max(n_, m_));
  const Scalar zero = 0;
  diagonal_value_ = static_cast<Scalar>(kernel_.accumulate(&zero, 1, static_cast<Scalar*>(nullptr)));
}

template <typename Scalar>
double PairwiseLoss<Scalar>::block(const Scalar* x, Index rows, const Scalar* y, Index cols,
                                   bool self, bool with_slopes, Matrix& slopes,
                                   Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& row_sums) {
  using Array = Eigen::Array<Scalar, Eigen::Dynamic, 1>;
  using ConstMap = Eigen::Map<const Matrix>;
  const bool direct = dim_ <= kDirectMaxDim;
  ConstMap xs(x, rows, dim_), ys(y, cols, dim_);
  if (direct) {
    // Feature-major copy of y: the inner loop then runs over contiguous columns.
    Eigen::Map<Matrix>(transposed_.data(), dim_, cols) = ys.transpose();
  } else {
    slopes.noalias() = xs * ys.transpose();
    norms_x_.head(rows) = xs.rowwise().squaredNorm();
    norms_y_.head(cols) = ys.rowwise().squaredNorm();
  }
  const Scalar* yt = transposed_.data();
  // A self block is symmetric: row i evaluates only the pairs j > i (each counted twice), and
  // the slopes are mirrored afterwards. Cyclic scheduling balances the triangle over threads.
#pragma omp parallel for schedule(static, 1)
  for (Index i = 0; i < rows; ++i) {
    const Index first = self ? i + 1 : 0, len = cols - first;
    Scalar* row = slopes.data() + i * cols + first;
    Eigen::Map<Array> s(row, len);
    if (direct) {
      s = (Eigen::Map<const Array>(yt + first, len) - x[i * dim_]).square();
      for (Index k = 1; k < dim_; ++k)
        s += (Eigen::Map<const Array>(yt + k * cols + first, len) - x[i * dim_ + k]).square();
    } else {
      s = (norms_x_[i] + norms_y_.segment(first, len).array() - Scalar(2) * s).max(Scalar(0));
    }
    const double value = kernel_.accumulate(row, len, with_slopes ? row : nullptr);
    row_values_[i] = self ? 2 * value : value;
  }
  double total = 0;
  for (Index i = 0; i < rows; ++i) total += row_values_[i];
  // The V-statistic's diagonal pairs (i, i) add e(0) each and pull nowhere.
  if (self && estimator_ == Estimator::v_statistic)
    total += static_cast<double>(rows) * static_cast<double>(diagonal_value_);
  if (with_slopes) {
    if (self) {
#pragma omp parallel for schedule(static)
      for (Index i = 0; i < rows; ++i) {
        Scalar* row = slopes.data() + i * cols;
        for (Index j = 0; j < i; ++j) row[j] = slopes.data()[j * cols + i];
        row[i] = 0;
      }
    }
    row_sums.head(rows) = slopes.rowwise().sum();
  }
  return total;
}

template <typename Scalar>
double PairwiseLoss<Scalar>::evaluate(const Scalar* fake, const Scalar* real, Scalar* fake_grad,
                                      Scalar* real_grad) {
  using ConstMap = Eigen::Map<const Matrix>;
  using Map = Eigen::Map<Matrix>;
  const double n = static_cast<double>(n_), m = static_cast<double>(m_);
  const bool u = estimator_ == Estimator::u_statistic;
  const double a_ff = u ? 1.0 / (n * (n - 1)) : 1.0 / (n * n);
  const double a_gg = u ? 1.0 / (m * (m - 1)) : 1.0 / (m * m);
  const double a_fg = 1.0 / (n * m);

  const double sum_ff = block(fake, n_, fake, n_, true, fake_grad != nullptr, slopes_ff_, rows_ff_);
  const double sum_gg = block(real, m_, real, m_, true, real_grad != nullptr, slopes_gg_, rows_gg_);
  const double sum_fg = block(fake, n_, real, m_, false, fake_grad || real_grad, slopes_fg_, rows_fg_);
  const double energy = a_ff * sum_ff + a_gg * sum_gg - 2 * a_fg * sum_fg;

  ConstMap f(fake, n_, dim_), g(real, m_, dim_);
  if (fake_grad) {
    Map grad(fake_grad, n_, dim_);
    grad.noalias() = static_cast<Scalar>(-4 * a_ff) * slopes_ff_ * f;
    grad.noalias() += static_cast<Scalar>(4 * a_fg) * slopes_fg_ * g;
    const auto pull = (static_cast<Scalar>(4 * a_ff) * rows_ff_.array() -
                       static_cast<Scalar>(4 * a_fg) * rows_fg_.array());
    grad.array() += f.array().colwise() * pull;
  }
  if (real_grad) {
    Map grad(real_grad, m_, dim_);
    grad.noalias() = static_cast<Scalar>(-4 * a_gg) * slopes_gg_ * g;
    grad.noalias() += static_cast<Scalar>(4 * a_fg) * slopes_fg_.transpose() * f;
    cols_fg_.noalias() = slopes_fg_.colwise().sum().transpose();
    const auto pull = (static_cast<Scalar>(4 * a_gg) * rows_gg_.array() -
                       static_cast<Scalar>(4 * a_fg) * cols_fg_.array());
    grad.array() += g.array().colwise() * pull;
  }
  return energy;
}

template class PairwiseLoss<float>;
template class PairwiseLoss<double>;

}  // namespace wgf
