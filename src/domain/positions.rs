//! Dense ordering of deals inside a stage.
//!
//! A stage's deals have positions `0..n`; a move takes the card out of its list and inserts it
//! into the target list at a clamped index, and both lists are renumbered.

/// The new order of the affected stage(s) after a move.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MovePlan {
    /// The source stage's ids in their new order (empty when the move stays in one stage).
    pub source: Vec<i64>,
    /// The target stage's ids in their new order; position = index.
    pub target: Vec<i64>,
    /// The index the moved deal ended at.
    pub index: usize,
}

/// Plans moving `deal` from `source` (its current stage's ordered ids) into `target` at `index`.
///
/// When `target` is `None` the move is inside the source stage. The index is clamped to the
/// list's length, so "to the end" may be given as `usize::MAX`.
pub fn plan_move(deal: i64, source: &[i64], target: Option<&[i64]>, index: usize) -> MovePlan {
    match target {
        None => {
            let mut list: Vec<i64> = source.iter().copied().filter(|id| *id != deal).collect();
            let index = index.min(list.len());
            list.insert(index, deal);
            MovePlan {
                source: Vec::new(),
                target: list,
                index,
            }
        }
        Some(target) => {
            let source: Vec<i64> = source.iter().copied().filter(|id| *id != deal).collect();
            let mut list: Vec<i64> = target.iter().copied().filter(|id| *id != deal).collect();
            let index = index.min(list.len());
            list.insert(index, deal);
            MovePlan {
                source,
                target: list,
                index,
            }
        }
    }
}

/// True when `positions` is exactly `0..n` in some order.
pub fn is_dense(positions: &[i64]) -> bool {
    let mut sorted = positions.to_vec();
    sorted.sort_unstable();
    sorted.iter().enumerate().all(|(i, p)| *p == i as i64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn move_within_stage_down_and_up() {
        let p = plan_move(1, &[1, 2, 3, 4], None, 2);
        assert_eq!(p.target, vec![2, 3, 1, 4]);
        assert_eq!(p.index, 2);
        let p = plan_move(4, &[1, 2, 3, 4], None, 0);
        assert_eq!(p.target, vec![4, 1, 2, 3]);
        assert!(p.source.is_empty());
    }

    #[test]
    fn move_across_stages_renumbers_both() {
        let p = plan_move(2, &[1, 2, 3], Some(&[7, 8]), 0);
        assert_eq!(p.source, vec![1, 3]);
        assert_eq!(p.target, vec![2, 7, 8]);
        assert_eq!(p.index, 0);
    }

    #[test]
    fn index_is_clamped() {
        let p = plan_move(2, &[1, 2], Some(&[7]), usize::MAX);
        assert_eq!(p.target, vec![7, 2]);
        assert_eq!(p.index, 1);
        let p = plan_move(9, &[], Some(&[]), 5);
        assert_eq!(p.target, vec![9]);
    }

    #[test]
    fn density_check() {
        assert!(is_dense(&[2, 0, 1]));
        assert!(is_dense(&[]));
        assert!(!is_dense(&[0, 2]));
        assert!(!is_dense(&[0, 0, 1]));
    }
}
