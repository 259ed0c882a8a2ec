//! Stage `cli`: a value parser that offers its values to shell completions
//! (`salesplit completions`) while parsing, and saying no, as the function
//! it wraps does — `--unit`'s units, `--period`'s keywords and `--by`'s
//! time levels, where a plain function parser would complete file names.

use std::ffi::OsStr;

use clap::builder::{PossibleValue, TypedValueParser};

/// Parses with `parse`; completions offer `values`. The values are not a
/// limit: `--period 2026-Q1` and `--by region` are taken too, so the arguments
/// hide them from `--help` (`hide_possible_values`), whose text names them.
#[derive(Clone, Copy, Debug)]
pub struct Offered {
    /// What completions offer.
    pub values: &'static [&'static str],
    /// The argument's own parser (its messages as they were).
    pub parse: fn(&str) -> Result<String, String>,
}

impl TypedValueParser for Offered {
    type Value = String;

    fn parse_ref(&self, cmd: &clap::Command, arg: Option<&clap::Arg>, value: &OsStr) -> Result<String, clap::Error> {
        self.parse.parse_ref(cmd, arg, value)
    }

    fn possible_values(&self) -> Option<Box<dyn Iterator<Item = PossibleValue> + '_>> {
        Some(Box::new(self.values.iter().map(|v| PossibleValue::new(*v))))
    }
}

/// The text as written (for `--by` and `--period`, checked against the plan later).
#[allow(clippy::unnecessary_wraps)]
pub(super) fn as_written(text: &str) -> Result<String, String> {
    Ok(text.to_string())
}
