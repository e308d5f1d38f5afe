#!/usr/bin/env bash
# One SSP-RK3 step of the grid solver, side by side with the FFTs it contains and with the NumPy
# peer of the same scheme (experiments/bench/numpy_peer.py), at the same grids and thread counts.
# "FFTs": the step's six transforms (3 × r2c + c2r) as FFTW's standalone d-dimensional plans with
# the solver's planner effort and thread count, on huge-page buffers like the solver's arrays;
# "own FFTs": the solver's own one-dimensional passes of the same transforms, timed alone
# (no symbol multiply, each pass through memory as in a plain transform).
#
#   experiments/bench/run_step_bench.sh            # 2D 1024^2 and 3D 128^3 at 1 and 2 threads
#   GRIDS=2:512 THREADS=1 REPS=9 NP_REPS=3 experiments/bench/run_step_bench.sh
#
# Environment: BUILD_DIR (default build), GRIDS (2:1024,3:128), THREADS (1,2), REPS (15, C++
# steps timed), NP_REPS (5, NumPy steps timed), PYTHON (/usr/bin/python3, Debian's python3-numpy),
# ROUNDS (3: the C++ side runs in this many fresh processes per thread count; where the fields
# land in physical memory differs per process, and on a VM that moves a step's time by up to
# ±30 %, so the table gives the median over rounds and the range of step/FFTs).
#
# First the NumPy peer is checked against the C++ step on small grids (same initial state, same
# fixed dt, relative error <= 1e-12) — a peer that computes something else is no comparison.
# Then, for each thread count T, both run with OMP_NUM_THREADS=T (the C++ side also plans FFTW
# with T threads). NumPy's FFT (pocketfft) and ufuncs use one thread whatever T is; the peer is
# single-threaded at every T, as a user's NumPy code would be.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build}
GRIDS=${GRIDS:-2:1024,3:128}
THREADS=${THREADS:-1,2}
REPS=${REPS:-15}
NP_REPS=${NP_REPS:-5}
ROUNDS=${ROUNDS:-3}
PYTHON=${PYTHON:-/usr/bin/python3}
BENCH="$BUILD_DIR/wgf_bench_step"
PEER=experiments/bench/numpy_peer.py

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# Build (quietly; the log is shown only when the build fails).
if ! { if [ ! -f "$BUILD_DIR/CMakeCache.txt" ] || ! grep -q wgf_bench_step "$BUILD_DIR/Makefile" 2>/dev/null; then
         cmake -S . -B "$BUILD_DIR"
       fi && make -C "$BUILD_DIR" -j2 wgf_bench_step; } >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  echo "run_step_bench.sh: build failed" >&2
  exit 1
fi

echo "== machine"
echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
"$BENCH" --info
echo "numpy: $("$PYTHON" -c 'import numpy; print(numpy.__version__)')"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== NumPy peer vs C++ step (small grids, one step with a fixed dt)"
for amplitude in 1e-2 0.5; do
  "$BENCH" --dump "$work/dump_$amplitude" --grids 1:64,2:32,3:16,2:64 --amplitude "$amplitude" >/dev/null
  "$PYTHON" "$PEER" --check "$work/dump_$amplitude"
done

echo
echo "== timings (medians; C++: $REPS steps after warm-up in each of $ROUNDS processes, NumPy: $NP_REPS steps)"
IFS=, read -r -a thread_list <<<"$THREADS"
for t in "${thread_list[@]}"; do
  for ((round = 0; round < ROUNDS; ++round)); do
    OMP_NUM_THREADS=$t "$BENCH" --grids "$GRIDS" --threads "$t" --reps "$REPS" --tsv |
      tail -n +2 >>"$work/cpp.tsv"
  done
  OMP_NUM_THREADS=$t OPENBLAS_NUM_THREADS=$t "$PYTHON" "$PEER" --grids "$GRIDS" --reps "$NP_REPS" \
    --threads-label "$t" --tsv | tail -n +2 >>"$work/numpy.tsv"
done

"$PYTHON" - "$work/cpp.tsv" "$work/numpy.tsv" <<'EOF'
import statistics
import sys
rounds = {}
for line in open(sys.argv[1]):
    dim, n, t, reps, step, fft, ratio, rest, own = line.split()[:9]
    rounds.setdefault((dim, n, t), []).append(
        (float(step), float(fft), float(ratio), float(rest), float(own)))
cpp = {}
for key, rs in rounds.items():
    med = [statistics.median(r[i] for r in rs) for i in range(5)]
    ratios = [r[2] for r in rs]
    cpp[key] = (med[0], med[1], med[2], med[3], min(ratios), max(ratios), med[4])
peer = {}
for line in open(sys.argv[2]):
    dim, n, t, reps, step = line.split()[:5]
    peer[(dim, n, t)] = float(step)
header = ("grid", "threads", "step ms", "FFTs ms", "step/FFTs", "range", "non-FFT ms", "own FFTs ms",
          "NumPy ms", "NumPy/step", "<=1.5x FFTs", ">=5x NumPy")
rows = []
for key, (step, fft, ratio, rest, lo, hi, own) in cpp.items():
    dim, n, t = key
    np_ms = peer.get(key)
    speedup = np_ms / step if np_ms else float("nan")
    rows.append((f"{dim}D {n}^{dim}", t, f"{step:.2f}", f"{fft:.2f}", f"{ratio:.2f}",
                 f"{lo:.2f}-{hi:.2f}", f"{rest:.2f}", f"{own:.2f}",
                 f"{np_ms:.1f}" if np_ms else "-", f"{speedup:.1f}",
                 "yes" if ratio <= 1.5 else "no", "yes" if speedup >= 5 else "no"))
widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
for r in rows:
    print("  ".join(str(c).rjust(w) for c, w in zip(r, widths)))
EOF
