// `wgf validate --study fashion-mnist` end to end on a tiny synthetic Fashion-MNIST (8×8 images,
// three classes) in seconds: the files it writes, the summary arithmetic, a reused classifier,
// and bad input (missing or malformed data, a classifier of the wrong shape) exiting 2 with no
// output left behind.
#include <doctest/doctest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "cli_sandbox.hpp"
#include "wgf/trainer/classifier.hpp"
#include "wgf/trainer/datasets.hpp"
#include "wgf/trainer/labelled_images.hpp"
#include "wgf/trainer/random.hpp"

using namespace wgf::testing;

namespace {

// Class c lights up rows 2c … 2c+2 of an 8×8 image, with noise.
void write_split(const Sandbox& box, const std::string& folder, const std::string& split,
                 long count, std::uint64_t seed) {
  wgf::Rng rng(seed);
  std::vector<unsigned char> pixels, labels;
  for (long i = 0; i < count; ++i) {
    const int c = static_cast<int>(rng.below(3));
    labels.push_back(static_cast<unsigned char>(c));
    for (int y = 0; y < 8; ++y)
      for (int x = 0; x < 8; ++x) {
        const bool lit = y >= 2 * c && y < 2 * c + 3;
        pixels.push_back(static_cast<unsigned char>((lit ? 180 : 20) + rng.below(60)));
      }
  }
  std::filesystem::create_directories(box.path(folder));
  wgf::write_idx_images(box.path(folder + "/" + split + "-images-idx3-ubyte").string(), count, 8,
                        8, pixels);
  wgf::write_idx_labels(box.path(folder + "/" + split + "-labels-idx1-ubyte").string(), labels);
}

const std::string kTiny =
    "validate --study fashion-mnist --classifier-hidden 8,4 --classifier-epochs 3 "
    "--classifier-batch 16 --iters 6 --batch 8 --dz 2 --df 2 --g-hidden 8 "
    "--d-hidden 8 --eval-samples 40 --threads 1 --quiet ";

}  // namespace

TEST_CASE("wgf validate --study fashion-mnist: tiny synthetic run, files and summary arithmetic") {
  Sandbox box;
  write_split(box, "data", "train", 150, 1);
  write_split(box, "data", "t10k", 45, 2);
  const CommandResult run = box.run(kTiny + "--seeds 0,1 --data-folder data --out-dir out");
  CAPTURE(run.output);
  REQUIRE(run.exit_code == 0);
  const auto h5 = box.path("out/validate.h5");
  CHECK(read_status(h5) == "completed");
  CHECK(std::filesystem::exists(box.path("out/summary.md")));
  CHECK(std::filesystem::exists(box.path("out/classifier.h5")));
  for (const char* file : {"original_seed0.h5", "original_seed1.h5", "stabilised_seed0.h5",
                           "stabilised_seed1.h5"})
    CHECK(read_status(box.path(std::string("out/runs/") + file)) == "completed");
  const auto original = read_vector(h5, "/fashion/frechet_original");
  const auto stabilised = read_vector(h5, "/fashion/frechet_stabilised");
  REQUIRE(original.size() == 2);
  REQUIRE(stabilised.size() == 2);
  for (double d : original) CHECK((std::isfinite(d) && d >= 0));
  for (double d : stabilised) CHECK((std::isfinite(d) && d >= 0));
  // The stored means and the relative change, recomputed here (1e-12: the same few additions).
  const double mean_o = (original[0] + original[1]) / 2, mean_s = (stabilised[0] + stabilised[1]) / 2;
  CHECK(read_double_attribute(h5, "/fashion/frechet_original", "mean") == doctest::Approx(mean_o).epsilon(1e-12));
  CHECK(read_double_attribute(h5, "/fashion/frechet_original", "std") ==
        doctest::Approx(std::fabs(original[0] - original[1]) / std::sqrt(2.0)).epsilon(1e-12));
  CHECK(read_double_attribute(h5, "/", "relative_change") ==
        doctest::Approx((mean_s - mean_o) / mean_o).epsilon(1e-12));
  CHECK(read_double_attribute(h5, "/fashion/run_2", "eps") == read_double_attribute(h5, "/", "eps"));
  CHECK(read_double_attribute(h5, "/fashion/run_0", "eps") == 0.0);
  const auto counts = read_vector(h5, "/fashion/run_0/class_counts");
  CHECK(counts.size() == 3);
  CHECK(std::accumulate(counts.begin(), counts.end(), 0.0) == 40);
  CHECK(read_vector(h5, "/fashion/run_0/samples").size() == 40 * 64);
  // Three well-separated classes: the classifier must nearly always be right on the test split.
  const double accuracy = read_double_attribute(h5, "/", "classifier_test_accuracy");
  CHECK(accuracy > 0.9);

  // The saved classifier, loaded by a second study, gives the same test accuracy.
  const CommandResult reuse =
      box.run(kTiny + "--data-folder data --classifier out/classifier.h5 --seeds 3 --out-dir again");
  CAPTURE(reuse.output);
  REQUIRE(reuse.exit_code == 0);
  CHECK(read_double_attribute(box.path("again/validate.h5"), "/", "classifier_test_accuracy") == accuracy);
  CHECK(!std::filesystem::exists(box.path("again/classifier.h5")));
  // Existing outputs are kept without --force.
  CHECK(box.run(kTiny + "--seeds 0,1 --data-folder data --out-dir out").exit_code == 2);
}

