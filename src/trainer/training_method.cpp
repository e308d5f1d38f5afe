#include "wgf/trainer/training_method.hpp"

#include <cmath>
#include <sstream>

#include "wgf/errors.hpp"

namespace wgf {

double TrainingMethod::penalty() const {
  if (critic_penalty >= 0) return critic_penalty;
  return wasserstein() ? 10.0 : 0.0;  // WGAN-GP's customary λ; the plain MMD critic
}

bool TrainingMethod::is_default() const {
  return critic == "mmd" && penalty() == 0 && generator_update == "gradient" && persistence == 1 &&
         generator_optimizer == "adam";
}

void TrainingMethod::validate() const {
  if (critic != "mmd" && critic != "wgan-gp")
    throw InputError("--method '" + critic + "': use mmd or wgan-gp");
  if (generator_update != "gradient" && generator_update != "euler")
    throw InputError("--generator-update '" + generator_update + "': use gradient or euler");
  if (persistence < 1 || persistence > 1000)
    throw InputError("--persistence " + std::to_string(persistence) + ": must be in 1..1000");
  if (!(euler_dt > 0) || !std::isfinite(euler_dt))
    throw InputError("--euler-dt: must be a finite number > 0");
  if (!std::isfinite(critic_penalty))
    throw InputError("--critic-penalty: must be a finite number >= 0");
  if (generator_optimizer != "adam" && generator_optimizer != "sgd")
    throw InputError("--g-optimizer '" + generator_optimizer + "': use adam or sgd");
}

std::string TrainingMethod::describe() const {
  std::ostringstream text;
  text << critic << " (critic penalty " << penalty() << "), " << generator_update
       << " K=" << persistence;
  if (euler()) text << " dt=" << euler_dt;
  text << ", " << generator_optimizer;
  return text.str();
}

}  // namespace wgf
