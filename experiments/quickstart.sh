#!/usr/bin/env bash
# Quickstart, the main job: theory against measurement in a few minutes on two CPU cores.
#
#   experiments/quickstart.sh [OUTDIR]        (default out/quickstart; WGF=path/to/wgf to override)
#
# Runs `wgf validate` with no study named, i.e. the quick study:
#  0. growth rates of D's feature density in a 2-64-64-2 network and of free particles, measured
#     by plain SGD around p = q, against the free-particle and tangent-kernel predictions
#     (protocol experiments/protocols/growth-quick-v1.txt);
#  1. the particle discriminator (2000 free particles per species, ascent on the stabilised
#     empirical energy) against the spectral module's growth rates, for gaussian, laplace and
#     energy kernels each at eps = 0, 0.9 eps* and 1.5 eps*;
#  2. one eps sweep of trained GANs: ring8, Gaussian-mixture MMD loss, gaussian stabiliser of
#     width 0.5 l0, eps = 0, 0.3, 0.7, 1.5 and 4 times the critical eps*_band that the spectral
#     module predicts for the discriminator's flow in feature space, two seeds, 800 iterations.
# wgf validate draws the figures itself with experiments/plot.py (validate_particles.png,
# validate_gan.png, validate_structure.png, validate_quality.png); the script prints the summary
# table (OUTDIR/summary.md). The GPU is used when a
# CUDA trainer backend finds one; the summary says which device ran. The full sweep is
# experiments/validate_gan_sweep.sh.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="${1:-$root/out/quickstart}"
wgf="${WGF:-$root/build/wgf}"

if [[ ! -x "$wgf" ]]; then
  echo "quickstart: $wgf not found; build first: cmake -S . -B build && cmake --build build -j" >&2
  exit 2
fi
mkdir -p "$out"

"$wgf" validate --out-dir "$out" --force --quiet
cat "$out/summary.md"
echo
echo "files and figures in $out (validate.h5, summary.md, runs/, validate_*.png)"
