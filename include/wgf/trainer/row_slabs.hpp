#pragma once
// How the trainer threads its dense algebra: a batch is cut into one slab of rows per thread
// of the trainer's team (thread_team.hpp) and each slab runs Eigen's single-threaded kernels.
// Eigen's own GEMM threading is kept off (ScopedEigenThreads) because its workers synchronise
// by spinning without bound: on a shared machine a descheduled worker turns each small product
// into milliseconds of busy waiting. Slabs depend only on the row count and the thread count,
// so results are reproducible for a given --threads; at one thread a region is the serial call.
#include <omp.h>

#include <Eigen/Core>
#include <algorithm>

#include "wgf/trainer/thread_team.hpp"

namespace wgf {

// Below this many multiply-adds (a few µs of one core) a region is run serially: starting the
// team's threads and joining them (a microsecond or two while they spin, tens when they have
// gone to sleep) would cost more than the half it saves.
inline constexpr double kParallelWork = 1 << 16;

// How many slabs a region over `rows` rows with `work` multiply-adds is cut into: one per
// thread when that is worth it, else 1 (the serial call).
inline int slab_count(Eigen::Index rows, double work) {
  const int threads = ThreadTeam::shared().threads_available();
  if (threads <= 1 || work < kParallelWork || rows < 2 * threads) return 1;
  return threads;
}

// The t-th of `parts` slabs of [0, n): contiguous, in order, ⌈n / parts⌉ long (the last ones
// shorter, possibly empty).
struct Slab {
  Eigen::Index first, count;
};
inline Slab slab_of(Eigen::Index n, int parts, int t) {
  const Eigen::Index length = (n + parts - 1) / parts;
  const Eigen::Index first = std::min<Eigen::Index>(n, t * length);
  return {first, std::min<Eigen::Index>(length, n - first)};
}

// Runs task(t, parts) for t in [0, parts) on the team (parts = 1: the calling thread alone).
template <typename F>
void for_slab_tasks(int parts, F&& task) {
  if (parts <= 1) {
    task(0, 1);
    return;
  }
  ThreadTeam::shared().run(parts, [&](int t) { task(t, parts); });
}

// Calls f(first_row, row_count) over [0, rows), in parallel slabs when `work` (multiply-adds
// in total) is worth it.
template <typename F>
void for_row_slabs(Eigen::Index rows, double work, F&& f) {
  for_slab_tasks(slab_count(rows, work), [&](int t, int parts) {
    const Slab slab = slab_of(rows, parts, t);
    if (slab.count > 0) f(slab.first, slab.count);
  });
}

// Calls f(i) for every i in [0, count), spread cyclically over the team (i on thread i mod T),
// which balances loops whose cost falls with i (a symmetric block's triangle).
template <typename F>
void for_each_cyclic(Eigen::Index count, double work, F&& f) {
  ThreadTeam& team = ThreadTeam::shared();
  const int threads = team.threads_available();
  if (threads <= 1 || work < kParallelWork || count < 2 * threads) {
    for (Eigen::Index i = 0; i < count; ++i) f(i);
    return;
  }
  team.run(threads, [&](int t) {
    for (Eigen::Index i = t; i < count; i += threads) f(i);
  });
}

// Turns Eigen's internal GEMM threading off for the lifetime of the object.
class ScopedEigenThreads {
public:
  ScopedEigenThreads() : previous_(Eigen::nbThreads()) { Eigen::setNbThreads(1); }
  ~ScopedEigenThreads() { Eigen::setNbThreads(previous_); }
  ScopedEigenThreads(const ScopedEigenThreads&) = delete;
  ScopedEigenThreads& operator=(const ScopedEigenThreads&) = delete;

private:
  int previous_;
};

}  // namespace wgf
