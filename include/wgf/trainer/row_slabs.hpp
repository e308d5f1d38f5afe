#pragma once
// How the trainer threads its dense algebra: a batch is cut into one slab of rows per OpenMP
// thread and each slab runs Eigen's single-threaded kernels. Eigen's own GEMM threading is kept
// off (ScopedEigenThreads) because its workers synchronise by spinning: on a shared machine a
// descheduled worker turns each small product into milliseconds of busy waiting, while
// OpenMP's barriers fall asleep. Slabs depend only on the row count and the thread count, so
// results are reproducible for a given --threads.
#include <omp.h>

#include <Eigen/Core>
#include <algorithm>

namespace wgf {

// Below this many multiply-adds (a few milliseconds of one core) a region is run serially: its
// fork and join would cost more than they save, most of all on a shared, oversubscribed machine.
inline constexpr double kParallelWork = 1 << 23;

// Calls f(first_row, row_count) over [0, rows), in parallel slabs when `work` (multiply-adds
// in total) is worth it.
template <typename F>
void for_row_slabs(Eigen::Index rows, double work, F&& f) {
  const int threads = omp_in_parallel() ? 1 : omp_get_max_threads();
  if (threads <= 1 || work < kParallelWork || rows < 2 * threads) {
    f(Eigen::Index{0}, rows);
    return;
  }
  const Eigen::Index slab = (rows + threads - 1) / threads;
#pragma omp parallel for num_threads(threads) schedule(static)
  for (int t = 0; t < threads; ++t) {
    const Eigen::Index first = std::min<Eigen::Index>(rows, t * slab);
    const Eigen::Index count = std::min<Eigen::Index>(slab, rows - first);
    if (count > 0) f(first, count);
  }
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
