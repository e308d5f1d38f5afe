// The grid solver's convolution (solvers/blocked_convolution.hpp: FFTW's one-dimensional passes,
// the symbol multiply inside the slow axis' column blocks) against the plain computation it
// replaces: FFTW's d-dimensional r2c of the input, a multiply over the whole half spectrum, and
// FFTW's d-dimensional c2r. Different order of passes, so agreement is to rounding: the
// tolerance 1e-13 relative to the largest output value is ~500 ulp, well above the ~log2(N^d)
// ulp expected of two transforms of ≤ 2^15 points and far below any indexing or layout error
// (which moves values by O(1) of their size). Also: the spectrum kept for the diagnostics
// equals FFTW's r2c output to the same tolerance (after its documented transposition); the
// slab-by-slab paths (input slabs handed over, output slabs made on demand while the next input
// arrives) give exactly the bits of the whole-grid path, whatever order and thread; and the
// result does not depend on the thread count, bit for bit.
#include <doctest/doctest.h>

#include <fftw3.h>
#include <omp.h>

#include <algorithm>
#include <cmath>
#include <complex>
#include <cstring>
#include <numeric>
#include <random>
#include <string>
#include <vector>

#include "wgf/grid.hpp"
#include "../solvers/blocked_convolution.hpp"

using namespace wgf;

namespace {

struct Fftw {
  double* real;
  fftw_complex* spectrum;
  std::size_t cells, spectral;
  explicit Fftw(const Grid& g) : cells(g.cells()), spectral(g.spectral_cells()) {
    real = fftw_alloc_real(cells);
    spectrum = fftw_alloc_complex(spectral);
  }
  ~Fftw() {
    fftw_free(real);
    fftw_free(spectrum);
  }
};

// FFTW's own d-dimensional transforms: spectrum of `input`, and F⁻¹[m · F[input]] per symbol.
void reference(const Grid& g, const std::vector<double>& input,
               const std::vector<std::vector<double>>& symbols, std::vector<std::complex<double>>& kept,
               std::vector<std::vector<double>>& outputs) {
  Fftw a(g);
  int dims[3] = {static_cast<int>(g.n), static_cast<int>(g.n), static_cast<int>(g.n)};
  fftw_plan_with_nthreads(1);
  fftw_plan forward = fftw_plan_dft_r2c(g.dim, dims, a.real, a.spectrum, FFTW_ESTIMATE);
  fftw_plan inverse = fftw_plan_dft_c2r(g.dim, dims, a.spectrum, a.real, FFTW_ESTIMATE);
  std::copy(input.begin(), input.end(), a.real);
  fftw_execute(forward);
  kept.assign(a.spectral, {});
  std::memcpy(kept.data(), a.spectrum, a.spectral * sizeof(fftw_complex));
  outputs.clear();
  for (const auto& m : symbols) {
    for (std::size_t s = 0; s < a.spectral; ++s) {
      a.spectrum[s][0] = m[s] * kept[s].real();
      a.spectrum[s][1] = m[s] * kept[s].imag();
    }
    fftw_execute(inverse);
    outputs.emplace_back(a.real, a.real + a.cells);
  }
  fftw_destroy_plan(forward);
  fftw_destroy_plan(inverse);
}

double max_abs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

struct Case {
  int dim;
  long n;
};

// Sizes with full blocks only, a narrower last block, odd rows (unaligned row plans), and a
// slow axis shorter than one block.
const Case kCases[] = {{1, 64}, {1, 13}, {2, 64}, {2, 13}, {2, 6}, {2, 5},  {2, 128},
                       {3, 16}, {3, 9},  {3, 6},  {3, 5},  {2, 1}, {3, 2}};

}  // namespace

