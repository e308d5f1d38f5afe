#include "wgf/flow_solver.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

namespace wgf {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();

// out = a·x + b·(y + dt·ry), the SSP-RK3 stage combination, over n cells.
void combine(double a, const double* x, double b, const double* y, const double* ry, double dt,
             double* out, std::size_t n) {
  const std::ptrdiff_t cells = static_cast<std::ptrdiff_t>(n);
#pragma omp parallel for schedule(static)
  for (std::ptrdiff_t i = 0; i < cells; ++i) out[i] = a * x[i] + b * (y[i] + dt * ry[i]);
}
}  // namespace

FlowSolver::FlowSolver(const Grid& grid, const Dynamics& dynamics, const SolverOptions& options)
    : grid_(grid),
      options_(options),
      potential_(grid, dynamics, options.plan_effort),
      flux_(grid),
      moves_p_(dynamics.moves(Species::p)),
      moves_q_(dynamics.moves(Species::q)) {
  const std::size_t n = grid.cells();
  for (auto* v : {&p_, &q_, &p1_, &q1_, &rate_p0_, &rate_q0_, &rate_p_, &rate_q_, &phi_p_, &phi_q_})
    v->assign(n, 0.0);
}

double FlowSolver::evaluate_rates(const double* p, const double* q, double* rate_p,
                                  double* rate_q) {
  potential_.evaluate(p, q, phi_p_.data(), phi_q_.data());
  double speed = 0;
  if (moves_p_) speed = std::max(speed, flux_.evaluate(p, phi_p_.data(), rate_p));
  if (moves_q_) speed = std::max(speed, flux_.evaluate(q, phi_q_.data(), rate_q));
  return speed;
}

void FlowSolver::summarise() {
  const std::ptrdiff_t cells = static_cast<std::ptrdiff_t>(grid_.cells());
  double mass_p = 0, mass_q = 0, min_p = kInf, max_p = -kInf, min_q = kInf, max_q = -kInf;
  const double* p = p_.data();
  const double* q = q_.data();
#pragma omp parallel for schedule(static) reduction(+ : mass_p, mass_q) \
    reduction(min : min_p, min_q) reduction(max : max_p, max_q)
  for (std::ptrdiff_t i = 0; i < cells; ++i) {
    mass_p += p[i];
    mass_q += q[i];
    min_p = std::min(min_p, p[i]);
    max_p = std::max(max_p, p[i]);
    min_q = std::min(min_q, q[i]);
    max_q = std::max(max_q, q[i]);
  }
  const double volume = grid_.cell_volume();
  summary_.mass_p = mass_p * volume;
  summary_.mass_q = mass_q * volume;
  summary_.min_p = min_p;
  summary_.max_p = max_p;
  summary_.min_q = min_q;
  summary_.max_q = max_q;
}

void FlowSolver::refresh() {
  summary_.max_speed = evaluate_rates(p_.data(), q_.data(), rate_p0_.data(), rate_q0_.data());
  summarise();
}

double FlowSolver::proposed_dt() const {
  const double h = grid_.h();
  const double positivity =
      summary_.max_speed > 0 ? h / (2.0 * grid_.dim * summary_.max_speed) : kInf;
  double rho_max = 0;
  if (moves_p_) rho_max = std::max(rho_max, summary_.max_p);
  if (moves_q_) rho_max = std::max(rho_max, summary_.max_q);
  const double linear_rate = rho_max * potential_.max_rate_per_density();
  const double linear = linear_rate > 0 ? 1.0 / linear_rate : kInf;
  return options_.cfl * std::min(positivity, linear);
}

StepResult FlowSolver::step(double dt_cap) {
  StepResult result;
  const std::size_t n = grid_.cells();
  const double h = grid_.h();
  double dt = std::min(proposed_dt(), dt_cap);
  if (!(dt > 0) || !std::isfinite(dt)) {
    result.concentrated = true;
    result.reason = "no admissible time step";
    return result;
  }
  // Stage k is admissible when its forward-Euler substep keeps ρ ≥ 0: dt ≤ h/(2 d max|u_k|).
  auto positivity_limit = [&](double speed) {
    return speed > 0 ? h / (2.0 * grid_.dim * speed) : kInf;
  };
  for (int attempt = 0;; ++attempt) {
    if (options_.dt_min > 0 && dt < options_.dt_min) {
      result.concentrated = true;
      result.reason = "time step below --dt-min";
      result.dt = 0;
      return result;
    }
    // u1 = u^n + dt L(u^n)
    if (moves_p_) combine(0.0, p_.data(), 1.0, p_.data(), rate_p0_.data(), dt, p1_.data(), n);
    if (moves_q_) combine(0.0, q_.data(), 1.0, q_.data(), rate_q0_.data(), dt, q1_.data(), n);
    const double* stage_p = moves_p_ ? p1_.data() : p_.data();
    const double* stage_q = moves_q_ ? q1_.data() : q_.data();
    double speed = evaluate_rates(stage_p, stage_q, rate_p_.data(), rate_q_.data());
    if (dt > positivity_limit(speed)) {
      result.rejected_attempts = attempt + 1;
      dt = options_.cfl * positivity_limit(speed);
      continue;
    }
    // u2 = ¾ u^n + ¼ (u1 + dt L(u1))
    if (moves_p_) combine(0.75, p_.data(), 0.25, p1_.data(), rate_p_.data(), dt, p1_.data(), n);
    if (moves_q_) combine(0.75, q_.data(), 0.25, q1_.data(), rate_q_.data(), dt, q1_.data(), n);
    speed = evaluate_rates(stage_p, stage_q, rate_p_.data(), rate_q_.data());
    if (dt > positivity_limit(speed)) {
      result.rejected_attempts = attempt + 1;
      dt = options_.cfl * positivity_limit(speed);
      continue;
    }
    // u^{n+1} = ⅓ u^n + ⅔ (u2 + dt L(u2)), written in place of u^n only now that it is final.
    if (moves_p_)
      combine(1.0 / 3.0, p_.data(), 2.0 / 3.0, p1_.data(), rate_p_.data(), dt, p1_.data(), n);
    if (moves_q_)
      combine(1.0 / 3.0, q_.data(), 2.0 / 3.0, q1_.data(), rate_q_.data(), dt, q1_.data(), n);
    break;
  }
  // Accept: the stage buffer becomes the state, the old state becomes the next stage buffer.
  if (moves_p_) std::swap(p_, p1_);
  if (moves_q_) std::swap(q_, q1_);
  refresh();
  result.dt = dt;

  const double volume = grid_.cell_volume();
  const bool finite = std::isfinite(summary_.mass_p) && std::isfinite(summary_.mass_q) &&
                      std::isfinite(summary_.max_p) && std::isfinite(summary_.max_q) &&
                      std::isfinite(summary_.max_speed);
  if (!finite) {
    // Never hand non-finite fields on: go back to the last good state and report.
    if (moves_p_) std::swap(p_, p1_);
    if (moves_q_) std::swap(q_, q1_);
    refresh();
    result.dt = 0;
    result.concentrated = true;
    result.reason = "non-finite values after a step (blow-up)";
    return result;
  }
  auto concentrated = [&](double max_density, double mass) {
    return mass > 0 && max_density * volume > options_.concentration_mass * mass;
  };
  if ((moves_p_ && concentrated(summary_.max_p, summary_.mass_p)) ||
      (moves_q_ && concentrated(summary_.max_q, summary_.mass_q))) {
    result.concentrated = true;
    result.reason = "one cell holds more than the --concentration-mass fraction of the mass";
  }
  return result;
}

}  // namespace wgf
