#!/usr/bin/env bash
# gaztag against the bare aho-corasick baseline and the Python peers, in one run, on the
# shared benchmark data; prints one Markdown table (and keeps it with the raw timings).
#
# usage: bench/compare.sh [ROUNDS=3]
# needs: bash ../shared/bench/setup.sh (data, baseline binary, Python venv with the peers)
# env:   SCRATCH (default ~/.cache/gaztag-bench)   PEERS_FULL=1: Python peers on 100 MB too
#
# Every row is a whole process, timed from outside with /usr/bin/time (wall seconds and
# peak RSS): gaztag reads JSONL, normalizes, matches with its case and boundary rules,
# resolves and writes JSONL with offsets; the baseline reads the text and counts matches;
# the Python peers print their own scan timings (their rows say so). gaztag and the
# baseline alternate for ROUNDS rounds; the ratio is baseline wall / gaztag wall, median.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SCRATCH=${SCRATCH:-${XDG_CACHE_HOME:-$HOME/.cache}/gaztag-bench}
DATA=$SCRATCH/data
DICT=$DATA/gazetteer.tsv
BASE=$SCRATCH/target/release/rust-baseline
PY=$SCRATCH/venv/bin/python
PEERS=$(cd ../shared/bench/py 2>/dev/null && pwd || true)
for f in "$DICT" "$DATA/corpus_100mb.jsonl" "$DATA/corpus_100mb.txt" "$DATA/corpus_10mb.txt" "$BASE"; do
  [ -e "$f" ] || { echo "missing $f: run bash ../shared/bench/setup.sh first" >&2; exit 2; }
done
cargo build --release -q
GAZTAG=$PWD/target/release/gaztag
OUT=$SCRATCH/results/compare-$(date +%Y%m%d-%H%M%S)
mkdir -p "$OUT"
RAW=$OUT/raw.tsv
printf 'row\tinput\tthreads\twall_s\trss_kb\tmatches\tbuild_s\tnote\n' > "$RAW"
TIMES=$OUT/time.txt
cat "$DICT" "$DATA/corpus_100mb.jsonl" "$DATA/corpus_100mb.txt" > /dev/null # warm the cache

# 300 MB: the 100 MB corpus three times, to show memory stays flat.
BIG=$DATA/corpus_300mb.jsonl
[ -e "$BIG" ] || cat "$DATA/corpus_100mb.jsonl" "$DATA/corpus_100mb.jsonl" "$DATA/corpus_100mb.jsonl" > "$BIG"

# timed ROW INPUT THREADS CMD... : runs CMD, appends wall and peak RSS (stdout kept in $OUT/stdout)
timed() {
  local row=$1 input=$2 threads=$3; shift 3
  /usr/bin/time -f '%e %M' -o "$TIMES" "$@" > "$OUT/stdout"
  read -r wall rss < "$TIMES"
  LAST_WALL=$wall
  LAST_RSS=$rss
  echo "  $row ($input, $threads thr): ${wall}s ${rss}KB" >&2
}

gaztag_matches() { grep -o '"char_start"' "$OUT/gaztag.jsonl" | wc -l; }

echo "start-up (empty input):" >&2
timed "gaztag start-up, default gazetteer" "empty" 1 "$GAZTAG" tag -o "$OUT/gaztag.jsonl" /dev/null
printf 'gaztag start-up, default gazetteer\tone empty document\t1\t%s\t%s\t\t\t\n' "$LAST_WALL" "$LAST_RSS" >> "$RAW"
timed "gaztag start-up, 278k TSV" "empty" 1 "$GAZTAG" tag -g "$DICT" -o "$OUT/gaztag.jsonl" /dev/null
printf 'gaztag start-up, 278k-row TSV (load + build)\tone empty document\t1\t%s\t%s\t\t%s\t\n' "$LAST_WALL" "$LAST_RSS" "$LAST_WALL" >> "$RAW"
STARTUP=$LAST_WALL

