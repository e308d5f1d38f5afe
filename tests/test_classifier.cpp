// The Fashion-MNIST study's classifier: its loss gradient against finite differences, its
// training on a problem whose answer is known, its features as the prefix network, its file.
#include <doctest/doctest.h>

#include <cmath>
#include <vector>

#include "cli_sandbox.hpp"
#include "wgf/errors.hpp"
#include "wgf/trainer/classifier.hpp"
#include "wgf/trainer/datasets.hpp"
#include "wgf/trainer/labelled_images.hpp"

using namespace wgf;

namespace {

MlpShape small_shape() {
  MlpShape shape;
  shape.inputs = 6;
  shape.hidden = {5, 4};
  shape.outputs = 3;
  shape.activation = parse_activation("tanh", "test");  // smooth: no kinks for the differences
  return shape;
}

// Three classes of 12-pixel "images": class c is its own random prototype plus noise of a
// third of the prototypes' spread, so a linear read-out separates them almost surely.
LabelledImages separable(long count, std::uint64_t seed) {
  Rng prototypes_rng(77), rng(seed);
  const int dim = 12, classes = 3;
  std::vector<float> prototypes(classes * dim);
  for (float& v : prototypes) v = static_cast<float>(prototypes_rng.normal());
  LabelledImages data;
  data.count = count;
  data.dim = dim;
  data.shape = {3, 4};
  for (long i = 0; i < count; ++i) {
    const int c = static_cast<int>(rng.below(classes));
    data.labels.push_back(c);
    for (int j = 0; j < dim; ++j)
      data.pixels.push_back(prototypes[c * dim + j] + static_cast<float>(rng.normal() / 3));
  }
  return data;
}

}  // namespace

TEST_CASE("softmax cross-entropy: value from its definition, gradient by finite differences") {
  // Equal logits: −log(1/K); huge logits must not overflow.
  const double uniform[4] = {2, 2, 2, 2};
  const int label[1] = {1};
  CHECK(softmax_cross_entropy(uniform, label, 1, 4, static_cast<double*>(nullptr)) ==
        doctest::Approx(std::log(4.0)).epsilon(1e-14));
  const double huge[2] = {1000, 0};
  const int second[1] = {1};
  CHECK(softmax_cross_entropy(huge, second, 1, 2, static_cast<double*>(nullptr)) ==
        doctest::Approx(1000.0).epsilon(1e-12));

  // d(loss)/d(parameters) through the network (backward of the CE gradient) against central
  // differences of the loss. With h = 1e-6 in double the truncation error is O(h²) ≈ 1e-12 and
  // the cancellation error ≈ 1e-16/h = 1e-10 of the loss; 1e-7 relative leaves room for both
  // and is still 6 orders below a wrong sign or a missing 1/rows.
  const MlpShape shape = small_shape();
  const long rows = 7;
  Rng rng(11);
  std::vector<float> theta32(shape.parameter_count());
  initialize_mlp(shape, rng, theta32.data());
  std::vector<double> theta(theta32.begin(), theta32.end()), input(rows * shape.inputs);
  for (double& v : input) v = rng.normal();
  std::vector<int> labels(rows);
  for (int& l : labels) l = static_cast<int>(rng.below(3));
  Mlp<double> net(shape, rows);
  auto loss = [&](const std::vector<double>& p) {
    return softmax_cross_entropy(net.forward(p.data(), input.data(), rows), labels.data(), rows,
                                 shape.outputs, static_cast<double*>(nullptr));
  };
  std::vector<double> logits_grad(rows * shape.outputs), gradient(theta.size());
  softmax_cross_entropy(net.forward(theta.data(), input.data(), rows), labels.data(), rows,
                        shape.outputs, logits_grad.data());
  net.backward(theta.data(), logits_grad.data(), rows, gradient.data(), nullptr);
  double worst = 0, scale = 0;
  const double h = 1e-6;
  for (std::size_t i = 0; i < theta.size(); ++i) {
    std::vector<double> plus = theta, minus = theta;
    plus[i] += h;
    minus[i] -= h;
    const double numeric = (loss(plus) - loss(minus)) / (2 * h);
    worst = std::max(worst, std::fabs(numeric - gradient[i]));
    scale = std::max(scale, std::fabs(numeric));
  }
  MESSAGE("classifier loss gradient: worst error " << worst << " of scale " << scale);
  CHECK(scale > 1e-3);
  CHECK(worst < 1e-7 * scale);
}

