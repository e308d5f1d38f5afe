#pragma once
// A whole `wgf simulate` run: validated configuration in, HDF5 file out (docs/design.md §4).
// All input is checked before the output file is created, so bad input leaves no file.
#include <string>
#include <vector>

#include "wgf/dynamics.hpp"
#include "wgf/solvers/flow_solver.hpp"
#include "wgf/grid.hpp"
#include "wgf/solvers/grid_flow_solver.hpp"

namespace wgf {

struct SimulationConfig {
  Grid grid;
  Dynamics dynamics;  // rho0 is replaced by the mean initial density
  SolverOptions solver;
  Device device = Device::cpu;            // --device: which backend integrates
  Precision precision = Precision::fp64;  // --precision (fp32: CUDA only)
  std::string init = "mode:rho0=1,amp=1e-3,k=1";
  std::string target = "uniform:rho0=1";
  double t_end = 1.0;
  double write_every = 0;  // 0: write the initial and the final state only
  long max_steps = 0;      // 0: no limit
  std::vector<std::vector<long>> tracked_modes;  // empty: the init mode, or a default set
  // Mode coverage (wgf/mode_mass.hpp): centres, dim coordinates each; empty: not measured.
  std::vector<double> mode_centres;
  double mode_radius = 0;  // 0: nearest-centre regions
  std::string out;
  bool force = false;
  bool quiet = false;
  int threads = 1;
  std::string command_line;
};

struct SimulationOutcome {
  std::string status;  // completed | concentrated | interrupted
  std::string reason;
  double t = 0;
  long steps = 0;
  long writes = 0;
  std::string xdmf;  // the ParaView description beside 2D/3D output (xdmf_series.hpp), else empty
};

// Throws InputError for invalid configurations (before anything is written).
SimulationOutcome run_simulation(const SimulationConfig& config);

}  // namespace wgf
