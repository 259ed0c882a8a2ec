//! Stage `cli`: `salesplit init` (starter plans), `completions` and `man`.
//! Placeholder: filled in by the init/completions work.

use super::args::{CompletionsArgs, InitArgs};
use crate::diagnostic::Diagnostic;
use crate::error::Error;

/// Writes a starter plan (and its roster) that runs as written.
pub fn init(_args: &InitArgs) -> Result<(), Error> {
    Err(Error::invalid(Diagnostic::new("`salesplit init` is not built yet")))
}

/// Prints shell completions.
pub fn completions(_args: &CompletionsArgs) -> Result<(), Error> {
    Err(Error::invalid(Diagnostic::new("`salesplit completions` is not built yet")))
}

/// Prints the manual page.
pub fn man() -> Result<(), Error> {
    Err(Error::invalid(Diagnostic::new("`salesplit man` is not built yet")))
}
