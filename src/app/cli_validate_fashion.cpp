#include "cli_validate_fashion.hpp"

#include <omp.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli_common.hpp"
#include "wgf/errors.hpp"
#include "wgf/studies/fashion_study.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/spec_text.hpp"

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace wgf::cli {

namespace {

std::vector<long> parse_integers(const std::string& text, const std::string& option, long least) {
  std::vector<long> values;
  for (const auto& token : split(text, ',')) {
    const double v = parse_number(token, option + " '" + text + "'");
    if (v != std::floor(v) || v < least || v > 1e9)
      throw InputError(option + " '" + text + "': integers >= " + std::to_string(least) +
                       ", comma-separated");
    values.push_back(static_cast<long>(v));
  }
  if (values.empty()) throw InputError(option + ": give at least one value");
  return values;
}

std::string bands_text(const std::vector<UnstableBand>& bands) {
  if (bands.empty()) return "none";
  std::ostringstream out;
  out << std::setprecision(3);
  for (std::size_t i = 0; i < bands.size(); ++i)
    out << (i ? ", " : "") << "(" << bands[i].lo << ", " << bands[i].hi << ")";
  return out.str();
}

void write_bands(hid_t group, const std::string& name, const std::vector<UnstableBand>& bands) {
  std::vector<double> flat;
  for (const auto& b : bands) flat.insert(flat.end(), {b.lo, b.hi});
  write_dataset(group, name, flat, {bands.size(), 2});
}

std::string summary_table(const FashionStudyResult& r, const FashionStudyConfig& c) {
  std::ostringstream out;
  const auto original = r.stats("original"), stabilised = r.stats("stabilised");
  out << "## Fashion-MNIST: original vs stabilised MMD GAN\n\n"
      << "Frechet distance (lower is better) between the features of " << c.eval_samples
      << " generated images and of the " << r.test_images << " test images, in the last hidden "
      << "layer of the in-project classifier " << r.classifier_shape << " (test accuracy "
      << std::fixed << std::setprecision(2) << 100 * r.classifier_test_accuracy << " %, "
      << (r.classifier_trained ? "trained in this run" : "loaded from " + r.classifier_file)
      << "). Floor: " << c.eval_samples << " training images score "
      << std::setprecision(3) << r.floor_frechet << ".\n\n" << std::defaultfloat
      << "Loss e = " << c.gan.loss << "; stabiliser s = " << c.stabilizer << ", eps = "
      << std::setprecision(4) << r.eps << " (every |xi| >= " << c.stable_above
      << " stable in df = " << c.gan.feature_dim << "; full eps* = " << r.critical.value
      << "). Unstable band of D's flow: " << bands_text(r.bands_original) << " at eps = 0, "
      << bands_text(r.bands_stabilised) << " stabilised (xi up to " << 8 * c.stable_above
      << ").\n\n"
      << "| setting | eps | seed | status | Frechet distance | classes (>= 2 % of samples) | "
         "train s |\n|---|---|---|---|---|---|---|\n";
  for (const auto& run : r.runs) {
    long total = 0, covered = 0;
    for (long n : run.class_counts) total += n;
    for (long n : run.class_counts) covered += total > 0 && n >= 0.02 * total;
    out << "| " << run.setting << " | " << std::setprecision(4) << run.eps << " | " << run.seed
        << " | " << run.status << " | " << std::fixed << std::setprecision(2) << run.frechet
        << " | " << covered << "/" << run.class_counts.size() << " | " << std::setprecision(0)
        << run.seconds << " |\n" << std::defaultfloat;
  }
  out << "\n| setting | runs | Frechet distance mean ± std |\n|---|---|---|\n" << std::fixed
      << std::setprecision(2) << "| original | " << original.count << " | " << original.mean
      << " ± " << original.std << " |\n| stabilised | " << stabilised.count << " | "
      << stabilised.mean << " ± " << stabilised.std << " |\n\nRelative change (stabilised − "
      << "original) / original: " << std::showpos << 100 * r.relative_change() << std::noshowpos
      << " %.\n";
  return out.str();
}

void write_result(OutputFile& file, const FashionStudyResult& r, const FashionStudyConfig& c) {
  const hid_t root = file.root();
  write_attribute(root, "study", std::string("fashion-mnist"));
  write_attribute(root, "device", r.device);
  write_attribute(root, "seconds", r.seconds);
  write_attribute(root, "data_folder", c.data_folder);
  write_attribute(root, "classifier_file", r.classifier_file);
  write_attribute(root, "classifier_trained", static_cast<long>(r.classifier_trained));
  write_attribute(root, "classifier_shape", r.classifier_shape);
  write_attribute(root, "classifier_seed", r.classifier_seed);
  write_attribute(root, "classifier_test_accuracy", r.classifier_test_accuracy);
  write_attribute(root, "classifier_train_accuracy", r.classifier_train_accuracy);
  write_attribute(root, "classifier_seconds", r.classifier_seconds);
  write_attribute(root, "loss", c.gan.loss);
  write_attribute(root, "stabilizer", c.stabilizer);
  write_attribute(root, "eps", r.eps);
  write_attribute(root, "stable_above_xi", c.stable_above);
  write_attribute(root, "critical_eps", r.critical.value);
  write_attribute(root, "critical_eps_reason", r.critical.reason);
  write_attribute(root, "df", static_cast<long>(c.gan.feature_dim));
  write_attribute(root, "dz", static_cast<long>(c.gan.latent_dim));
  write_attribute(root, "iters", c.gan.iterations);
  write_attribute(root, "batch", c.gan.batch);
  write_attribute(root, "lr", c.gan.generator_adam.lr);
  write_attribute(root, "g_hidden", std::vector<long>(c.gan.generator_hidden.begin(), c.gan.generator_hidden.end()));
  write_attribute(root, "d_hidden", std::vector<long>(c.gan.discriminator_hidden.begin(), c.gan.discriminator_hidden.end()));
  write_attribute(root, "g_output", c.gan.generator_output);
  write_attribute(root, "seeds", std::vector<long>(c.seeds.begin(), c.seeds.end()));
  write_attribute(root, "eval_samples", c.eval_samples);
  write_attribute(root, "test_images", r.test_images);
  write_attribute(root, "floor_frechet", r.floor_frechet);
  write_attribute(root, "relative_change", r.relative_change());
  const hid_t group = file.group("/fashion");
  write_bands(group, "unstable_bands_original", r.bands_original);
  write_bands(group, "unstable_bands_stabilised", r.bands_stabilised);
  for (const char* setting : {"original", "stabilised"}) {
    std::vector<double> values;
    for (const auto& run : r.runs)
      if (run.setting == setting) values.push_back(run.frechet);
    const std::string name = std::string("frechet_") + setting;
    write_dataset(group, name, values, {values.size()});
    H5Id dataset(H5Dopen2(group, name.c_str(), H5P_DEFAULT));
    write_attribute(dataset.get(), "mean", r.stats(setting).mean);
    write_attribute(dataset.get(), "std", r.stats(setting).std);
  }
  for (std::size_t i = 0; i < r.runs.size(); ++i) {
    const auto& run = r.runs[i];
    const hid_t g = file.group("/fashion/run_" + std::to_string(i));
    write_attribute(g, "setting", run.setting);
    write_attribute(g, "eps", run.eps);
    write_attribute(g, "seed", static_cast<long>(run.seed));
    write_attribute(g, "status", run.status);
    write_attribute(g, "file", run.file);
    write_attribute(g, "seconds", run.seconds);
    write_attribute(g, "frechet", run.frechet);
    write_dataset(g, "class_counts", run.class_counts, {run.class_counts.size()});
    const hsize_t height = r.image_shape[0], width = r.image_shape[1];
    write_dataset(g, "samples", std::vector<double>(run.samples.begin(), run.samples.end()),
                  {run.samples.size() / (height * width), height, width});
  }
}

}  // namespace

int validate_fashion_mnist(const Arguments& args, const std::string& command_line) {
  FashionStudyConfig c;
  TrainingConfig& gan = c.gan;
  // Sizes that keep one GAN run to a few minutes on two CPU cores (experiments/fashion_mnist.md).
  gan.latent_dim = 32;
  gan.generator_hidden = {256, 256};
  gan.discriminator_hidden = {256};
  gan.generator_output = "tanh";  // pixels live in [−1, 1]
  gan.batch = 128;
  gan.iterations = 1500;
  gan.log_every = 50;
  gan.device.clear();  // empty: cuda when a CUDA trainer backend can run here, else cpu
  std::string out_dir = "out/validate-fashion", seeds = "0,1,2", g_hidden = "256,256",
              d_hidden = "256", c_hidden = "256,128", study;
  double lr = 1e-3;
  long classifier_seed = 0;
  int threads = omp_get_max_threads();
  po::options_description options(
      "wgf validate --study fashion-mnist: original vs stabilised MMD GAN on Fashion-MNIST,\n"
      "quality as the Frechet distance in the feature space of an in-project classifier\n"
      "(include/wgf/studies/fashion_study.hpp)\n\noptions");
  // clang-format off
  options.add_options()
    ("help,h", "print this help")
    ("study", po::value<std::string>(&study), "fashion-mnist")
    ("data-folder", po::value<std::string>(&c.data_folder)->default_value(c.data_folder),
     "folder of train-/t10k-{images-idx3,labels-idx1}-ubyte[.gz]")
    ("classifier", po::value<std::string>(&c.classifier_file),
     "load this classifier (a classifier.h5 of an earlier run) instead of training one")
    ("classifier-hidden", po::value<std::string>(&c_hidden)->default_value(c_hidden),
     "classifier hidden widths; the last is the feature dimension")
    ("classifier-epochs", po::value<long>(&c.classifier.epochs)->default_value(c.classifier.epochs), "")
    ("classifier-batch", po::value<long>(&c.classifier.batch)->default_value(c.classifier.batch), "")
    ("classifier-lr", po::value<double>(&c.classifier.lr)->default_value(c.classifier.lr),
     "Adam rate, falling linearly to 0")
    ("classifier-seed", po::value<long>(&classifier_seed)->default_value(0), "")
    ("seeds", po::value<std::string>(&seeds)->default_value(seeds), "GAN seeds, one run per setting each")
    ("loss", po::value<std::string>(&gan.loss)->default_value(gan.loss), "kernel e")
    ("stabilizer", po::value<std::string>(&c.stabilizer)->default_value(c.stabilizer), "kernel s")
    ("stable-above", po::value<double>(&c.stable_above)->default_value(c.stable_above),
     "xi_c: eps makes every |xi| >= xi_c stable in feature space")
    ("eps", po::value<double>(&c.eps), "the stabilised eps (default: from --stable-above)")
    ("iters", po::value<long>(&gan.iterations)->default_value(gan.iterations), "GAN iterations")
    ("batch", po::value<long>(&gan.batch)->default_value(gan.batch), "")
    ("dz", po::value<int>(&gan.latent_dim)->default_value(gan.latent_dim), "")
    ("df", po::value<int>(&gan.feature_dim)->default_value(gan.feature_dim), "")
    ("g-hidden", po::value<std::string>(&g_hidden)->default_value(g_hidden), "")
    ("d-hidden", po::value<std::string>(&d_hidden)->default_value(d_hidden), "")
    ("g-output", po::value<std::string>(&gan.generator_output)->default_value(gan.generator_output), "")
    ("lr", po::value<double>(&lr)->default_value(lr), "Adam rate of both players")
    ("n-critic", po::value<int>(&gan.n_critic)->default_value(gan.n_critic), "")
    ("eval-samples", po::value<long>(&c.eval_samples)->default_value(c.eval_samples),
     "generated images per run")
    ("device", po::value<std::string>(&gan.device), "cpu | cuda (default: cuda when available)")
    ("threads", po::value<int>(&threads)->default_value(threads), "OpenMP threads")
    ("out-dir", po::value<std::string>(&out_dir)->default_value(out_dir),
     "validate.h5, summary.md, classifier.h5, runs/")
    ("force", "overwrite existing outputs")
    ("quiet", "print nothing but errors");
  // clang-format on
  po::variables_map vm;
  po::store(po::command_line_parser(args).options(options).run(), vm);
  if (vm.count("help")) {
    std::cout << options;
    return 0;
  }
  po::notify(vm);
  c.force = vm.count("force") > 0;
  c.quiet = vm.count("quiet") > 0;
  c.out_dir = out_dir;
  if (classifier_seed < 0) throw InputError("--classifier-seed: must be >= 0");
  c.classifier.seed = static_cast<std::uint64_t>(classifier_seed);
  c.classifier.hidden.clear();
  for (long w : parse_integers(c_hidden, "--classifier-hidden", 1)) c.classifier.hidden.push_back(int(w));
  c.seeds.clear();
  for (long s : parse_integers(seeds, "--seeds", 0)) c.seeds.push_back(static_cast<std::uint64_t>(s));
  gan.generator_hidden.clear();
  for (long w : parse_integers(g_hidden, "--g-hidden", 1)) gan.generator_hidden.push_back(int(w));
  gan.discriminator_hidden.clear();
  for (long w : parse_integers(d_hidden, "--d-hidden", 1)) gan.discriminator_hidden.push_back(int(w));
  gan.generator_adam.lr = gan.discriminator_adam.lr = lr;
  gan.generator_adam.validate("--lr");
  if (gan.iterations < 1) throw InputError("--iters: must be >= 1");
  gan.metrics_every = gan.iterations;  // the study's metric is the Frechet distance at the end
  if (threads < 1) throw InputError("--threads: must be >= 1");
  omp_set_num_threads(threads);
  gan.threads = threads;
  gan.command_line = command_line;
  if (vm.count("eps") && !(c.eps > 0)) throw InputError("--eps: must be > 0");

  if (!fs::is_directory(out_dir) && !fs::create_directories(out_dir))
    throw InputError("--out-dir '" + out_dir + "': cannot create the folder");
  const fs::path h5 = fs::path(out_dir) / "validate.h5";
  const fs::path markdown = fs::path(out_dir) / "summary.md";
  OutputFile::check_destination(h5, c.force);
  if (fs::exists(markdown) && !c.force)
    throw InputError("--out-dir: " + markdown.string() + " exists (use --force)");

  const FashionStudyResult result = run_fashion_study(c);

  OutputFile file(h5, c.force);
  write_run_header(file.root(), "validate", command_line);
  write_result(file, result, c);
  const std::string table = summary_table(result, c);
  const fs::path markdown_tmp = markdown.string() + ".tmp";
  std::ofstream(markdown_tmp) << "# wgf validate: fashion-mnist\n\n" << table << "\nRan on "
                              << result.device << " (the classifier on the CPU) in "
                              << std::setprecision(3) << result.seconds << " s.\n";
  file.finish("completed");
  fs::rename(markdown_tmp, markdown);
  if (!c.quiet) std::cout << table << "\nwritten to " << h5 << " and " << markdown << "\n";
  return 0;
}

}  // namespace wgf::cli
