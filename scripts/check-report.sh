#!/usr/bin/env bash
# Opens `gaztag report` pages in headless Chromium (Debian's `chromium`, driven by
# playwright-core) and checks they load offline with no console error and no network
# request, draw every chart with the embedded numbers, and answer hover, zoom, click
# and search (scripts/report-browser/check-report.mjs); every bar, node and link is
# hovered, and pages made from hostile data (tests/fixtures/report/hostile*: markup,
# handlers, javascript: URLs and </script> in names, ids, types, sources, document ids
# and the title) must show it all as text, open no dialog and grow no element of their
# own. Run by .ci/run; installs
# chromium with apt-get and playwright-core with npm when they are missing.
#
# usage: scripts/check-report.sh [OUT_DIR]   (default: target/report-check)
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-target/report-check}
mkdir -p "$OUT"
if ! command -v chromium > /dev/null; then
  apt-get install -y -q chromium > /dev/null 2>&1 ||
    { apt-get update -q > /dev/null && apt-get install -y -q chromium > /dev/null; }
fi
(cd scripts/report-browser && npm ci --no-audit --no-fund --silent)
# The debug build `cargo test` has just made: the fixtures are small.
cargo build -q
GAZTAG=target/debug/gaztag

# Tagged on the fly: dated, sourced wire stories with contexts.
"$GAZTAG" report --tag tests/fixtures/report/wire.jsonl -o "$OUT/wire.html" --title "Kazakhstan, January 2022"
node scripts/report-browser/check-report.mjs "$OUT/wire.html" "$OUT/wire.png"
# From tagged JSONL of the repo's samples: no dates, sources or texts.
"$GAZTAG" tag samples/ -q -o "$OUT/samples.jsonl"
"$GAZTAG" report "$OUT/samples.jsonl" -o "$OUT/samples.html" --min-count 1
node scripts/report-browser/check-report.mjs "$OUT/samples.html" "$OUT/samples.png"
# The same with no network at all (no pair shares 2 documents).
"$GAZTAG" report "$OUT/samples.jsonl" -o "$OUT/no-network.html"
node scripts/report-browser/check-report.mjs "$OUT/no-network.html" "$OUT/no-network.png"
# Hostile data: a gazetteer and articles tagged on the fly (names, ids, sources,
# document ids, contexts, title), and tagged JSONL (types, U+2028 in names).
"$GAZTAG" report --tag -g tests/fixtures/report/hostile.yaml tests/fixtures/report/hostile.jsonl \
  --min-count 1 -o "$OUT/hostile.html" \
  --title '<script>alert("title")</script></title><img src=x onerror=alert("title")>'
node scripts/report-browser/check-report.mjs "$OUT/hostile.html" "$OUT/hostile.png"
"$GAZTAG" report tests/fixtures/report/hostile-tagged.jsonl --min-count 1 -o "$OUT/hostile-tagged.html" \
  --title 'javascript:alert("title")'
node scripts/report-browser/check-report.mjs "$OUT/hostile-tagged.html" "$OUT/hostile-tagged.png"
