//! Column totals of the board.

use super::types::StageColumn;

/// Count, total value and weighted value of one column, in cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ColumnTotals {
    pub count: usize,
    pub total_cents: i64,
    /// Σ value × stage probability / 100, rounded half away from zero.
    pub weighted_cents: i64,
    /// Cards counted whose value could not be converted to the base currency (left out of
    /// the sums).
    pub unconverted: usize,
}

/// Weighted value of an amount at a probability in percent.
pub fn weighted(cents: i64, probability: i64) -> i64 {
    let p = probability.clamp(0, 100) as i128;
    let product = cents as i128 * p;
    let rounded = if product >= 0 {
        (product + 50) / 100
    } else {
        (product - 50) / 100
    };
    rounded as i64
}

/// Totals of a list of card values at one stage probability.
pub fn totals<I: IntoIterator<Item = i64>>(values: I, probability: i64) -> ColumnTotals {
    let mut t = ColumnTotals::default();
    for v in values {
        t.count += 1;
        t.total_cents = t.total_cents.saturating_add(v);
    }
    t.weighted_cents = weighted(t.total_cents, probability);
    t
}

/// Totals of values converted to one currency: every value counts, the sums hold those that
/// could be converted (`Some`).
pub fn converted_totals<I: IntoIterator<Item = Option<i64>>>(
    values: I,
    probability: i64,
) -> ColumnTotals {
    let mut unconverted = 0;
    let mut t = totals(
        values.into_iter().filter_map(|v| {
            if v.is_none() {
                unconverted += 1;
            }
            v
        }),
        probability,
    );
    t.count += unconverted;
    t.unconverted = unconverted;
    t
}

/// Totals of a board column, in the base currency.
pub fn column_totals(column: &StageColumn) -> ColumnTotals {
    converted_totals(
        column.cards.iter().map(|c| c.base_value_cents),
        column.probability,
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weighted_rounds_half_away_from_zero() {
        assert_eq!(weighted(10_000, 25), 2_500);
        assert_eq!(weighted(1, 50), 1);
        assert_eq!(weighted(3, 10), 0);
        assert_eq!(weighted(-1, 50), -1);
        assert_eq!(
            weighted(10_000, 150),
            10_000,
            "probability is capped at 100"
        );
    }

    #[test]
    fn totals_sum_and_weight() {
        let t = totals([100_000, 250_050, 0], 40);
        assert_eq!(t.count, 3);
        assert_eq!(t.total_cents, 350_050);
        assert_eq!(t.weighted_cents, 140_020);
        assert_eq!(totals(Vec::<i64>::new(), 80), ColumnTotals::default());
    }
}
