// The CUDA grid solver (include/wgf/solvers/cuda_flow_solver.hpp): buffers, cuFFT plans and the step
// logic. The step logic is FlowSolver::step's, decision for decision; the kernels it launches
// are in flow_kernels.cu.
#include "wgf/solvers/cuda_flow_solver.hpp"

#include <cuda_runtime.h>
#include <cufft.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>
#include <vector>

#include "wgf/device/cuda_check.hpp"
#include "cuda_grid_solver.hpp"
#include "wgf/errors.hpp"
#include "wgf/solvers/potential_symbols.hpp"

namespace wgf {

using namespace cuda_solver;
using namespace device;


template <class Real>
CudaGridSolver<Real>::CudaGridSolver(const Grid& grid, const Dynamics& dynamics,
                                     const SolverOptions& options, const DeviceInfo& device)
    : grid_(grid),
      options_(options),
      device_(device),
      detector_(grid, options.concentration_mass, options.unresolved_ratio),
      cells_(static_cast<Index>(grid.cells())),
      spectral_(static_cast<Index>(grid.spectral_cells())) {
  dynamics.require_motion();
  WGF_CUDA_CHECK(cudaSetDevice(device_.id));
  PotentialSymbols symbols = make_potential_symbols(grid, dynamics);
  moves_[kP] = symbols.moves_p;
  moves_[kQ] = symbols.moves_q;
  for (int s : {kP, kQ})
    if (moves_[s]) swept_[ns_++] = s;
  proportional_ = symbols.proportional;
  q_over_p_ = symbols.q_over_p;
  max_rate_per_density_ = symbols.max_rate_per_density;
  std::vector<const std::vector<double>*> inverse_symbols;
  if (moves_[kP]) inverse_symbols.push_back(&symbols.p);
  if (moves_[kQ] && !proportional_) inverse_symbols.push_back(&symbols.q);
  inverses_ = static_cast<int>(inverse_symbols.size());

  const double inv_h = 1.0 / grid.h();
  Index plane = 1;
  for (int a = 1; a < grid.dim; ++a) plane *= grid.n;
  geometry_ = {grid.dim, grid.n, plane, static_cast<Real>(inv_h), -static_cast<Real>(inv_h)};
  shape_ = make_sweep_shape(grid.dim, grid.n, device_.resident_threads());
  const Index resident_blocks = device_.resident_threads() / kBlockThreads;
  field_blocks_ = std::max<Index>(1, std::min<Index>((cells_ + kBlockThreads - 1) / kBlockThreads, resident_blocks));
  spectral_blocks_ = std::max<Index>(1, std::min<Index>((spectral_ + kBlockThreads - 1) / kBlockThreads, resident_blocks));

  // Plans first (they tell their work size), then everything else, if it fits.
  // A blocking stream: the synchronous copies of set-up (symbols, registrations) on the legacy
  // default stream are ordered with it.
  WGF_CUDA_CHECK(cudaStreamCreate(&stream_.handle));
  plans_.plan(grid.dim, grid.n, stream_);
  const double field_bytes = static_cast<double>(cells_) * sizeof(Real);
  const double spectral_bytes = static_cast<double>(spectral_) * sizeof(Real);
  const double need = field_bytes * (2 + 4 * ns_ + 1 + inverses_) +
                      spectral_bytes * (2.0 * (inverses_ == 2 ? 2 : 1) + inverses_) +
                      static_cast<double>(plans_.work_bytes());
  std::size_t free_bytes = 0, total_bytes = 0;
  WGF_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
  if (need > 0.95 * static_cast<double>(free_bytes))
    throw InputError("--n " + std::to_string(grid.n) + " in " + std::to_string(grid.dim) +
                     "D needs " + std::to_string(need / (1 << 30)) + " GiB on the GPU, " +
                     std::to_string(static_cast<double>(free_bytes) / (1 << 30)) + " GiB free");

  for (int s : {kP, kQ}) state_[s] = DeviceArray<Real>(cells_);
  for (int k = 0; k < ns_; ++k) {
    const int s = swept_[k];
    stage_[s] = DeviceArray<Real>(cells_);
    next_[s] = DeviceArray<Real>(cells_);
    rate_[s] = DeviceArray<Real>(cells_);
    rate_next_[s] = DeviceArray<Real>(cells_);
  }
  w_ = DeviceArray<Real>(cells_);
  for (int i = 0; i < inverses_; ++i) phi_[i] = DeviceArray<Real>(cells_);
  spectrum_ = DeviceArray<Complex<Real>>(spectral_);
  if (inverses_ == 2) work_ = DeviceArray<Complex<Real>>(spectral_);
  for (int i = 0; i < inverses_; ++i) {
    std::vector<Real> values(inverse_symbols[i]->begin(), inverse_symbols[i]->end());
    inverse_symbol_[i] = DeviceArray<Real>(spectral_);
    WGF_CUDA_CHECK(cudaMemcpy(inverse_symbol_[i].get(), values.data(), spectral_ * sizeof(Real),
                              cudaMemcpyHostToDevice));
  }
  plans_.allocate_work_area();
  const Index partials = std::max(shape_.blocks(), field_blocks_);
  for (auto& a : speed_partials_) a = DeviceArray<double>(shape_.blocks());
  for (auto& a : summary_partials_) a = DeviceArray<FieldSummary>(partials);
  energy_partials_ = DeviceArray<double>(spectral_blocks_ * kMaxEnergies);
  patch_ = DeviceArray<double>(125);
  scalars_ = DeviceArray<StepScalars>(1);
  host_scalars_ = PinnedArray<StepScalars>(1);
  host_patch_ = PinnedArray<double>(125);
  mode_index_ = DeviceArray<Index>(kMaxModes);
  WGF_CUDA_CHECK(cudaMemset(scalars_.get(), 0, sizeof(StepScalars)));
  if (sizeof(Real) != sizeof(double)) staging_.resize(cells_);
}

template <class Real>
void CudaGridSolver<Real>::set_state(std::span<const double> p, std::span<const double> q) {
  if (p.size() != grid_.cells() || q.size() != grid_.cells())
    throw std::invalid_argument("state arrays must hold grid.cells() values");
  const std::span<const double> fields[2] = {p, q};
  for (int s : {kP, kQ}) {
    const void* source = fields[s].data();
    if constexpr (sizeof(Real) != sizeof(double)) {
      std::transform(fields[s].begin(), fields[s].end(), staging_.begin(),
                     [](double v) { return static_cast<Real>(v); });
      source = staging_.data();
    }
    WGF_CUDA_CHECK(cudaMemcpyAsync(state_[s].get(), source, cells_ * sizeof(Real),
                                   cudaMemcpyHostToDevice, stream_));
    WGF_CUDA_CHECK(cudaStreamSynchronize(stream_));
  }
  refresh();
}

template <class Real>
void CudaGridSolver<Real>::get_state(std::span<double> p, std::span<double> q) {
  if (p.size() != grid_.cells() || q.size() != grid_.cells())
    throw std::invalid_argument("state arrays must hold grid.cells() values");
  const std::span<double> fields[2] = {p, q};
  for (int s : {kP, kQ}) {
    void* target = fields[s].data();
    if constexpr (sizeof(Real) != sizeof(double)) target = staging_.data();
    WGF_CUDA_CHECK(cudaMemcpyAsync(target, state_[s].get(), cells_ * sizeof(Real),
                                   cudaMemcpyDeviceToHost, stream_));
    WGF_CUDA_CHECK(cudaStreamSynchronize(stream_));
    if constexpr (sizeof(Real) != sizeof(double))
      std::copy(staging_.begin(), staging_.end(), fields[s].begin());
  }
}

template <class Real>
void CudaGridSolver<Real>::launch_potential(bool diagnose) {
  plans_.forward(w_.get(), spectrum_.get());
  if (diagnose)
    launch_gather_modes(spectrum_.get(), static_cast<int>(mode_index_host_.size()),
                        mode_index_.get(), scalars_.get(), stream_);
  const int energies = diagnose ? static_cast<int>(energy_symbol_ptrs_.size()) : 0;
  launch_spectral_pass<Real>(grid_.n, spectral_, spectrum_.get(), inverses_ == 2 ? work_.get() : nullptr,
                       inverse_symbol_[0].get(), inverse_symbol_[1].get(), true, energies,
                       energy_symbol_ptrs_.data(), spectral_blocks_, energy_partials_.get(),
                       stream_);
  if (inverses_ == 2) {
    plans_.inverse(work_.get(), phi_[0].get());
    plans_.inverse(spectrum_.get(), phi_[1].get());
  } else {
    plans_.inverse(spectrum_.get(), phi_[0].get());
  }
}

template <class Real>
SweepSpecies<Real> CudaGridSolver<Real>::swept(int species, const DeviceArray<Real>* density,
                                               bool on_the_fly) const {
  return {density[species].get(), on_the_fly ? rate_[species].get() : nullptr, phi_of(species),
          scale_of(species)};
}

template <class Real>
StageParams<Real> CudaGridSolver<Real>::stage_params(Real a, Real b, Real dt,
                                                     const DeviceArray<Real>* out) const {
  StageParams<Real> stage{};
  stage.a = a;
  stage.b = b;
  stage.dt = dt;
  stage.slot_p = stage.slot_q = -1;
  for (int k = 0; k < ns_; ++k) {
    const int s = swept_[k];
    stage.x[k] = state_[s].get();
    stage.next[k] = out[s].get();
    (s == kP ? stage.slot_p : stage.slot_q) = k;
  }
  stage.fixed_p = moves_[kP] ? nullptr : state_[kP].get();
  stage.fixed_q = moves_[kQ] ? nullptr : state_[kQ].get();
  stage.w = w_.get();
  return stage;
}

template <class Real>
FinalizeJob CudaGridSolver<Real>::sweep_job(int speed_slot, bool summaries) const {
  FinalizeJob job;
  job.speed[speed_slot] = speed_partials_[speed_slot].get();
  job.speed_blocks[speed_slot] = shape_.blocks();
  if (summaries)
    for (int k = 0; k < ns_; ++k) {
      job.summary[swept_[k]] = summary_partials_[swept_[k]].get();
      job.summary_blocks[swept_[k]] = shape_.blocks();
    }
  return job;
}

template <class Real>
void CudaGridSolver<Real>::fetch(const FinalizeJob& job) {
  launch_finalize(job, scalars_.get(), stream_);
  WGF_CUDA_CHECK(cudaMemcpyAsync(host_scalars_.get(), scalars_.get(), sizeof(StepScalars),
                                 cudaMemcpyDeviceToHost, stream_));
  WGF_CUDA_CHECK(cudaStreamSynchronize(stream_));
}

template <class Real>
void CudaGridSolver<Real>::take_summary(int species) {
  const FieldSummary& f = host_scalars_[0].summary[species];
  const double volume = grid_.cell_volume();
  if (species == kP) {
    summary_.mass_p = f.sum * volume;
    summary_.min_p = f.min;
    summary_.max_p = f.max;
  } else {
    summary_.mass_q = f.sum * volume;
    summary_.min_q = f.min;
    summary_.max_q = f.max;
  }
  argmax_[species] = f.argmax;
}

template <class Real>
void CudaGridSolver<Real>::take_diagnostics() {
  const StepScalars& s = host_scalars_[0];
  for (std::size_t e = 0; e < energies_.size(); ++e)
    energies_[e] = spectral_energy_from_sum(grid_, s.energy_sum[e]);
  for (std::size_t m = 0; m < amplitudes_.size(); ++m)
    amplitudes_[m] = mode_amplitude_from_magnitude(grid_, std::hypot(s.mode_re[m], s.mode_im[m]));
  diagnostics_stale_ = false;
}

template <class Real>
void CudaGridSolver<Real>::refresh() {
  launch_form_difference<Real>(cells_, state_[kP].get(), nullptr, state_[kQ].get(), nullptr,
                               Real(0), w_.get(), stream_);
  launch_potential(true);
  SweepSpecies<Real> species[2];
  Real* rates[2];
  FieldSummary* partials[2];
  for (int k = 0; k < ns_; ++k) {
    species[k] = swept(swept_[k], state_, false);
    rates[k] = rate_[swept_[k]].get();
    partials[k] = summary_partials_[swept_[k]].get();
  }
  launch_rate_sweep(geometry_, shape_, ns_, species, rates, speed_partials_[2].get(), partials,
                    stream_);
  FinalizeJob job = sweep_job(2, true);
  for (int s : {kP, kQ}) {
    if (moves_[s]) continue;  // a fixed field's summary, computed here once per refresh
    launch_summarise_field(cells_, state_[s].get(), field_blocks_, summary_partials_[s].get(),
                           stream_);
    job.summary[s] = summary_partials_[s].get();
    job.summary_blocks[s] = field_blocks_;
  }
  job.energy = energy_partials_.get();
  job.energy_blocks = spectral_blocks_;
  job.energies = static_cast<int>(energy_symbol_ptrs_.size());
  fetch(job);
  take_summary(kP);
  take_summary(kQ);
  summary_.max_speed = host_scalars_[0].speed[2];
  take_diagnostics();
}

template <class Real>
void CudaGridSolver<Real>::run_attempt(double dt) {
  const Real step = static_cast<Real>(dt);
  // w of u1 = u^n + dt L(u^n), never stored: the next sweep forms u1 as it reads it.
  launch_form_difference<Real>(cells_, state_[kP].get(), moves_[kP] ? rate_[kP].get() : nullptr,
                               state_[kQ].get(), moves_[kQ] ? rate_[kQ].get() : nullptr, step,
                               w_.get(), stream_);
  SweepSpecies<Real> species[2];
  // u2 = ¾ u^n + ¼ (u1 + dt L(u1)).
  launch_potential(false);
  for (int k = 0; k < ns_; ++k) species[k] = swept(swept_[k], state_, true);
  launch_stage_sweep(geometry_, shape_, ns_, species, step,
                     stage_params(Real(0.75), Real(0.25), step, stage_), speed_partials_[0].get(),
                     stream_);
  // u^{n+1} = ⅓ u^n + ⅔ (u2 + dt L(u2)).
  launch_potential(false);
  for (int k = 0; k < ns_; ++k) species[k] = swept(swept_[k], stage_, false);
  launch_stage_sweep(geometry_, shape_, ns_, species, step,
                     stage_params(static_cast<Real>(1.0 / 3.0), static_cast<Real>(2.0 / 3.0), step,
                                  next_),
                     speed_partials_[1].get(), stream_);
  // The refresh of u^{n+1}: potentials with the diagnostics, rates of the next step, summary.
  launch_potential(true);
  Real* rates[2];
  FieldSummary* partials[2];
  for (int k = 0; k < ns_; ++k) {
    species[k] = swept(swept_[k], next_, false);
    rates[k] = rate_next_[swept_[k]].get();
    partials[k] = summary_partials_[swept_[k]].get();
  }
  launch_rate_sweep(geometry_, shape_, ns_, species, rates, speed_partials_[2].get(), partials,
                    stream_);
  FinalizeJob job = sweep_job(2, true);
  for (int slot : {0, 1}) {
    job.speed[slot] = speed_partials_[slot].get();
    job.speed_blocks[slot] = shape_.blocks();
  }
  job.energy = energy_partials_.get();
  job.energy_blocks = spectral_blocks_;
  job.energies = static_cast<int>(energy_symbol_ptrs_.size());
  fetch(job);
}

template <class Real>
StepResult CudaGridSolver<Real>::step(double dt_cap) {
  StepResult result;
  const double proposed = proposed_dt();
  double dt = std::min(proposed, dt_cap);
  if (!(dt > 0) || !std::isfinite(dt)) {
    result.concentrated = true;
    result.reason = stop_reason::no_time_step;
    return result;
  }
  for (int attempt = 0;; ++attempt) {
    if (below_dt_min(options_.dt_min, step_judged_by_dt_min(attempt, proposed, dt))) {
      result.concentrated = true;
      result.reason = stop_reason::below_dt_min;
      result.dt = 0;
      return result;
    }
    run_attempt(dt);
    // Stage k is admissible when its forward-Euler substep keeps ρ ≥ 0; stage 2 is judged first,
    // as the CPU solver judges it before it ever computes stage 3.
    const double limit_2 = positivity_time_step(grid_, host_scalars_[0].speed[0]);
    const double limit_3 = positivity_time_step(grid_, host_scalars_[0].speed[1]);
    if (stage_rejects(dt, limit_2) || stage_rejects(dt, limit_3)) {
      result.rejected_attempts = attempt + 1;
      dt = retry_time_step(options_.cfl, stage_rejects(dt, limit_2) ? limit_2 : limit_3);
      continue;
    }
    break;
  }
  // Accept: the new state and its rates replace u^n and L(u^n) (kept until now for a retry).
  for (int k = 0; k < ns_; ++k) {
    const int s = swept_[k];
    state_[s].swap(next_[s]);
    rate_[s].swap(rate_next_[s]);
  }
  const StateSummary previous = summary_;
  const Index previous_argmax[2] = {argmax_[0], argmax_[1]};
  for (int k = 0; k < ns_; ++k) take_summary(swept_[k]);
  summary_.max_speed = host_scalars_[0].speed[2];
  take_diagnostics();
  result.dt = dt;

  if (!summary_is_finite(summary_)) {
    // Never hand non-finite fields on: go back to the last good state and report.
    for (int k = 0; k < ns_; ++k) {
      const int s = swept_[k];
      state_[s].swap(next_[s]);
      rate_[s].swap(rate_next_[s]);
    }
    summary_ = previous;
    argmax_[0] = previous_argmax[0];
    argmax_[1] = previous_argmax[1];
    refresh();
    result.dt = 0;
    result.concentrated = true;
    result.reason = stop_reason::non_finite;
    return result;
  }
  const char* why = moves_[kP] ? concentration_of(kP) : nullptr;
  if (!why && moves_[kQ]) why = concentration_of(kQ);
  if (why) {
    result.concentrated = true;
    result.reason = why;
  }
  return result;
}

template <class Real>
const char* CudaGridSolver<Real>::concentration_of(int species) {
  const double max = species == kP ? summary_.max_p : summary_.max_q;
  const double mass = species == kP ? summary_.mass_p : summary_.mass_q;
  if (!detector_.worth_scanning(max, mass) || argmax_[species] < 0) return nullptr;
  launch_gather_patch(grid_.dim, grid_.n, state_[species].get(), argmax_[species], patch_.get(),
                      stream_);
  WGF_CUDA_CHECK(cudaMemcpyAsync(host_patch_.get(), patch_.get(), 125 * sizeof(double),
                                 cudaMemcpyDeviceToHost, stream_));
  WGF_CUDA_CHECK(cudaStreamSynchronize(stream_));
  return detector_.check_patch(host_patch_.get(), mass);
}

template <class Real>
int CudaGridSolver<Real>::add_energy_symbol(std::span<const double> symbol) {
  if (symbol.size() != grid_.cells() / static_cast<std::size_t>(grid_.n) * (grid_.n / 2 + 1))
    throw std::invalid_argument("energy symbol: expected one value per spectral cell");
  if (energy_symbols_.size() >= static_cast<std::size_t>(kMaxEnergies))
    throw InputError("the CUDA solver sums at most " + std::to_string(kMaxEnergies) +
                     " energy diagnostics");
  std::vector<Real> values(symbol.begin(), symbol.end());
  DeviceArray<Real> device(spectral_);
  WGF_CUDA_CHECK(cudaMemcpy(device.get(), values.data(), spectral_ * sizeof(Real),
                            cudaMemcpyHostToDevice));
  energy_symbol_ptrs_.push_back(device.get());
  energy_symbols_.push_back(std::move(device));
  energies_.push_back(0.0);
  diagnostics_stale_ = true;
  return static_cast<int>(energies_.size()) - 1;
}

template <class Real>
int CudaGridSolver<Real>::add_tracked_mode(std::span<const long> k) {
  if (mode_index_host_.size() >= static_cast<std::size_t>(kMaxModes))
    throw InputError("--track: the CUDA solver tracks at most " + std::to_string(kMaxModes) +
                     " modes");
  mode_index_host_.push_back(static_cast<Index>(half_spectrum_index(grid_, k)));
  WGF_CUDA_CHECK(cudaMemcpy(mode_index_.get(), mode_index_host_.data(),
                            mode_index_host_.size() * sizeof(Index), cudaMemcpyHostToDevice));
  amplitudes_.push_back(0.0);
  diagnostics_stale_ = true;
  return static_cast<int>(amplitudes_.size()) - 1;
}

template <class Real>
SpectralDiagnostics CudaGridSolver<Real>::diagnostics() {
  if (diagnostics_stale_) {
    // Registered since the last evaluation: transform the current w = p − q once more.
    launch_form_difference<Real>(cells_, state_[kP].get(), nullptr, state_[kQ].get(), nullptr,
                                 Real(0), w_.get(), stream_);
    plans_.forward(w_.get(), spectrum_.get());
    launch_gather_modes(spectrum_.get(), static_cast<int>(mode_index_host_.size()),
                        mode_index_.get(), scalars_.get(), stream_);
    const int energies = static_cast<int>(energy_symbol_ptrs_.size());
    launch_spectral_pass<Real>(grid_.n, spectral_, spectrum_.get(), nullptr, inverse_symbol_[0].get(),
                         nullptr, false, energies, energy_symbol_ptrs_.data(), spectral_blocks_,
                         energy_partials_.get(), stream_);
    FinalizeJob job;
    job.energy = energy_partials_.get();
    job.energy_blocks = spectral_blocks_;
    job.energies = energies;
    fetch(job);
    take_diagnostics();
  }
  return {energies_, amplitudes_};
}

template class CudaGridSolver<double>;
template class CudaGridSolver<float>;

bool cuda_solver_available(std::string* why) {
  std::string reason;
  const bool ok = DeviceInfo::query(0, &reason).has_value();
  if (why) *why = reason;
  return ok;
}

std::unique_ptr<CudaFlowSolver> CudaFlowSolver::create(const Grid& grid, const Dynamics& dynamics,
                                                       const SolverOptions& options,
                                                       Precision precision) {
  std::string reason;
  const auto device = DeviceInfo::query(0, &reason);
  if (!device) throw InputError("--device cuda: " + reason);
  if (precision == Precision::fp64)
    return std::make_unique<CudaGridSolver<double>>(grid, dynamics, options, *device);
  return std::make_unique<CudaGridSolver<float>>(grid, dynamics, options, *device);
}

}  // namespace wgf
