#pragma once
// A kernel of the catalogue (the same specs as the solver's, docs/design.md §3) compiled for the
// trainer's pairwise losses: a flat list of closed-form terms in the squared distance s = r²,
// evaluated a chunk of pairs at a time. No virtual call per pair, and the transcendental
// functions run on whole vectors (Eigen's SIMD exp/log/sqrt).
//
// Softening. The power laws (energy −r^β, riesz r^{−α}) and laplace's cusp e^{−r/ℓ} are not
// smooth at r = 0: their gradient (f − f')e'(r)/r is undefined or infinite for coincident
// features. For these families e and e' are evaluated at √(r² + δ²), δ = the softening length
// (default 1e-3, `wgf train --softening`); δ = 0 leaves them exact (for values only). The smooth
// families (gaussian, rq, imq) are never softened.
#include <Eigen/Core>
#include <string>
#include <vector>

#include "wgf/kernel.hpp"
#include "wgf/trainer/pair_terms.hpp"

namespace wgf {

class PairKernel {
public:
  PairKernel() = default;
  // `dim` is the dimension the points live in: it resolves riesz's default α = dim − 1 and is
  // checked against each family's requirements (InputError naming the spec).
  PairKernel(const Kernel& kernel, int dim, double softening);

  // Returns Σ_i e(s_i) (accumulated in double) over n squared distances, and writes
  // de/ds(s_i) to `slope` when it is non-null. `slope` may alias `s`.
  template <typename Scalar>
  double accumulate(const Scalar* s, Eigen::Index n, Scalar* slope) const;

  // de/ds and d²e/ds² at n squared distances (pair_kernel_curvature.cpp): the gradient-
  // regularised MMD critic differentiates its witness's gradient with respect to the features.
  template <typename Scalar>
  void slopes_and_curvatures(const Scalar* s, Eigen::Index n, Scalar* slope, Scalar* curvature) const;

  // e and de/ds at one squared distance, in double (tests and the naive reference).
  double value(double s) const;
  double slope(double s) const;

  // The compiled terms as plain data for one-pair-at-a-time code (the CUDA trainer's kernels,
  // pair_terms.hpp; pair_terms.cpp). InputError beyond PairTerms::kMaxTerms terms.
  PairTerms flat_terms() const;

  const std::string& spec() const { return spec_; }
  double softening() const { return softening_; }
  bool empty() const { return terms_.empty(); }

private:
  static constexpr Eigen::Index kChunk = 128;
  enum class Family { gaussian, rational_quadratic, laplace, energy, riesz };
  struct Term {
    Family family;
    double weight;
    double a;  // gaussian 1/(2σ²); rq 1/c²; laplace 1/ℓ; energy β; riesz α
    double b;  // rq α; unused otherwise
  };
  // Gaussian terms whose widths differ by powers of two (the MMD GAN default σ ∈ {1, 2, 4,
  // 8, 16}, also inside e − εs) cost one exp per pair: exp(−s/2σ²) of a narrower member is a repeated square of
  // the wider one's. Squaring k times multiplies the relative rounding error by 2^k (2^8 fp32
  // ulps ≈ 2e-5 for the default), which is far below a minibatch's noise.
  struct LadderRung {
    int squarings;  // from the previous rung
    double weight, a;
  };
  void build_gaussian_ladder();
  template <typename Scalar>
  void add_gaussian_ladder(const Scalar* s, Eigen::Index n, Scalar* value, Scalar* slope) const;
  template <typename Scalar>
  void add_term(const Term& t, const Scalar* s, Eigen::Index n, Scalar* value,
                Scalar* slope) const;

  std::vector<Term> terms_;
  std::vector<LadderRung> ladder_;  // the Gaussian terms, when they form such a ladder
  std::vector<Term> unladdered_;    // the terms evaluated one by one
  double softening_ = 0;
  std::string spec_;
};

}  // namespace wgf
