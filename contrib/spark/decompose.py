#!/usr/bin/env python3
"""salesplit on Spark: a plan's shards as Spark tasks, one Parquet dataset.

    spark-submit contrib/spark/decompose.py PLAN OUT [--shards N] [--salesplit PATH] [--by NAMES]
    python3 contrib/spark/decompose.py PLAN OUT --local   # Spark local mode, for a try or a test

Task k (one per shard) runs `salesplit decompose PLAN --shard k/N --output
part.parquet` on its executor and hands the file's Arrow record batches to
Spark (`mapInArrow`), which writes the dataset OUT (any path Spark writes:
a folder, HDFS, S3). salesplit's shards are deterministic and exact: every
cell is the one a single run gives, so the dataset is the single run's
cells, row for row. The job then checks that the dataset's total of every
figure column equals the plan's total from `--by year` (exact decimals),
and exits 1 if not.

Every executor needs the salesplit binary (`--salesplit PATH`, default
`salesplit` on PATH) and the plan with the files it names (rosters,
calendars) at the same path: ship them with `spark-submit --files` or keep
them on a shared mount. pyarrow (and pandas, for Spark's Arrow bridge) must be installed where Python runs.
"""

import argparse
import csv
import io
import os
import subprocess
import sys
import tempfile
from decimal import Decimal


def salesplit(binary, *args):
    """Runs salesplit; its stdout, or exits with its message."""
    done = subprocess.run([binary, *args], capture_output=True)
    if done.returncode != 0:
        sys.stderr.write(done.stderr.decode("utf-8", "replace"))
        raise SystemExit("salesplit %s failed" % " ".join(args))
    return done.stdout


def shard_args(plan, by):
    return ["decompose", plan] + (["--by", by] if by else [])


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("plan")
    parser.add_argument("out")
    parser.add_argument("--shards", type=int, default=0, help="how many shards (default: 4 per core Spark has)")
    parser.add_argument("--salesplit", default="salesplit", help="the salesplit binary on every executor")
    parser.add_argument("--by", default=None, help="the breakdown; it must keep every split (the default does)")
    parser.add_argument("--local", action="store_true", help="run Spark in local mode on this machine")
    args = parser.parse_args(argv)

    import pyarrow.parquet as pq
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F
    from pyspark.sql.pandas.types import from_arrow_schema

    builder = SparkSession.builder.appName("salesplit decompose %s" % os.path.basename(args.plan))
    if args.local:
        builder = builder.master("local[*]")
    spark = builder.getOrCreate()
    shards = args.shards or 4 * spark.sparkContext.defaultParallelism
    plan, binary, by = os.path.abspath(args.plan), args.salesplit, args.by

    # The dataset's schema: a shard so small it has at most one leaf.
    with tempfile.TemporaryDirectory() as tmp:
        tiny = os.path.join(tmp, "schema.parquet")
        salesplit(binary, *shard_args(plan, by), "--shard", "1/%d" % (1 << 40), "--output", tiny)
        arrow_schema = pq.read_schema(tiny)
    schema = from_arrow_schema(arrow_schema)

    def run_shards(batches):
        for batch in batches:
            for k in batch.column(0).to_pylist():
                with tempfile.TemporaryDirectory() as tmp:
                    part = os.path.join(tmp, "part.parquet")
                    salesplit(binary, *shard_args(plan, by), "--shard", "%d/%d" % (k + 1, shards), "--output", part)
                    for b in pq.ParquetFile(part).iter_batches():
                        yield b

    cells = spark.range(shards, numPartitions=shards).mapInArrow(run_shards, schema)
    cells.write.mode("overwrite").parquet(args.out)

    # The check: the dataset's totals are the plan's, to the cent.
    year = salesplit(binary, "decompose", plan, "--by", "year", "--format", "csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(year)))
    figures = [f.name for f in arrow_schema if str(f.type).startswith("decimal")]
    written = spark.read.parquet(args.out)
    sums = written.agg(*[F.sum(F.col(c)).alias(c) for c in figures]).collect()[0]
    wrong = []
    for c in figures:
        want = sum(Decimal(r[c]) for r in rows if r[c] != "")
        got = sums[c] if sums[c] is not None else Decimal(0)
        if Decimal(got) != want:
            wrong.append("%s: the dataset adds up to %s, the plan to %s" % (c, got, want))
    count = written.count()
    spark.stop()
    if wrong:
        print("\n".join(wrong), file=sys.stderr)
        return 1
    print("%s: %d cells in %d shards; totals check: %s" % (args.out, count, shards, ", ".join(
        "%s = %s" % (c, sum(Decimal(r[c]) for r in rows if r[c] != "")) for c in figures)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
