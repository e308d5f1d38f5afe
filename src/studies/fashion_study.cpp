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

}  // namespace

FashionStudyResult run_fashion_study(const FashionStudyConfig& config) {
  const auto start = std::chrono::steady_clock::now();
  auto say = [&](const std::string& line) {
    if (!config.quiet) std::cout << line << std::endl;
  };
  if (config.seeds.empty()) throw InputError("--seeds: give at least one seed");
  if (config.eval_samples < 2) throw InputError("--eval-samples: must be >= 2");
  if (!(config.stable_above > 0) || !std::isfinite(config.stable_above))
    throw InputError("--stable-above: must be a wavenumber > 0");
  config.classifier.validate();

  // Everything that can be wrong with the input is checked before any training.
  const std::string what = "--data-folder '" + config.data_folder + "'";
  if (!fs::is_directory(config.data_folder))
    throw InputError(what + ": no such folder (install the Debian package dataset-fashion-mnist, "
                     "or give the folder of train-/t10k-{images-idx3,labels-idx1}-ubyte[.gz])");
  const std::string train_images = fashion_mnist_images(config.data_folder, "train");
  const LabelledImages train = read_labelled_images(
      train_images, fashion_mnist_labels(config.data_folder, "train"), what);
  const LabelledImages test = read_labelled_images(
      fashion_mnist_images(config.data_folder, "t10k"),
      fashion_mnist_labels(config.data_folder, "t10k"), what);
  if (test.dim != train.dim)
    throw InputError(what + ": training and test images differ in size");
  if (train.count < 10 || test.count < 2)
    throw InputError(what + ": needs at least 10 training and 2 test images");
  const long eval_rows = std::min(config.eval_samples, train.count);

  FashionStudyResult result;
  result.test_images = test.count;
  result.image_shape = train.shape;
  std::string why;
  result.device = config.gan.device.empty()
                      ? (gan_backend_available("cuda", &why) ? "cuda" : "cpu")
                      : config.gan.device;
  check_gan_device(result.device);

  const GanSetup setup = make_gan_setup(config.gan, train.dim);
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

  std::vector<TrainingConfig> runs;
  for (const char* setting : {"original", "stabilised"})
    for (std::uint64_t seed : config.seeds) {
      TrainingConfig c = config.gan;
      c.data = train_images;
      c.device = result.device;
      c.seed = seed;
      c.stabilizer = std::string(setting) == "original" ? "" : config.stabilizer;
      c.eps = std::string(setting) == "original" ? 0.0 : result.eps;
      c.out = run_file(config, setting, seed);
      c.force = config.force;
      c.quiet = config.quiet;
      make_gan_setup(c, train.dim);  // the stabilised kernel compiles in feature space
      runs.push_back(c);
    }

  std::optional<ImageClassifier> classifier;
  ImageClassifier::Facts facts{{{"seed", 0.0}, {"test_accuracy", NAN}, {"train_accuracy", NAN}}, {}};
  if (!config.classifier_file.empty()) {
    classifier.emplace(ImageClassifier::load(config.classifier_file, train.dim, &facts));
    result.classifier_file = config.classifier_file;
    result.classifier_seed = facts.numbers[0].second;
  } else {
    result.classifier_file = (fs::path(config.out_dir) / "classifier.h5").string();
    OutputFile::check_destination(result.classifier_file, config.force);
  }
  fs::create_directories(fs::path(config.out_dir) / "runs");
  for (const auto& c : runs) OutputFile::check_destination(c.out, config.force);

  if (!classifier) {
    say("classifier: training " + std::to_string(config.classifier.epochs) + " epochs on " +
        std::to_string(train.count) + " images (seed " + std::to_string(config.classifier.seed) + ")");
    const auto t0 = std::chrono::steady_clock::now();
    classifier.emplace(ImageClassifier::train(train, config.classifier, [&](long epoch, double loss) {
      say("  epoch " + std::to_string(epoch) + ": mean cross-entropy " + std::to_string(loss));
    }));
    result.classifier_seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    result.classifier_trained = true;
    result.classifier_seed = static_cast<double>(config.classifier.seed);
  }
  result.classifier_test_accuracy = classifier->accuracy(test);
  result.classifier_train_accuracy = classifier->accuracy(train);
  result.classifier_shape = classifier->shape().describe();
  if (result.classifier_trained) {
    facts = {{{"seed", result.classifier_seed},
              {"test_accuracy", result.classifier_test_accuracy},
              {"train_accuracy", result.classifier_train_accuracy},
              {"epochs", static_cast<double>(config.classifier.epochs)},
              {"batch", static_cast<double>(config.classifier.batch)},
              {"lr", config.classifier.lr},
              {"seconds", result.classifier_seconds}},
             {{"data_folder", config.data_folder}}};
    classifier->save(result.classifier_file, "wgf validate --study fashion-mnist (classifier)",
                     facts, config.force);
  }
  say("classifier " + result.classifier_shape + ": test accuracy " +
      std::to_string(result.classifier_test_accuracy));

  const int features = classifier->feature_dim();
  std::vector<float> feature_buffer(std::max(test.count, eval_rows) * features);
  classifier->features(test.pixels.data(), test.count, feature_buffer.data());
  const GaussianFit test_fit = fit_gaussian(feature_buffer.data(), test.count, features);
  {
    const auto rows = random_rows(train, eval_rows, config.seeds.front());
    classifier->features(rows.data(), eval_rows, feature_buffer.data());
    result.floor_frechet =
        frechet_distance(fit_gaussian(feature_buffer.data(), eval_rows, features), test_fit);
  }
  say("Frechet distance of " + std::to_string(eval_rows) + " training images to the test images: " +
      std::to_string(result.floor_frechet));

  std::vector<float> latent(eval_rows * config.gan.latent_dim), images(eval_rows * train.dim);
  std::vector<int> predicted(eval_rows);
  Mlp<float> generator(setup.generator, 1000);
  for (const auto& c : runs) {
    FashionRun run;
    run.setting = c.eps == 0 ? "original" : "stabilised";
    run.eps = c.eps;
    run.seed = c.seed;
    run.file = c.out;
    say(run.setting + " GAN, seed " + std::to_string(c.seed) + ", eps " + std::to_string(c.eps) +
        " on " + result.device);
    const TrainingOutcome outcome = run_training(c);
    run.status = outcome.status;
    run.seconds = outcome.seconds;
    const auto parameters = read_generator(c.out, setup.generator.parameter_count());
    Rng rng(c.seed, 0xFD5A3u);  // evaluation latents of their own stream
    for (float& v : latent) v = static_cast<float>(rng.normal());
    for (long first = 0; first < eval_rows; first += 1000) {
      const long count = std::min<long>(1000, eval_rows - first);
      const float* out = generator.forward(parameters.data(),
                                           latent.data() + first * config.gan.latent_dim, count);
      std::copy_n(out, count * train.dim, images.data() + first * train.dim);
    }
    const bool finite = std::all_of(images.begin(), images.end(), [](float v) { return std::isfinite(v); });
    run.frechet = std::numeric_limits<double>::quiet_NaN();
    run.class_counts.assign(classifier->shape().outputs, 0);
    if (finite) {
      classifier->features(images.data(), eval_rows, feature_buffer.data());
      run.frechet = frechet_distance(fit_gaussian(feature_buffer.data(), eval_rows, features), test_fit);
      classifier->predict(images.data(), eval_rows, predicted.data());
      for (int label : predicted) ++run.class_counts[label];
    }
    const long kept = std::min(config.grid_samples, eval_rows);
    run.samples.assign(images.begin(), images.begin() + kept * train.dim);
    say("  " + run.status + " in " + std::to_string(run.seconds) + " s: Frechet distance " +
        std::to_string(run.frechet));
    result.runs.push_back(std::move(run));
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  return result;
}

}  // namespace wgf
