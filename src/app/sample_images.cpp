#include "sample_images.hpp"

#include <algorithm>
#include <cmath>

namespace wgf::cli {

namespace {

std::uint8_t gray_of(double value) {  // [-1, 1] → 0 … 255
  const double clamped = std::clamp(value, -1.0, 1.0);
  return static_cast<std::uint8_t>(std::lround((clamped + 1.0) * 127.5));
}

}  // namespace

GrayImage tile_images(const std::vector<double>& samples, long count, long height, long width,
                      long columns, long gap) {
  const long cols = std::min(columns, count), rows = (count + cols - 1) / cols;
  GrayImage image;
  image.width = cols * width + (cols + 1) * gap;
  image.height = rows * height + (rows + 1) * gap;
  image.pixels.assign(static_cast<std::size_t>(image.width * image.height), 128);
  for (long k = 0; k < count; ++k) {
    const long top = gap + (k / cols) * (height + gap), left = gap + (k % cols) * (width + gap);
    const double* tile = samples.data() + k * height * width;
    for (long y = 0; y < height; ++y)
      for (long x = 0; x < width; ++x)
        image.pixels[static_cast<std::size_t>((top + y) * image.width + left + x)] = gray_of(tile[y * width + x]);
  }
  return image;
}

GrayImage point_density(const std::vector<double>& samples, long count, long size) {
  double largest = 0;
  for (long i = 0; i < 2 * count; ++i)
    if (std::isfinite(samples[i])) largest = std::max(largest, std::abs(samples[i]));
  const double half = largest > 0 ? 1.1 * largest : 1.0;
  std::vector<long> counts(static_cast<std::size_t>(size * size), 0);
  for (long i = 0; i < count; ++i) {
    const double x = samples[2 * i], y = samples[2 * i + 1];
    if (!std::isfinite(x) || !std::isfinite(y)) continue;
    const long column = std::clamp(static_cast<long>((x + half) / (2 * half) * size), 0L, size - 1);
    const long row = std::clamp(static_cast<long>((half - y) / (2 * half) * size), 0L, size - 1);
    ++counts[static_cast<std::size_t>(row * size + column)];
  }
  const long most = *std::max_element(counts.begin(), counts.end());
  GrayImage image;
  image.width = image.height = size;
  image.pixels.resize(counts.size());
  for (std::size_t i = 0; i < counts.size(); ++i) {
    // log(1 + c) / log(1 + max): one sample is already visible beside the densest cell.
    const double level = most > 0 ? std::log1p(static_cast<double>(counts[i])) / std::log1p(static_cast<double>(most)) : 0;
    image.pixels[i] = static_cast<std::uint8_t>(std::lround(255.0 * (1.0 - level)));
  }
  return image;
}

}  // namespace wgf::cli
