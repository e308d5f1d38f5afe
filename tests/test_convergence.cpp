// Observed order of accuracy on a smooth generator run: cell averages on grids N, 2N, 4N, …
// compared after restricting each fine solution to the coarser grid (averaging 2^d children).
// The scheme is second order in space (minmod-limited reconstruction, exact spectral potential)
// and third order in time; the L1 order must be ≥ 1.8 on every refinement.
#include <doctest/doctest.h>

#include <cmath>
#include <memory>
#include <vector>

#include "wgf/field_spec.hpp"
#include "wgf/solvers/flow_solver.hpp"

using namespace wgf;

namespace {

std::vector<double> solve(const Grid& grid, double t_end) {
  Dynamics generator{parse_kernel("gaussian:sigma=0.6"), Kernel{}, 0.0, Role::generator, 1.0, 1.0};
  SolverOptions options;
  options.cfl = 0.4;
  options.plan_effort = PlanEffort::estimate;
  auto solver = std::make_unique<FlowSolver>(grid, generator, options);
  const std::string centre = grid.dim == 1 ? "-0.8" : "-0.8,0.3";
  const std::string target = grid.dim == 1 ? "1.0" : "1.0,-0.5";
  fill_field("gaussians:at=" + centre + ",sigma=1.0,floor=0.3", grid, solver->p(), "--init", "p");
  fill_field("gaussians:at=" + target + ",sigma=1.2,floor=0.3", grid, solver->q(), "--target", "q");
  solver->refresh();
  double t = 0;
  while (t < t_end * (1 - 1e-14)) t += solver->step(t_end - t).dt;
  return {solver->p().begin(), solver->p().end()};
}

// Average of the 2^d fine children of each coarse cell.
std::vector<double> restrict_to_coarse(const std::vector<double>& fine, int dim, long n_fine) {
  const long n = n_fine / 2;
  std::vector<double> coarse(static_cast<std::size_t>(std::pow(n, dim)), 0.0);
  const double weight = 1.0 / std::pow(2.0, dim);
  for (std::size_t f = 0; f < fine.size(); ++f) {
    std::size_t rest = f, c = 0, stride = 1;
    for (int axis = dim - 1; axis >= 0; --axis) {
      const long i = static_cast<long>(rest % n_fine);
      rest /= n_fine;
      c += static_cast<std::size_t>(i / 2) * stride;
      stride *= n;
    }
    coarse[c] += weight * fine[f];
  }
  return coarse;
}

double l1_difference(const std::vector<double>& a, const std::vector<double>& b, double volume) {
  double sum = 0;
  for (std::size_t i = 0; i < a.size(); ++i) sum += std::fabs(a[i] - b[i]);
  return sum * volume;
}

void check_order(int dim, const std::vector<long>& sizes, double t_end) {
  std::vector<std::vector<double>> solutions;
  for (long n : sizes) solutions.push_back(solve(Grid{dim, n, 2 * M_PI}, t_end));
  std::vector<double> errors;
  for (std::size_t i = 0; i + 1 < sizes.size(); ++i) {
    const Grid coarse{dim, sizes[i], 2 * M_PI};
    errors.push_back(l1_difference(solutions[i],
                                   restrict_to_coarse(solutions[i + 1], dim, sizes[i + 1]),
                                   coarse.cell_volume()));
  }
  for (std::size_t i = 0; i + 1 < errors.size(); ++i) {
    const double order = std::log2(errors[i] / errors[i + 1]);
    CAPTURE(dim);
    CAPTURE(sizes[i]);
    CAPTURE(errors[i]);
    CAPTURE(order);
    CHECK(order >= 1.8);
  }
}

}  // namespace

TEST_CASE("second-order convergence of a smooth generator run in 1D") {
  check_order(1, {64, 128, 256, 512, 1024}, 0.05);
}

TEST_CASE("second-order convergence of a smooth generator run in 2D") {
  check_order(2, {64, 128, 256, 512}, 0.05);
}
