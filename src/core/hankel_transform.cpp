#include "wgf/hankel_transform.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>
#include <stdexcept>
#include <vector>

#include "panel_polynomial.hpp"

namespace wgf {

namespace {

constexpr double kPi = std::numbers::pi;

// ω = ξĥ up to which a panel is summed from F's Taylor series (about ω^k/k! ≥ 1e−18 for
// k ≤ 36; the terms' sum never exceeds e^ω ≈ 55 times the result's scale on the panel).
constexpr double kTaylorMaxPhase = 4.0;
constexpr int kMaxTaylorTerms = 64;
// Panels evaluated together by the Taylor rule (independent lanes the compiler vectorises).
constexpr int kBlock = 8;
// Smallest ξr where the Hankel expansion of J_ν with even d is used: its terms fall below 1e−17
// before they start to grow again.
constexpr double kAsymptoticMinArgument = 30.0;
constexpr int kMaxHankelTerms = 24;
// ĥ/c up to which the Taylor expansion of r^{ν+½−n} on a wide panel is used (even d).
constexpr double kAsymptoticMaxRatio = 0.05;
constexpr int kMaxAmplitudeTerms = 30;
// Largest round-off amplification max_j j!/ω^j accepted in the integration by parts.
constexpr double kMaxAmplification = 1e3;
// Largest phase ξ·width of a Gauss–Legendre sub-panel.
constexpr double kGaussMaxPhase = 4.0;
// Relative size below which the remaining tail is skipped.
constexpr double kTailFraction = 1e-17;

struct GaussRule {
  static constexpr int n = 16;
  std::array<double, n> nodes{}, weights{};
  GaussRule() {
    // Newton's method on P_n from the Tricomi initial guesses; P_n by the three-term recurrence.
    for (int i = 0; i < n; ++i) {
      double x = std::cos(kPi * (4.0 * i + 3.0) / (4.0 * n + 2.0));
      double dp = 1;
      for (int it = 0; it < 100; ++it) {
        double p0 = 1, p1 = x;
        for (int k = 2; k <= n; ++k) {
          const double p2 = ((2.0 * k - 1.0) * x * p1 - (k - 1.0) * p0) / k;
          p0 = p1;
          p1 = p2;
        }
        dp = n * (p0 - x * p1) / (1 - x * x);
        const double dx = p1 / dp;
        x -= dx;
        if (std::fabs(dx) <= 1e-16) break;
      }
      nodes[i] = x;
      weights[i] = 2.0 / ((1 - x * x) * dp * dp);
    }
  }
};

const GaussRule& gauss_rule() {
  static const GaussRule rule;
  return rule;
}

// What depends on the dimension only.
struct Dimension {
  int dim;
  double nu;      // d/2 − 1
  double norm;    // (2π)^{d/2}
  double sphere;  // |S^{d−1}| = 2π^{d/2}/Γ(d/2)
  double phase;   // φ = (ν/2 + 1/4)π of the Hankel expansion
  bool odd;
  explicit Dimension(int d)
      : dim(d),
        nu(0.5 * d - 1),
        norm(std::pow(2 * kPi, 0.5 * d)),
        sphere(2 * std::pow(kPi, 0.5 * d) / std::tgamma(0.5 * d)),
        phase((0.5 * (0.5 * d - 1) + 0.25) * kPi),
        odd(d % 2 == 1) {}
};

}  // namespace

namespace {

// J_μ(z)/z^μ for μ ≥ 0, z ≥ 0.
double scaled_bessel(double mu, double z) {
  if (z < 1e-8) return (1 - z * z / (4 * (mu + 1))) / (std::pow(2.0, mu) * std::tgamma(mu + 1));
  const double j = (mu == std::floor(mu)) ? ::jn(static_cast<int>(mu), z) : std::cyl_bessel_j(mu, z);
  return j / std::pow(z, mu);
}

// F(r) = (2π)^{d/2} ξ^{−ν} r^{ν+1} J_ν(ξr), the radial kernel of the transform.
double kernel(const Dimension& k, double xi, double r) {
  const double z = xi * r;
  switch (k.dim) {
    case 1: return 2 * std::cos(z);
    case 2: {
      double j0, j1;
      bessel_j0_j1(z, j0, j1);
      return 2 * kPi * r * j0;
    }
    case 3: return 4 * kPi * r * std::sin(z) / xi;
    default: return k.norm * std::pow(r, k.dim - 1) * scaled_bessel(k.nu, z);
  }
}

// F(r) and F′(r).
void kernel_with_slope(const Dimension& k, double xi, double r, double& f, double& df) {
  const double z = xi * r;
  switch (k.dim) {
    case 1: {
      const double s = std::sin(z), c = std::cos(z);
      f = 2 * c;
      df = -2 * xi * s;
      return;
    }
    case 2: {
      double j0, j1;
      bessel_j0_j1(z, j0, j1);
      f = 2 * kPi * r * j0;
      df = 2 * kPi * (j0 - z * j1);
      return;
    }
    case 3: {
      const double s = std::sin(z), c = std::cos(z);
      f = 4 * kPi * r * s / xi;
      df = 4 * kPi * (s / xi + r * c);
      return;
    }
    default: {
      const double g = scaled_bessel(k.nu, z), g1 = scaled_bessel(k.nu - 1, z);
      const double r2nu = std::pow(r, k.dim - 2);
      f = k.norm * r2nu * r * g;
      df = k.norm * r2nu * (g + g1);
      return;
    }
  }
}

// ∫ p F dr over [lo, hi] ⊂ panel by 16-point Gauss–Legendre on sub-panels of phase ≤ 4.
double gauss_panel(const PiecewiseQuintic::Panel& p, const Dimension& k, double xi, double lo,
                   double hi) {
  const GaussRule& rule = gauss_rule();
  // Bounded before the cast (a phase beyond int's range made it undefined).
  const double wanted = std::ceil(xi * (hi - lo) / kGaussMaxPhase);
  const int pieces = wanted < 2147483647.0 ? std::max(1, static_cast<int>(wanted)) : 2147483647;
  const double width = (hi - lo) / pieces;
  double sum = 0;
  for (int s = 0; s < pieces; ++s) {
    const double mid = lo + (s + 0.5) * width, half = 0.5 * width;
    double piece = 0;
    for (int i = 0; i < GaussRule::n; ++i) {
      const double r = mid + half * rule.nodes[i];
      const double t = (r - p.centre) / p.half_width;
      piece += rule.weights[i] * detail::horner(p.q, t) * kernel(k, xi, r);
    }
    sum += half * piece;
  }
  return sum;
}

// Tables for the Taylor rule: 1/n, 1/((n+1)(n+2)), and the largest ω with ω^K/K! ≤ 1e−18.
struct TaylorTables {
  static constexpr int size = kMaxTaylorTerms + 16;
  std::array<double, size> reciprocal{}, pair_reciprocal{}, phase_limit{};
  TaylorTables() {
    double log_factorial = 0;
    for (int n = 0; n < size; ++n) {
      reciprocal[n] = n > 0 ? 1.0 / n : 0.0;
      pair_reciprocal[n] = 1.0 / ((n + 1.0) * (n + 2.0));
      if (n > 0) log_factorial += std::log(static_cast<double>(n));
      phase_limit[n] = n > 0 ? std::exp((std::log(1e-18) + log_factorial) / n) : 0.0;
    }
  }
};

const TaylorTables& taylor_tables() {
  static const TaylorTables tables;
  return tables;
}

// Number of Taylor terms needed at phase ω: the smallest K ≥ 2 with ω^K/K! ≤ 1e−18.
int taylor_terms(double w) {
  const auto& limit = taylor_tables().phase_limit;
  int k = 2;
  while (k + 1 < TaylorTables::size && w > limit[k]) ++k;
  return k;
}

// The Taylor rule, for panels with ω = ξĥ ≤ 4 and ĥ ≤ c/2, kBlock panels at a time.
// With f̂_k = F⁽ᵏ⁾(c) ĥᵏ/k!, x = ĥ/c and s = 2ν+1, Bessel's equation for F,
// r²F″ − s rF′ + (s + ξ²r²)F = 0, gives
//   f̂_{k+2} = −[(k+1)(2k−s) x f̂_{k+1} + ((k−1)(k−s) x² + ω²) f̂_k + 2ω² x f̂_{k−1} + ω² x² f̂_{k−2}]
//             / ((k+2)(k+1)),
// from f̂_0 = F(c), f̂_1 = ĥF′(c); and ∫ p F dr = ĥ Σ_k f̂_k ∫₋₁¹ p(t) tᵏ dt
// = 2ĥ Σ_m q_m Σ_{k ≡ m (mod 2)} f̂_k/(m+k+1). Round-off in the recurrence grows like xᵏ ≤ 2^{−k}.
// The panels of a block are independent lanes, so the recurrences' latencies overlap.
class TaylorBlock {
public:
  TaylorBlock(const Dimension& k, double xi) : k_(k), xi_(xi), s_(2 * k.nu + 1) { clear(); }

