#include "wgf/trainer/datasets.hpp"

#include <hdf5.h>
#include <zlib.h>

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <numbers>

#include "wgf/errors.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/input_file.hpp"

namespace wgf {

const char* const kFashionMnistImages =
    "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz";

GaussianMixture ring8_mixture() {
  GaussianMixture m{2, {}, 0.02};
  for (int k = 0; k < 8; ++k) {
    const double angle = 2 * std::numbers::pi * k / 8;
    m.centres.push_back(2 * std::cos(angle));
    m.centres.push_back(2 * std::sin(angle));
  }
  return m;
}

GaussianMixture grid25_mixture() {
  GaussianMixture m{2, {}, 0.05};
  for (int i = -2; i <= 2; ++i)
    for (int j = -2; j <= 2; ++j) {
      m.centres.push_back(2.0 * i);
      m.centres.push_back(2.0 * j);
    }
  return m;
}

// ---- idx files (the MNIST family's format), read through zlib so .gz works as well ----

namespace {

struct GzFile {
  gzFile handle;
  explicit GzFile(const std::string& path) : handle(gzopen(path.c_str(), "rb")) {}
  ~GzFile() {
    if (handle) gzclose(handle);
  }
};

}  // namespace

long IdxArray::row_size() const {
  long size = 1;
  for (std::size_t d = 1; d < dims.size(); ++d) size *= dims[d];
  return size;
}

IdxArray read_idx_array(const std::string& path, const std::string& what) {
  GzFile file(path);
  if (!file.handle) throw InputError(what + ": cannot open '" + path + "'");
  unsigned char header[4];
  if (gzread(file.handle, header, 4) != 4)
    throw InputError(what + ": '" + path + "' is too short for an idx header");
  if (header[0] != 0 || header[1] != 0 || header[3] < 1 || header[3] > 4)
    throw InputError(what + ": '" + path + "' is neither an idx file (magic 00 00 08 0N) nor HDF5");
  if (header[2] != 0x08)
    throw InputError(what + ": '" + path + "' holds idx type 0x" + std::to_string(header[2]) +
                     "; only unsigned-byte (0x08) idx files are supported");
  const int rank = header[3];
  IdxArray idx;
  idx.dims.resize(rank);
  for (int d = 0; d < rank; ++d) {
    unsigned char b[4];
    if (gzread(file.handle, b, 4) != 4)
      throw InputError(what + ": '" + path + "' ends inside its idx header");
    idx.dims[d] = (long(b[0]) << 24) | (long(b[1]) << 16) | (long(b[2]) << 8) | long(b[3]);
  }
  const long row = idx.row_size();
  if (idx.dims[0] < 1 || row < 1 || row > (1L << 24))
    throw InputError(what + ": '" + path + "' has an implausible idx shape");
  idx.bytes.resize(static_cast<std::size_t>(idx.dims[0] * row));
  const long expected = static_cast<long>(idx.bytes.size());
  long read = 0;
  while (read < expected) {
    const int chunk = static_cast<int>(std::min<long>(expected - read, 1L << 30));
    const int got = gzread(file.handle, idx.bytes.data() + read, chunk);
    if (got <= 0) break;
    read += got;
  }
  if (read != expected)
    throw InputError(what + ": '" + path + "' is truncated: its header promises " +
                     std::to_string(idx.dims[0]) + " samples of " + std::to_string(row) +
                     " bytes, the file holds " + std::to_string(read) + " bytes of data");
  unsigned char extra;
  if (gzread(file.handle, &extra, 1) != 0)
    throw InputError(what + ": '" + path + "' is longer than its idx header says");
  return idx;
}

namespace {

class MixtureSource final : public DataSource {
public:
  MixtureSource(std::string name, GaussianMixture mixture, std::uint64_t seed, long held_out_rows)
      : name_(std::move(name)), mixture_(std::move(mixture)),
        held_out_(static_cast<std::size_t>(held_out_rows) * mixture_.dim) {
    Rng rng(seed, 0x4E1D0u);  // a stream of its own: training draws never repeat these
    draw(rng, held_out_rows, held_out_.data());
  }
  std::string describe() const override { return name_; }
  int dim() const override { return mixture_.dim; }
  void sample_training(Rng& rng, long rows, float* out) const override { draw(rng, rows, out); }
  long held_out_capacity() const override { return static_cast<long>(held_out_.size()) / mixture_.dim; }
  void held_out(long rows, float* out) const override {
    std::copy(held_out_.begin(), held_out_.begin() + rows * mixture_.dim, out);
  }
  const GaussianMixture* mixture() const override { return &mixture_; }

private:
  void draw(Rng& rng, long rows, float* out) const {
    const long k = mixture_.components();
    for (long i = 0; i < rows; ++i) {
      const double* centre = mixture_.centres.data() + rng.below(k) * mixture_.dim;
      for (int d = 0; d < mixture_.dim; ++d)
        out[i * mixture_.dim + d] = static_cast<float>(centre[d] + mixture_.std * rng.normal());
    }
  }

