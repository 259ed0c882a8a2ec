//! Stage `render`: `--format html`, one self-contained page a director can
//! open, print and send — inline CSS (with a print stylesheet: A4
//! landscape, a page per section, no chart cut), inline SVG charts, no
//! script, nothing fetched, UTF-8 in the system's CJK fonts.
//!
//! A `decompose` page: the plan's title, total, currency and year; the org
//! cascade as an icicle; the company by period stacked by the first split;
//! small multiples of each member; the pivot table; a footnote with the
//! rounding promise and the command that wrote the page. A `track` page:
//! attainment to date per member over the tolerance band; the burn-up; the
//! report's table; the re-plan's table when `--replan`.
//!
//! Contract: every figure on the page is one the engine computed (the
//! [`Report`]'s charts, the [`Pivots`] and [`Listing`] of the tables); this
//! module formats them and scales the engine's exact fractions to pixels.
//! Every text of the user's (plan title, members, paths) is escaped.

mod attainment_bars;
mod burn_up_chart;
mod html_table;
mod icicle;
mod stacked_bars;
mod words;

use rust_decimal::Decimal;

use crate::engine::{Listing, Pivots, Report, ReportNote, Value};
use crate::render::html_text::escape;
use crate::render::thousands;
use attainment_bars::{attainment_bars, status_class};
use burn_up_chart::burn_up_chart;
use html_table::{listing_table, pivot_table};
use icicle::icicle;
use stacked_bars::{small_multiples, stacked_bars};
use words::Words;

/// What a report page shows.
pub struct HtmlReport<'a> {
    /// The charts.
    pub report: &'a Report,
    /// The pivot table: a `decompose` breakdown, or a re-plan's new targets.
    pub pivots: Option<&'a Pivots>,
    /// The tracking report's table (one row per cell).
    pub listing: Option<&'a Listing>,
    /// The display unit's name (`万`), when figures are shown in one.
    pub unit: Option<String>,
    /// The command line that writes this page, as typed.
    pub command: String,
}

/// An amount for people: thousands separators, its decimals kept.
fn amount(d: Decimal) -> String {
    thousands(d)
}

/// A fraction as a percentage with two decimals (`0.375` -> `37.50%`).
fn percent(d: Decimal) -> String {
    format!("{:.2}%", (d * Decimal::ONE_HUNDRED).round_dp(2))
}

/// The colours of the first split's members, in order (cycling).
const PALETTE: [&str; 12] = [
    "#4e79a7", "#f28e2b", "#59a14f", "#e15759", "#76b7b2", "#edc948", "#b07aa1", "#ff9da7", "#9c755f", "#bab0ac",
    "#1f77b4", "#8cd17d",
];

fn colour(i: usize) -> &'static str {
    PALETTE[i % PALETTE.len()]
}

/// Whether `text` at `font` pixels fits in `width` pixels (a wide
/// character counts as two narrow ones, a narrow one as 0.6 of the font).
fn fits(text: &str, width: Decimal, font: u32) -> bool {
    let columns = unicode_width::UnicodeWidthStr::width(text) as u64;
    Decimal::from(columns * u64::from(font) * 6) / Decimal::TEN + Decimal::from(6) <= width
}

