#include "wgf/studies/fashion_study.hpp"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <filesystem>
#include <iostream>
#include <limits>
#include <numeric>
#include <optional>

#include "wgf/errors.hpp"
#include "wgf/analysis/frechet_distance.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/trainer/gan_backend.hpp"
#include "wgf/trainer/labelled_images.hpp"
#include "wgf/trainer/random.hpp"

namespace fs = std::filesystem;

namespace wgf {

const char* const kFashionMnistFolder = "/usr/share/datasets/fashion-mnist";
const char* const kHalvedMixtureStabilizer =
    "gaussian:sigma=0.5+gaussian:sigma=1+gaussian:sigma=2+gaussian:sigma=4+gaussian:sigma=8";

double stabilising_eps_above(const Dynamics& dynamics, int dim, double xi_c) {
  constexpr int kPerDecade = 200, kDecades = 8;
  double best = 0, best_xi = 0;
  for (int j = 0; j <= kPerDecade * kDecades; ++j) {
    const double xi = xi_c * std::pow(10.0, static_cast<double>(j) / kPerDecade);
    const EpsCoefficients c = dynamics.eps_coefficients(xi, dim);
    if (!(c.a > 0)) continue;  // stable here at every ε ≥ 0
    if (!(c.b > 0)) return std::numeric_limits<double>::infinity();
    if (c.a / c.b > best) best = c.a / c.b, best_xi = xi;
  }
  if (best_xi == 0) return 0;
  // Golden-section refinement in log ξ between the neighbours of the best sample (the ratio is
  // smooth; the scan's spacing is 1.2 %, so this moves the value by well under a percent).
  const double step = std::log(10.0) / kPerDecade;
  double lo = std::max(std::log(xi_c), std::log(best_xi) - step), hi = std::log(best_xi) + step;
  auto ratio = [&](double t) {
    const EpsCoefficients c = dynamics.eps_coefficients(std::exp(t), dim);
    return c.b > 0 ? c.a / c.b : 0.0;
  };
  const double golden = 0.5 * (std::sqrt(5.0) - 1);
  for (int it = 0; it < 60; ++it) {
    const double x1 = hi - golden * (hi - lo), x2 = lo + golden * (hi - lo);
    if (ratio(x1) > ratio(x2)) hi = x2; else lo = x1;
  }
  return std::max(best, ratio(0.5 * (lo + hi)));
}

FashionStudyResult::Stats FashionStudyResult::stats(const std::string& setting) const {
  Stats s;
  std::vector<double> values;
  for (const auto& r : runs)
    if (r.setting == setting) values.push_back(r.frechet);
  s.count = static_cast<long>(values.size());
  if (values.empty()) return s;
  s.mean = std::accumulate(values.begin(), values.end(), 0.0) / s.count;
  if (s.count > 1) {
    double sum = 0;
    for (double v : values) sum += (v - s.mean) * (v - s.mean);
    s.std = std::sqrt(sum / (s.count - 1));
  }
  return s;
}

double FashionStudyResult::relative_change() const {
  const double original = stats("original").mean;
  return (stats("stabilised").mean - original) / original;
}

namespace {

std::vector<float> read_generator(const std::string& path, std::size_t expected) {
  H5Id file = open_for_reading(path, "GAN run");
  const char* name = "/train/final_parameters/generator";
  if (H5Lexists(file.get(), "/train/final_parameters", H5P_DEFAULT) <= 0 ||
      H5Lexists(file.get(), name, H5P_DEFAULT) <= 0)
    throw std::runtime_error("'" + path + "' holds no " + name);
  H5Id dataset(H5Dopen2(file.get(), name, H5P_DEFAULT));
  H5Id space(H5Dget_space(dataset.get()));
  std::vector<float> parameters(static_cast<std::size_t>(H5Sget_simple_extent_npoints(space.get())));
  if (parameters.size() != expected ||
      H5Dread(dataset.get(), H5T_NATIVE_FLOAT, H5S_ALL, H5S_ALL, H5P_DEFAULT, parameters.data()) < 0)
    throw std::runtime_error("cannot read the generator of '" + path + "'");
  return parameters;
}

// Random rows of `data` (seeded), as the floor's stand-in for a perfect generator.
std::vector<float> random_rows(const LabelledImages& data, long rows, std::uint64_t seed) {
  std::vector<long> order(data.count);
  std::iota(order.begin(), order.end(), 0L);
  Rng rng(seed, 0xF100Du);
  for (long i = 0; i < rows; ++i) std::swap(order[i], order[i + rng.below(data.count - i)]);
  std::vector<float> out(rows * data.dim);
  for (long i = 0; i < rows; ++i)
    std::copy_n(data.pixels.data() + order[i] * data.dim, data.dim, out.data() + i * data.dim);
  return out;
}

std::string run_file(const FashionStudyConfig& config, const std::string& setting,
                     std::uint64_t seed) {
  return (fs::path(config.out_dir) / "runs" / (setting + "_seed" + std::to_string(seed) + ".h5"))
      .string();
}

void say(const FashionStudyConfig& config, const std::string& line) {
  if (!config.quiet) std::cout << line << std::endl;
}

void check_settings(const FashionStudyConfig& config) {
  if (config.seeds.empty()) throw InputError("--seeds: give at least one seed");
  if (config.eval_samples < 2) throw InputError("--eval-samples: must be >= 2");
  if (!(config.stable_above > 0) || !std::isfinite(config.stable_above))
    throw InputError("--stable-above: must be a wavenumber > 0");
  config.classifier.validate();
}

struct FashionData {
  std::string train_images;  // the training images' file, the GAN runs' --data
  LabelledImages train, test;
};

FashionData read_fashion_data(const FashionStudyConfig& config) {
  const std::string what = "--data-folder '" + config.data_folder + "'";
  if (!fs::is_directory(config.data_folder))
    throw InputError(what + ": no such folder (install the Debian package dataset-fashion-mnist, "
                     "or give the folder of train-/t10k-{images-idx3,labels-idx1}-ubyte[.gz])");
  FashionData data;
  data.train_images = fashion_mnist_images(config.data_folder, "train");
  data.train = read_labelled_images(data.train_images,
                                    fashion_mnist_labels(config.data_folder, "train"), what);
  data.test = read_labelled_images(fashion_mnist_images(config.data_folder, "t10k"),
                                   fashion_mnist_labels(config.data_folder, "t10k"), what);
  if (data.test.dim != data.train.dim)
    throw InputError(what + ": training and test images differ in size");
  if (data.train.count < 10 || data.test.count < 2)
    throw InputError(what + ": needs at least 10 training and 2 test images");
  return data;
}

// The stabilised setting's ε and, for the report, ε* and the unstable bands of both settings:
// the discriminator's flow in feature space (d = df).
void predict_feature_flow(const FashionStudyConfig& config, FashionStudyResult& result) {
  const int df = config.gan.feature_dim;
  Dynamics dynamics{parse_kernel(config.gan.loss), parse_kernel(config.stabilizer), 0.0,
                    Role::discriminator, 1.0, 1.0};
  dynamics.validate(df);
  result.eps = config.eps >= 0 ? config.eps
                               : stabilising_eps_above(dynamics, df, config.stable_above);
  if (!std::isfinite(result.eps) || !(result.eps > 0))
    throw InputError("--stabilizer '" + config.stabilizer + "': no finite eps > 0 makes every "
                     "|xi| >= " + std::to_string(config.stable_above) + " stable for this loss "
                     "in df = " + std::to_string(df) + " dimensions; give --eps");
  result.critical = critical_eps(dynamics, df);
  const auto xi = linear_xi_samples(8 * config.stable_above, 800);
  result.bands_original = summarize_stability(dynamics, df, xi).bands;
  Dynamics stabilised = dynamics;
  stabilised.eps = result.eps;
  result.bands_stabilised = summarize_stability(stabilised, df, xi).bands;
}

// Every GAN run: each setting × each seed, checked (the stabilised kernel compiles in feature
// space) before any training.
std::vector<TrainingConfig> plan_runs(const FashionStudyConfig& config,
                                      const FashionStudyResult& result, const FashionData& data) {
  std::vector<TrainingConfig> runs;
  for (const char* setting : {"original", "stabilised"})
    for (std::uint64_t seed : config.seeds) {
      TrainingConfig c = config.gan;
      c.data = data.train_images;
      c.device = result.device;
      c.seed = seed;
      c.stabilizer = std::string(setting) == "original" ? "" : config.stabilizer;
      c.eps = std::string(setting) == "original" ? 0.0 : result.eps;
      c.out = run_file(config, setting, seed);
      c.force = config.force;
      c.quiet = config.quiet;
      make_gan_setup(c, data.train.dim);
      runs.push_back(c);
    }
  return runs;
}

// --classifier: the loaded classifier; otherwise none yet, and classifier.h5 must be writable.
std::optional<ImageClassifier> load_classifier(const FashionStudyConfig& config, int dim,
                                               FashionStudyResult& result) {
  std::optional<ImageClassifier> classifier;
  if (!config.classifier_file.empty()) {
    ImageClassifier::Facts facts{{{"seed", 0.0}, {"test_accuracy", NAN}, {"train_accuracy", NAN}}, {}};
    classifier.emplace(ImageClassifier::load(config.classifier_file, dim, &facts));
    result.classifier_file = config.classifier_file;
    result.classifier_seed = facts.numbers[0].second;
  } else {
    result.classifier_file = (fs::path(config.out_dir) / "classifier.h5").string();
    OutputFile::check_destination(result.classifier_file, config.force);
  }
  return classifier;
}

ImageClassifier train_classifier(const FashionStudyConfig& config, const LabelledImages& train,
                                 FashionStudyResult& result) {
  say(config, "classifier: training " + std::to_string(config.classifier.epochs) + " epochs on " +
                  std::to_string(train.count) + " images (seed " +
                  std::to_string(config.classifier.seed) + ")");
  const auto t0 = std::chrono::steady_clock::now();
  ImageClassifier classifier =
      ImageClassifier::train(train, config.classifier, [&](long epoch, double loss) {
        say(config, "  epoch " + std::to_string(epoch) + ": mean cross-entropy " +
                        std::to_string(loss));
      });
  result.classifier_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  result.classifier_trained = true;
  result.classifier_seed = static_cast<double>(config.classifier.seed);
  return classifier;
}

// The accuracies and shape for the report; a classifier trained here is saved with them.
void describe_classifier(const FashionStudyConfig& config, const FashionData& data,
                         ImageClassifier& classifier, FashionStudyResult& result) {
  result.classifier_test_accuracy = classifier.accuracy(data.test);
  result.classifier_train_accuracy = classifier.accuracy(data.train);
  result.classifier_shape = classifier.shape().describe();
  if (result.classifier_trained) {
    const ImageClassifier::Facts facts{{{"seed", result.classifier_seed},
                                        {"test_accuracy", result.classifier_test_accuracy},
                                        {"train_accuracy", result.classifier_train_accuracy},
                                        {"epochs", static_cast<double>(config.classifier.epochs)},
                                        {"batch", static_cast<double>(config.classifier.batch)},
                                        {"lr", config.classifier.lr},
                                        {"seconds", result.classifier_seconds}},
                                       {{"data_folder", config.data_folder}}};
    classifier.save(result.classifier_file, "wgf validate --study fashion-mnist (classifier)",
                    facts, config.force);
  }
  say(config, "classifier " + result.classifier_shape + ": test accuracy " +
                  std::to_string(result.classifier_test_accuracy));
}

// Scores images by the Fréchet distance of their classifier features to the test images'; the
// buffers are sized once for eval_rows images.
class FrechetScorer {
public:
  FrechetScorer(ImageClassifier& classifier, const LabelledImages& test, long eval_rows)
      : classifier_(classifier),
        features_(classifier.feature_dim()),
        buffer_(std::max(test.count, eval_rows) * features_) {
    classifier_.features(test.pixels.data(), test.count, buffer_.data());
    test_fit_ = fit_gaussian(buffer_.data(), test.count, features_);
  }

