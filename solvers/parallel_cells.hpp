#pragma once
// Internal to the grid solver: the grid size from which its loops (sweeps, transforms' passes,
// stage and summary loops) run on the OpenMP team. Below it a loop costs less than waking the
// team. Results never depend on this choice: every split is fixed by sizes and the thread count,
// and the per-cell values do not depend on which thread computes them (docs/design.md §6.3).
#include <cstddef>

namespace wgf {

inline constexpr std::ptrdiff_t kParallelCells = 16384;

}  // namespace wgf
