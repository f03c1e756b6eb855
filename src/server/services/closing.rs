//! Closing deals: won (with a final value and notes), lost (with a reason) and reopened.
//!
//! `won_at` / `lost_at` are set here and nowhere else; reopening clears them together with the
//! lost reason and the final value. Each change is one transaction with its timeline event.

use crate::domain::DealStatus;
use crate::server::db::{self, Db};
use crate::server::error::{ServiceError, ServiceResult};

use super::deals::{get_deal_tx, record_event, Deal};
use super::Actor;

/// Longest lost reason or close note accepted.
pub const MAX_REASON_LEN: usize = 255;
/// Longest close note accepted.
pub const MAX_NOTES_LEN: usize = 5_000;

/// Marks a deal won now. `final_value_cents` defaults to the deal's value.
pub async fn mark_won(
    db: &Db,
    actor: Actor,
    deal_id: i64,
    final_value_cents: Option<i64>,
    close_notes: &str,
) -> ServiceResult<Deal> {
    mark_won_at(db, actor, deal_id, final_value_cents, close_notes, None).await
}

/// Marks a deal won at `won_at` (storage form; now when `None`), as an import from another
/// system may state it.
pub async fn mark_won_at(
    db: &Db,
    actor: Actor,
    deal_id: i64,
    final_value_cents: Option<i64>,
    close_notes: &str,
    won_at: Option<&str>,
) -> ServiceResult<Deal> {
    if final_value_cents.is_some_and(|v| v < 0) {
        return Err(ServiceError::invalid("final_value", "must not be negative"));
    }
    let notes = close_notes.trim();
    if notes.chars().count() > MAX_NOTES_LEN {
        return Err(ServiceError::invalid(
            "close_notes",
            format!("must have at most {MAX_NOTES_LEN} characters"),
        ));
    }
    let now = db::now();
    let mut tx = db.begin().await?;
    let deal = touch(&mut tx, actor, deal_id, &now).await?;
    let final_value = final_value_cents.unwrap_or(deal.value_cents);
    sqlx::query(
        "UPDATE deals SET status = 'won', won_at = $1, lost_at = NULL, lost_reason = '', \
         final_value_cents = $2, close_notes = $3 WHERE id = $4 AND account_id = $5",
    )
    .bind(won_at.unwrap_or(&now))
    .bind(final_value)
    .bind(notes)
    .bind(deal_id)
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    let data = serde_json::json!({ "final_value_cents": final_value, "from": deal.status });
    record_event(&mut tx, actor, deal_id, "won", None, None, data).await?;
    let deal = get_deal_tx(&mut tx, actor, deal_id).await?;
    tx.commit().await?;
    Ok(deal)
}

/// Checks and trims a lost reason: required, at most [`MAX_REASON_LEN`] characters.
pub fn check_lost_reason(reason: &str) -> ServiceResult<&str> {
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(ServiceError::invalid(
            "lost_reason",
            "say why the deal was lost",
        ));
    }
    if reason.chars().count() > MAX_REASON_LEN {
        return Err(ServiceError::invalid(
            "lost_reason",
            format!("must have at most {MAX_REASON_LEN} characters"),
        ));
    }
    Ok(reason)
}

/// Marks a deal lost now for a reason (one of the account's lost reasons, or free text).
pub async fn mark_lost(db: &Db, actor: Actor, deal_id: i64, reason: &str) -> ServiceResult<Deal> {
    mark_lost_at(db, actor, deal_id, reason, None).await
}

/// Marks a deal lost at `lost_at` (storage form; now when `None`).
pub async fn mark_lost_at(
    db: &Db,
    actor: Actor,
    deal_id: i64,
    reason: &str,
    lost_at: Option<&str>,
) -> ServiceResult<Deal> {
    let reason = check_lost_reason(reason)?;
    let now = db::now();
    let mut tx = db.begin().await?;
    let deal = touch(&mut tx, actor, deal_id, &now).await?;
    sqlx::query(
        "UPDATE deals SET status = 'lost', lost_at = $1, won_at = NULL, lost_reason = $2, \
         final_value_cents = NULL WHERE id = $3 AND account_id = $4",
    )
    .bind(lost_at.unwrap_or(&now))
    .bind(reason)
    .bind(deal_id)
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    let data = serde_json::json!({ "reason": reason, "from": deal.status });
    record_event(&mut tx, actor, deal_id, "lost", None, None, data).await?;
    let deal = get_deal_tx(&mut tx, actor, deal_id).await?;
    tx.commit().await?;
    Ok(deal)
}

/// Reopens a won or lost deal, clearing its closing data.
pub async fn reopen(db: &Db, actor: Actor, deal_id: i64) -> ServiceResult<Deal> {
    let now = db::now();
    let mut tx = db.begin().await?;
    let deal = touch(&mut tx, actor, deal_id, &now).await?;
    if deal.status == DealStatus::Open.as_str() {
        return Err(ServiceError::invalid("status", "the deal is already open"));
    }
    sqlx::query(
        "UPDATE deals SET status = 'open', won_at = NULL, lost_at = NULL, lost_reason = '', \
         final_value_cents = NULL, close_notes = NULL WHERE id = $1 AND account_id = $2",
    )
    .bind(deal_id)
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    let data = serde_json::json!({ "from": deal.status });
    record_event(&mut tx, actor, deal_id, "reopened", None, None, data).await?;
    let deal = get_deal_tx(&mut tx, actor, deal_id).await?;
    tx.commit().await?;
    Ok(deal)
}

/// Stamps `updated_at` as the transaction's first write (so SQLite takes the write lock at
/// once) and returns the deal as it was; "not found" for another account's deal.
async fn touch(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    actor: Actor,
    deal_id: i64,
    now: &str,
) -> ServiceResult<Deal> {
    let res = sqlx::query("UPDATE deals SET updated_at = $1 WHERE id = $2 AND account_id = $3")
        .bind(now)
        .bind(deal_id)
        .bind(actor.account_id)
        .execute(&mut **tx)
        .await?;
    if res.rows_affected() == 0 {
        return Err(ServiceError::NotFound("deal"));
    }
    get_deal_tx(tx, actor, deal_id).await
}
