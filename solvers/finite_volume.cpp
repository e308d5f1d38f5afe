#include "wgf/finite_volume.hpp"

#include "fv_kernels.hpp"

namespace wgf {

namespace {
// Writes the rate rows straight into the destination.
struct RateEpilogue {
  double* rate;
  double* row_out(int, std::ptrdiff_t offset, double*) const { return rate + offset; }
  void row_done(std::ptrdiff_t, double* const*) const {}
};
}  // namespace

double FiniteVolumeFlux::evaluate(const double* rho, const double* phi, double* rate) const {
  const fv::Geometry geometry{grid_.dim, static_cast<std::ptrdiff_t>(grid_.n), 1.0 / grid_.h()};
  const fv::SpeciesField species{rho, phi, 1.0};
  RateEpilogue epilogue{rate};
  return fv::sweep(geometry, 1, &species, epilogue);
}

}  // namespace wgf
