//! A quote's content as typed: items, discounts, tax, shipping, notes and validity, checked
//! and priced (totals are always computed here from the items, never taken from a form).

use crate::domain::automation::QuoteTotals;
use crate::domain::dates::parse_date;
use crate::domain::money::parse_amount;
use crate::domain::quote::parse_discount;
use crate::domain::{Problem, ProductId};
use crate::server::error::{ServiceError, ServiceResult};

use super::{NewItem, MAX_ITEMS, MAX_MODEL_LEN, MAX_NAME_LEN, MAX_NOTES_LEN, MAX_QUANTITY};

/// A checked item: name, model, unit cents, quantity, discount basis points, product.
#[derive(Debug, Clone)]
pub(super) struct Item {
    pub(super) name: String,
    pub(super) model: String,
    pub(super) unit_cents: i64,
    pub(super) quantity: i64,
    pub(super) discount_bp: i64,
    pub(super) product_id: Option<ProductId>,
}

/// What a quote is made of, checked.
#[derive(Debug, Clone, Default)]
pub(super) struct Content {
    pub(super) items: Vec<Item>,
    pub(super) tax_cents: i64,
    pub(super) shipping_cents: i64,
    pub(super) notes: String,
    pub(super) valid_until: Option<String>,
}

/// A non-negative amount of `field`; empty is 0.
pub(super) fn amount(field: &str, value: &str) -> ServiceResult<i64> {
    if value.trim().is_empty() {
        return Ok(0);
    }
    let cents = parse_amount(value).map_err(|m| ServiceError::invalid(field, m))?;
    if cents < 0 {
        return Err(ServiceError::invalid(field, Problem::NotNegative));
    }
    Ok(cents)
}

