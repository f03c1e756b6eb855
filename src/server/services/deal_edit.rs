//! Editing a deal's fields: every value is checked before anything is written, and each change
//! lands in the deal's timeline as a `field_changed` event.

use crate::domain::money::parse_amount;
use crate::server::db::{self, Db};
use crate::server::error::{ServiceError, ServiceResult};

use super::deals::{get_deal_tx, record_event, validate_title, Deal};
use super::Actor;

/// A deal's editable fields as a form sends them (text as typed, ids as chosen).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DealEdit {
    pub title: String,
    /// Decimal amount, at most two decimals (`1200`, `1,200.50`).
    pub value: String,
    /// ISO 4217 code, three letters.
    pub currency: String,
    /// `YYYY-MM-DD`, or empty for none.
    pub expected_close_date: String,
    pub responsible_user_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub contact_id: Option<i64>,
    /// 1 to 5, or none.
    pub quality_rating: Option<i64>,
    pub quality_reason: String,
    /// 0 owner only, 1 owner's team, 2 everyone.
    pub visibility: i64,
    /// 1 cold, 2 warm, 3 hot, or none.
    pub temperature: Option<i64>,
}

/// The checked values that get written.
struct Checked {
    title: String,
    value_cents: i64,
    currency: String,
    expected_close_date: Option<String>,
    quality_reason: Option<String>,
}

fn check(edit: &DealEdit) -> ServiceResult<Checked> {
    let title = validate_title(&edit.title)?;
    let value_cents = if edit.value.trim().is_empty() {
        0
    } else {
        parse_amount(&edit.value).map_err(|m| ServiceError::invalid("value", m))?
    };
    if value_cents < 0 {
        return Err(ServiceError::invalid("value", "must not be negative"));
    }
    let currency = edit.currency.trim().to_uppercase();
    if currency.len() != 3 || !currency.chars().all(|c| c.is_ascii_uppercase()) {
        return Err(ServiceError::invalid(
            "currency",
            format!(
                "\"{}\" is not a three-letter currency code",
                edit.currency.trim()
            ),
        ));
    }
    let expected_close_date = match edit.expected_close_date.trim() {
        "" => None,
        d => Some(
            db::parse_date(d)
                .ok_or_else(|| {
                    ServiceError::invalid(
                        "expected_close_date",
                        format!("\"{d}\" is not a date (YYYY-MM-DD)"),
                    )
                })?
                .to_string(),
        ),
    };
    if edit.quality_rating.is_some_and(|q| !(1..=5).contains(&q)) {
        return Err(ServiceError::invalid(
            "quality_rating",
            "must be from 1 to 5",
        ));
    }
    let reason = edit.quality_reason.trim();
    if reason.chars().count() > 500 {
        return Err(ServiceError::invalid(
            "quality_reason",
            "must have at most 500 characters",
        ));
    }
    if !(0..=2).contains(&edit.visibility) {
        return Err(ServiceError::invalid("visibility", "must be 0, 1 or 2"));
    }
    if edit.temperature.is_some_and(|t| !(1..=3).contains(&t)) {
        return Err(ServiceError::invalid(
            "temperature",
            "must be 1 (cold), 2 (warm) or 3 (hot)",
        ));
    }
    Ok(Checked {
        title,
        value_cents,
        currency,
        expected_close_date,
        quality_reason: (!reason.is_empty()).then(|| reason.to_string()),
    })
}

/// Saves a deal's fields; on any invalid value nothing is saved.
pub async fn update_deal(
    db: &Db,
    actor: Actor,
    deal_id: i64,
    edit: &DealEdit,
) -> ServiceResult<Deal> {
    let c = check(edit)?;
    let now = db::now();
    let mut tx = db.pool.begin().await?;
    let touched = sqlx::query("UPDATE deals SET updated_at = $1 WHERE id = $2 AND account_id = $3")
        .bind(&now)
        .bind(deal_id)
        .bind(actor.account_id)
        .execute(&mut *tx)
        .await?;
    if touched.rows_affected() == 0 {
        return Err(ServiceError::NotFound("deal"));
    }
    for (table, id, field) in [
        ("users", edit.responsible_user_id, "responsible_user_id"),
        ("organizations", edit.organization_id, "organization_id"),
        ("contacts", edit.contact_id, "contact_id"),
    ] {
        let Some(id) = id else { continue };
        let found: Option<(i64,)> = sqlx::query_as(&format!(
            "SELECT id FROM {table} WHERE id = $1 AND account_id = $2"
        ))
        .bind(id)
        .bind(actor.account_id)
        .fetch_optional(&mut *tx)
        .await?;
        if found.is_none() {
            return Err(ServiceError::invalid(field, "not found in this account"));
        }
    }
    let before = get_deal_tx(&mut tx, actor, deal_id).await?;
    sqlx::query(
        "UPDATE deals SET title = $1, value_cents = $2, currency = $3, expected_close_date = $4, \
         responsible_user_id = $5, organization_id = $6, contact_id = $7, quality_rating = $8, \
         quality_reason = $9, visibility = $10, temperature = $11 WHERE id = $12 AND account_id = $13",
    )
    .bind(&c.title)
    .bind(c.value_cents)
    .bind(&c.currency)
    .bind(&c.expected_close_date)
    .bind(edit.responsible_user_id)
    .bind(edit.organization_id)
    .bind(edit.contact_id)
    .bind(edit.quality_rating)
    .bind(&c.quality_reason)
    .bind(edit.visibility)
    .bind(edit.temperature)
    .bind(deal_id)
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    let after = get_deal_tx(&mut tx, actor, deal_id).await?;
    if let Some(new_owner) = after.responsible_user_id {
        if before.responsible_user_id != Some(new_owner) && actor.user_id != Some(new_owner) {
            let title = format!("You are now responsible for \"{}\"", after.title);
            let link = format!("/deals/{deal_id}");
            super::notifications::notify(&mut tx, actor.account_id, new_owner, &title, Some(&link))
                .await?;
        }
    }
    let changes = changed_fields(&before, &after);
    if !changes.is_empty() {
        record_event(
            &mut tx,
            actor,
            deal_id,
            "field_changed",
            None,
            None,
            serde_json::json!({ "changes": changes }),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(after)
}

fn changed_fields(before: &Deal, after: &Deal) -> Vec<serde_json::Value> {
    let mut out = Vec::new();
    let mut diff = |field: &str, old: serde_json::Value, new: serde_json::Value| {
        if old != new {
            out.push(serde_json::json!({ "field": field, "from": old, "to": new }));
        }
    };
    diff(
        "title",
        before.title.clone().into(),
        after.title.clone().into(),
    );
    diff(
        "value_cents",
        before.value_cents.into(),
        after.value_cents.into(),
    );
    diff(
        "currency",
        before.currency.clone().into(),
        after.currency.clone().into(),
    );
    diff(
        "expected_close_date",
        before.expected_close_date.clone().into(),
        after.expected_close_date.clone().into(),
    );
    diff(
        "responsible_user_id",
        before.responsible_user_id.into(),
        after.responsible_user_id.into(),
    );
    diff(
        "organization_id",
        before.organization_id.into(),
        after.organization_id.into(),
    );
    diff(
        "contact_id",
        before.contact_id.into(),
        after.contact_id.into(),
    );
    diff(
        "temperature",
        before.temperature.into(),
        after.temperature.into(),
    );
    out
}
