#!/usr/bin/env bash
# Fashion-MNIST at every kernel width scale of a fashion-widths protocol (experiments/fashion_mnist.md,
# section "Under a protocol"): one `wgf validate --study fashion-mnist` per scale, with that scale's
# loss, stabiliser and ξ_c and the protocol's seeds and options, into OUT_DIR/x<scale>; then the
# summary (experiments/fashion_widths.py). The scale named by classifier_from trains the
# classifier; the others wait for its classifier.h5 and load it. Scales already on disk (their
# validate.h5) are kept (resumable).
#   experiments/fashion_widths.sh [PROTOCOL] [OUT_DIR] [JOBS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
protocol=${1:-experiments/protocols/fashion-widths-v1.txt}
out=${2:-out/$(basename "$protocol" .txt)}
jobs=${3:-1}
wgf=${WGF:-build/wgf}
source experiments/protocol_rules.sh  # rule NAME, trim TEXT
IFS=',' read -ra scales <<< "$(rule width_scales)"
IFS=';' read -ra losses <<< "$(rule losses)"
IFS=';' read -ra stabilizers <<< "$(rule stabilizers)"
IFS=',' read -ra xis <<< "$(rule stable_above)"
seeds=$(rule seeds | tr -d ' ')
options=$(rule options)
first=$(trim "$(rule classifier_from)")
n=${#scales[@]}
if (( ${#losses[@]} != n || ${#stabilizers[@]} != n || ${#xis[@]} != n )); then
  echo "fashion widths: $protocol: width_scales, losses, stabilizers and stable_above differ in length" >&2
  exit 2
fi
mkdir -p "$out"
classifier="$out/x$first/classifier.h5"
run_scale() {  # index
  local i=$1 c; c=$(trim "${scales[$i]}")
  local dir="$out/x$c"
  [[ -f "$dir/validate.h5" ]] && return 0
  local extra=()
  if [[ "$c" != "$first" ]]; then
    while [[ ! -f "$classifier" ]]; do sleep 5; done
    extra=(--classifier "$classifier")
  fi
  "$wgf" validate --study fashion-mnist --quiet --force --out-dir "$dir" --seeds "$seeds" \
    --loss "$(trim "${losses[$i]}")" --stabilizer "$(trim "${stabilizers[$i]}")" \
    --stable-above "$(trim "${xis[$i]}")" $options "${extra[@]}" \
    && echo "fashion widths: scale $c done" || echo "fashion widths: scale $c failed" >&2
}
# The classifier's scale first in lane 0; the other scales spread over the lanes after it.
order=()
for i in "${!scales[@]}"; do [[ "$(trim "${scales[$i]}")" == "$first" ]] && order=("$i"); done
for i in "${!scales[@]}"; do [[ "$(trim "${scales[$i]}")" != "$first" ]] && order+=("$i"); done
echo "fashion widths: ${#order[@]} scales, $jobs at a time, into $out"
for (( lane = 0; lane < jobs; ++lane )); do
  ( for (( k = lane; k < ${#order[@]}; k += jobs )); do run_scale "${order[$k]}"; done ) &
done
wait
"${PYTHON:-/usr/bin/python3}" experiments/fashion_widths.py "$protocol" "$out"
