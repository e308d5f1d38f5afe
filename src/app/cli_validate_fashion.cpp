#include "cli_validate_fashion.hpp"

#include <omp.h>

#include <boost/program_options.hpp>
#include <cmath>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "cli_common.hpp"
#include "wgf/errors.hpp"
#include "wgf/studies/fashion_study.hpp"
#include "wgf/studies/fashion_study_report.hpp"
#include "wgf/h5_file.hpp"
#include "wgf/spec_text.hpp"

namespace po = boost::program_options;

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

// The study's settings as the options fill them, the option strings until parsed.
struct FashionOptions {
  FashionOptions();

  FashionStudyConfig config;
  std::string out_dir = "out/validate-fashion", seeds = "0,1,2", g_hidden = "256,256",
              d_hidden = "256", c_hidden = "256,128", study;
  double lr = 1e-3;
  long classifier_seed = 0;
  int threads = omp_get_max_threads();
};

FashionOptions::FashionOptions() {
  TrainingConfig& gan = config.gan;
  // Sizes that keep one GAN run to a few minutes on two CPU cores (experiments/fashion_mnist.md).
  gan.latent_dim = 32;
  gan.generator_hidden = {256, 256};
  gan.discriminator_hidden = {256};
  gan.generator_output = "tanh";  // pixels live in [−1, 1]
  gan.batch = 128;
  gan.iterations = 1500;
  gan.log_every = 50;
  gan.device.clear();  // empty: cuda when a CUDA trainer backend can run here, else cpu
}

void add_options(po::options_description& options, FashionOptions& o) {
  FashionStudyConfig& c = o.config;
  TrainingConfig& gan = c.gan;
  // clang-format off
  options.add_options()
    ("help,h", "print this help")
    ("study", po::value<std::string>(&o.study), "fashion-mnist")
    ("data-folder", po::value<std::string>(&c.data_folder)->default_value(c.data_folder),
     "folder of train-/t10k-{images-idx3,labels-idx1}-ubyte[.gz]")
    ("classifier", po::value<std::string>(&c.classifier_file),
     "load this classifier (a classifier.h5 of an earlier run) instead of training one")
    ("classifier-hidden", po::value<std::string>(&o.c_hidden)->default_value(o.c_hidden),
     "classifier hidden widths; the last is the feature dimension")
    ("classifier-epochs", po::value<long>(&c.classifier.epochs)->default_value(c.classifier.epochs), "")
    ("classifier-batch", po::value<long>(&c.classifier.batch)->default_value(c.classifier.batch), "")
    ("classifier-lr", po::value<double>(&c.classifier.lr)->default_value(c.classifier.lr, as_typed(c.classifier.lr)),
     "Adam rate, falling linearly to 0")
    ("classifier-seed", po::value<long>(&o.classifier_seed)->default_value(0), "")
    ("seeds", po::value<std::string>(&o.seeds)->default_value(o.seeds), "GAN seeds, one run per setting each")
    ("loss", po::value<std::string>(&gan.loss)->default_value(gan.loss), "kernel e")
    ("stabilizer", po::value<std::string>(&c.stabilizer)->default_value(c.stabilizer), "kernel s")
    ("stable-above", po::value<double>(&c.stable_above)->default_value(c.stable_above, as_typed(c.stable_above)),
     "xi_c: eps makes every |xi| >= xi_c stable in feature space")
    ("eps", po::value<double>(&c.eps), "the stabilised eps (default: from --stable-above)")
    ("iters", po::value<long>(&gan.iterations)->default_value(gan.iterations), "GAN iterations")
    ("batch", po::value<long>(&gan.batch)->default_value(gan.batch), "")
    ("dz", po::value<int>(&gan.latent_dim)->default_value(gan.latent_dim), "")
    ("df", po::value<int>(&gan.feature_dim)->default_value(gan.feature_dim), "")
    ("g-hidden", po::value<std::string>(&o.g_hidden)->default_value(o.g_hidden), "")
    ("d-hidden", po::value<std::string>(&o.d_hidden)->default_value(o.d_hidden), "")
    ("g-output", po::value<std::string>(&gan.generator_output)->default_value(gan.generator_output), "")
    ("lr", po::value<double>(&o.lr)->default_value(o.lr, as_typed(o.lr)), "Adam rate of both players")
    ("n-critic", po::value<int>(&gan.n_critic)->default_value(gan.n_critic), "")
    ("eval-samples", po::value<long>(&c.eval_samples)->default_value(c.eval_samples),
     "generated images per run")
    ("device", po::value<std::string>(&gan.device), "cpu | cuda (default: cuda when available)")
    ("threads", po::value<int>(&o.threads)->default_value(o.threads), "OpenMP threads")
    ("out-dir", po::value<std::string>(&o.out_dir)->default_value(o.out_dir),
     "validate.h5, summary.md, classifier.h5, runs/")
    ("force", "overwrite existing outputs")
    ("quiet", "print nothing but errors");
  // clang-format on
}

