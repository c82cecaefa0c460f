"""Loads gaztag's doccano and brat exports into running doccano and brat servers over
HTTP, the requests their web pages make, and compares what the tools hold with the
mentions in gaztag's own JSONL for the same inputs. Driven by check-doccano-brat.sh,
which starts the servers; only the standard library is used here.

- doccano: logs in, creates a sequence-labelling project, uploads the JSONL through
  the filepond endpoint, starts the import (JSONL, utf_8, columns text/label, as the
  import page sends them), waits for the celery task, then reads every example and
  its spans back through the REST API. Each span must be one of gaztag's mentions,
  same characters and label, and the example's text at its offsets must be the
  mention's text; the number of examples and spans must be gaztag's.
- brat: lists the collection (getCollectionInformation) and loads each document
  (getDocument), which parses the .ann with brat's own TextAnnotations: it refuses a
  T line whose text is not the .txt at its offsets, reporting it in "messages". Each
  entity must be a mention (first fragment's start, last fragment's end, type), its
  AnnotatorNotes the entity id, and every error message counts as a mismatch.

usage: check_doccano_brat.py edge-cases OUT.jsonl
       check_doccano_brat.py wait URL [SECONDS]
       check_doccano_brat.py doccano URL USER PASSWORD EXPORT.jsonl GAZTAG.jsonl
       check_doccano_brat.py brat URL COLLECTION EXPORT.jsonl GAZTAG.jsonl
(EXPORT.jsonl is the doccano export, also read for each document's text; GAZTAG.jsonl
is `gaztag tag` on the same inputs, in the same order.)
"""

import json
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
import uuid
from collections import Counter, defaultdict
from concurrent.futures import ThreadPoolExecutor

SHOW = 10  # mismatches printed in full per check


def edge_cases(path):
    """Documents whose names sit across line breaks and other odd characters, as
    JSONL input for gaztag (names from the built-in gazetteer)."""
    docs = {
        "edge-crlf": "Talks in Ukraine\r\nThe United\r\nNations met in Gaza Strip.\r\n",
        "edge-cr": "Old Mac line\rUkraine\rthe United\rNations\r",
        "edge-blank-line": "Ukraine and the International Committee of the\n\nRed Cross met.\n",
        "edge-tab-nbsp": "Red Cross\tin\tGaza\tStrip, United\u00a0Nations.\n",
        "edge-astral": "\U0001F600 Ukraine \U0001D54F the United Nations \u2014 Ant\u00f3nio Guterres.\n",
        "edge-combining": "Anto\u0301nio Guterres met Ukraine's envoy.\n",
        "edge-unicode-breaks": "the United\u2028Nations, United\u0085Nations and United\u000cNations\n",
    }
    with open(path, "w", encoding="utf-8") as f:
        for name, text in docs.items():
            f.write(json.dumps({"id": name, "text": text}) + "\n")


class Reference:
    """gaztag's documents in order: name, text and mentions (start, end, type, text, id)
    in characters."""

    def __init__(self, export_path, gaztag_path):
        self.docs = []
        with open(export_path, encoding="utf-8") as ex, open(gaztag_path, encoding="utf-8") as gz:
            exports, records = ex.readlines(), gz.readlines()
        if len(exports) != len(records):
            sys.exit(f"the doccano export has {len(exports)} lines, gaztag's JSONL {len(records)}")
        for e_line, g_line in zip(exports, records):
            export, record = json.loads(e_line), json.loads(g_line)
            mentions = [
                (m["char_start"], m["char_end"], m["type"], m["text"], m["id"])
                for m in record["entities"]
            ]
            self.docs.append({"name": record["doc"], "text": export["text"], "mentions": mentions})
        self.mentions = sum(len(d["mentions"]) for d in self.docs)
        self._by_text = defaultdict(list)
        for doc in reversed(self.docs):
            self._by_text[doc["text"]].append(doc)

    def take(self, text):
        """The next document gaztag tagged with this text, matched once (a tool may drop
        or reorder documents; same text, same mentions)."""
        queue = self._by_text.get(text)
        return queue.pop() if queue else None


class Tally:
    def __init__(self, tool):
        self.tool = tool
        self.mismatches = 0

    def bad(self, doc, what):
        self.mismatches += 1
        if self.mismatches <= SHOW:
            print(f"  {self.tool} MISMATCH in {doc}: {what}")


