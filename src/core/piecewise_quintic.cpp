// The piecewise quintic a tabulated kernel is modelled by (include/wgf/piecewise_quintic.hpp):
// the C² Hermite interpolant of the samples with e′, e″ from finite differences, and its values.
#include "wgf/piecewise_quintic.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include "panel_polynomial.hpp"

namespace wgf {

namespace {

// Finite-difference stencils for e′, e″ at the samples: at most 7 points, and a round-off
// amplification (weights × panel width) of at most 300; uniform 7-point stencils have 1.5
// (centred) to 47 (one-sided), while a jump in spacing (r = 0 followed by log-spaced samples)
// needs a stencil spread on the scale of the wider panel there.
constexpr int kMaxStencil = 7;
constexpr double kMaxStencilAmplification = 300;

// Finite-difference weights (Fornberg 1988) for the derivatives 0..2 at z from nodes x[0..n).
void fornberg_weights(double z, const double* x, int n, double (*w)[3]) {
  for (int i = 0; i < n; ++i) w[i][0] = w[i][1] = w[i][2] = 0;
  double c1 = 1, c4 = x[0] - z;
  w[0][0] = 1;
  for (int i = 1; i < n; ++i) {
    const int mn = std::min(i, 2);
    double c2 = 1;
    const double c5 = c4;
    c4 = x[i] - z;
    for (int j = 0; j < i; ++j) {
      const double c3 = x[i] - x[j];
      c2 *= c3;
      if (j == i - 1) {
        for (int s = mn; s >= 1; --s) w[i][s] = c1 * (s * w[i - 1][s - 1] - c5 * w[i - 1][s]) / c2;
        w[i][0] = -c1 * c5 * w[i - 1][0] / c2;
      }
      for (int s = mn; s >= 1; --s) w[j][s] = (c4 * w[j][s] - s * w[j][s - 1]) / c3;
      w[j][0] = c4 * w[j][0] / c3;
    }
    c1 = c2;
  }
}

// Quintic on t ∈ [−1, 1] with value, first and second t-derivatives y0, d0, s0 at t = −1 and
// y1, d1, s1 at t = +1.
std::array<double, 6> hermite_quintic(double y0, double d0, double s0, double y1, double d1,
                                      double s1) {
  const double ev0 = 0.5 * (y1 + y0), od0 = 0.5 * (y1 - y0);
  const double ev1 = 0.5 * (d1 - d0), od1 = 0.5 * (d1 + d0);
  const double ev2 = 0.5 * (s1 + s0), od2 = 0.5 * (s1 - s0);
  std::array<double, 6> q{};
  q[4] = (ev2 - ev1) / 8;
  q[2] = (ev1 - 4 * q[4]) / 2;
  q[0] = ev0 - q[2] - q[4];
  q[5] = (od2 - 3 * (od1 - od0)) / 8;
  q[3] = (od1 - od0 - 4 * q[5]) / 2;
  q[1] = od0 - q[3] - q[5];
  return q;
}

}  // namespace

PiecewiseQuintic::PiecewiseQuintic(std::vector<Panel> panels) : panels_(std::move(panels)) {
  for (std::size_t i = 0; i < panels_.size(); ++i) {
    Panel& p = panels_[i];
    if (!(p.b > p.a) || (i > 0 && p.a != panels_[i - 1].b))
      throw std::invalid_argument("PiecewiseQuintic: panels must be contiguous and non-empty");
    p.centre = 0.5 * (p.a + p.b);
    p.half_width = 0.5 * (p.b - p.a);
  }
}

PiecewiseQuintic PiecewiseQuintic::hermite_interpolant(const std::vector<double>& r,
                                                       const std::vector<double>& e) {
  const std::size_t n = r.size();
  if (n < static_cast<std::size_t>(kMaxStencil) || e.size() != n)
    throw std::invalid_argument("hermite_interpolant: needs at least 7 samples (r, e)");
  std::vector<double> d1(n), d2(n);
  for (std::size_t i = 0; i < n; ++i) {
    // Half-width of the widest panel that uses the derivatives at r_i (the extension [0, r_0]
    // counts for i = 0).
    double hh = 0;
    if (i > 0) hh = 0.5 * (r[i] - r[i - 1]);
    if (i + 1 < n) hh = std::max(hh, 0.5 * (r[i + 1] - r[i]));
    if (i == 0 && r[0] > 0) hh = std::max(hh, 0.5 * r[0]);
    // Candidate stencils: windows of 7 down to 3 consecutive samples containing r_i, and the
    // samples nearest to r_i + kĥ, k = −3..3 (spread on the scale of the widest adjacent panel,
    // which matters where the spacing jumps: r = 0 followed by log-spaced samples). Chosen: the
    // most points whose weights, in units of that panel, amplify round-off by at most
    // kMaxStencilAmplification; among those the least amplifying; failing all, the least
    // amplifying of any.
    struct Stencil {
      std::size_t index[kMaxStencil];
      int size = 0;
      double amplification = 0;
    };
    auto measure = [&](Stencil& st) {
      double x[kMaxStencil], w[kMaxStencil][3];
      for (int j = 0; j < st.size; ++j) x[j] = r[st.index[j]] - r[i];
      fornberg_weights(0.0, x, st.size, w);
      double s1 = 0, s2 = 0;
      for (int j = 0; j < st.size; ++j) {
        s1 += std::fabs(w[j][1]);
        s2 += std::fabs(w[j][2]);
      }
      st.amplification = std::max(hh * s1, hh * hh * s2);
    };
    auto better = [](const Stencil& a, const Stencil& b) {  // is a preferable to b?
      const bool a_ok = a.amplification <= kMaxStencilAmplification;
      const bool b_ok = b.amplification <= kMaxStencilAmplification;
      if (a_ok != b_ok) return a_ok;
      if (a_ok && a.size != b.size) return a.size > b.size;
      return a.amplification < b.amplification;
    };
    Stencil best;
    best.amplification = std::numeric_limits<double>::infinity();
    for (int size = kMaxStencil; size >= 3; --size) {
      const std::size_t lo = i + 1 >= static_cast<std::size_t>(size) ? i + 1 - size : 0;
      const std::size_t hi = std::min(i, n - size);
      for (std::size_t first = lo; first <= hi; ++first) {
        Stencil st;
        st.size = size;
        for (int j = 0; j < size; ++j) st.index[j] = first + j;
        measure(st);
        if (better(st, best)) best = st;
      }
    }
    {
      Stencil st;
      for (int k = -3; k <= 3; ++k) {
        const double target = r[i] + k * hh;
        std::size_t j = static_cast<std::size_t>(
            std::lower_bound(r.begin(), r.end(), target) - r.begin());
        if (j == n || (j > 0 && target - r[j - 1] < r[j] - target)) --j;
        if (st.size == 0 || st.index[st.size - 1] < j) st.index[st.size++] = j;
      }
      if (st.size >= 3) {
        measure(st);
        if (better(st, best)) best = st;
      }
    }
    double x[kMaxStencil], w[kMaxStencil][3];
    for (int j = 0; j < best.size; ++j) x[j] = r[best.index[j]] - r[i];
    fornberg_weights(0.0, x, best.size, w);
    d1[i] = d2[i] = 0;
    for (int j = 0; j < best.size; ++j) {
      d1[i] += w[j][1] * e[best.index[j]];
      d2[i] += w[j][2] * e[best.index[j]];
    }
  }
  std::vector<Panel> panels;
  panels.reserve(n);
  if (r[0] > 0) {
    // [0, r_0]: the second-order Taylor polynomial at r_0, in t with r − r_0 = ĥ(t − 1).
    const double hh = 0.5 * r[0];
    Panel p{0.0, r[0], 0, 0, {}};
    p.q[0] = e[0] - d1[0] * hh + 0.5 * d2[0] * hh * hh;
    p.q[1] = d1[0] * hh - d2[0] * hh * hh;
    p.q[2] = 0.5 * d2[0] * hh * hh;
    panels.push_back(p);
  }
  for (std::size_t i = 0; i + 1 < n; ++i) {
    const double hh = 0.5 * (r[i + 1] - r[i]);
    Panel p{r[i], r[i + 1], 0, 0, {}};
    p.q = hermite_quintic(e[i], d1[i] * hh, d2[i] * hh * hh, e[i + 1], d1[i + 1] * hh,
                          d2[i + 1] * hh * hh);
    panels.push_back(p);
  }
  return PiecewiseQuintic(std::move(panels));
}

const PiecewiseQuintic::Panel* PiecewiseQuintic::find(double r) const {
  if (panels_.empty() || r < panels_.front().a || r > panels_.back().b) return nullptr;
  auto it = std::lower_bound(panels_.begin(), panels_.end(), r,
                             [](const Panel& p, double v) { return p.b < v; });
  if (it == panels_.end()) --it;
  return &*it;
}

double PiecewiseQuintic::value(double r) const {
  const Panel* p = find(r);
  return p ? detail::horner(p->q, (r - p->centre) / p->half_width) : 0.0;
}

double PiecewiseQuintic::derivative(double r) const {
  const Panel* p = find(r);
  if (!p) return 0.0;
  const double t = (r - p->centre) / p->half_width;
  const auto& q = p->q;
  return (q[1] + t * (2 * q[2] + t * (3 * q[3] + t * (4 * q[4] + t * 5 * q[5])))) / p->half_width;
}

}  // namespace wgf
