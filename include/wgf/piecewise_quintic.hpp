#pragma once
// The model of a tabulated radial function (docs/design.md §1.5): a piecewise polynomial of
// degree ≤ 5, made as the C² quintic Hermite interpolant of the samples. Its d-dimensional
// Fourier transform is RadialHankelTransform (hankel_transform.hpp).
#include <array>
#include <vector>

namespace wgf {

// A piecewise polynomial of degree ≤ 5 on [knots.front(), knots.back()], zero outside.
class PiecewiseQuintic {
public:
  struct Panel {
    double a, b;                     // the panel [a, b]
    double centre, half_width;       // c = (a+b)/2, ĥ = (b−a)/2
    std::array<double, 6> q;         // p(c + ĥt) = Σ q_m t^m, t ∈ [−1, 1]
  };

  PiecewiseQuintic() = default;
  explicit PiecewiseQuintic(std::vector<Panel> panels);

  // C² quintic Hermite interpolant of samples (r_i, e_i), r strictly increasing, with e′ and e″
  // at every sample from finite differences: the 7-point Lagrange polynomial through its
  // neighbours (one-sided at the ends), or fewer or more widely spread points where the spacing
  // jumps (say r = 0 followed by log-spaced samples) and 7 neighbours would amplify round-off
  // by more than 300 on the wider adjacent panel. Error O(Δr⁶): at most Δr⁶ max|e⁽⁶⁾|/46080 on
  // an interval where e is smooth. When r_0 > 0 the interval [0, r_0] gets the second-order
  // Taylor polynomial of the interpolant at r_0.
  static PiecewiseQuintic hermite_interpolant(const std::vector<double>& r,
                                              const std::vector<double>& e);

  double value(double r) const;       // 0 outside the panels
  double derivative(double r) const;  // 0 outside the panels
  const std::vector<Panel>& panels() const { return panels_; }
  double support_end() const { return panels_.empty() ? 0.0 : panels_.back().b; }

private:
  const Panel* find(double r) const;
  std::vector<Panel> panels_;
};

}  // namespace wgf
