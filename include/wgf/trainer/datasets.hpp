#pragma once
// Where the real samples come from (`wgf train --data`):
//   ring8          8 Gaussians on a circle of radius 2, std 0.02
//   grid25         5×5 Gaussians on a grid of spacing 2 centred at 0, std 0.05
//   gaussian2d     standard normal in 2D (continuous support, no modes)
//   uniform-square uniform on [−1, 1]² (continuous support, no modes)
//   fashion-mnist  28×28 images from Debian's dataset-fashion-mnist (idx files)
//   FILE           an idx file (images, gzipped or not: pixels mapped to [−1, 1]) or an HDF5
//                  file of points, `FILE.h5` (its only 2-D dataset) or `FILE.h5:/path/to/set`
// Mixtures draw fresh samples forever; held-out samples come from their own random stream.
// Finite sets are split once (seeded): a held-out part the metrics compare against, never
// drawn for training, and the rest, drawn uniformly with replacement.
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "wgf/trainer/random.hpp"

namespace wgf {

struct GaussianMixture {
  int dim = 0;
  std::vector<double> centres;  // K × dim, row-major
  double std = 0;               // isotropic, shared by all components
  long components() const { return dim ? static_cast<long>(centres.size()) / dim : 0; }
};

GaussianMixture ring8_mixture();
GaussianMixture grid25_mixture();

class DataSource {
public:
  virtual ~DataSource() = default;
  virtual std::string describe() const = 0;  // for the run's attributes
  virtual int dim() const = 0;
  // Shape of one sample when it is an image ({28, 28}), else {dim}.
  virtual std::vector<long> sample_shape() const { return {dim()}; }
  // `rows` training samples, row-major, drawn with `rng`. Allocates nothing.
  virtual void sample_training(Rng& rng, long rows, float* out) const = 0;
  // The held-out samples the metrics use: at most held_out_capacity() rows.
  virtual long held_out_capacity() const = 0;
  virtual void held_out(long rows, float* out) const = 0;
  // The mixture behind a synthetic source (modes and quality metrics), or null.
  virtual const GaussianMixture* mixture() const { return nullptr; }
};

// `held_out_rows` is how many held-out samples the metrics want; a finite set keeps
// min(held_out_rows, a fifth of its rows) aside. Throws InputError for an unknown name, a
// missing, unreadable or malformed file (naming it and what is wrong).
std::unique_ptr<DataSource> make_data_source(const std::string& spec, std::uint64_t seed,
                                             long held_out_rows);

// Where `--data fashion-mnist` looks.
extern const char* const kFashionMnistImages;

// The contents of an idx file (gzipped or not) of unsigned bytes: its dimensions (dims[0]
// rows) and the bytes, row-major. Throws InputError naming `what` and the file when it is
// missing, not idx, not unsigned-byte, truncated or longer than its header says.
struct IdxArray {
  std::vector<long> dims;
  std::vector<unsigned char> bytes;
  long row_size() const;  // product of dims[1..]; 1 for a 1-D (labels) file
};
IdxArray read_idx_array(const std::string& path, const std::string& what);

// How every image source maps a pixel byte: [0, 255] → [−1, 1].
inline float pixel_value(unsigned char byte) { return byte * (2.0f / 255.0f) - 1.0f; }

// Writes an idx3 file of unsigned-byte images (tests and examples): count × rows × cols.
void write_idx_images(const std::string& path, long count, long rows, long cols,
                      const std::vector<unsigned char>& pixels);

}  // namespace wgf
