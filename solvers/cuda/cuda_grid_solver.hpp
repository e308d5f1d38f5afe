#pragma once
// The CUDA grid solver's class (internal to solvers/cuda/): cuda_flow_solver.cu defines its
// step logic, cuda_solver_profile.cu its benchmark profile.
#include <cuda_runtime.h>

#include <span>
#include <string>
#include <vector>

#include "wgf/device/device_info.hpp"
#include "wgf/device/device_memory.hpp"
#include "fft_plans.hpp"
#include "flow_kernels.hpp"
#include "wgf/solvers/concentration.hpp"
#include "wgf/solvers/cuda_flow_solver.hpp"
#include "wgf/solvers/step_control.hpp"

namespace wgf {

namespace cuda_solver {
inline constexpr int kP = 0, kQ = 1;  // species indices of the per-species arrays
}  // namespace cuda_solver

template <class Real>
class CudaGridSolver final : public CudaFlowSolver {
  using DeviceInfo = device::DeviceInfo;
  template <class T>
  using DeviceArray = device::DeviceArray<T>;
  template <class T>
  using PinnedArray = device::PinnedArray<T>;
  using Index = cuda_solver::Index;
  using FieldSummary = cuda_solver::FieldSummary;
  using FinalizeJob = cuda_solver::FinalizeJob;
  using StepScalars = cuda_solver::StepScalars;
  static constexpr int kP = cuda_solver::kP, kQ = cuda_solver::kQ;

public:
  CudaGridSolver(const Grid& grid, const Dynamics& dynamics, const SolverOptions& options,
                 const DeviceInfo& device);
  // The members release themselves: plans_ (declared after stream_) before the stream their
  // plans are bound to, and everything also when the constructor throws part way.
  ~CudaGridSolver() override = default;

  const Grid& grid() const override { return grid_; }
  Device device() const override { return Device::cuda; }
  Precision precision() const override {
    return sizeof(Real) == sizeof(double) ? Precision::fp64 : Precision::fp32;
  }
  std::string description() const override {
    return "cuda: " + device_.describe() + ", " + precision_name(precision()) + ", cuFFT " +
           cuda_solver::cufft_version_text();
  }

  void set_state(std::span<const double> p, std::span<const double> q) override;
  void get_state(std::span<double> p, std::span<double> q) override;
  StepResult step(double dt_cap) override;
  double proposed_dt() const override {
    return proposed_time_step(grid_, summary_, moves_[kP], moves_[kQ], max_rate_per_density_,
                              options_.cfl);
  }
  const StateSummary& summary() const override { return summary_; }
  int add_energy_symbol(std::span<const double> symbol) override;
  int add_tracked_mode(std::span<const long> k) override;
  SpectralDiagnostics diagnostics() override;
  CudaStepProfile profile(int reps) override;

private:
  // profile()'s parts: the median of whole steps, and each other kernel of a step timed alone.
  double median_step_ms(int reps);
  void profile_kernels(int reps, CudaStepProfile& out);
  // The potentials of the current w_: forward transform, symbol multiply (with the energy sums
  // and the tracked modes of ŵ when `diagnose`), inverse transform(s).
  void launch_potential(bool diagnose);
  // A whole speculative step with Δt = dt from u^n: stages 2 and 3 into stage_ and next_, the
  // refresh of next_ into rate_next_, all reductions; one transfer of the scalars.
  void run_attempt(double dt);
  // Evaluates the current state (potentials, rates, summary, diagnostics).
  void refresh();
  void fetch(const FinalizeJob& job);
  void take_summary(int species);
  void take_diagnostics();
  const char* concentration_of(int species);

  cuda_solver::SweepSpecies<Real> swept(int species, const DeviceArray<Real>* density, bool on_the_fly) const;
  cuda_solver::StageParams<Real> stage_params(Real a, Real b, Real dt, const DeviceArray<Real>* out) const;
  Real* phi_of(int species) const {
    return (species == kQ && moves_[kP] && moves_[kQ] && !proportional_) ? phi_[1].get()
                                                                         : phi_[0].get();
  }
  Real scale_of(int species) const {
    return species == kQ && proportional_ ? static_cast<Real>(q_over_p_) : Real(1);
  }
  FinalizeJob sweep_job(int speed_slot, bool summaries) const;

  Grid grid_;
  SolverOptions options_;
  DeviceInfo device_;
  ConcentrationDetector detector_;
  bool moves_[2];
  int swept_[2] = {0, 0}, ns_ = 0;  // the moving species, in the CPU sweep's order (p, q)
  bool proportional_;
  double q_over_p_, max_rate_per_density_;
  int inverses_;
  Index cells_, spectral_;
  cuda_solver::Geometry<Real> geometry_;
  cuda_solver::SweepShape shape_;
  Index field_blocks_, spectral_blocks_;
  // The solver's stream, destroyed with it (after the plans and arrays declared below).
  struct OwnedStream {
    cudaStream_t handle = nullptr;
    OwnedStream() = default;
    OwnedStream(const OwnedStream&) = delete;
    OwnedStream& operator=(const OwnedStream&) = delete;
    ~OwnedStream() {
      if (handle) cudaStreamDestroy(handle);
    }
    operator cudaStream_t() const { return handle; }
  };
  OwnedStream stream_;

  DeviceArray<Real> state_[2], stage_[2], next_[2], rate_[2], rate_next_[2], w_, phi_[2];
  DeviceArray<cuda_solver::Complex<Real>> spectrum_, work_;
  DeviceArray<Real> inverse_symbol_[2];
  std::vector<DeviceArray<Real>> energy_symbols_;
  std::vector<const Real*> energy_symbol_ptrs_;
  std::vector<Index> mode_index_host_;
  DeviceArray<Index> mode_index_;
  DeviceArray<double> speed_partials_[3], energy_partials_, patch_;
  DeviceArray<FieldSummary> summary_partials_[2];
  DeviceArray<StepScalars> scalars_;
  PinnedArray<StepScalars> host_scalars_;
  PinnedArray<double> host_patch_;
  cuda_solver::FftPlans<Real> plans_;

  StateSummary summary_;
  Index argmax_[2] = {-1, -1};
  std::vector<double> energies_, amplitudes_;
  bool diagnostics_stale_ = true;
  std::vector<Real> staging_;  // fp32: conversions at set_state/get_state
};

}  // namespace wgf
