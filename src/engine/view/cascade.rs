//! Stage `engine`: the org cascade of a run as a tree for an icicle chart —
//! each node (a member under its parents) with its figure, its share of its
//! parent, and where it sits across the row of its depth, as exact fractions
//! of the total, so that the renderer only scales them to pixels.

use rust_decimal::Decimal;

use super::Crosstab;

/// One node of a [`Cascade`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CascadeNode {
    /// How many splits down (0: the first split's members).
    pub depth: usize,
    /// The member names from the first split down to this node's.
    pub path: Vec<String>,
    /// The node's figure (in the display unit when the report has one).
    pub figure: Decimal,
    /// Its share of its parent (exact), `None` when the parent's is zero.
    pub share: Option<Decimal>,
    /// Where it starts across its depth's row: the exact figures of the
    /// nodes before it at this depth over the total, from 0 to 1.
    pub start: Decimal,
    /// How wide it is: its exact figure over the total, from 0 to 1.
    pub span: Decimal,
}

/// The org cascade down to the depth that reads as a picture. Invariants:
/// the nodes of one depth come in cascade order, each right after the one
/// before (`start + span` is the next one's `start`), and the children of a
/// node lie within its `start..start + span`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Cascade {
    /// The split names of the depths shown, in cascade order.
    pub levels: Vec<String>,
    /// The nodes, depth by depth.
    pub nodes: Vec<CascadeNode>,
    /// The exact total the nodes of each depth add up to.
    pub total: Decimal,
    /// How many splits the breakdown has in all (more than `levels` when
    /// the deeper ones have too many members to draw).
    pub depths: usize,
    /// The nodes the first depth not shown has (0 when every depth is).
    pub hidden: u64,
}

impl Cascade {
    /// Adds the rows of `table`, a one-column year table of the first
    /// `depth + 1` splits, as the nodes of `depth`; `shown` is the same
    /// table in the display unit, whose figures the nodes carry (the
    /// geometry stays exact).
    pub(super) fn push_depth(&mut self, depth: usize, table: &Crosstab, shown: &Crosstab) {
        if depth == 0 {
            self.total = table.total;
        }
        if let Some(name) = table.row_dims.last().map(|d| table.dim_name(*d)) {
            self.levels.push(name);
        }
        let mut before = Decimal::ZERO;
        for (row, shown_row) in table.rows.iter().zip(&shown.rows) {
            let fraction = |d: Decimal| if self.total.is_zero() { Decimal::ZERO } else { d / self.total };
            self.nodes.push(CascadeNode {
                depth,
                path: row.keys.clone(),
                figure: shown_row.total,
                share: row.share,
                start: fraction(before),
                span: fraction(row.total),
            });
            before += row.total;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::view::{CrossRow, Dim};

    fn d(s: &str) -> Decimal {
        s.parse().unwrap()
    }

    /// A one-column table of `depth + 1` splits: (path, figure, share).
    fn depth(rows: &[(&[&str], &str, &str)], splits: usize) -> Crosstab {
        let mut t = Crosstab::new(0, (0..splits).map(Dim::Split).collect(), Dim::Period);
        t.columns = vec!["2026".into()];
        for (path, figure, share) in rows {
            let figure = d(figure);
            t.total += figure;
            t.rows.push(CrossRow {
                keys: path.iter().map(|p| (*p).to_string()).collect(),
                values: vec![Some(figure)],
                total: figure,
                share: Some(d(share)),
            });
        }
        t.column_totals = vec![t.total];
        t
    }

    #[test]
    fn nodes_sit_side_by_side_and_children_inside_their_parent() {
        let top = depth(&[(&["a"], "300", "0.75"), (&["b"], "100", "0.25")], 1);
        let down =
            depth(&[(&["a", "x"], "200", "0.6667"), (&["a", "y"], "100", "0.3333"), (&["b", "x"], "100", "1")], 2);
        let mut c = Cascade::default();
        c.push_depth(0, &top, &top);
        c.push_depth(1, &down, &down);
        let at = |i: usize| (c.nodes[i].start, c.nodes[i].span);
        assert_eq!(c.total, d("400"));
        assert_eq!((at(0), at(1)), ((d("0"), d("0.75")), (d("0.75"), d("0.25"))));
        // a/x and a/y split a's 0.75; b/x is all of b.
        assert_eq!((at(2), at(3), at(4)), ((d("0"), d("0.5")), (d("0.5"), d("0.25")), (d("0.75"), d("0.25"))));
        assert_eq!(c.nodes[3].path, ["a", "y"]);
        assert_eq!(c.nodes[0].share, Some(d("0.75")));
    }
}
