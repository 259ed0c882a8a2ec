//! The error catalogue of the planning models: metrics (counts, levels and
//! their paths), the funnel, people (over-assignment, vacancies, dates in
//! seat, caps and floors), targets from history (baselines, growth,
//! `weights = "history"`) and `explain` on them. One test per kind of bad
//! input, through the real binary: each pins the whole of stderr, exit code 1
//! and an empty stdout, as in `tests/errors.rs`.

use crate::common::{lines, plan_fails, roster_fails, run_in, Test};

/// As [`plan_fails`], with [`BASELINE`] as sales-2025.csv beside the plan.
#[track_caller]
fn baseline_fails(plan: &str, expected: &str) {
    Test::new()
        .files(&[("plan.toml", plan), ("sales-2025.csv", BASELINE)])
        .args(&["decompose", "plan.toml"])
        .stderr(expected)
        .status(1)
        .run();
}

/// Last year's actual sales (the plan year is 2026), by region.
const BASELINE: &str = "date,region,sales
2025-01-15,East,100000
2025-02-15,West,50000
2025-04-15,East,120000
2025-07-15,West,80000
2025-10-15,East,150000
2025-12-15,West,100000
";

/// Two teams, their salespeople from reps.csv.
const TEAMS: &str = r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[split]]
by = "team"
weights = { North = 1, South = 1 }

[[split]]
by = "rep"
roster = "reps.csv"
"#;

/// [`TEAMS`] with `extra` lines added to its `rep` split.
fn teams_with(extra: &str) -> String {
    format!("{TEAMS}{extra}")
}

/// A plan with a funnel: `funnel` is the body of its [funnel] table.
fn with_funnel(funnel: &str) -> String {
    format!("[plan]\nyear = 2026\n\n[target]\nsales = 12_000_000\n\n[funnel]\n{funnel}")
}

const STAGES: &str = r#"stages = [{ name = "deals", rate = "100%" }, { name = "calls", rate = "20%" }]"#;

// ----------------------------------------------------------------- metrics

#[test]
fn unknown_metric_kind_lists_the_three() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[target.visits]
kind = "counts"
total = 100
"#,
        &lines(&[
            "error[E0105]: [target.visits]: kind `counts` is not amount, count or level",
            "  --> plan.toml:8:8",
            "  |",
            "8 | kind = \"counts\"",
            "  |        ^^^^^^^^",
            "  = help: write kind = \"amount\" (money), \"count\" (whole units such as new customers) or \"level\" (a rate that does not add up, such as a market share)",
        ]),
    );
}

#[test]
fn count_that_is_not_whole() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[target.new_customers]
kind = "count"
total = 27.5
"#,
        &lines(&[
            "error[E0210]: count `new_customers` = 27.5 is not a whole number of zero or more",
            "  --> plan.toml:9:9",
            "  |",
            "9 | total = 27.5",
            "  |         ^^^^",
            "  = help: a count is whole units (customers, calls): write it as a whole number, e.g. `total = 100`",
        ]),
    );
}

#[test]
fn level_with_a_total() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[target.share]
kind = "level"
total = "5%"
"#,
        &lines(&[
            "error[E0108]: [target.share]: a level has a `value`, not a `total`",
            "  --> plan.toml:9:1",
            "  |",
            "9 | total = \"5%\"",
            "  | ^^^^^",
            "  = help: write the level for the year, e.g. `value = \"5%\"`",
        ]),
    );
}

#[test]
fn level_without_a_value() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[target.share]
kind = "level"
"#,
        &lines(&[
            "error[E0104]: [target.share] has no `value`",
            "  --> plan.toml:7:1",
            "  |",
            "7 | [target.share]",
            "  | ^^^^^^^^^^^^^^",
            "  = help: write the level for the year, e.g. `value = \"5%\"`",
        ]),
    );
}

#[test]
fn count_table_without_a_total() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[target.new_customers]
kind = "count"
"#,
        &lines(&[
            "error[E0104]: [target.new_customers] has no `total`",
            "  --> plan.toml:7:1",
            "  |",
            "7 | [target.new_customers]",
            "  | ^^^^^^^^^^^^^^^^^^^^^^",
            "  = help: write the annual total, e.g. `total = 100`",
        ]),
    );
}

#[test]
fn amount_table_without_a_total() {
    plan_fails(
        r#"[plan]
year = 2026

[target.sales]
kind = "amount"
"#,
        &lines(&[
            "error[E0104]: [target.sales] has no `total`",
            "  --> plan.toml:4:1",
            "  |",
            "4 | [target.sales]",
            "  | ^^^^^^^^^^^^^^",
            "  = help: write the annual total, e.g. `total = 10_000_000`",
        ]),
    );
}

#[test]
fn value_on_a_count() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[target.new_customers]
kind = "count"
value = 100
"#,
        &lines(&[
            "error[E0108]: [target.new_customers]: `value` is for levels, and this metric is a count",
            "  --> plan.toml:9:1",
            "  |",
            "9 | value = 100",
            "  | ^^^^^",
            "  = help: write the annual total as `total`, or make it kind = \"level\"",
        ]),
    );
}

