#!/usr/bin/env python3
"""Build the gaztag evaluation set from the hand-annotated articles.

Reads tests/eval/articles/*.txt (sorted by file name), where every entity
mention is marked inline as

    [[surface text|TYPE]]                  (canonical name = surface text)
    [[surface text|TYPE|Canonical Name]]

with TYPE one of PER, ORG, LOC, and writes next to this script:

    articles.jsonl  {"id": "NN-slug", "text": <text without markup>}
    gold.jsonl      {"doc": "NN-slug", "text": ..., "entities": [
                        {"char_start", "char_end", "type", "name", "text"}]}

Offsets are Unicode code points into the markup-free text, end exclusive.
Stdlib only and deterministic: the same articles give byte-identical files.
Any malformed markup aborts with FILE:LINE:COLUMN: MESSAGE and exit code 1.

The wire set (tests/eval/wire/: results tables, match reports, business wire,
lists of names, all-caps bulletins) is kept apart so that the main set's score
stays comparable; --wire reads wire/articles/*.txt and writes wire/*.jsonl.

Usage: python3 tests/eval/build_gold.py [--check] [--wire]
  --check  do not write; fail if the committed JSONL files are out of date.
  --wire   build the wire set (tests/eval/wire/) instead of the main set.
"""

import json
import re
import sys
import unicodedata
from pathlib import Path

HERE = Path(__file__).resolve().parent
ARTICLES = HERE / "articles"
TYPES = ("PER", "ORG", "LOC")
NAME_RE = re.compile(r"^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*\.txt$")


class MarkupError(Exception):
    pass


def where(src, pos):
    line = src.count("\n", 0, pos) + 1
    col = pos - (src.rfind("\n", 0, pos) + 1) + 1
    return f"{line}:{col}"


def parse(src, fname):
    """Return (plain text, entities) for one annotated article."""
    out = []  # pieces of plain text
    n = 0  # code points emitted so far
    ents = []
    i = 0
    while i < len(src):
        j = src.find("[[", i)
        k = src.find("]]", i)
        if k != -1 and (j == -1 or k < j):
            raise MarkupError(f"{fname}:{where(src, k)}: ']]' without an opening '[['")
        if j == -1:
            chunk = src[i:]
            if "|" in chunk:
                p = i + chunk.index("|")
                raise MarkupError(f"{fname}:{where(src, p)}: '|' outside a mention")
            out.append(chunk)
            n += len(chunk)
            break
        chunk = src[i:j]
        if "|" in chunk:
            p = i + chunk.index("|")
            raise MarkupError(f"{fname}:{where(src, p)}: '|' outside a mention")
        out.append(chunk)
        n += len(chunk)
        end = src.find("]]", j + 2)
        if end == -1:
            raise MarkupError(f"{fname}:{where(src, j)}: '[[' is never closed")
        body = src[j + 2:end]
        if "[[" in body:
            raise MarkupError(f"{fname}:{where(src, j)}: nested '[[' inside a mention")
        if "\n" in body:
            raise MarkupError(f"{fname}:{where(src, j)}: mention spans a line break")
        parts = body.split("|")
        if len(parts) not in (2, 3):
            raise MarkupError(
                f"{fname}:{where(src, j)}: expected [[surface|TYPE]] or "
                f"[[surface|TYPE|Canonical]], got [[{body}]]")
        surface, typ = parts[0], parts[1]
        name = parts[2] if len(parts) == 3 else surface
        if not surface or surface != surface.strip():
            raise MarkupError(f"{fname}:{where(src, j)}: empty surface or surface with outer spaces: {surface!r}")
        if typ not in TYPES:
            raise MarkupError(f"{fname}:{where(src, j)}: unknown type {typ!r} (want one of {', '.join(TYPES)})")
        if not name or name != name.strip():
            raise MarkupError(f"{fname}:{where(src, j)}: empty canonical name or one with outer spaces: {name!r}")
        if len(parts) == 3 and name == surface:
            raise MarkupError(f"{fname}:{where(src, j)}: canonical name equals the surface; omit it")
        ents.append({"char_start": n, "char_end": n + len(surface),
                     "type": typ, "name": name, "text": surface})
        out.append(surface)
        n += len(surface)
        i = end + 2
    text = "".join(out)
    return text, ents


