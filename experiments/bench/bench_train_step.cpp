// Benchmark (not a test): training iterations per second of a GanBackend — one iteration is
// n_critic discriminator steps and one generator step, exactly as `wgf train` runs them — for
// one network shape, batch, kernel, device and thread count. The PyTorch peer
// (experiments/bench/torch_peer.py) runs the same computation from a dump of this program;
// experiments/bench/run_train_bench.sh runs both side by side.
//
// Batches: a pool of ring8 batches and latent vectors is drawn once (seeded) and cycled, so the
// timed loop contains only the backend's work, as the peer's does.
//
//   wgf_bench_train [shape options] [--device cpu|cuda] [--threads 1] [--reps 15]
//                   [--iters-per-rep 10] [--warmup 10] [--tsv]
//       Median over reps of the time of --iters-per-rep iterations (the losses are read back
//       after each rep, which waits for a device backend to finish), as iterations per second.
//   wgf_bench_train --dump DIR [shape options] [--check-iters 5]
//       Writes the setting (DIR/meta.txt), the initial parameters (MlpShape's flat fp32 layout),
//       the batch pool, and the losses of each of the first --check-iters iterations and the
//       parameters after them, for torch_peer.py --check. Raw little-endian float32 files.
//       --product-isa baseline|avx2|avx512 runs the MLPs' products on that copy (dense_product.hpp)
//       instead of the best one the CPU has, to measure what the AVX2 + FMA copy buys.
//   wgf_bench_train --info
//       Compiler, Eigen version and the SIMD instruction sets it uses, OpenMP threads.
//   wgf_bench_train --peak
//       This core's fp32 multiply-add throughput, measured: a loop of independent FMAs (12
//       accumulators, enough to cover the FMA latency on two pipes) for 8-wide AVX2 and 16-wide
//       AVX-512 vectors, in GFLOP/s, with the clock it implies for two FMA units. The
//       roofline's peak (a virtual machine reports only its nominal clock; turbo is invisible).
//
// Shape options (defaults: the benchmark GAN): --g-hidden 256,256,256
// --d-hidden 256,256,256 --dz 2 --df 16 --batch 256 --loss <MMD GAN mixture σ ∈ {1,2,4,8,16}>
// [--stabilizer SPEC --eps E] --estimator v --n-critic 1 --lr 1e-4 --seed 1. Activations are
// `wgf train`'s defaults: G relu, D leaky_relu (slope 0.2), identity outputs.
//
// A device that cannot run here (--device cuda without a GPU or a CUDA backend) prints one line
// starting "skipped:" with the reason and exits 0, so the driver can go on.
#include <immintrin.h>
#include <omp.h>

#include <Eigen/Core>
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>
#include <vector>

#include "wgf/errors.hpp"
#include "wgf/trainer/dense_product.hpp"
#include "wgf/trainer/datasets.hpp"
#include "wgf/trainer/gan_backend.hpp"
#include "wgf/trainer/gan_trainer.hpp"
#include "wgf/trainer/random.hpp"