#[test]
fn path_on_a_count() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[target.new_customers]
kind = "count"
total = 100
path = { "2026-Q1" = 20 }
"#,
        &lines(&[
            "error[E0108]: [target.new_customers]: `path` is for levels, and this metric is a count",
            "   --> plan.toml:10:1",
            "   |",
            "10 | path = { \"2026-Q1\" = 20 }",
            "   | ^^^^",
            "   = help: write the annual total as `total`, or make it kind = \"level\"",
        ]),
    );
}

#[test]
fn level_path_label_that_is_not_a_period() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[target.share]
kind = "level"
value = "5%"
path = { "2026-Q1" = "4.5%", "Q2" = "4.8%" }
"#,
        &lines(&[
            "error[E0406]: the path of level `share` names Q2, which is not a period of this plan",
            "   --> plan.toml:10:30",
            "   |",
            "10 | path = { \"2026-Q1\" = \"4.5%\", \"Q2\" = \"4.8%\" }",
            "   |                              ^^^^",
            "   = help: use period labels such as 2026-Q1, 2026-01 or 2026-01-W1",
        ]),
    );
}

#[test]
fn level_path_mixing_percentages_and_plain_numbers() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[target.share]
kind = "level"
value = "5%"
path = { "2026-Q1" = "4.5%", "2026-Q2" = 4.8 }
"#,
        &lines(&[
            "error[E0212]: level `share` in 2026-Q2 is a plain number, but its `value` is written as a percentage",
            "   --> plan.toml:10:42",
            "   |",
            "10 | path = { \"2026-Q1\" = \"4.5%\", \"2026-Q2\" = 4.8 }",
            "   |                                          ^^^",
            "   = help: write every value of `share` as percentages",
        ]),
    );
}

#[test]
fn time_weights_on_a_level() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[target.share]
kind = "level"
value = "5%"

[target.share.time]
months = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]
"#,
        &lines(&[
            "error[E0108]: [target.share]: a level has no time weights",
            "   --> plan.toml:11:15",
            "   |",
            "11 | [target.share.time]",
            "   |               ^^^^",
            "   = help: a level is not shared over time; give it a `path` of per-period values instead",
        ]),
    );
}

#[test]
fn a_metric_time_table_takes_only_the_time_weights() {
    // `level` belongs to the plan's [time]: a metric cannot have its own.
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[target.visits]
kind = "count"
total = 1200

[target.visits.time]
level = "week"
"#,
        &lines(&[
            "error[E0102]: unknown key `level` in [target.visits.time]",
            "   --> plan.toml:12:1",
            "   |",
            "12 | level = \"week\"",
            "   | ^^^^^",
            "   = help: the keys allowed here are: spread, months, quarters, weekdays",
        ]),
    );
}

#[test]
fn metric_named_like_an_output_column() {
    plan_fails(
        r"[plan]
year = 2026

[target]
sales = 10_000_000
period = 12
",
        &lines(&[
            "error[E0106]: metric name `period` is already used by the output",
            "  --> plan.toml:6:1",
            "  |",
            "6 | period = 12",
            "  | ^^^^^^",
            "  = help: choose another name; period, start, end, year, quarter, month, week, day are taken",
        ]),
    );
}

#[test]
fn percentage_as_an_amount_suggests_a_level() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000
share = "5%"
"#,
        &lines(&[
            "error[E0206]: target `share` is a percentage; it must be an amount",
            "  --> plan.toml:6:9",
            "  |",
            "6 | share = \"5%\"",
            "  |         ^^^^",
            "  = help: write the annual total, e.g. `share = 10_000_000`, or make it a level: a `[target.share]` table with `kind = \"level\"`",
        ]),
    );
}

#[test]
fn baseline_on_a_level_is_refused() {
    baseline_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[target.share]
kind = "level"
value = "5%"
baseline = "sales-2025.csv"
"#,
        &lines(&[
            "error[E0109]: [target.share] is not an amount, so it cannot grow from a baseline of sales",
            "   --> plan.toml:10:12",
            "   |",
            "10 | baseline = \"sales-2025.csv\"",
            "   |            ^^^^^^^^^^^^^^^^",
            "   = help: set a baseline on a money metric (kind = \"amount\")",
        ]),
    );
}

#[test]
fn empty_metric_name_is_refused() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000
"" = 5
"#,
        &lines(&[
            "error[E0107]: metric name `` is empty",
            "  --> plan.toml:6:1",
            "  |",
            "6 | \"\" = 5",
            "  | ^^",
            "  = help: give the metric a name, e.g. `orders = 5`",
        ]),
    );
}

#[test]
fn metric_named_like_an_over_assign_base_column_is_refused() {
    roster_fails(
        &format!(
            "{}over_assign = \"10%\"\n",
            TEAMS.replace("sales = 10_000_000\n", "sales = 10_000_000\nsales_base = 1_000_000\n")
        ),
        "name,team,weight\nAnn,North,1\nBob,South,1\n",
        &lines(&[
            "error[E0106]: metric name `sales_base` is already used by the output",
            "  --> plan.toml:6:1",
            "  |",
            "6 | sales_base = 1_000_000",
            "  | ^^^^^^^^^^",
            "  = note: over_assign on split `rep` adds a `sales_base` column: `sales` before over-assignment",
            "  = help: choose another name for the metric",
        ]),
    );
}

