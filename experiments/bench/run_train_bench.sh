#!/usr/bin/env bash
# Training iterations per second of the trainer's backends against PyTorch doing the same
# computation (experiments/bench/torch_peer.py), side by side in one run: the same MLP GAN
# (default G and D 3x256 hidden, batch 256, ring8, the MMD GAN Gaussian mixture), the same
# initial parameters and batches, the same thread count.
#
#   experiments/bench/run_train_bench.sh                     # 1 and 2 threads; CUDA when present
#   THREADS=1 REPS=9 experiments/bench/run_train_bench.sh
#   SHAPE="--g-hidden 128,128,128 --d-hidden 128 --batch 128" experiments/bench/run_train_bench.sh
#
# Environment: BUILD_DIR (default build; SKIP_BUILD=1 uses its binaries as they are, e.g. a
# static build carried to the GPU machine), SHAPE (wgf_bench_train shape options), THREADS (1,2),
# REPS (15 reps of ITERS_PER_REP = 10 iterations after WARMUP = 10; medians), ROUNDS (3: wgf and
# the peer alternate, so that a change in the machine's load hits both; the summary takes the
# median of the per-round ratios), PYTHON
# (/usr/bin/python3 with Debian's python3-torch: `apt-get install python3-torch`; on the GPU
# machine the python that has its CUDA PyTorch), OPENBLAS_DIR (where a libblas.so.3 of OpenBLAS
# is, default Debian's libopenblas0-pthread folder; the torch peer also runs with it there).
#
# First the peer is checked: from one dump of the C++ side (initial parameters, batch pool and
# the losses of its first 5 iterations) it runs the same iterations and must reproduce every
# loss within a relative 1e-3 (torch_peer.py --check says why that tolerance). Then, per
# thread count, the C++ CPU backend and the peer run one after the other with
# OMP_NUM_THREADS=T (torch.set_num_threads(T), OPENBLAS_NUM_THREADS=T), and the ratio of their
# median iteration times is printed. Debian's torch calls the system BLAS for its products —
# the reference BLAS unless an optimised one is installed — so the peer runs with both where
# OpenBLAS is available, and the target (>= 1.5x) is checked against the faster of the two.
# With a GPU: wgf_bench_train --device cuda against the peer on CUDA (target >= 2x); each side
# prints "skipped: ..." when it cannot run.
set -euo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build}
SHAPE=${SHAPE:-}
THREADS=${THREADS:-1,2}
REPS=${REPS:-15}
ROUNDS=${ROUNDS:-3}
ITERS_PER_REP=${ITERS_PER_REP:-10}
WARMUP=${WARMUP:-10}
PYTHON=${PYTHON:-/usr/bin/python3}
OPENBLAS_DIR=${OPENBLAS_DIR:-/usr/lib/x86_64-linux-gnu/openblas-pthread}
BENCH="$BUILD_DIR/wgf_bench_train"
PEER=experiments/bench/torch_peer.py
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-passive}

if ! "$PYTHON" -c 'import torch' 2>/dev/null; then
  echo "run_train_bench.sh: $PYTHON has no torch; install the peer with 'apt-get install python3-torch'" \
       "(Debian 12) or set PYTHON to a python with PyTorch" >&2
  exit 2
fi

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

if [ "${SKIP_BUILD:-0}" = 1 ]; then
  [ -x "$BENCH" ] || { echo "run_train_bench.sh: SKIP_BUILD=1 but no $BENCH" >&2; exit 1; }
elif ! { if [ ! -f "$BUILD_DIR/CMakeCache.txt" ] || ! grep -q wgf_bench_train "$BUILD_DIR/Makefile" 2>/dev/null; then
         cmake -S . -B "$BUILD_DIR"
       fi && make -C "$BUILD_DIR" -j2 wgf_bench_train; } >"$work/build.log" 2>&1; then
  cat "$work/build.log" >&2
  echo "run_train_bench.sh: build failed" >&2
  exit 1
fi

have_openblas=no
[ -e "$OPENBLAS_DIR/libblas.so.3" ] && have_openblas=yes
peer_blas() {  # peer_blas LABEL THREADS ARGS...: runs the peer with the system BLAS or OpenBLAS
  local label=$1 t=$2
  shift 2
  if [ "$label" = openblas ]; then
    LD_LIBRARY_PATH="$OPENBLAS_DIR${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" OPENBLAS_NUM_THREADS=$t \
      OMP_NUM_THREADS=$t "$PYTHON" "$PEER" --dump "$work/dump" --threads "$t" "$@"
  else
    OMP_NUM_THREADS=$t "$PYTHON" "$PEER" --dump "$work/dump" --threads "$t" "$@"
  fi
}

echo "== machine"
echo "cpu: $(lscpu | sed -n 's/^Model name: *//p' | head -1), $(nproc) cores ($(lscpu | sed -n 's/^Flags:.*\(avx512f\).*/avx512f/p;s/^Flags:.*\(avx2\).*/avx2/p' | head -1) available)"
"$BENCH" --info
echo "torch: $("$PYTHON" -c 'import torch; print(torch.__version__, "cuda" if torch.cuda.is_available() else "no cuda")')"
echo "system BLAS: $(readlink -f /usr/lib/x86_64-linux-gnu/libblas.so.3 2>/dev/null || echo unknown); OpenBLAS for the peer: $have_openblas"
echo "commit: $(git rev-parse --short HEAD 2>/dev/null || echo unknown)$(git diff --quiet HEAD -- src include 2>/dev/null || echo ' (+ local changes)')"
echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ), load average: $(cut -d' ' -f1-3 /proc/loadavg)"

