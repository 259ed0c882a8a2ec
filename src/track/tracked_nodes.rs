//! Stage `track`: the org nodes actual sales are tracked by. A row is
//! checked against the plan as deep as the file's split columns go (a
//! salesperson the plan does not have is `(unplanned)` whatever the report
//! shows), but its amount need only be kept as deep as the reports look: a
//! report by region sums ten regions' days, not forty thousand people's.

use indexmap::IndexMap;

/// The tracked nodes: the paths rows are checked against, and the nodes
/// their amounts are summed into.
#[derive(Clone, Debug)]
pub(crate) struct TrackedNodes<'p> {
    /// Member paths as deep as rows are checked, each once.
    pub paths: Vec<Vec<&'p str>>,
    /// Per path, the node (an index of `kept`) its amounts are summed into.
    pub into: Vec<usize>,
    /// The nodes sums are kept for, by their member paths, in order of
    /// first appearance; `(unplanned)` nodes are numbered after them.
    pub kept: IndexMap<Vec<&'p str>, usize>,
}

impl<'p> TrackedNodes<'p> {
    /// Each of `paths` kept as it is.
    pub(crate) fn all(paths: Vec<Vec<&'p str>>) -> TrackedNodes<'p> {
        TrackedNodes::kept_to(paths, usize::MAX)
    }

    /// `paths`, their amounts kept per path cut to `depth` splits.
    pub(crate) fn kept_to(paths: Vec<Vec<&'p str>>, depth: usize) -> TrackedNodes<'p> {
        let mut kept: IndexMap<Vec<&'p str>, usize> = IndexMap::new();
        let into = paths
            .iter()
            .map(|path| {
                let key = &path[..depth.min(path.len())];
                if let Some(&n) = kept.get(key) {
                    return n;
                }
                kept.insert(key.to_vec(), kept.len());
                kept.len() - 1
            })
            .collect();
        TrackedNodes { paths, into, kept }
    }

    /// How many nodes sums are kept for (`(unplanned)` ones aside).
    pub(crate) fn len(&self) -> usize {
        self.kept.len()
    }

    /// Whether amounts are kept per path, not per shorter prefix.
    pub(crate) fn whole(&self) -> bool {
        self.kept.len() == self.paths.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_cut_to_a_depth_share_the_node_of_their_prefix_in_order_of_first_appearance() {
        let paths = vec![vec!["West", "Cy"], vec!["East", "Ann"], vec!["West", "Di"], vec!["East", "Bob"]];
        let by_region = TrackedNodes::kept_to(paths.clone(), 1);
        assert_eq!(by_region.into, vec![0, 1, 0, 1]);
        assert_eq!(by_region.kept.keys().cloned().collect::<Vec<_>>(), vec![vec!["West"], vec!["East"]]);
        assert!(!by_region.whole());
        let all = TrackedNodes::all(paths);
        assert_eq!(all.into, vec![0, 1, 2, 3]);
        assert!(all.whole() && all.len() == 4);
        assert_eq!(TrackedNodes::kept_to(vec![vec!["A"]], 0).kept.keys().next(), Some(&Vec::new()));
    }
}