// ------------------------------------------------------------------ funnel

#[test]
fn funnel_on_a_metric_that_is_not_money() {
    plan_fails(
        &format!(
            "[plan]\nyear = 2026\n\n[target]\nsales = 12_000_000\n\n[target.new_customers]\nkind = \"count\"\ntotal = 100\n\n\
             [funnel]\nmetric = \"new_customers\"\ndeal_size = 10_000\n{STAGES}\n"
        ),
        &lines(&[
            "error[E0110]: [funnel] works back from `new_customers`, which is not a money metric of [target]",
            "   --> plan.toml:12:10",
            "   |",
            "12 | metric = \"new_customers\"",
            "   |          ^^^^^^^^^^^^^^^",
            "   = help: name one of the amounts in [target]: sales",
        ]),
    );
}

#[test]
fn funnel_without_metric_when_two_metrics_are_money() {
    plan_fails(
        &format!(
            "[plan]\nyear = 2026\n\n[target]\nsales = 12_000_000\nmargin = 3_000_000\n\n[funnel]\ndeal_size = 10_000\n{STAGES}\n"
        ),
        &lines(&[
            "error[E0104]: [funnel] does not say which money metric it works back from",
            "  --> plan.toml:8:2",
            "  |",
            "8 | [funnel]",
            "  |  ^^^^^^",
            "  = help: add `metric = \"sales\"`",
        ]),
    );
}

#[test]
fn funnel_on_a_plan_with_no_money_metric() {
    plan_fails(
        &format!(
            "[plan]\nyear = 2026\n\n[target.orders]\nkind = \"count\"\ntotal = 100\n\n[funnel]\ndeal_size = 10_000\n{STAGES}\n"
        ),
        &lines(&[
            "error[E0110]: [funnel] works back from a money metric, and [target] has none",
            "  --> plan.toml:8:2",
            "  |",
            "8 | [funnel]",
            "  |  ^^^^^^",
            "  = help: add the money target to [target], e.g. `sales = 10_000_000`, or remove [funnel]",
        ]),
    );
}

/// A plan with a `source` split, then a funnel whose `where` is `filter`.
fn funnel_where(filter: &str) -> String {
    format!(
        "[plan]\nyear = 2026\n\n[target]\nsales = 12_000_000\n\n[[split]]\nby = \"source\"\n\
         weights = {{ new = 1, existing = 3 }}\n\n[funnel]\nwhere = {filter}\ndeal_size = 10_000\n{STAGES}\n"
    )
}

#[test]
fn funnel_where_names_a_split_the_plan_does_not_have() {
    plan_fails(
        &funnel_where("{ sourse = \"new\" }"),
        &lines(&[
            "error[E0111]: [funnel] where names `sourse`, which is not a split of this plan",
            "   --> plan.toml:12:11",
            "   |",
            "12 | where = { sourse = \"new\" }",
            "   |           ^^^^^^",
            "   = help: did you mean `source`?",
        ]),
    );
}

#[test]
fn funnel_where_names_a_member_the_split_does_not_have() {
    plan_fails(
        &funnel_where("{ source = \"New\" }"),
        &lines(&[
            "error[E0302]: [funnel] where: split `source` has no member `New`",
            "   --> plan.toml:12:20",
            "   |",
            "12 | where = { source = \"New\" }",
            "   |                    ^^^^^",
            "   = help: did you mean `new`?",
        ]),
    );
}

#[test]
fn funnel_without_a_deal_size() {
    plan_fails(
        &with_funnel(&format!("{STAGES}\n")),
        &lines(&[
            "error[E0104]: [funnel] has no `deal_size`",
            "  --> plan.toml:7:2",
            "  |",
            "7 | [funnel]",
            "  |  ^^^^^^",
            "  = help: add the average deal in money, e.g. `deal_size = 10_000`",
        ]),
    );
}

#[test]
fn funnel_deal_size_of_zero() {
    plan_fails(
        &with_funnel(&format!("deal_size = 0\n{STAGES}\n")),
        &lines(&[
            "error[E0207]: deal_size must be an amount above zero",
            "  --> plan.toml:8:13",
            "  |",
            "8 | deal_size = 0",
            "  |             ^",
            "  = help: write the average deal, e.g. `deal_size = 10_000`",
        ]),
    );
}

#[test]
fn funnel_rate_of_zero() {
    plan_fails(
        &with_funnel(
            "deal_size = 10_000\nstages = [{ name = \"deals\", rate = \"100%\" }, { name = \"calls\", rate = \"0%\" }]\n",
        ),
        &lines(&[
            "error[E0207]: a stage's rate must be a percentage above 0% and at most 100%",
            "  --> plan.toml:9:71",
            "  |",
            "9 | stages = [{ name = \"deals\", rate = \"100%\" }, { name = \"calls\", rate = \"0%\" }]",
            "  |                                                                       ^^^^",
            "  = help: write how many of this stage become one of the stage before, e.g. `rate = \"25%\"` (one deal in four prospects)",
        ]),
    );
}

