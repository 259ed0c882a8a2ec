//! Cross-stage: where a row of a spreadsheet is, for messages. A sheet's row
//! is shown as its cells written as a CSV line (quoted where a cell holds a
//! comma or a quote), so that the caret works as in a CSV file; the cell
//! named in the `-->` line (`reps.xlsx [华东] B7`) is found from the caret.

/// The sheet a [`super::Location`] is in: its name and the column its
/// first cell is in, so that the cell under the caret can be named.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SheetPlace {
    /// The sheet's name as the workbook has it (`华东`).
    pub name: String,
    /// The 0-based column of the row's first cell (the data of a sheet may start in column C).
    pub first_column: u32,
}

impl SheetPlace {
    /// The cell at byte range `underline` of `line_text` (the row as a CSV
    /// line) on sheet row `row`: `B7`; `row 7` when the range spans several
    /// cells or none is marked.
    pub fn cell(&self, row: usize, line_text: &str, underline: &std::ops::Range<usize>) -> String {
        let first = cell_index(line_text, underline.start);
        let last = cell_index(line_text, underline.end.saturating_sub(1).max(underline.start));
        if first != last || (underline.is_empty() && line_text.is_empty()) {
            return format!("row {row}");
        }
        let column = self.first_column + u32::try_from(first).unwrap_or(u32::MAX - self.first_column);
        format!("{}{row}", column_letters(column))
    }
}

/// The 0-based cell that byte `at` of a CSV line is in: the commas outside
/// quotes before it.
fn cell_index(line: &str, at: usize) -> usize {
    let mut quoted = false;
    let mut cells = 0;
    for (i, b) in line.bytes().enumerate() {
        if i >= at {
            break;
        }
        match b {
            b'"' => quoted = !quoted,
            b',' if !quoted => cells += 1,
            _ => {}
        }
    }
    cells
}

/// Excel's name of 0-based column `n`: `A`, `Z`, `AA`.
pub fn column_letters(n: u32) -> String {
    let mut n = u64::from(n) + 1;
    let mut letters = Vec::new();
    while n > 0 {
        // Below 26, so the conversion never fails.
        let rem = u8::try_from((n - 1) % 26).unwrap_or(0);
        letters.push(b'A' + rem);
        n = (n - 1) / 26;
    }
    letters.reverse();
    letters.into_iter().map(char::from).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_are_named_as_excel_names_them() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 51, 52, 701, 702].into_iter().map(column_letters).collect();
        assert_eq!(names, ["A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]);
    }

    #[test]
    fn the_cell_is_the_one_under_the_caret() {
        let place = SheetPlace { name: "华东".into(), first_column: 1 };
        let line = "Ann,\"1,234.50\",x";
        assert_eq!(place.cell(7, line, &(0..3)), "B7");
        assert_eq!(place.cell(7, line, &(5..13)), "C7");
        assert_eq!(place.cell(7, line, &(15..16)), "D7");
        assert_eq!(place.cell(7, line, &(0..line.len())), "row 7");
        // An empty cell at the end: the caret after its comma.
        assert_eq!(place.cell(2, "a,", &(2..2)), "C2");
    }
}
