"""Helpers for scripts/check-imports.sh: gaztag's `-g` import of spaCy EntityRuler
patterns and GATE gazetteers, checked against the tools themselves.

  fixtures DIR                    hand-written GATE lists (DIR/gate-hand/lists.def) and a
                                  probe text (DIR/probe.txt) with the awkward cases
  spacy-save BUILTIN.jsonl DIR    builds EntityRulers in spaCy (from gaztag's built-in
                                  patterns, and from hand-written token/phrase patterns)
                                  and saves them with spaCy's own to_disk
  spacy-compare RULER TAGGED      runs the ruler spaCy saved (loaded back with from_disk)
                                  on the texts of TAGGED (`gaztag tag --format spacy`
                                  output) and compares mentions: char span + entity id
  gate-from-tsv TSV DIR           the built-in gazetteer (`gaztag convert --to tsv`) as a
                                  GATE lists.def + one .lst per type
  gate-compare LISTS.def TAGGED   runs gatenlp's StringGazetteer (source_fmt "gate-def")
                                  on the texts of TAGGED and compares: span + type + minorType
  gate-features LISTS.def TSV     the .lst features gatenlp reads vs the attributes gaztag
                                  keeps (`gaztag convert -g LISTS.def --to tsv`)

The compare commands print the agreement (mentions both found alike / mentions either
found), sort every difference into a class with an example, and exit 1 when the
agreement is below --min or unexplained differences exceed --max-other.
"""

import argparse
import collections
import json
import os
import sys
import unicodedata

# --------------------------------------------------------------------------- fixtures

# Real entities, exercising each pattern shape gaztag says it reads: phrases, token lists
# of LOWER / ORTH / TEXT, shared ids, no id, labels beyond PER/LOC/ORG, one surface form
# for two entities, and token lists whose tokens are not separated by spaces in text.
HAND_PATTERNS = [
    {"label": "GPE", "pattern": "Almaty", "id": "almaty"},
    {"label": "GPE", "pattern": [{"LOWER": "alma"}, {"ORTH": "-"}, {"LOWER": "ata"}], "id": "almaty"},
    {"label": "GPE", "pattern": [{"ORTH": "Astana"}], "id": "astana"},
    {"label": "PERSON", "pattern": [{"ORTH": "Kassym"}, {"ORTH": "-"}, {"ORTH": "Jomart"}, {"ORTH": "Tokayev"}], "id": "tokayev"},
    {"label": "PERSON", "pattern": [{"TEXT": "Tokayev"}], "id": "tokayev"},
    {"label": "PERSON", "pattern": "Sergey Lavrov", "id": "lavrov"},
    {"label": "PERSON", "pattern": [{"LOWER": "sergei"}, {"LOWER": "lavrov"}], "id": "lavrov"},
    {"label": "ORG", "pattern": [{"ORTH": "CSTO"}], "id": "csto"},
    {"label": "ORG", "pattern": [{"LOWER": "collective"}, {"LOWER": "security"}, {"LOWER": "treaty"}, {"LOWER": "organization"}], "id": "csto"},
    {"label": "ORG", "pattern": "OPEC", "id": "opec"},
    {"label": "GPE", "pattern": [{"LOWER": "kazakhstan"}], "id": "kazakhstan"},
    {"label": "GPE", "pattern": "Türkiye", "id": "turkey"},
    {"label": "GPE", "pattern": [{"ORTH": "Turkey"}], "id": "turkey"},
    {"label": "PERSON", "pattern": "António Guterres", "id": "guterres"},
    {"label": "PERSON", "pattern": [{"ORTH": "Recep"}, {"ORTH": "Tayyip"}, {"ORTH": "Erdoğan"}], "id": "erdogan"},
    {"label": "ORG", "pattern": [{"ORTH": "U.N."}], "id": "un"},
    {"label": "ORG", "pattern": [{"ORTH": "UN"}], "id": "un"},
    {"label": "ORG", "pattern": [{"LOWER": "united"}, {"LOWER": "nations"}], "id": "un"},
    {"label": "ORG", "pattern": "World Health Organization", "id": "who"},
    {"label": "ORG", "pattern": [{"ORTH": "WHO"}], "id": "who"},
    {"label": "GPE", "pattern": [{"LOWER": "new"}, {"LOWER": "york"}], "id": "nyc"},
    {"label": "PERSON", "pattern": [{"ORTH": "Donald"}, {"ORTH": "Trump"}], "id": "trump"},
    {"label": "PERSON", "pattern": [{"ORTH": "Trump"}], "id": "trump"},
    {"label": "PERSON", "pattern": [{"LOWER": "mike"}, {"LOWER": "pence"}], "id": "pence"},
    {"label": "PERSON", "pattern": [{"TEXT": "Pence"}], "id": "pence"},
    {"label": "PERSON", "pattern": "Vladimir Putin", "id": "putin"},
    {"label": "ORG", "pattern": [{"LOWER": "al"}, {"ORTH": "-"}, {"LOWER": "qaeda"}], "id": "al-qaeda"},
    {"label": "ORG", "pattern": [{"LOWER": "fbi"}], "id": "fbi"},
    {"label": "ORG", "pattern": [{"ORTH": "Congress"}], "id": "congress"},
    {"label": "FAC", "pattern": [{"LOWER": "white"}, {"LOWER": "house"}], "id": "white-house"},
    {"label": "GPE", "pattern": "Washington", "id": "washington-dc"},
    {"label": "PERSON", "pattern": [{"ORTH": "George"}, {"ORTH": "Washington"}], "id": "george-washington"},
    {"label": "GPE", "pattern": "São Paulo", "id": "sao-paulo"},
    {"label": "GPE", "pattern": "Kyiv", "id": "kyiv"},
    {"label": "GPE", "pattern": [{"LOWER": "kiev"}], "id": "kyiv"},
    {"label": "NORP", "pattern": [{"LOWER": "russian"}]},
    {"label": "GPE", "pattern": "Moscow"},
    {"label": "ORG", "pattern": [{"ORTH": "Reuters"}]},
    {"label": "ORG", "pattern": "AT&T", "id": "att"},
    {"label": "ORG", "pattern": "Procter & Gamble", "id": "pg"},
]