  double score(const float* images, long rows) {
    classifier_.features(images, rows, buffer_.data());
    return frechet_distance(fit_gaussian(buffer_.data(), rows, features_), test_fit_);
  }

private:
  ImageClassifier& classifier_;
  int features_;
  std::vector<float> buffer_;
  GaussianFit test_fit_;
};

// One GAN run trained, then eval_rows images of its final generator scored and classified.
class RunEvaluator {
public:
  RunEvaluator(const FashionStudyConfig& config, const GanSetup& setup, int image_dim,
               long eval_rows, ImageClassifier& classifier, FrechetScorer& scorer)
      : config_(config),
        setup_(setup),
        image_dim_(image_dim),
        eval_rows_(eval_rows),
        classifier_(classifier),
        scorer_(scorer),
        latent_(eval_rows * config.gan.latent_dim),
        images_(eval_rows * image_dim),
        predicted_(eval_rows),
        generator_(setup.generator, kChunk) {}

  FashionRun run(const TrainingConfig& c, const std::string& device) {
    FashionRun run;
    run.setting = c.eps == 0 ? "original" : "stabilised";
    run.eps = c.eps;
    run.seed = c.seed;
    run.file = c.out;
    say(config_, run.setting + " GAN, seed " + std::to_string(c.seed) + ", eps " +
                     std::to_string(c.eps) + " on " + device);
    const TrainingOutcome outcome = run_training(c);
    run.status = outcome.status;
    run.seconds = outcome.seconds;
    generate(c);
    const bool finite =
        std::all_of(images_.begin(), images_.end(), [](float v) { return std::isfinite(v); });
    run.frechet = std::numeric_limits<double>::quiet_NaN();
    run.class_counts.assign(classifier_.shape().outputs, 0);
    if (finite) {
      run.frechet = scorer_.score(images_.data(), eval_rows_);
      classifier_.predict(images_.data(), eval_rows_, predicted_.data());
      for (int label : predicted_) ++run.class_counts[label];
    }
    const long kept = std::min(config_.grid_samples, eval_rows_);
    run.samples.assign(images_.begin(), images_.begin() + kept * image_dim_);
    say(config_, "  " + run.status + " in " + std::to_string(run.seconds) +
                     " s: Frechet distance " + std::to_string(run.frechet));
    return run;
  }

private:
  static constexpr long kChunk = 1000;