  // Adds a panel; returns true when the block is full and must be flushed.
  bool add(const PiecewiseQuintic::Panel& p) {
    const int b = count_++;
    double f, df;
    kernel_with_slope(k_, xi_, p.centre, f, df);
    const double x = p.half_width / p.centre, w = xi_ * p.half_width;
    f0_[b] = f;
    f1_[b] = p.half_width * df;
    x_[b] = x;
    x2_[b] = x * x;
    w2_[b] = w * w;
    hh_[b] = p.half_width;
    for (int m = 0; m < 6; ++m) q_[m][b] = p.q[m];
    terms_ = std::max(terms_, std::min(kMaxTaylorTerms, taylor_terms(w) + k_.dim + 2));
    return count_ == kBlock;
  }

  // Adds the integrals of the panels held to `sum` and empties the block.
  template <class Sum>
  void flush(Sum& sum) {
    if (count_ == 0) return;
    const auto& t = taylor_tables();
    double fm1[kBlock] = {}, fm2[kBlock] = {}, acc[6][kBlock] = {};
    for (int n = 0; n <= terms_; ++n) {
      const int parity = n & 1;
      const double r1 = t.reciprocal[n + parity + 1], r3 = t.reciprocal[n + parity + 3],
                   r5 = t.reciprocal[n + parity + 5];
      const double a = (n + 1) * (2.0 * n - s_), c = (n - 1) * (n - s_), rp = t.pair_reciprocal[n];
      double* acc1 = acc[parity];
      double* acc3 = acc[parity + 2];
      double* acc5 = acc[parity + 4];
      for (int b = 0; b < kBlock; ++b) {
        const double v = f0_[b];
        acc1[b] += v * r1;
        acc3[b] += v * r3;
        acc5[b] += v * r5;
        const double x = x_[b], x2 = x2_[b], w2 = w2_[b];
        const double next =
            -(a * x * f1_[b] + (c * x2 + w2) * v + 2 * w2 * x * fm1[b] + w2 * x2 * fm2[b]) * rp;
        fm2[b] = fm1[b];
        fm1[b] = v;
        f0_[b] = f1_[b];
        f1_[b] = next;
      }
    }
    for (int b = 0; b < count_; ++b) {
      double panel = 0;
      for (int m = 0; m < 6; ++m) panel += q_[m][b] * acc[m][b];
      sum.add(2 * hh_[b] * panel);
    }
    clear();
  }

private:
  void clear() {
    count_ = 0;
    terms_ = 0;
    for (int b = 0; b < kBlock; ++b) {
      f0_[b] = f1_[b] = x_[b] = x2_[b] = w2_[b] = hh_[b] = 0;
      for (int m = 0; m < 6; ++m) q_[m][b] = 0;
    }
  }