TEST_CASE("blocked convolution equals FFTW's d-dimensional r2c, multiply, c2r to rounding") {
  for (const Case& c : kCases) {
    for (int symbols : {1, 2}) {
      Grid g;
      g.dim = c.dim;
      g.n = c.n;
      const std::size_t cells = g.cells(), spectral = g.spectral_cells();
      std::mt19937_64 rng(17 + static_cast<unsigned>(c.dim * 100 + c.n));
      std::uniform_real_distribution<double> u(-1, 1);
      std::vector<double> input(cells);
      for (double& x : input) x = u(rng);
      std::vector<std::vector<double>> m(static_cast<std::size_t>(symbols), std::vector<double>(spectral));
      for (auto& sym : m)
        for (double& x : sym) x = u(rng) / static_cast<double>(cells);

      std::vector<std::complex<double>> want_kept;
      std::vector<std::vector<double>> want;
      reference(g, input, m, want_kept, want);

      std::vector<double*> out(2, nullptr);
      std::vector<double*> owned;
      for (int k = 0; k < symbols; ++k) owned.push_back(fftw_alloc_real(cells));
      for (int k = 0; k < symbols; ++k) out[static_cast<std::size_t>(k)] = owned[static_cast<std::size_t>(k)];
      double* in = fftw_alloc_real(cells);
      fftw_complex* kept = fftw_alloc_complex(spectral);
      const double* sym_ptrs[2] = {m[0].data(), symbols == 2 ? m[1].data() : nullptr};
      detail::BlockedConvolution conv(g, FFTW_ESTIMATE, in, out.data(), sym_ptrs, symbols,
                                      omp_get_max_threads());
      std::copy(input.begin(), input.end(), in);
      conv.run(in, true, kept, out.data());

      const std::string where = std::to_string(c.dim) + "D n=" + std::to_string(c.n) + ", " +
                                std::to_string(symbols) + " symbol(s)";
      CAPTURE(where);
      double kept_scale = 0, kept_error = 0;
      // The kept spectrum is transposed: index s = r·C + c at c·N + r (1D: at s).
      const std::size_t rows = c.dim == 1 ? 1 : static_cast<std::size_t>(c.n);
      const std::size_t columns = spectral / rows;
      for (std::size_t s = 0; s < spectral; ++s) {
        const std::size_t at = s % columns * rows + s / columns;
        const std::complex<double> got(kept[at][0], kept[at][1]);
        kept_scale = std::max(kept_scale, std::abs(want_kept[s]));
        kept_error = std::max(kept_error, std::abs(got - want_kept[s]));
      }
      CHECK(kept_error <= 1e-13 * kept_scale);
      for (int k = 0; k < symbols; ++k) {
        const std::vector<double>& w = want[static_cast<std::size_t>(k)];
        double error = 0;
        for (std::size_t i = 0; i < cells; ++i) error = std::max(error, std::fabs(out[static_cast<std::size_t>(k)][i] - w[i]));
        CHECK(max_abs(w) > 0);
        CHECK(error <= 1e-13 * max_abs(w));
      }

      // Slab by slab (d ≥ 2), slabs handed over in reverse order from the last thread's buffer:
      // the same bits as the whole-input run.
      if (c.dim >= 2) {
        std::vector<std::vector<double>> whole;
        for (int k = 0; k < symbols; ++k) whole.emplace_back(out[static_cast<std::size_t>(k)], out[static_cast<std::size_t>(k)] + cells);
        const std::size_t slab = conv.slab_cells();
        REQUIRE(slab * static_cast<std::size_t>(g.n) == cells);
        double* buffer = conv.slab_buffer(conv.threads() - 1);
        for (long i = g.n - 1; i >= 0; --i) {
          std::copy(input.begin() + static_cast<std::ptrdiff_t>(i * slab),
                    input.begin() + static_cast<std::ptrdiff_t>((i + 1) * slab), buffer);
          conv.forward_slab(static_cast<std::size_t>(i), buffer);
        }
        for (int k = 0; k < symbols; ++k) std::fill(out[static_cast<std::size_t>(k)], out[static_cast<std::size_t>(k)] + cells, 0.0);
        conv.finish(true, nullptr, out.data());
        for (int k = 0; k < symbols; ++k)
          CHECK(std::memcmp(out[static_cast<std::size_t>(k)], whole[static_cast<std::size_t>(k)].data(), cells * sizeof(double)) == 0);

        // The inverse side by slabs (one symbol): the first output's slabs, made in any order
        // and more than once, while the slabs of the next input are already arriving.
        if (symbols == 1) {
          for (long i = 0; i < g.n; ++i) {
            std::copy(input.begin() + static_cast<std::ptrdiff_t>(i * slab),
                      input.begin() + static_cast<std::ptrdiff_t>((i + 1) * slab), buffer);
            conv.forward_slab(static_cast<std::size_t>(i), buffer);
          }
          conv.columns(true, nullptr);
          std::vector<double> next_input(slab);
          bool same = true;
          for (long pass = 0; pass < 2; ++pass) {
            for (long i = g.n - 1; i >= 0; --i) {
              // A different input's slab i goes in first (it must not disturb the output's).
              for (double& x : next_input) x = u(rng);
              conv.forward_slab(static_cast<std::size_t>(i), next_input.data());
              const double* got = conv.inverse_slab(static_cast<std::size_t>(i), conv.threads() - 1,
                                                    static_cast<int>((i + pass) % 3));
              same = same && std::memcmp(got, whole[0].data() + i * static_cast<long>(slab),
                                         slab * sizeof(double)) == 0;
            }
          }
          CHECK(same);
        }
      }

      // The transforms alone (no multiply) return N^d times the input.
      std::copy(input.begin(), input.end(), in);
      conv.run(in, false, nullptr, out.data());
      double round_trip = 0;
      for (std::size_t i = 0; i < cells; ++i)
        round_trip = std::max(round_trip, std::fabs(out[0][i] / static_cast<double>(cells) - input[i]));
      CHECK(round_trip <= 1e-13);

      fftw_free(in);
      fftw_free(kept);
      for (double* p : owned) fftw_free(p);
    }
  }
}

TEST_CASE("blocked convolution: the same bits on 1 and 2 threads") {
  for (const Case& c : {Case{2, 256}, Case{3, 32}}) {  // above the parallel threshold
    Grid g;
    g.dim = c.dim;
    g.n = c.n;
    const std::size_t cells = g.cells(), spectral = g.spectral_cells();
    std::mt19937_64 rng(5);
    std::uniform_real_distribution<double> u(-1, 1);
    std::vector<double> symbol(spectral);
    for (double& x : symbol) x = u(rng);
    double* in = fftw_alloc_real(cells);
    for (std::size_t i = 0; i < cells; ++i) in[i] = u(rng);
    std::vector<std::vector<double>> results;
    for (int threads : {1, 2}) {
      double* out = fftw_alloc_real(cells);
      double* outs[1] = {out};
      const double* syms[1] = {symbol.data()};
      detail::BlockedConvolution conv(g, FFTW_ESTIMATE, in, outs, syms, 1, threads);
      conv.run(in, true, nullptr, outs);
      results.emplace_back(out, out + cells);
      fftw_free(out);
    }
    CAPTURE(c.dim);
    CHECK(std::memcmp(results[0].data(), results[1].data(), cells * sizeof(double)) == 0);
    fftw_free(in);
  }
}
