// Networks on file and `wgf sample`: a train file holds each network layer by layer, in the same
// numbers as its flat parameters; a forward pass written here from those datasets alone (no wgf
// network code) reproduces `wgf sample`'s samples from its stored latent rows; the .npy and PNG
// outputs decode as their formats say; bad input exits 2 and leaves no file.
#include <doctest/doctest.h>
#include <hdf5.h>
#include <zlib.h>

#include <cmath>
#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "cli_sandbox.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/trainer/datasets.hpp"

namespace {

using wgf::testing::read_root_string;
using wgf::testing::read_vector;
using wgf::testing::Sandbox;
namespace fs = std::filesystem;

std::string text_attribute(hid_t object, const char* name) {
  return wgf::testing::read_text_attribute(object, name);
}

long long_attribute(hid_t object, const char* name) {
  wgf::H5Id attribute(H5Aopen(object, name, H5P_DEFAULT));
  long value = 0;
  H5Aread(attribute.get(), H5T_NATIVE_LONG, &value);
  return value;
}

struct Layer {
  long fan_in = 0, fan_out = 0;
  std::vector<double> weight, bias;
  std::string activation;
};

// The generator as the file describes it, read with the HDF5 C API only.
std::vector<Layer> read_layers(const fs::path& file, const std::string& network) {
  wgf::H5Id f = wgf::open_for_reading(file.string(), "test");
  wgf::H5Id group(H5Gopen2(f.get(), ("/train/networks/" + network).c_str(), H5P_DEFAULT));
  REQUIRE(group.valid());
  std::vector<Layer> layers(static_cast<std::size_t>(long_attribute(group.get(), "layers")));
  for (std::size_t l = 0; l < layers.size(); ++l) {
    const std::string name = "layer_" + std::to_string(l);
    wgf::H5Id layer(H5Gopen2(group.get(), name.c_str(), H5P_DEFAULT));
    REQUIRE(layer.valid());
    Layer& out = layers[l];
    out.fan_in = long_attribute(layer.get(), "fan_in");
    out.fan_out = long_attribute(layer.get(), "fan_out");
    out.activation = text_attribute(layer.get(), "activation");
    wgf::H5Id weight(H5Dopen2(layer.get(), "weight", H5P_DEFAULT));
    wgf::H5Id space(H5Dget_space(weight.get()));
    hsize_t dims[2] = {0, 0};
    REQUIRE(H5Sget_simple_extent_ndims(space.get()) == 2);
    H5Sget_simple_extent_dims(space.get(), dims, nullptr);
    CHECK(static_cast<long>(dims[0]) == out.fan_in);
    CHECK(static_cast<long>(dims[1]) == out.fan_out);
    out.weight.resize(dims[0] * dims[1]);
    H5Dread(weight.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.weight.data());
    wgf::H5Id bias(H5Dopen2(layer.get(), "bias", H5P_DEFAULT));
    out.bias.resize(static_cast<std::size_t>(out.fan_out));
    H5Dread(bias.get(), H5T_NATIVE_DOUBLE, H5S_ALL, H5S_ALL, H5P_DEFAULT, out.bias.data());
  }
  return layers;
}

double activate(const std::string& spec, double z) {
  if (spec == "identity") return z;
  if (spec == "relu") return z > 0 ? z : 0;
  if (spec == "tanh") return std::tanh(z);
  if (spec.rfind("leaky_relu:slope=", 0) == 0) return z > 0 ? z : std::stod(spec.substr(17)) * z;
  FAIL("activation '" << spec << "' not known to this test");
  return 0;
}

// a_{l+1} = act(a_l W + b), one row at a time, by loops.
std::vector<double> forward(const std::vector<Layer>& layers, const std::vector<double>& input, long rows) {
  std::vector<double> a = input;
  for (const Layer& layer : layers) {
    std::vector<double> next(static_cast<std::size_t>(rows * layer.fan_out));
    for (long r = 0; r < rows; ++r)
      for (long j = 0; j < layer.fan_out; ++j) {
        double z = layer.bias[j];
        for (long i = 0; i < layer.fan_in; ++i) z += a[r * layer.fan_in + i] * layer.weight[i * layer.fan_out + j];
        next[r * layer.fan_out + j] = activate(layer.activation, z);
      }
    a.swap(next);
  }
  return a;
}

std::string read_bytes(const fs::path& file) {
  std::ifstream in(file, std::ios::binary);
  std::stringstream text;
  text << in.rdbuf();
  return text.str();
}

std::uint32_t big_endian(const std::string& s, std::size_t at) {
  std::uint32_t v = 0;
  for (int k = 0; k < 4; ++k) v = (v << 8) | static_cast<unsigned char>(s[at + k]);
  return v;
}

struct Png {
  long width = 0, height = 0;
  std::vector<unsigned char> pixels;  // without the filter bytes
};

// Decodes an 8-bit grayscale PNG of one IDAT chunk, checking signature, chunk CRCs and filters.
Png decode_png(const fs::path& file) {
  const std::string s = read_bytes(file);
  REQUIRE(s.size() > 8);
  REQUIRE(s.compare(0, 8, std::string("\x89PNG\r\n\x1a\n", 8)) == 0);
  Png png;
  std::string idat;
  bool ended = false;
  for (std::size_t at = 8; at + 12 <= s.size();) {
    const std::uint32_t length = big_endian(s, at);
    const std::string type = s.substr(at + 4, 4);
    REQUIRE(at + 12 + length <= s.size());
    const auto crc = crc32(0L, reinterpret_cast<const Bytef*>(s.data() + at + 4), length + 4);
    CHECK(big_endian(s, at + 8 + length) == static_cast<std::uint32_t>(crc));
    if (type == "IHDR") {
      png.width = big_endian(s, at + 8);
      png.height = big_endian(s, at + 12);
      CHECK(static_cast<int>(s[at + 16]) == 8);  // bit depth
      CHECK(static_cast<int>(s[at + 17]) == 0);  // grayscale
    } else if (type == "IDAT") {
      idat += s.substr(at + 8, length);
    } else if (type == "IEND") {
      ended = true;
    }
    at += 12 + length;
  }
  CHECK(ended);
  std::vector<unsigned char> raw(static_cast<std::size_t>((png.width + 1) * png.height));
  uLongf size = raw.size();
  REQUIRE(uncompress(raw.data(), &size, reinterpret_cast<const Bytef*>(idat.data()), idat.size()) == Z_OK);
  REQUIRE(size == raw.size());
  for (long y = 0; y < png.height; ++y) {
    CHECK(raw[y * (png.width + 1)] == 0);
    png.pixels.insert(png.pixels.end(), raw.begin() + y * (png.width + 1) + 1, raw.begin() + (y + 1) * (png.width + 1));
  }
  return png;
}

const char* kTinyGan = "train --quiet --iters 5 --batch 8 --df 2 --d-hidden 8 --eval-samples 40 ";

}  // namespace

