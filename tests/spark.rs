//! `contrib/spark/decompose.py` in Spark local mode: a generated plan's
//! shards run as Spark tasks, and the Parquet dataset they write is the
//! single-process run's cells, cell for cell. Ignored by default (Spark
//! takes a while to start); `.ci/run` runs it where Java and pyspark are
//! installed:
//!
//! ```sh
//! cargo test --test tests spark:: -- --ignored
//! ```

use std::path::PathBuf;
use std::process::Command;

/// 6 regions x 8 products by week: 48 leaves, enough for 5 shards.
const PLAN: &str = r#"[plan]
name = "spark"
year = 2026
precision = "0.01"

[target]
sales = 12_345_678.91

[time]
spread = "workdays"
level = "week"

[[split]]
by = "region"
weights = { R1 = 3, R2 = 5, R3 = 2, R4 = 7, R5 = 1, R6 = 4 }

[[split]]
by = "product"
weights = { P1 = 1, P2 = 2, P3 = 3, P4 = 5, P5 = 8, P6 = 13, P7 = 21, P8 = 34 }
"#;

fn spark_python() -> Option<PathBuf> {
    let java = Command::new("java").arg("-version").output().is_ok_and(|o| o.status.success());
    crate::common::python_with("pyspark, pyarrow, pandas").filter(|_| java)
}

#[test]
#[ignore = "starts Spark (tens of seconds): cargo test --test tests spark:: -- --ignored"]
fn the_spark_job_writes_the_single_runs_cells() {
    let Some(python) = spark_python() else {
        eprintln!("skipped: Java or pyspark not installed");
        return;
    };
    let dir = tempfile::TempDir::new().unwrap();
    let plan = dir.path().join("plan.toml");
    std::fs::write(&plan, PLAN).unwrap();
    let binary = assert_cmd::cargo::cargo_bin("salesplit");
    let out = dir.path().join("cells");
    let job = Command::new(&python)
        .arg(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("contrib/spark/decompose.py"))
        .arg(&plan)
        .arg(&out)
        .args(["--local", "--shards", "5", "--salesplit"])
        .arg(&binary)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&job.stdout);
    assert_eq!(job.status.code(), Some(0), "{stdout}\n{}", String::from_utf8_lossy(&job.stderr));
    // 48 leaves x 53 weeks of the 2026 calendar's months.
    assert!(stdout.contains("cells in 5 shards; totals check: sales = 12345678.91"), "{stdout}");
    // The dataset, read back with pyarrow in file order, against the single run's CSV.
    let read = Command::new(&python)
        .arg("-c")
        .arg(
            "import sys, glob, pyarrow.parquet as pq\n\
             for f in sorted(glob.glob(sys.argv[1] + '/part-*.parquet')):\n\
             \x20   for r in pq.read_table(f).to_pylist():\n\
             \x20       print(','.join([r['region'], r['product'], r['period'], r['start'].isoformat(), r['end'].isoformat(), str(r['sales'])]))",
        )
        .arg(&out)
        .output()
        .unwrap();
    assert_eq!(read.status.code(), Some(0), "{}", String::from_utf8_lossy(&read.stderr));
    let single =
        Command::new(&binary).current_dir(dir.path()).args(["decompose", "plan.toml", "--format", "csv"]).output();
    let single = String::from_utf8(single.unwrap().stdout).unwrap();
    let mut want: Vec<&str> = single.lines().skip(1).collect();
    let got_text = String::from_utf8(read.stdout).unwrap();
    let mut got: Vec<&str> = got_text.lines().collect();
    assert_eq!(got.len(), want.len(), "as many cells as the single run");
    // Spark may split or order its output files its own way: compare as sets of cells.
    want.sort_unstable();
    got.sort_unstable();
    assert_eq!(got, want);
}
