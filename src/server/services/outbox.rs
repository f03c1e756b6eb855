//! Reading the account's outbox (owners and admins).

use crate::domain::outbox::{OutboxEmail, OUTBOX_PAGE};
use crate::domain::CurrentUser;
use crate::server::auth::require_configure;
use crate::server::db::Db;
use crate::server::error::ServiceResult;

/// A page (from 1) of the account's e-mails, newest first, and how many there are.
pub async fn page(
    db: &Db,
    user: &CurrentUser,
    page: i64,
) -> ServiceResult<(Vec<OutboxEmail>, i64)> {
    require_configure(user)?;
    let page = page.max(1);
    let (total,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM outgoing_emails WHERE account_id = $1")
            .bind(user.account_id)
            .fetch_one(&db.pool)
            .await?;
    let emails: Vec<OutboxEmail> = sqlx::query_as(
        "SELECT id, to_address, subject, CASE WHEN secret = 1 THEN NULL ELSE body END AS body, status, error, created_at, sent_at FROM outgoing_emails \
         WHERE account_id = $1 ORDER BY id DESC LIMIT $2 OFFSET $3",
    )
    .bind(user.account_id)
    .bind(OUTBOX_PAGE)
    .bind((page - 1).saturating_mul(OUTBOX_PAGE))
    .fetch_all(&db.pool)
    .await?;
    Ok((emails, total))
}