#[test]
fn funnel_rate_above_100_percent() {
    plan_fails(
        &with_funnel(
            "deal_size = 10_000\nstages = [{ name = \"deals\", rate = \"100%\" }, { name = \"calls\", rate = \"120%\" }]\n",
        ),
        &lines(&[
            "error[E0207]: a stage's rate must be a percentage above 0% and at most 100%",
            "  --> plan.toml:9:71",
            "  |",
            "9 | stages = [{ name = \"deals\", rate = \"100%\" }, { name = \"calls\", rate = \"120%\" }]",
            "  |                                                                       ^^^^^^",
            "  = help: write how many of this stage become one of the stage before, e.g. `rate = \"25%\"` (one deal in four prospects)",
        ]),
    );
}

#[test]
fn funnel_stage_named_like_a_metric() {
    plan_fails(
        &with_funnel(
            "deal_size = 10_000\nstages = [{ name = \"sales\", rate = \"100%\" }, { name = \"calls\", rate = \"20%\" }]\n",
        ),
        &lines(&[
            "error[E0106]: funnel stage `sales` is already a column of the output",
            "  --> plan.toml:9:20",
            "  |",
            "9 | stages = [{ name = \"sales\", rate = \"100%\" }, { name = \"calls\", rate = \"20%\" }]",
            "  |                    ^^^^^^^",
            "  = help: give each stage a name no metric, split or other stage has",
        ]),
    );
}

#[test]
fn funnel_stage_named_like_an_over_assign_base_column() {
    roster_fails(
        &teams_with(
            "over_assign = \"10%\"\n\n[funnel]\ndeal_size = 10_000\nstages = [{ name = \"sales_base\", rate = \"100%\" }]\n",
        ),
        "name,team,weight\nAnn,North,1\nBob,South,1\n",
        &lines(&[
            "error[E0106]: funnel stage `sales_base` is already a column of the output",
            "   --> plan.toml:18:20",
            "   |",
            "18 | stages = [{ name = \"sales_base\", rate = \"100%\" }]",
            "   |                    ^^^^^^^^^^^^",
            "   = help: give each stage a name no metric, split or other stage has",
        ]),
    );
}

#[test]
fn funnel_stages_that_are_not_a_list() {
    plan_fails(
        &with_funnel("deal_size = 10_000\nstages = \"deals, calls\"\n"),
        &lines(&[
            "error[E0103]: `stages` must be a list of stages",
            "  --> plan.toml:9:10",
            "  |",
            "9 | stages = \"deals, calls\"",
            "  |          ^^^^^^^^^^^^^^",
            "  = help: write `stages = [{ name = \"deals\", rate = \"100%\" }, { name = \"calls\", rate = \"20%\" }]`",
        ]),
    );
}

#[test]
fn funnel_stages_empty() {
    plan_fails(
        &with_funnel("deal_size = 10_000\nstages = []\n"),
        &lines(&[
            "error[E0104]: `stages` is empty: a funnel needs at least one stage",
            "  --> plan.toml:9:10",
            "  |",
            "9 | stages = []",
            "  |          ^^",
            "  = help: write `stages = [{ name = \"deals\", rate = \"100%\" }, { name = \"calls\", rate = \"20%\" }]`",
        ]),
    );
}

#[test]
fn funnel_stage_without_a_name() {
    plan_fails(
        &with_funnel("deal_size = 10_000\nstages = [{ name = \"deals\", rate = \"100%\" }, { rate = \"20%\" }]\n"),
        &lines(&[
            "error[E0104]: a [funnel] stage has no `name`",
            "  --> plan.toml:9:46",
            "  |",
            "9 | stages = [{ name = \"deals\", rate = \"100%\" }, { rate = \"20%\" }]",
            "  |                                              ^^^^^^^^^^^^^^^^",
            "  = help: write each stage as `{ name = \"calls\", rate = \"20%\" }`",
        ]),
    );
}

#[test]
fn funnel_stage_with_an_empty_name() {
    plan_fails(
        &with_funnel("deal_size = 10_000\nstages = [{ name = \"\", rate = \"100%\" }]\n"),
        &lines(&[
            "error[E0107]: a [funnel] stage has an empty `name`",
            "  --> plan.toml:9:20",
            "  |",
            "9 | stages = [{ name = \"\", rate = \"100%\" }]",
            "  |                    ^^",
            "  = help: write each stage as `{ name = \"calls\", rate = \"20%\" }`",
        ]),
    );
}

#[test]
fn funnel_with_more_activities_than_can_be_counted() {
    plan_fails(
        "[plan]\nyear = 2026\n\n[target]\nsales = 100_000_000_000_000_000_000\n\n[funnel]\ndeal_size = 0.01\n\
         stages = [{ name = \"deals\", rate = \"100%\" }, { name = \"calls\", rate = \"0.00001%\" }]\n",
        &lines(&[
            "error[E0203]: the funnel needs more activities than can be counted for the plan's total",
            "  --> plan.toml:7:2",
            "  |",
            "7 | [funnel]",
            "  |  ^^^^^^",
            "  = help: raise `deal_size` or the stages' rates",
        ]),
    );
}

