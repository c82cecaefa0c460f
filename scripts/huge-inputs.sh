#!/usr/bin/env bash
# Times the two big inputs of the reliability matrix with the release binary: a
# 200 MB single-line document, and a gazetteer of 1,000,000 aliases. Prints wall
# seconds and peak RSS for each (GNU time). Not run in CI: timings never are.
#
# usage: scripts/huge-inputs.sh [SCRATCH=/tmp/gaztag-huge]
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${1:-/tmp/gaztag-huge}
mkdir -p "$SCRATCH"
cargo build --release -q
GAZTAG=$PWD/target/release/gaztag

# 200 MB of news-like prose on one line: the reference article's lines joined by
# spaces, repeated.
LINE=$SCRATCH/line-200mb.txt
if [ ! -e "$LINE" ]; then
  python3 - "$LINE" <<'PY'
import pathlib, sys
text = pathlib.Path("samples").glob("*.txt")
unit = " ".join(" ".join(p.read_text().split()) for p in sorted(text)) + " "
out = (unit * (200_000_000 // len(unit) + 1))[:200_000_000]
pathlib.Path(sys.argv[1]).write_text(out.rsplit(" ", 1)[0])
PY
fi
/usr/bin/time -f "200 MB single line: %e s, peak %M KB" \
  "$GAZTAG" tag "$LINE" -o "$SCRATCH/line.jsonl" --quiet

# 1,000,000 aliases: 500,000 entities of two rows each.
MILLION=$SCRATCH/million.tsv
if [ ! -e "$MILLION" ]; then
  python3 - "$MILLION" <<'PY'
import sys
with open(sys.argv[1], "w") as f:
    f.write("name\ttype\tid\n")
    for i in range(1_000_000):
        f.write(f"Place {i:07} Heights\tLOC\tplace-{i // 2}\n")
PY
fi
echo "From Place 0999999 Heights to Place 0000000 Heights." > "$SCRATCH/small.txt"
/usr/bin/time -f "1,000,000-alias TSV, load + tag one line: %e s, peak %M KB" \
  "$GAZTAG" tag -g "$MILLION" "$SCRATCH/small.txt" -o "$SCRATCH/small.jsonl" --quiet
