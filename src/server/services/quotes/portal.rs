//! The client's portal, authorized by the quote's token alone: views, accept, reject.

use crate::domain::quote::{can_respond, status_word, QuoteDetail};
use crate::domain::{AccountId, QuoteId};
use crate::server::db::Db;
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::automations::events::{self, Subject};
use crate::server::services::Actor;

use super::read::load;
use super::status::{lock_quote, transition};

/// The quote behind a portal token: (account, quote id). Unknown tokens are "not found".
pub(super) async fn by_token(db: &Db, token: &str) -> ServiceResult<(AccountId, QuoteId)> {
    let token = token.trim();
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ServiceError::NotFound("quote"));
    }
    let row: Option<(AccountId, QuoteId)> =
        sqlx::query_as("SELECT account_id, id FROM quotes WHERE public_token = $1")
            .bind(token)
            .fetch_optional(&db.pool)
            .await?;
    row.ok_or(ServiceError::NotFound("quote"))
}

/// The portal's view of a quote (without its token), counting one view and emitting
/// `QUOTE_VIEWED`.
pub async fn portal_view(db: &Db, token: &str) -> ServiceResult<QuoteDetail> {
    let (account_id, quote_id) = by_token(db, token).await?;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE quotes SET view_count = view_count + 1 WHERE id = $1 AND account_id = $2")
        .bind(quote_id)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    events::emit(
        &mut tx,
        account_id,
        "QUOTE_VIEWED",
        Subject::Quote(quote_id),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    load(db, account_id, quote_id, false).await
}

/// The portal's view of a quote without counting a view (after the client's choice).
pub async fn portal_get(db: &Db, token: &str) -> ServiceResult<QuoteDetail> {
    let (account_id, quote_id) = by_token(db, token).await?;
    load(db, account_id, quote_id, false).await
}

/// The client accepts a sent quote on the portal.
pub async fn portal_accept(db: &Db, token: &str) -> ServiceResult<QuoteDetail> {
    portal_answer(db, token, "ACCEPTED").await
}

/// The client rejects a sent quote on the portal.
pub async fn portal_reject(db: &Db, token: &str) -> ServiceResult<QuoteDetail> {
    portal_answer(db, token, "REJECTED").await
}

pub(super) async fn portal_answer(db: &Db, token: &str, to: &str) -> ServiceResult<QuoteDetail> {
    let (account_id, quote_id) = by_token(db, token).await?;
    let client = Actor {
        account_id,
        user_id: None,
    };
    let mut tx = db.begin().await?;
    let q = lock_quote(&mut tx, account_id, quote_id).await?;
    if !can_respond(&q.status) {
        return Err(ServiceError::Conflict(format!(
            "this quote is {} and can no longer be accepted or rejected",
            status_word(&q.status).to_lowercase()
        )));
    }
    transition(&mut tx, client, quote_id, can_respond, to).await?;
    tx.commit().await?;
    load(db, account_id, quote_id, false).await
}
