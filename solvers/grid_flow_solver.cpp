#include "wgf/solvers/grid_flow_solver.hpp"

#include <fftw3.h>
#include <omp.h>

#include <algorithm>
#include <stdexcept>
#include <vector>

#include "wgf/errors.hpp"
#include "wgf/solvers/potential_symbols.hpp"

namespace wgf {

Device parse_device(const std::string& name) {
  if (name == "cpu") return Device::cpu;
  if (name == "cuda") return Device::cuda;
  throw InputError("--device '" + name + "': allowed are cpu, cuda");
}

Precision parse_precision(const std::string& name) {
  if (name == "fp64") return Precision::fp64;
  if (name == "fp32") return Precision::fp32;
  throw InputError("--precision '" + name + "': allowed are fp64, fp32");
}

std::string device_name(Device device) { return device == Device::cpu ? "cpu" : "cuda"; }
std::string precision_name(Precision precision) {
  return precision == Precision::fp64 ? "fp64" : "fp32";
}

int GridFlowSolver::add_energy_kernel(const Kernel& kernel) {
  const std::vector<double> symbol = make_grid_symbol(grid(), kernel);
  return add_energy_symbol(symbol);
}

// The CPU backend: FlowSolver, whose state and FFTW spectrum already live on the host.
class CpuGridFlowSolver final : public GridFlowSolver {
public:
  CpuGridFlowSolver(const Grid& grid, const Dynamics& dynamics, const SolverOptions& options)
      : solver_(grid, dynamics, options) {}

  FlowSolver& flow_solver() { return solver_; }

  const Grid& grid() const override { return solver_.grid(); }
  Device device() const override { return Device::cpu; }
  Precision precision() const override { return Precision::fp64; }
  std::string description() const override {
    return std::string("cpu: ") + fftw_version + ", " + std::to_string(omp_get_max_threads()) +
           " OpenMP threads, fp64";
  }

  void set_state(std::span<const double> p, std::span<const double> q) override {
    check_size(p.size(), q.size());
    std::copy(p.begin(), p.end(), solver_.p().begin());
    std::copy(q.begin(), q.end(), solver_.q().begin());
    solver_.refresh();
  }
  void get_state(std::span<double> p, std::span<double> q) override {
    check_size(p.size(), q.size());
    std::copy(solver_.p().begin(), solver_.p().end(), p.begin());
    std::copy(solver_.q().begin(), solver_.q().end(), q.begin());
  }

  StepResult step(double dt_cap) override { return solver_.step(dt_cap); }
  double proposed_dt() const override { return solver_.proposed_dt(); }
  const StateSummary& summary() const override { return solver_.summary(); }

  int add_energy_symbol(std::span<const double> symbol) override {
    if (symbol.size() != grid().spectral_cells())
      throw std::invalid_argument("energy symbol: expected one value per spectral cell");
    symbols_.emplace_back(symbol.begin(), symbol.end());
    energies_.push_back(0.0);
    return static_cast<int>(symbols_.size()) - 1;
  }
  int add_tracked_mode(std::span<const long> k) override {
    modes_.emplace_back(k.begin(), k.end());
    amplitudes_.push_back(0.0);
    return static_cast<int>(modes_.size()) - 1;
  }
  SpectralDiagnostics diagnostics() override {
    // The FFTW spectrum of the last evaluation is the current state's (refresh or step's end).
    for (std::size_t e = 0; e < symbols_.size(); ++e)
      energies_[e] = solver_.spectrum().energy(symbols_[e]);
    for (std::size_t m = 0; m < modes_.size(); ++m)
      amplitudes_[m] = solver_.spectrum().mode_amplitude(modes_[m]);
    return {energies_, amplitudes_};
  }

private:
  void check_size(std::size_t p, std::size_t q) const {
    if (p != grid().cells() || q != grid().cells())
      throw std::invalid_argument("state arrays must hold grid.cells() values");
  }

  FlowSolver solver_;
  std::vector<std::vector<double>> symbols_;
  std::vector<std::vector<long>> modes_;
  std::vector<double> energies_, amplitudes_;
};

FlowSolver& cpu_flow_solver(GridFlowSolver& solver) {
  auto* cpu = dynamic_cast<CpuGridFlowSolver*>(&solver);
  if (!cpu) throw std::logic_error("cpu_flow_solver: not the CPU backend");
  return cpu->flow_solver();
}

std::unique_ptr<GridFlowSolver> make_cpu_grid_flow_solver(const Grid& grid,
                                                          const Dynamics& dynamics,
                                                          const SolverOptions& options) {
  return std::make_unique<CpuGridFlowSolver>(grid, dynamics, options);
}

}  // namespace wgf
