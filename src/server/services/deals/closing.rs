//! Closing deals: won (with a final value and notes), lost (with a reason) and reopened.
//!
//! `won_at` / `lost_at` are set here and nowhere else; reopening clears them together with the
//! lost reason and the final value. Each step writes its timeline event.

use chrono::{DateTime, Utc};

use crate::domain::DealId;
use crate::domain::{dates, deal_rules, DealStatus, Problem};
use crate::server::db::{self, Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::Actor;

use super::{lock, record_event, Deal, EventKind, DEAL_COLUMNS};

/// How a deal is won: the final value (the deal's value when `None`), close notes, and when
/// (now when `None`; an import from another system may state it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Win {
    pub final_value_cents: Option<i64>,
    pub close_notes: String,
    pub at: Option<DateTime<Utc>>,
}

/// Marks a deal won now; `final_value_cents` defaults to the deal's value.
pub async fn mark_won(
    db: &Db,
    actor: Actor,
    deal_id: DealId,
    final_value_cents: Option<i64>,
    close_notes: &str,
) -> ServiceResult<Deal> {
    let win = Win {
        final_value_cents,
        close_notes: close_notes.to_string(),
        at: None,
    };
    let mut tx = db.begin().await?;
    let deal = win_step(&mut tx, actor, deal_id, &win).await?;
    tx.commit().await?;
    Ok(deal)
}

/// Marks a deal lost now for a reason (one of the account's lost reasons, or free text).
pub async fn mark_lost(
    db: &Db,
    actor: Actor,
    deal_id: DealId,
    reason: &str,
) -> ServiceResult<Deal> {
    let mut tx = db.begin().await?;
    let deal = lose(&mut tx, actor, deal_id, reason, None).await?;
    tx.commit().await?;
    Ok(deal)
}

/// Reopens a won or lost deal, clearing its closing data.
pub async fn reopen(db: &Db, actor: Actor, deal_id: DealId) -> ServiceResult<Deal> {
    let mut tx = db.begin().await?;
    let deal = reopen_step(&mut tx, actor, deal_id).await?;
    tx.commit().await?;
    Ok(deal)
}

/// Step: marks the deal won.
pub(crate) async fn win_step(
    tx: &mut Tx,
    actor: Actor,
    deal_id: DealId,
    win: &Win,
) -> ServiceResult<Deal> {
    let final_value = deal_rules::final_value(win.final_value_cents)?;
    let notes = deal_rules::close_notes(&win.close_notes)?;
    let before = lock(tx, actor, deal_id).await?;
    let final_value = final_value.unwrap_or(before.value_cents);
    let at = win.at.map(dates::stored_time).unwrap_or_else(db::now);
    let deal: Deal = sqlx::query_as(&format!(
        "UPDATE deals SET status = 'won', won_at = $1, lost_at = NULL, lost_reason = '', \
         final_value_cents = $2, close_notes = $3 WHERE id = $4 AND account_id = $5 \
         RETURNING {DEAL_COLUMNS}"
    ))
    .bind(at)
    .bind(final_value)
    .bind(notes)
    .bind(deal_id)
    .bind(actor.account_id)
    .fetch_one(&mut **tx)
    .await?;
    let data = serde_json::json!({ "final_value_cents": final_value, "from": before.status });
    record_event(tx, actor, deal_id, EventKind::Won, (None, None), data).await?;
    Ok(deal)
}

/// Step: marks the deal lost for `reason` at `at` (now when `None`).
pub(crate) async fn lose(
    tx: &mut Tx,
    actor: Actor,
    deal_id: DealId,
    reason: &str,
    at: Option<DateTime<Utc>>,
) -> ServiceResult<Deal> {
    let reason = deal_rules::lost_reason(reason)?;
    let before = lock(tx, actor, deal_id).await?;
    let at = at.map(dates::stored_time).unwrap_or_else(db::now);
    let deal: Deal = sqlx::query_as(&format!(
        "UPDATE deals SET status = 'lost', lost_at = $1, won_at = NULL, lost_reason = $2, \
         final_value_cents = NULL WHERE id = $3 AND account_id = $4 RETURNING {DEAL_COLUMNS}"
    ))
    .bind(at)
    .bind(reason)
    .bind(deal_id)
    .bind(actor.account_id)
    .fetch_one(&mut **tx)
    .await?;
    let data = serde_json::json!({ "reason": reason, "from": before.status });
    record_event(tx, actor, deal_id, EventKind::Lost, (None, None), data).await?;
    Ok(deal)
}

/// Step: reopens a closed deal; an open one is refused.
pub(crate) async fn reopen_step(tx: &mut Tx, actor: Actor, deal_id: DealId) -> ServiceResult<Deal> {
    let before = lock(tx, actor, deal_id).await?;
    if before.status == DealStatus::Open {
        return Err(ServiceError::invalid("status", Problem::AlreadyOpen));
    }
    let deal: Deal = sqlx::query_as(&format!(
        "UPDATE deals SET status = 'open', won_at = NULL, lost_at = NULL, lost_reason = '', \
         final_value_cents = NULL, close_notes = NULL WHERE id = $1 AND account_id = $2 \
         RETURNING {DEAL_COLUMNS}"
    ))
    .bind(deal_id)
    .bind(actor.account_id)
    .fetch_one(&mut **tx)
    .await?;
    let data = serde_json::json!({ "from": before.status });
    record_event(tx, actor, deal_id, EventKind::Reopened, (None, None), data).await?;
    Ok(deal)
}
