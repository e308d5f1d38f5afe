#include "wgf/hankel_transform.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numbers>
#include <stdexcept>
#include <string>

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
// Finite-difference stencils for e′, e″ at the samples: at most 7 points, and a round-off
// amplification (weights × panel width) of at most 300; uniform 7-point stencils have 1.5
// (centred) to 47 (one-sided), while a jump in spacing (r = 0 followed by log-spaced samples)
// needs a stencil spread on the scale of the wider panel there.
constexpr int kMaxStencil = 7;
constexpr double kMaxStencilAmplification = 300;

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

// J0 and J1 for the d = 2 kernel: below z = 25 from Taylor polynomials of degree 12 about the
// centres of intervals of width 1/8 (coefficients J_ν⁽ᵏ⁾/k! = 2^{−k} Σ_l (−1)^l C(k,l) J_{ν−k+2l}/k!
// from glibc's jn at start-up; truncation below 1e−23), above it from Hankel's expansion
// truncated where its terms fall below 1e−17 of the leading one.
struct BesselJ01Tables {
  static constexpr double spacing = 0.125, limit = 25.0;
  static constexpr int intervals = 200, degree = 12, hankel_terms = 24;
  std::array<std::array<double, degree + 1>, intervals> j0{}, j1{};
  std::array<double, hankel_terms> p0{}, q0{}, p1{}, q1{};  // coefficients in 1/z² of P, Q
  int p_terms = 0, q_terms = 0;
  BesselJ01Tables() {
    for (int i = 0; i < intervals; ++i) {
      const double x = (i + 0.5) * spacing;
      std::array<double, 2 * degree + 4> jn_plus{};  // J_n(x), n = 0..2·degree+3
      for (int n = 0; n < static_cast<int>(jn_plus.size()); ++n) jn_plus[n] = ::jn(n, x);
      auto jn_any = [&](int n) { return n >= 0 ? jn_plus[n] : ((-n) % 2 ? -jn_plus[-n] : jn_plus[-n]); };
      double factorial = 1;
      for (int k = 0; k <= degree; ++k) {
        if (k > 0) factorial *= k;
        double s0 = 0, s1 = 0, binomial = 1;
        for (int l = 0; l <= k; ++l) {
          const double sign = l % 2 ? -1.0 : 1.0;
          s0 += sign * binomial * jn_any(-k + 2 * l);
          s1 += sign * binomial * jn_any(1 - k + 2 * l);
          binomial = binomial * (k - l) / (l + 1);
        }
        j0[i][k] = std::ldexp(s0, -k) / factorial;
        j1[i][k] = std::ldexp(s1, -k) / factorial;
      }
    }
    // Hankel: J_ν = √(2/(πz)) (P cos χ − Q sin χ), χ = z − (ν/2 + 1/4)π,
    // P = Σ_k (−1)^k a_{2k} z^{−2k}, Q = Σ_k (−1)^k a_{2k+1} z^{−2k−1}.
    double a0 = 1, a1 = 1;
    for (int k = 0; k < 2 * hankel_terms; ++k) {
      if (k > 0) {
        const double odd = 2.0 * k - 1;
        a0 *= (0 - odd * odd) / (8.0 * k);
        a1 *= (4 - odd * odd) / (8.0 * k);
      }
      const double sign = (k / 2) % 2 ? -1.0 : 1.0;
      if (k % 2 == 0) {
        p0[k / 2] = sign * a0;
        p1[k / 2] = sign * a1;
      } else {
        q0[k / 2] = sign * a0;
        q1[k / 2] = sign * a1;
      }
      if (std::max(std::fabs(a0), std::fabs(a1)) * std::pow(limit, -k) < 1e-17) {
        p_terms = k / 2 + 1;
        q_terms = (k + 1) / 2;
        break;
      }
    }
  }
};

const BesselJ01Tables& bessel_j01_tables() {
  static const BesselJ01Tables tables;
  return tables;
}

}  // namespace

void bessel_j0_j1(double z, double& j0, double& j1) {
  const BesselJ01Tables& t = bessel_j01_tables();
  if (z < 0) {
    bessel_j0_j1(-z, j0, j1);
    j1 = -j1;
    return;
  }
  if (z < BesselJ01Tables::limit) {
    const int i = std::min(BesselJ01Tables::intervals - 1,
                           static_cast<int>(z * (1 / BesselJ01Tables::spacing)));
    const double u = z - (i + 0.5) * BesselJ01Tables::spacing;
    const auto& a = t.j0[i];
    const auto& b = t.j1[i];
    double s0 = a[BesselJ01Tables::degree], s1 = b[BesselJ01Tables::degree];
    for (int k = BesselJ01Tables::degree - 1; k >= 0; --k) {
      s0 = s0 * u + a[k];
      s1 = s1 * u + b[k];
    }
    j0 = s0;
    j1 = s1;
    return;
  }
  const double y = 1 / (z * z);
  double p0 = 0, p1 = 0, q0 = 0, q1 = 0;
  for (int k = t.p_terms - 1; k >= 0; --k) {
    p0 = p0 * y + t.p0[k];
    p1 = p1 * y + t.p1[k];
  }
  for (int k = t.q_terms - 1; k >= 0; --k) {
    q0 = q0 * y + t.q0[k];
    q1 = q1 * y + t.q1[k];
  }
  q0 /= z;
  q1 /= z;
  // χ0 = z − π/4, χ1 = z − 3π/4 = χ0 − π/2.
  const double s = std::sin(z), c = std::cos(z);
  const double cos0 = (c + s) * std::numbers::sqrt2 / 2, sin0 = (s - c) * std::numbers::sqrt2 / 2;
  const double amplitude = std::sqrt(2 / (kPi * z));
  j0 = amplitude * (p0 * cos0 - q0 * sin0);
  j1 = amplitude * (p1 * sin0 + q1 * cos0);
}

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

double horner(const std::array<double, 6>& q, double t) {
  return q[0] + t * (q[1] + t * (q[2] + t * (q[3] + t * (q[4] + t * q[5]))));
}

// ∫ p F dr over [lo, hi] ⊂ panel by 16-point Gauss–Legendre on sub-panels of phase ≤ 4.
double gauss_panel(const PiecewiseQuintic::Panel& p, const Dimension& k, double xi, double lo,
                   double hi) {
  const GaussRule& rule = gauss_rule();
  const int pieces = std::max(1, static_cast<int>(std::ceil(xi * (hi - lo) / kGaussMaxPhase)));
  const double width = (hi - lo) / pieces;
  double sum = 0;
  for (int s = 0; s < pieces; ++s) {
    const double mid = lo + (s + 0.5) * width, half = 0.5 * width;
    double piece = 0;
    for (int i = 0; i < GaussRule::n; ++i) {
      const double r = mid + half * rule.nodes[i];
      piece += rule.weights[i] * horner(p.q, (r - p.centre) / p.half_width) * kernel(k, xi, r);
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
  return p ? horner(p->q, (r - p->centre) / p->half_width) : 0.0;
}

double PiecewiseQuintic::derivative(double r) const {
  const Panel* p = find(r);
  if (!p) return 0.0;
  const double t = (r - p->centre) / p->half_width;
  const auto& q = p->q;
  return (q[1] + t * (2 * q[2] + t * (3 * q[3] + t * (4 * q[4] + t * 5 * q[5])))) / p->half_width;
}

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
