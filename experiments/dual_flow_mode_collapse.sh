#!/usr/bin/env bash
# Dual metric flows (the `game` role): mode collapse of the generator's density in the PDE when
# the discriminator's flow is unstable, and full coverage when it is stabilised.
#
#   experiments/dual_flow_mode_collapse.sh [OUTDIR]   (default out/dual_flow; WGF=path/to/wgf)
#
# Set-up (2D, periodic box of side 2π, N = 64): e = gaussian:sigma=1, s = gaussian:sigma=0.5,
# so ε* = (σ_e/σ_s)² = 4 and the game's critical ε is ε*_game(τ) = (1 − 1/(2τ)) ε* for τ > 1/2.
# q: three Gaussian modes (σ = 0.35) at (−1.5, −1), (1.5, −1), (0, 1.5); p starts on the first
# two only (same total mass). The mass of p and of q within 0.7 (2σ) of each mode's centre is
# recorded every step (wgf simulate --mode-centre ... --mode-radius 0.7).
#
#  1. the spectral module's stability map over (τ, ε) for the game role (wgf map);
#  2. four runs to t = 4: the generator alone, the game at τ = 0.75 with ε = 0 (unstable,
#     ε*_game = 4/3), with ε = 2 (stabilised) and with ε = 4.5 (beyond ε* = 4 as well);
#  3. a sweep over τ ∈ {0.25, 0.5, 0.75, 1, 1.5, 2} × ε ∈ {0, 1, …, 5} to t = 2, each run's final
#     coverage (min over modes of p's mass / q's mass) placed on the stability map, and its
#     retention (min over modes of p's final mass / q's initial mass);
#  4. the same for the game with q frozen (role game-p, ε*_game-p(τ) = (1 − 1/τ) ε* for τ > 1):
#     its map, runs at τ = 2 with ε = 0 (unstable) and ε = 5 (stabilised), and a sweep over
#     τ ∈ {0.5, 1, 1.5, 2, 3} × ε ∈ {0, …, 5}. There p's front pours into the empty mode and
#     contracts towards its centre into a clump the grid does not resolve (a few % of the
#     mass); --concentration-unresolved 2 lets those runs go on, stopping only when a 2x2
#     block holds a quarter of the mass.
# Then experiments/dual_flow_mode_collapse.py draws the figures and prints the summary table.
# About 40 s of CPU time.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(dirname "$here")"
out="${1:-$root/out/dual_flow}"
wgf="${WGF:-$root/build/wgf}"
python="${PYTHON:-/usr/bin/python3}"
[[ -x "$python" ]] || python=python3
if [[ ! -x "$wgf" ]]; then
  echo "dual_flow_mode_collapse: $wgf not found; build first (cmake --build build)" >&2
  exit 2
fi
mkdir -p "$out/sweep" "$out/sweep_game_p"

kernel=gaussian:sigma=1
stabilizer=gaussian:sigma=0.5
modes=(--mode-centre -1.5,-1 --mode-centre 1.5,-1 --mode-centre 0,1.5 --mode-radius 0.7)
common=(simulate --dim 2 --n 64 --kernel "$kernel" --stabilizer "$stabilizer"
        --target gaussians:at=-1.5,-1,1.5,-1,0,1.5,sigma=0.35
        --init gaussians:at=-1.5,-1,1.5,-1,sigma=0.35
        "${modes[@]}" --fft-plan estimate --threads 1 --force --quiet)

"$wgf" map --dim 2 --kernel "$kernel" --stabilizer "$stabilizer" --role game \
  --sweep tau=0.25:3:56 --eps 0:6:121 --out "$out/map.h5" --force --quiet

"$wgf" "${common[@]}" --role generator --t-end 4 --write-every 0.5 --out "$out/generator.h5"
"$wgf" "${common[@]}" --role game --tau 0.75 --eps 0 --t-end 4 --write-every 0.02 \
  --out "$out/unstable.h5"
"$wgf" "${common[@]}" --role game --tau 0.75 --eps 2 --t-end 4 --write-every 0.5 \
  --out "$out/stabilised.h5"
"$wgf" "${common[@]}" --role game --tau 0.75 --eps 4.5 --t-end 4 --write-every 0.5 \
  --out "$out/stabilised_beyond_eps_star.h5"

for tau in 0.25 0.5 0.75 1 1.5 2; do
  for eps in 0 1 2 3 4 5; do
    "$wgf" "${common[@]}" --role game --tau "$tau" --eps "$eps" --t-end 2 \
      --out "$out/sweep/tau${tau}_eps${eps}.h5"
  done
done

"$wgf" map --dim 2 --kernel "$kernel" --stabilizer "$stabilizer" --role game-p \
  --sweep tau=0.25:4:76 --eps 0:6:121 --out "$out/map_game_p.h5" --force --quiet
front=(--concentration-unresolved 2)
"$wgf" "${common[@]}" "${front[@]}" --role game-p --tau 2 --eps 0 --t-end 4 --write-every 0.02 \
  --out "$out/game_p_unstable.h5"
"$wgf" "${common[@]}" "${front[@]}" --role game-p --tau 2 --eps 5 --t-end 4 --write-every 0.5 \
  --out "$out/game_p_stabilised.h5"
for tau in 0.5 1 1.5 2 3; do
  for eps in 0 1 2 3 4 5; do
    "$wgf" "${common[@]}" "${front[@]}" --role game-p --tau "$tau" --eps "$eps" --t-end 2 \
      --out "$out/sweep_game_p/tau${tau}_eps${eps}.h5"
  done
done

"$python" "$here/dual_flow_mode_collapse.py" "$out"
