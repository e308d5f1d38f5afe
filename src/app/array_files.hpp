#pragma once
// Arrays written for other tools: NumPy's .npy (a float64 array, C order, as numpy.save
// writes it) and an 8-bit grayscale PNG (zlib's deflate, no other library). Both through
// write_file_atomically, so a failed write leaves no file.
#include <cstdint>
#include <filesystem>
#include <vector>

namespace wgf::cli {

// Doubles of the given shape, C order (the last index fastest).
void write_npy(const std::filesystem::path& path, const std::vector<double>& values,
               const std::vector<long>& shape);

// width × height gray levels, row-major from the top row.
struct GrayImage {
  long width = 0, height = 0;
  std::vector<std::uint8_t> pixels;
};
void write_png(const std::filesystem::path& path, const GrayImage& image);

}  // namespace wgf::cli
