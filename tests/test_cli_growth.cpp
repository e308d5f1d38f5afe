// `wgf growth` as a user runs it: it refuses to run without a readable protocol, every bad input
// exits 2 naming the problem and leaves no file, and a good run writes the documented interface
// (/growth/xi, measured_rate, measured_rate_ci, predicted_free, predicted_tangent, resolved) with
// the protocol's text and its SHA-256 (checked against the SHA-256 of the file's bytes).
#include <doctest/doctest.h>
#include <hdf5.h>

#include <cmath>
#include <fstream>
#include <sstream>
#include <string>

#include "cli_sandbox.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/sha256.hpp"

namespace {

using wgf::testing::read_status;
using wgf::testing::read_vector;
using wgf::testing::Sandbox;

const char* const kSmallProtocol =
    "name = growth\nversion = 1\nbatch = 100\ntime_step = 0\nstep_phase = 0.002\nmax_steps = 200\n"
    "sample_every = 5\nstop_power_ratio = 5\nstop_phase = 1\nradii = 3, 5\ndirections = 12\n"
    "bootstrap_resamples = 20\nbootstrap_block = 3\nconfidence = 0.9\ndensity_bandwidth = 0.1\n"
    "resolved_ci_fraction = 0.5\nsoftening = 0.001\nestimator = v\nd_activation = tanh\n"
    "d_hidden = 8\nfeature_dim = 2\n";

void write_text(const Sandbox& box, const std::string& name, const std::string& text) {
  std::ofstream(box.path(name)) << text;
}

std::string read_string_attribute(const std::filesystem::path& file, const std::string& name) {
  wgf::H5Id f = wgf::open_for_reading(file.string(), "test");
  return wgf::testing::read_text_attribute(f.get(), name);
}

}  // namespace

TEST_CASE("wgf growth: bad input exits 2 with one message naming it, and writes nothing") {
  Sandbox box;
  write_text(box, "p.txt", kSmallProtocol);
  write_text(box, "typo.txt", std::string(kSmallProtocol) + "stop_powr_ratio = 3\n");
  const std::pair<std::string, std::string> cases[] = {
      {"growth --protocol missing.txt --out a.h5", "missing.txt"},
      {"growth --protocol typo.txt --out a.h5", "stop_powr_ratio"},
      {"growth --protocol p.txt --features particles --out a.h5", "--features"},
      {"growth --protocol p.txt --data nosuch --out a.h5", "nosuch"},
      {"growth --protocol p.txt --loss bogus:x=1 --out a.h5", "bogus"},
      {"growth --protocol p.txt --eps 0.5 --out a.h5", "--stabilizer"},
      {"growth --protocol p.txt --d-hidden 8,0 --out a.h5", "--d-hidden"},
      {"growth --protocol p.txt --features free --df 3 --out a.h5", "--df"},
  };
  for (const auto& [arguments, named] : cases) {
    CAPTURE(arguments);
    const auto r = box.run(arguments);
    CHECK(r.exit_code == 2);
    CHECK(r.output.find(named) != std::string::npos);
    CHECK(box.stray_files() == 2);  // the two protocol files only
  }
}

TEST_CASE("wgf growth writes the interface datasets, the protocol's text and its SHA-256") {
  Sandbox box;
  write_text(box, "p.txt", kSmallProtocol);
  const auto r = box.run("growth --protocol p.txt --quiet --loss gaussian:sigma=0.5 "
                         "--stabilizer gaussian:sigma=1 --eps 0.2 --seed 4 --out g.h5");
  REQUIRE(r.exit_code == 0);
  const auto file = box.path("g.h5");
  CHECK(read_status(file) == "completed");
  const auto xi = read_vector(file, "/growth/xi");
  REQUIRE(xi.size() == 2);
  CHECK(xi[1] / xi[0] == doctest::Approx(5.0 / 3.0).epsilon(1e-12));  // radii 3 and 5 of one cloud
  const auto measured = read_vector(file, "/growth/measured_rate");
  const auto ci = read_vector(file, "/growth/measured_rate_ci");
  REQUIRE(ci.size() == 4);
  for (int k = 0; k < 2; ++k) {
    CHECK(std::isfinite(measured[k]));
    CHECK(ci[2 * k] <= ci[2 * k + 1]);
  }
  CHECK(read_vector(file, "/growth/predicted_free").size() == 2);
  CHECK(read_vector(file, "/growth/predicted_tangent").size() == 2);
  for (double v : read_vector(file, "/growth/resolved")) CHECK((v == 0 || v == 1));
  CHECK(read_string_attribute(file, "protocol") == kSmallProtocol);
  CHECK(read_string_attribute(file, "protocol_sha256") == wgf::sha256_hex(kSmallProtocol));
}

TEST_CASE("wgf growth --checkpoint/--generator start from a trained GAN's D and G") {
  // A tiny `wgf train` run, then D's feature growth from its final parameters with fake inputs
  // from its G. The file must name the checkpoint, take the train file's data and D's shape.
  Sandbox box;
  write_text(box, "p.txt", kSmallProtocol);
  REQUIRE(box.run("train --quiet --data gaussian2d --iters 20 --batch 16 --df 3 --g-hidden 8 "
                  "--d-hidden 12 --eval-samples 40 --out gan.h5").exit_code == 0);
  const auto r = box.run("growth --protocol p.txt --quiet --checkpoint gan.h5 --generator gan.h5 --out g.h5");
  REQUIRE(r.exit_code == 0);
  const auto file = box.path("g.h5");
  CHECK(read_string_attribute(file, "data") == "gaussian2d");
  CHECK(read_string_attribute(file, "checkpoint") == "gan.h5");
  wgf::H5Id f = wgf::open_for_reading(file.string(), "test");
  wgf::H5Id group(H5Gopen2(f.get(), "/growth", H5P_DEFAULT));
  const std::string network = wgf::testing::read_text_attribute(group.get(), "network");
  CHECK(network.rfind("2-12-3 ", 0) == 0);  // the train run's D: 2 inputs, 12 hidden, df = 3
  // D's shape comes from the checkpoint: --d-hidden beside it is refused.
  CHECK(box.run("growth --protocol p.txt --checkpoint gan.h5 --d-hidden 4 --out h.h5").exit_code == 2);
  CHECK(box.run("growth --protocol p.txt --checkpoint nosuch.h5 --out h.h5").exit_code == 2);
}
