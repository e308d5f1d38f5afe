#!/usr/bin/env bash
# The trained-GAN quality study (experiments/gan_quality.md): one `wgf train` run per data set ×
# seed of the protocol, with that data set's options (quality_options), then the summary
# (experiments/gan_quality.py). Runs already on disk are kept (resumable).
#   experiments/gan_quality.sh [PROTOCOL] [OUT_DIR] [JOBS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
protocol=${1:-experiments/protocols/gan-quality-v2.txt}
out=${2:-out/$(basename "$protocol" .txt)}
jobs=${3:-1}
wgf=${WGF:-build/wgf}
mkdir -p "$out"
source experiments/protocol_rules.sh  # rule NAME, trim TEXT
IFS=',' read -ra seeds <<< "$(rule quality_seeds)"
commands=()
while IFS= read -r entry; do
  entry=$(trim "$entry")
  [[ -z "$entry" ]] && continue
  data=$(trim "${entry%%:*}")
  options=$(trim "${entry#*:}")
  for seed in "${seeds[@]}"; do
    seed=$(trim "$seed")
    file="$out/${data}_seed${seed}.h5"
    [[ -f "$file" ]] && continue
    commands+=("$wgf train --quiet --data $data --seed $seed $options --out $file")
  done
done < <(rule quality_options | tr ';' '\n')
echo "gan quality: ${#commands[@]} runs to do, $jobs at a time, into $out"
if (( ${#commands[@]} )); then printf '%s\n' "${commands[@]}" | xargs -P "$jobs" -I{} sh -c '{} || echo "failed: {}" >&2'; fi
"${PYTHON:-/usr/bin/python3}" experiments/gan_quality.py "$protocol" "$out"
