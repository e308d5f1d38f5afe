// The shared dynamics description against the role table of docs/design.md §1, written out here by
// hand as an independent copy: λ = −2ρ0|ξ|²ê (generator), +4ρ0|ξ|²(ê − εŝ) (discriminator),
// +2ρ0|ξ|²(ê − εŝ) (discriminator-p), ρ0|ξ|²(4τ(ê − εŝ) − 2ê) (game), and the game with q
// frozen, 2ρ0|ξ|²(τ(ê − εŝ) − ê) (game-p).
#include <doctest/doctest.h>

#include <cmath>

#include "wgf/dynamics.hpp"
#include "wgf/errors.hpp"

using namespace wgf;

TEST_CASE("growth rates of every role follow the table of DESIGN §1") {
  const Kernel e = parse_kernel("gaussian:sigma=0.7+0.5*laplace:ell=0.3");
  const Kernel s = parse_kernel("gaussian:sigma=0.2");
  const double eps = 1.7, tau = 0.6, rho0 = 1.3;
  for (int dim = 1; dim <= 3; ++dim) {
    for (double xi : {0.1, 0.8, 2.0, 5.0}) {
      const double eh = e.transform(xi, dim), sh = s.transform(xi, dim);
      const double table[5] = {-2 * rho0 * xi * xi * eh, 4 * rho0 * xi * xi * (eh - eps * sh),
                               2 * rho0 * xi * xi * (eh - eps * sh),
                               rho0 * xi * xi * (4 * tau * (eh - eps * sh) - 2 * eh),
                               2 * rho0 * xi * xi * (tau * (eh - eps * sh) - eh)};
      const Role roles[5] = {Role::generator, Role::discriminator, Role::discriminator_p,
                             Role::game, Role::game_p};
      for (int r = 0; r < 5; ++r) {
        Dynamics d{e, s, eps, roles[r], tau, rho0};
        CAPTURE(dim);
        CAPTURE(xi);
        CAPTURE(role_name(roles[r]));
        // Same formula evaluated in another order: agreement to a few ulps.
        CHECK(d.growth_rate(xi, dim) == doctest::Approx(table[r]).epsilon(1e-13));
      }
    }
  }
}

TEST_CASE("which species move, per role") {
  const Kernel e = parse_kernel("gaussian");
  Dynamics d{e, Kernel{}, 0.0, Role::generator, 1.0, 1.0};
  CHECK(d.moves(Species::p));
  CHECK_FALSE(d.moves(Species::q));
  d.role = Role::discriminator;
  CHECK(d.moves(Species::q));
  d.role = Role::discriminator_p;
  CHECK_FALSE(d.moves(Species::q));
  d.role = Role::game;
  CHECK(d.moves(Species::p));
  CHECK(d.moves(Species::q));
  d.role = Role::game_p;
  CHECK(d.moves(Species::p));
  CHECK_FALSE(d.moves(Species::q));
}

TEST_CASE("the discrete rate tends to the continuous one as O(h^2)") {
  // λ_h/λ = Σ 4 sin²(ξ_j h/2)/h² / |ξ|², whose error is |ξ|²h²/12 along one axis: halving h
  // must divide the gap by 4 (to 1% for this smooth ratio).
  Dynamics d{parse_kernel("gaussian:sigma=0.5"), Kernel{}, 0.0, Role::discriminator, 1.0, 1.0};
  const std::vector<long> k{3};
  double previous_gap = 0;
  for (long n : {32L, 64L, 128L}) {
    const Grid grid{1, n, 2 * M_PI};
    const double gap = std::fabs(d.growth_rate_discrete(k, grid) / d.growth_rate_continuous(k, grid) - 1);
    const double h = grid.h(), xi = 3.0;
    CHECK(gap == doctest::Approx(1 - std::pow(std::sin(xi * h / 2) / (xi * h / 2), 2)).epsilon(1e-10));
    if (previous_gap > 0) CHECK(previous_gap / gap == doctest::Approx(4.0).epsilon(0.01));
    previous_gap = gap;
  }
}

TEST_CASE("invalid dynamics are rejected with the option named") {
  const Kernel e = parse_kernel("gaussian");
  Dynamics d{e, Kernel{}, -1.0, Role::discriminator, 1.0, 1.0};
  CHECK_THROWS_WITH_AS(d.validate(1), doctest::Contains("--eps"), InputError);
  d.eps = 1.0;  // ε > 0 without a stabiliser
  CHECK_THROWS_WITH_AS(d.validate(1), doctest::Contains("--stabilizer"), InputError);
  d.eps = 0;
  d.tau = 0;
  CHECK_THROWS_WITH_AS(d.validate(1), doctest::Contains("--tau"), InputError);
  CHECK_THROWS_WITH_AS(parse_role("critic"), doctest::Contains("discriminator-p"), InputError);
}
