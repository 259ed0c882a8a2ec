//! Stage `engine`: the figures of an HTML report (`--format html`) beyond
//! its table: the org cascade as a tree ([`Cascade`]), the company by period
//! stacked by the first split ([`Stacked`]), and for a tracking report the
//! attainment per member ([`Standing`]) and the burn-up ([`BurnUp`]). Each
//! comes from its own run of the engine (or of the tracker: the caller
//! passes how to run a request), so that every figure on the page is one a
//! run computed and the renderer only lays them out.
//!
//! Contract: large plans are summarised, never drawn leaf by leaf — the
//! cascade stops at the depth past [`Report::MAX_NODES`] nodes, the small
//! multiples at [`Report::MAX_MEMBERS`] members, the attainment bars at
//! [`Report::MAX_BARS`], the table at [`Report::MAX_TABLE_CELLS`] cells — and
//! each cut is a [`ReportNote`] the page shows.

use rust_decimal::Decimal;

use super::{BurnUp, Cascade, CellSink, Crosstab, Dim, Header, Listing, Stacked, Standing};
use crate::calendar::Level;
use crate::engine::{ColumnKind, Engine, Request, TimeView};

/// How a report runs a request into a sink: the engine's run for
/// `decompose`, the tracker's report for `track`.
pub type RunRequest<'r> = dyn FnMut(&Request, &mut dyn CellSink) -> std::io::Result<()> + 'r;

/// What a report left out to stay readable, said on the page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ReportNote {
    /// The cascade shows its first `shown` splits of `depths`; the next
    /// split down has `hidden` nodes.
    Cascade {
        /// Splits drawn.
        shown: usize,
        /// Splits in the breakdown.
        depths: usize,
        /// Nodes of the first split not drawn.
        hidden: u64,
    },
    /// The small multiples show the first `shown` of `members` members.
    Multiples {
        /// Members drawn.
        shown: usize,
        /// Members of the first split.
        members: usize,
    },
    /// The attainment bars are by `shown` (split names), not by every split of the breakdown.
    Bars {
        /// The splits the bars are by.
        shown: Vec<String>,
    },
    /// The table is the breakdown `shown` (as `--by` takes it) rather than
    /// `full`, which has `cells` cells.
    Table {
        /// The breakdown shown.
        shown: String,
        /// The breakdown asked for.
        full: String,
        /// Its cells.
        cells: u64,
    },
}

/// The charts of a report, each `None` when it does not apply (no split to
/// stack by, no actuals).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Report {
    /// The header of the breakdown asked for.
    pub header: Option<Header>,
    /// The column charted (the plan's first metric that adds up, or the
    /// tracked metric).
    pub metric: String,
    /// The org cascade as a tree, for `decompose`.
    pub cascade: Option<Cascade>,
    /// The company by period, stacked by the first split of the breakdown.
    pub stacked: Option<Stacked>,
    /// Attainment to date per member, for `track`.
    pub standing: Option<Standing>,
    /// The company's cumulative target and actual by day, for `track`.
    pub burn_up: Option<BurnUp>,
    /// The company's tracking figures for the year (in the display unit):
    /// the burn-up's labels.
    pub company: Option<Listing>,
    /// What was left out.
    pub notes: Vec<ReportNote>,
}

impl Report {
    /// The most cascade nodes drawn, all depths together.
    pub const MAX_NODES: u64 = 400;
    /// The most members with a small multiple each.
    pub const MAX_MEMBERS: usize = 24;
    /// The most attainment bars.
    pub const MAX_BARS: u64 = 60;
    /// The most cells of the report's table.
    pub const MAX_TABLE_CELLS: u64 = 12_000;

