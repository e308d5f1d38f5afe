#pragma once
// The Fréchet distance between two sets of feature vectors, each summarised by the Gaussian
// fitted to it (mean and covariance), as FID compares generated and real images in a
// classifier's feature space:
//
//   d² = ‖μ1 − μ2‖² + tr(Σ1 + Σ2 − 2 (Σ1^{1/2} Σ2 Σ1^{1/2})^{1/2})
//
// It is the squared 2-Wasserstein distance between the two Gaussians. Computed in double
// precision with symmetric eigen-decompositions only (no general matrix square root).
#include <Eigen/Core>

namespace wgf {

struct GaussianFit {
  Eigen::VectorXd mean;
  Eigen::MatrixXd covariance;  // unbiased (divides by n − 1)
  long samples = 0;
};

// Fits rows × dim features (row-major). Needs rows ≥ 2.
GaussianFit fit_gaussian(const float* features, long rows, int dim);

double frechet_distance(const GaussianFit& a, const GaussianFit& b);

}  // namespace wgf
