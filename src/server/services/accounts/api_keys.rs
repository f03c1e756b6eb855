//! API keys as owners and admins manage them on the settings page: made for themselves, and
//! revoked. Each change is in the audit log.

use crate::domain::audit::AuditAction;
use crate::domain::CurrentUser;
use crate::server::auth::api_keys::{insert_key, CreatedKey};
use crate::server::auth::require_configure;
use crate::server::db::{self, Db};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::audit;

/// Makes a key acting for `me` (owners and admins).
pub async fn create(
    db: &Db,
    me: &CurrentUser,
    name: &str,
    scopes: &[String],
    allowed_domain: Option<&str>,
) -> ServiceResult<CreatedKey> {
    require_configure(me)?;
    let mut tx = db.begin().await?;
    let key = insert_key(
        &mut tx,
        me.account_id,
        Some(me.id),
        name,
        scopes,
        allowed_domain,
    )
    .await?;
    let scopes = if scopes.is_empty() {
        "opportunities:read".to_string()
    } else {
        scopes.join(" ")
    };
    audit::record(
        &mut *tx,
        me.into(),
        AuditAction::ApiKeyCreated,
        name.trim(),
        Some(&scopes),
    )
    .await?;
    tx.commit().await?;
    Ok(key)
}

/// Revokes a key of the account; it stops working at once (owners and admins).
pub async fn revoke(db: &Db, me: &CurrentUser, id: i64) -> ServiceResult<()> {
    require_configure(me)?;
    let mut tx = db.begin().await?;
    let revoked: Option<(String,)> = sqlx::query_as(
        "UPDATE api_keys SET revoked_at = $1 WHERE id = $2 AND account_id = $3 AND revoked_at IS NULL \
         RETURNING name",
    )
    .bind(db::now())
    .bind(id)
    .bind(me.account_id)
    .fetch_optional(&mut *tx)
    .await?;
    match revoked {
        Some((name,)) => {
            audit::record(&mut *tx, me.into(), AuditAction::ApiKeyRevoked, &name, None).await?;
            tx.commit().await?;
            Ok(())
        }
        None => {
            // Revoking twice changes nothing; a key of no one's account is not found.
            let known: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM api_keys WHERE id = $1 AND account_id = $2")
                    .bind(id)
                    .bind(me.account_id)
                    .fetch_optional(&mut *tx)
                    .await?;
            known.map(|_| ()).ok_or(ServiceError::NotFound("API key"))
        }
    }
}
