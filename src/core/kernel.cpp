#include "wgf/kernel.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <limits>
#include <numbers>

#include "wgf/errors.hpp"
#include "wgf/spec_text.hpp"
#include "wgf/tabulated_kernel.hpp"

namespace wgf {

namespace {

constexpr double kPi = std::numbers::pi;
constexpr double kInf = std::numeric_limits<double>::infinity();

std::string format_number(double v) {
  // The shortest of %.15g … %.17g that reads back exactly: 0.2, not 0.20000000000000001.
  char buffer[40];
  for (int digits = 15; digits <= 17; ++digits) {
    std::snprintf(buffer, sizeof buffer, "%.*g", digits, v);
    if (std::strtod(buffer, nullptr) == v) break;
  }
  return buffer;
}

void require_positive(double value, const std::string& spec, const std::string& key) {
  if (!(value > 0.0))
    throw InputError("kernel spec '" + spec + "': " + key + " must be > 0 (got " +
                     format_number(value) + ")");
}

class Gaussian final : public RadialKernel {
public:
  explicit Gaussian(double sigma) : sigma_(sigma) {}
  double value(double r) const override { return std::exp(-r * r / (2 * sigma_ * sigma_)); }
  double radial_derivative(double r) const override { return -r / (sigma_ * sigma_) * value(r); }
  double transform(double xi, int dim) const override {
    return std::pow(2 * kPi * sigma_ * sigma_, 0.5 * dim) * std::exp(-0.5 * sigma_ * sigma_ * xi * xi);
  }
  void check_dimension(int) const override {}
  std::string spec() const override { return "gaussian:sigma=" + format_number(sigma_); }

private:
  double sigma_;
};

// (1 + r²/c²)^{−α} with c² = 2αℓ². Its transform follows from the Bessel-K representation of
// the d-dimensional transform of (1 + |x|²)^{−α}:
//   2^{1−α} (2π)^{d/2} / Γ(α) · |ξ|^{α−d/2} K_{α−d/2}(|ξ|),
// rescaled by x → x/c. At ξ = 0 it is finite, c^d π^{d/2} Γ(α − d/2)/Γ(α), only when α > d/2.
class RationalQuadratic final : public RadialKernel {
public:
  RationalQuadratic(double alpha, double c, std::string spec)
      : alpha_(alpha), c_(c), spec_(std::move(spec)) {}
  double value(double r) const override { return std::pow(1 + r * r / (c_ * c_), -alpha_); }
  double radial_derivative(double r) const override {
    return -2 * alpha_ * r / (c_ * c_) * std::pow(1 + r * r / (c_ * c_), -alpha_ - 1);
  }
  double transform(double xi, int dim) const override {
    const double nu = alpha_ - 0.5 * dim;
    const double scale = std::pow(c_, dim);
    if (xi == 0.0) {
      if (nu <= 0) return kInf;
      return scale * std::pow(kPi, 0.5 * dim) * std::exp(std::lgamma(nu) - std::lgamma(alpha_));
    }
    const double z = c_ * xi;
    if (z > 700.0) return 0.0;  // K_ν(z) ~ e^{−z}: below the smallest double long before this
    const double log_prefactor = (1 - alpha_) * std::log(2.0) + 0.5 * dim * std::log(2 * kPi) -
                                 std::lgamma(alpha_) + nu * std::log(z);
    return scale * std::exp(log_prefactor) * std::cyl_bessel_k(std::fabs(nu), z);
  }
  void check_dimension(int) const override {}
  std::string spec() const override { return spec_; }

private:
  double alpha_, c_;
  std::string spec_;
};

class Laplace final : public RadialKernel {
public:
  explicit Laplace(double ell) : ell_(ell) {}
  double value(double r) const override { return std::exp(-r / ell_); }
  double radial_derivative(double r) const override { return -value(r) / ell_; }
  double transform(double xi, int dim) const override {
    const double a = 0.5 * (dim + 1);
    return std::pow(2.0, dim) * std::pow(kPi, 0.5 * (dim - 1)) * std::tgamma(a) *
           std::pow(ell_, dim) * std::pow(1 + ell_ * ell_ * xi * xi, -a);
  }
  void check_dimension(int) const override {}
  std::string spec() const override { return "laplace:ell=" + format_number(ell_); }

private:
  double ell_;
};

// −r^β, conditionally positive definite for 0 < β < 2: its generalised transform is positive.
class Energy final : public RadialKernel {
public:
  explicit Energy(double beta) : beta_(beta) {}
  double value(double r) const override { return -std::pow(r, beta_); }
  double radial_derivative(double r) const override { return -beta_ * std::pow(r, beta_ - 1); }
  double transform(double xi, int dim) const override {
    if (xi == 0.0) return kInf;
    return std::pow(kPi, 0.5 * dim) * std::pow(2.0, dim + beta_) *
           std::tgamma(0.5 * (dim + beta_)) / std::fabs(std::tgamma(-0.5 * beta_)) *
           std::pow(xi, -dim - beta_);
  }
  void check_dimension(int) const override {}
  std::string spec() const override { return "energy:beta=" + format_number(beta_); }

private:
  double beta_;
};

// r^{−α}, 0 < α < d. Without an explicit α it is the elastic-interaction kernel α = d − 1
// (ê ∝ 1/|ξ|), which exists for d ≥ 2 only.
class Riesz final : public RadialKernel {
public:
  explicit Riesz(double alpha) : alpha_(alpha) {}
  double value(double r) const override { return std::pow(r, -alpha_); }
  double radial_derivative(double r) const override { return -alpha_ * std::pow(r, -alpha_ - 1); }
  double transform(double xi, int dim) const override {
    if (xi == 0.0) return kInf;
    return std::pow(kPi, 0.5 * dim) * std::pow(2.0, dim - alpha_) *
           std::tgamma(0.5 * (dim - alpha_)) / std::tgamma(0.5 * alpha_) *
           std::pow(xi, alpha_ - dim);
  }
  void check_dimension(int dim) const override {
    if (!(alpha_ > 0 && alpha_ < dim))
      throw InputError("kernel spec '" + spec() + "': riesz needs 0 < alpha < d = " +
                       std::to_string(dim) + " (got alpha=" + format_number(alpha_) + ")");
  }
  std::string spec() const override { return "riesz:alpha=" + format_number(alpha_); }

private:
  double alpha_;
};

// The elastic-interaction default: α = d − 1 is resolved when the dimension is known.
class ElasticRiesz final : public RadialKernel {
public:
  double value(double) const override { throw_unresolved(); }
  double radial_derivative(double) const override { throw_unresolved(); }
  double transform(double xi, int dim) const override {
    check_dimension(dim);
    return Riesz(dim - 1.0).transform(xi, dim);
  }
  void check_dimension(int dim) const override {
    if (dim < 2)
      throw InputError("kernel spec 'riesz': without alpha it is the elastic kernel alpha = d-1, "
                       "which needs d >= 2; give riesz:alpha=A with 0 < A < 1 for d = 1");
  }
  std::string spec() const override { return "riesz"; }

private:
  [[noreturn]] static void throw_unresolved() {
    throw InputError("kernel spec 'riesz': give alpha explicitly to evaluate e(r) "
                     "(alpha = d-1 is resolved only in transforms)");
  }
};

const char* kCatalogue =
    "  gaussian:sigma=S      exp(-r^2/2S^2)              (sigma default 1)\n"
    "  rq:alpha=A,ell=L      (1+r^2/(2 A L^2))^-A        (alpha default 1, ell default 1)\n"
    "  imq:c=C               (1+r^2/C^2)^-1/2            (c default 1)\n"
    "  laplace:ell=L         exp(-r/L)                   (ell default 1)\n"
    "  energy:beta=B         -r^B, 0<B<2                 (beta default 1; Cramer distance)\n"
    "  riesz:alpha=A         r^-A, 0<A<d                 (alpha default d-1: elastic interaction)\n"
    "  table:file=PATH       e(r) tabulated in PATH: CSV/text (columns r,e; comma or blank\n"
    "                        separated; one header line allowed) or HDF5 (1-D datasets r, e).\n"
    "                        C2 quintic interpolant; e = 0 beyond the last r, which must be\n"
    "                        negligible (|e| <= 1e-6 max|e|). Numerical Hankel transform, exact\n"
    "                        for the interpolant: ~1e-8 relative or better on smooth tables of a\n"
    "                        few thousand rows, for xi up to pi/dr (dr: widest spacing where\n"
    "                        |e| > 1e-6 max|e|); larger xi are refused (interpolation error)\n"
    "  terms join with '+', and 'c*' in front scales a term: 0.5*gaussian:sigma=1+laplace\n";

std::shared_ptr<const RadialKernel> parse_family(const SpecText& s) {
  const std::string& name = s.name();
  const std::string& text = s.text();
  if (name == "gaussian") {
    s.allow_only({"sigma"});
    const double sigma = s.number("sigma", 1.0);
    require_positive(sigma, text, "sigma");
    return std::make_shared<Gaussian>(sigma);
  }
  if (name == "rq") {
    s.allow_only({"alpha", "ell"});
    const double alpha = s.number("alpha", 1.0), ell = s.number("ell", 1.0);
    require_positive(alpha, text, "alpha");
    require_positive(ell, text, "ell");
    return std::make_shared<RationalQuadratic>(
        alpha, std::sqrt(2 * alpha) * ell,
        "rq:alpha=" + format_number(alpha) + ",ell=" + format_number(ell));
  }
  if (name == "imq") {
    s.allow_only({"c"});
    const double c = s.number("c", 1.0);
    require_positive(c, text, "c");
    return std::make_shared<RationalQuadratic>(0.5, c, "imq:c=" + format_number(c));
  }
  if (name == "laplace") {
    s.allow_only({"ell"});
    const double ell = s.number("ell", 1.0);
    require_positive(ell, text, "ell");
    return std::make_shared<Laplace>(ell);
  }
  if (name == "energy") {
    s.allow_only({"beta"});
    const double beta = s.number("beta", 1.0);
    if (!(beta > 0 && beta < 2))
      throw InputError("kernel spec '" + text + "': energy needs 0 < beta < 2 (got " +
                       format_number(beta) + ")");
    return std::make_shared<Energy>(beta);
  }
  if (name == "riesz") {
    s.allow_only({"alpha"});
    if (!s.has("alpha")) return std::make_shared<ElasticRiesz>();
    const double alpha = s.number("alpha", 1.0);
    require_positive(alpha, text, "alpha");
    return std::make_shared<Riesz>(alpha);
  }
  if (name == "table") {
    s.allow_only({"file"});
    const auto file = s.string("file");
    if (!file)
      throw InputError("kernel spec '" + text + "': table needs file=PATH (CSV with columns r, e "
                       "or HDF5 with datasets r and e)");
    return TabulatedKernel::load(*file);
  }
  throw InputError("kernel spec '" + text + "': unknown kernel '" + name + "'; known kernels:\n" +
                   kCatalogue);
}

// Splits on '+' between terms, but not on the '+' of an exponent such as 1e+3.
std::vector<std::string> split_terms(const std::string& spec) {
  std::vector<std::string> terms;
  std::string current;
  for (std::size_t i = 0; i < spec.size(); ++i) {
    const char c = spec[i];
    const bool exponent_sign = c == '+' && i >= 2 && (spec[i - 1] == 'e' || spec[i - 1] == 'E') &&
                               (std::isdigit(static_cast<unsigned char>(spec[i - 2])) ||
                                spec[i - 2] == '.') &&
                               i + 1 < spec.size() &&
                               std::isdigit(static_cast<unsigned char>(spec[i + 1]));
    if (c == '+' && !exponent_sign) {
      terms.push_back(current);
      current.clear();
    } else {
      current += c;
    }
  }
  terms.push_back(current);
  return terms;
}

}  // namespace

double RadialKernel::max_reliable_xi() const { return kInf; }

double Kernel::max_reliable_xi() const {
  double limit = kInf;
  for (const auto& t : terms_) limit = std::min(limit, t.family->max_reliable_xi());
  return limit;
}

double Kernel::value(double r) const {
  double sum = 0;
  for (const auto& t : terms_) sum += t.weight * t.family->value(r);
  return sum;
}

double Kernel::radial_derivative(double r) const {
  double sum = 0;
  for (const auto& t : terms_) sum += t.weight * t.family->radial_derivative(r);
  return sum;
}

double Kernel::transform(double xi, int dim) const {
  double sum = 0;
  for (const auto& t : terms_) sum += t.weight * t.family->transform(xi, dim);
  return sum;
}

double Kernel::grid_symbol(double xi, int dim) const {
  return xi == 0.0 ? 0.0 : transform(xi, dim);
}

void Kernel::check_dimension(int dim) const {
  for (const auto& t : terms_) t.family->check_dimension(dim);
}

std::string Kernel::spec() const {
  std::string out;
  for (const auto& t : terms_) {
    if (!out.empty()) out += "+";
    if (t.weight != 1.0) out += format_number(t.weight) + "*";
    out += t.family->spec();
  }
  return out;
}

Kernel Kernel::scaled(double factor) const {
  std::vector<Term> terms = terms_;
  for (auto& t : terms) t.weight *= factor;
  return Kernel(std::move(terms));
}

Kernel Kernel::plus(const Kernel& other) const {
  std::vector<Term> terms = terms_;
  terms.insert(terms.end(), other.terms_.begin(), other.terms_.end());
  return Kernel(std::move(terms));
}

Kernel parse_kernel(const std::string& spec) {
  std::vector<Kernel::Term> terms;
  for (const std::string& raw : split_terms(spec)) {
    const auto first = raw.find_first_not_of(" \t");
    if (first == std::string::npos)
      throw InputError("kernel spec '" + spec + "': empty term (check the '+' signs); known "
                       "kernels:\n" + kCatalogue);
    std::string term = raw.substr(first);
    double weight = 1.0;
    const auto star = term.find('*');
    if (star != std::string::npos && star < term.find(':')) {
      weight = parse_number(term.substr(0, star), "kernel spec '" + spec + "', factor");
      if (weight == 0.0)
        throw InputError("kernel spec '" + spec + "': factor 0 in '" + term + "'");
      term = term.substr(star + 1);
      if (term.find_first_not_of(" \t") == std::string::npos)
        throw InputError("kernel spec '" + spec + "': the factor in '" + raw.substr(first) +
                         "' multiplies no kernel (expected c*NAME[:key=value,...]); known "
                         "kernels:\n" + kCatalogue);
    }
    terms.push_back({weight, parse_family(SpecText::parse(term, "kernel spec"))});
  }
  return Kernel(std::move(terms));
}

std::string kernel_catalogue_help() { return kCatalogue; }

}  // namespace wgf
