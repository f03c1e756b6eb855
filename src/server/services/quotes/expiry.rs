//! The notice that a quote expires within the day, given once.

use crate::domain::{AccountId, QuoteId};
use chrono::{DateTime, Utc};

use crate::server::db::{self, Db};
use crate::server::error::ServiceResult;
use crate::server::services::automations::events::{self, Subject};

/// Emits `QUOTE_EXPIRING` once for every open quote (draft, sent or accepted) whose validity
/// ends within 24 hours of `now`. A quote is valid through the end of its `valid_until` day
/// (UTC), so these are the quotes valid until today. The conditional update claims each quote
/// once, even with several instances running; returns how many were marked.
pub async fn emit_expiring(db: &Db, now: DateTime<Utc>) -> ServiceResult<usize> {
    let today = now.date_naive().format("%Y-%m-%d").to_string();
    let mut tx = db.begin().await?;
    let claimed: Vec<(QuoteId, AccountId)> = sqlx::query_as(
        "UPDATE quotes SET expiring_notified_at = $1 WHERE expiring_notified_at IS NULL \
         AND valid_until = $2 AND status IN ('GENERATED', 'SENT', 'ACCEPTED') RETURNING id, account_id",
    )
    .bind(db::ts(now))
    .bind(&today)
    .fetch_all(&mut *tx)
    .await?;
    for (quote_id, account_id) in &claimed {
        events::emit(
            &mut tx,
            *account_id,
            "QUOTE_EXPIRING",
            Subject::Quote(*quote_id),
            serde_json::json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(claimed.len())
}
