//! Stage `render`: ISO dates of periods, formatted once per period rather
//! than once per cell (every leaf repeats the same periods).

use std::collections::HashMap;

use crate::calendar::Period;

/// A cache of `(start, end)` as ISO text (`2026-03-01`), by period label.
#[derive(Debug, Default)]
pub struct PeriodDates {
    dates: HashMap<String, (String, String)>,
}

impl PeriodDates {
    /// The period's first and last day as ISO dates.
    pub fn of(&mut self, period: &Period) -> &(String, String) {
        if !self.dates.contains_key(&period.label) {
            let text = (period.start.to_string(), period.end.to_string());
            self.dates.insert(period.label.clone(), text);
        }
        &self.dates[&period.label]
    }
}
