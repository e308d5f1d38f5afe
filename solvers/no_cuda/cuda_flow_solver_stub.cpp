// The CUDA grid solver in a build without CUDA: it reports itself unavailable, and asking for
// it is an input error (`wgf simulate --device cuda` exits 2 saying so).
#include "wgf/solvers/cuda_flow_solver.hpp"
#include "wgf/errors.hpp"

namespace wgf {

namespace {
constexpr const char* kNoCuda =
    "this build has no CUDA support (configured without nvcc or with -DWGF_ENABLE_CUDA=OFF)";
}

bool cuda_solver_available(std::string* why) {
  if (why) *why = kNoCuda;
  return false;
}

std::unique_ptr<CudaFlowSolver> CudaFlowSolver::create(const Grid&, const Dynamics&,
                                                       const SolverOptions&, Precision) {
  throw InputError(std::string("--device cuda: ") + kNoCuda);
}

}  // namespace wgf
