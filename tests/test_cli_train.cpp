// `wgf train` as a user runs it: every bad input exits 2 with a message naming the problem and
// leaves no file; a good run on an idx file and on HDF5 points writes the documented layout.
#include <doctest/doctest.h>
#include <hdf5.h>

#include <sys/wait.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "cli_sandbox.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/trainer/datasets.hpp"

namespace {

using wgf::testing::CommandResult;
using wgf::testing::read_status;
using wgf::testing::read_vector;
using wgf::testing::Sandbox;

// A tiny run: `extra` plus defaults for the size options it does not set itself.
std::string small(const std::string& extra) {
  std::string command = "train --quiet --eval-samples 40 " + extra;
  const std::pair<const char*, const char*> defaults[] = {
      {"--iters", "5"}, {"--batch", "8"}, {"--df", "2"}, {"--g-hidden", "8"}, {"--d-hidden", "8"}};
  for (const auto& [option, value] : defaults)
    if (extra.find(std::string(option) + " ") == std::string::npos)
      command += std::string(" ") + option + " " + value;
  return command;
}

}  // namespace

TEST_CASE("wgf train: each bad input exits 2, names the problem and leaves no output file") {
  Sandbox box;
  {
    std::ofstream(box.path("text.h5")) << "not hdf5, not idx\n";
    std::vector<unsigned char> pixels(10 * 4 * 4, 7);
    wgf::write_idx_images(box.path("full.idx").string(), 10, 4, 4, pixels);
    wgf::write_idx_images(box.path("short.idx").string(), 12, 4, 4, pixels);  // promises 12
    std::ofstream(box.path("keep.h5")) << "an existing output\n";
    wgf::testing::write_points(box, "foreign.h5", 0);  // only a 1-D dataset
  }
  wgf::testing::write_points(box, "two.h5", 2);
  struct BadCase {
    std::string arguments, expected;
  };
  const BadCase cases[] = {
      {small("--data nowhere.h5 --out out.h5"), "no such file"},
      {small("--data ring9 --out out.h5"), "not one of ring8, grid25, fashion-mnist"},
      {small("--data text.h5 --out out.h5"), "neither an idx file"},
      {small("--data short.idx --out out.h5"), "truncated"},
      {small("--data foreign.h5 --out out.h5"), "no 2-D dataset"},
      {small("--data two.h5 --out out.h5"), "several 2-D datasets"},
      {small("--data two.h5:/points7 --out out.h5"), "no dataset '/points7'"},
      {small("--data two.h5:/vector --out out.h5"), "must be 2-D"},
      {small("--loss gauss --out out.h5"), "unknown kernel 'gauss'"},
      {small("--loss riesz --df 1 --out out.h5"), "d >= 2"},  // elastic riesz: alpha = df - 1
      {small("--loss gaussian:sigma=-1 --out out.h5"), "sigma must be > 0"},
      {small("--eps 0.5 --out out.h5"), "--stabilizer"},
      {small("--stabilizer energy --eps -1 --out out.h5"), "--eps"},
      {small("--stabilizer wiggle --eps 1 --out out.h5"), "unknown kernel 'wiggle'"},
      {small("--iters -5 --out out.h5"), "--iters -5"},
      {small("--batch 1 --out out.h5"), "--batch 1"},
      {small("--dz 0 --out out.h5"), "--dz 0"},
      {small("--n-critic 0 --out out.h5"), "--n-critic 0"},
      {small("--estimator w --out out.h5"), "--estimator 'w'"},
      {small("--g-activation swish --out out.h5"), "unknown activation"},
      {small("--d-activation leaky_relu:slope=2 --out out.h5"), "slope must be in [0, 1)"},
      {small("--g-hidden 12,x --out out.h5"), "--g-hidden"},
      {small("--d-hidden 0 --out out.h5"), "--d-hidden"},
      {small("--lr 0 --out out.h5"), "learning rate"},
      {small("--beta1 1 --out out.h5"), "beta1"},
      {small("--lr-schedule cosine --out out.h5"), "--lr-schedule 'cosine'"},
      {small("--softening -1 --out out.h5"), "--softening"},
      {small("--seed -3 --out out.h5"), "--seed -3"},
      {small("--log-every 0 --out out.h5"), "--log-every"},
      {small("--structure-xi 1,2,3 --out out.h5"), "--structure-xi"},
      {small("--mmd-kernel nope --out out.h5"), "unknown kernel 'nope'"},
      {small("--device tpu --out out.h5"), "--device 'tpu'"},
      {small("--threads 0 --out out.h5"), "--threads 0"},
      {small("--snapshot-samples 41 --out out.h5"),  // small() evaluates 40 samples
       "--snapshot-samples 41: a snapshot holds the first rows of the evaluation samples, so it must be <= --eval-samples (40)"},
      {small("--iters abc --out out.h5"), "--iters"},
      {small("--bogus 1 --out out.h5"), "bogus"},
      {small(""), "out"},
      {small("--out keep.h5"), "file exists"},
      {small("--out missing/out.h5"), "does not exist"},
  };
  for (const auto& c : cases) {
    const CommandResult result = box.run(c.arguments);
    CAPTURE(c.arguments);
    CAPTURE(result.output);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find(c.expected) != std::string::npos);
    CHECK(result.output.find("HDF5-DIAG") == std::string::npos);
    int stray = 0;  // neither the output nor its temporary file
    for (const auto& entry : std::filesystem::directory_iterator(box.path("")))
      if (entry.path().filename() == "out.h5" ||
          entry.path().filename().string().find(".tmp-") != std::string::npos)
        ++stray;
    CHECK(stray == 0);
  }
}

