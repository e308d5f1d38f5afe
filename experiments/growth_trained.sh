#!/usr/bin/env bash
# Growth rates at trained checkpoints (experiments/growth_table.md): for each data × loss × seed
# of the protocol, train a GAN with `wgf train` (the protocol's train_options, no stabiliser);
# then, for each stabiliser × ε of the grid (or once, without a stabiliser, when the protocol has
# none: the pilot), run `wgf growth --checkpoint GAN --generator GAN` under the same protocol, and
# summarise with growth_table.py. Files already on disk are kept, and so are the runs of an
# earlier session's committed points file, experiments/results/NAME/points.csv (resumable, as
# experiments/growth_table.sh).
#   experiments/growth_trained.sh [PROTOCOL] [OUT_DIR] [JOBS]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
protocol=${1:-experiments/protocols/growth-trained-v1.txt}
out=${2:-out/$(basename "$protocol" .txt)}
jobs=${3:-1}
wgf=${WGF:-build/wgf}
mkdir -p "$out/gans"
kept=experiments/results/$(basename "$protocol" .txt)/points.csv
done_runs=""
[[ -f "$kept" ]] && done_runs=$(cut -d, -f1 "$kept" | sort -u)
source experiments/protocol_rules.sh  # rule NAME, trim TEXT
IFS=';' read -ra datas <<< "$(rule table_data)"
IFS=';' read -ra losses <<< "$(rule table_losses)"
IFS=',' read -ra seeds <<< "$(rule table_seeds)"
stabilizers=("")
epss=("")
if [[ -n "$(rule table_stabilizers)" ]]; then
  IFS=';' read -ra stabilizers <<< "$(rule table_stabilizers)"
  IFS=',' read -ra epss <<< "$(rule table_eps)"
fi
train_options=$(rule train_options)
# GANs first (every run needs its checkpoint), then the growth runs seed by seed, so that a table
# stopped part way holds the whole grid for its first seeds rather than whole settings missing.
trains=() runs=()
for seed in "${seeds[@]}"; do seed=$(trim "$seed")
  for d in "${datas[@]}"; do for l in "${losses[@]}"; do
    d=$(trim "$d"); l=$(trim "$l")
    gan_name=$(echo "${d}_${l}_seed${seed}" | tr ':=,.' '____')
    gan="$out/gans/$gan_name.h5"
    needed=0
    for s in "${stabilizers[@]}"; do for e in "${epss[@]}"; do
      s=$(trim "$s"); e=$(trim "$e")
      if [[ -z "$s" ]]; then name=$gan_name; extra=""
      else name=$(echo "${d}_${l}_${s}_eps${e}_seed${seed}" | tr ':=,.' '____'); extra="--stabilizer $s --eps $e"; fi
      [[ -f "$out/$name.h5" ]] && continue
      grep -qxF "$name" <<< "$done_runs" && continue
      needed=1
      runs+=("$wgf growth --protocol $protocol --quiet --threads 1 --loss $l $extra --seed $seed --checkpoint $gan --generator $gan --out $out/$name.h5")
    done; done
    [[ $needed == 1 && ! -f "$gan" ]] && trains+=("$wgf train --quiet --data $d --loss $l --seed $seed $train_options --out $gan")
  done; done
done
echo "trained growth table: ${#trains[@]} GANs to train, ${#runs[@]} growth runs, $jobs at a time, into $out"
if (( ${#trains[@]} )); then printf '%s\n' "${trains[@]}" | xargs -P "$jobs" -I{} sh -c '{} || echo "failed: {}" >&2'; fi
if (( ${#runs[@]} )); then printf '%s\n' "${runs[@]}" | xargs -P "$jobs" -I{} sh -c '{} || echo "failed: {}" >&2'; fi
"${PYTHON:-/usr/bin/python3}" experiments/growth_table.py "$protocol" "$out" "$kept"