/// Checks typed items; errors name the field as `items[i].quantity`.
pub(super) fn check_items(items: &[NewItem]) -> ServiceResult<Vec<Item>> {
    if items.is_empty() {
        return Err(ServiceError::invalid("items", Problem::AddAnItem));
    }
    if items.len() > MAX_ITEMS {
        return Err(ServiceError::invalid(
            "items",
            Problem::TooManyItems { max: MAX_ITEMS },
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let at = |f: &str| format!("items[{i}].{f}");
            let name = it.product_name.trim();
            if name.is_empty() {
                return Err(ServiceError::invalid(at("product_name"), Problem::Required));
            }
            if name.chars().count() > MAX_NAME_LEN {
                return Err(ServiceError::invalid(
                    at("product_name"),
                    Problem::TooLong { max: MAX_NAME_LEN },
                ));
            }
            let model = it.model.trim();
            if model.chars().count() > MAX_MODEL_LEN {
                return Err(ServiceError::invalid(
                    at("model"),
                    Problem::TooLong { max: MAX_MODEL_LEN },
                ));
            }
            if it.unit_price.trim().is_empty() {
                return Err(ServiceError::invalid(at("unit_price"), Problem::Required));
            }
            let unit_cents = amount(&at("unit_price"), &it.unit_price)?;
            if !(1..=MAX_QUANTITY).contains(&it.quantity) {
                return Err(ServiceError::invalid(
                    at("quantity"),
                    Problem::Range {
                        from: 1,
                        to: MAX_QUANTITY,
                    },
                ));
            }
            let discount_bp = parse_discount(&it.discount_pct)
                .map_err(|m| ServiceError::invalid(at("discount_pct"), m))?;
            check_line(&at("quantity"), unit_cents, it.quantity)?;
            Ok(Item {
                name: name.to_string(),
                model: model.to_string(),
                unit_cents,
                quantity: it.quantity,
                discount_bp,
                product_id: None,
            })
        })
        .collect()
}

/// Refuses a line whose gross amount does not fit in cents.
pub(super) fn check_line(field: &str, unit_cents: i64, quantity: i64) -> ServiceResult<()> {
    unit_cents
        .checked_mul(quantity)
        .map(|_| ())
        .ok_or_else(|| ServiceError::invalid(field, Problem::LineTotalTooLarge))
}

/// Checks notes and the validity date.
pub(super) fn check_notes_and_date(
    notes: &str,
    valid_until: Option<&str>,
) -> ServiceResult<(String, Option<String>)> {
    let notes = notes.trim();
    if notes.chars().count() > MAX_NOTES_LEN {
        return Err(ServiceError::invalid(
            "notes",
            Problem::TooLong { max: MAX_NOTES_LEN },
        ));
    }
    let valid_until = match valid_until.map(str::trim) {
        None | Some("") => None,
        Some(v) => Some(
            parse_date(v)
                .ok_or_else(|| {
                    ServiceError::invalid(
                        "valid_until",
                        Problem::NotADate {
                            value: v.to_string(),
                        },
                    )
                })?
                .format("%Y-%m-%d")
                .to_string(),
        ),
    };
    Ok((notes.to_string(), valid_until))
}

/// Checks everything typed for a quote.
pub(super) fn check_content(
    items: &[NewItem],
    tax: &str,
    shipping: &str,
    notes: &str,
    valid_until: Option<&str>,
) -> ServiceResult<Content> {
    let items = check_items(items)?;
    let tax_cents = amount("tax", tax)?;
    let shipping_cents = amount("shipping", shipping)?;
    let (notes, valid_until) = check_notes_and_date(notes, valid_until)?;
    Ok(Content {
        items,
        tax_cents,
        shipping_cents,
        notes,
        valid_until,
    })
}

impl Content {
    pub(super) fn totals(&self) -> QuoteTotals {
        let lines: Vec<(i64, i64, i64)> = self
            .items
            .iter()
            .map(|i| (i.unit_cents, i.quantity, i.discount_bp))
            .collect();
        QuoteTotals::compute(&lines, self.tax_cents, self.shipping_cents)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, unit: &str, quantity: i64, discount: &str) -> NewItem {
        NewItem {
            product_name: name.into(),
            model: String::new(),
            unit_price: unit.into(),
            quantity,
            discount_pct: discount.into(),
        }
    }

    fn field(r: ServiceResult<Content>) -> String {
        match r {
            Err(ServiceError::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn content_is_checked_field_by_field() {
        let ok = item("A", "10", 1, "");
        assert_eq!(field(check_content(&[], "", "", "", None)), "items");
        let bad_qty = [ok.clone(), ok.clone(), item("C", "1", 0, "")];
        assert_eq!(
            field(check_content(&bad_qty, "", "", "", None)),
            "items[2].quantity"
        );
        assert_eq!(
            field(check_content(&[item("", "1", 1, "")], "", "", "", None)),
            "items[0].product_name"
        );
        assert_eq!(
            field(check_content(&[item("A", "-1", 1, "")], "", "", "", None)),
            "items[0].unit_price"
        );
        assert_eq!(
            field(check_content(
                &[item("A", "1", 1, "100.5")],
                "",
                "",
                "",
                None
            )),
            "items[0].discount_pct"
        );
        assert_eq!(
            field(check_content(std::slice::from_ref(&ok), "-2", "", "", None)),
            "tax"
        );
        assert_eq!(
            field(check_content(std::slice::from_ref(&ok), "", "x", "", None)),
            "shipping"
        );
        assert_eq!(
            field(check_content(
                std::slice::from_ref(&ok),
                "",
                "",
                "",
                Some("31/12/2026")
            )),
            "valid_until"
        );
        let long = "n".repeat(MAX_NOTES_LEN + 1);
        assert_eq!(
            field(check_content(
                std::slice::from_ref(&ok),
                "",
                "",
                &long,
                None
            )),
            "notes"
        );
        let c = check_content(
            &[item("A", "10.01", 3, "12.5")],
            "1.5",
            "2",
            " hi ",
            Some("2026-12-31"),
        )
        .expect("valid");
        // 30.03 × 87.5 % = 26.27625 → 26.28
        assert_eq!(c.totals().subtotal_cents, 2628);
        assert_eq!(c.totals().total_cents, 2628 + 150 + 200);
        assert_eq!(c.notes, "hi");
        assert_eq!(c.valid_until.as_deref(), Some("2026-12-31"));
    }
}
