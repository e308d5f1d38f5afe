// The CUDA solver's benchmark profile: a step against the transforms it contains and against
// each of its other kernels timed alone, with the bytes each must move at least (every array it
// reads or writes, once), so time and bytes give the effective DRAM bandwidth of each kernel.
#include <algorithm>
#include <chrono>
#include <limits>
#include <stdexcept>
#include <vector>

#include "cuda_grid_solver.hpp"

namespace wgf {

using namespace cuda_solver;
using namespace device;

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t m = v.size() / 2;
  return v.size() % 2 ? v[m] : 0.5 * (v[m - 1] + v[m]);
}

class EventTimer {
public:
  explicit EventTimer(cudaStream_t stream) : stream_(stream) {
    WGF_CUDA_CHECK(cudaEventCreate(&start_));
    WGF_CUDA_CHECK(cudaEventCreate(&stop_));
  }
  ~EventTimer() {
    cudaEventDestroy(start_);
    cudaEventDestroy(stop_);
  }
  // Median milliseconds of `reps` runs of launch() (after one untimed), prepare() before each.
  template <class Prepare, class Launch>
  double median_ms(int reps, Prepare prepare, Launch launch) {
    std::vector<double> times;
    for (int r = 0; r <= reps; ++r) {
      prepare();
      WGF_CUDA_CHECK(cudaEventRecord(start_, stream_));
      launch();
      WGF_CUDA_CHECK(cudaEventRecord(stop_, stream_));
      WGF_CUDA_CHECK(cudaEventSynchronize(stop_));
      float ms = 0;
      WGF_CUDA_CHECK(cudaEventElapsedTime(&ms, start_, stop_));
      if (r > 0) times.push_back(ms);
    }
    return median(times);
  }

private:
  cudaStream_t stream_;
  cudaEvent_t start_, stop_;
};

}  // namespace

template <class Real>
double CudaGridSolver<Real>::median_step_ms(int reps) {
  constexpr double kNoCap = std::numeric_limits<double>::infinity();
  // Whole steps, as the driver takes them (each ends in the one synchronisation).
  for (int w = 0; w < 2; ++w) step(kNoCap);
  std::vector<double> steps;
  for (int r = 0; r < reps; ++r) {
    const auto start = std::chrono::steady_clock::now();
    const StepResult result = step(kNoCap);
    const auto stop = std::chrono::steady_clock::now();
    if (result.concentrated || !(result.dt > 0))
      throw std::runtime_error("profile: the benchmark state stopped (" + result.reason + ")");
    steps.push_back(std::chrono::duration<double, std::milli>(stop - start).count());
  }
  return median(steps);

}

