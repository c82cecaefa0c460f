#!/usr/bin/env bash
# Checks that four shards of a corpus, counted apart and merged, give byte for byte the
# report of one run, for every report kind and format. Prints one line per check.
# usage: scripts/shard-check.sh [CORPUS.jsonl]   (default: the shared news_2017.jsonl)
set -euo pipefail
cd "$(dirname "$0")/.."
CORPUS=${1:-${XDG_CACHE_HOME:-$HOME/.cache}/gaztag-bench/data/news_2017.jsonl}
cargo build --release -q
BIN=$PWD/target/release/gaztag
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT

"$BIN" tag "$CORPUS" -o "$WORK/tagged.jsonl"
split -n l/4 -d "$WORK/tagged.jsonl" "$WORK/shard"
failed=0
check() { # KIND-ARGS... ; formats in $FORMATS
  local name=$*
  for s in "$WORK"/shard0?; do "$BIN" "$@" "$s" --save-partial "$s.partial"; done
  for f in $FORMATS; do
    "$BIN" "$@" "$WORK/tagged.jsonl" --format "$f" -o "$WORK/one"
    "$BIN" merge "$WORK"/shard0?.partial --format "$f" -o "$WORK/merged"
    if cmp -s "$WORK/one" "$WORK/merged"; then
      echo "identical  $name --format $f ($(wc -c < "$WORK/one") bytes)"
    else
      echo "DIFFERENT  $name --format $f"; failed=1
    fi
  done
  rm -f "$WORK"/shard0?.partial
}
FORMATS="table csv tsv json markdown"
check stats
check stats --by attr:country
check stats --by meta:source
check stats --by date
FORMATS="table csv tsv json markdown graphml gexf dot"
check cooc
check cooc --scope sentence
check cooc --scope window:10
exit $failed
