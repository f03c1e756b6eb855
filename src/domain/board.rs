//! Column totals of the board.

use serde::{Deserialize, Serialize};

use super::types::{DealCard, StageColumn};
use super::DealId;

/// How many cards a board column shows before "show more".
pub const COLUMN_PAGE: usize = 50;
/// The most cards a column shows at once.
pub const COLUMN_MAX: usize = 2_000;

/// The cards of a column after those it shows: a column shows its first cards and loads more
/// on demand, and its totals stay over all of them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct MoreCards {
    /// How many (those without a rate included).
    pub count: usize,
    /// Σ of their base values that could be converted, in cents.
    pub total_cents: i64,
    /// How many have no rate to the base currency.
    pub unconverted: usize,
    /// The first of them: a card dropped after the shown ones goes right before it.
    pub next: Option<DealId>,
}

impl MoreCards {
    /// The cards after the shown ones, in order.
    pub fn of(hidden: &[DealCard]) -> Self {
        let t = converted_totals(hidden.iter().map(|c| c.base_value_cents), 0);
        MoreCards {
            count: t.count,
            total_cents: t.total_cents,
            unconverted: t.unconverted,
            next: hidden.first().map(|c| c.id),
        }
    }
}

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

/// Totals of the cards a column shows (their base values) and of those it does not.
pub fn shown_and_more<I: IntoIterator<Item = Option<i64>>>(
    shown: I,
    more: &MoreCards,
    probability: i64,
) -> ColumnTotals {
    let mut t = converted_totals(shown, 0);
    t.count += more.count;
    t.unconverted += more.unconverted;
    t.total_cents = t.total_cents.saturating_add(more.total_cents);
    t.weighted_cents = weighted(t.total_cents, probability);
    t
}

/// Totals of a board column, in the base currency, over all its cards.
pub fn column_totals(column: &StageColumn) -> ColumnTotals {
    shown_and_more(
        column.cards.iter().map(|c| c.base_value_cents),
        &column.more,
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

    #[test]
    fn a_column_counts_the_cards_it_does_not_show() {
        let card = |id, base| DealCard {
            id: DealId(id),
            title: String::new(),
            value_cents: 0,
            currency: "EUR".into(),
            status: crate::domain::DealStatus::Open,
            contact_name: None,
            organization_name: None,
            owner_name: None,
            owner_initials: None,
            temperature: None,
            expected_close_date: None,
            days_in_stage: 0,
            rotting: false,
            base_value_cents: base,
        };
        let hidden = [card(5, Some(1_000)), card(6, None), card(7, Some(2_500))];
        let more = MoreCards::of(&hidden);
        assert_eq!(
            more,
            MoreCards {
                count: 3,
                total_cents: 3_500,
                unconverted: 1,
                next: Some(DealId(5)),
            }
        );
        assert_eq!(MoreCards::of(&[]), MoreCards::default());
        let all = shown_and_more([Some(500), None], &more, 50);
        assert_eq!(all.count, 5);
        assert_eq!(all.unconverted, 2);
        assert_eq!(all.total_cents, 4_000);
        assert_eq!(all.weighted_cents, 2_000);
        assert_eq!(
            all,
            converted_totals([Some(500), None, Some(1_000), None, Some(2_500)], 50),
            "the same as every card shown"
        );
    }
}
