#pragma once
// The grid solver as the `wgf simulate` driver and the tests see it, whichever backend computes:
// the CPU FlowSolver (FFTW, OpenMP; include/wgf/solvers/flow_solver.hpp) or the CUDA solver (cuFFT;
// include/wgf/solvers/cuda_flow_solver.hpp), chosen by `--device cpu|cuda` and `--precision fp64|fp32`.
//
// The state lives with the backend. The driver sets it from host arrays once, copies it back
// only when it writes fields, and otherwise reads a few scalars per step: the summary (masses,
// extremes, max|u|) and the spectral diagnostics — energies of kernels registered once and
// amplitudes of tracked modes — which a device backend computes on the device from the spectrum
// of the step's last potential evaluation and fetches with the summary.
//
// Every backend takes the same decisions from the same numbers: the Δt rule, the stage
// rejection and the stop reasons of include/wgf/solvers/step_control.hpp, the concentration detector of
// include/wgf/solvers/concentration.hpp, the symbols of include/wgf/solvers/potential_symbols.hpp.
#include <memory>
#include <span>
#include <string>

#include "wgf/dynamics.hpp"
#include "wgf/solvers/flow_solver.hpp"
#include "wgf/grid.hpp"
#include "wgf/kernel.hpp"

namespace wgf {

enum class Device { cpu, cuda };
enum class Precision { fp64, fp32 };

Device parse_device(const std::string& name);  // throws InputError naming the allowed values
Precision parse_precision(const std::string& name);
std::string device_name(Device device);
std::string precision_name(Precision precision);

// Views into the backend's buffers, valid until the next step(), set_state() or registration.
struct SpectralDiagnostics {
  std::span<const double> energies;    // E_k[p, q] per registered kernel, in registration order
  std::span<const double> amplitudes;  // per tracked mode, as SpectralPotential::mode_amplitude
};

class GridFlowSolver {
public:
  virtual ~GridFlowSolver() = default;

  virtual const Grid& grid() const = 0;
  virtual Device device() const = 0;
  virtual Precision precision() const = 0;
  // What computes, for the log and the output's attributes.
  virtual std::string description() const = 0;

  // Sets p and q (grid.cells() values each, row-major) and evaluates the state.
  virtual void set_state(std::span<const double> p, std::span<const double> q) = 0;
  // Copies the current state into host arrays (a device backend's only full-field transfer).
  virtual void get_state(std::span<double> p, std::span<double> q) = 0;

  // One SSP-RK3 step with Δt ≤ dt_cap (see FlowSolver::step).
  virtual StepResult step(double dt_cap) = 0;
  // The time step the next step() would try before any stage rejection.
  virtual double proposed_dt() const = 0;
  virtual const StateSummary& summary() const = 0;

  // Spectral diagnostics, registered before stepping (registration may allocate; stepping and
  // diagnostics() do not). Each returns the index of its entry in diagnostics().
  int add_energy_kernel(const Kernel& kernel);
  virtual int add_energy_symbol(std::span<const double> symbol) = 0;  // spectral_cells() values
  virtual int add_tracked_mode(std::span<const long> k) = 0;
  // The diagnostics of the current state.
  virtual SpectralDiagnostics diagnostics() = 0;
};

// The CPU backend alone (wgf_solvers_cpu); make_grid_flow_solver (wgf_solvers) chooses between it
// and the CUDA backend.
std::unique_ptr<GridFlowSolver> make_cpu_grid_flow_solver(const Grid& grid,
                                                          const Dynamics& dynamics,
                                                          const SolverOptions& options);

// Throws InputError when the combination cannot run here: fp32 on the CPU, --device cuda in a
// build without CUDA or on a machine without a usable GPU, a grid too large for the GPU.
std::unique_ptr<GridFlowSolver> make_grid_flow_solver(Device device, Precision precision,
                                                      const Grid& grid, const Dynamics& dynamics,
                                                      const SolverOptions& options);

// Whether make_grid_flow_solver can give this device here; `why` says why not.
bool device_available(Device device, std::string* why = nullptr);

// The CPU backend: FlowSolver behind the interface (direct access for tests and benchmarks).
class CpuGridFlowSolver;
FlowSolver& cpu_flow_solver(GridFlowSolver& solver);  // throws std::logic_error for other backends

}  // namespace wgf
