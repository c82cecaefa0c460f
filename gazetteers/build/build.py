"""Regenerates the default gazetteers, or checks that the committed files are current.

    pip install -r gazetteers/build/requirements.txt
    python3 gazetteers/build/build.py           # rewrite the generated files
    python3 gazetteers/build/build.py --check   # generate into a temp dir and compare

Runs every generator (places, organizations, people), then checks the whole default set
(generated and hand-curated files): ids unique across files, every alias clean, attrs
strings; prints counts per type and file, and what was dropped and why.
"""
from __future__ import annotations

import filecmp
import sys
import tempfile
from collections import Counter
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

import build_lexicon  # noqa: E402
import build_organizations  # noqa: E402
import build_people  # noqa: E402
import build_places  # noqa: E402
from common import GAZ_DIR, Log, hygiene_problem  # noqa: E402

GENERATORS = [build_places, build_organizations, build_people, build_lexicon]


def generate(out_dir: Path, log: Log) -> list[Path]:
    paths: list[Path] = []
    for generator in GENERATORS:
        paths.extend(generator.build(out_dir, log))
    return paths


def verify(files: list[Path], root: Path) -> None:
    ids: dict[str, Path] = {}
    per_type: Counter = Counter()
    aliases_per_type: Counter = Counter()
    problems = []
    for path in sorted(files):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        kind = doc["type"]
        for e in doc["entities"]:
            where = f"{path.relative_to(root)}: {e.get('id')}"
            if e["id"] in ids:
                problems.append(f"{where}: duplicate id (also in {ids[e['id']].relative_to(root)})")
            ids[e["id"]] = path
            t = e.get("type", kind)
            per_type[t] += 1
            forms = [e["name"]] + e.get("aliases", [])
            aliases_per_type[t] += len(forms)
            # Forms may differ only by case ("NATO", "Nato"): each has its own case rule.
            if len(set(forms)) != len(forms):
                problems.append(f"{where}: repeated alias")
            for a in e.get("aliases", []):
                why = hygiene_problem(a, allow_common=True)
                if why:
                    problems.append(f"{where}: alias {a!r}: {why}")
            for k, v in (e.get("attrs") or {}).items():
                if not isinstance(v, str):
                    problems.append(f"{where}: attr {k} is not a string")
        print(f"{str(path.relative_to(root)):45} {len(doc['entities']):>7} entities")
    for t in sorted(per_type):
        print(f"{t:4} {per_type[t]:>7,} entities {aliases_per_type[t]:>8,} names and aliases")
    if problems:
        print("\n".join(problems[:50]), file=sys.stderr)
        raise SystemExit(f"{len(problems)} problems")


def main() -> None:
    check = "--check" in sys.argv[1:]
    log = Log()
    if check:
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp)
            generated = generate(out, log)
            stale = []
            for path in generated:
                committed = GAZ_DIR / path.relative_to(out)
                if not committed.exists() or not filecmp.cmp(path, committed, shallow=False):
                    stale.append(str(committed.relative_to(GAZ_DIR.parent)))
            if stale:
                raise SystemExit("stale generated gazetteers (run gazetteers/build/build.py): " + ", ".join(stale))
            print(f"{len(generated)} generated gazetteers are current")
        return
    generated = generate(GAZ_DIR, log)
    print(log.report())
    curated = sorted((GAZ_DIR / "curated").rglob("*.yaml"))
    verify([p for p in generated if p.suffix == ".yaml"] + curated, GAZ_DIR)


if __name__ == "__main__":
    main()
