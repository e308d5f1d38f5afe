#pragma once
// Sums and extremes of the two densities over the cells one thread swept: the finite-volume
// sweep of a state gathers them on the way (the rows are in registers anyway), and the solver
// adds the threads' records in thread order, so the state summary needs no pass of its own.
#include <cstddef>
#include <limits>

namespace wgf {

struct DensityTotals {
  double sum_p = 0, sum_q = 0;
  double min_p = std::numeric_limits<double>::infinity();
  double min_q = std::numeric_limits<double>::infinity();
  double max_p = -std::numeric_limits<double>::infinity();
  double max_q = -std::numeric_limits<double>::infinity();
  std::ptrdiff_t cells = 0;  // how many cells these cover
};

}  // namespace wgf