// ----------------------------------------------------------- people, splits

#[test]
fn over_assign_that_is_not_a_percentage() {
    roster_fails(
        &teams_with("over_assign = 1.1\n"),
        "name,team,weight\nAnn,North,1\nBob,South,1\n",
        &lines(&[
            "error[E0205]: over_assign is 1.1, a bare number: it must be a percentage",
            "   --> plan.toml:14:15",
            "   |",
            "14 | over_assign = 1.1",
            "   |               ^^^",
            "   = help: write how far the members' targets go above their parent's: for 110% of it, `over_assign = \"10%\"`",
        ]),
    );
}

#[test]
fn vacancy_without_a_roster() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[split]]
by = "team"
weights = { North = 1, South = 1 }
vacancy = "show"
"#,
        &lines(&[
            "error[E0109]: split `team` has `vacancy` but no roster",
            "   --> plan.toml:10:11",
            "   |",
            "10 | vacancy = \"show\"",
            "   |           ^^^^^^",
            "   = help: vacancies come from people's `start` and `end` dates in a roster; remove `vacancy`",
        ]),
    );
}

#[test]
fn vacancy_that_is_neither_share_nor_show() {
    roster_fails(
        &teams_with("vacancy = \"shown\"\n"),
        "name,team,weight\nAnn,North,1\nBob,South,1\n",
        &lines(&[
            "error[E0105]: vacancy `shown` is not share or show",
            "   --> plan.toml:14:11",
            "   |",
            "14 | vacancy = \"shown\"",
            "   |           ^^^^^^^",
            "   = help: write \"share\" (whoever is in seat shares the target) or \"show\" (unfilled seats go to a (vacant) row)",
        ]),
    );
}

#[test]
fn nobody_in_seat_names_the_team_and_the_dates() {
    // South's only person starts in March: January and February have nobody.
    roster_fails(
        TEAMS,
        "name,team,weight,start\nAnn,North,1,\nBob,South,1,2026-03-01\n",
        &lines(&[
            "error[E0505]: nobody under `South` in split `rep` is in seat from 2026-01-01 to 2026-02-28, but `South` has a target then",
            "  --> reps.csv line 3",
            "  |",
            "3 | Bob,South,1,2026-03-01",
            "  | ^^^",
            "  = note: with nobody to share it, that part of the target would be lost",
            "  = help: add `vacancy = \"show\"` to split `rep` to keep it on a (vacant) row, or correct the `start` and `end` dates",
        ]),
    );
}

#[test]
fn caps_that_add_up_to_less_than_the_team_target() {
    roster_fails(
        TEAMS,
        "name,team,weight,max\nAnn,North,1,1000000\nBob,North,1,2000000\nCy,South,1,\n",
        &lines(&[
            "error[E0504]: the caps of the people under `North` add up to less than its target",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,North,1,1000000",
            "  | ^^^",
            "  = note: the most they can take is 3,000,000.00 (Ann 1,000,000.00, Bob 2,000,000.00), but `North`'s target is 5,000,000.00",
            "  = help: raise some caps (`max`), add a person without a cap, or give `North` a smaller share",
        ]),
    );
}

#[test]
fn floors_that_add_up_to_more_than_the_team_target() {
    roster_fails(
        TEAMS,
        "name,team,weight,min\nAnn,North,1,3000000\nBob,North,1,\"2,500,000\"\nCy,South,1,\n",
        &lines(&[
            "error[E0504]: the floors of the people under `North` add up to more than its target",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,North,1,3000000",
            "  | ^^^",
            "  = note: 3,000,000.00 + 2,500,000.00 = 5,500,000.00, but `North`'s target is 5,000,000.00",
            "  = help: lower some floors (`min`), or give `North` a larger share",
        ]),
    );
}

#[test]
fn floor_amount_above_a_percentage_cap() {
    // 30% of North's 5,000,000.00 is 1,500,000.00: below Ann's floor of 2,000,000.
    roster_fails(
        TEAMS,
        "name,team,weight,min,max\nAnn,North,1,2000000,30%\nBob,North,1,,\nCy,South,1,,\n",
        &lines(&[
            "error[E0504]: rep `Ann` under `North` has a floor of 2,000,000.00 above their cap of 1,500,000.00",
            "  --> reps.csv line 2",
            "  |",
            "2 | Ann,North,1,2000000,30%",
            "  | ^^^",
            "  = note: the cap is 30% of `North`'s 5,000,000.00",
            "  = help: lower `min` or raise `max` for this person",
        ]),
    );
}

