#pragma once
// The minibatch estimate of the particle-based distance between two feature sets (docs/design.md §1,
// MMD² convention), f_i = D(G(z_i)) (n fake rows) and g_j = D(x_j) (m real rows):
//
//   E = a_ff Σ_{i,i'} k(f_i, f_i') + a_gg Σ_{j,j'} k(g_j, g_j') − 2 a_fg Σ_{i,j} k(f_i, g_j)
//
//   V-statistic: all pairs, a_ff = 1/n², a_gg = 1/m², a_fg = 1/(nm) (biased, ≥ 0 for a
//                positive-definite kernel);
//   U-statistic: the diagonals i = i' and j = j' left out, a_ff = 1/(n(n−1)), a_gg = 1/(m(m−1))
//                (unbiased, may be negative).
//
// and its gradient with respect to both sets: with w = de/ds at s = |x − y|²,
//   ∂E/∂f_i = 4 a_ff Σ_i' w_ii' (f_i − f_i') − 4 a_fg Σ_j w_ij (f_i − g_j),  and alike for g_j.
//
// Plan once: the object owns the B×B matrices of slopes w for the three blocks. Squared
// distances are formed directly (Σ_k (x_k − y_k)², no cancellation, which keeps the softening
// of the power laws meaningful in fp32) for small feature dimensions, and by a GEMM
// (|x|² + |y|² − 2 x·y) for large ones (data-space metrics of images). The gradient is four
// GEMMs against those matrices. The two self blocks are symmetric and evaluate half their pairs.
// Rows are threaded with OpenMP; every reduction runs in a fixed order, so results do not depend
// on timing.
#include <Eigen/Core>
#include <string>
#include <vector>

#include "wgf/trainer/pair_kernel.hpp"

namespace wgf {

enum class Estimator { v_statistic, u_statistic };
Estimator parse_estimator(const std::string& text);  // "v" | "u" (InputError otherwise)
std::string estimator_name(Estimator e);

template <typename Scalar>
class PairwiseLoss {
public:
  using Matrix = Eigen::Matrix<Scalar, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  using Index = Eigen::Index;

  PairwiseLoss(PairKernel kernel, Estimator estimator, Index n_fake, Index n_real, Index dim);

  // E for fake (n × dim) and real (m × dim) rows; writes ∂E/∂fake and ∂E/∂real where the
  // pointers are non-null (only the blocks a requested gradient needs compute slopes).
  double evaluate(const Scalar* fake, const Scalar* real, Scalar* fake_grad, Scalar* real_grad);

  const PairKernel& kernel() const { return kernel_; }
  Estimator estimator() const { return estimator_; }

  // Feature dimensions up to this use direct differences, beyond it a GEMM.
  static constexpr Index kDirectMaxDim = 32;

private:
  // Σ over the block's pairs of e(s); fills `slopes` (rows × cols) with de/ds and `row_sums` with
  // their row sums when `with_slopes`. A self block evaluates its upper triangle only, has zero
  // diagonal slopes (the pair (i, i) pulls nowhere) and counts the diagonal values for the
  // V-statistic only.
  double block(const Scalar* x, Index rows, const Scalar* y, Index cols, bool self,
               bool with_slopes, Matrix& slopes, Eigen::Matrix<Scalar, Eigen::Dynamic, 1>& row_sums);

  PairKernel kernel_;
  Estimator estimator_;
  Index n_, m_, dim_;
  Scalar diagonal_value_;  // e(0) as the Scalar path computes it: the V-statistic's diagonal
  Matrix slopes_ff_, slopes_gg_, slopes_fg_, transposed_;
  Eigen::Matrix<Scalar, Eigen::Dynamic, 1> rows_ff_, rows_gg_, rows_fg_, cols_fg_, norms_x_,
      norms_y_, pull_;
  std::vector<double> row_values_;
};

extern template class PairwiseLoss<float>;
extern template class PairwiseLoss<double>;

}  // namespace wgf
