#pragma once
// The theory side of the trained-GAN study: what the spectral module says about the
// discriminator's flow in feature space (docs/design.md §1, role discriminator, d = df), linearised
// around the density of the real features that D produces at initialisation.
//
// Base state. The real features form a cloud of pooled standard deviation ℓ (metrics.hpp). We
// take ρ0 = (4πℓ²)^{−d/2}: for a Gaussian cloud of that spread and unit mass this is ∫ρ², the
// density a typical feature sees around itself. A finite cloud only carries waves that fit in
// it, and the trainer's structure factor measures the box harmonics ξ_m = 2π m / (box·ℓ),
// m = 1 … harmonics (MetricsConfig::structure_box, structure_harmonics): that band
// [ξ_1, ξ_harmonics] is what the prediction is about.
//
// Verdict. λ(ξ; ε) = 4ρ0|ξ|²(ê − εŝ) = a(ξ) − ε b(ξ). The global ε* = sup_{ξ>0} ê/ŝ is reported
// (with the spectral module's reason when it is infinite: energy and riesz losses against a
// gaussian or rq stabiliser, whose transforms decay faster than a power law), but the cloud is
// predicted unstable iff λ > 0 somewhere in its band, i.e. iff ε < ε*_band = max over the band of
// a/b. The band's most unstable |ξ| (its least stable one when none grows) is where the study
// watches the structure factor.
#include <string>
#include <vector>

namespace wgf {

struct FeatureBand {
  double box = 6;     // box side in units of ℓ
  int harmonics = 3;  // ξ_1 … ξ_harmonics
  int samples = 65;   // evaluation points, evenly spaced over [ξ_1, ξ_harmonics]
};

struct FeaturePrediction {
  double feature_std = 0;  // ℓ
  double rho0 = 0;
  double xi_lo = 0, xi_hi = 0;   // the band
  double critical_eps = 0;       // global ε* (may be +∞)
  std::string critical_reason;   // why it is infinite
  double band_critical_eps = 0;  // ε*_band (+∞ when ŝ vanishes where ê > 0)
  double max_growth = 0;         // max of λ over the band at the run's ε
  double argmax_xi = 0;          // where
  bool unstable = false;         // max_growth > 0
};

// ρ0 = (4πℓ²)^{−d/2}.
double feature_density(double feature_std, int dim);

// ε*_band alone (independent of ε): the ε grid of a sweep is laid out in its units.
double band_critical_eps(const std::string& loss, const std::string& stabilizer, int dim,
                         double feature_std, const FeatureBand& band);

// Throws InputError for kernels without a transform in `dim` dimensions or ℓ ≤ 0.
FeaturePrediction predict_feature_flow(const std::string& loss, const std::string& stabilizer,
                                       double eps, int dim, double feature_std,
                                       const FeatureBand& band);

}  // namespace wgf
