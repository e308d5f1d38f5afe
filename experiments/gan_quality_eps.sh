#!/usr/bin/env bash
# Sample quality against the stabiliser weight (experiments/gan_quality.md, "Against ε"): for
# each seed and each ratio of the protocol, `wgf train` with the protocol's options plus
# --stabilizer and --eps = ratio × quality_eps_critical; then the summary. Files on disk are
# kept (an interrupted study resumes); runs go seed by seed, so a study stopped part way holds
# every ratio of its first seeds.
#   experiments/gan_quality_eps.sh [PROTOCOL] [OUT_DIR] [JOBS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
protocol=${1:-experiments/protocols/gan-quality-eps-v1.txt}
out=${2:-out/$(basename "$protocol" .txt)}
jobs=${3:-1}
wgf=${WGF:-build/wgf}
mkdir -p "$out"
source experiments/protocol_rules.sh  # rule NAME, trim TEXT
IFS=',' read -ra seeds <<< "$(rule quality_seeds)"
IFS=',' read -ra ratios <<< "$(rule quality_eps_ratios)"
stabilizer=$(rule quality_stabilizer)
critical=$(rule quality_eps_critical)
entry=$(rule quality_options)
data=$(trim "${entry%%:*}")
options=$(trim "${entry#*:}")
commands=()
for seed in "${seeds[@]}"; do seed=$(trim "$seed")
  for ratio in "${ratios[@]}"; do ratio=$(trim "$ratio")
    eps=$(python3 -c "print(repr($ratio * $critical))")
    file="$out/${data}_ratio${ratio}_seed${seed}.h5"
    [[ -f "$file" ]] && continue
    commands+=("$wgf train --quiet --data $data --seed $seed $options --stabilizer $stabilizer --eps $eps --out $file")
  done
done
echo "gan quality against eps: ${#commands[@]} runs to do, $jobs at a time, into $out"
if (( ${#commands[@]} )); then printf '%s\n' "${commands[@]}" | xargs -P "$jobs" -I{} sh -c '{} || echo "failed: {}" >&2'; fi
"${PYTHON:-/usr/bin/python3}" experiments/gan_quality_eps.py "$protocol" "$out"