def compare(tally, name, text, got, want):
    """got: (start, end, type, note) as the tool holds them; want: gaztag's mentions."""
    wanted = Counter((s, e, t) for s, e, t, _, _ in want)
    found = Counter((s, e, t) for s, e, t, _ in got)
    for key in sorted((wanted - found).elements()):
        m = next(m for m in want if m[:3] == key)
        tally.bad(name, f"mention {key} {m[3]!r} is missing")
    for key in sorted((found - wanted).elements()):
        tally.bad(name, f"span {key} {text[key[0]:key[1]]!r} is not one of gaztag's mentions")
    by_key = {m[:3]: m for m in want}
    for s, e, t, note in got:
        m = by_key.get((s, e, t))
        if m is None:
            continue
        if text[s:e] != m[3]:
            tally.bad(name, f"span {(s, e, t)} covers {text[s:e]!r}, the mention is {m[3]!r}")
        if note is not None and note != m[4]:
            tally.bad(name, f"span {(s, e, t)} has note {note!r}, the entity is {m[4]!r}")


# --- doccano -----------------------------------------------------------------------

class Doccano:
    def __init__(self, url):
        self.url = url.rstrip("/") + "/v1"
        self.token = None

    def call(self, method, path, data=None, body=None, content_type=None):
        headers = {}
        if self.token:
            headers["Authorization"] = f"Token {self.token}"
        if data is not None:
            body = json.dumps(data).encode()
            content_type = "application/json"
        if content_type:
            headers["Content-Type"] = content_type
        req = urllib.request.Request(self.url + path, data=body, headers=headers, method=method)
        with urllib.request.urlopen(req, timeout=120) as r:
            raw = r.read()
        ctype = r.headers.get("Content-Type", "")
        return json.loads(raw) if "json" in ctype else raw.decode()

    def upload(self, path):
        """The filepond upload the import page makes; returns the upload id."""
        boundary = uuid.uuid4().hex
        with open(path, "rb") as f:
            content = f.read()
        body = (
            f"--{boundary}\r\nContent-Disposition: form-data; name=\"filepond\"; "
            f"filename=\"gaztag-doccano.jsonl\"\r\nContent-Type: application/octet-stream\r\n\r\n"
        ).encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.call("POST", "/fp/process/", body=body,
                         content_type=f"multipart/form-data; boundary={boundary}").strip()


def check_doccano(url, user, password, export_path, gaztag_path):
    ref = Reference(export_path, gaztag_path)
    api = Doccano(url)
    api.token = api.call("POST", "/auth/login/", {"username": user, "password": password})["key"]
    project = api.call("POST", "/projects", {
        "name": "gaztag export check", "description": "gaztag tag --format doccano",
        "guideline": "", "project_type": "SequenceLabeling",
        "resourcetype": "SequenceLabelingProject", "allow_overlapping": False,
    })["id"]
    started = time.time()
    upload_id = api.upload(export_path)
    task = api.call("POST", f"/projects/{project}/upload", {
        "format": "JSONL", "task": "SequenceLabeling", "uploadIds": [upload_id],
        "encoding": "utf_8", "column_data": "text", "column_label": "label",
    })["task_id"]
    while True:
        status = api.call("GET", f"/tasks/status/{task}")
        if status["ready"]:
            break
        if time.time() - started > 900:
            sys.exit("doccano's import task did not finish in 15 minutes")
        time.sleep(1)
    tally = Tally("doccano")
    if status.get("error"):
        tally.bad("the import", f"task failed: {status['error']}")
    for error in (status.get("result") or {}).get("error", []):
        tally.bad("the import", f"doccano reported {error}")
    print(f"doccano imported the file in {time.time() - started:.1f} s")

    examples, offset = [], 0
    while True:
        page = api.call("GET", f"/projects/{project}/examples?limit=500&offset={offset}")
        examples += page["results"]
        offset += len(page["results"])
        if not page["next"] or not page["results"]:
            break
    examples.sort(key=lambda e: e["id"])
    read_started = time.time()
    types = {t["id"]: t["text"] for t in api.call("GET", f"/projects/{project}/span-types")}
    with ThreadPoolExecutor(2) as pool:
        spans = list(pool.map(
            lambda e: api.call("GET", f"/projects/{project}/examples/{e['id']}/spans"), examples))

    if len(examples) != len(ref.docs):
        tally.bad("the project", f"{len(examples)} examples, gaztag tagged {len(ref.docs)} documents")
    checked = 0
    for example, example_spans in zip(examples, spans):
        doc = ref.take(example["text"])
        if doc is None:
            tally.bad(f"example {example['id']}", "no document gaztag tagged has this text")
            continue
        got = [(s["start_offset"], s["end_offset"], types.get(s["label"]), None) for s in example_spans]
        checked += len(got)
        compare(tally, doc["name"], example["text"], got, doc["mentions"])
    print(f"doccano: {len(examples)} examples and {checked} spans read back through the REST API; "
          f"gaztag tagged {len(ref.docs)} documents with {ref.mentions} mentions; "
          f"{tally.mismatches} mismatches ({time.time() - read_started:.1f} s to read back)")
    return tally.mismatches


