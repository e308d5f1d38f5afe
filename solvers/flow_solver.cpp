#include "wgf/solvers/flow_solver.hpp"

#include "fv_sweep.hpp"
#include "parallel_cells.hpp"
#include "wgf/solvers/step_control.hpp"

#include <omp.h>

#include <algorithm>
#include <cmath>
#include <limits>

namespace wgf {

namespace {
constexpr double kInf = std::numeric_limits<double>::infinity();
}  // namespace

// The potential as the stage sweep's slab sink.
class PotentialSlabs final : public fv::SlabSink {
public:
  explicit PotentialSlabs(SpectralPotential& potential) : potential_(potential) {}
  double* buffer(std::ptrdiff_t thread) override {
    return potential_.slab_buffer(static_cast<int>(thread));
  }
  void slab_done(std::ptrdiff_t index, const double* slab) override {
    potential_.transform_slab(index, slab);
  }

private:
  SpectralPotential& potential_;
};

// The potential as the mirrored sweep's source of Φ slabs.
class PotentialPhiSlabs final : public fv::PhiSlabs {
public:
  explicit PotentialPhiSlabs(SpectralPotential& potential) : potential_(potential) {}
  const double* make(std::ptrdiff_t j, std::ptrdiff_t thread, int position) override {
    return potential_.potential_slab(j, static_cast<int>(thread), position);
  }

private:
  SpectralPotential& potential_;
};

// next = a·x + b·(swept state + dt·L), for the moving species (x: u^n).
struct FlowSolver::Stage {
  double a, b, dt;
  const double* x_p;
  const double* x_q;
  double* next_p;
  double* next_q;
};

FlowSolver::FlowSolver(const Grid& grid, const Dynamics& dynamics, const SolverOptions& options)
    // Refused before any plan is made: the same check and message as the CUDA backend.
    : grid_((dynamics.require_motion(), grid)),
      options_(options),
      potential_(grid, dynamics, options.plan_effort),
      detector_(grid, options.concentration_mass, options.unresolved_ratio),
      moves_p_(dynamics.moves(Species::p)),
      moves_q_(dynamics.moves(Species::q)) {
  const std::size_t n = grid.cells();
  for (auto* v : {&p_, &q_, &p1_, &q1_, &p2_, &q2_, &rate_p0_, &rate_q0_}) *v = FieldBuffer(n);
  thread_totals_.resize(static_cast<std::size_t>(std::max(1, omp_get_max_threads())));
}

bool FlowSolver::w_by_slabs() const {
  return potential_.takes_slabs() && omp_get_max_threads() <= potential_.slab_threads();
}

double FlowSolver::sweep(const double* p, const double* q, const Stage* stage) {
  // Only the state's own evaluation (no stage) is followed by spectral diagnostics.
  const SpectrumUse use = stage ? SpectrumUse::discard : SpectrumUse::keep;
  fv::SpeciesField fields[2];
  double* rates[2] = {nullptr, nullptr};
  const double* x[2] = {nullptr, nullptr};
  double* next[2] = {nullptr, nullptr};
  int count = 0;
  auto add = [&](Species a, const double* rho, double* rate, const double* xa, double* na) {
    fields[count] = {rho, potential_.potential(a), potential_.potential_scale(a)};
    rates[count] = rate;
    x[count] = xa;
    next[count] = na;
    ++count;
  };
  if (moves_p_)
    add(Species::p, p, rate_p0_.data(), stage ? stage->x_p : nullptr, stage ? stage->next_p : nullptr);
  if (moves_q_)
    add(Species::q, q, rate_q0_.data(), stage ? stage->x_q : nullptr, stage ? stage->next_q : nullptr);
  const fv::Geometry geometry{grid_.dim, static_cast<std::ptrdiff_t>(grid_.n), 1.0 / grid_.h()};
  // The mirrored pair reads Φ three slabs at a time: made from the spectrum one slab ahead of
  // the sweep (never written as a grid); every other case reads the whole-grid Φ.
  PotentialPhiSlabs phi_slabs(potential_);
  if (fv::mirrored_pair(geometry, count, fields) && w_by_slabs()) {
    potential_.evaluate_spectrum(use, w_transformed_);
    fields[0].phi_slabs = fields[1].phi_slabs = &phi_slabs;
  } else if (w_transformed_) {
    potential_.evaluate_transformed(use);
  } else {
    potential_.evaluate_input(use);
  }
  w_transformed_ = false;
  if (!stage) {
    fv::RateEpilogue epilogue;
    for (int k = 0; k < count; ++k) epilogue.rate[k] = rates[k];
    // The state's own sweep gathers the summary's totals where it can (the fused pair rows).
    for (DensityTotals& t : thread_totals_) t = DensityTotals{};
    epilogue.totals = thread_totals_.data();
    epilogue.totals_capacity = static_cast<std::ptrdiff_t>(thread_totals_.size());
    return count > 0 ? fv::sweep(geometry, count, fields, epilogue) : 0.0;
  }
  fv::StageEpilogue epilogue;
  epilogue.n = grid_.n;
  epilogue.species = count;
  epilogue.a = stage->a;
  epilogue.b = stage->b;
  epilogue.dt = stage->dt;
  for (int k = 0; k < count; ++k) {
    epilogue.x[k] = x[k];
    epilogue.y[k] = fields[k].rho;
    epilogue.next[k] = next[k];
  }
  epilogue.w_p = moves_p_ ? stage->next_p : p;
  epilogue.w_q = moves_q_ ? stage->next_q : q;
  PotentialSlabs slabs(potential_);
  const bool by_slabs = w_by_slabs();
  if (by_slabs) {
    epilogue.sink = &slabs;
    epilogue.slab_cells = static_cast<std::ptrdiff_t>(potential_.slab_cells());
  } else {
    epilogue.w = potential_.input();
  }
  const double speed = fv::sweep(geometry, count, fields, epilogue);
  w_transformed_ = by_slabs;
  return speed;
}

void FlowSolver::summarise() {
  const std::ptrdiff_t cells = static_cast<std::ptrdiff_t>(grid_.cells());
  const double volume = grid_.cell_volume();
  // Totals gathered by the last state sweep, if they cover every cell: added in thread order.
  std::ptrdiff_t covered = 0;
  for (const DensityTotals& t : thread_totals_) covered += t.cells;
  if (covered == cells) {
    DensityTotals all;
    for (const DensityTotals& t : thread_totals_) {
      if (t.cells == 0) continue;
      all.sum_p += t.sum_p;
      all.sum_q += t.sum_q;
      all.min_p = std::min(all.min_p, t.min_p);
      all.max_p = std::max(all.max_p, t.max_p);
      all.min_q = std::min(all.min_q, t.min_q);
      all.max_q = std::max(all.max_q, t.max_q);
    }
    summary_.mass_p = all.sum_p * volume;
    summary_.mass_q = all.sum_q * volume;
    summary_.min_p = all.min_p;
    summary_.max_p = all.max_p;
    summary_.min_q = all.min_q;
    summary_.max_q = all.max_q;
    return;
  }
  double mass_p = 0, mass_q = 0, min_p = kInf, max_p = -kInf, min_q = kInf, max_q = -kInf;
  const double* p = p_.data();
  const double* q = q_.data();
#pragma omp parallel for schedule(static) reduction(+ : mass_p, mass_q) if (cells >= kParallelCells) \
    reduction(min : min_p, min_q) reduction(max : max_p, max_q)
  for (std::ptrdiff_t i = 0; i < cells; ++i) {
    mass_p += p[i];
    mass_q += q[i];
    min_p = std::min(min_p, p[i]);
    max_p = std::max(max_p, p[i]);
    min_q = std::min(min_q, q[i]);
    max_q = std::max(max_q, q[i]);
  }
  summary_.mass_p = mass_p * volume;
  summary_.mass_q = mass_q * volume;
  summary_.min_p = min_p;
  summary_.max_p = max_p;
  summary_.min_q = min_q;
  summary_.max_q = max_q;
}

void FlowSolver::refresh() {
  const std::ptrdiff_t cells = static_cast<std::ptrdiff_t>(grid_.cells());
  const double* p = p_.data();
  const double* q = q_.data();
  double* w = potential_.input();
#pragma omp parallel for schedule(static) if (cells >= kParallelCells)
  for (std::ptrdiff_t i = 0; i < cells; ++i) w[i] = p[i] - q[i];
  w_transformed_ = false;
  summary_.max_speed = sweep(p, q, nullptr);
  summarise();
}

double FlowSolver::proposed_dt() const {
  return proposed_time_step(grid_, summary_, moves_p_, moves_q_, potential_.max_rate_per_density(),
                            options_.cfl);
}

StepResult FlowSolver::step(double dt_cap) {
  StepResult result;
  const double proposed = proposed_dt();
  double dt = std::min(proposed, dt_cap);
  if (!(dt > 0) || !std::isfinite(dt)) {
    result.concentrated = true;
    result.reason = stop_reason::no_time_step;
    return result;
  }
  for (int attempt = 0;; ++attempt) {
    if (below_dt_min(options_.dt_min, step_judged_by_dt_min(attempt, proposed, dt))) {
      result.concentrated = true;
      result.reason = stop_reason::below_dt_min;
      result.dt = 0;
      // The rejected stages consumed ŵ: evaluate u^n again for the diagnostics that follow.
      if (attempt > 0) refresh();
      return result;
    }
    double violated_limit = 0;
    if (run_stages(dt, violated_limit)) break;
    result.rejected_attempts = attempt + 1;
    dt = retry_time_step(options_.cfl, violated_limit);
  }
  accept_stages();
  result.dt = dt;
  if (!summary_is_finite(summary_)) {
    // Never hand non-finite fields on: go back to the last good state and report.
    restore_previous_state();
    result.dt = 0;
    result.concentrated = true;
    result.reason = stop_reason::non_finite;
    return result;
  }
  if (const char* why = concentration()) {
    result.concentrated = true;
    result.reason = why;
  }
  return result;
}

void FlowSolver::form_first_stage(double dt) {
  // u1 = u^n + dt L(u^n) (as 0·u^n + 1·(u^n + dt L), the form of every stage), and its w:
  // slab by slab into the potential's transform where it takes slabs.
  const std::ptrdiff_t cells = static_cast<std::ptrdiff_t>(grid_.cells());
  const double* p = p_.data();
  const double* q = q_.data();
  const double* rp = rate_p0_.data();
  const double* rq = rate_q0_.data();
  double* p1 = p1_.data();
  double* q1 = q1_.data();
  const bool mp = moves_p_, mq = moves_q_;
  const double a = 0.0, b = 1.0;
  auto stage_cells = [&](std::ptrdiff_t first, std::ptrdiff_t last, double* w) {
    for (std::ptrdiff_t i = first; i < last; ++i) {
      double pi = p[i], qi = q[i];
      if (mp) p1[i] = pi = a * p[i] + b * (p[i] + dt * rp[i]);
      if (mq) q1[i] = qi = a * q[i] + b * (q[i] + dt * rq[i]);
      w[i - first] = pi - qi;
    }
  };
  const bool by_slabs = w_by_slabs();
  if (by_slabs) {
    const std::ptrdiff_t slab = static_cast<std::ptrdiff_t>(potential_.slab_cells());
#pragma omp parallel for schedule(static) if (cells >= kParallelCells)
    for (std::ptrdiff_t s = 0; s < grid_.n; ++s) {
      double* w = potential_.slab_buffer(omp_get_thread_num());
      stage_cells(s * slab, (s + 1) * slab, w);
      potential_.transform_slab(s, w);
    }
  } else {
    double* w = potential_.input();
#pragma omp parallel for schedule(static) if (cells >= kParallelCells)
    for (std::ptrdiff_t i = 0; i < cells; ++i) stage_cells(i, i + 1, w + i);
  }
  w_transformed_ = by_slabs;
}

bool FlowSolver::run_stages(double dt, double& violated_limit) {
  form_first_stage(dt);
  // u2 = ¾ u^n + ¼ (u1 + dt L(u1)), formed row by row inside the sweep of u1.
  const double* stage_p = moves_p_ ? p1_.data() : p_.data();
  const double* stage_q = moves_q_ ? q1_.data() : q_.data();
  const Stage second{0.75, 0.25, dt, p_.data(), q_.data(), p2_.data(), q2_.data()};
  // Stage k is admissible when its forward-Euler substep keeps ρ ≥ 0 (step_control.hpp).
  double limit = positivity_time_step(grid_, sweep(stage_p, stage_q, &second));
  if (stage_rejects(dt, limit)) {
    violated_limit = limit;
    return false;
  }
  // u^{n+1} = ⅓ u^n + ⅔ (u2 + dt L(u2)), into the u1 buffers (u^n stays until accepted).
  stage_p = moves_p_ ? p2_.data() : p_.data();
  stage_q = moves_q_ ? q2_.data() : q_.data();
  const Stage third{1.0 / 3.0, 2.0 / 3.0, dt, p_.data(), q_.data(), p1_.data(), q1_.data()};
  limit = positivity_time_step(grid_, sweep(stage_p, stage_q, &third));
  if (stage_rejects(dt, limit)) {
    violated_limit = limit;
    return false;
  }
  return true;
}

void FlowSolver::accept_stages() {
  // The stage buffer becomes the state, the old state becomes the next stage buffer.
  if (moves_p_) std::swap(p_, p1_);
  if (moves_q_) std::swap(q_, q1_);
  // The refresh, with the new state's w already in the potential's input.
  summary_.max_speed = sweep(p_.data(), q_.data(), nullptr);
  summarise();
}

void FlowSolver::restore_previous_state() {
  if (moves_p_) std::swap(p_, p1_);
  if (moves_q_) std::swap(q_, q1_);
  refresh();
}

const char* FlowSolver::concentration() {
  const char* why = moves_p_ ? detector_.check(p_.data(), summary_.max_p, summary_.mass_p) : nullptr;
  if (!why && moves_q_) why = detector_.check(q_.data(), summary_.max_q, summary_.mass_q);
  return why;
}

}  // namespace wgf
