//! Editing a deal's own fields. A change names only the fields it sets; they are merged into
//! the deal as it is under its row lock, every value is checked before anything is written,
//! and the differences land in the timeline as one `field_changed` event.

use crate::domain::{ContactId, DealId, OrganizationId, UserId};
use crate::i18n::t_args;
use chrono::NaiveDate;

use crate::domain::money::parse_amount;
use crate::domain::search::fold;
use crate::domain::{deal_rules, Invalid};
use crate::server::db::{Db, Tx};
use crate::server::error::ServiceResult;
use crate::server::services::{notifications, Actor};

use super::{check_in_account, links, lock, record_event, Deal, EventKind, DEAL_COLUMNS};

/// Fields to set; `None` leaves a field as it is. For the optional ones, `Some(None)` clears.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct FieldChanges {
    pub title: Option<String>,
    pub value_cents: Option<i64>,
    /// A three-letter currency code.
    pub currency: Option<String>,
    pub expected_close_date: Option<Option<NaiveDate>>,
    pub responsible_user_id: Option<Option<UserId>>,
    pub organization_id: Option<Option<OrganizationId>>,
    /// The primary person; changing it keeps the deal's persons in step.
    pub contact_id: Option<Option<ContactId>>,
    pub lead_source_id: Option<Option<i64>>,
    /// 1 to 5.
    pub quality_rating: Option<Option<i64>>,
    pub quality_reason: Option<String>,
    /// 0 private, 1 team, 2 public (see the deals' visibility rule).
    pub visibility: Option<i64>,
    /// 1 cold, 2 warm, 3 hot.
    pub temperature: Option<Option<i64>>,
}

impl FieldChanges {
    /// True when nothing is to change.
    pub fn is_empty(&self) -> bool {
        *self == FieldChanges::default()
    }

    /// The values the deal has once these changes are made to `deal`, checked.
    fn merged(&self, deal: &Deal) -> Result<Deal, Invalid> {
        let mut d = deal.clone();
        if let Some(title) = &self.title {
            d.title = deal_rules::title(title)?;
        }
        if let Some(cents) = self.value_cents {
            d.value_cents = deal_rules::value(cents)?;
        }
        if let Some(currency) = &self.currency {
            d.currency = deal_rules::currency_code(currency)?;
        }
        if self.value_cents.is_some() || self.currency.is_some() {
            deal_rules::value_in(d.value_cents, &d.currency)?;
        }
        if let Some(date) = self.expected_close_date {
            d.expected_close_date = date.map(|d| d.format("%Y-%m-%d").to_string());
        }
        if let Some(v) = self.responsible_user_id {
            d.responsible_user_id = v;
        }
        if let Some(v) = self.organization_id {
            d.organization_id = v;
        }
        if let Some(v) = self.contact_id {
            d.contact_id = v;
        }
        if let Some(v) = self.lead_source_id {
            d.lead_source_id = v;
        }
        if let Some(v) = self.quality_rating {
            d.quality_rating = v;
        }
        if let Some(reason) = &self.quality_reason {
            let reason = reason.trim();
            d.quality_reason = (!reason.is_empty()).then(|| reason.to_string());
        }
        if let Some(v) = self.visibility {
            d.visibility = v;
        }
        if let Some(v) = self.temperature {
            d.temperature = v;
        }
        deal_rules::scales(
            d.quality_rating,
            d.quality_reason.as_deref().unwrap_or(""),
            d.visibility,
            d.temperature,
        )?;
        Ok(d)
    }
}

/// The deal form's fields as typed (text as typed, ids as chosen). The primary person is
/// changed from the people panel, not here.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DealEdit {
    pub title: String,
    /// Decimal amount, at most two decimals (`1200`, `1,200.50`); empty is zero.
    pub value: String,
    /// ISO 4217 code, three letters.
    pub currency: String,
    /// `YYYY-MM-DD`, or empty for none.
    pub expected_close_date: String,
    pub responsible_user_id: Option<UserId>,
    pub organization_id: Option<OrganizationId>,
    pub lead_source_id: Option<i64>,
    /// 1 to 5, or none.
    pub quality_rating: Option<i64>,
    pub quality_reason: String,
    /// 0 private, 1 team, 2 public (see the deals' visibility rule).
    pub visibility: i64,
    /// 1 cold, 2 warm, 3 hot, or none.
    pub temperature: Option<i64>,
}

impl DealEdit {
    /// The form read as changes of every field it shows.
    pub fn changes(&self) -> Result<FieldChanges, Invalid> {
        let value_cents = match self.value.trim() {
            "" => 0,
            v => parse_amount(v).map_err(|m| Invalid::new("value", m))?,
        };
        Ok(FieldChanges {
            title: Some(self.title.clone()),
            value_cents: Some(value_cents),
            currency: Some(self.currency.clone()),
            expected_close_date: Some(deal_rules::close_date(&self.expected_close_date)?),
            responsible_user_id: Some(self.responsible_user_id),
            organization_id: Some(self.organization_id),
            contact_id: None,
            lead_source_id: Some(self.lead_source_id),
            quality_rating: Some(self.quality_rating),
            quality_reason: Some(self.quality_reason.clone()),
            visibility: Some(self.visibility),
            temperature: Some(self.temperature),
        })
    }
}

