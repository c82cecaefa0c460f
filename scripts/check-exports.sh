#!/usr/bin/env bash
# Reads gaztag's spaCy and CoNLL exports back with spaCy itself, as a user would:
# the spaCy JSONL through spacy.blank("en") + Doc.char_span, and the CoNLL file
# through `spacy convert --converter ner`, whose entities must be the mentions.
# Not in CI (spaCy is a large install). Needs a Python with spaCy: PYTHON, or the
# benchmark's venv (bash ../shared/bench/setup.sh), or a venv it makes in $SCRATCH.
#
# usage: scripts/check-exports.sh [INPUT...]   (default: samples/)
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-${XDG_CACHE_HOME:-$HOME/.cache}/gaztag-exports}
PYTHON=${PYTHON:-${XDG_CACHE_HOME:-$HOME/.cache}/gaztag-bench/venv/bin/python}
if ! "$PYTHON" -c "import spacy" 2>/dev/null; then
  python3 -m venv "$SCRATCH/venv"
  "$SCRATCH/venv/bin/pip" install -q spacy
  PYTHON=$SCRATCH/venv/bin/python
fi
INPUTS=("$@")
[ ${#INPUTS[@]} -gt 0 ] || INPUTS=(samples/)
OUT=$(mktemp -d)
trap 'rm -rf "$OUT"' EXIT
cargo build --release -q
GAZTAG=target/release/gaztag

"$GAZTAG" tag --format spacy "${INPUTS[@]}" -o "$OUT/spacy.jsonl" --quiet
"$PYTHON" scripts/check_spacy_export.py "$OUT/spacy.jsonl"

"$GAZTAG" tag --format conll "${INPUTS[@]}" -o "$OUT/export.conll" --quiet
"$PYTHON" -m spacy convert "$OUT/export.conll" "$OUT" --converter ner > /dev/null
"$PYTHON" - "$OUT/export.spacy" "$OUT/spacy.jsonl" <<'PY'
import json, sys
import spacy
from spacy.tokens import DocBin
nlp = spacy.blank("en")
docs = list(DocBin().from_disk(sys.argv[1]).get_docs(nlp.vocab))
converted = [(e.text, e.label_) for d in docs for e in d.ents]
exported = []
for line in open(sys.argv[2], encoding="utf-8"):
    r = json.loads(line)
    exported += [(" ".join(r["text"][s["start"]:s["end"]].split()), s["label"]) for s in r["spans"]]
print(f"spacy convert --converter ner: {len(docs)} documents, {len(converted)} entities; "
      f"the export has {len(exported)} mentions")
if converted != exported:
    diff = next(i for i, (a, b) in enumerate(zip(converted + [None], exported + [None])) if a != b)
    print(f"first difference at entity {diff}: {converted[diff:diff+2]} vs {exported[diff:diff+2]}")
    sys.exit(1)
print("every mention came back from the CoNLL file as a spaCy entity, in order")
PY

# The built-in gazetteer as spaCy EntityRuler patterns, loaded into spaCy and run on
# the same inputs: how many of gaztag's gazetteer mentions spaCy finds at the same
# characters with the same entity id (spaCy matches phrases case-sensitively and has
# none of gaztag's resolution, so the figure is a sanity check, not a score).
"$GAZTAG" convert --to spacy -o "$OUT/patterns.jsonl"
"$GAZTAG" tag --format spacy --no-discovery --no-coref "${INPUTS[@]}" -o "$OUT/plain.jsonl" --quiet
"$PYTHON" - "$OUT/patterns.jsonl" "$OUT/plain.jsonl" <<'PY'
import json, sys
import spacy
nlp = spacy.blank("en")
ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": None})
ruler.from_disk(sys.argv[1])
print(f"EntityRuler loaded {len(ruler.patterns)} patterns from gaztag convert --to spacy")
same = total = 0
for line in open(sys.argv[2], encoding="utf-8"):
    r = json.loads(line)
    doc = nlp(r["text"])
    found = {(e.start_char, e.end_char, e.ent_id_) for e in doc.ents}
    for s in r["spans"]:
        total += 1
        same += (s["start"], s["end"], s["kb_id"]) in found
print(f"spaCy found {same} of gaztag's {total} gazetteer mentions at the same characters with the same id")
PY

# The CSV export read by pandas, as an analyst would: one row per mention of gaztag's
# JSONL, in order, with the same ids, types, texts and offsets.
if "$PYTHON" -c "import pandas" 2>/dev/null; then
  "$GAZTAG" tag --format csv "${INPUTS[@]}" -o "$OUT/mentions.csv" --quiet
  "$GAZTAG" tag "${INPUTS[@]}" -o "$OUT/gaztag.jsonl" --quiet
  "$PYTHON" - "$OUT/mentions.csv" "$OUT/gaztag.jsonl" <<'PY'
import json, sys
import pandas as pd
df = pd.read_csv(sys.argv[1], keep_default_na=False, dtype=str)
rows = list(df[["doc", "id", "type", "text", "start", "end", "char_start", "char_end"]].itertuples(index=False, name=None))
want = []
for line in open(sys.argv[2], encoding="utf-8"):
    r = json.loads(line)
    want += [(r["doc"], m["id"], m["type"], m["text"], str(m["start"]), str(m["end"]),
              str(m["char_start"]), str(m["char_end"])) for m in r["entities"]]
print(f"pandas {pd.__version__} read_csv: {len(df)} rows, {df['doc'].nunique()} documents; gaztag's JSONL has {len(want)} mentions")
if rows != want:
    i = next(i for i, (a, b) in enumerate(zip(rows + [None], want + [None])) if a != b)
    print(f"first difference at row {i}: {rows[i:i+1]} vs {want[i:i+1]}")
    sys.exit(1)
print("every CSV row is gaztag's mention, in order")
PY
fi