// Each kernel of a step other than the transforms, timed alone on the buffers of one attempt of
// the next step.
template <class Real>
void CudaGridSolver<Real>::profile_kernels(int reps, CudaStepProfile& out) {
  EventTimer timer(stream_);
  auto nothing = [] {};
  // Realistic buffers for the kernels timed alone: one attempt of the next step.
  const double dt = proposed_dt();
  const Real step_dt = static_cast<Real>(dt);
  run_attempt(dt);
  const double R = sizeof(Real), C = static_cast<double>(cells_), S = static_cast<double>(spectral_);
  const int fixed = 2 - ns_;
  const int energies = static_cast<int>(energy_symbol_ptrs_.size());
  auto add = [&](const char* name, int per_step, double bytes, double ms) {
    out.kernels.push_back({name, per_step, ms, bytes});
  };

  add("first-stage potential input w (form_difference)", 1, C * R * (2 + ns_ + 1),
      timer.median_ms(reps, nothing, [&] {
        launch_form_difference<Real>(cells_, state_[kP].get(), moves_[kP] ? rate_[kP].get() : nullptr,
                                     state_[kQ].get(), moves_[kQ] ? rate_[kQ].get() : nullptr,
                                     step_dt, w_.get(), stream_);
      }));
  auto forward = [&] { plans_.forward(w_.get(), spectrum_.get()); };
  auto spectral = [&](int e) {
    launch_spectral_pass<Real>(grid_.n, spectral_, spectrum_.get(), inverses_ == 2 ? work_.get() : nullptr,
                         inverse_symbol_[0].get(), inverse_symbol_[1].get(), true, e,
                         energy_symbol_ptrs_.data(), spectral_blocks_, energy_partials_.get(),
                         stream_);
  };
  add("symbol multiply (spectral_pass)", 2, S * R * (2 + 3 * inverses_),
      timer.median_ms(reps, forward, [&] { spectral(0); }));
  add("symbol multiply + energy sums (spectral_pass, refresh)", 1,
      S * R * (2 + 3 * inverses_ + energies),
      timer.median_ms(reps, forward, [&] { spectral(energies); }));
  SweepSpecies<Real> species[2];
  for (int k = 0; k < ns_; ++k) species[k] = swept(swept_[k], state_, true);
  const double stage_bytes = C * R * (2 * ns_ + inverses_ + fixed + ns_ + 1);
  add("RK stage 2 sweep, stage 1 formed on the fly (stage_sweep)", 1, stage_bytes,
      timer.median_ms(reps, nothing, [&] {
        launch_stage_sweep(geometry_, shape_, ns_, species, step_dt,
                           stage_params(Real(0.75), Real(0.25), step_dt, stage_),
                           speed_partials_[0].get(), stream_);
      }));
  for (int k = 0; k < ns_; ++k) species[k] = swept(swept_[k], stage_, false);
  add("RK stage 3 sweep (stage_sweep)", 1, stage_bytes, timer.median_ms(reps, nothing, [&] {
        launch_stage_sweep(geometry_, shape_, ns_, species, step_dt,
                           stage_params(static_cast<Real>(1.0 / 3.0), static_cast<Real>(2.0 / 3.0),
                                        step_dt, next_),
                           speed_partials_[1].get(), stream_);
      }));
  Real* rates[2];
  FieldSummary* partials[2];
  for (int k = 0; k < ns_; ++k) {
    species[k] = swept(swept_[k], next_, false);
    rates[k] = rate_next_[swept_[k]].get();
    partials[k] = summary_partials_[swept_[k]].get();
  }
  add("refresh sweep: rates + summary (rate_sweep)", 1, C * R * (2 * ns_ + inverses_),
      timer.median_ms(reps, nothing, [&] {
        launch_rate_sweep(geometry_, shape_, ns_, species, rates, speed_partials_[2].get(),
                          partials, stream_);
      }));
  FinalizeJob job = sweep_job(2, true);
  for (int slot : {0, 1}) {
    job.speed[slot] = speed_partials_[slot].get();
    job.speed_blocks[slot] = shape_.blocks();
  }
  job.energy = energy_partials_.get();
  job.energy_blocks = spectral_blocks_;
  job.energies = energies;
  add("reductions' final pass (finalize)", 1, 0.0, timer.median_ms(reps, nothing, [&] {
        launch_finalize(job, scalars_.get(), stream_);
      }));

}

template <class Real>
CudaStepProfile CudaGridSolver<Real>::profile(int reps) {
  CudaStepProfile out;
  out.device = device_.describe();
  out.peak_bandwidth_gbs = device_.peak_bandwidth_gbs();
  out.forward_transforms = 3;
  out.inverse_transforms = 3 * inverses_;

  out.step_ms = median_step_ms(reps);

  EventTimer timer(stream_);
  auto nothing = [] {};
  out.fft_ms = timer.median_ms(reps, nothing, [&] {
    for (int stage = 0; stage < 3; ++stage) {
      plans_.forward(w_.get(), spectrum_.get());
      if (inverses_ == 2) {
        plans_.inverse(work_.get(), phi_[0].get());
        plans_.inverse(spectrum_.get(), phi_[1].get());
      } else {
        plans_.inverse(spectrum_.get(), phi_[0].get());
      }
    }
  });

  profile_kernels(reps, out);

  std::size_t free_bytes = 0, total_bytes = 0;
  WGF_CUDA_CHECK(cudaMemGetInfo(&free_bytes, &total_bytes));
  out.device_memory_gib = static_cast<double>(total_bytes - free_bytes) / (1024.0 * 1024.0 * 1024.0);
  refresh();  // the timed kernels overwrote the derived buffers; the state itself is untouched
  return out;
}

template double CudaGridSolver<double>::median_step_ms(int);
template double CudaGridSolver<float>::median_step_ms(int);
template void CudaGridSolver<double>::profile_kernels(int, CudaStepProfile&);
template void CudaGridSolver<float>::profile_kernels(int, CudaStepProfile&);
template CudaStepProfile CudaGridSolver<double>::profile(int);
template CudaStepProfile CudaGridSolver<float>::profile(int);

}  // namespace wgf
