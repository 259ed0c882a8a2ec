#!/usr/bin/env python3
"""Prints the rows of Parquet files as pyarrow reads them, for tests/parquet.rs.

    parquet_rows.py FILE.parquet...

One line for the files' column names (a JSON array), then one JSON array per
row of every file in turn: decimals as their exact text (`1234.50`, the
column's scale kept), dates as YYYY-MM-DD, strings as they are, nulls as
null. Exits 2 when pyarrow is not installed.
"""

import json
import sys

try:
    import pyarrow.parquet as pq
except ImportError:
    print("pyarrow not installed", file=sys.stderr)
    sys.exit(2)


def text(value):
    if value is None:
        return None
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)


def main(paths):
    names = None
    out = sys.stdout
    for path in paths:
        table = pq.read_table(path)
        if names is None:
            names = table.column_names
            out.write(json.dumps(names, ensure_ascii=False) + "\n")
        elif names != table.column_names:
            print("%s has other columns: %r" % (path, table.column_names), file=sys.stderr)
            return 1
        for row in table.to_pylist():
            out.write(json.dumps([text(row[n]) for n in names], ensure_ascii=False) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