TEST_CASE("wgf train writes its networks layer by layer; a hand-written forward pass from them reproduces wgf sample") {
  Sandbox box;
  auto trained = box.run(std::string(kTinyGan) + "--data ring8 --g-hidden 8,6 --g-output tanh --seed 3 --out g.h5");
  REQUIRE_MESSAGE(trained.exit_code == 0, trained.output);

  // The layer datasets hold exactly the flat parameters, in the flat layout (W_l, then b_l).
  for (const char* network : {"generator", "discriminator"}) {
    const auto layers = read_layers(box.path("g.h5"), network);
    std::vector<double> flat;
    for (const auto& layer : layers) {
      flat.insert(flat.end(), layer.weight.begin(), layer.weight.end());
      flat.insert(flat.end(), layer.bias.begin(), layer.bias.end());
    }
    CHECK(flat == read_vector(box.path("g.h5"), std::string("/train/final_parameters/") + network));
  }
  const auto generator = read_layers(box.path("g.h5"), "generator");
  REQUIRE(generator.size() == 3);
  CHECK(generator[0].fan_in == 2);
  CHECK(generator[1].fan_in == 8);
  CHECK(generator[2].fan_out == 2);
  CHECK(generator[0].activation == "relu");
  CHECK(generator[2].activation == "tanh");
  CHECK(read_layers(box.path("g.h5"), "discriminator")[0].activation.rfind("leaky_relu:slope=", 0) == 0);

  const long n = 500;
  auto sampled = box.run("sample --generator g.h5 --n 500 --seed 7 --out s.h5");
  REQUIRE_MESSAGE(sampled.exit_code == 0, sampled.output);
  CHECK(read_root_string(box.path("s.h5"), "status") == "completed");
  const auto latent = read_vector(box.path("s.h5"), "/latent");
  const auto samples = read_vector(box.path("s.h5"), "/samples");
  REQUIRE(latent.size() == 2 * n);
  REQUIRE(samples.size() == 2 * n);
  // Double precision on both sides, sums in another order: 1e-12 is ~10^4 roundings of slack.
  const auto expected = forward(generator, latent, n);
  double worst = 0;
  for (std::size_t i = 0; i < samples.size(); ++i) worst = std::max(worst, std::abs(samples[i] - expected[i]));
  CHECK(worst <= 1e-12);
  // Latent rows ~ N(0, 1): over 1000 draws the mean's standard error is 0.032 and the
  // variance's 0.045; 5 standard errors.
  double mean = 0, square = 0;
  for (double z : latent) {
    mean += z / latent.size();
    square += z * z / latent.size();
  }
  CHECK(std::abs(mean) < 0.16);
  CHECK(std::abs(square - mean * mean - 1) < 0.23);

  // The same seed gives the same rows; another seed others.
  REQUIRE(box.run("sample --generator g.h5 --n 500 --seed 7 --out again.h5").exit_code == 0);
  CHECK(read_vector(box.path("again.h5"), "/samples") == samples);
  REQUIRE(box.run("sample --generator g.h5 --n 500 --seed 8 --out other.h5").exit_code == 0);
  CHECK(read_vector(box.path("other.h5"), "/samples") != samples);

  // .npy: NumPy's format 1.0, the header's shape, then the same doubles.
  REQUIRE(box.run("sample --generator g.h5 --n 500 --seed 7 --out s.npy").exit_code == 0);
  const std::string npy = read_bytes(box.path("s.npy"));
  REQUIRE(npy.size() > 10);
  CHECK(npy.compare(0, 8, std::string("\x93NUMPY\x01\x00", 8)) == 0);
  const std::size_t header = static_cast<unsigned char>(npy[8]) | static_cast<unsigned char>(npy[9]) << 8;
  CHECK((10 + header) % 64 == 0);
  CHECK(npy.find("'descr': '<f8'") != std::string::npos);
  CHECK(npy.find("'shape': (500, 2)") != std::string::npos);
  REQUIRE(npy.size() == 10 + header + 8 * samples.size());
  std::vector<double> values(samples.size());
  std::memcpy(values.data(), npy.data() + 10 + header, 8 * values.size());
  CHECK(values == samples);

  // PNG of 2-D points: a density, white where no sample falls, the densest cell black.
  REQUIRE(box.run("sample --generator g.h5 --n 500 --seed 7 --png-size 64 --out d.png").exit_code == 0);
  const Png density = decode_png(box.path("d.png"));
  CHECK(density.width == 64);
  CHECK(density.height == 64);
  REQUIRE(density.pixels.size() == 64 * 64);
  long marked = 0;
  unsigned char darkest = 255;
  for (unsigned char p : density.pixels) {
    marked += p < 255;
    darkest = std::min(darkest, p);
  }
  CHECK(marked >= 1);
  CHECK(marked <= n);
  CHECK(darkest == 0);
}

