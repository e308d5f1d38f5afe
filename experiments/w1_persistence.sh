#!/usr/bin/env bash
# W1 forward Euler with persistence against naive persistence (issue 7, item 1; Malik & Huang
# 2024, "A Differential Equation Approach for Wasserstein GANs and Beyond").
#
#   experiments/w1_persistence.sh [OUTDIR]    (default out/w1_persistence; WGF=path/to/wgf,
#                                              JOBS=parallel runs (2), ITERS (1500), SEEDS ("1 2 3"))
#
# A WGAN-GP critic psi (n_critic = 5 steps per iteration) and a generator updated by
#   euler    K in {1, 2, 5, 10}: targets y = G(z) + dt grad psi(G(z)) held, K Adam steps on
#            mean |G(z) - y|^2 with the same batch and critic (persistence);
#   gradient K in {2, 5, 10}:    K plain WGAN generator steps on the same batch and critic
#            (naive persistence; K = 1 is the same run as euler K = 1 up to Adam's epsilon).
# on ring8 and grid25, three seeds each; the held-out data-space MMD^2 (Gaussian kernel, median
# bandwidth) is logged every 100 iterations. The figure w1_persistence.png shows the seed-mean
# MMD against iterations and against wall time (each run's own time per iteration; all runs
# share the machine, so the time axis carries that noise), and summary.md the final figures.
# What was measured is in experiments/w1_persistence.md.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="${1:-$root/out/w1_persistence}"
wgf="${WGF:-$root/build/wgf}"
python="${PYTHON:-/usr/bin/python3}"
[[ -x "$python" ]] || python=python3
jobs="${JOBS:-2}"
iters="${ITERS:-1500}"
seeds="${SEEDS:-1 2 3}"

if [[ ! -x "$wgf" ]]; then
  echo "w1_persistence: $wgf not found; build first: cmake -S . -B build && cmake --build build -j" >&2
  exit 2
fi
mkdir -p "$out"

# A modest network and budget: the whole sweep (42 runs) took 43 min with two runs at a time on
# two busy shared cores (ITERS=1000 or SEEDS="1 2" for less). The critic learns faster than the
# generator (the usual WGAN-GP balance); dt is
# the Euler step in data units (|grad psi| is about 1 under the penalty, the modes' spacing
# is 2 and their width 0.02-0.05).
common=(train --method wgan-gp --iters "$iters" --batch 128 --g-hidden 64,64 --d-hidden 64,64
        --n-critic 5 --lr-d 5e-4 --lr-g 1e-4 --critic-penalty 10 --metrics-every 100
        --threads 1 --quiet --force)

list="$out/runs.txt"
: > "$list"
for data in ring8 grid25; do
  for seed in $seeds; do
    for k in 1 2 5 10; do
      echo "$data euler $k $seed" >> "$list"
    done
    for k in 2 5 10; do
      echo "$data gradient $k $seed" >> "$list"
    done
  done
done

run_one() {
  local data=$1 update=$2 k=$3 seed=$4
  nice "$wgf" "${common[@]}" --data "$data" --generator-update "$update" --persistence "$k" \
    --euler-dt 0.1 --seed "$seed" --out "$out/${data}_${update}_K${k}_s${seed}.h5"
}
export -f run_one
export wgf out
export common_string="${common[*]}"

start=$(date +%s)
# shellcheck disable=SC2016
xargs -P "$jobs" -L 1 bash -c 'common=($common_string); run_one "$@"' _ < "$list"
echo "w1_persistence: $(wc -l < "$list") runs in $(( $(date +%s) - start )) s; files in $out"

"$python" -c 'import sys; sys.path.insert(0, sys.argv[1]); import plot; plot.plot_w1_persistence(sys.argv[2])' \
  "$here" "$out"
