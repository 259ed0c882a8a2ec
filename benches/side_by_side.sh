#!/bin/sh
# benches/side_by_side.sh [BIN]: README "Performance", side by side: three rounds, every line once a round, the tools taking turns, outputs to fresh files; then medians.
# Needs: cargo build --release --examples; pip install polars duckdb; the plans of README "Performance":
#   python3 ../shared/bench/genbig.py /tmp/big && sed 's/^\[plan\]/[plan]\nrounding = "cascade"/' /tmp/big/plan.toml > /tmp/big/cascade.toml
#   target/release/salesplit decompose /tmp/big/cascade.toml --format csv --output /tmp/big/out.csv   (format_bytes reads it)
#   cargo run --release --example generate -- --reps 2000 --products 20 --regions 10 --level month --transactions 10000000 --out /tmp/track
#   target/release/salesplit decompose /tmp/track/plan.toml --by region,month --format csv --output /tmp/track/targets.csv
B=${1:-target/release/salesplit}
FB=${FB:-target/release/examples/format_bytes}
cd "$(dirname "$0")/.."
run() { label=$1; shift; rm -f /tmp/big/m-*.csv /tmp/track/m-*.csv; /usr/bin/time -f "$label|%e|%U|%S|%M" "$@" > /dev/null 2>> /tmp/measure.raw || echo "FAILED $label" >&2; tail -1 /tmp/measure.raw; }
: > /tmp/measure.raw
for i in 1 2 3; do
  run "polars decompose" python3 ../shared/bench/polars_peer.py /tmp/big/cascade.toml /tmp/big/m-polars.csv
  for t in 1 2; do
    SALESPLIT_THREADS=$t run "decompose controlled t=$t" $B decompose /tmp/big/plan.toml --format csv --output /tmp/big/m-c.csv
    SALESPLIT_THREADS=$t run "decompose cascade t=$t" $B decompose /tmp/big/cascade.toml --format csv --output /tmp/big/m-k.csv
    SALESPLIT_THREADS=$t run "decompose controlled null t=$t" $B decompose /tmp/big/plan.toml --format csv --output /dev/null
    SALESPLIT_THREADS=$t run "decompose cascade null t=$t" $B decompose /tmp/big/cascade.toml --format csv --output /dev/null
  done
  run "format_bytes" $FB /tmp/big/out.csv /tmp/big/m-again.csv
  for t in 1 2; do
    SALESPLIT_THREADS=$t run "track t=$t" $B track /tmp/track/plan.toml --actuals /tmp/track/sales.csv --as-of 2026-06-30 --by region,month --format csv --output /tmp/track/m-r.csv
  done
  SALESPLIT_THREADS=2 run "track every split t=2" $B track /tmp/track/plan.toml --actuals /tmp/track/sales.csv --as-of 2026-06-30 --by region,salesperson,product,month --format csv --output /tmp/track/m-all.csv
  run "duckdb track" python3 benches/peers/track_duckdb.py /tmp/track/targets.csv /tmp/track/sales.csv 2026-06-30 /tmp/track/m-duckdb.csv
  run "polars track" python3 benches/peers/track_polars.py /tmp/track/targets.csv /tmp/track/sales.csv 2026-06-30 /tmp/track/m-polars.csv
  run "decompose targets" $B decompose /tmp/track/plan.toml --by region,month --format csv --output /tmp/track/m-t.csv
done
echo "--- medians (wall|user|sys|maxKB)"
python3 - <<'PY'
import collections, statistics
rows = collections.defaultdict(list)
for line in open('/tmp/measure.raw'):
    if '|' not in line: continue
    label, *v = line.strip().split('|')
    rows[label].append([float(x) for x in v])
for label, vs in rows.items():
    med = [statistics.median(x[i] for x in vs) for i in range(4)]
    print(f"{label:34s} wall {med[0]:.2f} s  user {med[1]:.2f}  sys {med[2]:.2f}  peak {med[3]/1024:.0f} MB   (all walls: {' '.join(str(x[0]) for x in vs)})")
PY
