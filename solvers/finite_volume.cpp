#include "wgf/solvers/finite_volume.hpp"

#include "fv_sweep.hpp"

namespace wgf {

double FiniteVolumeFlux::evaluate(const double* rho, const double* phi, double* rate) const {
  const fv::Geometry geometry{grid_.dim, static_cast<std::ptrdiff_t>(grid_.n), 1.0 / grid_.h()};
  const fv::SpeciesField species{rho, phi, 1.0};
  fv::RateEpilogue epilogue;
  epilogue.rate[0] = rate;
  return fv::sweep(geometry, 1, &species, epilogue);
}

}  // namespace wgf
