"""polars peer for `salesplit track --by region,month`: read the same sales CSV,
sum it by region and month, and join the targets that
`salesplit decompose PLAN --by region,month --format csv` wrote.

Usage: python3 track_polars.py TARGETS.csv SALES.csv AS_OF OUT.csv
Exact: amounts are read as Decimal(18,2); no float touches them.
"""
import datetime
import sys

import polars as pl

targets, sales, as_of, out = sys.argv[1:5]
money = pl.Decimal(18, 2)
actual = (
    pl.scan_csv(sales, schema={"date": pl.Date, "region": pl.String, "salesperson": pl.String,
                               "product": pl.String, "sales": money})
    .filter(pl.col("date") <= datetime.date.fromisoformat(as_of))
    .group_by(pl.col("region"), pl.col("date").dt.strftime("%Y-%m").alias("period"))
    .agg(pl.col("sales").sum().alias("actual"))
)
target = pl.scan_csv(targets, schema={"region": pl.String, "period": pl.String, "start": pl.Date,
                                      "end": pl.Date, "sales": money})
(
    target.join(actual, on=["region", "period"], how="left")
    .with_columns(pl.col("actual").fill_null(0).cast(money))
    .select("region", "period", pl.col("sales").alias("target"), "actual",
            (pl.col("actual") - pl.col("sales")).alias("gap"))
    .sort("region", "period")
    .collect()
    .write_csv(out)
)
