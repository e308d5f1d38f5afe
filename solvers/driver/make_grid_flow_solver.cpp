// The backend choice behind `--device`: above both backends, so that neither depends on the other.
#include "wgf/errors.hpp"
#include "wgf/solvers/cuda_flow_solver.hpp"
#include "wgf/solvers/grid_flow_solver.hpp"

namespace wgf {

bool device_available(Device device, std::string* why) {
  if (device == Device::cpu) return true;
  return cuda_solver_available(why);
}

std::unique_ptr<GridFlowSolver> make_grid_flow_solver(Device device, Precision precision,
                                                      const Grid& grid, const Dynamics& dynamics,
                                                      const SolverOptions& options) {
  if (device == Device::cpu) {
    if (precision != Precision::fp64)
      throw InputError("--precision fp32: the CPU backend computes in fp64 only (fp32 is an "
                       "option of --device cuda)");
    return make_cpu_grid_flow_solver(grid, dynamics, options);
  }
  std::string why;
  if (!cuda_solver_available(&why)) throw InputError("--device cuda: " + why + "; use --device cpu");
  return CudaFlowSolver::create(grid, dynamics, options, precision);
}

}  // namespace wgf
