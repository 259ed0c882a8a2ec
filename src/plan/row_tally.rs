//! Stage `plan`: a count of data rows and the amount they carry, for the
//! rows of a baseline or of the actuals that a run leaves out (dated outside
//! the plan year, or naming members the plan does not have) and says so.

use rust_decimal::Decimal;

/// How many rows, and their amounts summed exactly.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RowTally {
    /// How many rows.
    pub rows: u64,
    /// The sum of their amounts, in the file's currency.
    pub amount: Decimal,
}