    /// The charts of a `decompose` report of `request`; `unit` puts the
    /// figures shown in a display unit (factor, decimals).
    pub fn decompose(
        engine: &Engine<'_>,
        request: &Request,
        unit: Option<(Decimal, u32)>,
        run: &mut RunRequest<'_>,
    ) -> std::io::Result<Report> {
        let header = engine.header(request);
        let Some(column) = header.columns.iter().position(|c| c.kind.adds_up()) else {
            return Ok(Report { header: Some(header), ..Report::default() });
        };
        let mut report = Report { metric: header.columns[column].name.clone(), ..Report::default() };
        let money = header.columns[column].kind == ColumnKind::Amount;
        let (time, period) = whole(request);
        if let Some(&deepest) = request.splits.iter().max() {
            let mut cascade = Cascade { depths: deepest + 1, ..Cascade::default() };
            let mut drawn = 0;
            for depth in 0..=deepest {
                let by = Request { splits: (0..=depth).collect(), time, period: period.clone(), shard: None };
                let nodes = engine.cell_count(&by);
                if drawn + nodes > Self::MAX_NODES && depth > 0 {
                    cascade.hidden = nodes;
                    report.notes.push(ReportNote::Cascade { shown: depth, depths: deepest + 1, hidden: nodes });
                    break;
                }
                drawn += nodes;
                let table = table_of(run, &by, column, (0..=depth).map(Dim::Split).collect(), Dim::Period)?;
                cascade.push_depth(depth, &table, &shown(&table, unit, money));
            }
            report.cascade = Some(cascade);
        }
        report.stacked = Some(stacked(engine, request, column, unit, run, &mut report.notes)?);
        report.header = Some(header);
        Ok(report)
    }

    /// The charts of a `track` report of `request` with `tolerance` (the
    /// runs are the tracker's reports of the tracked metric).
    pub fn track(
        engine: &Engine<'_>,
        request: &Request,
        tolerance: Decimal,
        unit: Option<(Decimal, u32)>,
        run: &mut RunRequest<'_>,
    ) -> std::io::Result<Report> {
        let (time, period) = whole(request);
        let mut report = Report::default();
        // The bars: by the breakdown's splits, or as many of the first as fit.
        let mut splits = request.splits.clone();
        while splits.len() > 1
            && engine.cell_count(&Request { splits: splits.clone(), time, period: period.clone(), shard: None })
                > Self::MAX_BARS
        {
            splits.pop();
        }
        if splits.len() < request.splits.len() {
            let names = splits.iter().map(|&s| engine.plan().splits[s].by.clone()).collect();
            report.notes.push(ReportNote::Bars { shown: names });
        }
        let mut bars = Listing::default();
        run(&Request { splits, time, period: period.clone(), shard: None }, &mut bars)?;
        report.standing = Some(Standing::of(&bars, tolerance));
        let mut year = listing(unit);
        run(&Request { splits: Vec::new(), time: TimeView::Tree(Level::Year), period: None, shard: None }, &mut year)?;
        if !engine.calendar().level(Level::Day).is_empty() {
            let mut days = Listing::default();
            run(
                &Request { splits: Vec::new(), time: TimeView::Tree(Level::Day), period: None, shard: None },
                &mut days,
            )?;
            let mut exact_year = Listing::default();
            run(
                &Request { splits: Vec::new(), time: TimeView::Tree(Level::Year), period: None, shard: None },
                &mut exact_year,
            )?;
            report.burn_up = Some(BurnUp::of(&days, &exact_year));
        }
        report.metric = year.header.as_ref().and_then(|h| h.metrics.first().cloned()).unwrap_or_default();
        report.company = Some(year);
        report.header = bars.header.take();
        Ok(report)
    }

