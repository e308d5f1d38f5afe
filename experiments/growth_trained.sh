#!/usr/bin/env bash
# Growth rates at trained checkpoints (experiments/growth_table.md): for each data × loss × seed
# of the protocol, train a GAN with `wgf train` (the protocol's train_options, no stabiliser),
# then run `wgf growth --checkpoint RUN --generator RUN` under the same protocol, and summarise
# with growth_table.py. Files already on disk are kept (resumable).
#   experiments/growth_trained.sh [PROTOCOL] [OUT_DIR]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
protocol=${1:-experiments/protocols/growth-trained-pilot-v1.txt}
out=${2:-out/$(basename "$protocol" .txt)}
wgf=${WGF:-build/wgf}
mkdir -p "$out/gans"
rule() { sed -n "s/^$1 *= *//p" "$protocol"; }
trim() { local x=$1; x=${x#"${x%%[![:space:]]*}"}; echo "${x%"${x##*[![:space:]]}"}"; }
IFS=';' read -ra datas <<< "$(rule table_data)"
IFS=';' read -ra losses <<< "$(rule table_losses)"
IFS=',' read -ra seeds <<< "$(rule table_seeds)"
read -ra train_options <<< "$(rule train_options)"
for d in "${datas[@]}"; do for l in "${losses[@]}"; do for seed in "${seeds[@]}"; do
  d=$(trim "$d"); l=$(trim "$l"); seed=$(trim "$seed")
  name=$(echo "${d}_${l}_seed${seed}" | tr ':=,.' '____')
  gan="$out/gans/$name.h5"
  [[ -f "$gan" ]] || "$wgf" train --quiet --data "$d" --loss "$l" --seed "$seed" "${train_options[@]}" --out "$gan"
  [[ -f "$out/$name.h5" ]] || "$wgf" growth --protocol "$protocol" --quiet --threads 1 --loss "$l" \
      --seed "$seed" --checkpoint "$gan" --generator "$gan" --out "$out/$name.h5"
  echo "done: $name"
done; done; done
python3 experiments/growth_table.py "$protocol" "$out"
