// The trainer's thread team (thread_team.hpp) and the regions built on it (row_slabs.hpp):
// every task runs exactly once whatever the thread count, a region inside a task or while
// another thread holds the team runs serially with the same tasks, and the threaded layers
// compute what one thread computes — bit for bit where the split cannot change the rounding
// (Adam, elementwise), within a rounding bound where it can (GEMM slabs).
#include <doctest/doctest.h>
#include <omp.h>

#include <atomic>
#include <cmath>
#include <thread>
#include <vector>

#include "wgf/trainer/adam.hpp"
#include "wgf/trainer/mlp.hpp"
#include "wgf/trainer/pairwise_loss.hpp"
#include "wgf/trainer/random.hpp"
#include "wgf/trainer/row_slabs.hpp"
#include "wgf/kernel.hpp"

using namespace wgf;

namespace {

struct ThreadCount {
  explicit ThreadCount(int threads) : saved_(omp_get_max_threads()) { omp_set_num_threads(threads); }
  ~ThreadCount() { omp_set_num_threads(saved_); }
  int saved_;
};

double worst_relative(const std::vector<double>& a, const std::vector<double>& b) {
  double scale = 1e-300, worst = 0;
  for (double v : b) scale = std::max(scale, std::fabs(v));
  for (std::size_t i = 0; i < a.size(); ++i) worst = std::max(worst, std::fabs(a[i] - b[i]));
  return worst / scale;
}

}  // namespace

TEST_CASE("the thread team runs every task exactly once, at any thread and task count") {
  for (int threads : {1, 2, 3, 5}) {
    ThreadCount count(threads);
    for (int tasks : {1, 2, 3, 4, 7, 16, 37}) {
      std::vector<std::atomic<int>> runs(tasks);
      for (int repeat = 0; repeat < 50; ++repeat)
        ThreadTeam::shared().run(tasks, [&](int t) { runs[t].fetch_add(1); });
      CAPTURE(threads);
      CAPTURE(tasks);
      for (int t = 0; t < tasks; ++t) CHECK(runs[t].load() == 50);
    }
  }
}

TEST_CASE("a region inside a task, or while another thread holds the team, runs serially") {
  ThreadCount count(3);
  CHECK(ThreadTeam::shared().threads_available() == 3);
  std::vector<std::atomic<int>> inner(6 * 5);
  std::vector<int> inner_threads(6, 0);
  ThreadTeam::shared().run(6, [&](int t) {
    inner_threads[t] = ThreadTeam::shared().threads_available();
    ThreadTeam::shared().run(5, [&](int u) { inner[t * 5 + u].fetch_add(1); });
  });
  for (int t = 0; t < 6; ++t) CHECK(inner_threads[t] == 1);
  for (auto& r : inner) CHECK(r.load() == 1);

  // Two callers at once (two trainings in threads of one process): each region still runs all
  // of its tasks; one of them on its own thread.
  std::vector<std::atomic<long>> sums(2);
  auto caller = [&](int which) {
    omp_set_num_threads(2);
    for (int repeat = 0; repeat < 2000; ++repeat)
      ThreadTeam::shared().run(4, [&](int t) { sums[which].fetch_add(t + 1); });
  };
  std::thread a(caller, 0), b(caller, 1);
  a.join();
  b.join();
  CHECK(sums[0].load() == 2000L * 10);
  CHECK(sums[1].load() == 2000L * 10);
}

TEST_CASE("slabs cover 0 … n in order, including parts left empty") {
  for (long n : {1L, 7L, 9L, 10L, 33L})
    for (int parts : {1, 2, 3, 4, 8}) {
      long next = 0;
      for (int t = 0; t < parts; ++t) {
        const Slab s = slab_of(n, parts, t);
        CHECK(s.count >= 0);
        if (s.count > 0) CHECK(s.first == next);
        next += s.count;
      }
      CHECK(next == n);
    }
}

// Elementwise: the threads' split cannot change a single rounding.
TEST_CASE("Adam on 1, 2 and 3 threads gives the same bits") {
  const std::size_t n = 200003;  // above the threshold, and odd so that slabs differ in length
  Rng rng(5);
  std::vector<float> start(n), gradient(n);
  for (auto& v : start) v = static_cast<float>(rng.normal());
  for (auto& v : gradient) v = static_cast<float>(rng.normal());
  std::vector<std::vector<float>> results;
  for (int threads : {1, 2, 3}) {
    ThreadCount count(threads);
    Adam adam(AdamSettings{}, n);
    std::vector<float> p = start;
    for (int step = 0; step < 3; ++step) adam.step(p.data(), gradient.data());
    results.push_back(p);
  }
  CHECK(results[1] == results[0]);
  CHECK(results[2] == results[0]);
}

