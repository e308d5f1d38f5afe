#pragma once
// One shared description of the dynamics (docs/design.md §1): kernel e, stabiliser s, ε, role, the
// discriminator's rate τ and the background density ρ0. The grid solver takes its signs, rates
// and potential symbols from here, and the predicted growth rates are computed from the same
// numbers — there is no second copy of the role table anywhere.
//
// Mechanism. Each density ρ_a (a = p, q) moves by ∂t ρ_a = ∇·(ρ_a ∇Φ_a) with
// Φ_a = Σ_terms σ τ δE_k/δρ_a, δE_k/δp = 2k*(p−q), δE_k/δq = −2k*(p−q). So Φ̂_a = m_a(ξ) ŵ(ξ)
// with w = p − q, and linearising around p = q = ρ0 gives λ(ξ) = −ρ0 |ξ|² (m_p − m_q)(ξ).
#include <span>
#include <string>
#include <vector>

#include "wgf/grid.hpp"
#include "wgf/kernel.hpp"

namespace wgf {

// game_p: the game with the data features q frozen (the discriminator moves only p), as
// discriminator_p is the discriminator with q frozen.
enum class Role { generator, discriminator, discriminator_p, game, game_p };
enum class Species { p, q };

Role parse_role(const std::string& name);  // throws InputError listing the roles
std::string role_name(Role role);

// One term of a species' flow: σ τ ∇·(ρ_a ∇ δE_k/δρ_a), with k = e for the generator's
// terms and k = ẽ = e − εs for the discriminator's (`stabilised`).
struct FlowTerm {
  Species species;
  int sign;     // +1 descent, −1 ascent
  double rate;  // τ
  bool stabilised;
};

// m_a(ξ) = on_e ê(ξ) − ε on_s ŝ(ξ): the symbol of a species' potential as weights on the two
// transforms, so that symbols, rates and their dependence on ε cost two transforms per ξ.
struct SymbolWeights {
  double on_e = 0;
  double on_s = 0;
};

// λ(ξ; ε) = a(ξ) − ε b(ξ): every role's rate is affine in ε, which is what makes stability maps
// an upper envelope of lines.
struct EpsCoefficients {
  double a = 0;
  double b = 0;
};

struct Dynamics {
  Kernel kernel;      // e: the generator's kernel
  Kernel stabilizer;  // s (may be empty when ε = 0)
  double eps = 0.0;
  Role role = Role::generator;
  double tau = 1.0;   // the discriminator's rate in the game role
  double rho0 = 1.0;  // background density of the linearisation

  // Throws InputError for ε < 0, ε > 0 without a stabiliser, τ ≤ 0, ρ0 ≤ 0, or a kernel that
  // has no transform in `dim` dimensions.
  void validate(int dim) const;
  // The part of validate() about ε: InputError for ε < 0 (or not finite) and for ε > 0 without
  // a stabiliser. For callers that check ε before they parse the kernels (the trainer).
  static void validate_eps(double eps, bool has_stabilizer);
  // Throws InputError when λ(ξ) or its coefficients a, b are not finite at a sampled ξ: finite
  // values can still overflow double precision (--rho0 1e308, --xi-max 1e308, --dim 1000,
  // gaussian:sigma=1e200). The message names the option that overflows, at the first such ξ.
  void check_finite_rates(std::span<const double> xi, int dim) const;

  // ẽ = e − ε s, the kernel the discriminator plays with.
  Kernel discriminator_kernel() const;
  // The role as a list of flow terms: the single mechanism both the solver and the theory use.
  std::vector<FlowTerm> flow_terms() const;
  bool moves(Species a) const;
  // Throws InputError when the flow terms move neither species: there is nothing to integrate.
  // Every grid backend calls it first, so all of them refuse the same dynamics the same way.
  void require_motion() const;
  SymbolWeights symbol_weights(Species a) const;

  // m_a(ξ): Φ̂_a = m_a ŵ. With `grid_symbol`, singular ê(0) is replaced by 0 (the solver's form).
  double potential_symbol(Species a, double xi, int dim, bool grid_symbol = true) const;

  // λ(ξ) of w = p − q around p = q = ρ0, with the continuous |ξ|².
  double growth_rate(double xi, int dim) const;
  // λ_h(k) of the finite-volume scheme for the integer wave vector k on `grid`: the same
  // formula with |ξ|² replaced by Σ_j 4 sin²(ξ_j h/2)/h².
  double growth_rate_discrete(std::span<const long> k, const Grid& grid) const;
  // The continuous rate at the same integer wave vector, |ξ| = 2π|k|/L.
  double growth_rate_continuous(std::span<const long> k, const Grid& grid) const;
  // a(ξ), b(ξ) with λ(ξ; ε) = a − ε b, independent of this->eps.
  EpsCoefficients eps_coefficients(double xi, int dim) const;

  // λ = C |ξ|² F_eff(ξ): C = −2ρ0 (generator, F_eff = ê), 4ρ0 (discriminator, F_eff = ê − εŝ),
  // 2ρ0 (discriminator-p), 4τρ0 (game, F_eff = ê − εŝ − ê/(2τ)), 2τρ0 (game-p,
  // F_eff = ê − εŝ − ê/τ). Read off the flow terms: C multiplies −εŝ in F_eff when the role has
  // a stabilised term, and ê otherwise.
  double rate_constant() const;
  double effective_transform(double xi, int dim) const;

private:
  double stabiliser_transform(double xi, int dim, bool grid_symbol) const;
};

}  // namespace wgf
