#!/usr/bin/env bash
# Shard a JSONL corpus, count each shard with gaztag under GNU parallel, merge the
# partial counts, and check that the merged reports equal one run over the corpus.
#
#   bash examples/parallel.sh [CORPUS.jsonl] [SHARDS]
#
# CORPUS defaults to ~/.cache/gaztag-bench/data/news_2017.jsonl, SHARDS to 16.
# GAZTAG (default: gaztag on PATH) is the binary; OUT (default: a new temporary
# folder) receives shards/, the partials and the reports. Needs GNU parallel
# (Debian: apt-get install parallel). With ssh logins, parallel's -S host1,host2
# --transferfile {} --return {.}.cooc.json spreads the same command over machines.
set -euo pipefail

gaztag=${GAZTAG:-gaztag}
corpus=${1:-$HOME/.cache/gaztag-bench/data/news_2017.jsonl}
n=${2:-16}
out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/gaztag-parallel.XXXXXX")}
corpus=$(realpath "$corpus")
export LC_ALL=C   # shard order and timing format do not depend on the locale
mkdir -p "$out/shards"
cd "$out"

# .jsonl suffix: gaztag --tag reads files by extension (a bare "part00" would be ONE text document).
split -n "l/$n" -d -a 3 --additional-suffix=.jsonl "$corpus" shards/part

status=0
for job in "cooc --scope sentence" "stats --by meta:source"; do
  read -r kind opt val <<< "$job"
  t0=$EPOCHREALTIME
  # One gaztag per shard, one shard per core (-j 1: parallel already fills the cores).
  parallel --halt now,fail=1 "$gaztag" "$kind" "$opt" "$val" --tag -j 1 {} \
    --save-partial "{.}.$kind.json" ::: shards/*.jsonl
  "$gaztag" merge --format json -o "merged.$kind.json" shards/*."$kind".json
  t1=$EPOCHREALTIME
  "$gaztag" "$kind" "$opt" "$val" --tag "$corpus" --format json -o "one.$kind.json"
  t2=$EPOCHREALTIME
  if cmp "merged.$kind.json" "one.$kind.json"; then verdict="OK identical"; else verdict="FAIL differ"; status=1; fi
  awk -v j="$job" -v n="$n" -v a="$t0" -v b="$t1" -v c="$t2" -v v="$verdict" 'BEGIN {
    printf "%-24s parallel x%s shards: %.2fs   one run: %.2fs   %s\n", j, n, b - a, c - b, v }'
done
echo "output in $out"
exit "$status"