  const Dimension& k_;
  double xi_, s_;
  int count_ = 0, terms_ = 0;
  double f0_[kBlock], f1_[kBlock], x_[kBlock], x2_[kBlock], w2_[kBlock], hh_[kBlock];
  double q_[6][kBlock];
};

// The oscillatory rule: ∫ p F dr over a panel through F = Re[K e^{i(ξr−φ)} S(r)],
// K = (2π)^{d/2} ξ^{−ν} √(2/(πξ)), S(r) = Σₙ iⁿ aₙ ξ^{−n} r^{ν+½−n} (Hankel; finite for odd d).
// integral() returns false where that is not accurate to round-off (even d near the origin or
// on panels too wide for S's Taylor series, or an integration by parts that would amplify
// round-off by more than 1e3), and the caller uses Gauss–Legendre instead.
class OscillatoryRule {
public:
  OscillatoryRule(const Dimension& k, double xi)
      : k_(k),
        xi_(xi),
        scale_(k.norm * std::pow(xi, -k.nu) * std::sqrt(2 / (kPi * xi))),
        four_nu2_(4 * k.nu * k.nu) {}

  bool integral(const PiecewiseQuintic::Panel& p, double& result) {
    const double a = p.a, b = p.b, c = p.centre, hh = p.half_width;
    const double w = xi_ * hh, x = hh / c, inverse_z = 1 / (xi_ * c);
    if (!k_.odd && (xi_ * a < kAsymptoticMinArgument || x > kAsymptoticMaxRatio)) return false;

    // Hankel coefficients tₙ = aₙ(ν)/(ξc)ⁿ; the iⁿ is applied below.
    double t[kMaxHankelTerms];
    int hankel = 0;
    {
      double term = 1;
      t[hankel++] = term;
      for (int n = 1;; ++n) {
        if (n >= kMaxHankelTerms) return false;
        const double odd = 2.0 * n - 1;
        term *= (four_nu2_ - odd * odd) * (0.125 * taylor_tables().reciprocal[n]) * inverse_z;
        if (term == 0.0) break;  // odd d: the expansion ends
        t[hankel++] = term;
        if (std::fabs(term) < 1e-18) break;
      }
    }

    // Ŝ_j = x^j Σₙ iⁿ tₙ C(ν+½−n, j), so that S(c + ĥt) = c^{ν+½} Σ_j Ŝ_j t^j.
    double s_re[kMaxAmplitudeTerms + 1], s_im[kMaxAmplitudeTerms + 1];
    double binomial[kMaxHankelTerms];
    double scale = 0;
    for (int n = 0; n < hankel; ++n) {
      binomial[n] = 1;
      scale += std::fabs(t[n]);
    }
    int amplitude = -1;  // degree of Ŝ
    double xpow = 1;
    for (int j = 0;; ++j) {
      if (j > kMaxAmplitudeTerms) return false;
      double re = 0, im = 0, bound = 0;
      for (int n = 0; n < hankel; ++n) {
        const double v = t[n] * binomial[n];
        bound += std::fabs(v);
        switch (n % 4) {
          case 0: re += v; break;
          case 1: im += v; break;
          case 2: re -= v; break;
          default: im -= v; break;
        }
        binomial[n] *= (k_.nu + 0.5 - n - j) * taylor_tables().reciprocal[j + 1];
      }
      if (bound == 0.0) break;  // odd d: S is a polynomial of degree j − 1
      s_re[j] = re * xpow;
      s_im[j] = im * xpow;
      amplitude = j;
      if (bound * xpow < 1e-18 * scale) break;
      xpow *= x;
    }

    // Â = p Ŝ, degree D = 5 + amplitude; the recurrence below amplifies round-off by max j!/ωʲ.
    const int degree = 5 + amplitude;
    double amplification = 1, product = 1;
    for (int i = 1; i <= degree; ++i) {
      product *= i / w;
      amplification = std::max(amplification, product);
    }
    if (amplification > kMaxAmplification) return false;
    double a_re[6 + kMaxAmplitudeTerms] = {}, a_im[6 + kMaxAmplitudeTerms] = {};
    for (int m = 0; m < 6; ++m)
      for (int j = 0; j <= amplitude; ++j) {
        a_re[m + j] += p.q[m] * s_re[j];
        a_im[m + j] += p.q[m] * s_im[j];
      }
    // B with B + B′/(iω) = Â: B_i = Â_i + i (i+1) B_{i+1}/ω; ∫₋₁¹ Â e^{iωt} dt = [B e^{iωt}/(iω)]₋₁¹.
    double b_re = a_re[degree], b_im = a_im[degree];
    double plus_re = b_re, plus_im = b_im;
    double minus_re = (degree % 2 ? -b_re : b_re), minus_im = (degree % 2 ? -b_im : b_im);
    const double inverse_w = 1 / w;
    for (int i = degree - 1; i >= 0; --i) {
      const double g = (i + 1) * inverse_w;
      const double n_re = a_re[i] - g * b_im, n_im = a_im[i] + g * b_re;
      b_re = n_re;
      b_im = n_im;
      plus_re += b_re;
      plus_im += b_im;
      minus_re += (i % 2 ? -b_re : b_re);
      minus_im += (i % 2 ? -b_im : b_im);
    }
    double ca, sa, cb, sb;
    phase(a, ca, sa);
    phase(b, cb, sb);
    // Im(B(1) e^{iθ_b} − B(−1) e^{iθ_a}) / ω = Re[(…)/(iω)], θ = ξr − φ.
    const double im = (plus_re * sb + plus_im * cb) - (minus_re * sa + minus_im * ca);
    result = scale_ * power(c) * hh * im * inverse_w;
    return true;
  }

private:
  // cos and sin of ξr − φ; consecutive panels share an end, so the last one is remembered.
  void phase(double r, double& c, double& s) {
    if (r != last_r_) {
      const double theta = xi_ * r - k_.phase;
      last_c_ = std::cos(theta);
      last_s_ = std::sin(theta);
      last_r_ = r;
    }
    c = last_c_;
    s = last_s_;
  }
  // c^{ν+½} = c^{(d−1)/2}.
  double power(double c) const {
    switch (k_.dim) {
      case 1: return 1;
      case 2: return std::sqrt(c);
      case 3: return c;
      default: return std::pow(c, k_.nu + 0.5);
    }
  }

