#include "wgf/trainer/metrics.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>

#include "wgf/errors.hpp"

namespace wgf {

ModeCoverage mode_coverage(const GaussianMixture& mixture, const float* samples, long n,
                           double std_factor) {
  const long k = mixture.components();
  const int dim = mixture.dim;
  std::vector<long> counts(k, 0);
  long high_quality = 0;
  const double radius2 = std::pow(std_factor * mixture.std, 2);
  for (long i = 0; i < n; ++i) {
    long nearest = 0;
    double best = std::numeric_limits<double>::infinity();
    for (long c = 0; c < k; ++c) {
      double d2 = 0;
      for (int d = 0; d < dim; ++d) {
        const double diff = samples[i * dim + d] - mixture.centres[c * dim + d];
        d2 += diff * diff;
      }
      if (d2 < best) {
        best = d2;
        nearest = c;
      }
    }
    if (best <= radius2) {
      ++high_quality;
      ++counts[nearest];
    }
  }
  ModeCoverage result;
  const double needed = std::max(1.0, 0.1 * static_cast<double>(n) / k);
  for (long c = 0; c < k; ++c) result.modes_covered += counts[c] >= needed ? 1 : 0;
  result.high_quality_fraction = n > 0 ? static_cast<double>(high_quality) / n : 0;
  return result;
}

double mean_pairwise_distance(const float* points, long n, int dim) {
  if (n < 2) return 0;
  std::vector<double> row_sums(n, 0.0);
#pragma omp parallel for schedule(dynamic, 16)
  for (long i = 0; i < n; ++i) {
    double sum = 0;
    for (long j = i + 1; j < n; ++j) {
      double d2 = 0;
      for (int d = 0; d < dim; ++d) {
        const double diff = double(points[i * dim + d]) - points[j * dim + d];
        d2 += diff * diff;
      }
      sum += std::sqrt(d2);
    }
    row_sums[i] = sum;
  }
  double total = 0;
  for (double s : row_sums) total += s;  // fixed order: the same number on any thread count
  return total / (0.5 * static_cast<double>(n) * (n - 1));
}

double pooled_std(const float* points, long n, int dim) {
  if (n < 2) return 0;
  double variance = 0;
  for (int d = 0; d < dim; ++d) {
    double mean = 0;
    for (long i = 0; i < n; ++i) mean += points[i * dim + d];
    mean /= n;
    double v = 0;
    for (long i = 0; i < n; ++i) v += std::pow(points[i * dim + d] - mean, 2);
    variance += v / (n - 1);
  }
  return std::sqrt(variance / dim);
}

void structure_factor(const float* points, long n, int dim, const std::vector<double>& xi,
                      double* out) {
  const long count = static_cast<long>(xi.size()) / dim;
#pragma omp parallel for schedule(static)
  for (long k = 0; k < count; ++k) {
    double c = 0, s = 0;
    for (long j = 0; j < n; ++j) {
      double phase = 0;
      for (int d = 0; d < dim; ++d) phase += xi[k * dim + d] * points[j * dim + d];
      c += std::cos(phase);
      s += std::sin(phase);
    }
    out[k] = (c * c + s * s) / (static_cast<double>(n) * n);
  }
}

namespace {

// σ = the median distance between held-out samples: a scale-free default for any data set.
double median_distance(const float* points, long n, int dim) {
  std::vector<double> distances;
  distances.reserve(static_cast<std::size_t>(n) * (n - 1) / 2);
  for (long i = 0; i < n; ++i)
    for (long j = i + 1; j < n; ++j) {
      double d2 = 0;
      for (int d = 0; d < dim; ++d) d2 += std::pow(double(points[i * dim + d]) - points[j * dim + d], 2);
      distances.push_back(std::sqrt(d2));
    }
  if (distances.empty()) return 1;
  auto middle = distances.begin() + distances.size() / 2;
  std::nth_element(distances.begin(), middle, distances.end());
  return *middle > 0 ? *middle : 1;
}

std::string format(double v) {
  char buffer[40];
  std::snprintf(buffer, sizeof buffer, "%.6g", v);
  return buffer;
}

}  // namespace

TrainingMetrics::TrainingMetrics(const MetricsConfig& config, int dx, int df,
                                 const float* held_out, const GaussianMixture* mixture)
    : config_(config), dx_(dx), df_(df), mixture_(mixture) {
  if (config_.rows < 2) throw InputError("--eval-samples: must be >= 2");
  if (config_.structure_harmonics < 0) throw InputError("--structure-harmonics: must be >= 0");
  if (!(config_.structure_box > 0)) throw InputError("--structure-box: must be > 0");
  names_ = {"energy_distance", "mmd"};
  if (mixture_) {
    names_.push_back("modes_covered");
    names_.push_back("high_quality_fraction");
  }
  for (const char* n : {"feature_distance_real", "feature_distance_fake", "feature_std_real",
                        "feature_std_fake"})
    names_.push_back(n);

  mmd_spec_ = config_.mmd_kernel.empty()
                  ? "gaussian:sigma=" + format(median_distance(held_out, std::min<long>(config_.rows, 1000), dx))
                  : config_.mmd_kernel;
  const long n = config_.rows;
  energy_ = std::make_unique<PairwiseLoss<double>>(PairKernel(parse_kernel("energy"), dx, 0.0),
                                                   Estimator::u_statistic, n, n, dx);
  mmd_ = std::make_unique<PairwiseLoss<double>>(PairKernel(parse_kernel(mmd_spec_), dx, 0.0),
                                                Estimator::u_statistic, n, n, dx);
  fake_d_.resize(n * dx);
  real_d_.resize(n * dx);
  for (int m = 1; m <= config_.structure_harmonics; ++m)
    for (int a = 0; a < df; ++a)
      for (int d = 0; d < df; ++d) box_k_.push_back(d == a ? m : 0);
  box_xi_.resize(box_k_.size());
  for (const auto& xi : config_.structure_xi) {
    if (static_cast<int>(xi.size()) != df)
      throw InputError("--structure-xi: each wave vector needs " + std::to_string(df) +
                       " components (the feature dimension --df), got " + std::to_string(xi.size()));
    user_xi_.insert(user_xi_.end(), xi.begin(), xi.end());
  }
}

void TrainingMetrics::evaluate(const float* fake, const float* real, const float* fake_features,
                               const float* real_features, Result& out) {
  const long n = config_.rows;
  std::copy(fake, fake + n * dx_, fake_d_.begin());
  std::copy(real, real + n * dx_, real_d_.begin());
  out.scalars.clear();
  out.scalars.push_back(energy_->evaluate(fake_d_.data(), real_d_.data(), nullptr, nullptr));
  out.scalars.push_back(mmd_->evaluate(fake_d_.data(), real_d_.data(), nullptr, nullptr));
  if (mixture_) {
    const ModeCoverage coverage = mode_coverage(*mixture_, fake, n);
    out.scalars.push_back(static_cast<double>(coverage.modes_covered));
    out.scalars.push_back(coverage.high_quality_fraction);
  }
  out.scalars.push_back(mean_pairwise_distance(real_features, n, df_));
  out.scalars.push_back(mean_pairwise_distance(fake_features, n, df_));
  const double real_std = pooled_std(real_features, n, df_);
  out.scalars.push_back(real_std);
  out.scalars.push_back(pooled_std(fake_features, n, df_));

  out.box_length = config_.structure_box * (real_std > 0 ? real_std : 1.0);
  for (std::size_t i = 0; i < box_k_.size(); ++i)
    box_xi_[i] = 2 * std::numbers::pi * box_k_[i] / out.box_length;
  out.structure_box.resize(box_count());
  out.structure_user.resize(user_count());
  structure_factor(real_features, n, df_, box_xi_, out.structure_box.data());
  structure_factor(real_features, n, df_, user_xi_, out.structure_user.data());
}

}  // namespace wgf
