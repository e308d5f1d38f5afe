#include "wgf/grid.hpp"

#include <string>

#include "wgf/errors.hpp"

namespace wgf {

void Grid::validate() const {
  if (dim < 1 || dim > 3)
    throw InputError("--dim " + std::to_string(dim) + ": the grid solver supports 1, 2 or 3");
  if (n < 4 || n % 2 != 0)
    throw InputError("--n " + std::to_string(n) + ": cells per axis must be an even number >= 4");
  if (!(length > 0) || !std::isfinite(length))
    throw InputError("--length " + std::to_string(length) + ": the box length must be > 0");
  // Refuse grids whose fields alone (a dozen arrays of N^d doubles) exceed 1 TiB.
  const double bytes = 12.0 * 8.0 * std::pow(static_cast<double>(n), dim);
  if (bytes > 1024.0 * 1024 * 1024 * 1024)
    throw InputError("--n " + std::to_string(n) + " in " + std::to_string(dim) +
                     "D: the grid would need more than 1 TiB of memory");
}

}  // namespace wgf
