#pragma once
// The output handlers of a `wgf simulate` run (docs/design.md §4), kept apart from the problem
// and the solver as in Dedalus: each is planned once against the open file (its datasets
// created, its buffers sized) and then told of the run's progress — every accepted step, or only
// the write times — without allocating. The run loop (simulation.cpp) owns a list of them.
#include <memory>
#include <span>
#include <vector>

#include "wgf/h5_file.hpp"
#include "wgf/solvers/grid_flow_solver.hpp"
#include "wgf/solvers/mode_mass.hpp"

namespace wgf {

// What a handler sees: the solver after a step (or the initial state), the time, the step count
// and the last step's size, and host scratch of grid.cells() values per species for the fields.
struct SimulationMoment {
  GridFlowSolver& solver;
  double t = 0;
  long step = 0;
  double dt = 0;
  std::span<double> p, q;
};

class SimulationOutput {
public:
  virtual ~SimulationOutput() = default;
  virtual void on_step(const SimulationMoment&) {}   // the initial state and every step
  virtual void on_write(const SimulationMoment&) {}  // the initial state and each write time
  virtual void flush() {}                            // the run is over: buffered rows to file
};

// /scales/{t,step} and /fields/{p,q}: one row per write. Fields come back from a device
// backend only here.
class FieldSnapshots final : public SimulationOutput {
public:
  FieldSnapshots(OutputFile& file, const Grid& grid);
  void on_write(const SimulationMoment& m) override;
  long writes() const { return writes_; }
  long last_step() const { return last_step_; }

private:
  ExtendableDataset t_, step_, p_, q_;
  long writes_ = 0, last_step_ = -1;
};

// /diagnostics/{t, mass_p, mass_q, energy, min_p, max_p, min_q, max_q, dt,
// energy_discriminator} and /modes/amplitude: one row per step, buffered.
class DiagnosticsLog final : public SimulationOutput {
public:
  static constexpr std::size_t kColumns = 10;
  // energy_e, energy_d: the solver's indices of the energies of e and of e − εs.
  DiagnosticsLog(OutputFile& file, std::size_t modes, int energy_e, int energy_d);
  void on_step(const SimulationMoment& m) override;
  void flush() override;

private:
  static constexpr std::size_t kCapacity = 4096;
  std::size_t modes_, used_ = 0;
  int energy_e_, energy_d_;
  ExtendableDataset columns_[kColumns];
  std::vector<double> buffers_[kColumns];
  ExtendableDataset amplitudes_;
  std::vector<double> amplitude_buffer_;
};

// /diagnostics/mode_mass_{p,q} (wgf/solvers/mode_mass.hpp) as a handler of every step.
class ModeMassOutput final : public SimulationOutput {
public:
  ModeMassOutput(OutputFile& file, const ModeMass& modes) : log_(file, modes) {}
  void on_step(const SimulationMoment& m) override {
    m.solver.get_state(m.p, m.q);
    log_.add(m.p, m.q);
  }
  void flush() override { log_.flush(); }

private:
  ModeMassLog log_;
};

}  // namespace wgf
