#!/usr/bin/env bash
# The full trained-GAN sweep of `wgf validate --study gan` (issue 5, item 2) and its figures.
#
#   experiments/validate_gan_sweep.sh [OUTDIR] [extra wgf validate options...]
#       (default OUTDIR out/validate_gan; WGF=path/to/wgf to override)
#
# ring8 and grid25 x the Gaussian-mixture MMD loss (sigma 0.25..4), the energy loss (Cramer) and
# the riesz loss (elastic, alpha = df - 1) x two stabiliser families, gaussian (sigma = 0.5 l0) and
# rq (alpha 2, ell = 0.5 l0), where l0 is the spread of D's real features at initialisation; eps
# runs over 0, 0.3, 0.7, 1.5 and 4 times each run's eps*_band, three seeds each: 180 runs.
# Every run is set against the spectral module's prediction for the discriminator's flow in
# feature space (df = 2) and classified from its own training file; OUTDIR/summary.md holds the
# table of predicted vs observed per eps, the agreement per sweep and overall, and where sample
# quality peaks; OUTDIR/runs/ holds every run's `wgf train` file; wgf validate draws the figures
# (validate_gan.png, validate_structure.png, validate_quality.png) next to validate.h5. The run
# sizes (1200 iterations, batch 128, G 128x3, D 128) kept the 180 runs to 54 minutes on two
# CPU cores shared with other work (experiments/validate_gan_sweep.md); a GPU is used when a CUDA
# trainer backend finds one.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="${1:-$root/out/validate_gan}"
shift || true
wgf="${WGF:-$root/build/wgf}"

if [[ ! -x "$wgf" ]]; then
  echo "validate_gan_sweep: $wgf not found; build first: cmake -S . -B build && cmake --build build -j" >&2
  exit 2
fi
mkdir -p "$out"
"$wgf" validate --study gan --out-dir "$out" --force "$@"
