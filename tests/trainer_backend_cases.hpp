#pragma once
// Test support, Kokkos-style as tests/backend_cases.hpp is for the grid solver: one test body
// instantiated per backend of the GAN trainer (TEST_CASE_TEMPLATE over the types below), so the
// CPU reference and the CUDA backend are held to the same checks.
//
// Without a usable GPU — or in a build without CUDA — a CUDA instantiation prints
// "skipped: no CUDA device with a trainer backend here (…)" and returns; ctest reports that
// output as skipped (CMakeLists.txt).
#include <doctest/doctest.h>

#include <memory>
#include <string>

#include "wgf/trainer/gan_backend.hpp"

namespace wgf::testing {

struct CpuTrainer {
  static constexpr const char* device = "cpu";
  // Evaluation passes against Mlp<float> on the host: the same products in the same order.
  static constexpr double evaluation_tolerance = 1e-6;
};
struct CudaTrainer {
  static constexpr const char* device = "cuda";
  // cuBLAS sums fp32 products of at most 8 terms in another order than the host network.
  static constexpr double evaluation_tolerance = 1e-5;
};

// True when the backend can run here; otherwise reports the skip (the body must return).
template <class Trainer>
bool trainer_ready() {
  std::string why;
  if (gan_backend_available(Trainer::device, &why)) return true;
  MESSAGE("skipped: no CUDA device with a trainer backend here (" << why << ")");
  return false;
}

template <class Trainer>
std::unique_ptr<GanBackend> make_trainer(const GanSetup& setup) {
  return make_gan_backend(Trainer::device, setup);
}

}  // namespace wgf::testing

#define WGF_TRAINER_BACKENDS wgf::testing::CpuTrainer, wgf::testing::CudaTrainer
