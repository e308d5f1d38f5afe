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
#  2. the paper's stability claim on trained GANs (protocol experiments/protocols/quick-gan-v2.txt):
#     five short-trained GANs (gaussian2d, gaussian loss, 500 iterations); from each, D's growth
#     rates measured at eps = 0, 0.5 and 4 times eps*_shells (from which the paper's
#     free-particle rate is <= 0 on every shell), the paper's and the tangent-kernel predictions
#     set against what is measured, with baselines, McNemar tests and Wilson intervals.
# wgf validate draws the figures itself with experiments/plot.py (validate_growth.png,
# validate_particles.png, validate_quick_gan.png); the script prints the summary (OUTDIR/summary.md).
# Everything runs on the CPU. The full eps sweep of trained GANs is experiments/validate_gan_sweep.sh.
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