# GATE lists: file -> (majorType, minorType, entries); features after a tab, as gatenlp's
# gate-def reader (source_sep "\t") and gaztag both read them.
GATE_LISTS = {
    "city.lst": ("location", "city", [
        "Almaty\tcountry=KZ", "Alma-Ata\tcountry=KZ", "Astana\tcountry=KZ", "Baku\tcountry=AZ",
        "Ashgabat\tcountry=TM", "Geneva\tcountry=CH", "Cairo\tcountry=EG", "Kyiv\tcountry=UA",
        "Kharkiv\tcountry=UA", "New York\tcountry=US", "São Paulo\tcountry=BR",
        "Washington\tcountry=US", "Moscow\tcountry=RU", "Vienna\tcountry=AT",
    ]),
    "country.lst": ("location", "country", [
        "Kazakhstan\tiso=KZ", "Azerbaijan\tiso=AZ", "Turkmenistan\tiso=TM", "Türkiye\tiso=TR",
        "Turkey\tiso=TR", "Egypt\tiso=EG", "Ukraine\tiso=UA", "Russia\tiso=RU",
        "Côte d'Ivoire\tiso=CI", "United States\tiso=US", "Georgia\tiso=GE",
    ]),
    "person.lst": ("person", "politician", [
        "Kassym-Jomart Tokayev", "Tokayev", "António Guterres", "Sergey Lavrov",
        "Recep Tayyip Erdoğan", "Vladimir Putin", "Donald Trump", "Mike Pence",
        "George Washington", "Washington", "Betsy DeVos",
    ]),
    "org.lst": ("organization", "company", [
        "KazMunayGas", "Interfax", "TASS", "Reuters", "AT&T", "Procter & Gamble",
        "Johnson & Johnson", "Goldman Sachs", "Exxon Mobil",
    ]),
    "intl.lst": ("organization", "international", [
        "United Nations", "International Committee of the Red Cross", "World Health Organization",
        "Collective Security Treaty Organization", "CSTO", "OPEC", "European Union",
        "International Monetary Fund",
    ]),
}

