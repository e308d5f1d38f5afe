#include "wgf/dynamics.hpp"

#include <cmath>

#include "wgf/errors.hpp"

namespace wgf {

Role parse_role(const std::string& name) {
  if (name == "generator") return Role::generator;
  if (name == "discriminator") return Role::discriminator;
  if (name == "discriminator-p") return Role::discriminator_p;
  if (name == "game") return Role::game;
  throw InputError("--role '" + name +
                   "': unknown role (allowed: generator, discriminator, discriminator-p, game)");
}

std::string role_name(Role role) {
  switch (role) {
    case Role::generator: return "generator";
    case Role::discriminator: return "discriminator";
    case Role::discriminator_p: return "discriminator-p";
    case Role::game: return "game";
  }
  return "?";
}

void Dynamics::validate(int dim) const {
  if (kernel.empty()) throw InputError("--kernel: a kernel spec is required");
  if (!(eps >= 0) || !std::isfinite(eps))
    throw InputError("--eps " + std::to_string(eps) + ": must be a finite number >= 0");
  if (eps > 0 && stabilizer.empty())
    throw InputError("--eps " + std::to_string(eps) + " > 0 needs --stabilizer SPEC");
  if (!(tau > 0) || !std::isfinite(tau))
    throw InputError("--tau " + std::to_string(tau) + ": must be a finite number > 0");
  if (!(rho0 > 0) || !std::isfinite(rho0))
    throw InputError("--rho0 " + std::to_string(rho0) + ": must be a finite number > 0");
  kernel.check_dimension(dim);
  if (!stabilizer.empty()) stabilizer.check_dimension(dim);
}

Kernel Dynamics::discriminator_kernel() const {
  if (stabilizer.empty() || eps == 0.0) return kernel;
  return kernel.plus(stabilizer.scaled(-eps));
}

std::vector<FlowTerm> Dynamics::flow_terms() const {
  const Kernel d = discriminator_kernel();
  switch (role) {
    case Role::generator: return {{Species::p, +1, 1.0, kernel}};
    case Role::discriminator: return {{Species::p, -1, 1.0, d}, {Species::q, -1, 1.0, d}};
    case Role::discriminator_p: return {{Species::p, -1, 1.0, d}};
    case Role::game:
      return {{Species::p, +1, 1.0, kernel}, {Species::p, -1, tau, d}, {Species::q, -1, tau, d}};
  }
  return {};
}

bool Dynamics::moves(Species a) const {
  for (const auto& term : flow_terms())
    if (term.species == a) return true;
  return false;
}

double Dynamics::potential_symbol(Species a, double xi, int dim, bool grid_symbol) const {
  // δE/δp = +2 k*(p − q), δE/δq = −2 k*(p − q).
  const double variation_sign = a == Species::p ? 2.0 : -2.0;
  double m = 0;
  for (const auto& term : flow_terms()) {
    if (term.species != a) continue;
    const double k_hat =
        grid_symbol ? term.kernel.grid_symbol(xi, dim) : term.kernel.transform(xi, dim);
    m += term.sign * term.rate * variation_sign * k_hat;
  }
  return m;
}

double Dynamics::growth_rate(double xi, int dim) const {
  const double difference = potential_symbol(Species::p, xi, dim, false) -
                            potential_symbol(Species::q, xi, dim, false);
  return -rho0 * xi * xi * difference;
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