#[test]
fn two_splits_with_dated_people() {
    Test::new().files(&[
            (
                "plan.toml",
                "[plan]\nyear = 2026\n\n[target]\nsales = 10_000_000\n\n[[split]]\nby = \"team\"\nroster = \"teams.csv\"\n\n\
                 [[split]]\nby = \"rep\"\nroster = \"reps.csv\"\n",
            ),
            ("teams.csv", "name,weight,start\nNorth,1,\nSouth,1,2026-04-01\n"),
            ("reps.csv", "name,team,weight,start\nAnn,North,1,\nBob,North,1,2026-05-01\nCy,South,1,\n"),
        ]).args(&["decompose", "plan.toml"]).stderr(&lines(&[
            "error[E0506]: splits `team` and `rep` both have people with dates, ramps or vacancies",
            "   --> plan.toml:12:6",
            "   |",
            "12 | by = \"rep\"",
            "   |      ^^^^^",
            "   = help: keep `start`, `end`, `ramp` and `vacancy` on one roster split (the people)",
        ])).status(1).run();
}

#[test]
fn holds_together_with_start_dates() {
    roster_fails(
        &teams_with("\n[time.fixed]\n\"2026-01\" = 500_000\n"),
        "name,team,weight,start\nAnn,North,1,\nBob,North,1,2026-05-01\nCy,South,1,\n",
        &lines(&[
            "error[E0408]: [time.fixed] holds cannot be combined with the start dates, end dates, ramps or vacancies of split `rep`",
            "   --> plan.toml:16:1",
            "   |",
            "16 | \"2026-01\" = 500_000",
            "   | ^^^^^^^^^^^^^^^^^^^",
            "   = note: a hold is kept by rounding every member together, and people in seat part of the year each follow their own days",
            "   = help: remove the holds, or the `start`, `end`, `ramp` and `vacancy` settings",
        ]),
    );
}

// ----------------------------------------------------------------- history

#[test]
fn baseline_file_missing() {
    plan_fails(
        r#"[plan]
year = 2026

[target.sales]
baseline = "sales-2025.csv"
growth = "15%"
"#,
        &lines(&[
            "error[E0901]: cannot read baseline sales-2025.csv: no such file",
            "  --> plan.toml:5:12",
            "  |",
            "5 | baseline = \"sales-2025.csv\"",
            "  |            ^^^^^^^^^^^^^^^^",
            "  = help: check the path; it is read relative to the plan file's folder",
        ]),
    );
}

#[test]
fn growth_without_a_baseline() {
    plan_fails(
        r#"[plan]
year = 2026

[target.sales]
total = 10_000_000
growth = "15%"
"#,
        &lines(&[
            "error[E0109]: [target.sales] has a `growth` but no `baseline` to grow from",
            "  --> plan.toml:6:1",
            "  |",
            "6 | growth = \"15%\"",
            "  | ^^^^^^",
            "  = help: add last year's actuals, e.g. `baseline = \"sales-2025.csv\"`, or remove `growth`",
        ]),
    );
}

#[test]
fn baseline_and_total_together() {
    baseline_fails(
        r#"[plan]
year = 2026

[target.sales]
baseline = "sales-2025.csv"
total = 10_000_000
"#,
        &lines(&[
            "error[E0108]: [target.sales] has both a `baseline` and a `total`",
            "  --> plan.toml:6:1",
            "  |",
            "6 | total = 10_000_000",
            "  | ^^^^^",
            "  = help: a metric from a baseline has its total worked out from last year and `growth`: remove `total`",
        ]),
    );
}

#[test]
fn baseline_on_a_count() {
    baseline_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[target.orders]
kind = "count"
baseline = "sales-2025.csv"
"#,
        &lines(&[
            "error[E0109]: [target.orders] is not an amount, so it cannot grow from a baseline of sales",
            "  --> plan.toml:9:12",
            "  |",
            "9 | baseline = \"sales-2025.csv\"",
            "  |            ^^^^^^^^^^^^^^^^",
            "  = help: set a baseline on a money metric (kind = \"amount\")",
        ]),
    );
}

#[test]
fn growth_per_quarter_missing_a_quarter() {
    baseline_fails(
        r#"[plan]
year = 2026

[target.sales]
baseline = "sales-2025.csv"
growth = { Q1 = "10%", Q2 = "12%", Q4 = "15%" }
"#,
        &lines(&[
            "error[E0104]: growth names no rate for Q3",
            "  --> plan.toml:6:10",
            "  |",
            "6 | growth = { Q1 = \"10%\", Q2 = \"12%\", Q4 = \"15%\" }",
            "  |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
            "  = help: give every quarter a rate, e.g. `growth = { Q1 = \"10%\", Q2 = \"12%\", Q3 = \"13%\", Q4 = \"15%\" }`",
        ]),
    );
}

#[test]
fn growth_of_minus_100_percent() {
    baseline_fails(
        r#"[plan]
year = 2026

[target.sales]
baseline = "sales-2025.csv"
growth = "-100%"
"#,
        &lines(&[
            "error[E0207]: growth must be a percentage above -100%",
            "  --> plan.toml:6:10",
            "  |",
            "6 | growth = \"-100%\"",
            "  |          ^^^^^^^",
            "  = help: write the growth over last year as a percentage, e.g. \"15%\" (or \"-5%\" for a decline)",
        ]),
    );
}

#[test]
fn weights_from_history_with_no_baseline() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[[split]]
by = "region"
weights = "history"
"#,
        &lines(&[
            "error[E0109]: split `region` takes its weights from history, but no metric has a `baseline`",
            "  --> plan.toml:7:1",
            "  |",
            "7 | [[split]]",
            "  | ^^^^^^^^^",
            "  = help: add `baseline = \"sales-2025.csv\"` to the money metric in [target], or give the split `weights`",
        ]),
    );
}

