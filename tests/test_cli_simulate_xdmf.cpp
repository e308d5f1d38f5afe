// The XDMF description beside simulate's 2D/3D output (wgf/solvers/xdmf_series.hpp): present for
// 2D and 3D, absent for 1D, one grid per write at the file's own times, and an existing .xdmf is
// refused like an existing output. ParaView's own reader checks the values (tests/xdmf).
#include <doctest/doctest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_sandbox.hpp"

namespace {

using wgf::testing::read_vector;
using wgf::testing::Sandbox;

// The Value of every <Time> element, in order.
std::vector<double> xdmf_times(const std::filesystem::path& file) {
  std::ifstream in(file);
  std::stringstream text;
  text << in.rdbuf();
  const std::string s = text.str();
  std::vector<double> times;
  const std::string tag = "<Time Value=\"";
  for (auto at = s.find(tag); at != std::string::npos; at = s.find(tag, at + 1))
    times.push_back(std::strtod(s.c_str() + at + tag.size(), nullptr));
  return times;
}

}  // namespace

TEST_CASE("wgf simulate writes an XDMF time series beside 2D and 3D fields, at the file's write times") {
  Sandbox box;
  const auto two = box.run("simulate --dim 2 --n 16 --kernel gaussian:sigma=1 --t-end 0.2 --write-every 0.05 "
                           "--quiet --out run2.h5");
  REQUIRE_MESSAGE(two.exit_code == 0, two.output);
  CHECK(two.output.find("for ParaView: run2.xdmf") != std::string::npos);
  const auto t = read_vector(box.path("run2.h5"), "/scales/t");
  REQUIRE(t.size() == 5);
  CHECK(xdmf_times(box.path("run2.xdmf")) == t);  // %.17g reads back as the same doubles

  const auto one = box.run("simulate --dim 1 --n 16 --kernel gaussian:sigma=1 --t-end 0.1 --quiet --out run1.h5");
  REQUIRE(one.exit_code == 0);
  CHECK_FALSE(std::filesystem::exists(box.path("run1.xdmf")));

  // An existing description is an existing output: exit 2, nothing written; --force replaces it.
  std::ofstream(box.path("run3.xdmf")) << "keep\n";
  const auto refused = box.run("simulate --dim 2 --n 16 --kernel gaussian:sigma=1 --t-end 0.1 --quiet --out run3.h5");
  CHECK(refused.exit_code == 2);
  CHECK(refused.output.find("run3.xdmf") != std::string::npos);
  CHECK_FALSE(std::filesystem::exists(box.path("run3.h5")));
  const auto forced = box.run("simulate --dim 3 --n 8 --kernel gaussian:sigma=1 --t-end 0.1 --quiet --force --out run3.h5");
  REQUIRE(forced.exit_code == 0);
  CHECK(xdmf_times(box.path("run3.xdmf")) == read_vector(box.path("run3.h5"), "/scales/t"));
}