    /// The breakdown a report's table shows: `request`, or when it has more
    /// than [`Report::MAX_TABLE_CELLS`] cells, the first splits and the
    /// coarsest of months, quarters and the year that fit — with the note
    /// that says so.
    pub fn table_request(engine: &Engine<'_>, request: &Request) -> (Request, Option<ReportNote>) {
        let cells = engine.cell_count(request);
        if cells <= Self::MAX_TABLE_CELLS {
            return (request.clone(), None);
        }
        let by = |r: &Request| {
            let calendar = engine.calendar();
            let mut names: Vec<&str> = r.splits.iter().map(|&s| engine.plan().splits[s].by.as_str()).collect();
            names.push(crate::engine::view_name(calendar, r.time));
            names.join(",")
        };
        let mut shown = request.clone();
        // Months first (a director reads 12 columns), then fewer splits, then coarser periods.
        let finer_than_month = match request.time {
            TimeView::Tree(level) => level > Level::Month,
            TimeView::IsoWeek => true,
        };
        if finer_than_month && !engine.calendar().level(Level::Month).is_empty() {
            shown.time = TimeView::Tree(Level::Month);
            shown.period = shown.period.filter(|p| p.level <= Level::Month);
        }
        while engine.cell_count(&shown) > Self::MAX_TABLE_CELLS && !shown.splits.is_empty() {
            shown.splits.pop();
        }
        for level in [Level::Quarter, Level::Year] {
            if engine.cell_count(&shown) > Self::MAX_TABLE_CELLS {
                shown.time = TimeView::Tree(level);
                shown.period = shown.period.filter(|p| p.level <= level);
            }
        }
        let note = ReportNote::Table { shown: by(&shown), full: by(request), cells };
        (shown, Some(note))
    }
}

/// The single period a tree of the whole breakdown is at: the `--period`
/// itself (at its own level), else the year.
fn whole(request: &Request) -> (TimeView, Option<crate::calendar::Period>) {
    match &request.period {
        Some(p) => (TimeView::Tree(p.level), Some(p.clone())),
        None => (TimeView::Tree(Level::Year), None),
    }
}

/// A run of `request` into a crosstab of `column`.
fn table_of(
    run: &mut RunRequest<'_>,
    request: &Request,
    column: usize,
    rows: Vec<Dim>,
    across: Dim,
) -> std::io::Result<Crosstab> {
    let mut table = Crosstab::new(column, rows, across);
    run(request, &mut table)?;
    Ok(table)
}

/// `table` as shown: in the display unit when there is one and the column
/// is money.
fn shown(table: &Crosstab, unit: Option<(Decimal, u32)>, money: bool) -> Crosstab {
    let mut shown = table.clone();
    if let Some((factor, decimals)) = unit.filter(|_| money) {
        shown.show_in(factor, decimals);
    }
    shown
}

/// A listing shown in the display unit, if any.
fn listing(unit: Option<(Decimal, u32)>) -> Listing {
    match unit {
        Some((factor, decimals)) => Listing::default().in_unit(factor, decimals),
        None => Listing::default(),
    }
}

/// The company by the breakdown's periods (days and slots summed by
/// month), stacked by the breakdown's first split.
fn stacked(
    engine: &Engine<'_>,
    request: &Request,
    column: usize,
    unit: Option<(Decimal, u32)>,
    run: &mut RunRequest<'_>,
    notes: &mut Vec<ReportNote>,
) -> std::io::Result<Stacked> {
    let splits: Vec<usize> = request.splits.first().copied().into_iter().collect();
    let across = match request.time {
        TimeView::Tree(Level::Day | Level::Slot) => Dim::Month,
        _ => Dim::Period,
    };
    let by = Request { splits: splits.clone(), time: request.time, period: request.period.clone(), shard: None };
    let rows = (0..splits.len()).map(Dim::Split).collect();
    let table = table_of(run, &by, column, rows, across)?;
    if table.rows.len() > Report::MAX_MEMBERS && !splits.is_empty() {
        notes.push(ReportNote::Multiples { shown: Report::MAX_MEMBERS, members: table.rows.len() });
    }
    let money = engine.header(request).columns.get(column).is_some_and(|c| c.kind == ColumnKind::Amount);
    let shown = shown(&table, unit, money);
    Ok(Stacked::of(&table, shown))
}
