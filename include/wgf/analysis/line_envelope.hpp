#pragma once
// The upper envelope of lines y_i(ε) = a_i − b_i ε. For a fixed kernel and stabiliser the
// maximum growth over the ξ samples at any ε is this envelope, so a stability map over n_ε
// values costs O(n_ξ log n_ξ + n_ε) per parameter value instead of O(n_ξ n_ε).
#include <cstddef>
#include <span>
#include <vector>

namespace wgf {

class LineEnvelope {
public:
  // Lines with non-finite coefficients are ignored. Reuses its buffers across rebuilds.
  void build(std::span<const double> a, std::span<const double> b);

  struct Value {
    double value;
    std::size_t line;  // index into the a, b given to build()
  };
  // max_i (a_i − b_i ε) for every ε of `eps_sorted` (ascending), written to `out`.
  void evaluate_sorted(std::span<const double> eps_sorted, std::span<Value> out) const;
  // One query by binary search over the breakpoints.
  Value evaluate(double eps) const;
  std::size_t size() const { return hull_.size(); }

private:
  std::vector<std::size_t> order_, hull_;
  std::vector<double> a_, b_;
};

}  // namespace wgf
