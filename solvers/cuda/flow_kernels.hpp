#pragma once
// Launchers of the CUDA grid solver's kernels (flow_kernels.cu). Each kernel is small, named for
// what it computes, and a thin loop over a per-cell function of fv_cell.hpp, whose CPU
// reference is the CPU solver (tests/test_cuda_cell_reference.cpp: the per-cell functions
// emulated on the host, and the kernels themselves on a GPU; tests/test_backend_parity.cpp: whole
// runs against FlowSolver). Included by .cu files only.
#include <cuda_runtime.h>

#include "fv_cell.hpp"

namespace wgf::cuda_solver {

using cuda_cell::Chunking;
using cuda_cell::Complex;
using cuda_cell::FieldSummary;
using cuda_cell::Geometry;
using cuda_cell::Index;

inline constexpr int kMaxEnergies = 4;  // energy diagnostics registered at once
inline constexpr int kMaxModes = 64;    // tracked modes
inline constexpr int kBlockThreads = 256;

// The scalars a step hands to the host, in one copy: max |u| of the three sweeps of a step
// (stage 2, stage 3, refresh), the summaries of p and q (sums in cell units), the weighted power
// sums of the energy symbols and ŵ at the tracked modes.
struct StepScalars {
  double speed[3];
  FieldSummary summary[2];
  double energy_sum[kMaxEnergies];
  double mode_re[kMaxModes];
  double mode_im[kMaxModes];
};

// Thread blocks of the column sweep: 3D (32, 8) over (axis 2, axis 1) × chunks of axis 0; 2D
// 256 over axis 1 × chunks; 1D 256 over chunks.
struct SweepShape {
  dim3 block, grid;
  Chunking chunking;
  Index blocks() const { return Index(grid.x) * grid.y * grid.z; }
};
// Chunks long enough to amortise a column's prologue (≥ 8 cells where the grid allows) and
// enough of them to fill `resident_threads` several times over.
SweepShape make_sweep_shape(int dim, Index n, Index resident_threads);
SweepShape make_sweep_shape(int dim, Index n, Chunking chunking);

// A swept species: ρ (rate non-null: the first RK stage ρ + dt·rate, formed as read), Φ·scale.
template <class Real>
struct SweepSpecies {
  const Real* rho;
  const Real* rate;
  const Real* phi;
  Real scale;
};

// The refresh sweep: rate[k] = dρ_k/dt for ns ∈ {1, 2} species; per block, max |u| into
// speed_partials[block] and the summaries of the swept densities into
// summary_partials[k][block].
template <class Real>
void launch_rate_sweep(const Geometry<Real>& g, const SweepShape& shape, int ns,
                       const SweepSpecies<Real>* species, Real* const* rate,
                       double* speed_partials, FieldSummary* const* summary_partials,
                       cudaStream_t stream);

// One SSP-RK stage sweep: next[k] = a x[k] + b (y_k + dt L_k) and w = p_next − q_next (fixed
// fields for species not swept), with y the swept density; dt_first is the dt of the species'
// on-the-fly first stage (species[k].rate non-null). Per block, max |u| into speed_partials.
template <class Real>
struct StageParams {
  Real a, b, dt;
  const Real* x[2];
  Real* next[2];
  int slot_p, slot_q;
  const Real* fixed_p;
  const Real* fixed_q;
  Real* w;
};
template <class Real>
void launch_stage_sweep(const Geometry<Real>& g, const SweepShape& shape, int ns,
                        const SweepSpecies<Real>* species, Real dt_first,
                        const StageParams<Real>& stage, double* speed_partials,
                        cudaStream_t stream);

// w = y_p − y_q, y = ρ + dt·rate where rate is non-null, else ρ (refresh: w = p − q).
template <class Real>
void launch_form_difference(Index cells, const Real* p, const Real* rate_p, const Real* q,
                            const Real* rate_q, Real dt, Real* w, cudaStream_t stream);

// Summary (sum, min, max, first argmax) of one field, per block into partials[block]; the grid
// has `blocks` blocks (grid-stride).
template <class Real>
void launch_summarise_field(Index cells, const Real* field, Index blocks, FieldSummary* partials,
                            cudaStream_t stream);

// Φ̂ = m ŵ for the inverse transforms (see cuda_cell::multiply_symbols) over `spectral` cells;
// with energies > 0 also the weighted power sums of the energy symbols of ŵ (read before it
// is overwritten), per block into energy_partials[e · blocks + block]. multiply = false: the
// sums alone, ŵ left as it is.
template <class Real>
void launch_spectral_pass(Index n, Index spectral, Complex<Real>* spectrum, Complex<Real>* work,
                          const Real* symbol_0, const Real* symbol_1, bool multiply,
                          int energies, const Real* const* energy_symbols, Index blocks,
                          double* energy_partials, cudaStream_t stream);

// ŵ at the tracked half-spectrum indices into out->mode_re/mode_im.
template <class Real>
void launch_gather_modes(const Complex<Real>* spectrum, int count, const Index* indices,
                         StepScalars* out, cudaStream_t stream);

// The 5^d cells around `peak` (cuda_cell::patch_cell), as doubles.
template <class Real>
void launch_gather_patch(int dim, Index n, const Real* field, Index peak, double* patch,
                         cudaStream_t stream);

// Reduces the per-block partials into `out`: speeds (null pointers skipped), summaries of p and
// q (null: left as they are), the energy sums.
struct FinalizeJob {
  const double* speed[3] = {nullptr, nullptr, nullptr};
  Index speed_blocks[3] = {0, 0, 0};
  const FieldSummary* summary[2] = {nullptr, nullptr};
  Index summary_blocks[2] = {0, 0};
  const double* energy = nullptr;
  Index energy_blocks = 0;
  int energies = 0;
};
void launch_finalize(const FinalizeJob& job, StepScalars* out, cudaStream_t stream);

}  // namespace wgf::cuda_solver
