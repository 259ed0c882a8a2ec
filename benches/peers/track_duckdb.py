"""DuckDB peer for `salesplit track --by region,month`: read the same sales CSV,
sum it by region and month, and join the targets that
`salesplit decompose PLAN --by region,month --format csv` wrote.

Usage: python3 track_duckdb.py TARGETS.csv SALES.csv AS_OF OUT.csv
Exact: amounts are DECIMAL(18,2) throughout; no float touches them.
"""
import sys

import duckdb

targets, sales, as_of, out = sys.argv[1:5]
duckdb.sql(f"""
COPY (
  WITH a AS (
    SELECT region, strftime(date, '%Y-%m') AS period, sum(sales) AS actual
    FROM read_csv('{sales}', header = true,
                  columns = {{'date': 'DATE', 'region': 'VARCHAR', 'salesperson': 'VARCHAR',
                             'product': 'VARCHAR', 'sales': 'DECIMAL(18,2)'}})
    WHERE date <= DATE '{as_of}'
    GROUP BY ALL
  )
  SELECT t.region, t.period, t.sales AS target, coalesce(a.actual, 0) AS actual,
         coalesce(a.actual, 0) - t.sales AS gap
  FROM read_csv('{targets}', header = true,
                columns = {{'region': 'VARCHAR', 'period': 'VARCHAR', 'start': 'DATE',
                           'end': 'DATE', 'sales': 'DECIMAL(18,2)'}}) t
  LEFT JOIN a USING (region, period)
  ORDER BY t.region, t.period
) TO '{out}' (HEADER);
""")
