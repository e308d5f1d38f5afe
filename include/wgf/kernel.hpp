#pragma once
// Radial interaction kernels e(r) and their d-dimensional Fourier transforms ê(|ξ|), with the
// convention f̂(ξ) = ∫ f(x) e^{−iξ·x} dx (docs/design.md §1). A Kernel is a weighted sum of catalogue
// families, so `0.5*gaussian:sigma=1+laplace:ell=2` is one object with one transform.
#include <memory>
#include <string>
#include <vector>

namespace wgf {

// One catalogue family with fixed parameters.
class RadialKernel {
public:
  virtual ~RadialKernel() = default;
  virtual double value(double r) const = 0;
  // de/dr, used by particle methods; finite for r > 0.
  virtual double radial_derivative(double r) const = 0;
  // ê(ξ) for ξ ≥ 0 in `dim` dimensions; +∞ where the transform is singular (ξ = 0 for the
  // power laws, and for rq with α ≤ d/2).
  virtual double transform(double xi, int dim) const = 0;
  // Throws InputError when the parameters admit no transform in `dim` dimensions.
  virtual void check_dimension(int dim) const = 0;
  // Canonical spec text, parseable back into the same kernel.
  virtual std::string spec() const = 0;
  // Largest ξ at which transform() keeps its stated accuracy (finite for tabulated kernels).
  virtual double max_reliable_xi() const;
};

class Kernel {
public:
  struct Term {
    double weight;
    std::shared_ptr<const RadialKernel> family;
  };

  Kernel() = default;
  explicit Kernel(std::vector<Term> terms) : terms_(std::move(terms)) {}

  double value(double r) const;
  double radial_derivative(double r) const;
  double transform(double xi, int dim) const;
  // The symbol the grid solver multiplies with: ê(ξ) for ξ > 0 and 0 at ξ = 0, because the
  // ξ = 0 mode of p − q (its mass) is zero and a singular ê(0) must not leak into the fields.
  double grid_symbol(double xi, int dim) const;
  void check_dimension(int dim) const;
  std::string spec() const;
  double max_reliable_xi() const;  // the minimum over the terms
  bool empty() const { return terms_.empty(); }
  const std::vector<Term>& terms() const { return terms_; }

  // e − ε s and friends: sums and scalar multiples of kernels are kernels.
  Kernel scaled(double factor) const;
  Kernel plus(const Kernel& other) const;

private:
  std::vector<Term> terms_;
};

// Parses `NAME[:key=value[,key=value…]]` terms joined by `+`, each optionally prefixed `c*`.
// Throws InputError naming the offending part and listing what is allowed.
Kernel parse_kernel(const std::string& spec);

// Names and parameter lists of the catalogue, for --help texts and error messages.
std::string kernel_catalogue_help();

}  // namespace wgf
