#!/usr/bin/env bash
# Builds the libFuzzer harnesses of tests/fuzz (clang, ASan + UBSan, -DWGF_FUZZ=ON in a build
# folder of their own) and runs each for its share of SECONDS_TOTAL (default 60) on a copy of its
# seed corpus in tests/fuzz/corpus/ (the repository's corpus is never written to). Exits 1 when
# any harness reports a finding: a crash, an exception other than wgf::InputError, a sanitizer
# error, a broken invariant, a hang (an input over 10 s) or a leak; the input that caused it is
# kept in BUILD/fuzz-findings/.
#
#   tests/fuzz/run_fuzz.sh [SECONDS_TOTAL]
#
# Environment: WGF_FUZZ_BUILD (build folder, default build-fuzz), WGF_FUZZ_JOBS (build jobs,
# default 2), WGF_FUZZ_HARNESSES (a subset, e.g. "kernel_spec range"), WGF_FUZZ_CMAKE_ARGS (more
# configure arguments, e.g. -DCMAKE_CXX_COMPILER_LAUNCHER=ccache).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

total=${1:-60}
if ! [[ $total =~ ^[0-9]+$ ]] || (( total < 1 )); then
  echo "run_fuzz.sh: SECONDS_TOTAL must be a whole number >= 1 (got '$total')" >&2
  exit 2
fi
build=${WGF_FUZZ_BUILD:-build-fuzz}
jobs=${WGF_FUZZ_JOBS:-2}
read -r -a harnesses <<< "${WGF_FUZZ_HARNESSES:-kernel_spec kernel_table field_spec spec_text protocol range words}"
targets=()
for h in "${harnesses[@]}"; do
  [[ -d tests/fuzz/corpus/$h ]] || { echo "run_fuzz.sh: no harness '$h'" >&2; exit 2; }
  targets+=("fuzz_$h")
done

read -r -a extra_args <<< "${WGF_FUZZ_CMAKE_ARGS:-}"
cmake -S . -B "$build" -DWGF_FUZZ=ON -DCMAKE_BUILD_TYPE=Debug \
      -DCMAKE_C_COMPILER=clang -DCMAKE_CXX_COMPILER=clang++ "${extra_args[@]}" > /dev/null
cmake --build "$build" -j "$jobs" --target "${targets[@]}"

# Corpus copies and the table harness's temporary file in a work folder of this run, in memory
# where /dev/shm is writable (fuzz_kernel_table rewrites a file per input).
parent=/dev/shm
[[ -d $parent && -w $parent ]] || parent=${TMPDIR:-/tmp}
work=$(mktemp -d "$parent/wgf-fuzz.XXXXXX")
trap 'rm -rf "$work"' EXIT
export WGF_FUZZ_TMPDIR=$work
findings=$build/fuzz-findings
mkdir -p "$findings"

share=$(( total / ${#harnesses[@]} ))
(( share >= 1 )) || share=1
echo "run_fuzz.sh: ${#harnesses[@]} harnesses, ${share} s each ($(date -u +%FT%TZ), $(nproc) cores)"
failed=0
all_runs=0
summary=()
for h in "${harnesses[@]}"; do
  mkdir -p "$work/corpus/$h"
  cp tests/fuzz/corpus/$h/* "$work/corpus/$h/"
  log=$work/$h.log
  status=0
  "$build/tests/fuzz/fuzz_$h" -max_total_time="$share" -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$findings/$h-" "$work/corpus/$h" > "$log" 2>&1 || status=$?
  # (a crash on a seed leaves no "Done" and no coverage line)
  runs=$(sed -n 's/^Done \([0-9]*\) runs.*/\1/p' "$log" | tail -1 || true)
  cov=$({ grep -o 'cov: [0-9]*' "$log" || true; } | tail -1 | cut -d' ' -f2)
  corpus=$(find "$work/corpus/$h" -type f | wc -l)
  all_runs=$(( all_runs + ${runs:-0} ))
  if (( status != 0 )); then
    failed=1
    echo "---- fuzz_$h: FINDING (exit $status); the input is in $findings/; log tail:"
    tail -n 40 "$log"
    summary+=("$(printf '%-14s %10s runs  cov %5s  corpus %5s  FINDING' "$h" "${runs:-?}" "${cov:-?}" "$corpus")")
  else
    summary+=("$(printf '%-14s %10s runs  cov %5s  corpus %5s  ok' "$h" "${runs:-?}" "${cov:-?}" "$corpus")")
  fi
done
printf '%s\n' "${summary[@]}"
echo "run_fuzz.sh: $all_runs executions in total"
if (( failed )); then
  echo "run_fuzz.sh: findings (inputs in $findings/)" >&2
  exit 1
fi
