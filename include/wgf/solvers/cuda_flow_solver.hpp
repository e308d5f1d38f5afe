#pragma once
// The CUDA backend of the grid solver (solvers/cuda/): the CPU solver's scheme on the GPU, with
// cuFFT r2c/c2r plans (D2Z/Z2D in fp64, R2C/C2R in fp32) made once, the fields on the device
// from set_state() to get_state(), and per step one transfer of a few scalars to the host.
//
// A step launches: the first RK stage's potential input; per stage a forward transform, the
// symbol multiply, the inverse transform(s) and one fused finite-volume sweep that forms the next
// RK stage and the next potential input (the first stage is never stored: it is formed as the
// second stage's sweep reads it); the refresh of the new state, whose sweep writes the rates of
// the next step and the summary, and whose symbol multiply also sums the registered energies.
// The positivity checks of stages 2 and 3 are taken after all of that from the one transfer: a
// rejected stage (rare) repeats the step from u^n with the smaller Δt, exactly as the CPU solver
// decides it. Nothing is allocated in the time loop.
//
// Parity with the CPU solver: the same symbols, the same per-cell operations in the same order
// (fv_cell.hpp, compiled with --fmad=false); what differs is cuFFT against FFTW (round-off) and
// the order of the sums in the reductions.
#include <memory>
#include <string>
#include <vector>

#include "wgf/solvers/grid_flow_solver.hpp"

namespace wgf {

// Whether a CUDA solver can be made in this process; `why` says why not ("this build has no
// CUDA support …", "no usable CUDA device: …").
bool cuda_solver_available(std::string* why = nullptr);

// One non-FFT kernel of a step, timed alone: the bytes it must move at least (every array it
// reads or writes, once) over its time give its effective bandwidth.
struct CudaKernelTiming {
  std::string name;
  int launches_per_step = 0;
  double ms = 0;      // median time of one launch
  double bytes = 0;   // compulsory DRAM traffic of one launch
};

// The cost of a step against its parts, for experiments/bench/bench_gpu_step.cpp.
struct CudaStepProfile {
  std::string device;
  double peak_bandwidth_gbs = 0;  // 2 · memory clock · bus width (cudaDevAttr*)
  double step_ms = 0;             // median wall time of step(), the one synchronisation included
  double fft_ms = 0;              // median time of the transforms one step contains, alone
  int forward_transforms = 0, inverse_transforms = 0;  // per step
  std::vector<CudaKernelTiming> kernels;
  double device_memory_gib = 0;   // what the solver holds on the device
};

class CudaFlowSolver : public GridFlowSolver {
public:
  // Throws InputError when no device is usable or the grid does not fit in its memory.
  static std::unique_ptr<CudaFlowSolver> create(const Grid& grid, const Dynamics& dynamics,
                                                const SolverOptions& options,
                                                Precision precision);

  // Times `reps` steps, the transforms they contain and each kernel alone, from the current
  // state (which it leaves stepped `reps` times and refreshed).
  virtual CudaStepProfile profile(int reps) = 0;
};

}  // namespace wgf
