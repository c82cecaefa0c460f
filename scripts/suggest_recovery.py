#!/usr/bin/env python3
"""How much of what a gazetteer lacks does `gaztag suggest` find, and with what type?

On the evaluation set (tests/eval/gold.jsonl), a share of the built-in entities that
the gold annotates is removed from the gazetteer; suggest then runs on the gold texts
with the reduced gazetteer, and each removed entity counts as recovered when a
suggestion carries its name or one of its aliases, and as typed right when that
suggestion's type is the gold type. Also reported: the share of all suggestions that
are gold mentions (any entity, removed or never listed), and the misses, for reading.

usage: python3 scripts/suggest_recovery.py [--fraction F] [--seeds N] [--misses]
"""
from __future__ import annotations

import argparse
import csv
import io
import json
import random
import subprocess
import sys
import tempfile
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLD = ROOT / "tests" / "eval" / "gold.jsonl"
GAZTAG = ROOT / "target" / "release" / "gaztag"


def gaztag(*args: str) -> str:
    return subprocess.run([str(GAZTAG), *args], check=True, capture_output=True, text=True).stdout


def gazetteer() -> tuple[list[list[str]], dict[str, dict]]:
    """The built-in set as TSV rows, and per id its name, type and forms."""
    rows = list(csv.reader(io.StringIO(gaztag("convert", "--to", "tsv")), delimiter="\t",
                           quoting=csv.QUOTE_NONE))
    entities: dict[str, dict] = {}
    for row in rows[1:]:
        form, kind, eid = row[0], row[1], row[2]
        e = entities.setdefault(eid, {"name": form, "type": kind, "forms": set()})
        e["forms"].add(form.lower())
    return rows, entities


def gold() -> list[dict]:
    return [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines() if line.strip()]


def run(fraction: float, seed: int, rows, entities, docs, show_misses: bool) -> dict:
    by_name = defaultdict(list)
    for eid, e in entities.items():
        by_name[(e["name"], e["type"])].append(eid)
    in_gold = sorted({eid for d in docs for m in d["entities"]
                      for eid in by_name.get((m["name"], m["type"]), [])})
    removed = set(random.Random(seed).sample(in_gold, round(len(in_gold) * fraction)))
    with tempfile.TemporaryDirectory() as tmp:
        reduced = Path(tmp) / "reduced.tsv"
        with reduced.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, delimiter="\t", quoting=csv.QUOTE_NONE, escapechar="\\", lineterminator="\n")
            w.writerow(rows[0])
            w.writerows(r for r in rows[1:] if r[2] not in removed)
        out = gaztag("suggest", "-g", str(reduced), "--min-docs", "1", "--format", "json",
                     "--text-field", "text", "--id-field", "doc", "--input-format", "jsonl", str(GOLD))
    suggestions = json.loads(out)
    forms = {}
    for s in suggestions:
        for f in [s["name"], *s["aliases"]]:
            forms.setdefault(f.lower(), s)
    kept_forms = {f for eid, e in entities.items() if eid not in removed for f in e["forms"]}
    recovered = typed = covered = 0
    misses = []
    for eid in sorted(removed):
        e = entities[eid]
        # Every form the gold writes it with is still another entity's: the tagger
        # tags it as that one, and no suggestion can be expected.
        written = {d["text"][m["char_start"]:m["char_end"]].lower() for d in docs
                   for m in d["entities"] if m["name"] == e["name"] and m["type"] == e["type"]}
        if written and written <= kept_forms:
            covered += 1
            continue
        hit = next((forms[f] for f in sorted(e["forms"]) if f in forms), None)
        if hit is None:
            misses.append(f"not proposed: {e['name']} ({e['type']})")
            continue
        recovered += 1
        if hit["type"] == e["type"]:
            typed += 1
        else:
            misses.append(f"wrong type: {e['name']} ({e['type']}) proposed as {hit['name']} ({hit['type']})")
    gold_surfaces = {d["text"][m["char_start"]:m["char_end"]].lower() for d in docs for m in d["entities"]}
    in_gold_suggestions = sum(1 for s in suggestions
                              if any(f.lower() in gold_surfaces for f in [s["name"], *s["aliases"]]))
    if show_misses:
        for m in misses:
            print(f"  seed {seed}: {m}")
    return {"removed": len(removed) - covered, "covered": covered, "recovered": recovered, "typed": typed,
            "suggestions": len(suggestions), "gold_suggestions": in_gold_suggestions}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--fraction", type=float, default=0.5, help="share of the gold's entities removed")
    ap.add_argument("--seeds", type=int, default=5, help="random samples to average over")
    ap.add_argument("--misses", action="store_true", help="list every entity not recovered or mistyped")
    args = ap.parse_args()
    subprocess.run(["cargo", "build", "--release", "-q"], cwd=ROOT, check=True)
    rows, entities = gazetteer()
    docs = gold()
    totals = defaultdict(int)
    print("seed  removed  still known  recovered  typed right  suggestions  of them gold mentions")
    for seed in range(1, args.seeds + 1):
        r = run(args.fraction, seed, rows, entities, docs, args.misses)
        for k, v in r.items():
            totals[k] += v
        print(f"{seed:4}  {r['removed']:7}  {r['covered']:11}  {r['recovered']:9}  {r['typed']:11}  {r['suggestions']:11}  "
              f"{r['gold_suggestions']:21}")
    print(f"recovered {totals['recovered']} of {totals['removed']} removed entities "
          f"(and {totals['covered']} removed ones still tagged as another entity with their forms) "
          f"({totals['recovered'] / totals['removed']:.1%}); type right for {totals['typed']} of them "
          f"({totals['typed'] / max(totals['recovered'], 1):.1%}); "
          f"{totals['gold_suggestions'] / max(totals['suggestions'], 1):.1%} of suggestions are gold mentions")


if __name__ == "__main__":
    sys.exit(main())
