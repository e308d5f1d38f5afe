#include "wgf/studies/fashion_study_report.hpp"

#include <iomanip>
#include <sstream>

namespace wgf::cli {

namespace {

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

}  // namespace

std::string fashion_summary_table(const FashionStudyResult& r, const FashionStudyConfig& c) {
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

void write_fashion_study(OutputFile& file, const FashionStudyResult& r,
                         const FashionStudyConfig& c) {
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

}  // namespace wgf::cli