namespace {

using Clock = std::chrono::steady_clock;
using wgf::GanBackend;
using wgf::GanSetup;
using wgf::TrainingConfig;

struct Options {
  TrainingConfig config;
  int threads = 1;
  int reps = 15;
  int iters_per_rep = 10;
  int warmup = 10;
  int check_iters = 5;
  int pool_iterations = 4;  // iterations' worth of distinct batches in the cycled pool
  bool tsv = false;
  bool info = false;
  bool peak = false;
  std::string dump;
};

std::vector<int> parse_widths(const std::string& text) {
  std::vector<int> widths;
  std::size_t start = 0;
  while (start <= text.size()) {
    const std::size_t end = text.find(',', start);
    widths.push_back(std::stoi(text.substr(start, end - start)));
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return widths;
}

std::string join(const std::vector<int>& v) {
  std::string text;
  for (int x : v) text += (text.empty() ? "" : ",") + std::to_string(x);
  return text;
}

const char* kUsage =
    "wgf_bench_train [--g-hidden 256,256,256] [--d-hidden 256,256,256] [--dz 2] [--df 16]\n"
    "                [--batch 256] [--loss SPEC] [--stabilizer SPEC --eps E] [--estimator v]\n"
    "                [--n-critic 1] [--lr 1e-4] [--seed 1] [--device cpu|cuda] [--threads 1]\n"
    "                [--reps 15] [--iters-per-rep 10] [--warmup 10]\n"
    "                [--product-isa auto|baseline|avx2|avx512] [--tsv]\n"
    "wgf_bench_train --dump DIR [shape options] [--check-iters 5]\n"
    "wgf_bench_train --info\n"
    "wgf_bench_train --peak";

Options parse(int argc, char** argv) {
  Options o;
  TrainingConfig& c = o.config;
  c.generator_hidden = c.discriminator_hidden = {256, 256, 256};
  c.generator_adam.lr = c.discriminator_adam.lr = 1e-4;
  c.seed = 1;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    auto value = [&]() -> std::string {
      if (i + 1 >= argc) throw std::runtime_error(a + " needs a value");
      return argv[++i];
    };
    if (a == "--g-hidden") c.generator_hidden = parse_widths(value());
    else if (a == "--d-hidden") c.discriminator_hidden = parse_widths(value());
    else if (a == "--dz") c.latent_dim = std::stoi(value());
    else if (a == "--df") c.feature_dim = std::stoi(value());
    else if (a == "--batch") c.batch = std::stol(value());
    else if (a == "--loss") c.loss = value();
    else if (a == "--stabilizer") c.stabilizer = value();
    else if (a == "--eps") c.eps = std::stod(value());
    else if (a == "--estimator") c.estimator = value();
    else if (a == "--n-critic") c.n_critic = std::stoi(value());
    else if (a == "--lr") c.generator_adam.lr = c.discriminator_adam.lr = std::stod(value());
    else if (a == "--seed") c.seed = std::stoull(value());
    else if (a == "--device") c.device = value();
    else if (a == "--threads") o.threads = std::stoi(value());
    else if (a == "--reps") o.reps = std::stoi(value());
    else if (a == "--iters-per-rep") o.iters_per_rep = std::stoi(value());
    else if (a == "--warmup") o.warmup = std::stoi(value());
    else if (a == "--check-iters") o.check_iters = std::stoi(value());
    else if (a == "--product-isa") {
      const std::string isa = value();
      if (isa == "baseline") wgf::forced_product_isa = wgf::ProductIsa::baseline;
      else if (isa == "avx2") wgf::forced_product_isa = wgf::ProductIsa::avx2_fma;
      else if (isa == "avx512") wgf::forced_product_isa = wgf::ProductIsa::avx512;
      else if (isa != "auto") throw std::runtime_error("--product-isa: auto, baseline, avx2 or avx512");
    } else if (a == "--tsv") o.tsv = true;
    else if (a == "--info") o.info = true;
    else if (a == "--peak") o.peak = true;
    else if (a == "--dump") o.dump = value();
    else if (a == "--help" || a == "-h") {
      std::puts(kUsage);
      std::exit(0);
    } else {
      throw std::runtime_error("unknown argument '" + a + "' (see --help)");
    }
  }
  if (o.threads < 1 || o.reps < 1 || o.iters_per_rep < 1 || o.warmup < 0 || o.check_iters < 1)
    throw std::runtime_error("--threads, --reps, --iters-per-rep, --check-iters must be >= 1");
  return o;
}

// The initial parameters `wgf train` would start from with this seed, and the batch pool.
struct Workload {
  GanSetup setup;
  int dx = 0;
  std::vector<float> generator, discriminator;
  std::vector<float> real, latent;  // pool: batches × batch × dx, batches × batch × dz
  long batches = 0;

