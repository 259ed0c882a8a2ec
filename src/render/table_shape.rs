//! Stage `render`: how a terminal table of one crosstab is laid out at the
//! terminal's width — the renderer's answer, so that the cli can choose a
//! breakdown that reads well (the headline command's first screen) without
//! measuring anything itself.

/// The layout a crosstab gets at a width (see [`render_crosstab`](super::render_crosstab)).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TableShape {
    /// Members down the side, periods across.
    Across,
    /// Turned: periods down the side, members across.
    Turned,
    /// Neither fits: one line per cell.
    Listed,
}
