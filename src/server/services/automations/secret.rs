//! The account's webhook signing secret, made on first use; automation webhooks are signed
//! with it and the builder shows it.

use crate::domain::AccountId;
use crate::server::db::Db;
use crate::server::error::{ServiceError, ServiceResult};

/// The account's webhook signing secret, made on first use.
pub async fn webhook_secret(db: &Db, account_id: AccountId) -> ServiceResult<String> {
    let read = || async {
        let row: Option<(String,)> =
            sqlx::query_as("SELECT webhook_secret FROM accounts WHERE id = $1")
                .bind(account_id)
                .fetch_optional(&db.pool)
                .await?;
        row.map(|(s,)| s).ok_or(ServiceError::NotFound("account"))
    };
    let secret = read().await?;
    if !secret.is_empty() {
        return Ok(secret);
    }
    let fresh = format!("whsec_{}", crate::server::auth::random_hex(32));
    // Only the first writer's secret is kept when two make one at once.
    sqlx::query("UPDATE accounts SET webhook_secret = $1 WHERE id = $2 AND webhook_secret = ''")
        .bind(&fresh)
        .bind(account_id)
        .execute(&db.pool)
        .await?;
    read().await
}
