#include "wgf/trainer/labelled_images.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>

#include "wgf/errors.hpp"
#include "wgf/trainer/datasets.hpp"

namespace wgf {

int LabelledImages::classes() const {
  return labels.empty() ? 0 : 1 + *std::max_element(labels.begin(), labels.end());
}

LabelledImages read_labelled_images(const std::string& images_path, const std::string& labels_path,
                                    const std::string& what) {
  const IdxArray images = read_idx_array(images_path, what);
  if (images.dims.size() != 3)
    throw InputError(what + ": '" + images_path + "' is not an idx3 images file (rank " +
                     std::to_string(images.dims.size()) + ")");
  const IdxArray labels = read_idx_array(labels_path, what);
  if (labels.dims.size() != 1)
    throw InputError(what + ": '" + labels_path + "' is not an idx1 labels file (rank " +
                     std::to_string(labels.dims.size()) + ")");
  if (labels.dims[0] != images.dims[0])
    throw InputError(what + ": '" + images_path + "' holds " + std::to_string(images.dims[0]) +
                     " images but '" + labels_path + "' " + std::to_string(labels.dims[0]) +
                     " labels");
  LabelledImages out;
  out.count = images.dims[0];
  out.dim = static_cast<int>(images.row_size());
  out.shape = {images.dims[1], images.dims[2]};
  out.pixels.resize(images.bytes.size());
  std::transform(images.bytes.begin(), images.bytes.end(), out.pixels.begin(), pixel_value);
  out.labels.assign(labels.bytes.begin(), labels.bytes.end());
  return out;
}

namespace {

std::string existing_name(const std::string& folder, const std::string& stem) {
  const std::filesystem::path gz = std::filesystem::path(folder) / (stem + ".gz");
  if (std::filesystem::exists(gz)) return gz.string();
  return (std::filesystem::path(folder) / stem).string();
}

}  // namespace

std::string fashion_mnist_images(const std::string& folder, const std::string& split) {
  return existing_name(folder, split + "-images-idx3-ubyte");
}

std::string fashion_mnist_labels(const std::string& folder, const std::string& split) {
  return existing_name(folder, split + "-labels-idx1-ubyte");
}

void write_idx_labels(const std::string& path, const std::vector<unsigned char>& labels) {
  std::ofstream out(path, std::ios::binary);
  const long n = static_cast<long>(labels.size());
  const unsigned char header[8] = {0, 0, 0x08, 1, static_cast<unsigned char>(n >> 24),
                                   static_cast<unsigned char>(n >> 16),
                                   static_cast<unsigned char>(n >> 8), static_cast<unsigned char>(n)};
  out.write(reinterpret_cast<const char*>(header), 8);
  out.write(reinterpret_cast<const char*>(labels.data()), static_cast<std::streamsize>(n));
}

}  // namespace wgf
