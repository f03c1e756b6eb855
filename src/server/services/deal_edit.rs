//! Editing a deal's fields: every value is checked before anything is written, and each change
//! lands in the deal's timeline as a `field_changed` event.

use crate::domain::money::{normalize_currency, parse_amount};
use crate::server::db::{self, Db};
use crate::server::error::{ServiceError, ServiceResult};

use super::deal_links::make_primary;
use super::deals::{check_in_account, get_deal_tx, lock_deal, record_event, validate_title, Deal};
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
    /// The primary person; changing it keeps the deal's persons in step.
    pub contact_id: Option<i64>,
    pub lead_source_id: Option<i64>,
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
    let currency =
        normalize_currency(&edit.currency).map_err(|m| ServiceError::invalid("currency", m))?;
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
    let reason = edit.quality_reason.trim();
    super::deals::check_scales(
        edit.quality_rating,
        reason,
        edit.visibility,
        edit.temperature,
    )?;
    Ok(Checked {
        title,
        value_cents,
        currency,
        expected_close_date,
        quality_reason: (!reason.is_empty()).then(|| reason.to_string()),
    })
}

/// A deal's editable fields as they are now, ready to be changed and saved with
/// [`update_deal`] (partial updates start here).
pub async fn current(db: &Db, actor: Actor, deal_id: i64) -> ServiceResult<DealEdit> {
    type Row = (
        String,
        i64,
        String,
        Option<String>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<String>,
        i64,
        Option<i64>,
    );
    let row: Option<Row> = sqlx::query_as(
        "SELECT title, value_cents, currency, expected_close_date, responsible_user_id, organization_id, \
         contact_id, lead_source_id, quality_rating, quality_reason, visibility, temperature \
         FROM deals WHERE id = $1 AND account_id = $2",
    )
    .bind(deal_id)
    .bind(actor.account_id)
    .fetch_optional(&db.pool)
    .await?;
    let (
        title,
        cents,
        currency,
        close,
        responsible,
        org,
        contact,
        source,
        rating,
        reason,
        visibility,
        temperature,
    ) = row.ok_or(ServiceError::NotFound("deal"))?;
    Ok(DealEdit {
        title,
        value: crate::domain::money::format_cents(cents).replace(',', ""),
        currency,
        expected_close_date: close.unwrap_or_default(),
        responsible_user_id: responsible,
        organization_id: org,
        contact_id: contact,
        lead_source_id: source,
        quality_rating: rating,
        quality_reason: reason.unwrap_or_default(),
        visibility,
        temperature,
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
    let mut tx = db.begin().await?;
    lock_deal(&mut tx, actor, deal_id).await?;
    for (table, id, field) in [
        ("users", edit.responsible_user_id, "responsible_user_id"),
        ("organizations", edit.organization_id, "organization_id"),
        ("contacts", edit.contact_id, "contact_id"),
        ("lead_sources", edit.lead_source_id, "lead_source_id"),
    ] {
        if let Some(id) = id {
            check_in_account(&mut tx, table, id, actor.account_id, field).await?;
        }
    }
    let before = get_deal_tx(&mut tx, actor, deal_id).await?;
    sqlx::query(
        "UPDATE deals SET title = $1, value_cents = $2, currency = $3, expected_close_date = $4, \
         responsible_user_id = $5, organization_id = $6, contact_id = $7, quality_rating = $8, \
         quality_reason = $9, visibility = $10, temperature = $11, lead_source_id = $12 \
         WHERE id = $13 AND account_id = $14",
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
    .bind(edit.lead_source_id)
    .bind(deal_id)
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    if before.contact_id != edit.contact_id {
        match edit.contact_id {
            Some(contact) => make_primary(&mut tx, actor.account_id, deal_id, contact).await?,
            None => {
                sqlx::query("UPDATE deal_persons SET is_primary = 0 WHERE deal_id = $1")
                    .bind(deal_id)
                    .execute(&mut *tx)
                    .await?;
            }
        }
    }
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
        "lead_source_id",
        before.lead_source_id.into(),
        after.lead_source_id.into(),
    );
    diff(
        "temperature",
        before.temperature.into(),
        after.temperature.into(),
    );
    out
}
