//! The board's columns as the board island's props. Props are written into the page once,
//! HTML-escaped (every `"` becomes `&quot;`), so each card goes as a row of values instead of
//! an object of named fields: a third of the size. Server functions keep the named fields.

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::board::MoreCards;
use super::probability::LearnedShare;
use super::types::{DealCard, StageColumn};
use super::{DealId, DealStatus, StageId};

/// The columns of a board, in order, with their cards.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct BoardColumns(pub Vec<StageColumn>);

/// A card's fields in [`DealCard`]'s order.
#[derive(Serialize, Deserialize)]
struct CardRow(
    DealId,
    String,
    i64,
    String,
    DealStatus,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<i64>,
    Option<String>,
    i64,
    bool,
    Option<i64>,
);

/// A column's fields, its cards last, as rows.
#[derive(Serialize, Deserialize)]
struct ColumnRow(
    StageId,
    String,
    String,
    i64,
    Option<i64>,
    Option<LearnedShare>,
    Vec<CardRow>,
    MoreCards,
);

impl From<&DealCard> for CardRow {
    fn from(c: &DealCard) -> Self {
        CardRow(
            c.id,
            c.title.clone(),
            c.value_cents,
            c.currency.clone(),
            c.status,
            c.contact_name.clone(),
            c.organization_name.clone(),
            c.owner_name.clone(),
            c.owner_initials.clone(),
            c.temperature,
            c.expected_close_date.clone(),
            c.days_in_stage,
            c.rotting,
            c.base_value_cents,
        )
    }
}

impl From<CardRow> for DealCard {
    fn from(r: CardRow) -> Self {
        DealCard {
            id: r.0,
            title: r.1,
            value_cents: r.2,
            currency: r.3,
            status: r.4,
            contact_name: r.5,
            organization_name: r.6,
            owner_name: r.7,
            owner_initials: r.8,
            temperature: r.9,
            expected_close_date: r.10,
            days_in_stage: r.11,
            rotting: r.12,
            base_value_cents: r.13,
        }
    }
}

impl Serialize for BoardColumns {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let rows: Vec<ColumnRow> = self
            .0
            .iter()
            .map(|c| {
                ColumnRow(
                    c.id,
                    c.key.clone(),
                    c.name.clone(),
                    c.probability,
                    c.rotting_days,
                    c.learned,
                    c.cards.iter().map(CardRow::from).collect(),
                    c.more,
                )
            })
            .collect();
        rows.serialize(s)
    }
}

impl<'de> Deserialize<'de> for BoardColumns {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let rows = Vec::<ColumnRow>::deserialize(d)?;
        Ok(BoardColumns(
            rows.into_iter()
                .map(|r| StageColumn {
                    id: r.0,
                    key: r.1,
                    name: r.2,
                    probability: r.3,
                    rotting_days: r.4,
                    learned: r.5,
                    cards: r.6.into_iter().map(DealCard::from).collect(),
                    more: r.7,
                })
                .collect(),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_go_as_rows_and_come_back_the_same() {
        let card = DealCard {
            id: DealId(7),
            title: "Big \"one\"".into(),
            value_cents: 123_450,
            currency: "EUR".into(),
            status: DealStatus::Open,
            contact_name: Some("Ana".into()),
            organization_name: None,
            owner_name: Some("Sam Seller".into()),
            owner_initials: Some("SS".into()),
            temperature: Some(3),
            expected_close_date: Some("2026-12-31".into()),
            days_in_stage: 4,
            rotting: true,
            base_value_cents: None,
        };
        let columns = BoardColumns(vec![StageColumn {
            id: StageId(2),
            key: "new".into(),
            name: "New".into(),
            probability: 10,
            rotting_days: Some(30),
            cards: vec![
                card.clone(),
                DealCard {
                    id: DealId(8),
                    ..card
                },
            ],
            learned: Some(LearnedShare { closed: 40, won: 9 }),
            more: MoreCards {
                count: 3,
                total_cents: 9_000,
                unconverted: 1,
                next: Some(DealId(11)),
            },
        }]);
        let json = serde_json::to_string(&columns).unwrap();
        assert!(json.starts_with("[[2,\"new\",\"New\",10,30,{"), "{json}");
        assert!(!json.contains("\"title\""), "no field names: {json}");
        let back: BoardColumns = serde_json::from_str(&json).unwrap();
        assert_eq!(back, columns);
    }
}
