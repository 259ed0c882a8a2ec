//! Stage `cli`: the first screen of a terminal table when the user named no
//! breakdown (`--by`, `--rows`, `--cols`). The full breakdown is shown when
//! it fits the terminal as a table (across, or turned with at most
//! [`SCREEN_ROWS`] periods down the side); when it would be one line per
//! cell (or a year of days down the side), the pivot that fits across is
//! shown instead — members
//! down the side by as many leading splits as fit and read well (at most
//! [`SCREEN_ROWS`] rows), months across, or quarters, or the year, when
//! finer periods do not fit — with one line saying how to get the full
//! breakdown. Every figure comes from a run of the engine at that
//! breakdown (a view, as always); this only chooses the `--by` from the
//! renderer's answer to "how would this be laid out".

use crate::calendar::Level;
use crate::engine::{Engine, Pivots, Request, TimeView};
use crate::render::{table_shapes, TableShape, TableStyle};

/// The most member rows a chosen pivot has, so that it reads on one screen
/// (with its title, header, Total row and note, under 60 lines).
pub const SCREEN_ROWS: usize = 50;

/// The breakdown chosen for the first screen, and its figures.
pub struct FirstScreen {
    /// The pivot to show, already run.
    pub pivots: Pivots,
    /// `Some` when it is not the full breakdown: the dimensions shown
    /// (`region`, `quarter`) and the full breakdown as `--by` takes it.
    pub fitted: Option<(Vec<String>, String)>,
}

impl FirstScreen {
    /// Runs the full breakdown `full` into a [`Pivots`] made by `pivots`; if it
    /// does not read as a table at `style`'s width (see the module), runs the
    /// candidate breakdowns coarse to fine and keeps the first that fits
    /// across (else the full one).
    pub fn choose(
        engine: &Engine,
        full: &Request,
        period: Option<&str>,
        today: chrono::NaiveDate,
        style: &TableStyle,
        pivots: impl Fn() -> Pivots,
    ) -> std::io::Result<FirstScreen> {
        let run = |request: &Request| -> std::io::Result<Pivots> {
            let mut p = pivots();
            engine.run(request, &mut p)?;
            Ok(p)
        };
        let first = run(full)?;
        // A turned table has a line per period: a year of days is no first screen.
        let reads = table_shapes(&first, style).iter().zip(&first.tables).all(|(shape, t)| match shape {
            TableShape::Across => true,
            TableShape::Turned => t.columns.len() <= SCREEN_ROWS,
            TableShape::Listed => false,
        });
        if style.width.is_none() || reads {
            return Ok(FirstScreen { pivots: first, fitted: None });
        }
        let calendar = engine.calendar();
        let names: Vec<&str> = full.splits.iter().map(|&i| engine.plan().splits[i].by.as_str()).collect();
        let TimeView::Tree(finest) = full.time else { return Ok(FirstScreen { pivots: first, fitted: None }) };
        let full_by: Vec<&str> = names.iter().copied().chain([calendar.level_name(finest)]).collect();
        for level in [Level::Month, Level::Quarter, Level::Year] {
            if level > finest || calendar.level(level).is_empty() {
                continue;
            }
            let depths: Vec<usize> = if names.is_empty() { vec![0] } else { (1..=names.len()).rev().collect() };
            for k in depths {
                if k == names.len() && level == finest {
                    continue;
                }
                let mut by: Vec<&str> = names[..k].to_vec();
                by.push(calendar.level_name(level));
                let Ok(request) = engine.request_on(Some(&by.join(",")), period, today) else { continue };
                if engine.cell_count(&request) > crate::cli::TABLE_LIMIT {
                    continue;
                }
                let candidate = run(&request)?;
                let few = candidate.tables.iter().all(|t| t.rows.len() <= SCREEN_ROWS);
                if few && table_shapes(&candidate, style).iter().all(|s| *s == TableShape::Across) {
                    let shown = by.iter().map(|s| (*s).to_string()).collect();
                    return Ok(FirstScreen { pivots: candidate, fitted: Some((shown, full_by.join(","))) });
                }
            }
        }
        Ok(FirstScreen { pivots: first, fitted: None })
    }
}
