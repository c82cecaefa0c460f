#!/usr/bin/env bash
# Throughput of `gaztag tag` on the shared benchmark data, with the built-in gazetteers.
# Prepare the data once with `bash ../shared/bench/setup.sh`.
# usage: scripts/bench.sh [RUNS=3]   (prints the best of RUNS per input and thread count)
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${1:-3}
DATA=${GAZTAG_BENCH_DATA:-${XDG_CACHE_HOME:-$HOME/.cache}/gaztag-bench/data}
[ -d "$DATA" ] || { echo "no benchmark data in $DATA: run bash ../shared/bench/setup.sh" >&2; exit 2; }
cargo build --release -q
BIN=target/release/gaztag
OUT=$(mktemp)
trap 'rm -f "$OUT"' EXIT

printf '%-22s %3s %9s %9s %10s %12s\n' input threads MB seconds MB/s mentions/s
for input in news_2017.jsonl corpus_100mb.jsonl docs_10mb; do
  [ -e "$DATA/$input" ] || continue
  mb=$(du -sb --apparent-size "$DATA/$input" | awk '{print $1 / 1e6}')
  for j in 1 2; do
    best=
    for _ in $(seq "$RUNS"); do
      start=$(date +%s.%N)
      "$BIN" tag "$DATA/$input" -j "$j" -o "$OUT"
      end=$(date +%s.%N)
      t=$(awk -v a="$start" -v b="$end" 'BEGIN {print b - a}')
      best=$(awk -v a="${best:-$t}" -v b="$t" 'BEGIN {print (b < a ? b : a)}')
    done
    mentions=$(grep -o '"char_start"' "$OUT" | wc -l)
    awk -v n="$input" -v j="$j" -v mb="$mb" -v t="$best" -v m="$mentions" \
      'BEGIN {printf "%-22s %3d %9.1f %9.2f %10.1f %12.0f\n", n, j, mb, t, mb / t, m / t}'
  done
done