const CSS: &str = r#"
:root { --ink: #1f2933; --muted: #616e7c; --grid: #d9e2ec; }
* { box-sizing: border-box; }
body { font-family: system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; color: var(--ink);
  margin: 24px 32px; max-width: 1160px; line-height: 1.4; }
h1 { font-size: 26px; margin: 0 0 6px; }
h2 { font-size: 18px; margin: 0 0 10px; border-bottom: 2px solid var(--grid); padding-bottom: 4px; }
.facts { display: flex; flex-wrap: wrap; gap: 8px 32px; margin: 0 0 8px; padding: 0; list-style: none; }
.facts li { color: var(--muted); }
.facts strong { display: block; color: var(--ink); font-size: 20px; font-variant-numeric: tabular-nums; }
section { margin: 28px 0; }
.note { color: #8a4b08; background: #fff7e6; border-left: 4px solid #f0b429; padding: 6px 10px; margin: 8px 0; }
svg { display: block; max-width: 100%; height: auto; }
svg text { font-family: system-ui, "Noto Sans CJK SC", "WenQuanYi Micro Hei", sans-serif; font-size: 12px; fill: var(--ink); }
svg .axis { fill: var(--muted); } svg .small { font-size: 10px; } svg .bar-total { font-size: 10px; fill: var(--muted); }
svg .figure, svg .share { font-variant-numeric: tabular-nums; } svg .share { fill: #323f4b; }
svg .name { font-weight: 600; }
svg .node { stroke: #fff; stroke-width: 1; } svg .d1 { fill-opacity: .78; } svg .d2 { fill-opacity: .6; } svg .d3 { fill-opacity: .45; }
svg .axis-line { stroke: var(--muted); } svg .grid { stroke: var(--grid); stroke-dasharray: 3 3; }
svg .band { fill: #e3f8e8; } svg .hundred { stroke: #3e4c59; stroke-dasharray: 4 3; }
svg .att.ahead { fill: #2f9e44; } svg .att.ontrack { fill: #f59f00; } svg .att.behind { fill: #e03131; } svg .att.idle { fill: #adb5bd; }
svg .target { fill: none; stroke: #4e79a7; stroke-width: 2; } svg .actual { fill: none; stroke: #e15759; stroke-width: 2.5; }
svg .projection { fill: none; stroke: #e15759; stroke-width: 2; stroke-dasharray: 6 4; }
svg .as-of { stroke: var(--muted); stroke-dasharray: 2 3; }
svg .target-label { fill: #4e79a7; } svg .actual-label, svg .projection-label { fill: #c92a2a; }
.legend { list-style: none; padding: 0; display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 8px 0; }
.swatch { display: inline-block; width: 12px; height: 12px; margin-right: 6px; vertical-align: -1px; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(260px, 1fr)); gap: 8px 16px; }
figure { margin: 0; break-inside: avoid; }
.scale { color: var(--muted); font-size: 12px; }
table { border-collapse: collapse; font-size: 12px; margin: 0 0 20px; }
caption { text-align: left; font-weight: 600; padding: 4px 0; }
th, td { border-bottom: 1px solid var(--grid); padding: 3px 8px; white-space: nowrap; }
th { text-align: left; font-weight: 500; } thead th { background: #f0f4f8; font-weight: 600; }
.n { text-align: right; font-variant-numeric: tabular-nums; }
tfoot tr.total th, tfoot tr.total td { font-weight: 700; border-top: 2px solid var(--ink); }
td.status.ahead { color: #2b8a3e; } td.status.ontrack { color: #9c5700; } td.status.behind { color: #c92a2a; font-weight: 600; }
.table-wrap { overflow-x: auto; }
footer { color: var(--muted); font-size: 12px; border-top: 1px solid var(--grid); margin-top: 32px; padding-top: 8px; }
code { font-family: ui-monospace, "Noto Sans Mono CJK SC", monospace; background: #f0f4f8; padding: 1px 4px; word-break: break-all; }
@media print {
  @page { size: A4 landscape; margin: 12mm; }
  body { margin: 0; max-width: none; font-size: 11px; }
  section { break-before: page; margin: 0; }
  section.first { break-before: auto; }
  svg, figure, .legend { break-inside: avoid; }
  /* A tall chart (60 attainment bars) shrinks to one page rather than being cut. */
  svg { max-height: 140mm; width: auto; height: auto; }
  h2 { break-after: avoid; }
  .table-wrap { overflow: visible; }
  thead { display: table-header-group; } tr { break-inside: avoid; }
  table { font-size: 9px; } th, td { padding: 2px 4px; }
}
"#;

impl HtmlReport<'_> {
    /// The page.
    pub fn render(&self) -> String {
        let report = self.report;
        let header = report.header.as_ref();
        let words = Words::of(header.map(|h| h.language).unwrap_or_default());
        let title = header.map(|h| h.plan.clone()).unwrap_or_default();
        let currency = header.map(|h| h.currency.clone()).unwrap_or_default();
        let lang = words.pick("en", "zh-CN");
        let mut out = format!(
            "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
             <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
             <meta name=\"generator\" content=\"salesplit\">\n<title>{}</title>\n<style>{CSS}</style>\n</head>\n<body>\n",
            escape(&title)
        );
        out.push_str(&format!("<header>\n<h1>{}</h1>\n<ul class=\"facts\">\n", escape(&title)));
        // A figure's unit after it: `1,000.00 万 CNY`, `10,000,000.00 CNY`.
        let suffix = [self.unit.as_deref().unwrap_or(""), currency.as_str()].join(" ");
        let money = |figure: String| match suffix.trim() {
            "" => figure,
            unit => format!("{figure} <small>{}</small>", escape(unit)),
        };
        let fact = |out: &mut String, label: &str, value: &str| {
            out.push_str(&format!("<li>{}<strong>{value}</strong></li>\n", escape(label)));
        };
        if let Some(table) = self.pivots.and_then(|p| p.tables.first()).filter(|_| self.listing.is_none()) {
            let name = words.name(&report.metric);
            fact(&mut out, &format!("{} {}", words.labels.total(), name), &money(amount(table.total)));
        }
        if let Some(company) = report.company.as_ref() {
            for name in ["target", "actual_to_date", "attainment"] {
                if let Some(value) = company_value(company, name) {
                    let shown = match value {
                        Value::Ratio(r) => percent(r),
                        Value::Amount(d) => money(amount(d)),
                        _ => continue,
                    };
                    fact(&mut out, &words.column(name), &shown);
                }
            }
            if let Some(Value::Text(status)) = company_value(company, "status") {
                fact(&mut out, &words.column("status"), &escape(&words.status(status)));
            }
        }
        if !currency.is_empty() {
            fact(&mut out, words.pick("Currency", "币种"), &escape(&currency));
        }
        if let Some(h) = header {
            fact(&mut out, words.pick("Year", "年度"), &h.year.to_string());
            if let Some(as_of) = h.as_of {
                fact(&mut out, words.pick("As of", "截至"), &as_of.date.to_string());
            }
        }
        out.push_str("</ul>\n</header>\n");
        let mut first = true;
        let mut section = |out: &mut String, id: &str, heading: &str, body: &str| {
            let class = if first { " class=\"first\"" } else { "" };
            first = false;
            out.push_str(&format!("<section id=\"{id}\"{class}>\n<h2>{}</h2>\n{body}</section>\n", escape(heading)));
        };
        let level = header.map(|h| h.time.clone()).unwrap_or_default();
        let stacked_level = report.stacked.as_ref().map_or(level.clone(), |s| s.table.dim_name(s.table.col_dim));
        if let Some(standing) = &report.standing {
            section(
                &mut out,
                "attainment",
                words.pick("Attainment to date", "至今达成率"),
                &attainment_bars(standing, words),
            );
        }
        if let Some(burn) = &report.burn_up {
            let heading = words.pick("Cumulative target and actual, with the projection", "累计目标与实际（含预计）");
            section(&mut out, "burn-up", heading, &burn_up_chart(burn, report.company.as_ref(), words));
        }
        if let Some(cascade) = &report.cascade {
            let mut body = self.notes(words, |n| matches!(n, ReportNote::Cascade { .. }));
            body.push_str(&icicle(cascade, words));
            section(&mut out, "decomposition", words.pick("The decomposition", "目标分解"), &body);
        }
        if let Some(stacked) = &report.stacked {
            let split = stacked.table.row_dims.first().map(|d| stacked.table.dim_name(*d));
            let metric = words.column(&report.metric);
            let heading = match &split {
                Some(s) => match words.pick("en", "zh") {
                    "en" => format!("{metric} {}, stacked by {s}", words.by(&stacked_level)),
                    _ => format!("{metric}{}（按{}堆叠）", words.by(&stacked_level), words.name(s)),
                },
                None => format!("{metric} {}", words.by(&stacked_level)),
            };
            section(&mut out, "by-period", heading.trim(), &stacked_bars(stacked, words, &stacked_level));
            if let Some(split) = split {
                let mut body = self.notes(words, |n| matches!(n, ReportNote::Multiples { .. }));
                body.push_str(&small_multiples(stacked, words));
                section(&mut out, "multiples", &words.each_by(&split, &stacked_level), &body);
            }
        }
        let table_note = self.notes(words, |n| matches!(n, ReportNote::Table { .. }));
        if let Some(listing) = self.listing {
            let heading = words.pick("The standing", "进度表");
            let mut body = table_note.clone();
            body.push_str(&format!("<div class=\"table-wrap\">{}</div>\n", listing_table(listing, "", words)));
            section(&mut out, "standing", heading, &body);
        }
        if let Some(pivots) = self.pivots {
            let replan = header.and_then(|h| h.as_of).is_some();
            let heading = if replan {
                words.pick("Re-plan: the new targets of the periods left", "重新分解：剩余期间的新目标")
            } else {
                words.pick("The targets", "目标明细")
            };
            let mut body = if self.listing.is_some() { String::new() } else { table_note };
            for table in &pivots.tables {
                let name = table.header.as_ref().map(|h| h.columns[table.column].name.clone()).unwrap_or_default();
                let caption = match (&table.shown, &self.unit) {
                    (Some(_), Some(u)) => format!("{} ({})", words.name(&name), words.in_unit(u, &currency)),
                    _ => words.name(&name),
                };
                body.push_str(&format!("<div class=\"table-wrap\">{}</div>\n", pivot_table(table, &caption, words)));
            }
            section(&mut out, "table", heading, &body);
        }
        out.push_str(&self.footer(words));
        out.push_str("</body>\n</html>\n");
        out
    }

    /// The notes of what was left out, of the kinds `which` picks.
    fn notes(&self, words: Words, which: impl Fn(&ReportNote) -> bool) -> String {
        let mut out = String::new();
        for note in self.report.notes.iter().filter(|n| which(n)) {
            let text = match note {
                ReportNote::Cascade { shown, depths, hidden } => match words.pick("en", "zh") {
                    "en" => format!(
                        "A large plan: the first {shown} of {depths} splits are drawn; the next one down has {} members, listed in the table.",
                        thousands(Decimal::from(*hidden))
                    ),
                    _ => format!("计划较大：只画出前 {shown} 层（共 {depths} 层）；下一层有 {} 个成员，见明细表。", thousands(Decimal::from(*hidden))),
                },
                ReportNote::Multiples { shown, members } => match words.pick("en", "zh") {
                    "en" => format!("The first {shown} of {members} members are drawn; every one is in the table."),
                    _ => format!("只画出前 {shown} 个成员（共 {members} 个）；全部见明细表。"),
                },
                ReportNote::Bars { shown } => {
                    let names: Vec<String> = shown.iter().map(|s| words.name(s)).collect();
                    match words.pick("en", "zh") {
                        "en" => format!("Too many members to draw one bar each: the bars are by {}.", names.join(", ")),
                        _ => format!("成员过多：按 {} 画出。", names.join("、")),
                    }
                }
                ReportNote::Table { shown, full, cells } => match words.pick("en", "zh") {
                    "en" => format!(
                        "A large plan: the breakdown {full} has {} cells; this page summarises it as --by {shown}. Write the full one with --format csv or xlsx.",
                        thousands(Decimal::from(*cells))
                    ),
                    _ => format!(
                        "计划较大：{full} 共 {} 个单元格；本页按 --by {shown} 汇总。完整数据请用 --format csv 或 xlsx。",
                        thousands(Decimal::from(*cells))
                    ),
                },
            };
            out.push_str(&format!("<p class=\"note\">{}</p>\n", escape(&text)));
        }
        out
    }

    /// The rounding promise and the command that writes the page.
    fn footer(&self, words: Words) -> String {
        let precision = self.report.header.as_ref().map(|h| h.precision.to_string()).unwrap_or_default();
        let promise = match words.pick("en", "zh") {
            "en" => format!(
                "Every figure is rounded to {precision}; every total is the exact sum of the figures it covers, and along the plan's cascade each figure is the floor or the ceiling of its exact share. No drift grows with depth."
            ),
            _ => format!("每个数字按 {precision} 取整；每个合计都精确等于其所含数字之和，沿计划的分解路径每个数字都是其精确份额的向下或向上取整，不随层级累积误差。"),
        };
        let unit = match &self.unit {
            Some(u) => match words.pick("en", "zh") {
                "en" => format!(
                    " Figures in {u} are each the floor or the ceiling of the exact figure, rounded so that every table adds up as shown; CSV, JSON and xlsx keep the exact figures."
                ),
                _ => format!(" 以{u}显示的数字为精确值的向下或向上取整，且每张表按显示值加总一致；CSV、JSON 和 xlsx 保留精确值。"),
            },
            None => String::new(),
        };
        format!(
            "<footer>\n<p>{}{}</p>\n<p>{} <code>{}</code></p>\n</footer>\n",
            escape(&promise),
            escape(&unit),
            escape(words.pick("This page is written by:", "重现本页：")),
            escape(&self.command)
        )
    }
}

/// A column of the company's year report.
fn company_value(company: &Listing, name: &str) -> Option<Value> {
    let column = company.header.as_ref()?.columns.iter().position(|c| c.name == name)?;
    company.rows.first()?.values.get(column).copied()
}