/// Saves the deal form; on any invalid value nothing is saved.
pub async fn update_deal(
    db: &Db,
    actor: Actor,
    deal_id: DealId,
    edit: &DealEdit,
) -> ServiceResult<Deal> {
    let changes = edit.changes()?;
    let mut tx = db.begin().await?;
    let deal = apply(&mut tx, actor, deal_id, &changes).await?;
    tx.commit().await?;
    Ok(deal)
}

/// Step: makes `changes` to the deal under its row lock; returns the deal as it is after.
pub(crate) async fn apply(
    tx: &mut Tx,
    actor: Actor,
    deal_id: DealId,
    changes: &FieldChanges,
) -> ServiceResult<Deal> {
    let before = lock(tx, actor, deal_id).await?;
    let wanted = changes.merged(&before)?;
    for (table, id, before_id, field) in [
        (
            "users",
            wanted.responsible_user_id.map(i64::from),
            before.responsible_user_id.map(i64::from),
            "responsible_user_id",
        ),
        (
            "organizations",
            wanted.organization_id.map(i64::from),
            before.organization_id.map(i64::from),
            "organization_id",
        ),
        (
            "contacts",
            wanted.contact_id.map(i64::from),
            before.contact_id.map(i64::from),
            "contact_id",
        ),
        (
            "lead_sources",
            wanted.lead_source_id,
            before.lead_source_id,
            "lead_source_id",
        ),
    ] {
        if let Some(id) = id.filter(|id| Some(*id) != before_id) {
            check_in_account(&mut **tx, table, id, actor.account_id, field).await?;
        }
    }
    let after: Deal = sqlx::query_as(&format!(
        "UPDATE deals SET title = $1, value_cents = $2, currency = $3, expected_close_date = $4, \
         responsible_user_id = $5, organization_id = $6, contact_id = $7, quality_rating = $8, \
         quality_reason = $9, visibility = $10, temperature = $11, lead_source_id = $12, title_key = $15 \
         WHERE id = $13 AND account_id = $14 RETURNING {DEAL_COLUMNS}"
    ))
    .bind(&wanted.title)
    .bind(wanted.value_cents)
    .bind(&wanted.currency)
    .bind(&wanted.expected_close_date)
    .bind(wanted.responsible_user_id)
    .bind(wanted.organization_id)
    .bind(wanted.contact_id)
    .bind(wanted.quality_rating)
    .bind(&wanted.quality_reason)
    .bind(wanted.visibility)
    .bind(wanted.temperature)
    .bind(wanted.lead_source_id)
    .bind(deal_id)
    .bind(actor.account_id)
    .bind(fold(&wanted.title))
    .fetch_one(&mut **tx)
    .await?;
    if before.contact_id != after.contact_id {
        match after.contact_id {
            Some(contact) => links::make_primary(tx, actor.account_id, deal_id, contact).await?,
            None => links::clear_primary(tx, deal_id).await?,
        }
    }
    if let Some(new_owner) = after.responsible_user_id {
        if before.responsible_user_id != Some(new_owner) && actor.user_id != Some(new_owner) {
            let link = format!("/deals/{deal_id}");
            notifications::notify_message(
                tx,
                actor.account_id,
                new_owner,
                |l| {
                    t_args(
                        l,
                        "mail-now-responsible",
                        &[("title", after.title.as_str().into())],
                    )
                },
                Some(&link),
            )
            .await?;
        }
    }
    let changes = changed_fields(&before, &after);
    if !changes.is_empty() {
        record_event(
            tx,
            actor,
            deal_id,
            EventKind::FieldChanged,
            (None, None),
            serde_json::json!({ "changes": changes }),
        )
        .await?;
    }
    Ok(after)
}

/// The fields whose change the timeline shows, each `{field, from, to}`.
fn changed_fields(before: &Deal, after: &Deal) -> Vec<serde_json::Value> {
    use serde_json::Value;
    let pairs: [(&str, Value, Value); 9] = [
        (
            "title",
            before.title.clone().into(),
            after.title.clone().into(),
        ),
        (
            "value_cents",
            before.value_cents.into(),
            after.value_cents.into(),
        ),
        (
            "currency",
            before.currency.clone().into(),
            after.currency.clone().into(),
        ),
        (
            "expected_close_date",
            before.expected_close_date.clone().into(),
            after.expected_close_date.clone().into(),
        ),
        (
            "responsible_user_id",
            before.responsible_user_id.map(i64::from).into(),
            after.responsible_user_id.map(i64::from).into(),
        ),
        (
            "organization_id",
            before.organization_id.map(i64::from).into(),
            after.organization_id.map(i64::from).into(),
        ),
        (
            "contact_id",
            before.contact_id.map(i64::from).into(),
            after.contact_id.map(i64::from).into(),
        ),
        (
            "lead_source_id",
            before.lead_source_id.into(),
            after.lead_source_id.into(),
        ),
        (
            "temperature",
            before.temperature.into(),
            after.temperature.into(),
        ),
    ];
    pairs
        .into_iter()
        .filter(|(_, from, to)| from != to)
        .map(|(field, from, to)| serde_json::json!({ "field": field, "from": from, "to": to }))
        .collect()
}