TEST_CASE("wgf sample draws image samples as a PNG grid of tiles with gaps") {
  Sandbox box;
  std::vector<unsigned char> pixels(20 * 4 * 4);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<unsigned char>(i * 37 % 256);
  wgf::write_idx_images(box.path("images.idx").string(), 20, 4, 4, pixels);
  auto trained = box.run(std::string(kTinyGan) + "--data images.idx --g-hidden 8 --g-output tanh --out g.h5");
  REQUIRE_MESSAGE(trained.exit_code == 0, trained.output);
  REQUIRE(box.run("sample --generator g.h5 --n 6 --seed 2 --out s.h5").exit_code == 0);
  REQUIRE(box.run("sample --generator g.h5 --n 6 --seed 2 --columns 4 --out s.png").exit_code == 0);
  const auto samples = read_vector(box.path("s.h5"), "/samples");
  REQUIRE(samples.size() == 6 * 16);
  const Png grid = decode_png(box.path("s.png"));
  // 4 tiles of 4 pixels and 5 gaps of 2 across; 2 rows of tiles and 3 gaps down.
  CHECK(grid.width == 4 * 4 + 5 * 2);
  CHECK(grid.height == 2 * 4 + 3 * 2);
  for (long k = 0; k < 6; ++k)
    for (long y = 0; y < 4; ++y)
      for (long x = 0; x < 4; ++x) {
        const long top = 2 + (k / 4) * 6, left = 2 + (k % 4) * 6;
        const double v = std::min(1.0, std::max(-1.0, samples[k * 16 + y * 4 + x]));
        CHECK(static_cast<int>(grid.pixels[(top + y) * grid.width + left + x]) == std::lround((v + 1) * 127.5));
      }
  CHECK(static_cast<int>(grid.pixels[0]) == 128);  // a gap
  CHECK(static_cast<int>(grid.pixels[(2 + 6) * grid.width + 2 + 2 * 6 + 1]) == 128);  // the empty tiles
}