echo "side by side, $ROUNDS rounds:" >&2
RATIOS=()
for round in $(seq "$ROUNDS"); do
  timed "baseline ac-default" 100mb 2 "$BASE" ac-default "$DICT" "$DATA/corpus_100mb.txt" --threads 2
  b_wall=$LAST_WALL; b_rss=$LAST_RSS
  b_json=$(tail -n 1 "$OUT/stdout")
  timed "gaztag tag" 100mb 2 "$GAZTAG" tag -j 2 -g "$DICT" "$DATA/corpus_100mb.jsonl" -o "$OUT/gaztag.jsonl"
  g_wall=$LAST_WALL; g_rss=$LAST_RSS
  RATIOS+=("$(awk -v b="$b_wall" -v g="$g_wall" 'BEGIN {printf "%.3f", b / g}')")
  b_matches=$(echo "$b_json" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["matches"])')
  b_build=$(echo "$b_json" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["build_s"])')
  printf 'rust-baseline ac-default (aho-corasick LL + word filter)\tcorpus_100mb.txt\t2\t%s\t%s\t%s\t%s\tround %s\n' "$b_wall" "$b_rss" "$b_matches" "$b_build" "$round" >> "$RAW"
  printf 'gaztag tag -g gazetteer.tsv (all defaults)\tcorpus_100mb.jsonl\t2\t%s\t%s\t%s\t%s\tround %s\n' "$g_wall" "$g_rss" "$(gaztag_matches)" "$STARTUP" "$round" >> "$RAW"
done
RATIO=$(printf '%s\n' "${RATIOS[@]}" | sort -n | awk '{a[NR] = $1} END {print a[int((NR + 1) / 2)]}')

echo "other rows:" >&2
timed "gaztag -j1" 100mb 1 "$GAZTAG" tag -j 1 -g "$DICT" "$DATA/corpus_100mb.jsonl" -o "$OUT/gaztag.jsonl"
printf 'gaztag tag -g gazetteer.tsv (all defaults)\tcorpus_100mb.jsonl\t1\t%s\t%s\t%s\t%s\t\n' "$LAST_WALL" "$LAST_RSS" "$(gaztag_matches)" "$STARTUP" >> "$RAW"
timed "baseline -j1" 100mb 1 "$BASE" ac-default "$DICT" "$DATA/corpus_100mb.txt"
printf 'rust-baseline ac-default (aho-corasick LL + word filter)\tcorpus_100mb.txt\t1\t%s\t%s\t%s\t\t\n' "$LAST_WALL" "$LAST_RSS" "$(tail -n 1 "$OUT/stdout" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["matches"])')" >> "$RAW"
timed "gaztag plain" 100mb 2 "$GAZTAG" tag -j 2 -g "$DICT" --case insensitive --no-discovery --no-coref --no-disambiguation "$DATA/corpus_100mb.jsonl" -o "$OUT/gaztag.jsonl"
printf 'gaztag tag --case insensitive, heuristics off\tcorpus_100mb.jsonl\t2\t%s\t%s\t%s\t%s\t\n' "$LAST_WALL" "$LAST_RSS" "$(gaztag_matches)" "$STARTUP" >> "$RAW"
timed "baseline exact" 100mb 2 "$BASE" ac-exact "$DICT" "$DATA/corpus_100mb.txt" --threads 2
printf 'rust-baseline ac-exact (reference match count)\tcorpus_100mb.txt\t2\t%s\t%s\t%s\t\t\n' "$LAST_WALL" "$LAST_RSS" "$(tail -n 1 "$OUT/stdout" | python3 -c 'import json,sys; print(json.loads(sys.stdin.read())["matches"])')" >> "$RAW"
timed "gaztag 300 MB" 300mb 2 "$GAZTAG" tag -j 2 -g "$DICT" "$BIG" -o "$OUT/gaztag.jsonl"
printf 'gaztag tag -g gazetteer.tsv (all defaults)\tcorpus_100mb.jsonl ×3\t2\t%s\t%s\t%s\t%s\t300 MB\n' "$LAST_WALL" "$LAST_RSS" "$(gaztag_matches)" "$STARTUP" >> "$RAW"
if [ -e "$DATA/news_2017.jsonl" ]; then
  timed "gaztag news" news 2 "$GAZTAG" tag -j 2 "$DATA/news_2017.jsonl" -o "$OUT/gaztag.jsonl"
  printf 'gaztag tag, default gazetteer (news)\tnews_2017.jsonl\t2\t%s\t%s\t%s\t\t\n' "$LAST_WALL" "$LAST_RSS" "$(gaztag_matches)" >> "$RAW"