TEST_CASE("wgf validate --study fashion-mnist: bad input exits 2 and writes nothing") {
  Sandbox box;
  write_split(box, "data", "train", 60, 1);
  write_split(box, "data", "t10k", 20, 2);
  // Malformed: the training images cut short.
  std::filesystem::create_directories(box.path("cut"));
  for (const char* name : {"train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"})
    std::filesystem::copy_file(box.path(std::string("data/") + name), box.path(std::string("cut/") + name));
  {
    std::ifstream in(box.path("data/train-images-idx3-ubyte"), std::ios::binary);
    std::vector<char> bytes((std::istreambuf_iterator<char>(in)), {});
    std::ofstream(box.path("cut/train-images-idx3-ubyte"), std::ios::binary)
        .write(bytes.data(), static_cast<std::streamsize>(bytes.size() / 2));
  }
  // A classifier of the wrong shape: trained on 12-pixel images.
  wgf::LabelledImages small;
  small.count = 20;
  small.dim = 12;
  small.shape = {3, 4};
  small.pixels.assign(20 * 12, 0.5f);
  for (int i = 0; i < 20; ++i) small.labels.push_back(i % 2);
  wgf::ClassifierConfig config;
  config.hidden = {4};
  config.epochs = 1;
  wgf::ImageClassifier::train(small, config).save(box.path("small.h5").string(), "test", {}, false);
  std::ofstream(box.path("text.h5")) << "not hdf5\n";

  struct Case {
    std::string arguments, expected;
  };
  const Case cases[] = {
      {"--data-folder missing", "no such folder"},
      {"--data-folder cut", "truncated"},
      {"--data-folder data --classifier small.h5", "12 inputs"},
      {"--data-folder data --classifier text.h5", "text.h5"},
      {"--data-folder data --classifier none.h5", "none.h5"},
      {"--data-folder data --seeds 1,x", "--seeds '1,x'"},
      {"--data-folder data --device tpu", "--device 'tpu'"},
      {"--data-folder data --stabilizer nope", "nope"},
      {"--data-folder data --classifier-epochs 0", "--classifier-epochs"},
  };
  for (const auto& c : cases) {
    const CommandResult result = box.run(kTiny + c.arguments + " --out-dir out");
    CAPTURE(c.arguments);
    CAPTURE(result.output);
    CHECK(result.exit_code == 2);
    CHECK(result.output.find(c.expected) != std::string::npos);
    CHECK(!std::filesystem::exists(box.path("out/validate.h5")));
    CHECK(!std::filesystem::exists(box.path("out/classifier.h5")));
  }
}
