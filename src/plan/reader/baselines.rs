//! Stage `plan`, phase 2: the baselines the targets name, read as the
//! fiscal year before the plan's with the plan's splits as their member
//! columns, into [`Baselines`]; and every `months = "history"` of a metric
//! matched with its baseline.

use crate::diagnostic::Code;
use std::ops::Range;
use std::path::PathBuf;

use super::header::Header;
use super::history::History;
use super::Reader;
use crate::error::Error;
use crate::plan::baseline::Baseline;

/// The metrics from history, with their baselines read.
pub(super) struct Baselines {
    /// As [`Targets::histories`](super::target::Targets::histories), each
    /// with its file (if it could be read) and its `months = "history"`.
    pub histories: Vec<History>,
    /// The baseline files, for [`Plan::inputs`](crate::plan::Plan::inputs).
    pub files: Vec<PathBuf>,
}

impl Reader<'_> {
    /// Reads the baselines of `histories` (when `[plan]` could be read: the
    /// year before it is what a baseline covers) and gives each metric's
    /// `months = "history"` to its history; `splits` are the `by` of every
    /// split, as written.
    pub(super) fn baselines(
        &mut self,
        mut histories: Vec<History>,
        metric_months: Vec<(String, Range<usize>)>,
        header: Option<&Header>,
        splits: &[String],
    ) -> Baselines {
        let mut files = Vec::new();
        if let (false, Some(h)) = (histories.is_empty(), header) {
            files = self.read_baselines(&mut histories, h, splits);
        }
        for (name, at) in metric_months {
            match histories.iter_mut().find(|h| h.metric == name) {
                Some(h) => h.months = Some(at),
                None => self.check_metric_months(&[], &[(name, at)]),
            }
        }
        Baselines { histories, files }
    }

    /// Reads every metric's baseline: the fiscal year before the plan's,
    /// with the plan's splits as its member columns.
    pub(super) fn read_baselines(
        &mut self,
        histories: &mut [History],
        header: &Header,
        splits: &[String],
    ) -> Vec<PathBuf> {
        let mut files = Vec::new();
        let first = header.start.checked_sub_months(chrono::Months::new(12)).unwrap_or(header.start);
        let last = header.start.pred_opt().unwrap_or(header.start);
        let names: Vec<&str> = splits.iter().map(String::as_str).collect();
        for h in histories.iter_mut() {
            files.push(self.base.join(&h.path));
            match Baseline::read_as(self.base, &h.path, &h.metric, &names, (first, last), &h.read_as) {
                Ok(b) => h.baseline = Some(b),
                Err(Error::Invalid(ds)) => self.errors.extend(ds),
                Err(io @ Error::Io { .. }) => {
                    let (reason, help) = io.plan_input_advice().unwrap_or_default();
                    let full = self.base.join(&h.path);
                    self.error(
                        Code::CannotRead,
                        h.span.clone(),
                        format!("cannot read baseline {}: {reason}", full.display()),
                        help,
                    );
                }
            }
        }
        files
    }

    /// Every `months = "history"` without a baseline to read it from.
    pub(super) fn check_metric_months(&mut self, histories: &[History], orphans: &[(String, Range<usize>)]) {
        for (name, at) in orphans {
            if !histories.iter().any(|h| &h.metric == name) {
                self.error(
                    Code::MissingSetting,
                    at.clone(),
                    format!("[target.{name}.time] takes months from history, but `{name}` has no `baseline`"),
                    format!("add `baseline = \"sales-2025.csv\"` to [target.{name}], or give `months` as 12 weights"),
                );
            }
        }
    }
}