echo
echo "== the peer computes the same thing (same parameters and batches, 5 iterations)"
# shellcheck disable=SC2086
"$BENCH" --dump "$work/dump" $SHAPE --check-iters 5
peer_blas system 1 --check
[ "$have_openblas" = yes ] && peer_blas openblas 1 --check | tail -1
if "$PYTHON" -c 'import sys, torch; sys.exit(0 if torch.cuda.is_available() else 1)'; then
  "$PYTHON" "$PEER" --dump "$work/dump" --device cuda --check | tail -1
fi

echo
echo "== timings (median of $REPS reps x $ITERS_PER_REP iterations after $WARMUP warm-up iterations;"
echo "   $ROUNDS rounds of wgf and the peer one after the other; the reference-BLAS peer: first round only)"
timing=(--reps "$REPS" --iters-per-rep "$ITERS_PER_REP" --warmup "$WARMUP" --tsv)
slow_timing=(--reps 3 --iters-per-rep 2 --warmup 1 --tsv)  # the reference BLAS is ~10x slower
IFS=, read -r -a thread_list <<<"$THREADS"
for t in "${thread_list[@]}"; do
  for round in $(seq 1 "$ROUNDS"); do
    # shellcheck disable=SC2086
    OMP_NUM_THREADS=$t "$BENCH" $SHAPE --threads "$t" "${timing[@]}" | grep -v "^device" |
      sed "s/\$/\t$round/" | tee -a "$work/rows.tsv"
    if [ "$have_openblas" = yes ]; then
      peer_blas openblas "$t" "${timing[@]}" | grep -v "^device" | sed 's/^torch-cpu/torch-cpu-openblas/' |
        sed "s/\$/\t-\t$round/" | tee -a "$work/rows.tsv"
    fi
    if [ "$round" = 1 ]; then
      # What the AVX2 + FMA copy of the products buys: the same backend on the baseline copy.
      # shellcheck disable=SC2086
      OMP_NUM_THREADS=$t "$BENCH" $SHAPE --threads "$t" --product-isa baseline "${timing[@]}" |
        grep -v "^device" | sed 's/^cpu/cpu-baseline-products/' | sed "s/\$/\t$round/" | tee -a "$work/rows.tsv"
      peer_blas system "$t" "${slow_timing[@]}" | grep -v "^device" | sed 's/^torch-cpu/torch-cpu-sysblas/' |
        sed "s/\$/\t-\t$round/" | tee -a "$work/rows.tsv"
    fi
  done
done
# shellcheck disable=SC2086
cuda_line=$("$BENCH" $SHAPE --device cuda "${timing[@]}" | grep -v "^device")
case "$cuda_line" in
  skipped:*) echo "cuda backend $cuda_line" ;;
  *) echo "$cuda_line" | sed "s/\$/\t1/" | tee -a "$work/rows.tsv" ;;
esac
torch_cuda=$("$PYTHON" "$PEER" --dump "$work/dump" --device cuda "${timing[@]}" | grep -v "^device")
case "$torch_cuda" in
  skipped:*) echo "torch cuda $torch_cuda" ;;
  *) echo "$torch_cuda" | sed "s/\$/\t-\t1/" | tee -a "$work/rows.tsv" ;;
esac

echo
echo "== summary (iterations per second, medians over rounds; ratio = wgf / PyTorch per round)"
"$PYTHON" - "$work/rows.tsv" <<'EOF'
import statistics
import sys
from collections import defaultdict
rate = defaultdict(dict)  # (device, threads) -> {round: it/s}
for line in open(sys.argv[1]):
    f = line.rstrip("\n").split("\t")
    if len(f) >= 11:
        rate[(f[0], f[1])][f[10]] = float(f[7])
header = ("device", "threads", "wgf it/s", "torch it/s", "torch+OpenBLAS it/s", "ratio",
          "ratio range", "target", "met")
out = []
for (device, t), ours in rate.items():
    if device not in ("cpu", "cuda"):
        continue
    if device == "cpu":
        openblas, system = rate.get(("torch-cpu-openblas", t), {}), rate.get(("torch-cpu-sysblas", t), {})
        peers, target = [openblas, system], 1.5
    else:
        system, openblas = rate.get(("torch-cuda", t), {}), {}
        peers, target = [system], 2.0
    # Per round: against the fastest peer variant of that round (a variant timed in one round
    # only counts with that measurement).
    ratios = []
    for r, value in ours.items():
        best = max((p.get(r, statistics.median(p.values())) for p in peers if p), default=None)
        if best:
            ratios.append(value / best)
    fmt = lambda p: f"{statistics.median(p.values()):.1f}" if p else "-"
    ratio = statistics.median(ratios) if ratios else float("nan")
    span = f"{min(ratios):.2f}-{max(ratios):.2f}" if ratios else "-"
    out.append((device, t, f"{statistics.median(ours.values()):.1f}", fmt(system), fmt(openblas),
                f"{ratio:.2f}x", span, f">= {target}x", "yes" if ratio >= target else "no"))
widths = [max(len(str(r[i])) for r in out + [header]) for i in range(len(header))]
print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
for r in out:
    print("  ".join(str(c).rjust(w) for c, w in zip(r, widths)))
for (device, t), values in rate.items():
    if device == "cpu-baseline-products" and (("cpu", t) in rate):
        ours = statistics.median(rate[("cpu", t)].values())
        base = statistics.median(values.values())
        print(f"products: avx2+fma {ours:.1f} it/s vs baseline (x86-64-v2) {base:.1f} it/s at "
              f"{t} thread(s): {ours / base:.2f}x")
print("(CPU: against the faster PyTorch variant, Debian's torch with the system BLAS or with "
      "OpenBLAS; CUDA: against PyTorch eager on the GPU)")
EOF
