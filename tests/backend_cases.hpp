#pragma once
// Test support, Kokkos-style: one test body instantiated per backend of the grid solver
// (TEST_CASE_TEMPLATE over the types below), so CPU and CUDA are held to the same checks.
//
// Without a usable GPU — or in a build without CUDA — a CUDA instantiation prints
// "skipped: no CUDA device (…)" and returns; CMakeLists.txt tells ctest that this output means
// "skipped", so the CI log lists those cases as skipped, not as passed.
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "wgf/solvers/grid_flow_solver.hpp"

namespace wgf::testing {

struct CpuBackend {
  static constexpr Device device = Device::cpu;
  static constexpr Precision precision = Precision::fp64;
  static constexpr const char* name = "cpu";
};
struct CudaFp64Backend {
  static constexpr Device device = Device::cuda;
  static constexpr Precision precision = Precision::fp64;
  static constexpr const char* name = "cuda-fp64";
};
struct CudaFp32Backend {
  static constexpr Device device = Device::cuda;
  static constexpr Precision precision = Precision::fp32;
  static constexpr const char* name = "cuda-fp32";
};

// True when the backend can run here; otherwise reports the skip (the body must return).
template <class Backend>
bool backend_ready() {
  std::string why;
  if (device_available(Backend::device, &why)) return true;
  MESSAGE("skipped: no CUDA device (" << why << ") for backend " << std::string(Backend::name));
  return false;
}

template <class Backend>
std::unique_ptr<GridFlowSolver> make_backend_solver(const Grid& grid, const Dynamics& dynamics,
                                                    const SolverOptions& options) {
  return make_grid_flow_solver(Backend::device, Backend::precision, grid, dynamics, options);
}

}  // namespace wgf::testing

// The backends every solver test body runs on (fp64: the same tolerances as the CPU solver).
#define WGF_FP64_BACKENDS wgf::testing::CpuBackend, wgf::testing::CudaFp64Backend
#define WGF_ALL_BACKENDS \
  wgf::testing::CpuBackend, wgf::testing::CudaFp64Backend, wgf::testing::CudaFp32Backend
