#pragma once
// The CUDA trainer's fused pairwise loss, written as the phases one GPU thread runs between two
// block barriers, as plain functions that compile for the host and the device
// (host_device.hpp). pairwise_loss_kernel.cu launches them; tests/test_trainer_cuda_reference.cpp
// runs the very same phases on the host, thread by thread and barrier by barrier, against the
// naive double loop and PairwiseLoss. So the tiling, the index arithmetic and the masking are
// checked on every machine, with or without a GPU.
//
// The problem. The discriminator's features of a step are one stacked matrix X (fake rows
// [0, n), real rows [n, rows)). With the pair coefficient c(r, r') = a_ff, a_gg or −a_fg by the
// halves the two rows belong to (pairwise_loss.hpp), over all ordered pairs
//
//   E = Σ_{r,r'} c e(|x_r − x_r'|²),     ∂E/∂x_r = 4 Σ_{r'} c w (x_r − x_r'),   w = de/ds,
//
// (a mixed pair counted in both orders gives the −2 a_fg of the definition; the U-statistic
// leaves out r = r', the V-statistic adds c e(0) there and no pull). Every ordered pair is
// evaluated, so each row's gradient is a sum its own block owns: no atomics, a fixed order,
// and no B×B matrix in memory.
//
// The work split. A block owns kRows rows (grid x) and the column tiles of kColumns rows whose
// index is ≡ its split (grid y) modulo the number of splits. Per column tile it stages the
// partner rows in shared memory, evaluates the kRows × kColumns pair weights c·w into shared
// memory (and adds c·e to its threads' loss sums, in double), then accumulates each owned
// gradient entry Σ_j c w (x_i − x_j) over the tile. At the end each split writes its partial
// gradient rows and the block its loss sum; a second launch adds the splits in split order
// (finished_gradient, finished_loss). Results do not depend on timing.
#include <cstddef>

#include "wgf/host_device.hpp"
#include "wgf/trainer/pair_terms.hpp"

