#!/usr/bin/env bash
# Checks that the committed default gazetteers are what the generators make from their
# pinned inputs: installs the inputs (Debian, PyPI and npm packages) if missing, then
# regenerates into a temporary folder and compares (gazetteers/build/build.py --check).
# usage: gazetteers/build/check.sh            (run by .ci/run)
set -euo pipefail
cd "$(dirname "$0")/../.."

if [ ! -f /usr/share/dict/words ] || [ ! -f /usr/share/wordnet/data.noun ] || ! pkg-config --exists icu-uc 2>/dev/null; then
  apt-get update -qq && apt-get install -y -qq wamerican wordnet-base libicu-dev pkg-config >/dev/null
fi

VENV=${GAZTAG_GAZETTEER_VENV:-${XDG_CACHE_HOME:-$HOME/.cache}/gaztag-gazetteer-venv}
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
"$VENV/bin/pip" install -q --disable-pip-version-check -r gazetteers/build/requirements.txt

NPM_DIR=${GAZTAG_NPM_DIR:-$HOME/.cache/gaztag-npm}
NSI=$NPM_DIR/node_modules/name-suggestion-index/package.json
if ! grep -q '"version": "8.0.20260918"' "$NSI" 2>/dev/null; then
  npm install --prefix "$NPM_DIR" --no-save --ignore-scripts --no-audit --no-fund \
    name-suggestion-index@8.0.20260918 >/dev/null
fi

GAZTAG_NPM_DIR=$NPM_DIR "$VENV/bin/python" gazetteers/build/build.py --check
