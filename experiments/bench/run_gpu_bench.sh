#!/usr/bin/env bash
# The CUDA grid solver on a GPU machine, in one command: parity and kernel tests, then one
# SSP-RK3 step against (a) its cuFFT transforms, (b) the device's peak DRAM bandwidth, (c) the
# CuPy and PyTorch peers of the same scheme (gpu_peer.py) and (d) the CPU backend.
#
# Build here (a machine with the Debian packages), statically, and carry the build folder:
#   cmake -S . -B build-static -DWGF_STATIC=ON && make -C build-static -j2 \
#       wgf wgf_tests wgf_bench_step wgf_bench_gpu_step
# then on the GPU machine (it needs the NVIDIA driver, libcufft.so.12 and libcublas.so.13 — CUDA
# 13's toolkit or the nvidia-cufft and nvidia-cublas wheels — and python3 with cupy and torch for
# the peers):
#   experiments/bench/run_gpu_bench.sh
#
# Environment: BUILD_DIR (build-static), GRIDS (2:4096,3:256,3:512), PRECISIONS (fp64,fp32),
# REPS (20, GPU steps timed), CPU_REPS (3), CPU_PLAN (estimate: FFTW_MEASURE on 512^3 can plan
# for minutes, longer than a device call may last), PEER_REPS (10), PYTHON (python3), RESULTS
# (the folder for logs and tables: $OUT when set, else bench-results/).
set -uo pipefail
cd "$(dirname "$0")/../.."
BUILD_DIR=${BUILD_DIR:-build-static}
GRIDS=${GRIDS:-2:4096,3:256,3:512}
PRECISIONS=${PRECISIONS:-fp64,fp32}
REPS=${REPS:-20}
CPU_REPS=${CPU_REPS:-3}
CPU_PLAN=${CPU_PLAN:-estimate}
PEER_REPS=${PEER_REPS:-10}
PYTHON=${PYTHON:-python3}
RESULTS=${RESULTS:-${OUT:-bench-results}}
mkdir -p "$RESULTS"
export WGF_BINARY="$PWD/$BUILD_DIR/wgf"

