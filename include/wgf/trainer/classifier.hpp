#pragma once
// The small image classifier of the Fashion-MNIST study: an MLP (mlp.hpp) on the pixels, trained
// with softmax cross-entropy and Adam on seeded minibatches. Its last hidden layer is the feature
// space in which the study compares generated and real images (a Fréchet distance, as FID does
// with an Inception network's pool features).
//
// The features need no second network: parameters are stored layer after layer, so the first
// L−1 layers of the classifier are an MLP whose parameters are a prefix of the classifier's,
// with the hidden activation on its output.
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "wgf/trainer/labelled_images.hpp"
#include "wgf/trainer/mlp.hpp"

namespace wgf {

// Mean over `rows` of −log softmax(logits_i)[label_i] (logits: rows × classes, row-major).
// When `logits_grad` is given it receives d(mean loss)/d(logits) = (softmax − onehot)/rows.
// The log-sum-exp is shifted by each row's maximum, so large logits do not overflow.
template <typename Scalar>
double softmax_cross_entropy(const Scalar* logits, const int* labels, long rows, int classes,
                             Scalar* logits_grad);

struct ClassifierConfig {
  std::vector<int> hidden = {256, 128};  // the last width is the feature dimension
  std::string activation = "relu";
  long epochs = 8;
  long batch = 128;
  double lr = 1e-3;  // Adam (β = 0.9, 0.999), falling linearly to 0 over the run
  std::uint64_t seed = 0;
  void validate() const;  // InputError naming the option at fault
};

class ImageClassifier {
public:
  // Takes a shape and its parameters (InputError when their sizes differ).
  ImageClassifier(MlpShape shape, std::vector<float> parameters);

  // Trains on `data` (its classes() outputs). `progress(epoch, mean loss)` after each epoch.
  static ImageClassifier train(const LabelledImages& data, const ClassifierConfig& config,
                               const std::function<void(long, double)>& progress = {});

  const MlpShape& shape() const { return shape_; }
  const std::vector<float>& parameters() const { return parameters_; }
  int feature_dim() const { return feature_shape_.outputs; }

  // Last-hidden-layer activations of `rows` images (rows × inputs) into rows × feature_dim().
  void features(const float* images, long rows, float* out);
  // Index of the largest logit per image.
  void predict(const float* images, long rows, int* labels);
  double accuracy(const LabelledImages& data);

  // Save/load as HDF5 (/classifier/parameters and the shape as attributes, plus `facts`, e.g.
  // seed and accuracy, as root attributes). Loading checks the file is a classifier with
  // `inputs` inputs and a consistent parameter count (InputError otherwise).
  struct Facts {
    std::vector<std::pair<std::string, double>> numbers;
    std::vector<std::pair<std::string, std::string>> texts;
  };
  void save(const std::string& path, const std::string& command_line, const Facts& facts,
            bool force) const;
  static ImageClassifier load(const std::string& path, int inputs, Facts* facts = nullptr);

private:
  static constexpr long kChunk = 1000;  // rows per forward pass at evaluation
  MlpShape shape_, feature_shape_;
  std::vector<float> parameters_;
  Mlp<float> network_, feature_network_;
};

}  // namespace wgf
