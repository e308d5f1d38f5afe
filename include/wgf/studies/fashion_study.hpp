#pragma once
// The Fashion-MNIST study of `wgf validate --study fashion-mnist`: does the stabiliser improve
// sample quality of an MMD GAN on images? The analogue of the CIFAR-10 FID comparison of the
// source paper, with an in-project classifier in place of the Inception network:
//
//  1. a classifier (classifier.hpp) trained on the 60k training images, or loaded from a file;
//     its test accuracy on the 10k test images is reported; its last hidden layer is the
//     feature space;
//  2. MMD GANs (the trainer's default Gaussian-mixture loss) trained on the training images,
//     original (ε = 0) and stabilised (D plays e − εs), the same seeds for both;
//  3. per run, the Fréchet distance (frechet_distance.hpp) between the classifier features of
//     generated images and of the 10k test images; mean ± std per setting and the relative
//     change. As a floor, the distance of 10k training images to the test images.
//
// The stabilised ε comes from the spectral module: the smallest ε that makes the
// discriminator's flow stable at every wavenumber |ξ| ≥ ξ_c in feature space (d = df). Not the
// full ε*: at ε ≥ ε*, F[e − εs] ≤ 0 everywhere and E_{e−εs} ≤ 0, so D's best response is to
// make real and fake features coincide — it stops discriminating. Keeping the long waves
// |ξ| < ξ_c unstable keeps D discriminating there, while the short waves, where D's ascent
// aggregates features into clumps, are damped.
#include <cstdint>
#include <string>
#include <vector>

#include "wgf/dynamics.hpp"
#include "wgf/analysis/stability.hpp"
#include "wgf/trainer/classifier.hpp"
#include "wgf/trainer/gan_trainer.hpp"

namespace wgf {

extern const char* const kFashionMnistFolder;  // Debian's dataset-fashion-mnist
extern const char* const kHalvedMixtureStabilizer;  // σ ∈ {0.5, 1, 2, 4, 8}

// sup over |ξ| ≥ xi_c of a(ξ)/b(ξ) (λ = a − εb) for `dynamics` in `dim` dimensions: with this ε
// every |ξ| ≥ xi_c is stable. Scanned on 200 points per decade over 8 decades above xi_c and
// refined at the best sample; +∞ when the stabiliser cannot hold some ξ there (b ≤ 0 < a).
double stabilising_eps_above(const Dynamics& dynamics, int dim, double xi_c);

struct FashionStudyConfig {
  std::string data_folder = kFashionMnistFolder;
  std::string classifier_file;  // load this classifier; empty: train one
  ClassifierConfig classifier;
  TrainingConfig gan;  // the GAN settings shared by every run (data, seed, eps set per run)
  // The loss's own mixture with every bandwidth halved: the same spectral shape moved to twice
  // the wavenumbers, so ε* = 2^df exactly (ŝ/ê → 2^{-df} as ξ → 0) and, for |ξ| ≥ 1, ε = 1:
  // D plays gaussian(16) − gaussian(0.5), a long-range discriminator with a short-range
  // repulsion. A single narrow Gaussian would need ε ≈ 1e11 in df = 16 (its transform must
  // outweigh the σ = 4 component's (4/σ_s)^16 at |ξ| = 1) and scatters the features until the
  // wide kernels no longer see them (experiments/fashion_mnist.md).
  std::string stabilizer = kHalvedMixtureStabilizer;
  double stable_above = 1.0;  // ξ_c
  double eps = -1;            // < 0: stabilising_eps_above(…, ξ_c)
  std::vector<std::uint64_t> seeds = {0, 1, 2};
  long eval_samples = 10000;  // generated images per run (and training images of the floor)
  long grid_samples = 64;     // images kept per run for the sample grids
  std::string out_dir;        // classifier.h5 (when trained) and runs/*.h5 go here
  bool force = false;
  bool quiet = false;
};

struct FashionRun {
  std::string setting;  // original | stabilised
  double eps = 0;
  std::uint64_t seed = 0;
  std::string status, file;
  double seconds = 0;
  double frechet = 0;
  std::vector<long> class_counts;  // the classifier's predicted classes of the generated images
  std::vector<float> samples;      // grid_samples × pixels
};

struct FashionStudyResult {
  std::string device;
  std::string classifier_file;
  bool classifier_trained = false;
  double classifier_test_accuracy = 0, classifier_train_accuracy = 0, classifier_seed = 0;
  std::string classifier_shape;
  double classifier_seconds = 0;
  long test_images = 0;
  std::vector<long> image_shape;  // {rows, cols} of one image
  double eps = 0;         // the stabilised setting's ε
  CriticalEps critical;   // the full ε* over all ξ > 0, for reference
  std::vector<UnstableBand> bands_original, bands_stabilised;  // of λ over ξ ∈ (0, 8 ξ_c]
  double floor_frechet = 0;  // training images against test images
  std::vector<FashionRun> runs;
  double seconds = 0;

  struct Stats {
    double mean = 0, std = 0;  // std with n − 1
    long count = 0;
  };
  Stats stats(const std::string& setting) const;
  // (mean stabilised − mean original) / mean original.
  double relative_change() const;
};

// Validates (InputError) before any training: the data files, the classifier file's shape.
FashionStudyResult run_fashion_study(const FashionStudyConfig& config);

}  // namespace wgf
