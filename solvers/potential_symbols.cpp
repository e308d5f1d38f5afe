#include "wgf/solvers/potential_symbols.hpp"

#include <algorithm>
#include <cmath>

namespace wgf {

double spectral_discrete_xi_squared(const Grid& grid, std::size_t s) {
  const long n = grid.n, half = n / 2 + 1;
  long index = static_cast<long>(s);
  double sum = grid.discrete_xi_squared(index % half);
  index /= half;
  for (int axis = 0; axis < grid.dim - 1; ++axis) {
    sum += grid.discrete_xi_squared(grid.wavenumber_index(index % n));
    index /= n;
  }
  return sum;
}

double spectral_wavenumber_norm(const Grid& grid, std::size_t s) {
  const long n = grid.n, half = n / 2 + 1;
  long index = static_cast<long>(s);
  double xi2 = 0;
  const long last = index % half;
  index /= half;
  xi2 += std::pow(grid.wavenumber(last), 2);
  for (int axis = 0; axis < grid.dim - 1; ++axis) {
    const long i = index % n;
    index /= n;
    xi2 += std::pow(grid.wavenumber(grid.wavenumber_index(i)), 2);
  }
  return std::sqrt(xi2);
}

PotentialSymbols make_potential_symbols(const Grid& grid, const Dynamics& dynamics) {
  PotentialSymbols out;
  const std::size_t cells = grid.cells(), spectral = grid.spectral_cells();
  out.moves_p = dynamics.moves(Species::p);
  out.moves_q = dynamics.moves(Species::q);
  out.p.resize(spectral);
  out.q.resize(spectral);
  const double normalisation = 1.0 / static_cast<double>(cells);
  bool proportional = true;
  double ratio = 0;
  bool ratio_set = false;
  for (std::size_t s = 0; s < spectral; ++s) {
    const double xi = spectral_wavenumber_norm(grid, s);
    const double mp = dynamics.potential_symbol(Species::p, xi, grid.dim);
    const double mq = dynamics.potential_symbol(Species::q, xi, grid.dim);
    out.p[s] = mp * normalisation;
    out.q[s] = mq * normalisation;
    out.max_rate_per_density = std::max(out.max_rate_per_density,
                                        spectral_discrete_xi_squared(grid, s) * std::fabs(mp - mq));
    // Is m_q a fixed multiple of m_p (discriminator: −1)? Then Φ_q = ratio Φ_p, one c2r saved.
    if (mp != 0) {
      const double r = mq / mp;
      if (!ratio_set) {
        ratio = r;
        ratio_set = true;
      } else if (std::fabs(r - ratio) > 1e-14 * std::max(1.0, std::fabs(ratio))) {
        proportional = false;
      }
    } else if (mq != 0) {
      proportional = false;
    }
  }
  out.q_over_p = ratio;
  out.proportional = proportional && out.moves_p && out.moves_q;
  return out;
}

std::vector<double> make_grid_symbol(const Grid& grid, const Kernel& kernel) {
  std::vector<double> symbol(grid.spectral_cells());
  for (std::size_t s = 0; s < symbol.size(); ++s)
    symbol[s] = kernel.grid_symbol(spectral_wavenumber_norm(grid, s), grid.dim);
  return symbol;
}

std::size_t half_spectrum_index(const Grid& grid, std::span<const long> k) {
  long wave[3] = {0, 0, 0};
  for (std::size_t a = 0; a < k.size() && a < 3; ++a) wave[a] = k[a];
  if (wave[grid.dim - 1] < 0)
    for (auto& kj : wave) kj = -kj;
  const long n = grid.n, half = n / 2 + 1;
  std::size_t index = 0;
  for (int axis = 0; axis < grid.dim - 1; ++axis) {
    const long i = ((wave[axis] % n) + n) % n;
    index = index * static_cast<std::size_t>(n) + static_cast<std::size_t>(i);
  }
  const long last = wave[grid.dim - 1] % n;  // 0 … N/2 for the |k| ≤ N/2 the callers allow
  return index * static_cast<std::size_t>(half) + static_cast<std::size_t>(std::min(last, half - 1));
}

}  // namespace wgf
