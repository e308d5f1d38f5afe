#pragma once
// The launch description (pair_tile::Problem) of the fused pairwise loss for a fake/real split,
// an estimator and a kernel, with the coefficients of pairwise_loss.hpp. Host code: the CUDA
// backend plans with it, and the host emulation test plans the same way.
#include <algorithm>

#include "pairwise_tile.hpp"
#include "wgf/errors.hpp"
#include "wgf/trainer/pair_kernel.hpp"
#include "wgf/trainer/pairwise_loss.hpp"

namespace wgf::cuda_trainer {

// `target_blocks`: how many blocks keep the device busy (a few per SM); the column tiles are
// split over blocks until the grid reaches it. Buffers are left null for the caller.
inline pair_tile::Problem plan_pairwise_problem(const PairKernel& kernel, Estimator estimator,
                                                long n_fake, long n_real, int dim,
                                                long target_blocks) {
  using namespace pair_tile;
  const bool u = estimator == Estimator::u_statistic;
  if (n_fake < (u ? 2 : 1) || n_real < (u ? 2 : 1) || dim < 1)
    throw InputError("pairwise loss: the " + estimator_name(estimator) +
                     "-statistic needs at least " + std::to_string(u ? 2 : 1) +
                     " rows on each side and dimension >= 1");
  Problem p;
  p.rows = static_cast<int>(n_fake + n_real);
  p.fake_rows = static_cast<int>(n_fake);
  p.dim = dim;
  p.stride = padded_stride(dim);
  p.gradient_rows = p.rows;
  p.row_tiles = (p.rows + kRows - 1) / kRows;
  p.column_tiles = (p.rows + kColumns - 1) / kColumns;
  p.splits = static_cast<int>(std::clamp<long>(target_blocks / p.row_tiles, 1, p.column_tiles));
  p.skip_diagonal = u ? 1 : 0;
  const double n = static_cast<double>(n_fake), m = static_cast<double>(n_real);
  p.loss_ff = u ? 1.0 / (n * (n - 1)) : 1.0 / (n * n);
  p.loss_gg = u ? 1.0 / (m * (m - 1)) : 1.0 / (m * m);
  p.loss_fg = -1.0 / (n * m);
  p.weight_ff = static_cast<float>(p.loss_ff);
  p.weight_gg = static_cast<float>(p.loss_gg);
  p.weight_fg = static_cast<float>(p.loss_fg);
  p.kernel = kernel.flat_terms();
  return p;
}

}  // namespace wgf::cuda_trainer