PROBE_TEXT = """\
ALMATY, Jan. 10 — President Kassym-Jomart Tokayev met Vladimir
Putin in Alma-Ata; Tokayev's aides and Kassym–Jomart Tokayev's office said TURKEY and Turkey
(Türkiye) would join. Recep Tayyip Erdogan spoke by phone from Sao Paulo and from São Paulo.
The UNICEF office, the UN office and the U.N. office, and un official, said new york and
New York and anti-Kyiv2 groups and Kiev and Kyiv matter. AT&T and Procter & Gamble and
Johnson & Johnson bought stakes; Goldman  Sachs advised. George Washington slept in Washington.
Mike Pence and mike pence and MIKE PENCE met the FBI and the fbi at the White House and al-Qaeda
and al - Qaeda were discussed in Congress and by Russian officials in Moscow, Reuters said.
Côte d’Ivoire and Côte d'Ivoire, Georgia and the CSTO's Collective Security Treaty Organization.
"""


def cmd_fixtures(args):
    os.makedirs(os.path.join(args.dir, "gate-hand"), exist_ok=True)
    with open(os.path.join(args.dir, "probe.txt"), "w", encoding="utf-8") as f:
        f.write(PROBE_TEXT)
    write_gate(os.path.join(args.dir, "gate-hand"), GATE_LISTS)
    print(f"GATE hand lists: {len(GATE_LISTS)} .lst files, "
          f"{sum(len(v[2]) for v in GATE_LISTS.values())} entries")


def write_gate(folder, lists):
    # No blank or comment lines: gatenlp's gate-def reader takes every line as a list.
    with open(os.path.join(folder, "lists.def"), "w", encoding="utf-8") as d:
        for name, (major, minor, entries) in lists.items():
            d.write(f"{name}:{major}:{minor}\n" if minor else f"{name}:{major}\n")
            with open(os.path.join(folder, name), "w", encoding="utf-8") as f:
                for e in entries:
                    f.write(e + "\n")