TEST_CASE("the classifier learns a separable problem; its features are the prefix network's") {
  const LabelledImages train = separable(600, 1), test = separable(300, 2);
  ClassifierConfig config;
  config.hidden = {16, 8};
  config.epochs = 15;
  config.batch = 32;
  config.lr = 3e-3;
  config.seed = 4;
  ImageClassifier classifier = ImageClassifier::train(train, config);
  CHECK(classifier.shape().outputs == 3);
  CHECK(classifier.feature_dim() == 8);
  // The classes are ~6 noise standard deviations apart along a random direction: a Bayes error
  // of ~1e-9, so anything below 98% on 300 fresh images is a training failure.
  const double accuracy = classifier.accuracy(test);
  MESSAGE("separable problem: test accuracy " << accuracy);
  CHECK(accuracy > 0.98);

  // Features against the full network's first layers written out here: relu(relu(x W0 + b0) W1 + b1).
  const MlpShape& shape = classifier.shape();
  const auto& p = classifier.parameters();
  std::vector<float> features(5 * 8);
  classifier.features(test.pixels.data(), 5, features.data());
  for (long i = 0; i < 5; ++i) {
    std::vector<double> h0(16), h1(8);
    for (int j = 0; j < 16; ++j) {
      double z = p[shape.bias_offset(0) + j];
      for (int k = 0; k < 12; ++k) z += test.pixels[i * 12 + k] * p[shape.weight_offset(0) + k * 16 + j];
      h0[j] = std::max(z, 0.0);
    }
    for (int j = 0; j < 8; ++j) {
      double z = p[shape.bias_offset(1) + j];
      for (int k = 0; k < 16; ++k) z += h0[k] * p[shape.weight_offset(1) + k * 8 + j];
      h1[j] = std::max(z, 0.0);
      // fp32 products of ~30 terms of size ~1: 1e-5 absolute.
      CHECK(features[i * 8 + j] == doctest::Approx(h1[j]).epsilon(1e-5).scale(1.0));
    }
  }
}

TEST_CASE("classifier files: round trip, wrong shape and foreign files rejected") {
  testing::Sandbox box;
  const LabelledImages train = separable(100, 1);
  ClassifierConfig config;
  config.hidden = {6};
  config.epochs = 1;
  config.batch = 20;
  ImageClassifier classifier = ImageClassifier::train(train, config);
  ImageClassifier::Facts facts{{{"test_accuracy", 0.5}}, {{"note", "x"}}};
  const std::string path = box.path("c.h5").string();
  classifier.save(path, "test", facts, false);
  ImageClassifier::Facts read{{{"test_accuracy", 0.0}}, {{"note", ""}}};
  ImageClassifier loaded = ImageClassifier::load(path, 12, &read);
  CHECK(loaded.parameters() == classifier.parameters());
  CHECK(read.numbers[0].second == 0.5);
  CHECK(read.texts[0].second == "x");
  CHECK_THROWS_AS(ImageClassifier::load(path, 784), InputError);      // wrong number of inputs
  CHECK_THROWS_AS(ImageClassifier::load(box.path("none.h5").string(), 12), InputError);
  write_idx_labels(box.path("labels.idx").string(), {1, 2});
  CHECK_THROWS_AS(ImageClassifier::load(box.path("labels.idx").string(), 12), InputError);
  CHECK_THROWS_AS(ImageClassifier(classifier.shape(), std::vector<float>(3)), InputError);
}

TEST_CASE("labelled idx images: pixels scaled as the trainer's, labels, mismatches rejected") {
  testing::Sandbox box;
  std::vector<unsigned char> pixels(4 * 2 * 3);
  for (std::size_t i = 0; i < pixels.size(); ++i) pixels[i] = static_cast<unsigned char>(i * 11);
  write_idx_images(box.path("train-images-idx3-ubyte").string(), 4, 2, 3, pixels);
  write_idx_labels(box.path("train-labels-idx1-ubyte").string(), {0, 3, 1, 3});
  const std::string folder = box.path("").string();
  const LabelledImages data = read_labelled_images(fashion_mnist_images(folder, "train"),
                                                   fashion_mnist_labels(folder, "train"), "test");
  CHECK(data.count == 4);
  CHECK(data.dim == 6);
  CHECK(data.classes() == 4);
  CHECK(data.labels == std::vector<int>{0, 3, 1, 3});
  CHECK(data.pixels[5] == doctest::Approx(55 * 2.0 / 255 - 1));
  write_idx_labels(box.path("short-labels").string(), {0, 1, 2});
  CHECK_THROWS_AS(read_labelled_images(fashion_mnist_images(folder, "train"),
                                       box.path("short-labels").string(), "test"),
                  InputError);
  CHECK_THROWS_AS(read_labelled_images(fashion_mnist_labels(folder, "train"),
                                       fashion_mnist_labels(folder, "train"), "test"),
                  InputError);
}
