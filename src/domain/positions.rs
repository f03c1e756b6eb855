//! Ordering of deals inside a stage.
//!
//! A stage's deals are ordered by `position`, which is unique per stage but not dense: cards
//! are numbered [`GAP`] apart, and a move writes one row, taking the middle of the gap between
//! its new neighbours. Only when two neighbours touch is the stage numbered again. What users
//! and API clients see as a card's place is its rank in that order, never the stored number.

/// The distance between the positions of neighbouring cards after a stage is numbered.
pub const GAP: i64 = 1024;

/// Where a card goes between `prev` and `next` (the positions of its new neighbours, `None`
/// at either end of the column), or `None` when they touch and the stage must be renumbered.
pub fn between(prev: Option<i64>, next: Option<i64>) -> Option<i64> {
    match (prev, next) {
        (None, None) => Some(0),
        (Some(p), None) => p.checked_add(GAP),
        (None, Some(n)) => n.checked_sub(GAP),
        (Some(p), Some(n)) => n
            .checked_sub(p)
            .filter(|gap| *gap >= 2)
            .map(|gap| p + gap / 2),
    }
}

/// True when `positions`, read in board order, are strictly increasing: a total order with no
/// two cards on the same place.
pub fn is_strictly_ordered(positions: &[i64]) -> bool {
    positions.windows(2).all(|w| w[0] < w[1])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_card_lands_in_the_middle_of_the_gap() {
        assert_eq!(between(Some(0), Some(GAP)), Some(GAP / 2));
        assert_eq!(between(Some(10), Some(13)), Some(11));
        assert_eq!(between(Some(10), Some(12)), Some(11));
    }

    #[test]
    fn the_ends_of_a_column_are_one_gap_out() {
        assert_eq!(between(None, None), Some(0));
        assert_eq!(between(Some(5 * GAP), None), Some(6 * GAP));
        assert_eq!(between(None, Some(0)), Some(-GAP));
    }

    #[test]
    fn touching_neighbours_ask_for_a_renumbering() {
        assert_eq!(between(Some(7), Some(8)), None);
        assert_eq!(between(Some(7), Some(7)), None);
        assert_eq!(between(Some(i64::MAX), None), None);
        assert_eq!(between(None, Some(i64::MIN)), None);
    }

    #[test]
    fn ten_moves_into_one_gap_fit_before_a_renumbering() {
        let (prev, mut next) = (0, GAP);
        for _ in 0..10 {
            next = between(Some(prev), Some(next)).expect("room left");
        }
        assert_eq!(next, 1);
        assert_eq!(between(Some(prev), Some(next)), None);
    }

    #[test]
    fn order_check() {
        assert!(is_strictly_ordered(&[-GAP, 0, 3, GAP]));
        assert!(is_strictly_ordered(&[]));
        assert!(!is_strictly_ordered(&[0, 0]));
        assert!(!is_strictly_ordered(&[2, 1]));
    }
}