def check_article(text, ents, fname):
    if unicodedata.normalize("NFC", text) != text:
        raise MarkupError(f"{fname}: text is not NFC-normalised")
    if "\r" in text or "\t" in text:
        raise MarkupError(f"{fname}: carriage return or tab in text")
    lines = text.split("\n")
    if len(lines) < 3 or not lines[0].strip() or lines[1] != "":
        raise MarkupError(f"{fname}: first line must be a headline followed by a blank line")
    if not text.endswith("\n") or text.endswith("\n\n"):
        raise MarkupError(f"{fname}: text must end with exactly one newline")
    prev_end = 0
    for e in ents:
        s, t = e["char_start"], e["char_end"]
        if text[s:t] != e["text"]:
            raise MarkupError(f"{fname}: span {s}-{t} is {text[s:t]!r}, markup says {e['text']!r}")
        if s < prev_end:
            raise MarkupError(f"{fname}: overlapping spans at {s}")
        # A mention must sit on word boundaries: no letter or digit glued to it.
        before = text[s - 1] if s > 0 else " "
        after = text[t] if t < len(text) else " "
        if before.isalnum():
            raise MarkupError(f"{fname}: mention {e['text']!r} at {s} starts inside a word")
        if after.isalnum():
            raise MarkupError(f"{fname}: mention {e['text']!r} at {s} ends inside a word")
        prev_end = t


def build(articles_dir=ARTICLES):
    files = sorted(p for p in articles_dir.iterdir() if p.suffix == ".txt")
    if not files:
        raise MarkupError(f"{articles_dir}: no articles")
    articles, gold = [], []
    for p in files:
        if not NAME_RE.match(p.name):
            raise MarkupError(f"{p.name}: file name must look like NN-slug.txt")
        src = p.read_text(encoding="utf-8")
        text, ents = parse(src, p.name)
        check_article(text, ents, p.name)
        doc = p.stem
        articles.append({"id": doc, "text": text})
        gold.append({"doc": doc, "text": text, "entities": ents})
    ids = [a["id"] for a in articles]
    prefixes = [i[:2] for i in ids]
    if len(set(prefixes)) != len(prefixes):
        raise MarkupError("two articles share a number prefix")
    dump = lambda rows: "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    return dump(articles), dump(gold), gold


def main(argv):
    check = "--check" in argv[1:]
    wire = "--wire" in argv[1:]
    unknown = [a for a in argv[1:] if a not in ("--check", "--wire")]
    if unknown:
        print(__doc__, file=sys.stderr)
        return 2
    base = HERE / "wire" if wire else HERE
    try:
        arts, gold, rows = build(base / "articles")
    except MarkupError as e:
        print(f"error: {e}", file=sys.stderr)
        return 1
    targets = {base / "articles.jsonl": arts, base / "gold.jsonl": gold}
    if check:
        stale = [p.name for p, s in targets.items()
                 if not p.exists() or p.read_text(encoding="utf-8") != s]
        if stale:
            print(f"error: out of date: {', '.join(stale)}; run python3 tests/eval/build_gold.py"
                  + (" --wire" if wire else ""), file=sys.stderr)
            return 1
    else:
        for p, s in targets.items():
            p.write_text(s, encoding="utf-8")
    counts = {t: 0 for t in TYPES}
    for r in rows:
        for e in r["entities"]:
            counts[e["type"]] += 1
    total = sum(counts.values())
    print(f"{len(rows)} articles, {total} mentions: "
          + ", ".join(f"{t} {counts[t]}" for t in TYPES))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
