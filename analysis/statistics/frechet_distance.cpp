#include "wgf/analysis/frechet_distance.hpp"

#include <Eigen/Eigenvalues>
#include <algorithm>
#include <stdexcept>

namespace wgf {

GaussianFit fit_gaussian(const float* features, long rows, int dim) {
  if (rows < 2) throw std::invalid_argument("fit_gaussian: needs at least 2 rows");
  using RowMajor = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
  const Eigen::MatrixXd x = Eigen::Map<const RowMajor>(features, rows, dim).cast<double>();
  GaussianFit fit;
  fit.samples = rows;
  fit.mean = x.colwise().mean().transpose();
  const Eigen::MatrixXd centred = x.rowwise() - fit.mean.transpose();
  fit.covariance = (centred.transpose() * centred) / static_cast<double>(rows - 1);
  return fit;
}

namespace {

// Eigenvalues of a symmetric positive semi-definite matrix. Rounding leaves eigenvalues that
// should be 0 (rank-deficient covariances: fewer samples than dimensions, or dead features)
// slightly negative; they are clipped to 0 before any square root is taken.
Eigen::VectorXd clipped_eigenvalues(const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd>& solver) {
  return solver.eigenvalues().cwiseMax(0.0);
}

}  // namespace

double frechet_distance(const GaussianFit& a, const GaussianFit& b) {
  if (a.mean.size() != b.mean.size())
    throw std::invalid_argument("frechet_distance: feature dimensions differ");
  // Σ1^{1/2} = V diag(√λ) Vᵀ from Σ1's eigen-decomposition.
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> first(a.covariance);
  const Eigen::MatrixXd root_a = first.eigenvectors() *
                                 clipped_eigenvalues(first).cwiseSqrt().asDiagonal() *
                                 first.eigenvectors().transpose();
  // Σ1^{1/2} Σ2 Σ1^{1/2} is symmetric PSD in exact arithmetic; symmetrise away the rounding so
  // the symmetric solver applies. tr(M^{1/2}) is the sum of √ of its (clipped) eigenvalues.
  Eigen::MatrixXd middle = root_a * b.covariance * root_a;
  middle = 0.5 * (middle + middle.transpose()).eval();
  const Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> product(middle, Eigen::EigenvaluesOnly);
  const double trace_root = clipped_eigenvalues(product).cwiseSqrt().sum();
  const double distance = (a.mean - b.mean).squaredNorm() + a.covariance.trace() +
                          b.covariance.trace() - 2.0 * trace_root;
  // d² ≥ 0 exactly; for (nearly) identical fits the cancellation above can leave a rounding
  // residue of either sign, of the order of 1e-15 · tr Σ.
  return std::max(distance, 0.0);
}

}  // namespace wgf
