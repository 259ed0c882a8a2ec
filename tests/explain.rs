//! `salesplit explain`: every step from the plan's total down to one
//! figure, in words and JSON, through the real binary. The steps must
//! reproduce the figure that `decompose` prints, and each step must be the
//! floor or the ceiling of its exact value.

use crate::common::{csv_rows, dec, run_in, salesplit};

fn explain(args: &[&str]) -> String {
    let out = salesplit().arg("explain").args(args).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn a_salespersons_month_in_words() {
    // 王芳 is 1.5 of 华东's 5.9 roster weight, under product A (50% of
    // 华东's 3,000,000); March is 8 of Q1's 19 seasonality and Q1 19 of 100.
    let text = explain(&["examples/company.toml", "--cell", "region=华东,product=A,salesperson=王芳,period=2026-03"]);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "sales for region 华东, product A, salesperson 王芳, period 2026-03: 30,508.47 CNY");
    assert_eq!(lines[2], "1. The plan's total sales is 10,000,000.00.");
    assert_eq!(lines[3], "2. region 华东: weight 300 of 1000 (30%) of 10,000,000 = 3,000,000 exactly.");
    assert_eq!(lines[4], "3. product A: weight 50 of 100 (50%) of 3,000,000 = 1,500,000 exactly.");
    // 1,500,000 x 1.5 / 5.9 = 381,355.932203…
    assert!(lines[5].starts_with("4. salesperson 王芳: weight 1.5 of 5.9 (25.42%) of 1,500,000 = 381,355.93220338…, rounded down to 381,355.93"), "{}", lines[5]);
    assert!(lines[7].starts_with("6. month 2026-03: weight 8 of 19 (42.11%) of "), "{}", lines[7]);
}

#[test]
fn explanations_reproduce_what_decompose_prints() {
    let cells = csv_rows(
        &String::from_utf8(
            salesplit()
                .args([
                    "decompose",
                    "examples/company.toml",
                    "--by",
                    "region,product,salesperson,week",
                    "--period",
                    "2026-Q1",
                    "--format",
                    "csv",
                ])
                .output()
                .unwrap()
                .stdout,
        )
        .unwrap(),
    );
    for row in cells.iter().step_by(97) {
        let spec = format!(
            "region={},product={},salesperson={},period={}",
            row["region"], row["product"], row["salesperson"], row["period"]
        );
        let json: serde_json::Value =
            serde_json::from_str(&explain(&["examples/company.toml", "--cell", &spec, "--format", "json"])).unwrap();
        assert_eq!(dec(&json["figure"].to_string()), dec(&row["sales"]), "{spec}");
        let steps = json["steps"].as_array().unwrap();
        assert_eq!(dec(&steps.last().unwrap()["figure"].to_string()), dec(&row["sales"]), "{spec}");
        for step in steps {
            // Each figure is the floor or the ceiling of its exact value, at the cent.
            let exact = step["exact"].as_str().unwrap().trim_end_matches('…');
            let exact = dec(exact);
            let figure = dec(&step["figure"].to_string());
            assert!((figure - exact).abs() < dec("0.01"), "{spec}: {step}");
            match step["rounded"].as_str().unwrap() {
                "up" => assert!(figure > exact, "{spec}: {step}"),
                "down" => assert!(figure <= exact, "{spec}: {step}"),
                _ => assert_eq!(figure, exact, "{spec}: {step}"),
            }
        }
    }
}

#[test]
fn a_sum_is_explained_by_the_cells_it_adds_up() {
    let text = explain(&["examples/company.toml", "--cell", "region=华东,period=2026-03"]);
    assert!(text.starts_with("sales for region 华东, period 2026-03: 240,000.00 CNY\n\nThis figure is the sum of 15 cells of the cascade:\n"), "{text}");
    let json: serde_json::Value = serde_json::from_str(&explain(&[
        "examples/company.toml",
        "--cell",
        "region=华东,period=2026-03",
        "-f",
        "json",
    ]))
    .unwrap();
    let parts = json["sum_of"].as_array().unwrap();
    assert_eq!(parts.len(), 15); // 3 products x 5 salespeople
    let sum: rust_decimal::Decimal = parts.iter().map(|p| dec(&p["figure"].to_string())).sum();
    assert_eq!(sum, dec("240000.00"));
}

#[test]
fn a_hold_is_named_in_the_explanation() {
    let plan = "[plan]\nyear = 2026\n[target]\nsales = 10_000_000\n[time.fixed]\n\"2026-02\" = 500_000\n";
    let (code, out, err) = run_in(&[("plan.toml", plan)], &["explain", "plan.toml", "--cell", "period=2026-02"]);
    assert_eq!((code, err.as_str()), (Some(0), ""));
    assert!(out.contains("month 2026-02: held at 500,000 for the whole plan"), "{out}");
    assert!(out.starts_with("sales for period 2026-02: 500,000.00\n"), "{out}");
}

#[test]
fn bad_cells_say_what_is_wrong() {
    let plan = "[plan]\nyear = 2026\n[target]\nsales = 100\n[[split]]\nby = \"region\"\nweights = { East = 1 }\n";
    let (code, out, err) = run_in(&[("plan.toml", plan)], &["explain", "plan.toml", "--cell", "regoin=East"]);
    assert_eq!((code, out.as_str()), (Some(1), ""));
    assert_eq!(err, "error[E0807]: --cell names `regoin`, which is not a split of this plan\n = help: did you mean `region`? The names are: region, period\n");
    let (code, _, err) = run_in(&[("plan.toml", plan)], &["explain", "plan.toml", "--cell", "region=West"]);
    assert_eq!(code, Some(1));
    assert_eq!(
        err,
        "error[E0807]: --cell region=West: `West` is not a member of region\n = help: the members are region: East\n"
    );
    let (code, _, err) =
        run_in(&[("plan.toml", plan)], &["explain", "plan.toml", "--cell", "region=East,period=2027-01"]);
    assert_eq!(code, Some(1));
    assert!(err.starts_with("error[E0807]: --cell period 2027-01 is not a period of this plan\n"), "{err}");
}