// The MLP's regions cut rows (forward, input gradient), W's rows and the bias's columns (the
// parameter gradient): a slab missing, doubled or shifted changes outputs by O(1). Slabs change
// only how Eigen blocks each product, so threaded and serial results differ by rounding:
// fan-ins ≤ 300 in double give ≲ 300 · 1.1e-16 relative; 1e-12 is that with a wide margin.
TEST_CASE("the MLP forward and backward on 2, 3 and 4 threads equal one thread's") {
  // W of layer 1 has 9 rows: on 4 threads its slabs are 3, 3, 3, 0 while the bias's 33 columns
  // are cut 9, 9, 9, 6 (the task with the empty row slab must still sum its columns).
  MlpShape shape{5, {9, 33, 10}, 4, parse_activation("leaky_relu:slope=0.2", "t"), {}};
  const long rows = 301;
  Rng rng(11);
  std::vector<float> theta32(shape.parameter_count());
  initialize_mlp(shape, rng, theta32.data());
  std::vector<double> theta(theta32.begin(), theta32.end());
  for (auto& v : theta) v += 0.05 * rng.normal();  // non-zero biases
  std::vector<double> input(rows * shape.inputs), upstream(rows * shape.outputs);
  for (auto& v : input) v = rng.normal();
  for (auto& v : upstream) v = rng.normal();
  // Layers 1 and 2 (301 · 9 · 33 and 301 · 33 · 10 multiply-adds) are above the threshold and
  // threaded; layers 0 and 3 stay serial.
  REQUIRE(double(rows) * 9 * 33 >= kParallelWork);

  auto run = [&](int threads, std::vector<double>& out, std::vector<double>& grad,
                 std::vector<double>& input_grad) {
    ThreadCount count(threads);
    Mlp<double> net(shape, rows);
    const double* y = net.forward(theta.data(), input.data(), rows);
    out.assign(y, y + rows * shape.outputs);
    grad.assign(theta.size(), 0.0);
    input_grad.assign(input.size(), 0.0);
    net.backward(theta.data(), upstream.data(), rows, grad.data(), input_grad.data());
  };
  std::vector<double> out1, grad1, in1;
  run(1, out1, grad1, in1);
  for (int threads : {2, 3, 4}) {
    std::vector<double> out, grad, in;
    run(threads, out, grad, in);
    CAPTURE(threads);
    CHECK(worst_relative(out, out1) < 1e-12);
    CHECK(worst_relative(grad, grad1) < 1e-12);
    CHECK(worst_relative(in, in1) < 1e-12);
    // The bias gradients alone (a wrong column slab would leave some at zero).
    for (int l = 0; l < shape.layers(); ++l) {
      std::vector<double> b(grad.begin() + shape.bias_offset(l),
                            grad.begin() + shape.bias_offset(l) + shape.fan_out(l));
      std::vector<double> b1(grad1.begin() + shape.bias_offset(l),
                             grad1.begin() + shape.bias_offset(l) + shape.fan_out(l));
      CAPTURE(l);
      CHECK(worst_relative(b, b1) < 1e-12);
    }
  }
}

// The loss's rows are spread cyclically and its mirror and row sums cut in slabs; each row is
// computed by the same code whichever thread runs it, and the total is summed in row order, so
// the energy and the gradients are the same bits on any thread count.
TEST_CASE("the pairwise loss on 2 and 3 threads gives one thread's bits") {
  const long n = 257, m = 250, dim = 3;
  Rng rng(2);
  std::vector<double> fake(n * dim), real(m * dim);
  for (auto& v : fake) v = rng.normal();
  for (auto& v : real) v = 0.5 + rng.normal();
  const PairKernel kernel(parse_kernel("gaussian:sigma=1+energy:beta=1"), dim, 1e-3);
  std::vector<double> energies;
  std::vector<std::vector<double>> fake_grads, real_grads;
  for (int threads : {1, 2, 3}) {
    ThreadCount count(threads);
    PairwiseLoss<double> loss(kernel, Estimator::v_statistic, n, m, dim);
    std::vector<double> gf(n * dim), gr(m * dim);
    energies.push_back(loss.evaluate(fake.data(), real.data(), gf.data(), gr.data()));
    fake_grads.push_back(gf);
    real_grads.push_back(gr);
  }
  for (int i : {1, 2}) {
    CAPTURE(i + 1);
    CHECK(energies[i] == energies[0]);
    // The gradient's products (slopes · f) are cut in row slabs: rounding may differ there,
    // within the GEMM bound above (k = 257 terms).
    CHECK(worst_relative(fake_grads[i], fake_grads[0]) < 1e-12);
    CHECK(worst_relative(real_grads[i], real_grads[0]) < 1e-12);
  }
}
