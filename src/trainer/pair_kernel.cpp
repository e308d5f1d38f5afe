#include "wgf/trainer/pair_kernel.hpp"

#include <algorithm>
#include <cmath>

#include "wgf/errors.hpp"
#include "wgf/spec_text.hpp"

namespace wgf {

PairKernel::PairKernel(const Kernel& kernel, int dim, double softening)
    : softening_(softening), spec_(kernel.spec()) {
  if (!(softening >= 0) || !std::isfinite(softening))
    throw InputError("softening length must be >= 0 (got " + std::to_string(softening) + ")");
  kernel.check_dimension(dim);
  // The catalogue's families are private to kernel.cpp; their canonical spec text is the
  // public description of their parameters, so each term is compiled from it.
  for (const auto& term : kernel.terms()) {
    const SpecText s = SpecText::parse(term.family->spec(), "kernel spec");
    const std::string& name = s.name();
    Term t{Family::gaussian, term.weight, 0, 0};
    if (name == "gaussian") {
      const double sigma = s.number("sigma", 1.0);
      t.a = 1.0 / (2 * sigma * sigma);
    } else if (name == "rq") {
      const double alpha = s.number("alpha", 1.0), ell = s.number("ell", 1.0);
      t = {Family::rational_quadratic, term.weight, 1.0 / (2 * alpha * ell * ell), alpha};
    } else if (name == "imq") {
      const double c = s.number("c", 1.0);
      t = {Family::rational_quadratic, term.weight, 1.0 / (c * c), 0.5};
    } else if (name == "laplace") {
      t = {Family::laplace, term.weight, 1.0 / s.number("ell", 1.0), 0};
    } else if (name == "energy") {
      t = {Family::energy, term.weight, s.number("beta", 1.0), 0};
    } else if (name == "riesz") {
      t = {Family::riesz, term.weight, s.number("alpha", dim - 1.0), 0};
    } else {
      throw InputError("kernel spec '" + term.family->spec() +
                       "': this family has no pairwise form for the trainer");
    }
    terms_.push_back(t);
  }
  build_gaussian_ladder();
}

void PairKernel::build_gaussian_ladder() {
  unladdered_ = terms_;
  std::vector<Term> gaussians;
  for (const Term& t : terms_)
    if (t.family == Family::gaussian) gaussians.push_back(t);
  if (gaussians.size() < 2) return;
  std::sort(gaussians.begin(), gaussians.end(),
            [](const Term& x, const Term& y) { return x.a < y.a; });
  std::vector<LadderRung> ladder;
  int previous = 0;
  for (const Term& t : gaussians) {
    const double power = std::log2(t.a / gaussians.front().a);
    const int rounded = static_cast<int>(std::lround(power));
    // Exact power-of-two rungs only, distinct, and at most 8 squarings from the widest (σ
    // ratios up to 16, as in the default): 2^8 fp32 ulps ≈ 2e-5 relative error at most.
    if (std::fabs(power - rounded) > 1e-9 || rounded > 8) return;
    if (!ladder.empty() && rounded == previous) return;
    ladder.push_back({rounded - previous, t.weight, t.a});
    previous = rounded;
  }
  ladder_ = std::move(ladder);
  unladdered_.clear();
  for (const Term& t : terms_)
    if (t.family != Family::gaussian) unladdered_.push_back(t);
}

template <typename Scalar>
void PairKernel::add_term(const Term& t, const Scalar* s_in, Eigen::Index n, Scalar* value_out,
                          Scalar* slope_out) const {
  using Array = Eigen::Array<Scalar, Eigen::Dynamic, 1>;
  Eigen::Map<const Array> s(s_in, n);
  Eigen::Map<Array> value(value_out, n);
  const Scalar w = static_cast<Scalar>(t.weight), a = static_cast<Scalar>(t.a);
  const Scalar delta2 = static_cast<Scalar>(softening_ * softening_);
  // Each case adds its term's value; with a slope buffer it adds de/ds, derived from the term's
  // value so that each transcendental function is evaluated once per pair.
  Scalar term_buffer[kChunk];
  Eigen::Map<Array> term(term_buffer, n);
  switch (t.family) {
    case Family::gaussian:
      term = w * (-a * s).exp();
      if (slope_out) Eigen::Map<Array>(slope_out, n) -= a * term;
      break;
    case Family::rational_quadratic: {
      const Scalar alpha = static_cast<Scalar>(t.b);
      Scalar u_buffer[kChunk];
      Eigen::Map<Array> u(u_buffer, n);
      u = Scalar(1) + a * s;
      if (t.b == 0.5) term = w * u.rsqrt();
      else if (t.b == 1.0) term = w * u.inverse();
      else term = w * (-alpha * u.log()).exp();
      if (slope_out) Eigen::Map<Array>(slope_out, n) -= alpha * a * term / u;
      break;
    }
    case Family::laplace: {
      Scalar r_buffer[kChunk];
      Eigen::Map<Array> r(r_buffer, n);
      r = (s + delta2).sqrt();
      term = w * (-a * r).exp();
      // de/ds = e'(r)/(2r); at r = 0 (δ = 0) the value is all the caller may use.
      if (slope_out) Eigen::Map<Array>(slope_out, n) -= Scalar(0.5) * a * term / r;
      break;
    }
    case Family::energy: {
      Scalar q_buffer[kChunk];
      Eigen::Map<Array> q(q_buffer, n);
      q = s + delta2;
      if (t.a == 1.0) term = -w * q.sqrt();
      else term = -w * (Scalar(0.5) * a * q.log()).exp();
      if (slope_out) Eigen::Map<Array>(slope_out, n) += Scalar(0.5) * a * term / q;
      break;
    }
    case Family::riesz: {
      Scalar q_buffer[kChunk];
      Eigen::Map<Array> q(q_buffer, n);
      q = s + delta2;
      if (t.a == 1.0) term = w * q.rsqrt();
      else term = w * (Scalar(-0.5) * a * q.log()).exp();
      if (slope_out) Eigen::Map<Array>(slope_out, n) -= Scalar(0.5) * a * term / q;
      break;
    }
  }
  value += term;
}

template <typename Scalar>
void PairKernel::add_gaussian_ladder(const Scalar* s_in, Eigen::Index n, Scalar* value_out,
                                     Scalar* slope_out) const {
  using Array = Eigen::Array<Scalar, Eigen::Dynamic, 1>;
  Eigen::Map<const Array> s(s_in, n);
  Eigen::Map<Array> value(value_out, n);
  Scalar rung_buffer[kChunk];
  Eigen::Map<Array> rung(rung_buffer, n);
  // exp(−a s) of the widest Gaussian; each narrower one is a power 2^k of it.
  rung = (static_cast<Scalar>(-ladder_.front().a) * s).exp();
  for (const LadderRung& r : ladder_) {
    for (int k = 0; k < r.squarings; ++k) rung = rung.square();
    value += static_cast<Scalar>(r.weight) * rung;
    if (slope_out) Eigen::Map<Array>(slope_out, n) -= static_cast<Scalar>(r.weight * r.a) * rung;
  }
}

template <typename Scalar>
double PairKernel::accumulate(const Scalar* s, Eigen::Index n, Scalar* slope) const {
  using Array = Eigen::Array<Scalar, Eigen::Dynamic, 1>;
  double total = 0;
  // Stack chunks: thread-safe, no allocation, and small enough to stay in L1.
  Scalar s_chunk[kChunk], value_chunk[kChunk], slope_chunk[kChunk];
  for (Eigen::Index start = 0; start < n; start += kChunk) {
    const Eigen::Index len = std::min<Eigen::Index>(kChunk, n - start);
    std::copy(s + start, s + start + len, s_chunk);  // so that `slope` may alias `s`
    Eigen::Map<Array>(value_chunk, len).setZero();
    if (slope) Eigen::Map<Array>(slope_chunk, len).setZero();
    if (!ladder_.empty()) add_gaussian_ladder(s_chunk, len, value_chunk, slope ? slope_chunk : nullptr);
    for (const Term& t : unladdered_)
      add_term(t, s_chunk, len, value_chunk, slope ? slope_chunk : nullptr);
    total += Eigen::Map<Array>(value_chunk, len).template cast<double>().sum();
    if (slope) std::copy(slope_chunk, slope_chunk + len, slope + start);
  }
  return total;
}

double PairKernel::value(double s) const { return accumulate(&s, 1, static_cast<double*>(nullptr)); }

double PairKernel::slope(double s) const {
  double result = s;
  accumulate(&result, 1, &result);
  return result;
}

template double PairKernel::accumulate<float>(const float*, Eigen::Index, float*) const;
template double PairKernel::accumulate<double>(const double*, Eigen::Index, double*) const;

}  // namespace wgf