  std::string name_;
  GaussianMixture mixture_;
  std::vector<float> held_out_;
};

// Data with continuous support (no modes): the base densities the growth-rate measurements
// linearise around are smooth, unlike the mixtures' tight clumps.
//   gaussian2d      standard normal in 2D
//   uniform-square  uniform on [−1, 1]²
class ContinuousSource final : public DataSource {
public:
  enum class Law { gaussian, uniform };
  ContinuousSource(std::string name, Law law, std::uint64_t seed, long held_out_rows)
      : name_(std::move(name)), law_(law), held_out_(static_cast<std::size_t>(held_out_rows) * 2) {
    Rng rng(seed, 0x4E1D0u);  // the held-out stream, as for the mixtures
    draw(rng, held_out_rows, held_out_.data());
  }
  std::string describe() const override { return name_; }
  int dim() const override { return 2; }
  void sample_training(Rng& rng, long rows, float* out) const override { draw(rng, rows, out); }
  long held_out_capacity() const override { return static_cast<long>(held_out_.size()) / 2; }
  void held_out(long rows, float* out) const override {
    std::copy(held_out_.begin(), held_out_.begin() + rows * 2, out);
  }

private:
  void draw(Rng& rng, long rows, float* out) const {
    for (long i = 0; i < 2 * rows; ++i)
      out[i] = static_cast<float>(law_ == Law::gaussian ? rng.normal() : 2.0 * rng.uniform() - 1.0);
  }