fi

if [ -x "$PY" ] && [ -n "$PEERS" ]; then
  PEER_TEXT=$DATA/corpus_10mb.txt
  [ "${PEERS_FULL:-0}" = 1 ] && PEER_TEXT=$DATA/corpus_100mb.txt
  for peer in pyahocorasick_bench.py ahocorasick_rs_bench.py flashtext_bench.py spacy_bench.py; do
    [ -e "$PEERS/$peer" ] || continue
    if ! (cd "$PEERS" && timed "$peer" "$(basename "$PEER_TEXT")" 1 "$PY" "$peer" "$DICT" "$PEER_TEXT"); then
      echo "  $peer failed" >&2; continue
    fi
    read -r wall rss < "$TIMES"
    json=$(tail -n 1 "$OUT/stdout")
    echo "$json" | python3 -c '
import json, sys
r = json.loads(sys.stdin.read())
print("\t".join([r["contestant"], sys.argv[1], "1", sys.argv[2], sys.argv[3], str(r["matches"]), str(r["build_s"]), "scan %.2f s = %.1f MB/s (its own timer)" % (r["scan_s"], r["mb_s"])]))
' "$(basename "$PEER_TEXT")" "$wall" "$rss" >> "$RAW"
  done
fi

python3 - "$RAW" "$RATIO" "${RATIOS[*]}" "$DATA" <<'PY' | tee "$OUT/table.md"
import csv, os, sys
raw, ratio, ratios, data = sys.argv[1], float(sys.argv[2]), sys.argv[3], sys.argv[4]
rows = list(csv.DictReader(open(raw), delimiter="\t"))
def size(name):
    """MB (10^6 bytes) of an input, from the file itself."""
    times = 3 if name.endswith(" ×3") else 1
    path = os.path.join(data, name.removesuffix(" ×3"))
    return times * os.path.getsize(path) / 1e6 if os.path.exists(path) else None
baseline = [float(r["wall_s"]) for r in rows if r["row"].startswith("rust-baseline ac-default") and r["threads"] == "2"]
base_wall = sorted(baseline)[len(baseline) // 2] if baseline else None
print("| contestant | input | threads | wall s | MB/s (whole process) | build s | peak RSS MB | matches | baseline wall ÷ this |")
print("|---|---|--:|--:|--:|--:|--:|--:|--:|")
for r in rows:
    wall = float(r["wall_s"])
    mb = size(r["input"])
    speed = f"{mb / wall:.1f}" if mb else ""
    rel = f"{base_wall / wall:.2f}" if base_wall and mb and 99 < mb < 101 else ""
    note = f" ({r['note']})" if r["note"] else ""
    print(f"| {r['row']}{note} | {r['input']} | {r['threads']} | {wall:.2f} | {speed} | {r['build_s']} | {int(r['rss_kb']) / 1024:.0f} | {r['matches']} | {rel} |")
print()
print(f"Side by side (gaztag tag -j 2 -g gazetteer.tsv corpus_100mb.jsonl -o out.jsonl against rust-baseline ac-default gazetteer.tsv corpus_100mb.txt --threads 2, alternating): per-round ratios {ratios}; **median ratio baseline ÷ gaztag = {ratio:.2f}**.")
PY
echo "raw timings: $RAW" >&2
