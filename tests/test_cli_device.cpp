// `wgf simulate --device/--precision` as a user meets them: an unavailable device or precision
// is an input error (exit 2, a message naming the option, no output file); with a GPU the CUDA
// run writes the file the CPU run writes, within the parity bound.
#include <doctest/doctest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

#include "cli_sandbox.hpp"
#include "wgf/solvers/grid_flow_solver.hpp"

using wgf::testing::read_status;
using wgf::testing::read_vector;
using wgf::testing::Sandbox;

namespace {
const std::string kRun =
    "simulate --dim 2 --n 32 --kernel gaussian:sigma=0.5 --role discriminator --stabilizer "
    "gaussian:sigma=0.25 --eps 6 --init random:amp=0.2,seed=2 --t-end 0.05 --write-every 0.025 "
    "--fft-plan estimate --quiet";
}  // namespace

TEST_CASE("--device and --precision values outside the allowed ones exit 2 without output") {
  Sandbox box;
  const auto bad_device = box.run(kRun + " --device tpu --out out.h5");
  CHECK(bad_device.exit_code == 2);
  CHECK(bad_device.output.find("--device 'tpu'") != std::string::npos);
  const auto bad_precision = box.run(kRun + " --precision fp16 --out out.h5");
  CHECK(bad_precision.exit_code == 2);
  CHECK(bad_precision.output.find("--precision 'fp16'") != std::string::npos);
  const auto fp32_on_cpu = box.run(kRun + " --precision fp32 --out out.h5");
  CHECK(fp32_on_cpu.exit_code == 2);
  CHECK(fp32_on_cpu.output.find("--precision fp32") != std::string::npos);
  CHECK(box.stray_files() == 0);
}

TEST_CASE("--device cuda where no GPU can be used exits 2, says why and writes nothing") {
  std::string why;
  if (wgf::device_available(wgf::Device::cuda, &why)) {
    // Counted as skipped by ctest (CMakeLists.txt SKIP_REGULAR_EXPRESSION), not as passed.
    MESSAGE("skipped: a usable GPU is present (the next case compares its output)");
    return;
  }
  Sandbox box;
  const auto result = box.run(kRun + " --device cuda --out out.h5");
  CAPTURE(result.output);
  CHECK(result.exit_code == 2);
  CHECK(result.output.find("--device cuda") != std::string::npos);
  CHECK(result.output.find(why) != std::string::npos);
  CHECK(box.stray_files() == 0);
}

TEST_CASE("--device cuda writes the fields --device cpu writes (fp64 within 1e-10)") {
  std::string why;
  if (!wgf::device_available(wgf::Device::cuda, &why)) {
    MESSAGE("skipped: no CUDA device (" << why << ")");
    return;
  }
  Sandbox box;
  REQUIRE(box.run(kRun + " --out cpu.h5").exit_code == 0);
  const auto gpu = box.run(kRun + " --device cuda --out gpu.h5");
  CAPTURE(gpu.output);
  REQUIRE(gpu.exit_code == 0);
  CHECK(read_status(box.path("gpu.h5")) == "completed");
  for (const char* field : {"/fields/p", "/fields/q", "/diagnostics/energy", "/diagnostics/dt"}) {
    const auto a = read_vector(box.path("gpu.h5"), field);
    const auto b = read_vector(box.path("cpu.h5"), field);
    REQUIRE(a.size() == b.size());
    double gap = 0, scale = 0;
    for (std::size_t i = 0; i < a.size(); ++i) {
      gap = std::max(gap, std::fabs(a[i] - b[i]));
      scale = std::max(scale, std::fabs(b[i]));
    }
    CAPTURE(field);
    CHECK(gap <= 1e-9 * scale);  // energies are spectral sums (1e-9, see test_backend_parity)
  }
}
