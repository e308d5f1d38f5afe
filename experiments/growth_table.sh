#!/usr/bin/env bash
# The growth-rate table (experiments/growth_table.md): one `wgf growth` run per setting of the
# protocol's grid (data × loss × stabiliser × ε × seed), then the summary. Runs already on disk
# are kept, so an interrupted table resumes; so are the runs of an earlier session's committed
# points file, experiments/results/NAME/points.csv (NAME the protocol file's name), whose h5 files
# are gone: the summary merges them and says how many of the protocol's runs it holds.
#   experiments/growth_table.sh [PROTOCOL] [OUT_DIR] [JOBS]
# PROTOCOL defaults to experiments/protocols/growth-table-v1.txt; OUT_DIR to out/growth-table.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
protocol=${1:-experiments/protocols/growth-table-v1.txt}
out=${2:-out/$(basename "$protocol" .txt)}
jobs=${3:-1}
wgf=${WGF:-build/wgf}
mkdir -p "$out"
kept=experiments/results/$(basename "$protocol" .txt)/points.csv
done_runs=""
[[ -f "$kept" ]] && done_runs=$(cut -d, -f1 "$kept" | sort -u)
source experiments/protocol_rules.sh  # rule NAME, trim TEXT
IFS=';' read -ra datas <<< "$(rule table_data)"
IFS=';' read -ra losses <<< "$(rule table_losses)"
IFS=';' read -ra stabilizers <<< "$(rule table_stabilizers)"
IFS=',' read -ra epss <<< "$(rule table_eps)"
IFS=',' read -ra seeds <<< "$(rule table_seeds)"
commands=()
for d in "${datas[@]}"; do for l in "${losses[@]}"; do for s in "${stabilizers[@]}"; do
  for e in "${epss[@]}"; do for seed in "${seeds[@]}"; do
    d=$(trim "$d"); l=$(trim "$l"); s=$(trim "$s"); e=$(trim "$e"); seed=$(trim "$seed")
    name=$(echo "${d}_${l}_${s}_eps${e}_seed${seed}" | tr ':=,.' '____')
    [[ -f "$out/$name.h5" ]] && continue
    grep -qxF "$name" <<< "$done_runs" && continue
    commands+=("$wgf growth --protocol $protocol --quiet --threads 1 --data $d --loss $l --stabilizer $s --eps $e --seed $seed --out $out/$name.h5")
  done; done
done; done; done
echo "growth table: ${#commands[@]} runs to do, $jobs at a time, into $out"
printf '%s\n' "${commands[@]}" | xargs -P "$jobs" -I{} sh -c '{} || echo "failed: {}" >&2'
"${PYTHON:-/usr/bin/python3}" experiments/growth_table.py "$protocol" "$out" "$kept"