#[test]
fn weights_from_history_with_no_such_column_in_the_baseline() {
    baseline_fails(
        r#"[plan]
year = 2026

[target.sales]
baseline = "sales-2025.csv"
growth = "10%"

[[split]]
by = "channel"
weights = "history"
"#,
        &lines(&[
            "error[E0603]: split `channel` takes its weights from history, but sales-2025.csv has no `channel` column",
            "  --> plan.toml:8:1",
            "  |",
            "8 | [[split]]",
            "  | ^^^^^^^^^",
            "  = help: add a `channel` column (and one for every split before it) to sales-2025.csv, or give the split `weights`",
        ]),
    );
}

#[test]
fn weights_from_history_below_a_split_the_baseline_lacks() {
    baseline_fails(
        r#"[plan]
year = 2026

[target.sales]
baseline = "sales-2025.csv"

[[split]]
by = "channel"
weights = { online = 1, shop = 1 }

[[split]]
by = "region"
weights = "history"
"#,
        &lines(&[
            "error[E0603]: split `region` takes its weights from history, but sales-2025.csv has no `channel` column",
            "   --> plan.toml:11:1",
            "   |",
            "11 | [[split]]",
            "   | ^^^^^^^^^",
            "   = note: a baseline's columns follow the splits in order: its `region` column is read under a `channel` column",
            "   = help: add a `channel` column to sales-2025.csv, or give split `region` `weights`",
        ]),
    );
}

#[test]
fn growth_for_a_member_with_no_sales_last_year() {
    baseline_fails(
        r#"[plan]
year = 2026

[target.sales]
baseline = "sales-2025.csv"
growth = "10%"

[[split]]
by = "region"
weights = "history"

[split.growth]
East = "20%"
Wets = "5%"
"#,
        &lines(&[
            "error[E0702]: `Wets` has no sales in sales-2025.csv, so it has no history to grow",
            "   --> plan.toml:14:1",
            "   |",
            "14 | Wets = \"5%\"",
            "   | ^^^^",
            "   = help: did you mean `West`? A new member with no history needs a `fixed` amount",
        ]),
    );
}

#[test]
fn growth_per_quarter_and_per_member_together() {
    baseline_fails(
        r#"[plan]
year = 2026

[target.sales]
baseline = "sales-2025.csv"
growth = { Q1 = "10%", Q2 = "12%", Q3 = "13%", Q4 = "15%" }

[[split]]
by = "region"
weights = "history"

[split.growth]
East = "20%"
"#,
        &lines(&[
            "error[E0108]: `sales` grows by quarter and split `region` by member: choose one",
            "  --> plan.toml:6:10",
            "  |",
            "6 | growth = { Q1 = \"10%\", Q2 = \"12%\", Q3 = \"13%\", Q4 = \"15%\" }",
            "  |          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^",
            "  = help: keep growth per quarter in [target], or growth per member in [split.growth]",
        ]),
    );
}

#[test]
fn months_from_history_with_no_baseline() {
    plan_fails(
        r#"[plan]
year = 2026

[target]
sales = 10_000_000

[time]
months = "history"
"#,
        &lines(&[
            "error[E0109]: months = \"history\" takes the months from last year's sales, but no metric has a `baseline`",
            "  --> plan.toml:8:10",
            "  |",
            "8 | months = \"history\"",
            "  |          ^^^^^^^^^",
            "  = help: add `baseline = \"sales-2025.csv\"` to the money metric in [target], or give `months` as 12 weights",
        ]),
    );
}

#[test]
fn growth_per_member_on_a_split_with_its_own_weights() {
    baseline_fails(
        r#"[plan]
year = 2026

[target.sales]
baseline = "sales-2025.csv"
growth = "10%"

[[split]]
by = "region"
weights = { East = 1, West = 1 }

[split.growth]
East = "20%"
"#,
        &lines(&[
            "error[E0109]: split `region` has growth per member but its weights are not from history",
            "   --> plan.toml:12:8",
            "   |",
            "12 | [split.growth]",
            "   |        ^^^^^^",
            "   = help: growth per member grows last year's sales: write `weights = \"history\"` instead of the weights",
        ]),
    );
}

/// Last year's sales by region and product.
const BASELINE_PRODUCTS: &str = "date,region,product,sales
2025-01-15,East,A,100000
2025-04-15,East,B,120000
2025-07-15,West,A,80000
2025-10-15,West,B,150000
";

/// As [`plan_fails`], with [`BASELINE_PRODUCTS`] as sales-2025.csv beside the plan.
#[track_caller]
fn products_baseline_fails(plan: &str, expected: &str) {
    Test::new()
        .files(&[("plan.toml", plan), ("sales-2025.csv", BASELINE_PRODUCTS)])
        .args(&["decompose", "plan.toml"])
        .stderr(expected)
        .status(1)
        .run();
}