  const Dimension& k_;
  double xi_, scale_, four_nu2_;
  double last_r_ = -1, last_c_ = 0, last_s_ = 0;
};

// Neumaier's compensated sum.
struct CompensatedSum {
  double sum = 0, carry = 0;
  void add(double v) {
    const double t = sum + v;
    carry += std::fabs(sum) >= std::fabs(v) ? (sum - t) + v : (v - t) + sum;
    sum = t;
  }
  double value() const { return sum + carry; }
};

}  // namespace

RadialHankelTransform::RadialHankelTransform(PiecewiseQuintic function)
    : function_(std::move(function)) {
  const auto& panels = function_.panels();
  magnitude_.resize(panels.size());
  for (std::size_t i = 0; i < panels.size(); ++i) {
    double m = 0;
    for (double v : panels[i].q) m += std::fabs(v);
    magnitude_[i] = m;
  }
  for (int d = 1; d <= kCachedDims; ++d) needed_[d - 1] = panels_needed(d);
}

// Leading panels whose tail bound |S^{d−1}| Σ max|p| (b−a) b^{d−1} is above 1e−17 of the total
// (|F(ξ, r)| ≤ |S^{d−1}| r^{d−1} for every ξ).
std::size_t RadialHankelTransform::panels_needed(int dim) const {
  const auto& panels = function_.panels();
  std::vector<double> bound(panels.size());
  double total = 0;
  for (std::size_t i = 0; i < panels.size(); ++i) {
    bound[i] = magnitude_[i] * (panels[i].b - panels[i].a) * std::pow(panels[i].b, dim - 1);
    total += bound[i];
  }
  double tail = 0;
  std::size_t needed = panels.size();
  while (needed > 0 && tail + bound[needed - 1] <= kTailFraction * total) {
    tail += bound[needed - 1];
    --needed;
  }
  return needed;
}

double RadialHankelTransform::transform(double xi, int dim) const {
  if (dim < 1) throw std::invalid_argument("RadialHankelTransform: dimension must be >= 1");
  xi = std::fabs(xi);
  const Dimension k(dim);
  const auto& panels = function_.panels();
  CompensatedSum sum;
  if (xi == 0.0) {
    // |S^{d−1}| ∫ p r^{d−1} dr with r^{d−1} = (c + ĥt)^{d−1} and exact moments of p.
    const auto& inv = taylor_tables().reciprocal;
    for (const auto& p : panels) {
      double panel = 0, binomial = 1;
      for (int j = 0; j <= dim - 1; ++j) {
        double moment = 0;  // ∫₋₁¹ p(t) t^j dt
        for (int m = j % 2; m < 6; m += 2) moment += 2 * p.q[m] * inv[m + j + 1];
        panel += binomial * std::pow(p.centre, dim - 1 - j) * std::pow(p.half_width, j) * moment;
        binomial = binomial * (dim - 1 - j) / (j + 1);
      }
      sum.add(p.half_width * panel);
    }
    return k.sphere * sum.value();
  }
  const std::size_t needed = dim <= kCachedDims ? needed_[dim - 1] : panels_needed(dim);
  TaylorBlock block(k, xi);
  OscillatoryRule oscillatory(k, xi);
  for (std::size_t i = 0; i < needed; ++i) {
    const auto& p = panels[i];
    const double w = xi * p.half_width;
    if (w <= kTaylorMaxPhase && p.half_width <= 0.5 * p.centre) {
      if (block.add(p)) block.flush(sum);
      continue;
    }
    double v;
    if (w <= kTaylorMaxPhase || !oscillatory.integral(p, v)) v = gauss_panel(p, k, xi, p.a, p.b);
    sum.add(v);
  }
  block.flush(sum);
  return sum.value();
}

}  // namespace wgf
