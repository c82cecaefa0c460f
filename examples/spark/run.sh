#!/usr/bin/env bash
# Run gaztag_spark.py in Spark local mode and check that its merged reports are
# byte-identical to one plain gaztag run over the whole corpus.
#
#   bash examples/spark/run.sh [CORPUS.jsonl]
#
# CORPUS defaults to ~/.cache/gaztag-bench/data/news_2017.jsonl. Environment:
#   PARTITIONS (4), SPARK_MASTER (local[2]), OUT (a new temporary folder).
# Builds gaztag (cargo build --release), installs pyspark into a venv at
# ${XDG_CACHE_HOME:-$HOME/.cache}/gaztag-spark-venv, needs Java 17+.
# Not part of CI.
set -euo pipefail

PYSPARK_VERSION=4.0.1
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(git -C "$here" rev-parse --show-toplevel 2>/dev/null || (cd "$here/../.." && pwd))
corpus=${1:-$HOME/.cache/gaztag-bench/data/news_2017.jsonl}
partitions=${PARTITIONS:-4}
master=${SPARK_MASTER:-local[2]}
out=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/gaztag-spark.XXXXXX")}
venv=${XDG_CACHE_HOME:-$HOME/.cache}/gaztag-spark-venv

[[ -f $corpus ]] || { echo "corpus not found: $corpus" >&2; exit 2; }
command -v java >/dev/null || { echo "java not found (Spark $PYSPARK_VERSION needs Java 17+)" >&2; exit 2; }
java -version 2>&1 | head -n 1

echo "== cargo build --release in $root"
(cd "$root" && cargo build --release --quiet)
mkdir -p "$out"
cp "$root/target/release/gaztag" "$out/gaztag"   # a private copy: later rebuilds cannot swap it mid-run
export GAZTAG=$out/gaztag

if [[ ! -x $venv/bin/python ]]; then
  python3 -m venv "$venv"
fi
if ! "$venv/bin/python" -c "import pyspark, sys; sys.exit(pyspark.__version__ != '$PYSPARK_VERSION')" 2>/dev/null; then
  echo "== pip install pyspark==$PYSPARK_VERSION into $venv"
  "$venv/bin/pip" install --quiet "pyspark==$PYSPARK_VERSION"
fi
export PYSPARK_PYTHON=$venv/bin/python PYSPARK_DRIVER_PYTHON=$venv/bin/python

echo "== corpus $corpus ($(wc -l < "$corpus") lines), $partitions partitions, master $master, output in $out"
status=0
summary=()
run_case() {  # NAME KIND OPTION VALUE
  local name=$1 kind=$2 opt=$3 val=$4 t0 t1 t2 spark_s one_s verdict
  local dir=$out/$name
  mkdir -p "$dir"
  t0=$EPOCHREALTIME
  if ! "$venv/bin/python" "$here/gaztag_spark.py" "$corpus" "$dir/spark" --kind "$kind" "$opt" "$val" \
       --partitions "$partitions" --format json --master "$master" 2> "$dir/spark.log"; then
    tail -n 30 "$dir/spark.log" >&2
    echo "FAIL $name: Spark job failed (log: $dir/spark.log)" >&2
    exit 1
  fi
  t1=$EPOCHREALTIME
  "$GAZTAG" "$kind" "$opt" "$val" --tag --input-format jsonl "$corpus" --format json -o "$dir/one.json"
  t2=$EPOCHREALTIME
  spark_s=$(awk "BEGIN { print $t1 - $t0 }")
  one_s=$(awk "BEGIN { print $t2 - $t1 }")
  grep '^gaztag_spark:' "$dir/spark.log" || true
  if cmp "$dir/spark/report.json" "$dir/one.json"; then
    verdict="OK identical ($(wc -c < "$dir/one.json") bytes)"
  else
    verdict="FAIL: reports differ"
    status=1
  fi
  echo "$name: $verdict"
  summary+=("$(printf '%-28s spark %s: %7.2fs   one run: %6.2fs   %s' \
    "$kind $opt $val" "$master x$partitions" "$spark_s" "$one_s" "$verdict")")
}

run_case cooc-sentence cooc --scope sentence
run_case stats-source stats --by meta:source

echo "== summary (spark = whole job wall time incl. JVM start; one run = gaztag alone)"
printf '%s\n' "${summary[@]}"
echo "pyspark $("$venv/bin/python" -c 'import pyspark; print(pyspark.__version__)')"
[[ $status -eq 0 ]] && echo OK || echo FAILED
exit "$status"
