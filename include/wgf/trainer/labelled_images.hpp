#pragma once
// Images with class labels, as the classifier of the Fashion-MNIST study trains and tests on:
// an idx3 images file and its idx1 labels file (gzipped or not), pixels mapped to [−1, 1] as the
// trainer's image sources map them (datasets.hpp), so that a generator's samples and real images
// go through the classifier alike.
#include <string>
#include <vector>

namespace wgf {

struct LabelledImages {
  long count = 0;
  int dim = 0;                // pixels per image
  std::vector<long> shape;    // {rows, cols}
  std::vector<float> pixels;  // count × dim, row-major, in [−1, 1]
  std::vector<int> labels;    // count, in [0, classes)
  int classes() const;        // 1 + the largest label
};

// Throws InputError (naming `what` and the file) when either file is missing or malformed, the
// labels file is not 1-D, or the two disagree on the number of images.
LabelledImages read_labelled_images(const std::string& images_path, const std::string& labels_path,
                                    const std::string& what);

// Fashion-MNIST's file names in `folder` for split "train" or "t10k": the .gz name when that file
// exists, else the name without .gz (the tests write uncompressed files).
std::string fashion_mnist_images(const std::string& folder, const std::string& split);
std::string fashion_mnist_labels(const std::string& folder, const std::string& split);

// Writes an idx1 labels file (tests and examples).
void write_idx_labels(const std::string& path, const std::vector<unsigned char>& labels);

}  // namespace wgf
