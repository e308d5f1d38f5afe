#include "wgf/dynamics.hpp"

#include <algorithm>
#include <cmath>

#include "wgf/errors.hpp"
#include "wgf/run_header.hpp"

namespace wgf {

Role parse_role(const std::string& name) {
  if (name == "generator") return Role::generator;
  if (name == "discriminator") return Role::discriminator;
  if (name == "discriminator-p") return Role::discriminator_p;
  if (name == "game") return Role::game;
  if (name == "game-p") return Role::game_p;
  throw InputError("--role '" + name +
                   "': unknown role (allowed: generator, discriminator, discriminator-p, game, "
                   "game-p)");
}

std::string role_name(Role role) {
  switch (role) {
    case Role::generator: return "generator";
    case Role::discriminator: return "discriminator";
    case Role::discriminator_p: return "discriminator-p";
    case Role::game: return "game";
    case Role::game_p: return "game-p";
  }
  return "?";
}

void Dynamics::validate_eps(double eps, bool has_stabilizer) {
  if (!(eps >= 0) || !std::isfinite(eps))
    throw InputError("--eps " + std::to_string(eps) + ": must be a finite number >= 0");
  if (eps > 0 && !has_stabilizer)
    throw InputError("--eps " + std::to_string(eps) + " > 0 needs --stabilizer SPEC");
}

void Dynamics::validate(int dim) const {
  if (kernel.empty()) throw InputError("--kernel: a kernel spec is required");
  validate_eps(eps, !stabilizer.empty());
  if (!(tau > 0) || !std::isfinite(tau))
    throw InputError("--tau " + std::to_string(tau) + ": must be a finite number > 0");
  if (!(rho0 > 0) || !std::isfinite(rho0))
    throw InputError("--rho0 " + std::to_string(rho0) + ": must be a finite number > 0");
  kernel.check_dimension(dim);
  if (!stabilizer.empty()) stabilizer.check_dimension(dim);
}

namespace {
// Why λ(ξ) = a − ε b, a = −ρ0 ξ² Δ_e ê, b = −ρ0 ξ² Δ_s ŝ, is not finite at ξ: the first factor
// that overflows, named by its option. ê and ŝ overflow with a huge scale or weight or in many
// dimensions; then ξ², then ρ0 ξ² times a finite transform, then ε b.
std::string why_not_finite(const Dynamics& d, double xi, int dim) {
  const std::string at = " at xi = " + format_double(xi) + " (overflows double precision)";
  const std::string in_dim = " in --dim " + std::to_string(dim);
  const double e = d.kernel.transform(xi, dim);
  if (!std::isfinite(e))
    return "--kernel " + d.kernel.spec() + in_dim + ": its Fourier transform is not finite" + at;
  const double s = d.stabilizer.empty() ? 0.0 : d.stabilizer.transform(xi, dim);
  if (!std::isfinite(s))
    return "--stabilizer " + d.stabilizer.spec() + in_dim +
           ": its Fourier transform is not finite" + at;
  if (!std::isfinite(xi * xi)) return "--xi-max: xi^2 is not finite" + at;
  const double largest = std::max(std::fabs(e), std::fabs(s));
  const double weight = 4 * std::max(1.0, d.tau);  // bounds the role's weights on ê and ŝ
  if (d.rho0 > 1 && std::isfinite(weight * xi * xi * largest))
    return "--rho0 " + format_double(d.rho0) + ": the growth rate rho0 xi^2 F(xi) is not finite" + at;
  if (xi > 1 && std::isfinite(weight * d.rho0 * largest))
    return "--xi-max: the growth rate rho0 xi^2 F(xi) is not finite" + at;
  const EpsCoefficients c = d.eps_coefficients(xi, dim);
  if (std::isfinite(c.a) && std::isfinite(c.b))
    return "--eps " + format_double(d.eps) + ": eps times the stabiliser's rate is not finite" + at;
  return "--kernel " + d.kernel.spec() + ": the growth rate rho0 xi^2 F(xi) is not finite" + at;
}
}  // namespace

void Dynamics::check_finite_rates(std::span<const double> xi, int dim) const {
  for (double x : xi) {
    const EpsCoefficients c = eps_coefficients(x, dim);
    if (!std::isfinite(c.a) || !std::isfinite(c.b) || !std::isfinite(growth_rate(x, dim)))
      throw InputError(why_not_finite(*this, x, dim));
  }
}

Kernel Dynamics::discriminator_kernel() const {
  if (stabilizer.empty() || eps == 0.0) return kernel;
  return kernel.plus(stabilizer.scaled(-eps));
}

std::vector<FlowTerm> Dynamics::flow_terms() const {
  switch (role) {
    case Role::generator: return {{Species::p, +1, 1.0, false}};
    case Role::discriminator: return {{Species::p, -1, 1.0, true}, {Species::q, -1, 1.0, true}};
    case Role::discriminator_p: return {{Species::p, -1, 1.0, true}};
    case Role::game:
      return {{Species::p, +1, 1.0, false}, {Species::p, -1, tau, true}, {Species::q, -1, tau, true}};
    case Role::game_p: return {{Species::p, +1, 1.0, false}, {Species::p, -1, tau, true}};
  }
  return {};
}

bool Dynamics::moves(Species a) const {
  for (const auto& term : flow_terms())
    if (term.species == a) return true;
  return false;
}

void Dynamics::require_motion() const {
  if (!moves(Species::p) && !moves(Species::q))
    throw InputError("the dynamics move neither p nor q: nothing to integrate");
}

SymbolWeights Dynamics::symbol_weights(Species a) const {
  // δE/δp = +2 k*(p − q), δE/δq = −2 k*(p − q); Φ_a = Σ σ τ δE_k/δρ_a.
  const double variation_sign = a == Species::p ? 2.0 : -2.0;
  SymbolWeights w;
  for (const auto& term : flow_terms()) {
    if (term.species != a) continue;
    const double c = term.sign * term.rate * variation_sign;
    w.on_e += c;
    if (term.stabilised) w.on_s += c;
  }
  return w;
}

double Dynamics::stabiliser_transform(double xi, int dim, bool grid_symbol) const {
  if (stabilizer.empty()) return 0.0;
  return grid_symbol ? stabilizer.grid_symbol(xi, dim) : stabilizer.transform(xi, dim);
}

double Dynamics::potential_symbol(Species a, double xi, int dim, bool grid_symbol) const {
  const SymbolWeights w = symbol_weights(a);
  if (w.on_e == 0 && w.on_s == 0) return 0.0;
  const double e_hat = grid_symbol ? kernel.grid_symbol(xi, dim) : kernel.transform(xi, dim);
  const double s_hat = (w.on_s != 0 && eps != 0) ? stabiliser_transform(xi, dim, grid_symbol) : 0;
  return w.on_e * e_hat - eps * w.on_s * s_hat;
}

EpsCoefficients Dynamics::eps_coefficients(double xi, int dim) const {
  const SymbolWeights wp = symbol_weights(Species::p), wq = symbol_weights(Species::q);
  const double on_e = wp.on_e - wq.on_e, on_s = wp.on_s - wq.on_s;
  EpsCoefficients c;
  c.a = -rho0 * xi * xi * on_e * kernel.transform(xi, dim);
  // λ = −ρ0ξ²(on_e ê − ε on_s ŝ) = a − ε b.
  c.b = on_s == 0 ? 0.0 : -rho0 * xi * xi * on_s * stabiliser_transform(xi, dim, false);
  return c;
}

double Dynamics::growth_rate(double xi, int dim) const {
  const EpsCoefficients c = eps_coefficients(xi, dim);
  return eps == 0 ? c.a : c.a - eps * c.b;
}

double Dynamics::rate_constant() const {
  // λ = −ρ0ξ²(Δ_e ê − ε Δ_s ŝ) with Δ = the p weights minus the q weights: C = −ρ0 Δ_s puts
  // −εŝ into F_eff with weight 1 (every role with a discriminator term), C = −ρ0 Δ_e puts ê
  // there (the generator). The weights are sums of ±2τ, so C is the table's number exactly.
  const SymbolWeights wp = symbol_weights(Species::p), wq = symbol_weights(Species::q);
  const double on_s = wp.on_s - wq.on_s;
  return on_s != 0 ? -rho0 * on_s : -rho0 * (wp.on_e - wq.on_e);
}

double Dynamics::effective_transform(double xi, int dim) const {
  return growth_rate(xi, dim) / (rate_constant() * xi * xi);
}

double Dynamics::growth_rate_continuous(std::span<const long> k, const Grid& grid) const {
  double xi2 = 0;
  for (long kj : k) xi2 += grid.wavenumber(kj) * grid.wavenumber(kj);
  return growth_rate(std::sqrt(xi2), grid.dim);
}

double Dynamics::growth_rate_discrete(std::span<const long> k, const Grid& grid) const {
  double xi2 = 0, xi2_discrete = 0;
  for (long kj : k) {
    xi2 += grid.wavenumber(kj) * grid.wavenumber(kj);
    xi2_discrete += grid.discrete_xi_squared(kj);
  }
  // The potential is spectral (exact symbol at the grid wavenumber); only the flux
  // divergence of the potential's gradient is discrete.
  const double xi = std::sqrt(xi2);
  const double difference = potential_symbol(Species::p, xi, grid.dim, true) -
                            potential_symbol(Species::q, xi, grid.dim, true);
  return -rho0 * xi2_discrete * difference;
}

}  // namespace wgf
