#pragma once
// Pictures of generated samples for `wgf sample --out S.png`: image samples as a grid of tiles,
// 2-D points as a density (a histogram on a square grid).
#include <vector>

#include "array_files.hpp"

namespace wgf::cli {

// Samples of `height` × `width` pixels, values in [-1, 1] (the trainer's image range, black to
// white; clamped), tiled in rows of `columns` with a `gap`-pixel mid-gray border between tiles.
GrayImage tile_images(const std::vector<double>& samples, long count, long height, long width,
                      long columns, long gap);

// 2-D points as a `size` × `size` histogram over the square [-half, half]² (half: 1.1 × the
// largest |coordinate|), white where empty, darker where denser (log counts); y points up.
GrayImage point_density(const std::vector<double>& samples, long count, long size);

}  // namespace wgf::cli
