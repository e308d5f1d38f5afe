#pragma once
// Independent study runs side by side on the OpenMP threads, one thread each: nested parallel
// regions inside a run are made inactive, so a run's numbers do not depend on how many run
// beside it. A run's exception is carried out of the parallel loop (it may not cross it) and the
// first, in run order, is rethrown once all have ended. Runs that touch HDF5 must serialise
// those calls themselves (Debian's HDF5 is not thread-safe): `#pragma omp critical(wgf_hdf5)`.
#include <omp.h>

#include <exception>
#include <vector>

namespace wgf {

template <class Run>
void run_side_by_side(long count, const Run& run) {
  std::vector<std::exception_ptr> failures(static_cast<std::size_t>(count));
  const int saved_levels = omp_get_max_active_levels();
  omp_set_max_active_levels(1);
#pragma omp parallel for schedule(dynamic, 1)
  for (long i = 0; i < count; ++i) {
    try {
      run(i);
    } catch (...) {
      failures[static_cast<std::size_t>(i)] = std::current_exception();
    }
  }
  omp_set_max_active_levels(saved_levels);
  for (const auto& f : failures)
    if (f) std::rethrow_exception(f);
}

}  // namespace wgf
