#pragma once
// When a `wgf simulate` run stops, other than by reaching t_end: a signal or the step limit
// before a step ("interrupted"), the concentration detector after one ("concentrated", the
// physics of aggregation, not a failure: docs/design.md §2.5).
#include <algorithm>
#include <string>

#include "wgf/run_control.hpp"
#include "wgf/solvers/flow_solver.hpp"

namespace wgf {

struct StopReason {
  std::string status;  // empty: go on
  std::string reason;
  explicit operator bool() const { return !status.empty(); }
};

class StopCondition {
public:
  explicit StopCondition(long max_steps) : max_steps_(max_steps) {}

  StopReason before_step(long steps_taken) const {
    if (interrupted()) return {"interrupted", "signal received"};
    if (max_steps_ > 0 && steps_taken >= max_steps_) return {"interrupted", "--max-steps reached"};
    return {};
  }
  static StopReason after_step(const StepResult& result) {
    if (result.concentrated) return {"concentrated", result.reason};
    return {};
  }

private:
  long max_steps_;
};

// The write times k·every (k = 1, 2, …) up to t_end; a step that ends within round-off of the
// next write time lands on it exactly, so that snapshots sit on the schedule.
class WriteSchedule {
public:
  WriteSchedule(double every, double t_end) : every_(every > 0 ? every : t_end), t_end_(t_end) {}
  double next() const { return std::min(t_end_, next_ * every_); }
  double advance(double t, double dt) const {
    const double target = next();
    return (target - t - dt <= 1e-12 * every_) ? target : t + dt;
  }
  // After the step to `t`: whether it is a write time (and then the next one is scheduled).
  bool reached(double t) {
    if (t < next()) return false;
    ++next_;
    return true;
  }

private:
  double every_, t_end_;
  long next_ = 1;
};

}  // namespace wgf
