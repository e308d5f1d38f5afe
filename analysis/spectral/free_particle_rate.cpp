#include "wgf/analysis/free_particle_rate.hpp"

#include <cmath>
#include <numbers>
#include <vector>

#include "wgf/errors.hpp"

namespace wgf {

double effective_density(const double* points, long rows, int dim, double bandwidth) {
  if (rows < 2) throw InputError("effective density: needs at least two points");
  if (!(bandwidth > 0)) throw InputError("effective density: the bandwidth must be positive");
  const double inv_two_h2 = 1.0 / (2.0 * bandwidth * bandwidth);
  const double norm = std::pow(2.0 * std::numbers::pi * bandwidth * bandwidth, -0.5 * dim);
  double sum = 0;
#pragma omp parallel for reduction(+ : sum) schedule(static)
  for (long a = 0; a < rows; ++a) {
    double row = 0;  // a fixed order within a row; the reduction order over rows is OpenMP's
    for (long b = a + 1; b < rows; ++b) {
      double s = 0;
      for (int j = 0; j < dim; ++j) {
        const double d = points[a * dim + j] - points[b * dim + j];
        s += d * d;
      }
      row += std::exp(-s * inv_two_h2);
    }
    sum += row;
  }
  return norm * 2.0 * sum / (static_cast<double>(rows) * (rows - 1));
}

double cloud_radius(const double* points, long rows, int dim) {
  std::vector<double> mean(dim, 0.0);
  for (long a = 0; a < rows; ++a)
    for (int j = 0; j < dim; ++j) mean[j] += points[a * dim + j] / rows;
  double sum = 0;
  for (long a = 0; a < rows; ++a)
    for (int j = 0; j < dim; ++j) sum += (points[a * dim + j] - mean[j]) * (points[a * dim + j] - mean[j]);
  return std::sqrt(sum / rows);
}

double free_particle_rate(const Dynamics& dynamics, double rho_eff, double xi, int dim) {
  Dynamics d = dynamics;
  d.role = Role::discriminator;
  d.rho0 = rho_eff;
  return d.growth_rate(xi, dim);
}

}  // namespace wgf
