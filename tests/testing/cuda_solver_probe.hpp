#pragma once
// The CUDA grid solver's fused finite-volume sweep kernels run alone on host data (uploaded,
// launched, finalised, downloaded), for the kernel-by-kernel tests against the CPU reference
// (llm.c style: every kernel has a plain CPU reference and a test comparing both;
// tests/test_cuda_cell_reference.cpp). The same test bodies also run a host emulation of the
// kernels (the per-cell functions of solvers/cuda/fv_cell.hpp in loops), which needs no GPU.
#include <vector>

#include "wgf/grid.hpp"
#include "wgf/solvers/grid_flow_solver.hpp"

namespace wgf::cuda_probe {

// A swept species: density ρ (with `rate`: the first RK stage ρ + dt_first·rate formed as read),
// potential Φ read as scale·phi. Arrays of grid.cells() values.
struct Species {
  const double* rho = nullptr;
  const double* rate = nullptr;
  const double* phi = nullptr;
  double scale = 1.0;
};

// A stage sweep's combination next_k = a x_k + b (y_k + dt L_k) and w = p_next − q_next.
struct Stage {
  double a = 0, b = 0, dt = 0, dt_first = 0;
  const double* x[2] = {nullptr, nullptr};
  int slot_p = -1, slot_q = -1;  // each species' index among the swept ones, or −1 (fixed)
  const double* fixed_p = nullptr;
  const double* fixed_q = nullptr;
};

struct SweepResult {
  std::vector<double> out[2];  // rates (no stage) or the next stage (with one), per swept species
  std::vector<double> w;       // stage sweeps only
  double max_speed = 0;
  // Rate sweeps: summary of each swept density (sum in cell units).
  double sum[2] = {0, 0}, min[2] = {0, 0}, max[2] = {0, 0};
  long long argmax[2] = {-1, -1};
};

// On the GPU, with axis-0 chunks of `chunk_length` cells. Throws InputError without a device.
SweepResult device_sweep(const Grid& grid, Precision precision, int species_count,
                         const Species* species, const Stage* stage, long long chunk_length);

}  // namespace wgf::cuda_probe