/// Regions and their products both weighted by history; `within` is the
/// rest of the plan.
fn history_products_within(within: &str) -> String {
    format!(
        "[plan]\nyear = 2026\n\n[target.sales]\nbaseline = \"sales-2025.csv\"\n\n[[split]]\nby = \"region\"\n\
         weights = \"history\"\n\n[[split]]\nby = \"product\"\nweights = \"history\"\n\n{within}"
    )
}

#[test]
fn within_on_a_first_split_weighted_by_history() {
    // `within` on a later history split sets new parents' weights, or
    // overrides history for the parents it names; the first has no parent.
    products_baseline_fails(
        r#"[plan]
year = 2026

[target.sales]
baseline = "sales-2025.csv"

[[split]]
by = "region"
weights = "history"

[split.within.East]
weights = { A = 1, B = 2 }
"#,
        &lines(&[
            "error[E0306]: split `region` is the first split, so `within` has no parent to name",
            "   --> plan.toml:11:8",
            "   |",
            "11 | [split.within.East]",
            "   |        ^^^^^^",
            "   = help: remove `within`",
        ]),
    );
}

#[test]
fn within_on_a_history_split_naming_a_parent_that_is_not_a_member() {
    products_baseline_fails(
        &history_products_within("[split.within.Eats]\nweights = { A = 1, B = 2 }\n"),
        &lines(&[
            "error[E0302]: `within` names `Eats`, which is not a member of split `region`",
            "   --> plan.toml:15:15",
            "   |",
            "15 | [split.within.Eats]",
            "   |               ^^^^",
            "   = help: did you mean `East`? The members of `region` are: East, West",
        ]),
    );
}

#[test]
fn within_on_a_history_split_with_a_typo() {
    products_baseline_fails(
        &history_products_within("[split.within.East]\nwieghts = { A = 1, B = 2 }\n"),
        &lines(&[
            "error[E0102]: unknown key `wieghts` in [split.within.\"East\"]",
            "   --> plan.toml:16:1",
            "   |",
            "16 | wieghts = { A = 1, B = 2 }",
            "   | ^^^^^^^",
            "   = help: did you mean `weights`?",
        ]),
    );
}

// ----------------------------------------------------------------- explain

/// Sales by region, a market share level and a funnel for East.
const EXPLAINED: &str = r#"[plan]
year = 2026

[target]
sales = 10_000_000

[target.share]
kind = "level"
value = "5%"

[[split]]
by = "region"
weights = { East = 1, West = 2 }

[funnel]
metric = "sales"
where = { region = "East" }
deal_size = 10_000
stages = [{ name = "deals", rate = "100%" }, { name = "calls", rate = "20%" }]
"#;

/// `salesplit explain plan.toml` over [`EXPLAINED`] with `args` must say exactly `expected`.
#[track_caller]
fn explain_fails(args: &[&str], expected: &str) {
    let mut all = vec!["explain", "plan.toml"];
    all.extend_from_slice(args);
    Test::new().files(&[("plan.toml", EXPLAINED)]).args(&all).stderr(expected).status(1).run();
}

#[test]
fn explain_an_unknown_metric_suggests_the_nearest() {
    explain_fails(
        &["--cell", "region=East", "--metric", "sale"],
        &lines(&[
            "error[E0809]: --metric `sale` is not a column of this plan",
            " = help: did you mean `sales`? The metrics are: sales, deals, calls, share",
        ]),
    );
}

#[test]
fn explain_a_level() {
    explain_fails(
        &["--cell", "region=East,period=2026-03", "--metric", "share"],
        &lines(&[
            "error[E0810]: `share` is a level: it is not shared, so there is nothing to explain",
            " = help: every member has the level of its period, as the plan's `value` and `path` say",
        ]),
    );
}

#[test]
fn explain_a_funnel_stage_agrees_with_decompose_or_says_no() {
    let files = [("plan.toml", EXPLAINED)];
    let (_, table, _) = run_in(&files, &["decompose", "plan.toml", "--by", "region,year", "--format", "csv"]);
    assert!(table.contains("\nEast,2026,2026-01-01,2026-12-31,3333333.33,334,1670,"), "{table}");
    let (status, stdout, stderr) =
        run_in(&files, &["explain", "plan.toml", "--cell", "region=East", "--metric", "calls"]);
    if let Some(0) = status {
        assert!(stdout.starts_with("calls for region East, period 2026: 1,670\n"), "{stdout}");
    } else {
        assert_eq!(status, Some(1), "{stderr}");
        assert_eq!(stdout, "");
        assert!(stderr.starts_with("error[E"), "{stderr}");
    }
}

#[test]
fn weights_misspelling_history() {
    plan_fails(
        "[plan]\nyear = 2026\n\n[target]\nsales = 100\n\n[[split]]\nby = \"region\"\nweights = \"histroy\"\n",
        &lines(&[
            "error[E0105]: weights `histroy` is neither a table of weights nor \"history\"",
            "  --> plan.toml:9:11",
            "  |",
            "9 | weights = \"histroy\"",
            "  |           ^^^^^^^^^",
            "  = help: did you mean `weights = \"history\"` (last year's shares)?",
        ]),
    );
}
