// J0 and J1 together (include/wgf/bessel_j01.hpp): the d = 2 kernel of the Hankel transform
// evaluates them once per panel.
#include "wgf/bessel_j01.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <numbers>

namespace wgf {

namespace {

constexpr double kPi = std::numbers::pi;

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

}  // namespace wgf