  std::string name_;
  Law law_;
  std::vector<float> held_out_;
};

// A finite set of rows, split once into held-out and training rows by a seeded shuffle.
class FiniteSource final : public DataSource {
public:
  FiniteSource(std::string description, std::vector<float> rows, int dim,
               std::vector<long> sample_shape, std::uint64_t seed, long held_out_rows)
      : description_(std::move(description)), dim_(dim), shape_(std::move(sample_shape)) {
    const long count = static_cast<long>(rows.size()) / dim;
    if (count < 2)
      throw InputError("--data " + description_ + ": needs at least 2 samples (got " +
                       std::to_string(count) + ")");
    held_ = std::clamp<long>(std::min(held_out_rows, count / 5), 1, count - 1);
    std::vector<long> order(count);
    for (long i = 0; i < count; ++i) order[i] = i;
    Rng rng(seed, 0x5F11Du);
    for (long i = count - 1; i > 0; --i) std::swap(order[i], order[rng.below(i + 1)]);
    rows_.resize(rows.size());
    for (long i = 0; i < count; ++i)
      std::copy(rows.begin() + order[i] * dim, rows.begin() + (order[i] + 1) * dim,
                rows_.begin() + i * dim);
    training_ = count - held_;
  }
  std::string describe() const override { return description_; }
  int dim() const override { return dim_; }
  std::vector<long> sample_shape() const override { return shape_; }
  void sample_training(Rng& rng, long rows, float* out) const override {
    for (long i = 0; i < rows; ++i) {
      const float* row = rows_.data() + (held_ + static_cast<long>(rng.below(training_))) * dim_;
      std::copy(row, row + dim_, out + i * dim_);
    }
  }
  long held_out_capacity() const override { return held_; }
  void held_out(long rows, float* out) const override {
    std::copy(rows_.begin(), rows_.begin() + rows * dim_, out);
  }

private:
  std::string description_;
  int dim_;
  std::vector<long> shape_;
  std::vector<float> rows_;  // held-out rows first, then training rows
  long held_ = 0, training_ = 0;
};

std::unique_ptr<DataSource> read_idx(const std::string& path, const std::string& label,
                                     std::uint64_t seed, long held_out_rows) {
  const std::string what = "--data " + label;
  IdxArray idx = read_idx_array(path, what);
  if (idx.dims.size() < 2)
    throw InputError(what + ": '" + path + "' is a 1-D idx file (labels?); give the images file");
  const long dim = idx.row_size();
  std::vector<float> rows(idx.bytes.size());
  for (std::size_t i = 0; i < idx.bytes.size(); ++i) rows[i] = pixel_value(idx.bytes[i]);
  std::vector<long> shape(idx.dims.begin() + 1, idx.dims.end());
  return std::make_unique<FiniteSource>(label + " (" + std::to_string(idx.dims[0]) + " idx samples)",
                                        std::move(rows), static_cast<int>(dim), shape, seed,
                                        held_out_rows);
}

// ---- HDF5 points ----

herr_t collect_2d(hid_t object, const char* name, const H5O_info_t* info, void* out) {
  if (info->type != H5O_TYPE_DATASET || std::string(name) == ".") return 0;
  H5Id dataset(H5Dopen2(object, name, H5P_DEFAULT));
  H5Id space(H5Dget_space(dataset.get()));
  if (H5Sget_simple_extent_ndims(space.get()) == 2)
    static_cast<std::vector<std::string>*>(out)->push_back(std::string("/") + name);
  return 0;
}

std::unique_ptr<DataSource> read_hdf5_points(const std::string& path, std::string dataset_path,
                                             const std::string& label, std::uint64_t seed,
                                             long held_out_rows) {
  const std::string what = "--data " + label;
  H5Id file = open_for_reading(path, "--data");
  if (dataset_path.empty()) {
    std::vector<std::string> found;
    H5Ovisit2(file.get(), H5_INDEX_NAME, H5_ITER_NATIVE, collect_2d, &found, H5O_INFO_BASIC);
    if (found.empty())
      throw InputError(what + ": no 2-D dataset (samples × dimension) in '" + path + "'");
    if (found.size() > 1) {
      std::string list;
      for (const auto& f : found) list += " " + f;
      throw InputError(what + ": several 2-D datasets in '" + path + "'; name one as " + path +
                       ":/path (found" + list + ")");
    }
    dataset_path = found[0];
  }
  if (H5Lexists(file.get(), dataset_path.c_str(), H5P_DEFAULT) <= 0)
    throw InputError(what + ": no dataset '" + dataset_path + "' in '" + path + "'");
  H5Id dataset(H5Dopen2(file.get(), dataset_path.c_str(), H5P_DEFAULT));
  if (!dataset.valid()) throw InputError(what + ": '" + dataset_path + "' is not a dataset");
  H5Id type(H5Dget_type(dataset.get()));
  const H5T_class_t type_class = H5Tget_class(type.get());
  if (type_class != H5T_FLOAT && type_class != H5T_INTEGER)
    throw InputError(what + ": '" + dataset_path + "' is not numeric");
  H5Id space(H5Dget_space(dataset.get()));
  if (H5Sget_simple_extent_ndims(space.get()) != 2)
    throw InputError(what + ": '" + dataset_path + "' must be 2-D (samples × dimension)");
  hsize_t dims[2];
  H5Sget_simple_extent_dims(space.get(), dims, nullptr);
  if (dims[1] < 1 || dims[0] < 2)
    throw InputError(what + ": '" + dataset_path + "' needs >= 2 samples of dimension >= 1");
  std::vector<float> rows(dims[0] * dims[1]);
  if (H5Dread(dataset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, rows.data()) < 0)
    throw InputError(what + ": cannot read '" + dataset_path + "' as numbers");
  for (float v : rows)
    if (!std::isfinite(v))
      throw InputError(what + ": '" + dataset_path + "' holds a NaN or infinite value");
  return std::make_unique<FiniteSource>(
      label + " (" + std::to_string(dims[0]) + " points of " + path + ":" + dataset_path + ")",
      std::move(rows), static_cast<int>(dims[1]), std::vector<long>{static_cast<long>(dims[1])},
      seed, held_out_rows);
}

}  // namespace

std::unique_ptr<DataSource> make_data_source(const std::string& spec, std::uint64_t seed,
                                             long held_out_rows) {
  held_out_rows = std::max<long>(held_out_rows, 1);
  if (spec == "ring8") return std::make_unique<MixtureSource>("ring8", ring8_mixture(), seed, held_out_rows);
  if (spec == "grid25")
    return std::make_unique<MixtureSource>("grid25", grid25_mixture(), seed, held_out_rows);
  if (spec == "gaussian2d")
    return std::make_unique<ContinuousSource>("gaussian2d", ContinuousSource::Law::gaussian, seed,
                                              held_out_rows);
  if (spec == "uniform-square")
    return std::make_unique<ContinuousSource>("uniform-square", ContinuousSource::Law::uniform,
                                              seed, held_out_rows);
  if (spec == "fashion-mnist") {
    if (!std::filesystem::exists(kFashionMnistImages))
      throw InputError(std::string("--data fashion-mnist: '") + kFashionMnistImages +
                       "' not found; install the Debian package dataset-fashion-mnist "
                       "(apt-get install dataset-fashion-mnist) or give the idx file's path");
    return read_idx(kFashionMnistImages, "fashion-mnist", seed, held_out_rows);
  }
  // A file: `FILE` or `FILE:/dataset` for HDF5.
  std::string path = spec, dataset;
  const auto colon = spec.rfind(":/");
  if (colon != std::string::npos && colon > 0) {
    path = spec.substr(0, colon);
    dataset = spec.substr(colon + 1);
  }
  if (!std::filesystem::exists(path))
    throw InputError("--data '" + spec + "': no such file, and not one of ring8, grid25, "
                     "fashion-mnist, gaussian2d, uniform-square");
  if (std::filesystem::is_directory(path))
    throw InputError("--data '" + spec + "': is a directory; give the idx or HDF5 file");
  check_input_file(path, "--data '" + spec + "'");
  quiet_hdf5_errors();
  if (H5Fis_hdf5(path.c_str()) > 0) return read_hdf5_points(path, dataset, spec, seed, held_out_rows);
  if (!dataset.empty())
    throw InputError("--data '" + spec + "': '" + path + "' is not an HDF5 file");
  return read_idx(path, spec, seed, held_out_rows);
}

void write_idx_images(const std::string& path, long count, long rows, long cols,
                      const std::vector<unsigned char>& pixels) {
  std::ofstream out(path, std::ios::binary);
  const unsigned char magic[4] = {0, 0, 0x08, 3};
  out.write(reinterpret_cast<const char*>(magic), 4);
  for (long v : {count, rows, cols}) {
    const unsigned char b[4] = {static_cast<unsigned char>(v >> 24), static_cast<unsigned char>(v >> 16),
                                static_cast<unsigned char>(v >> 8), static_cast<unsigned char>(v)};
    out.write(reinterpret_cast<const char*>(b), 4);
  }
  out.write(reinterpret_cast<const char*>(pixels.data()), static_cast<std::streamsize>(pixels.size()));
}

}  // namespace wgf
