#include "wgf/grid.hpp"

#include <unistd.h>

#include <cmath>
#include <cstdio>
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
  // Refuse, before anything is allocated, a grid the machine cannot hold: the kernel would kill
  // the run (exit 137, no message) or the allocator would throw halfway through the setup.
  const double bytes = kBytesPerCell * std::pow(static_cast<double>(n), dim);
  const double memory = physical_memory_bytes();
  if (memory > 0 && bytes > memory) {
    char text[256];
    std::snprintf(text, sizeof text,
                  ": the run needs about %.3g GiB (%.0f bytes per cell for %.3g cells), more than "
                  "this machine's %.3g GiB of memory",
                  bytes / 1073741824.0, kBytesPerCell, std::pow(static_cast<double>(n), dim),
                  memory / 1073741824.0);
    throw InputError("--n " + std::to_string(n) + " in " + std::to_string(dim) + "D" + text);
  }
}

double physical_memory_bytes() {
  const long pages = ::sysconf(_SC_PHYS_PAGES), page = ::sysconf(_SC_PAGE_SIZE);
  double memory = pages > 0 && page > 0 ? static_cast<double>(pages) * static_cast<double>(page) : 0.0;
  // A container's limit (cgroup v2) is the memory the run really has.
  if (std::FILE* limit = std::fopen("/sys/fs/cgroup/memory.max", "r")) {
    double bytes = 0;
    if (std::fscanf(limit, "%lf", &bytes) == 1 && bytes > 0 && (memory == 0 || bytes < memory))
      memory = bytes;
    std::fclose(limit);
  }
  return memory;
}

}  // namespace wgf