def cmd_gate_from_tsv(args):
    """One .lst per gaztag type; the entity id as a feature (`id=`)."""
    major = {"PER": "person", "LOC": "location", "ORG": "organization"}
    lists = {}
    skipped = collections.Counter()
    with open(args.tsv, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        for line in f:
            row = dict(zip(header, line.rstrip("\n").split("\t")))
            name = row["name"]
            if len(name) == 1 or (len(name) == 2 and name.endswith(".")):
                skipped["one-letter form (gaztag refuses it outside YAML/tables)"] += 1
                continue
            if "=" in name:
                skipped["'=' in the form (gatenlp's feature parser would choke)"] += 1
                continue
            t = row["type"]
            lists.setdefault(t, (major.get(t, t.lower()), "builtin-" + t.lower(), []))[2].append(name)
    renamed = {f"{t.lower()}.lst": v for t, v in lists.items()}
    os.makedirs(args.dir, exist_ok=True)
    write_gate(args.dir, renamed)
    n = sum(len(v[2]) for v in renamed.values())
    print(f"built-in gazetteer as GATE lists: {len(renamed)} .lst files, {n} entries"
          + "".join(f"; skipped {c}: {why}" for why, c in skipped.items()))
    # The same without the entries holding '&' (gaztag reads '&' as a feature separator,
    # GATE and gatenlp by default do not), to compare matching when the full set fails.
    amp = {k: (ma, mi, [e for e in es if "&" in e]) for k, (ma, mi, es) in renamed.items()}
    os.makedirs(args.dir + "-no-amp", exist_ok=True)
    write_gate(args.dir + "-no-amp", {k: (ma, mi, [e for e in es if "&" not in e])
                                      for k, (ma, mi, es) in renamed.items()})
    print(f"  and {args.dir}-no-amp without the {sum(len(v[2]) for v in amp.values())} "
          f"entries holding '&'")


# --------------------------------------------------------------------------- shared


def fold(s, case=True):
    """What gaztag treats as equal beyond exact text: diacritics, typographic
    punctuation, whitespace runs (and case, when case=True)."""
    out = []
    for ch in unicodedata.normalize("NFKD", s):
        cat = unicodedata.category(ch)
        if cat == "Mn":
            continue
        if cat == "Pd":
            ch = "-"
        elif cat in ("Pi", "Pf"):
            ch = '"' if ch in "“”«»„" else "'"
        out.append(ch)
    s = " ".join("".join(out).split())
    return s.casefold() if case else s


def is_word(ch):
    return ch.isalnum()


def label_type(label):
    u = label.strip().upper()
    return {"PERSON": "PER", "PEOPLE": "PER", "GPE": "LOC", "LOCATION": "LOC", "PLACE": "LOC",
            "ORGANIZATION": "ORG", "ORGANISATION": "ORG"}.get(u, u)


def read_tagged(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f]


class Report:
    def __init__(self, name):
        self.name = name
        self.same = 0
        self.only_g = 0
        self.only_t = 0
        self.relabel = 0
        self.classes = collections.Counter()
        self.examples = collections.defaultdict(list)
        self.n_examples = 1
        self.n_g = self.n_t = 0

    def diff(self, cls, example):
        self.classes[cls] += 1
        if len(self.examples[cls]) < self.n_examples:
            self.examples[cls].append(example)

    def print(self, tool, min_agree, max_other):
        union = self.same + self.relabel + self.only_g + self.only_t
        agree = self.same / union if union else 1.0
        other = self.classes.get("other (unexplained)", 0)
        print(f"[{self.name}] gaztag {self.n_g} mentions, {tool} {self.n_t}; same span and "
              f"entity {self.same}, same span other entity {self.relabel}, gaztag only "
              f"{self.only_g}, {tool} only {self.only_t}: agreement {agree:.4f} "
              f"({self.same}/{union})")
        for cls, n in self.classes.most_common():
            print(f"    {n:6d}  {cls}: {self.examples[cls][0]}")
            for ex in self.examples[cls][1:]:
                print(f"              {ex}")
        ok = agree >= min_agree and other <= max_other * max(union, 1)
        if not ok:
            print(f"[{self.name}] FAIL: agreement {agree:.4f} < {min_agree} or "
                  f"{other} unexplained > {max_other:.2%} of {union}")
        return 0 if ok else 1


def snippet(text, s, e, width=25):
    a = text[max(0, s - width):s].replace("\n", "⏎")
    m = text[s:e].replace("\n", "⏎")
    b = text[e:e + width].replace("\n", "⏎")
    return f"…{a}[{m}]{b}…"


# --------------------------------------------------------------------------- spaCy


def cmd_spacy_save(args):
    import spacy
    with open(args.builtin, encoding="utf-8") as f:
        builtin = [json.loads(line) for line in f if line.strip()]
    # The built-in patterns: a ruler saved alone, as the folder to_disk writes
    # (patterns.jsonl + cfg), the usual way to ship one.
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(builtin)
    ruler.to_disk(os.path.join(args.dir, "builtin-ruler"))
    print(f"spaCy {spacy.__version__}: EntityRuler with {len(ruler.patterns)} built-in patterns "
          f"(gaztag convert --to spacy) -> ruler.to_disk('builtin-ruler')")
    # The hand-written ones: a ruler saved to a .jsonl (to_disk's JSONL-only form), and
    # the same ruler inside a whole pipeline saved with nlp.to_disk.
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.add_patterns(HAND_PATTERNS)
    ruler.to_disk(os.path.join(args.dir, "hand-ruler.jsonl"))
    nlp.to_disk(os.path.join(args.dir, "hand-pipeline"))
    tok = sum(isinstance(p["pattern"], list) for p in ruler.patterns)
    print(f"spaCy: EntityRuler with {len(ruler.patterns)} hand-written patterns "
          f"({tok} token lists) -> ruler.to_disk('hand-ruler.jsonl') and "
          f"nlp.to_disk('hand-pipeline')")
    # What gaztag cannot take by design, saved the same way (reported, not fatal).
    for name, pats in {
        "refused-one-letter.jsonl": [{"label": "ORG", "pattern": "X", "id": "x-corp"}],
        "refused-same-id-two-labels.jsonl": [
            {"label": "ORG", "pattern": "Georgia", "id": "georgia"},
            {"label": "GPE", "pattern": "Georgia", "id": "georgia"}],
        "refused-lower-in.jsonl": [{"label": "GPE", "pattern": [{"LOWER": {"IN": ["kyiv", "kiev"]}}]}],
    }.items():
        n = spacy.blank("en")
        r = n.add_pipe("entity_ruler")
        r.add_patterns(pats)
        r.to_disk(os.path.join(args.dir, name))


def pattern_forms(path):
    """id -> list of (phrase, attr) as gaztag would join them; phrase -> ids."""
    forms = collections.defaultdict(list)
    by_phrase = collections.defaultdict(set)
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            p = json.loads(line)
            key = p.get("id") or ""
            if isinstance(p["pattern"], str):
                items = [("ORTH", p["pattern"])]
                phrase = p["pattern"]
            else:
                items = [next(iter(t.items())) for t in p["pattern"]]
                phrase = " ".join(v for _, v in items)
            attr = "LOWER" if any(a.upper() == "LOWER" for a, _ in items) else "ORTH"
            forms[key].append((phrase, attr, items))
            by_phrase[fold(phrase)].add(key)
    return forms, by_phrase


def cmd_spacy_compare(args):
    import spacy
    nlp = spacy.blank("en")
    ruler = nlp.add_pipe("entity_ruler")
    ruler.from_disk(args.ruler)
    patterns_file = args.ruler if args.ruler.endswith(".jsonl") else os.path.join(args.ruler, "patterns.jsonl")
    forms, by_phrase = pattern_forms(patterns_file)
    ids = set(forms)
    records = read_tagged(args.tagged)
    rep = Report(args.name)
    rep.n_examples = args.examples
    texts = [r["text"] for r in records]
    for r, doc in zip(records, nlp.pipe(texts, batch_size=64)):
        text = r["text"]
        g = {}
        for s in r["spans"]:
            kid = s["kb_id"] if s["kb_id"] in ids else "label:" + label_type(s["label"])
            g[(s["start"], s["end"])] = kid
        t = {}
        for e in doc.ents:
            kid = e.ent_id_ if e.ent_id_ else "label:" + label_type(e.label_)
            t[(e.start_char, e.end_char)] = kid
        rep.n_g += len(g)
        rep.n_t += len(t)
        for span in g.keys() | t.keys():
            a, b = g.get(span), t.get(span)
            if a == b:
                rep.same += 1
                continue
            s, e = span
            surface = text[s:e]
            ex = snippet(text, s, e) + f" gaztag={a} spaCy={b}"
            if a is not None and b is not None:
                rep.relabel += 1
                shared = len(by_phrase.get(fold(surface), ())) > 1
                rep.diff("one surface form, several entities: spaCy and gaztag pick different ones"
                         if shared else "other (unexplained)", ex)
                continue
            mine, theirs = (g, t) if a is not None else (t, g)
            kid = a if a is not None else b
            if a is not None:
                rep.only_g += 1
            else:
                rep.only_t += 1
            rep.diff(classify_spacy(a is not None, text, s, e, kid, theirs, forms, doc), ex)
    return rep.print("spaCy", args.min, args.max_other)


TITLES = {"Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Sir", "President", "King",
          "Queen", "Prince", "Pope", "Senator", "Sen.", "Governor", "Gov.", "General", "Gen.",
          "Minister", "Prime", "Chancellor", "Judge", "Justice", "Rep.", "Lord", "Lady", "Saint"}
STRONG_TITLES = {"Mr", "Mr.", "Mrs", "Mrs.", "Ms", "Ms.", "Dr", "Dr.", "Sir"}


def classify_convention(gaztag_only, text, s, e, other):
    """gaztag's resolution conventions that stay on with --no-discovery --no-coref
    --no-disambiguation (src/tag/resolve.rs): no leading "the", no person title in a span,
    no place right after Mr./Dr., no place glued to a capitalised word."""
    for os_, oe in other:
        if oe != e:
            continue
        lo, hi = (os_, s) if gaztag_only else (s, os_)
        if lo < hi:
            gap = text[lo:hi]
            if gap.lower() == "the ":
                return "leading 'the' kept outside the mention by gaztag (CoNLL convention)"
            if gap.endswith(" ") and gap[:-1] in TITLES:
                return "person title kept outside the mention by gaztag ('King Abdullah II')"
    if gaztag_only and text[max(0, s - 4):s].lower() == "the ":
        return "leading 'the' kept outside the mention by gaztag (CoNLL convention)"
    if not gaztag_only:
        before = text[:s].rstrip().rsplit(None, 1)
        if before and before[-1] in STRONG_TITLES:
            return "dropped by gaztag: a place right after Mr./Dr. is not the place"
        if regex_next_cap(text, e):
            return "dropped by gaztag: followed by a capitalised word, part of a longer unknown name"
    return None


def regex_next_cap(text, e):
    rest = text[e:e + 3]
    return len(rest) >= 2 and rest[0] == " " and rest[1].isupper()


def classify_spacy(gaztag_only, text, s, e, kid, other, forms, doc):
    """The reason one side has a mention at [s, e) that the other lacks. The mention's
    own reasons come first; an overlap with the other side's mention is the fallback
    (it is often the consequence: "Kassym–Jomart Tokayev" found by folding the dash,
    "Tokayev" by the other tool)."""
    surface = text[s:e]
    conv = classify_convention(gaztag_only, text, s, e, other)
    if conv:
        return conv
    over = any(os_ < e and s < oe for (os_, oe) in other)
    my_forms = forms.get(kid, []) if not kid.startswith("label:") else [f for v in forms.values() for f in v]
    if gaztag_only:
        squeezed = " ".join(surface.split())
        if squeezed != surface and any(fold(squeezed) == fold(p) for p, _, _ in my_forms):
            return "whitespace run or line break inside the name (gaztag matches it, spaCy's tokens don't)"
        if doc.char_span(s, e) is None:
            return "not on spaCy token boundaries (spaCy's tokenizer keeps the name glued to a neighbour)"
        if not any(surface == p for p, _, _ in my_forms):
            if any(fold(surface, case=False) == fold(p, case=False) for p, _, _ in my_forms):
                return "diacritic/typographic-punctuation folding (gaztag only)"
            if any(fold(surface) == fold(p) and attr == "ORTH" for p, attr, _ in my_forms):
                return "case: ORTH pattern matched in another case by gaztag (--case smart)"
            if any(fold(surface) == fold(p) for p, _, _ in my_forms):
                return "case: LOWER token whose value has capitals (spaCy never matches it)"
        if over:
            return "overlap: each tool kept a different one of overlapping candidates"
        return "other (unexplained)"
    # spaCy only
    if (s > 0 and is_word(text[s - 1]) and is_word(text[s])) or (e < len(text) and is_word(text[e]) and is_word(text[e - 1])):
        return "letter/digit touching the name: spaCy's tokenizer split it, gaztag's whole-word rule does not"
    for p, attr, items in my_forms:
        if fold(surface).replace(" ", "") == fold(p).replace(" ", "") and fold(surface) != fold(p):
            if len(items) > 1:
                return ("token list joined with spaces by gaztag: tokens written without spaces "
                        "in text (Alma-Ata for alma,-,ata) are not found")
            return ("spaCy matches a phrase's tokens whatever the spacing between them "
                    "(al - Qaeda for al-Qaeda); gaztag matches the text")
    for p, attr, items in my_forms:
        if attr == "LOWER" and surface != p and fold(surface) == fold(p):
            return "case: LOWER pattern, any case in spaCy, exact case under gaztag --case sensitive"
    if over:
        return "overlap: each tool kept a different one of overlapping candidates"
    return "other (unexplained)"


# --------------------------------------------------------------------------- GATE


GATE_MAJOR = {"person": "PER", "location": "LOC", "organization": "ORG"}


def gate_type(major):
    m = major.strip().lower()
    return GATE_MAJOR.get(m, "".join(c.upper() if c.isascii() and c.isalnum() else "_" for c in m))


TOKEN = None


def gatenlp_annotators(def_path):
    global TOKEN
    import regex
    from gatenlp.processing.gazetteer import StringGazetteer
    # Token annotations: runs of letters/marks/digits and single other characters, so a
    # match can start and end only where no letter or digit touches it (GATE's whole-word
    # matching, and gaztag's). (gatenlp's own tokenizers need NLTK; not worth the install.)
    TOKEN = regex.compile(r"[\p{L}\p{M}\p{N}]+|[^\p{L}\p{M}\p{N}\s]")

    def tok(doc):
        anns = doc.annset()
        for m in TOKEN.finditer(doc.text):
            anns.add(m.start(), m.end(), "Token")
    # GATE's default gazetteer is case-sensitive and longest-match-only.
    gaz = StringGazetteer(source=def_path, source_fmt="gate-def", longest_only=True,
                          skip_longest=True, start_type="Token", end_type="Token")
    return tok, gaz


def cmd_gate_compare(args):
    from gatenlp import Document
    tok, gaz = gatenlp_annotators(args.lists)
    print(f"gatenlp StringGazetteer: {len(gaz.list_features)} lists, {len(gaz)} entries from {args.lists}")
    entries = Entries(lst_entries(args.lists))
    records = read_tagged(args.tagged)
    rep = Report(args.name)
    rep.n_examples = args.examples
    for r in records:
        text = r["text"]
        doc = Document(text)
        tok(doc)
        gaz(doc)
        t = collections.defaultdict(set)
        for ann in doc.annset().with_type("Lookup"):
            f = ann.features
            t[(ann.start, ann.end)].add((gate_type(f["majorType"]), (f.get("minorType") or f["majorType"]).lower()))
        g = {}
        for s in r["spans"]:
            g[(s["start"], s["end"])] = (s["label"], s["kb_id"].split(":", 1)[0])
        rep.n_g += len(g)
        rep.n_t += sum(len(v) for v in t.values())
        for span in g.keys() | t.keys():
            a, b = g.get(span), t.get(span)
            if a is not None and b is not None and a in b:
                rep.same += 1
                continue
            s, e = span
            surface = text[s:e]
            ex = snippet(text, s, e) + f" gaztag={a} gatenlp={sorted(b) if b else None}"
            if a is not None and b is not None:
                rep.relabel += 1
                rep.diff("other (unexplained)", ex)
                continue
            other = t if a is not None else g
            if a is not None:
                rep.only_g += 1
            else:
                rep.only_t += 1
            rep.diff(classify_gate(a is not None, text, s, e, other, entries), ex)
    return rep.print("gatenlp", args.min, args.max_other)


def lst_entries(def_path):
    """The entries of every .lst a lists.def names (features after a tab dropped)."""
    entries = set()
    folder = os.path.dirname(def_path)
    with open(def_path, encoding="utf-8") as d:
        for line in d:
            if line.strip():
                with open(os.path.join(folder, line.split(":")[0]), encoding="utf-8") as f:
                    entries.update(l.rstrip("\n").split("\t")[0] for l in f if l.strip())
    return entries


def classify_gate(gaztag_only, text, s, e, other, entries):
    surface = text[s:e]
    over = [(os_, oe) for (os_, oe) in other if os_ < e and s < oe]
    amp_heads = entries.amp_heads
    if gaztag_only and (surface in amp_heads or any("&" in text[os_:oe] for os_, oe in over)):
        return "entry with '&' cut there by gaztag (read as a feature separator)"
    if not gaztag_only and "&" in surface:
        return "entry with '&' cut there by gaztag (read as a feature separator)"
    conv = classify_convention(gaztag_only, text, s, e, other)
    if conv:
        return conv
    if gaztag_only:
        if " ".join(surface.split()) != surface:
            return ("line break inside the name (gatenlp never matches across one)"
                    if "\n" in surface else "whitespace run inside the name")
        if surface not in entries:
            if fold(surface, case=False) in entries.nocase:
                return "diacritic/typographic-punctuation folding (gaztag only)"
            if fold(surface) in entries.case:
                return "case folding (gaztag --case smart; GATE lists are case-sensitive)"
    if over:
        return "overlapping match chosen differently"
    return "other (unexplained)"


class Entries(set):
    def __init__(self, items):
        super().__init__(items)
        self.nocase = {fold(x, case=False) for x in self}
        self.case = {fold(x) for x in self}
        self.amp_heads = {x.split("&")[0].strip() for x in self if "&" in x}


def cmd_gate_features(args):
    """Features on .lst entries (gatenlp's reading) vs attributes gaztag kept."""
    _, gaz = gatenlp_annotators(args.lists)
    with open(args.tsv, encoding="utf-8") as f:
        header = f.readline().rstrip("\n").split("\t")
        rows = [dict(zip(header, line.rstrip("\n").split("\t"))) for line in f]
    checked = bad = 0
    for row in rows:
        found = gaz.get(row["name"]) or []
        for feats in found:
            want = {k: v for k, v in feats.items() if k not in ("majorType", "minorType", "lang")}
            if not want:
                continue
            if not row.get("id", "").startswith(feats.get("minorType", feats["majorType"]).lower() + ":"):
                continue
            checked += 1
            got = {k: row.get(k, "") for k in want}
            if got != want:
                bad += 1
                print(f"    features of {row['name']!r}: gatenlp {want}, gaztag {got}")
    print(f"GATE entry features: {checked} entries with features compared, {bad} differ")
    return 1 if bad else 0


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = ap.add_subparsers(dest="cmd", required=True)
    p = sub.add_parser("fixtures"); p.add_argument("dir"); p.set_defaults(f=cmd_fixtures)
    p = sub.add_parser("spacy-save"); p.add_argument("builtin"); p.add_argument("dir"); p.set_defaults(f=cmd_spacy_save)
    for name, fn, first in (("spacy-compare", cmd_spacy_compare, "ruler"),
                            ("gate-compare", cmd_gate_compare, "lists")):
        p = sub.add_parser(name)
        p.add_argument(first)
        p.add_argument("tagged")
        p.add_argument("--name", default=name)
        p.add_argument("--min", type=float, default=0.0)
        p.add_argument("--max-other", type=float, default=1.0)
        p.add_argument("--examples", type=int, default=1, help="examples per class")
        p.set_defaults(f=fn)
    p = sub.add_parser("gate-from-tsv"); p.add_argument("tsv"); p.add_argument("dir"); p.set_defaults(f=cmd_gate_from_tsv)
    p = sub.add_parser("gate-features"); p.add_argument("lists"); p.add_argument("tsv"); p.set_defaults(f=cmd_gate_features)
    args = ap.parse_args()
    sys.exit(args.f(args) or 0)


if __name__ == "__main__":
    main()
