// `wgf train --device cuda` as a user meets it: without a usable GPU (or in a CPU-only build)
// an input error (exit 2, a message saying why, no output file); with one, the run writes the
// losses and final parameters the CPU run writes, within the backend parity bound.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "cli_sandbox.hpp"
#include "trainer_backend_cases.hpp"
#include "wgf/trainer/gan_backend.hpp"

using wgf::testing::read_status;
using wgf::testing::read_vector;
using wgf::testing::Sandbox;

namespace {
const std::string kTrain =
    "train --quiet --data ring8 --iters 20 --batch 16 --df 4 --g-hidden 16 --d-hidden 16 "
    "--eval-samples 64 --loss gaussian:sigma=0.5+gaussian:sigma=1+gaussian:sigma=2 "
    "--stabilizer energy --eps 0.3 --seed 4 --threads 1";
}  // namespace

TEST_CASE("wgf train --device cuda where no GPU can be used exits 2, says why and writes nothing") {
  std::string why;
  if (wgf::gan_backend_available("cuda", &why)) {
    // Counted as skipped by ctest (CMakeLists.txt SKIP_REGULAR_EXPRESSION), not as passed.
    MESSAGE("skipped: a usable GPU is present (the next case compares its output)");
    return;
  }
  Sandbox box;
  const auto result = box.run(kTrain + " --device cuda --out out.h5");
  CAPTURE(result.output);
  CHECK(result.exit_code == 2);
  CHECK(result.output.find("--device cuda") != std::string::npos);
  CHECK(result.output.find(why) != std::string::npos);
  CHECK(box.stray_files() == 0);
}

// The parity test's bound (tests/test_trainer_backend.cpp): fp32 reductions in another order,
// 20 Adam steps of lr 1e-3 — every logged loss within 1e-3 relative, every final parameter
// within 1e-3 of the largest.
TEST_CASE("wgf train --device cuda writes the losses and parameters --device cpu writes") {
  if (!wgf::testing::trainer_ready<wgf::testing::CudaTrainer>()) return;
  Sandbox box;
  REQUIRE(box.run(kTrain + " --out cpu.h5").exit_code == 0);
  const auto gpu = box.run(kTrain + " --device cuda --out gpu.h5");
  CAPTURE(gpu.output);
  REQUIRE(gpu.exit_code == 0);
  CHECK(read_status(box.path("gpu.h5")) == "completed");
  for (const char* losses : {"/train/loss_g", "/train/loss_d"}) {
    const auto a = read_vector(box.path("gpu.h5"), losses);
    const auto b = read_vector(box.path("cpu.h5"), losses);
    REQUIRE(a.size() == b.size());
    for (std::size_t i = 0; i < a.size(); ++i) {
      CAPTURE(losses);
      CAPTURE(i);
      CHECK(a[i] == doctest::Approx(b[i]).epsilon(1e-3));
    }
  }
  for (const char* parameters :
       {"/train/final_parameters/generator", "/train/final_parameters/discriminator"}) {
    const auto a = read_vector(box.path("gpu.h5"), parameters);
    const auto b = read_vector(box.path("cpu.h5"), parameters);
    REQUIRE(a.size() == b.size());
    double gap = 0, scale = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      gap = std::max(gap, std::fabs(a[i] - b[i]));
      scale = std::max(scale, std::fabs(b[i]));
    }
    CAPTURE(parameters);
    CHECK(gap <= 1e-3 * scale);
  }
}
