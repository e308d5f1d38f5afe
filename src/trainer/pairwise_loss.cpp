#include "wgf/trainer/pairwise_loss.hpp"

#include <algorithm>
#include <stdexcept>

#include "wgf/errors.hpp"
#include "wgf/trainer/row_slabs.hpp"

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
  pull_.resize(std::max(n_, m_));
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
    for_row_slabs(rows, double(rows) * cols * dim_, [&](Index first, Index count) {
      slopes.middleRows(first, count).noalias() = xs.middleRows(first, count) * ys.transpose();
    });
    norms_x_.head(rows) = xs.rowwise().squaredNorm();
    norms_y_.head(cols) = ys.rowwise().squaredNorm();
  }
  const Scalar* yt = transposed_.data();
  // A self block is symmetric: row i evaluates only the pairs j > i (each counted twice), and
  // the slopes are mirrored afterwards. Cyclic scheduling balances the triangle over threads.
  const double pair_work = double(rows) * cols * (dim_ + 16) * (self ? 0.5 : 1.0);
  for_each_cyclic(rows, pair_work, [&](Index i) {
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
  });
  double total = 0;
  for (Index i = 0; i < rows; ++i) total += row_values_[i];
  // The V-statistic's diagonal pairs (i, i) add e(0) each and pull nowhere.
  if (self && estimator_ == Estimator::v_statistic)
    total += static_cast<double>(rows) * static_cast<double>(diagonal_value_);
  if (with_slopes) {
    // A self block's mirror (a transpose-copy, memory bound: one multiply-add a pair for the
    // threshold) and every block's row sums, in one region; each row sums in order either way.
    for_row_slabs(rows, double(rows) * cols, [&](Index first, Index count) {
      if (self)
        for (Index i = first; i < first + count; ++i) {
          Scalar* row = slopes.data() + i * cols;
          for (Index j = 0; j < i; ++j) row[j] = slopes.data()[j * cols + i];
          row[i] = 0;
        }
      row_sums.segment(first, count) = slopes.middleRows(first, count).rowwise().sum();
    });
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
  const double gemm_work = 2.0 * n_ * m_ * dim_;
  if (fake_grad) {
    const Scalar c_ff = static_cast<Scalar>(4 * a_ff), c_fg = static_cast<Scalar>(4 * a_fg);
    for_row_slabs(n_, gemm_work, [&](Index first, Index count) {
      Map grad(fake_grad + first * dim_, count, dim_);
      grad.noalias() = -c_ff * slopes_ff_.middleRows(first, count) * f;
      grad.noalias() += c_fg * slopes_fg_.middleRows(first, count) * g;
      auto pull = pull_.segment(first, count).array();
      pull = c_ff * rows_ff_.segment(first, count).array() -
             c_fg * rows_fg_.segment(first, count).array();
      grad.array() += f.middleRows(first, count).array().colwise() * pull;
    });
  }
  if (real_grad) {
    const Scalar c_gg = static_cast<Scalar>(4 * a_gg), c_fg = static_cast<Scalar>(4 * a_fg);
    cols_fg_.noalias() = slopes_fg_.colwise().sum().transpose();
    for_row_slabs(m_, gemm_work, [&](Index first, Index count) {
      Map grad(real_grad + first * dim_, count, dim_);
      grad.noalias() = -c_gg * slopes_gg_.middleRows(first, count) * g;
      grad.noalias() += c_fg * slopes_fg_.middleCols(first, count).transpose() * f;
      auto pull = pull_.segment(first, count).array();
      pull = c_gg * rows_gg_.segment(first, count).array() -
             c_fg * cols_fg_.segment(first, count).array();
      grad.array() += g.middleRows(first, count).array().colwise() * pull;
    });
  }
  return energy;
}

template class PairwiseLoss<float>;
template class PairwiseLoss<double>;

}  // namespace wgf