# --- brat --------------------------------------------------------------------------

def brat_call(url, **params):
    body = urllib.parse.urlencode({**params, "protocol": 1}).encode()
    req = urllib.request.Request(url.rstrip("/") + "/ajax.cgi", data=body, method="POST")
    with urllib.request.urlopen(req, timeout=120) as r:
        return json.loads(r.read())


def check_brat(url, collection, export_path, gaztag_path):
    ref = Reference(export_path, gaztag_path)
    tally = Tally("brat")
    started = time.time()
    info = brat_call(url, action="getCollectionInformation", collection=collection)
    names = sorted(item[2] for item in info["items"] if item[0] == "d")
    with ThreadPoolExecutor(2) as pool:
        loaded = list(pool.map(
            lambda n: brat_call(url, action="getDocument", collection=collection, document=n), names))

    if len(names) != len(ref.docs):
        tally.bad(collection, f"{len(names)} documents, gaztag tagged {len(ref.docs)}")
    checked = fragments = 0
    for name, doc in zip(names, loaded):
        for text, severity, *_ in doc.get("messages", []):
            if severity == "error":
                tally.bad(name, "brat: " + text.replace("\n<br/>\n", " | ").replace("\n", "\\n"))
        if "exception" in doc:
            tally.bad(name, f"brat raised {doc['exception']}")
            continue
        text = doc["text"]
        want = ref.take(text)
        if want is None:
            tally.bad(name, "no document gaztag tagged has this text")
            continue
        notes = {c[0]: c[2] for c in doc.get("comments", []) if c[1] == "AnnotatorNotes"}
        got = []
        for ent_id, kind, spans in doc["entities"]:
            fragments += len(spans)
            for s, e in spans:
                if any(c in text[s:e] for c in "\n\r\u2028\u2029\x85\x0b\x0c"):
                    tally.bad(name, f"{ent_id} fragment {s} {e} crosses a line break: {text[s:e]!r}")
            got.append((spans[0][0], spans[-1][1], kind, notes.get(ent_id)))
        checked += len(got)
        compare(tally, name, text, got, want["mentions"])
    print(f"brat: {len(loaded)} documents and {checked} text-bound annotations ({fragments} "
          f"fragments) loaded through getDocument; gaztag tagged {len(ref.docs)} documents "
          f"with {ref.mentions} mentions; {tally.mismatches} mismatches ({time.time() - started:.1f} s)")
    return tally.mismatches


def wait(url, seconds=120):
    """Returns once the server at url answers anything over HTTP."""
    deadline = time.time() + float(seconds)
    while True:
        try:
            urllib.request.urlopen(url, timeout=5).close()
            return 0
        except urllib.error.HTTPError:
            return 0
        except OSError:
            if time.time() > deadline:
                sys.exit(f"nothing answered at {url} in {seconds} s")
            time.sleep(0.5)


def main(argv):
    if len(argv) == 2 and argv[0] == "edge-cases":
        edge_cases(argv[1])
        return 0
    if len(argv) in (2, 3) and argv[0] == "wait":
        return wait(*argv[1:])
    if len(argv) == 6 and argv[0] == "doccano":
        return 1 if check_doccano(*argv[1:]) else 0
    if len(argv) == 5 and argv[0] == "brat":
        return 1 if check_brat(*argv[1:]) else 0
    sys.exit(__doc__)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
