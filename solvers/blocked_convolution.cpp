#include "blocked_convolution.hpp"

#include "parallel_cells.hpp"
#include "wgf/solvers/field_buffer.hpp"
#include "wgf/solvers/spectral_potential.hpp"  // configure_fft_threads

#include <omp.h>

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace wgf::detail {

namespace {
// A column block's buffer is kept within 256 KiB (half of a Zen/Skylake-SP core's L2), and
// holds at most 16 columns: wider blocks measured no faster on 1024² and 128³.
constexpr std::size_t kBlockComplexValues = 16384;
constexpr int kMaxBlockWidth = 16;

// FFTW's new-array execute needs every array it is given to have the planned array's alignment;
// rows of an odd-length grid alternate, so their plans are made for any alignment.
template <class T>
bool rows_share_alignment(T* base, std::size_t stride, std::size_t count) {
  const int first = fftw_alignment_of(reinterpret_cast<double*>(base));
  for (std::size_t r = 1; r < count; ++r)
    if (fftw_alignment_of(reinterpret_cast<double*>(base + r * stride)) != first) return false;
  return true;
}

void copy_complex(fftw_complex* to, const fftw_complex* from, std::size_t count) {
  std::memcpy(to, from, count * sizeof(fftw_complex));
}
}  // namespace

BlockedConvolution::BlockedConvolution(const Grid& grid, unsigned planner_flags, double* input,
                                       double* const* outputs, const double* const* symbols,
                                       int count, int threads)
    : dim_(grid.dim),
      n_(static_cast<std::size_t>(grid.n)),
      half_(static_cast<std::size_t>(grid.n / 2 + 1)),
      rows_(grid.cells() / static_cast<std::size_t>(grid.n)),
      cells_(grid.cells()),
      spectral_cells_(grid.spectral_cells()),
      slabs_(grid.dim == 1 ? 1 : static_cast<std::size_t>(grid.n)),
      slab_rows_(grid.dim == 3 ? static_cast<std::size_t>(grid.n) : 1),
      column_count_(grid.spectral_cells() / static_cast<std::size_t>(grid.n)),
      symbols_(count),
      threads_(std::max(1, threads)),
      parallel_(static_cast<std::ptrdiff_t>(grid.cells()) >= kParallelCells) {
  if (symbols_ < 1 || symbols_ > 2) throw std::logic_error("BlockedConvolution: 1 or 2 symbols");
  split_column_blocks();
  reorder_symbols(symbols);
  allocate_spectra();
  allocate_slab_buffers();
  // All plans single-threaded: the threads are this object's loops over slabs and blocks.
  configure_fft_threads(1);
  const bool rows = plan_rows(planner_flags, input, outputs);
  const bool middle = plan_middle_axis(planner_flags);
  const bool blocks = plan_column_blocks(planner_flags);
  if (!(rows && middle && blocks)) throw std::runtime_error("FFTW could not plan the transforms");
}

void BlockedConvolution::split_column_blocks() {
  // Column blocks of at most kMaxBlockWidth columns (and kBlockComplexValues values), as many
  // as a multiple of the thread count so that the static split gives every thread the same
  // work: widths `narrow_width_` and, for the first `wide_blocks_` blocks, one more.
  const std::size_t widest = std::clamp<std::size_t>(kBlockComplexValues / n_, 1, kMaxBlockWidth);
  if (dim_ >= 2) {
    const std::size_t t = static_cast<std::size_t>(threads_);
    blocks_ = (column_count_ + widest - 1) / widest;
    if (column_count_ >= t) blocks_ = std::min(column_count_, (blocks_ + t - 1) / t * t);
    narrow_width_ = column_count_ / blocks_;
    wide_blocks_ = column_count_ % blocks_;
  }
  block_width_ = static_cast<int>(narrow_width_ + (wide_blocks_ > 0 ? 1 : 0));
}

void BlockedConvolution::reorder_symbols(const double* const* symbols) {
  // The symbols in the column pass' order: transposed, slow axis fastest (index r·C + c at
  // c·N + r), so that block j's values are one contiguous run.
  for (int k = 0; k < symbols_; ++k) {
    std::vector<double>& blocked = symbols_blocked_[k];
    blocked.resize(spectral_cells_);
    if (dim_ == 1) {
      std::copy(symbols[k], symbols[k] + spectral_cells_, blocked.begin());
      continue;
    }
    for (std::size_t r = 0; r < n_; ++r)
      for (std::size_t c = 0; c < column_count_; ++c)
        blocked[c * n_ + r] = symbols[k][r * column_count_ + c];
  }
}

void BlockedConvolution::allocate_spectra() {
  for (int k = 0; k < symbols_; ++k) {
    spectrum_[k] = fftw_alloc_complex(spectral_cells_);
    if (k == 0) input_spectrum_ = spectrum_[0];
    if (!spectrum_[k]) throw std::runtime_error("out of memory for FFT buffers");
    advise_huge_pages(spectrum_[k], spectral_cells_ * sizeof(fftw_complex));
  }
  if (dim_ >= 2) {
    alternate_ = fftw_alloc_complex(spectral_cells_);
    if (!alternate_) throw std::runtime_error("out of memory for FFT buffers");
    advise_huge_pages(alternate_, spectral_cells_ * sizeof(fftw_complex));
  }
  if (dim_ >= 2) {
    // Separate allocations per thread and symbol: all share the planned buffer's alignment.
    const std::size_t per_buffer = static_cast<std::size_t>(block_width_) * n_;
    buffers_.assign(static_cast<std::size_t>(threads_ * symbols_), nullptr);
    for (auto& b : buffers_) {
      b = fftw_alloc_complex(per_buffer);
      if (!b) throw std::runtime_error("out of memory for FFT buffers");
    }
  }
}

void BlockedConvolution::allocate_slab_buffers() {
  // Per thread: an input slab, a ring of three output slabs and one slab's spectrum.
  const std::size_t slab = slab_cells(), slab_spectral = slab_rows_ * half_;
  slab_buffers_.assign(static_cast<std::size_t>(threads_), nullptr);
  output_rings_.assign(static_cast<std::size_t>(threads_), nullptr);
  slab_spectra_.assign(static_cast<std::size_t>(threads_), nullptr);
  for (std::size_t t = 0; t < slab_buffers_.size(); ++t) {
    slab_buffers_[t] = fftw_alloc_real(slab);
    output_rings_[t] = fftw_alloc_real(3 * slab);
    slab_spectra_[t] = fftw_alloc_complex(slab_spectral);
    if (!slab_buffers_[t] || !output_rings_[t] || !slab_spectra_[t])
      throw std::runtime_error("out of memory for FFT buffers");
    std::fill(slab_buffers_[t], slab_buffers_[t] + slab, 0.0);
    std::fill(output_rings_[t], output_rings_[t] + 3 * slab, 0.0);
    std::memset(slab_spectra_[t], 0, slab_spectral * sizeof(fftw_complex));
  }
}

bool BlockedConvolution::rows_aligned(double* input, double* const* outputs) const {
  const std::size_t slab = slab_cells();
  bool aligned = rows_share_alignment(input, n_, rows_) &&
                 rows_share_alignment(spectrum_[0], half_, rows_) &&
                 (!alternate_ || fftw_alignment_of(reinterpret_cast<double*>(alternate_)) ==
                                     fftw_alignment_of(reinterpret_cast<double*>(spectrum_[0])));
  for (int k = 0; k < symbols_; ++k) aligned = aligned && rows_share_alignment(outputs[k], n_, rows_);
  for (double* b : slab_buffers_)
    aligned = aligned && fftw_alignment_of(b) == fftw_alignment_of(input);
  for (std::size_t t = 0; t < output_rings_.size(); ++t) {
    for (std::size_t position = 0; position < 3; ++position)
      aligned = aligned && rows_share_alignment(output_rings_[t] + position * slab, n_, slab_rows_) &&
                fftw_alignment_of(output_rings_[t] + position * slab) == fftw_alignment_of(outputs[0]);
    aligned = aligned && rows_share_alignment(slab_spectra_[t], half_, slab_rows_) &&
              fftw_alignment_of(reinterpret_cast<double*>(slab_spectra_[t])) ==
                  fftw_alignment_of(reinterpret_cast<double*>(spectrum_[0]));
  }
  return aligned;
}

bool BlockedConvolution::plan_rows(unsigned planner_flags, double* input, double* const* outputs) {
  const int n = static_cast<int>(n_);
  const unsigned row_flags = planner_flags | (rows_aligned(input, outputs) ? 0u : FFTW_UNALIGNED);
  row_forward_ = fftw_plan_many_dft_r2c(1, &n, 1, input, nullptr, 1, n, spectrum_[0], nullptr, 1,
                                        static_cast<int>(half_), row_flags);
  row_inverse_ = fftw_plan_many_dft_c2r(1, &n, 1, spectrum_[0], nullptr, 1, static_cast<int>(half_),
                                        outputs[0], nullptr, 1, n, row_flags | FFTW_DESTROY_INPUT);
  return row_forward_ && row_inverse_;
}

bool BlockedConvolution::plan_middle_axis(unsigned planner_flags) {
  if (dim_ != 3) return true;
  const int n = static_cast<int>(n_);
  const std::size_t plane = n_ * half_;
  bool planes_aligned = rows_share_alignment(spectrum_[0], plane, n_);
  for (fftw_complex* p : slab_spectra_)
    planes_aligned = planes_aligned && fftw_alignment_of(reinterpret_cast<double*>(p)) ==
                                           fftw_alignment_of(reinterpret_cast<double*>(spectrum_[0]));
  const unsigned plane_flags = planner_flags | (planes_aligned ? 0u : FFTW_UNALIGNED);
  const int h = static_cast<int>(half_);
  middle_forward_ = fftw_plan_many_dft(1, &n, h, spectrum_[0], nullptr, h, 1, spectrum_[0],
                                       nullptr, h, 1, FFTW_FORWARD, plane_flags);
  middle_inverse_ = fftw_plan_many_dft(1, &n, h, spectrum_[0], nullptr, h, 1, spectrum_[0],
                                       nullptr, h, 1, FFTW_BACKWARD, plane_flags);
  return middle_forward_ && middle_inverse_;
}

bool BlockedConvolution::plan_column_blocks(unsigned planner_flags) {
  if (dim_ < 2) return true;
  const int n = static_cast<int>(n_);
  auto plan_block = [&](int width, int direction) {
    return fftw_plan_many_dft(1, &n, width, buffers_[0], nullptr, 1, n, buffers_[0], nullptr, 1,
                              n, direction, planner_flags);
  };
  narrow_forward_ = plan_block(static_cast<int>(narrow_width_), FFTW_FORWARD);
  narrow_inverse_ = plan_block(static_cast<int>(narrow_width_), FFTW_BACKWARD);
  bool planned = narrow_forward_ && narrow_inverse_;
  if (wide_blocks_ > 0) {
    wide_forward_ = plan_block(block_width_, FFTW_FORWARD);
    wide_inverse_ = plan_block(block_width_, FFTW_BACKWARD);
    planned = planned && wide_forward_ && wide_inverse_;
  }
  return planned;
}

BlockedConvolution::~BlockedConvolution() {
  for (fftw_plan p : {row_forward_, row_inverse_, middle_forward_, middle_inverse_, wide_forward_,
                      wide_inverse_, narrow_forward_, narrow_inverse_})
    if (p) fftw_destroy_plan(p);
  for (fftw_complex* s : spectrum_) fftw_free(s);
  fftw_free(alternate_);
  for (fftw_complex* b : buffers_) fftw_free(b);
  for (double* b : slab_buffers_) fftw_free(b);
  for (double* b : output_rings_) fftw_free(b);
  for (fftw_complex* b : slab_spectra_) fftw_free(b);
}

const double* BlockedConvolution::inverse_slab(std::size_t index, int thread, int position) {
  const std::size_t slab_spectral = slab_rows_ * half_;
  fftw_complex* spectrum = slab_spectra_[static_cast<std::size_t>(thread)];
  double* out = output_rings_[static_cast<std::size_t>(thread)] +
                static_cast<std::size_t>(position) * slab_cells();
  // A copy: the inverse passes work in place, and a neighbouring thread may need the same slab.
  copy_complex(spectrum, convolved_ + index * slab_spectral, slab_spectral);
  inverse_slab_into(spectrum, out);
  return out;
}

void BlockedConvolution::forward_slab_into(const double* slab, fftw_complex* spectrum) const {
  double* in = const_cast<double*>(slab);  // (FFTW's signature; an out-of-place r2c keeps it)
  for (std::size_t r = 0; r < slab_rows_; ++r)
    fftw_execute_dft_r2c(row_forward_, in + r * n_, spectrum + r * half_);
  if (dim_ == 3) fftw_execute_dft(middle_forward_, spectrum, spectrum);
}

void BlockedConvolution::inverse_slab_into(fftw_complex* spectrum, double* output) const {
  if (dim_ == 3) fftw_execute_dft(middle_inverse_, spectrum, spectrum);
  for (std::size_t r = 0; r < slab_rows_; ++r)
    fftw_execute_dft_c2r(row_inverse_, spectrum + r * half_, output + r * n_);
}

void BlockedConvolution::run(const double* input, bool multiply, fftw_complex* kept,
                             double* const* outputs) {
  forward(input);
  finish(multiply, kept, outputs);
}

void BlockedConvolution::finish(bool multiply, fftw_complex* kept, double* const* outputs) {
  convolve_columns(multiply, kept);
  for (int k = 0; k < symbols_; ++k) inverse_rows(k == 0 ? input_spectrum_ : spectrum_[1], outputs[k]);
}

void BlockedConvolution::forward_slab(std::size_t index, const double* slab) {
  forward_slab_into(slab, input_spectrum_ + index * slab_rows_ * half_);
}

void BlockedConvolution::forward(const double* input) {
  const std::ptrdiff_t slabs = static_cast<std::ptrdiff_t>(slabs_);
#pragma omp parallel for num_threads(threads_) schedule(static) if (parallel_)
  for (std::ptrdiff_t j = 0; j < slabs; ++j)
    forward_slab(static_cast<std::size_t>(j), input + static_cast<std::size_t>(j) * slab_cells());
}

void BlockedConvolution::inverse_rows(fftw_complex* spectrum, double* output) {
  const std::ptrdiff_t slabs = static_cast<std::ptrdiff_t>(slabs_);
#pragma omp parallel for num_threads(threads_) schedule(static) if (parallel_)
  for (std::ptrdiff_t j = 0; j < slabs; ++j) {
    const std::size_t slab = static_cast<std::size_t>(j);
    inverse_slab_into(spectrum + slab * slab_rows_ * half_, output + slab * slab_cells());
  }
}

void BlockedConvolution::multiply(fftw_complex* values, const double* symbol, std::size_t count) {
  for (std::size_t i = 0; i < count; ++i) {
    values[i][0] = symbol[i] * values[i][0];
    values[i][1] = symbol[i] * values[i][1];
  }
}

void BlockedConvolution::columns(bool multiply, fftw_complex* kept) {
  // In place; then the next input's forward slabs go to the other spectrum, since they may
  // arrive while this one's inverse slabs are still being made.
  convolve_columns(multiply, kept);
  convolved_ = input_spectrum_;
  input_spectrum_ = input_spectrum_ == spectrum_[0] ? alternate_ : spectrum_[0];
}

void BlockedConvolution::convolve_columns(bool multiply_by_symbols, fftw_complex* kept) {
  if (dim_ == 1) {
    // One row: the forward transform is already whole; multiply in place.
    fftw_complex* s0 = spectrum_[0];
    if (kept) copy_complex(kept, s0, spectral_cells_);
    if (!multiply_by_symbols) {
      if (symbols_ == 2) copy_complex(spectrum_[1], s0, spectral_cells_);
      return;
    }
    for (int k = symbols_ - 1; k >= 0; --k) {
      const double* m = symbols_blocked_[k].data();
      fftw_complex* out = spectrum_[k];
      for (std::size_t s = 0; s < spectral_cells_; ++s) {
        const double re = s0[s][0], im = s0[s][1];
        out[s][0] = m[s] * re;
        out[s][1] = m[s] * im;
      }
    }
    return;
  }
  const std::ptrdiff_t blocks = static_cast<std::ptrdiff_t>(blocks_);
#pragma omp parallel for num_threads(threads_) schedule(static) if (parallel_)
  for (std::ptrdiff_t block = 0; block < blocks; ++block) {
    const std::size_t j = static_cast<std::size_t>(block);
    const bool wide = j < wide_blocks_;
    const std::size_t first = j * narrow_width_ + std::min(j, wide_blocks_);
    const int width = static_cast<int>(narrow_width_ + (wide ? 1 : 0));
    fftw_plan forward = wide ? wide_forward_ : narrow_forward_;
    fftw_plan inverse = wide ? wide_inverse_ : narrow_inverse_;
    const std::size_t w = static_cast<std::size_t>(width);
    const std::size_t thread = static_cast<std::size_t>(omp_get_thread_num());
    fftw_complex* buffer = buffers_[thread * static_cast<std::size_t>(symbols_)];
    fftw_complex* second = symbols_ == 2 ? buffers_[thread * 2 + 1] : nullptr;
    // Gather: column b of the block is buffer[b·n … b·n + n) (each transform contiguous).
    auto gather = [&](fftw_complex* to, const fftw_complex* from) {
      for (std::size_t r = 0; r < n_; ++r) {
        const fftw_complex* row = from + r * column_count_ + first;
        for (std::size_t b = 0; b < w; ++b) {
          to[b * n_ + r][0] = row[b][0];
          to[b * n_ + r][1] = row[b][1];
        }
      }
    };
    auto scatter = [&](fftw_complex* to, const fftw_complex* from) {
      for (std::size_t r = 0; r < n_; ++r) {
        fftw_complex* row = to + r * column_count_ + first;
        for (std::size_t b = 0; b < w; ++b) {
          row[b][0] = from[b * n_ + r][0];
          row[b][1] = from[b * n_ + r][1];
        }
      }
    };
    gather(buffer, input_spectrum_);
    fftw_execute_dft(forward, buffer, buffer);
    if (kept) copy_complex(kept + first * n_, buffer, w * n_);  // transposed: c·N + r
    if (symbols_ == 2) {
      copy_complex(second, buffer, w * n_);
      if (multiply_by_symbols) multiply(second, symbols_blocked_[1].data() + first * n_, w * n_);
      fftw_execute_dft(inverse, second, second);
      scatter(spectrum_[1], second);
    }
    if (multiply_by_symbols) multiply(buffer, symbols_blocked_[0].data() + first * n_, w * n_);
    fftw_execute_dft(inverse, buffer, buffer);
    scatter(input_spectrum_, buffer);
  }
}

}  // namespace wgf::detail
