#!/usr/bin/env python3
"""Count entities (stats) or co-occurrences (cooc) of a JSONL corpus with gaztag on Spark.

Design
------
1. Read the corpus as a text RDD, one JSON document per line, and
   ``repartition(N)`` it.
2. Tag and count each partition where it lives: ``rdd.pipe`` feeds the
   partition's lines to one ``gaztag cooc|stats --tag --input-format jsonl
   --save-partial -`` process, which prints ONE line: the exact integer counts
   of that partition (a "partial", kilobytes, not the tagged text).
3. Collect those N small lines on the driver, write each to OUTDIR/partials/,
   and run ``gaztag merge`` on them, which adds the counts and writes the report
   (OUTDIR/report.<format>).

The merge is exact: the counts are integers summed by addition, and the report
(PMI, NPMI, G², shares, ordering...) is computed only from the summed counts,
so the report is byte-identical to one ``gaztag`` run over the whole corpus,
whatever N and however Spark split the lines.

The gaztag binary must exist at the same path on every worker (in local mode it
is this machine). Give it with --gaztag or the GAZTAG environment variable
(default: ``gaztag`` on PATH); it is resolved to an absolute path here because
``rdd.pipe`` starts the command with an empty environment (no PATH).

Example:
    GAZTAG=target/release/gaztag python gaztag_spark.py corpus.jsonl out \\
        --partitions 4 --kind cooc --scope sentence --master 'local[2]'
"""
import argparse
import os
import shlex
import shutil
import subprocess
import sys
import time

from pyspark import SparkConf, SparkContext


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("corpus", help="JSONL corpus (any path or URL Spark's textFile reads)")
    p.add_argument("outdir", help="folder for partials/ and the merged report")
    p.add_argument("--partitions", "-n", type=int, default=4, help="N for repartition(N) [4]")
    p.add_argument("--kind", choices=["cooc", "stats"], default="cooc")
    p.add_argument("--scope", default="sentence", help="cooc: doc, sentence or window:N [sentence]")
    p.add_argument("--by", help="stats: grouping, e.g. meta:source")
    p.add_argument("--format", default="json", help="report format for gaztag merge [json]")
    p.add_argument("--threads", "-j", type=int, default=1,
                   help="gaztag threads per Spark task (Spark already runs one task per core) [1]")
    p.add_argument("--gaztag", default=os.environ.get("GAZTAG", "gaztag"),
                   help="gaztag binary [$GAZTAG or gaztag on PATH]")
    p.add_argument("--master", default=None, help="Spark master, e.g. local[2] [spark-submit's]")
    a = p.parse_args()

    gaztag = shutil.which(a.gaztag)
    if gaztag is None:
        sys.exit(f"gaztag binary not found: {a.gaztag} (set GAZTAG or --gaztag)")
    gaztag = os.path.abspath(gaztag)

    # What is counted (scope, grouping) is decided per partition and stored in each partial;
    # merge reads it back from the partials and only renders the report.
    count_opts = ["--scope", a.scope] if a.kind == "cooc" else (["--by", a.by] if a.by else [])
    cmd = [gaztag, a.kind, *count_opts, "--tag", "--input-format", "jsonl",
           "-j", str(a.threads), "--save-partial", "-"]

    conf = SparkConf().setAppName(f"gaztag-{a.kind}")
    conf.set("spark.ui.showConsoleProgress", "false")
    if a.master:
        conf.setMaster(a.master)
    sc = SparkContext(conf=conf)
    sc.setLogLevel("WARN")
    try:
        t0 = time.monotonic()
        lines = sc.textFile(a.corpus).repartition(a.partitions)
        partials = lines.pipe(shlex.join(cmd), checkCode=True).collect()
        t_spark = time.monotonic() - t0
    finally:
        sc.stop()
    if len(partials) != a.partitions:  # one line per partition, empty ones included
        sys.exit(f"expected {a.partitions} partial lines, got {len(partials)}")

    part_dir = os.path.join(a.outdir, "partials")
    os.makedirs(part_dir, exist_ok=True)
    files = []
    for i, line in enumerate(partials):
        path = os.path.join(part_dir, f"part-{i:05d}.{a.kind}.json")
        with open(path, "w", encoding="utf-8") as f:
            f.write(line + "\n")
        files.append(path)

    report = os.path.join(a.outdir, f"report.{a.format}")
    t1 = time.monotonic()
    subprocess.run([gaztag, "merge", "--format", a.format, "-o", report, *files], check=True)
    t_merge = time.monotonic() - t1
    size = sum(len(x) for x in partials)
    print(f"gaztag_spark: {a.kind} {' '.join(count_opts)}: {a.partitions} partitions, "
          f"{size} bytes of partials, spark job {t_spark:.2f}s, merge {t_merge:.2f}s -> {report}",
          file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