namespace wgf::pair_tile {

inline constexpr int kRows = 32;      // rows a block owns
inline constexpr int kColumns = 32;   // partner rows staged per tile
inline constexpr int kThreads = 256;  // threads per block (a power of two: tree reduction)

// Everything one launch needs (passed by value as the kernel argument).
struct Problem {
  const float* features = nullptr;  // rows × dim, row-major on the device
  int rows = 0;                     // fake + real
  int fake_rows = 0;
  int dim = 0;
  int stride = 0;                   // staged row length in shared memory: dim padded to odd
  int gradient_rows = 0;            // rows [0, gradient_rows) get a gradient (≤ rows)
  int row_tiles = 0, column_tiles = 0, splits = 1;
  int skip_diagonal = 0;            // U-statistic
  float weight_ff = 0, weight_gg = 0, weight_fg = 0;  // c as fp32, for the pull
  double loss_ff = 0, loss_gg = 0, loss_fg = 0;       // c in double, for the loss sum
  PairTerms kernel;
  float* partial_gradient = nullptr;  // splits × gradient_rows × dim
  double* partial_loss = nullptr;     // splits × row_tiles
};

// A shared row stride that is odd: threads of a warp reading one feature of 32 different staged
// rows then hit 32 different banks.
WGF_HOST_DEVICE int padded_stride(int dim) { return dim % 2 == 0 ? dim + 1 : dim; }

// The block's shared memory, carved from one dynamic buffer (doubles first for alignment).
struct Tile {
  double* loss;      // kThreads per-thread sums, then the tree reduction
  float* rows;       // kRows × stride: the owned rows
  float* columns;    // kColumns × stride: the staged partner rows
  float* weights;    // kRows × kColumns: c·w of the current tile
  float* gradient;   // kRows × dim: the owned gradient entries, indexed like the owner loop
};

WGF_HOST_DEVICE std::size_t tile_bytes(int dim) {
  const std::size_t stride = static_cast<std::size_t>(padded_stride(dim));
  return kThreads * sizeof(double) +
         sizeof(float) * (kRows * stride + kColumns * stride + kRows * kColumns +
                          static_cast<std::size_t>(kRows) * dim);
}

WGF_HOST_DEVICE Tile carve_tile(void* base, int dim) {
  const int stride = padded_stride(dim);
  Tile t;
  t.loss = static_cast<double*>(base);
  t.rows = reinterpret_cast<float*>(t.loss + kThreads);
  t.columns = t.rows + kRows * stride;
  t.weights = t.columns + kColumns * stride;
  t.gradient = t.weights + kRows * kColumns;
  return t;
}

// Stages `count` rows from `first` (zeros past the end) into `staged`; entry q = i·dim + k goes
// to thread q mod kThreads, so consecutive threads read consecutive addresses.
WGF_HOST_DEVICE void stage_rows(const Problem& p, float* staged, int first, int count, int thread) {
  for (int q = thread; q < count * p.dim; q += kThreads) {
    const int i = q / p.dim, k = q - i * p.dim, r = first + i;
    staged[i * p.stride + k] =
        r < p.rows ? p.features[static_cast<std::size_t>(r) * p.dim + k] : 0.0f;
  }
}

// Phase 0 (once): the owned rows staged, the owned gradient entries zeroed.
WGF_HOST_DEVICE void load_owned_rows(const Problem& p, Tile& s, int row0, int thread) {
  stage_rows(p, s.rows, row0, kRows, thread);
  for (int q = thread; q < kRows * p.dim; q += kThreads) s.gradient[q] = 0.0f;
}

// Phase 1 (per tile): the partner rows staged.
WGF_HOST_DEVICE void load_columns(const Problem& p, Tile& s, int col0, int thread) {
  stage_rows(p, s.columns, col0, kColumns, thread);
}

// Phase 2 (per tile): the pair weights c·w of this thread's pairs into shared memory; returns
// the sum of c·e over them. Pair q = i·kColumns + j: a warp shares one owned row i (broadcast)
// and reads 32 staged rows j (odd stride, distinct banks).
WGF_HOST_DEVICE double pair_weights(const Problem& p, Tile& s, int row0, int col0, int thread) {
  double loss = 0;
  for (int q = thread; q < kRows * kColumns; q += kThreads) {
    const int i = q / kColumns, j = q - i * kColumns;
    const int r = row0 + i, c = col0 + j;
    float weight = 0.0f;
    if (r < p.rows && c < p.rows && !(p.skip_diagonal && r == c)) {
      const float* x = s.rows + i * p.stride;
      const float* y = s.columns + j * p.stride;
      float squared = 0.0f;
      for (int k = 0; k < p.dim; ++k) {
        const float d = y[k] - x[k];
        squared += d * d;
      }
      float slope = 0.0f;
      const float value = pair_value(p.kernel, squared, &slope);
      const bool fake_r = r < p.fake_rows, fake_c = c < p.fake_rows;
      const double loss_c = fake_r != fake_c ? p.loss_fg : (fake_r ? p.loss_ff : p.loss_gg);
      const float weight_c = fake_r != fake_c ? p.weight_fg : (fake_r ? p.weight_ff : p.weight_gg);
      loss += loss_c * static_cast<double>(value);
      // The pair (r, r) pulls nowhere (and its slope may be infinite when δ = 0).
      if (r != c) weight = weight_c * slope;
    }
    s.weights[q] = weight;
  }
  return loss;
}

// Phase 3 (per tile): each owned gradient entry (i, k) adds Σ_j c w (x_ik − y_jk) over the tile.
// Rows past gradient_rows (the real half in a generator step) are skipped.
WGF_HOST_DEVICE void accumulate_gradient(const Problem& p, Tile& s, int row0, int thread) {
  if (row0 >= p.gradient_rows) return;
  for (int q = thread; q < kRows * p.dim; q += kThreads) {
    const int i = q / p.dim, k = q - i * p.dim;
    const float x = s.rows[i * p.stride + k];
    const float* w = s.weights + i * kColumns;
    float sum = 0.0f;
    for (int j = 0; j < kColumns; ++j) sum += w[j] * (x - s.columns[j * p.stride + k]);
    s.gradient[q] += sum;
  }
}

// Phase 4 (once): this split's partial gradient of the owned rows to global memory.
WGF_HOST_DEVICE void store_gradient(const Problem& p, const Tile& s, int row0, int split,
                                    int thread) {
  if (row0 >= p.gradient_rows) return;
  float* out = p.partial_gradient + static_cast<std::size_t>(split) * p.gradient_rows * p.dim;
  for (int q = thread; q < kRows * p.dim; q += kThreads) {
    const int i = q / p.dim, r = row0 + i;
    if (r < p.gradient_rows) out[static_cast<std::size_t>(row0) * p.dim + q] = s.gradient[q];
  }
}

// One level of the block's loss reduction (between barriers, stride = kThreads/2, …, 1).
WGF_HOST_DEVICE void reduce_loss(Tile& s, int stride, int thread) {
  if (thread < stride) s.loss[thread] += s.loss[thread + stride];
}

// The second launch: entry e of the gradient (row-major over gradient_rows × dim), the splits
// added in order and scaled (±4: descent or ascent).
WGF_HOST_DEVICE float finished_gradient(const Problem& p, float scale, std::size_t e) {
  const std::size_t plane = static_cast<std::size_t>(p.gradient_rows) * p.dim;
  float sum = 0.0f;
  for (int split = 0; split < p.splits; ++split) sum += p.partial_gradient[split * plane + e];
  return scale * sum;
}

WGF_HOST_DEVICE double finished_loss(const Problem& p) {
  double sum = 0;
  for (int b = 0; b < p.splits * p.row_tiles; ++b) sum += p.partial_loss[b];
  return sum;
}

}  // namespace wgf::pair_tile