  // images_ = G(z) of the run's final generator, z from the evaluation stream of its seed.
  void generate(const TrainingConfig& c) {
    const auto parameters = read_generator(c.out, setup_.generator.parameter_count());
    Rng rng(c.seed, 0xFD5A3u);  // evaluation latents of their own stream
    for (float& v : latent_) v = static_cast<float>(rng.normal());
    for (long first = 0; first < eval_rows_; first += kChunk) {
      const long count = std::min<long>(kChunk, eval_rows_ - first);
      const float* out = generator_.forward(parameters.data(),
                                            latent_.data() + first * config_.gan.latent_dim, count);
      std::copy_n(out, count * image_dim_, images_.data() + first * image_dim_);
    }
  }

  const FashionStudyConfig& config_;
  const GanSetup& setup_;
  int image_dim_;
  long eval_rows_;
  ImageClassifier& classifier_;
  FrechetScorer& scorer_;
  std::vector<float> latent_, images_;
  std::vector<int> predicted_;
  Mlp<float> generator_;
};

}  // namespace

FashionStudyResult run_fashion_study(const FashionStudyConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  check_settings(config);

  // Everything that can be wrong with the input is checked before any training.
  const FashionData data = read_fashion_data(config);
  const long eval_rows = std::min(config.eval_samples, data.train.count);
  FashionStudyResult result;
  result.test_images = data.test.count;
  result.image_shape = data.train.shape;
  std::string why;
  result.device = config.gan.device.empty()
                      ? (gan_backend_available("cuda", &why) ? "cuda" : "cpu")
                      : config.gan.device;
  check_gan_device(result.device);
  const GanSetup setup = make_gan_setup(config.gan, data.train.dim);
  predict_feature_flow(config, result);
  const std::vector<TrainingConfig> runs = plan_runs(config, result, data);
  std::optional<ImageClassifier> classifier = load_classifier(config, data.train.dim, result);
  fs::create_directories(fs::path(config.out_dir) / "runs");
  for (const auto& c : runs) OutputFile::check_destination(c.out, config.force);

  if (!classifier) classifier.emplace(train_classifier(config, data.train, result));
  describe_classifier(config, data, *classifier, result);
  FrechetScorer scorer(*classifier, data.test, eval_rows);
  result.floor_frechet =
      scorer.score(random_rows(data.train, eval_rows, config.seeds.front()).data(), eval_rows);
  say(config, "Frechet distance of " + std::to_string(eval_rows) +
                  " training images to the test images: " + std::to_string(result.floor_frechet));

  RunEvaluator evaluator(config, setup, data.train.dim, eval_rows, *classifier, scorer);
  for (const auto& c : runs) result.runs.push_back(evaluator.run(c, result.device));
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace wgf
