#pragma once
// Internal to the grid solver: the convolution Φ = F⁻¹[m · F[w]] of a real grid field with one or
// two real symbols, the d-dimensional transforms split into their one-dimensional passes so that
// the symbol multiply happens while a block of spectrum columns is in cache.
//
// Why not FFTW's own d-dimensional r2c and c2r with a multiply in between: those are two
// separate transforms, each streaming the whole spectrum through memory once per axis, and the
// multiply streams it once more. Here the forward and inverse transforms of the slowest axis run
// back to back on a block of columns gathered into a per-thread buffer, each column contiguous
// there so that FFTW runs plain contiguous transforms (up to 16 columns of a 1024²
// spectrum: 256 KiB, the L2 of one core), with the multiply (and, when asked, the copy of ŵ kept
// for the diagnostics) in between. In 3D the middle axis is transformed plane by plane right
// after the plane's rows, and inversely right before them. The grid is streamed three times per
// convolution (rows forward, slow-axis columns, rows inverse) instead of about six.
//
// Plans are made once (single-threaded FFTW plans, run by this object's OpenMP loops with
// FFTW's new-array execute, thread safe); run() allocates nothing. The numbers differ from
// FFTW's d-dimensional transforms by rounding only (same transforms, other order of passes), and
// are the same bits on every call and every thread count (each row and column is transformed by
// the same plan, whichever thread takes it).
#include <fftw3.h>

#include <cstddef>
#include <vector>

#include "wgf/grid.hpp"

namespace wgf::detail {

class BlockedConvolution {
public:
  // Plans for `grid` with the given FFTW planner flags, reading `input` and writing into
  // `outputs[0..count)` (N^d doubles each; other arrays of the same FFTW alignment may be passed
  // to run()). `symbols[0..count)`, count 1 or 2, are indexed like the r2c half spectrum, for
  // unnormalised transforms (fold 1/N^d into them); they are copied here, reordered block by
  // block so that the multiply streams them. `threads`: the most OpenMP threads run() will use.
  BlockedConvolution(const Grid& grid, unsigned planner_flags, double* input, double* const* outputs,
                     const double* const* symbols, int count, int threads);
  ~BlockedConvolution();
  BlockedConvolution(const BlockedConvolution&) = delete;
  BlockedConvolution& operator=(const BlockedConvolution&) = delete;

  // outputs[k] = F⁻¹[symbols[k] · F[input]] for k < count, or without the multiply (the
  // transforms alone) when `multiply` is false. When `kept` is not null, F[input] is also written
  // there (spectral_cells() values) in the order the column pass holds them, one contiguous write
  // per block: transposed, slow axis fastest — the value at r2c half-spectrum index
  // s = r·C + c (r along axis 0, C = spectral_cells()/N) is at c·N + r (1D: at s).
  void run(const double* input, bool multiply, fftw_complex* kept, double* const* outputs);

  // The same in two parts, for a producer that makes the input slab by slab (a slab: the cells
  // with one index along the slowest axis, d ≥ 2): forward_slab() for every slab, in any order
  // and from any threads, then finish(). slab_buffer(thread) (slab_cells() doubles, with the
  // input's alignment) is where thread `thread` (< threads) may form a slab before handing it
  // over. The same numbers as run() on the assembled input.
  void forward_slab(std::size_t index, const double* slab);
  void finish(bool multiply, fftw_complex* kept, double* const* outputs);
  // forward_slab() for every slab of a whole input, on this object's threads.
  void forward(const double* input);

  // And the inverse side slab by slab, for a consumer that reads the first output a few slabs at
  // a time (one symbol's output; d ≥ 2): columns() in place of finish(), then inverse_slab(j, t,
  // position) gives output slab j, made by thread t into its ring position 0…2 (valid until t
  // makes another slab there). Slabs may be made any number of times, by any threads: the
  // transformed spectrum is copied, not consumed. The same bits as finish()'s outputs[0].
  void columns(bool multiply, fftw_complex* kept);
  const double* inverse_slab(std::size_t index, int thread, int position);
  std::size_t slab_cells() const { return slab_rows_ * n_; }
  double* slab_buffer(int thread) { return slab_buffers_[static_cast<std::size_t>(thread)]; }
  int threads() const { return threads_; }

  std::size_t spectral_cells() const { return spectral_cells_; }

private:
  // The constructor's steps, in order: the column blocks' widths, the symbols in the column
  // pass' order, the working spectra and per-thread buffers, then the plans (false where FFTW
  // could not make one).
  void split_column_blocks();
  void reorder_symbols(const double* const* symbols);
  void allocate_spectra();
  void allocate_slab_buffers();
  // Whether every row the row plans will be given shares the planned arrays' alignment.
  bool rows_aligned(double* input, double* const* outputs) const;
  bool plan_rows(unsigned planner_flags, double* input, double* const* outputs);
  bool plan_middle_axis(unsigned planner_flags);
  bool plan_column_blocks(unsigned planner_flags);

  void inverse_rows(fftw_complex* spectrum, double* output);
  // One slab's passes: rows r2c then (3D) the middle axis, into `spectrum`; and the inverse,
  // in place on `spectrum` (destroyed), into `output`.
  void forward_slab_into(const double* slab, fftw_complex* spectrum) const;
  void inverse_slab_into(fftw_complex* spectrum, double* output) const;
  // The slow axis' column blocks, symbol 0's in place in input_spectrum_.
  void convolve_columns(bool multiply, fftw_complex* kept);
  static void multiply(fftw_complex* values, const double* symbol, std::size_t count);

  int dim_;
  std::size_t n_, half_, rows_, cells_, spectral_cells_;
  std::size_t slabs_;       // along axis 0 (1D: the one row)
  std::size_t slab_rows_;   // rows per slab: N in 3D, else 1
  std::size_t column_count_;   // spectrum columns along the slowest axis (d ≥ 2)
  std::size_t blocks_ = 0;          // column blocks (a multiple of threads_ where possible)
  std::size_t narrow_width_ = 0;    // columns per block …
  std::size_t wide_blocks_ = 0;     // … plus one in the first wide_blocks_ blocks
  int block_width_ = 1;             // the widest block
  int symbols_;
  int threads_;
  bool parallel_;
  fftw_complex* spectrum_[2] = {nullptr, nullptr};  // working spectra, one per symbol
  // Symbol 0's working spectrum alternates between spectrum_[0] and alternate_ (d ≥ 2) at each
  // columns(): the forward passes fill input_spectrum_, inverse_slab() reads convolved_.
  fftw_complex* alternate_ = nullptr;
  fftw_complex* input_spectrum_ = nullptr;
  fftw_complex* convolved_ = nullptr;
  std::vector<double> symbols_blocked_[2];          // block by block, in each block's buffer order
  std::vector<fftw_complex*> buffers_;              // per thread and symbol: block_width_ × n
  std::vector<double*> slab_buffers_;               // per thread: one input slab
  std::vector<double*> output_rings_;               // per thread: three output slabs
  std::vector<fftw_complex*> slab_spectra_;         // per thread: one spectrum slab
  fftw_plan row_forward_ = nullptr, row_inverse_ = nullptr;
  fftw_plan middle_forward_ = nullptr, middle_inverse_ = nullptr;  // 3D: axis 1 of one plane
  fftw_plan wide_forward_ = nullptr, wide_inverse_ = nullptr;      // narrow_width_ + 1 columns
  fftw_plan narrow_forward_ = nullptr, narrow_inverse_ = nullptr;  // narrow_width_ columns
};

}  // namespace wgf::detail