// Checks the parsed options (InputError) and completes the study's configuration.
void apply_options(FashionOptions& o, const po::variables_map& vm,
                   const std::string& command_line) {
  FashionStudyConfig& c = o.config;
  TrainingConfig& gan = c.gan;
  c.force = vm.count("force") > 0;
  c.quiet = vm.count("quiet") > 0;
  c.out_dir = o.out_dir;
  if (o.classifier_seed < 0) throw InputError("--classifier-seed: must be >= 0");
  c.classifier.seed = static_cast<std::uint64_t>(o.classifier_seed);
  c.classifier.hidden = parse_widths(o.c_hidden, "--classifier-hidden");
  c.seeds.clear();
  for (long s : parse_integers(o.seeds, "--seeds", 0)) c.seeds.push_back(static_cast<std::uint64_t>(s));
  gan.generator_hidden = parse_widths(o.g_hidden, "--g-hidden");
  gan.discriminator_hidden = parse_widths(o.d_hidden, "--d-hidden");
  gan.generator_adam.lr = gan.discriminator_adam.lr = o.lr;
  gan.generator_adam.validate("--lr");
  if (gan.iterations < 1) throw InputError("--iters: must be >= 1");
  gan.metrics_every = gan.iterations;  // the study's metric is the Frechet distance at the end
  check_threads(o.threads);
  omp_set_num_threads(o.threads);
  gan.threads = o.threads;
  gan.command_line = command_line;
  if (vm.count("eps") && !(c.eps > 0)) throw InputError("--eps: must be > 0");
}

}  // namespace

int validate_fashion_mnist(const Arguments& args, const std::string& command_line) {
  FashionOptions o;
  po::options_description options(
      "wgf validate --study fashion-mnist: original vs stabilised MMD GAN on Fashion-MNIST,\n"
      "quality as the Frechet distance in the feature space of an in-project classifier\n"
      "(include/wgf/studies/fashion_study.hpp)\n\noptions");
  add_options(options, o);
  po::variables_map vm;
  if (parse_options(args, options, vm)) return 0;
  apply_options(o, vm, command_line);
  const FashionStudyConfig& c = o.config;
  const StudyOutputs outputs = prepare_study_outputs(o.out_dir, c.force);

  const FashionStudyResult result = run_fashion_study(c);

  OutputFile file(outputs.h5, c.force);
  write_run_header(file.root(), "validate", command_line);
  write_fashion_study(file, result, c);
  file.finish("completed");
  const std::string table = fashion_summary_table(result, c);
  std::ostringstream summary;
  summary << "# wgf validate: fashion-mnist\n\n" << table << "\nRan on " << result.device
          << " (the classifier on the CPU) in " << std::setprecision(3) << result.seconds
          << " s.\n";
  write_summary(outputs.markdown, summary.str());
  if (!c.quiet)
    std::cout << table << "\nwritten to " << outputs.h5 << " and " << outputs.markdown << "\n";
  return 0;
}

}  // namespace wgf::cli