TEST_CASE("wgf sample: each bad input exits 2, names the problem and leaves no file") {
  Sandbox box;
  wgf::testing::write_points(box, "points.h5", 1);
  REQUIRE(box.run(std::string(kTinyGan) + "--data points.h5 --g-hidden 8 --out g3.h5").exit_code == 0);
  std::ofstream(box.path("keep.h5")) << "an existing output\n";
  struct BadCase {
    std::string arguments, expected;
  };
  const BadCase cases[] = {
      {"--generator g3.h5 --out s.txt", "name an .h5, .npy or .png file"},
      {"--generator missing.h5 --out s.h5", "missing.h5"},
      {"--generator points.h5 --out s.h5", "not a wgf train file"},
      {"--generator g3.h5 --n 0 --out s.h5", "--n 0"},
      {"--generator g3.h5 --seed -1 --out s.h5", "--seed"},
      {"--generator g3.h5 --out s.png", "3-dimensional samples"},
      {"--generator g3.h5 --columns 0 --out s.png", "--columns 0"},
      {"--generator g3.h5 --n 999999999999 --out s.h5", "GiB"},
      {"--generator g3.h5 --out keep.h5", "keep.h5"},
      {"--out s.h5", "generator"},
  };
  for (const auto& c : cases) {
    CAPTURE(c.arguments);
    const auto result = box.run("sample " + c.arguments);
    CHECK(result.exit_code == 2);
    CHECK_MESSAGE(result.output.find(c.expected) != std::string::npos, result.output);
    for (const char* name : {"s.h5", "s.png", "s.txt"}) CHECK_FALSE(fs::exists(box.path(name)));
  }
  CHECK(wgf::testing::read_vector(box.path("g3.h5"), "/train/final_parameters/generator").size() > 0);
}