TEST_CASE("wgf train on idx images and on HDF5 points: the documented layout, --force") {
  Sandbox box;
  std::vector<unsigned char> pixels(60 * 5 * 5);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<unsigned char>(i * 7 % 256);
  wgf::write_idx_images(box.path("images.idx").string(), 60, 5, 5, pixels);
  const CommandResult images = box.run(small("--data images.idx --g-output tanh --out images.h5"));
  CAPTURE(images.output);
  REQUIRE(images.exit_code == 0);
  CHECK(read_status(box.path("images.h5")) == "completed");
  CHECK(read_vector(box.path("images.h5"), "/train/snapshots/samples").size() == 2 * 12 * 25);
  for (double v : read_vector(box.path("images.h5"), "/train/snapshots/samples"))
    CHECK(std::fabs(v) <= 1.0);  // tanh output
  CHECK(read_vector(box.path("images.h5"), "/train/metrics/iter") == std::vector<double>{0, 5});
  CHECK(read_vector(box.path("images.h5"), "/train/iter") == std::vector<double>{5});

  wgf::testing::write_points(box, "points.h5", 1);
  const std::string run = small("--data points.h5 --log-every 2 --out points.h5.out ");
  REQUIRE(box.run(run).exit_code == 0);
  CHECK(box.run(run).exit_code == 2);  // exists
  const CommandResult forced = box.run(run + " --force");
  CAPTURE(forced.output);
  REQUIRE(forced.exit_code == 0);
  const auto file = box.path("points.h5.out");
  CHECK(read_vector(file, "/train/iter") == std::vector<double>{2, 4, 5});
  CHECK(read_vector(file, "/train/loss_g").size() == 3);
  CHECK(read_vector(file, "/train/loss_d").size() == 3);
  CHECK(wgf::testing::read_double_attribute(file, "/", "eps") == 0.0);
  // Without a mixture there are no mode metrics; the feature diagnostics are always there.
  CHECK(read_vector(file, "/train/metrics/feature_std_real").size() == 2);
  CHECK(read_vector(file, "/train/metrics/structure_factor").size() == 2 * 3 * 2);
  CHECK(read_vector(file, "/train/snapshots/features_fake").size() == 2 * 10 * 2);
}

TEST_CASE("wgf train: SIGINT closes a readable file marked interrupted, with its last state") {
  Sandbox box;
  // A run far too long to finish, stopped after 1 s.
  const std::string command = "cd '" + box.path("").string() + "' && OMP_NUM_THREADS=1 '" +
                              WGF_BINARY + "' " + small("--iters 100000000 --log-every 50 --out long.h5") +
                              " & pid=$!; sleep 1; kill -INT $pid; wait $pid";
  const int status = std::system(command.c_str());
  CHECK(WIFEXITED(status));
  CHECK(WEXITSTATUS(status) == 130);  // 128 + SIGINT, after the file is finished
  REQUIRE(std::filesystem::exists(box.path("long.h5")));
  CHECK(read_status(box.path("long.h5")) == "interrupted");
  // The interrupted iteration is logged, evaluated and snapshotted like a last one.
  const auto iterations = read_vector(box.path("long.h5"), "/train/iter");
  REQUIRE(!iterations.empty());
  CHECK(read_vector(box.path("long.h5"), "/train/metrics/iter").back() == iterations.back());
  CHECK(read_vector(box.path("long.h5"), "/train/snapshots/iter").back() == iterations.back());
}