  const float* real_batch(long k) const { return real.data() + (k % batches) * setup.batch * dx; }
  const float* latent_batch(long k) const {
    return latent.data() + (k % batches) * setup.batch * setup.generator.inputs;
  }
};

Workload make_workload(const Options& o) {
  const TrainingConfig& c = o.config;
  const auto data = wgf::make_data_source("ring8", c.seed, 1);
  Workload w;
  w.dx = data->dim();
  w.setup = wgf::make_gan_setup(c, w.dx);
  w.generator.resize(w.setup.generator.parameter_count());
  w.discriminator.resize(w.setup.discriminator.parameter_count());
  wgf::Rng init(c.seed, 1);
  wgf::initialize_mlp(w.setup.generator, init, w.generator.data());
  wgf::initialize_mlp(w.setup.discriminator, init, w.discriminator.data());
  w.batches = static_cast<long>(o.pool_iterations) * (c.n_critic + 1);
  w.real.resize(w.batches * c.batch * w.dx);
  w.latent.resize(w.batches * c.batch * c.latent_dim);
  wgf::Rng rng(c.seed, 2);
  data->sample_training(rng, w.batches * c.batch, w.real.data());
  for (float& v : w.latent) v = static_cast<float>(rng.normal());
  return w;
}

// One training iteration as the training loop runs it; `next` counts batches used so far.
void iteration(GanBackend& backend, const Workload& w, int n_critic, long& next) {
  for (int k = 0; k < n_critic; ++k, ++next)
    backend.discriminator_step(w.real_batch(next), w.latent_batch(next));
  backend.generator_step(w.real_batch(next), w.latent_batch(next));
  ++next;
}

void write_floats(const std::filesystem::path& path, const std::vector<float>& v) {
  std::ofstream out(path, std::ios::binary);
  out.write(reinterpret_cast<const char*>(v.data()), static_cast<std::streamsize>(v.size() * sizeof(float)));
  if (!out) throw std::runtime_error("cannot write " + path.string());
}

void dump(const Options& o) {
  const TrainingConfig& c = o.config;
  const Workload w = make_workload(o);
  const std::filesystem::path dir(o.dump);
  std::filesystem::create_directories(dir);
  {
    std::ofstream meta(dir / "meta.txt");
    meta.precision(17);
    meta << "g_hidden " << join(c.generator_hidden) << "\n"
         << "d_hidden " << join(c.discriminator_hidden) << "\n"
         << "dz " << c.latent_dim << "\ndx " << w.dx << "\ndf " << c.feature_dim << "\n"
         << "g_activation " << w.setup.generator.activation.spec() << "\n"
         << "d_activation " << w.setup.discriminator.activation.spec() << "\n"
         << "batch " << c.batch << "\nn_critic " << c.n_critic << "\n"
         << "generator_kernel " << w.setup.generator_kernel.spec() << "\n"
         << "discriminator_kernel " << w.setup.discriminator_kernel.spec() << "\n"
         << "softening " << w.setup.softening << "\n"
         << "estimator " << c.estimator << "\n"
         << "lr " << c.generator_adam.lr << "\nbeta1 " << c.generator_adam.beta1 << "\n"
         << "beta2 " << c.generator_adam.beta2 << "\nadam_eps " << c.generator_adam.eps << "\n"
         << "pool_batches " << w.batches << "\ncheck_iters " << o.check_iters << "\n"
         << "seed " << c.seed << "\n";
  }
  write_floats(dir / "generator0.bin", w.generator);
  write_floats(dir / "discriminator0.bin", w.discriminator);
  write_floats(dir / "real.bin", w.real);
  write_floats(dir / "latent.bin", w.latent);

  omp_set_num_threads(o.threads);
  auto backend = wgf::make_gan_backend(c.device, w.setup);
  backend->load_parameters(w.generator, w.discriminator);
  std::ofstream losses(dir / "losses.txt");
  losses.precision(9);
  long next = 0;
  for (int it = 0; it < o.check_iters; ++it) {
    iteration(*backend, w, c.n_critic, next);
    const wgf::StepLosses l = backend->last_losses();
    losses << l.discriminator << " " << l.generator << "\n";
  }
  std::vector<float> g(w.generator.size()), d(w.discriminator.size());
  backend->read_parameters(g, d);
  write_floats(dir / "generator_after.bin", g);
  write_floats(dir / "discriminator_after.bin", d);
  std::printf("dumped %s: %s / %s, batch %ld, %d check iterations on %s\n", o.dump.c_str(),
              w.setup.generator.describe().c_str(), w.setup.discriminator.describe().c_str(),
              c.batch, o.check_iters, backend->name().c_str());
}

// The work of one iteration as the CPU backend does it (cpu_gan_backend.cpp), counted from the
// shapes: the dense products' multiply-adds (the MLPs' forward, weight-gradient and
// input-gradient products, the loss's slopes·features products) and the pair evaluations of the
// loss (distances and kernel ladder: not FMA-shaped, so counted apart, not as FLOPs).
struct IterationWork {
  double product_flops = 0;  // 2 per multiply-add
  double pairs = 0;
};

IterationWork iteration_work(const GanSetup& s, int n_critic) {
  const double b = static_cast<double>(s.batch), df = s.discriminator.outputs;
  auto macs = [](const wgf::MlpShape& net, double rows, int first_layer) {
    double total = 0;
    for (int l = first_layer; l < net.layers(); ++l) total += rows * net.fan_in(l) * net.fan_out(l);
    return total;
  };
  const auto& g = s.generator;
  const auto& d = s.discriminator;
  // D step: G forward (b rows), D forward (2b), loss gradients for both sides (4 products of
  // b × b × df), D backward on 2b rows: dW every layer, dX above the first.
  const double d_step = macs(g, b, 0) + macs(d, 2 * b, 0) + 4 * b * b * df + macs(d, 2 * b, 0) +
                        macs(d, 2 * b, 1);
  // G step: G and D forward, the fake side's gradient (2 products), D backward to the fake
  // samples (dX every layer, b rows), G backward (dW every layer, dX above the first).
  const double g_step = macs(g, b, 0) + macs(d, 2 * b, 0) + 2 * b * b * df + macs(d, b, 0) +
                        macs(g, b, 0) + macs(g, b, 1);
  IterationWork w;
  w.product_flops = 2 * (n_critic * d_step + g_step);
  // Each loss: two self blocks (half the pairs) and the cross block.
  w.pairs = (n_critic + 1) * (2 * b * b / 2 + b * b);
  return w;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

void time_iterations(const Options& o) {
  const TrainingConfig& c = o.config;
  std::string why;
  if (!wgf::gan_backend_available(c.device, &why)) {
    std::printf("skipped: %s\n", why.c_str());
    return;
  }
  omp_set_num_threads(o.threads);
  const Workload w = make_workload(o);
  auto backend = wgf::make_gan_backend(c.device, w.setup);
  backend->load_parameters(w.generator, w.discriminator);
  long next = 0;
  for (int i = 0; i < o.warmup; ++i) iteration(*backend, w, c.n_critic, next);
  backend->last_losses();
  std::vector<double> seconds;
  for (int r = 0; r < o.reps; ++r) {
    const auto start = Clock::now();
    for (int i = 0; i < o.iters_per_rep; ++i) iteration(*backend, w, c.n_critic, next);
    backend->last_losses();  // a device backend finishes its queue here
    seconds.push_back(std::chrono::duration<double>(Clock::now() - start).count() / o.iters_per_rep);
  }
  const double per_iteration = median(seconds);
  const double best = *std::min_element(seconds.begin(), seconds.end());
  if (o.tsv) {
    std::printf("device\tthreads\tbatch\tg_hidden\td_hidden\tn_critic\tms_per_iter\tit_per_s\tbest_it_per_s\tproducts\n");
    std::printf("%s\t%d\t%ld\t%s\t%s\t%d\t%.4f\t%.2f\t%.2f\t%s\n", backend->name().c_str(),
                o.threads, c.batch, join(c.generator_hidden).c_str(),
                join(c.discriminator_hidden).c_str(), c.n_critic, 1e3 * per_iteration,
                1.0 / per_iteration, 1.0 / best, wgf::product_isa_name(wgf::product_isa()));
  } else {
    std::printf("%s (products %s), %d thread(s): G %s, D %s, batch %ld, n_critic %d, loss %s\n",
                backend->name().c_str(), wgf::product_isa_name(wgf::product_isa()), o.threads, w.setup.generator.describe().c_str(),
                w.setup.discriminator.describe().c_str(), c.batch, c.n_critic,
                w.setup.discriminator_kernel.spec().c_str());
    std::printf("  %.3f ms per iteration (median of %d x %d), %.1f it/s (best rep %.1f it/s)\n",
                1e3 * per_iteration, o.reps, o.iters_per_rep, 1.0 / per_iteration, 1.0 / best);
    const IterationWork work = iteration_work(w.setup, c.n_critic);
    std::printf("  dense products %.4f GFLOP per iteration: %.1f GFLOP/s (%.1f per thread); "
                "%.3g pair evaluations per iteration\n",
                1e-9 * work.product_flops, 1e-9 * work.product_flops / per_iteration,
                1e-9 * work.product_flops / per_iteration / o.threads, work.pairs);
  }
}

// ~0.3 s of FMAs on one core: 12 independent chains of `reps` multiply-adds each, so that two FMA
// pipes of latency 4 are always busy; the chains' sum is printed so nothing is optimised away.
__attribute__((target("avx2,fma"))) double fma_seconds_avx2(long reps, float* sink) {
  __m256 acc[12];
  for (int j = 0; j < 12; ++j) acc[j] = _mm256_set1_ps(0.01f * j);
  const __m256 a = _mm256_set1_ps(0.999999f), b = _mm256_set1_ps(1e-7f);
  const auto start = Clock::now();
  for (long r = 0; r < reps; ++r)
    for (int j = 0; j < 12; ++j) acc[j] = _mm256_fmadd_ps(acc[j], a, b);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  __m256 total = acc[0];
  for (int j = 1; j < 12; ++j) total = _mm256_add_ps(total, acc[j]);
  _mm256_storeu_ps(sink, total);
  return seconds;
}

__attribute__((target("avx512f"))) double fma_seconds_avx512(long reps, float* sink) {
  __m512 acc[12];
  for (int j = 0; j < 12; ++j) acc[j] = _mm512_set1_ps(0.01f * j);
  const __m512 a = _mm512_set1_ps(0.999999f), b = _mm512_set1_ps(1e-7f);
  const auto start = Clock::now();
  for (long r = 0; r < reps; ++r)
    for (int j = 0; j < 12; ++j) acc[j] = _mm512_fmadd_ps(acc[j], a, b);
  const double seconds = std::chrono::duration<double>(Clock::now() - start).count();
  __m512 total = acc[0];
  for (int j = 1; j < 12; ++j) total = _mm512_add_ps(total, acc[j]);
  _mm512_storeu_ps(sink, total);
  return seconds;
}

void peak() {
  float sink[16];
  const long reps = 20'000'000;
  auto report = [&](const char* name, int lanes, double (*probe)(long, float*)) {
    probe(reps / 10, sink);  // warm-up: the core leaves any low-power state
    double best = 1e300;
    for (int k = 0; k < 3; ++k) best = std::min(best, probe(reps, sink));
    const double gflops = 2.0 * lanes * 12 * reps / best * 1e-9;
    std::printf("%s fp32 FMA peak, measured on one core: %.1f GFLOP/s (= %.2f GHz x %d lanes x "
                "2 flops x 2 FMA units)\n",
                name, gflops, gflops / (lanes * 2 * 2), lanes);
  };
  if (__builtin_cpu_supports("avx2") && __builtin_cpu_supports("fma"))
    report("avx2", 8, fma_seconds_avx2);
  else
    std::printf("avx2: not on this CPU\n");
  if (__builtin_cpu_supports("avx512f"))
    report("avx512", 16, fma_seconds_avx512);
  else
    std::printf("avx512: not on this CPU\n");
  std::printf("(checksum %g)\n", static_cast<double>(sink[0]));
}

void info() {
#if defined(__clang__)
  std::printf("compiler: clang %s\n", __clang_version__);
#elif defined(__GNUC__)
  std::printf("compiler: g++ %d.%d.%d\n", __GNUC__, __GNUC_MINOR__, __GNUC_PATCHLEVEL__);
#endif
  std::printf("eigen: %d.%d.%d, SIMD %s (the libraries' -march)\n", EIGEN_WORLD_VERSION, EIGEN_MAJOR_VERSION,
              EIGEN_MINOR_VERSION, Eigen::SimdInstructionSetsInUse());
  std::printf("trainer products (dense_product.hpp): %s\n",
              wgf::product_isa_name(wgf::product_isa()));
  std::printf("openmp max threads: %d\n", omp_get_max_threads());
  std::string why;
  std::printf("cuda trainer backend: %s\n",
              wgf::gan_backend_available("cuda", &why) ? "available" : why.c_str());
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    if (o.peak) peak();
    else if (o.info) info();
    else if (!o.dump.empty()) dump(o);
    else time_iterations(o);
    return 0;
  } catch (const wgf::InputError& e) {
    std::fprintf(stderr, "wgf_bench_train: %s\n", e.what());
    return 2;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "wgf_bench_train: %s\n", e.what());
    return 1;
  }
}
