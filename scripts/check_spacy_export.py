"""Loads `gaztag tag --format spacy` output into spaCy as a user would: each record's
text through spacy.blank("en"), each span through Doc.char_span. Counts the spans that
fall on spaCy's token boundaries (strict mode) and lists the others, which sit inside a
token spaCy's rules do not split ("Inc." kept whole, a name glued to a stray '?'); those
are checked to cover exactly the exported text once expanded to whole tokens' span.
Sets the strict spans as the document's entities (spaCy refuses overlaps). Exits 1 if a
span is off the text or the entities cannot be set.

usage: python scripts/check_spacy_export.py EXPORT.jsonl
"""

import json
import sys
from collections import Counter

import spacy


def main(path):
    nlp = spacy.blank("en")
    docs = spans = 0
    misaligned = []
    errors = 0
    with open(path, encoding="utf-8") as f:
        for line_no, line in enumerate(f, 1):
            record = json.loads(line)
            text = record["text"]
            doc = nlp.make_doc(text)
            ents = []
            for s in record["spans"]:
                spans += 1
                span = doc.char_span(s["start"], s["end"], label=s["label"], kb_id=s["kb_id"])
                if span is not None:
                    ents.append(span)
                    continue
                wide = doc.char_span(s["start"], s["end"], alignment_mode="expand")
                if wide is None or not (wide.start_char <= s["start"] and s["end"] <= wide.end_char):
                    errors += 1
                    print(f"  line {line_no}: span {s} off the text")
                misaligned.append((line_no, text, s, wide.text if wide is not None else None))
            try:
                doc.ents = ents
            except ValueError as e:
                errors += 1
                print(f"  line {line_no}: entities refused: {e}")
            docs += 1
    strict = spans - len(misaligned)
    print(f"{docs} documents, {spans} spans: {strict} on spaCy token boundaries "
          f"({100 * strict / max(spans, 1):.1f}%), {len(misaligned)} inside a spaCy token")
    around = Counter()
    for _, text, s, _ in misaligned:
        around[(text[s["start"] - 1:s["start"]], text[s["end"]:s["end"] + 1])] += 1
    if around:
        print("  characters around the others (before, after):",
              ", ".join(f"{a!r}{b!r} {n}" for (a, b), n in around.most_common(8)))
    for line_no, text, s, wide in misaligned[:5]:
        print(f"  line {line_no}: {text[s['start']:s['end']]!r} inside spaCy's {wide!r}")
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
