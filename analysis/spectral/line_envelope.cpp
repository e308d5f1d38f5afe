#include "wgf/analysis/line_envelope.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace wgf {

void LineEnvelope::build(std::span<const double> a, std::span<const double> b) {
  a_.assign(a.begin(), a.end());
  b_.assign(b.begin(), b.end());
  order_.clear();
  for (std::size_t i = 0; i < a.size(); ++i)
    if (std::isfinite(a[i]) && std::isfinite(b[i])) order_.push_back(i);
  // Slope −b ascending, i.e. b descending; among equal slopes the largest a first.
  std::sort(order_.begin(), order_.end(), [&](std::size_t i, std::size_t j) {
    if (b_[i] != b_[j]) return b_[i] > b_[j];
    return a_[i] > a_[j];
  });
  hull_.clear();
  for (std::size_t idx : order_) {
    if (!hull_.empty() && b_[hull_.back()] == b_[idx]) continue;  // parallel, lower: never on top
    // The last hull line is useless when the new line overtakes the one before it no later
    // than the last line does: x(first, new) ≤ x(first, last), cross-multiplied (slopes rise).
    while (hull_.size() >= 2) {
      const std::size_t l1 = hull_[hull_.size() - 2], l2 = hull_.back();
      const double s1 = -b_[l1], s2 = -b_[l2], s3 = -b_[idx];
      const double lhs = (a_[l1] - a_[idx]) * (s2 - s1);
      const double rhs = (a_[l1] - a_[l2]) * (s3 - s1);
      if (lhs <= rhs) {
        hull_.pop_back();
      } else {
        break;
      }
    }
    hull_.push_back(idx);
  }
}

void LineEnvelope::evaluate_sorted(std::span<const double> eps_sorted,
                                   std::span<Value> out) const {
  if (hull_.empty()) {
    for (auto& v : out) v = {-std::numeric_limits<double>::infinity(), 0};
    return;
  }
  std::size_t k = 0;
  for (std::size_t e = 0; e < eps_sorted.size(); ++e) {
    const double x = eps_sorted[e];
    // Along the hull the best line moves towards larger slopes as ε grows.
    while (k + 1 < hull_.size() &&
           a_[hull_[k + 1]] - b_[hull_[k + 1]] * x >= a_[hull_[k]] - b_[hull_[k]] * x)
      ++k;
    out[e] = {a_[hull_[k]] - b_[hull_[k]] * x, hull_[k]};
  }
}

LineEnvelope::Value LineEnvelope::evaluate(double eps) const {
  if (hull_.empty()) return {-std::numeric_limits<double>::infinity(), 0};
  std::size_t lo = 0, hi = hull_.size() - 1;
  auto at = [&](std::size_t k) { return a_[hull_[k]] - b_[hull_[k]] * eps; };
  while (lo < hi) {  // the values along the hull are unimodal in k at fixed ε
    const std::size_t mid = (lo + hi) / 2;
    if (at(mid + 1) >= at(mid)) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  return {at(lo), hull_[lo]};
}

}  // namespace wgf