# cuFFT and cuBLAS (the trainer's GEMMs) are the CUDA libraries linked dynamically (the build
# machine's toolkit has no static copies): find each if the loader does not.
for wanted in cufft:libcufft.so.12 cublas:libcublas.so.13; do
  package=${wanted%%:*} library=${wanted#*:}
  if ! ldd "$BUILD_DIR/wgf" | grep -q "$library => /"; then
    for dir in /usr/local/cuda/lib64 /usr/local/cuda/targets/x86_64-linux/lib \
      $("$PYTHON" -c "import nvidia, os; print(' '.join(os.path.join(p, '$package', 'lib') for p in nvidia.__path__))" 2>/dev/null); do
      if [ -e "$dir/$library" ]; then export LD_LIBRARY_PATH="$dir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"; break; fi
    done
  fi
done

{
  echo "== machine"
  nvidia-smi --query-gpu=name,driver_version,memory.total,clocks.max.memory --format=csv 2>&1
  echo "cpu: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//'), $(nproc) cores"
  "$BUILD_DIR/wgf" info
  "$PYTHON" -c 'import cupy, torch; print("cupy", cupy.__version__, "| torch", torch.__version__)' 2>&1
  echo "date: $(date -u +%Y-%m-%dT%H:%M:%SZ)"
} 2>&1 | tee "$RESULTS/machine.txt"

echo
echo "== CUDA tests: parity with the CPU solver, kernels vs CPU references, growth rates, invariants"
# Every test case that has a CUDA instantiation or exercises --device cuda (the whole suite
# needs the source tree's data and paths of the build machine).
"$BUILD_DIR/wgf_tests" --no-intro \
  -tc='*Cuda*,*cuda*,*Device*,*device*' 2>&1 | tee "$RESULTS/cuda_tests.txt" | tail -n 25
tests_status=${PIPESTATUS[0]}
# A machine that has a GPU must not skip a CUDA test: a driver too old for the CUDA runtime, or a
# missing library, makes every CUDA case report "skipped" and this script would look green.
if nvidia-smi -L 2>/dev/null | grep -q '^GPU ' && grep -q 'skipped: no CUDA device' "$RESULTS/cuda_tests.txt"; then
  echo "run_gpu_bench: this machine has a GPU (nvidia-smi -L) but CUDA tests were skipped:" >&2
  grep -m 3 'skipped: no CUDA device' "$RESULTS/cuda_tests.txt" >&2
  tests_status=1
fi

echo
echo "== CuPy / PyTorch peers vs the C++ step (small grids, one step with a fixed dt, fp64)"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$BUILD_DIR/wgf_bench_step" --dump "$work/dump" --grids 1:64,2:32,3:16,2:64 >/dev/null
for backend in cupy torch; do
  "$PYTHON" experiments/bench/gpu_peer.py --backend "$backend" --check "$work/dump" 2>&1 |
    tee -a "$RESULTS/peer_check.txt" | tail -n 1
done

echo
echo "== timings: wgf (GPU and CPU backends)"
"$BUILD_DIR/wgf_bench_gpu_step" --grids "$GRIDS" --precision "$PRECISIONS" --reps "$REPS" \
  --cpu-reps "$CPU_REPS" --cpu-plan "$CPU_PLAN" --kernels --tsv | tee "$RESULTS/wgf_gpu_step.tsv"
echo
echo "== timings: peers"
for backend in cupy torch; do
  "$PYTHON" experiments/bench/gpu_peer.py --backend "$backend" --grids "$GRIDS" \
    --precision "$PRECISIONS" --reps "$PEER_REPS" --tsv | tail -n +2 >>"$RESULTS/peer_step.tsv"
done
cat "$RESULTS/peer_step.tsv"

echo
echo "== summary"
"$PYTHON" - "$RESULTS/wgf_gpu_step.tsv" "$RESULTS/peer_step.tsv" <<'EOF' | tee "$RESULTS/summary.txt"
import sys
rows, kernels = [], []
for line in open(sys.argv[1]):
    if line.startswith("# kernel"):
        kernels.append(line.rstrip("\n").split("\t")[1:])
    elif line[0].isdigit():
        rows.append(line.rstrip("\n").split("\t"))
peer = {}
for line in open(sys.argv[2]):
    dim, n, precision, reps, ms, lib = line.rstrip("\n").split("\t")
    peer.setdefault((dim, n, precision), {})[lib.split()[0]] = float(ms)
header = ("grid", "prec", "step ms", "FFTs ms", "step/FFTs", "non-FFT GB/s", "% peak",
          "cupy ms", "torch ms", "best peer/step", "CPU ms", "CPU/step", "<=1.5x FFT",
          ">=60% BW", ">=3x peer")
out = []
for r in rows:
    dim, n, prec, step, fft, ratio, _, gbs, peak, frac, cpu, _, device = r
    step, ratio, frac, cpu = float(step), float(ratio), float(frac), float(cpu)
    p = peer.get((dim, n, prec), {})
    best = min(p.values()) if p else float("nan")
    speedup = best / step
    out.append((f"{dim}D {n}^{dim}", prec, f"{step:.3f}", f"{float(fft):.3f}", f"{ratio:.2f}",
                f"{float(gbs):.0f}", f"{100 * frac:.0f}", f"{p.get('cupy', float('nan')):.2f}",
                f"{p.get('torch', float('nan')):.2f}", f"{speedup:.1f}", f"{cpu:.1f}",
                f"{cpu / step:.0f}", "yes" if ratio <= 1.5 else "no",
                "yes" if frac >= 0.6 else "no", "yes" if speedup >= 3 else "no"))
if rows:
    print("device:", rows[0][-1])
widths = [max(len(str(x[i])) for x in out + [header]) for i in range(len(header))]
print("  ".join(h.rjust(w) for h, w in zip(header, widths)))
for x in out:
    print("  ".join(str(c).rjust(w) for c, w in zip(x, widths)))
print()
print("non-FFT kernels, each timed alone (bytes = every array read or written once):")
for dim, n, prec, name, launches, ms, nbytes in kernels:
    gbs = float(nbytes) / (float(ms) * 1e-3) / 1e9 if float(ms) > 0 else 0.0
    print(f"  {dim}D {n} {prec}  {name:<58} x{launches}  {float(ms):8.4f} ms  {gbs:6.0f} GB/s")
EOF
echo
echo "results in $RESULTS (tests exit status $tests_status)"
exit "$tests_status"
