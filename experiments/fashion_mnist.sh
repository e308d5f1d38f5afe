#!/usr/bin/env bash
# Fashion-MNIST: original vs stabilised MMD GAN, quality as a Frechet distance in the feature
# space of an in-project classifier (include/wgf/studies/fashion_study.hpp; results and discussion in
# experiments/fashion_mnist.md).
#
#   experiments/fashion_mnist.sh [OUTDIR] [extra wgf validate options]
#       (default out/fashion_mnist; WGF=path/to/wgf to override; needs the Debian package
#        dataset-fashion-mnist)
#
# Trains the classifier (784-256-128-10 relu, 8 epochs, seed 0), then three seeds (0, 1, 2) of each
# GAN setting with the study's defaults: G 32-256-256-784 (tanh output), D 784-256-16, batch 128,
# 1500 iterations, Adam 1e-3; loss e = gaussian mixture sigma in {1,2,4,8,16}; stabilised: s = the
# same mixture with halved bandwidths and the eps that makes every |xi| >= 1 stable in df = 16.
# Writes OUTDIR/validate.h5, summary.md, classifier.h5, runs/*.h5 and the figure
# OUTDIR/validate_fashion.png. Runs on the GPU when the build has a CUDA trainer backend and a GPU
# is visible; the summary names the device. The recorded run used `--threads 1` (reproducible
# for a thread count; one thread is the fastest on a shared two-core machine).
# A later study can reuse the classifier: --classifier OUTDIR/classifier.h5.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="${1:-$root/out/fashion_mnist}"
shift || true
wgf="${WGF:-$root/build/wgf}"
python="${PYTHON:-/usr/bin/python3}"
[[ -x "$python" ]] || python=python3

if [[ ! -x "$wgf" ]]; then
  echo "fashion_mnist: $wgf not found; build first: cmake -S . -B build && cmake --build build -j" >&2
  exit 2
fi
mkdir -p "$out"
"$wgf" validate --study fashion-mnist --out-dir "$out" "$@"
"$python" "$here/plot.py" --outdir "$out" "$out/validate.h5"
