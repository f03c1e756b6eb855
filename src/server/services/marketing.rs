//! Lead sources and the marketing trackers that point at them. A lead that arrives with a
//! tracker's code (`wegly_code`) takes the tracker's lead source (see `deals::intake`). Lead
//! source names are unique per account (exactly as written; the intake matches them so);
//! tracker codes are unique per account. Only a [`Configurer`](super::Configurer) changes them.

use crate::domain::{AccountId, Problem};
use crate::server::db::{self, Db};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::MayConfigure;

/// Longest tracker code.
pub const MAX_CODE_LEN: usize = 100;

/// A tracker as stored, with its lead source.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Tracker {
    pub code: String,
    pub lead_source_id: Option<i64>,
    pub lead_source_uuid: Option<String>,
    pub lead_source: Option<String>,
    pub created_at: String,
}

/// Adds a lead source; a name the account already has is refused. Returns its id.
pub async fn add_lead_source(db: &Db, by: impl MayConfigure, name: &str) -> ServiceResult<i64> {
    let account_id = by.configurer()?.account_id();
    let name = name.trim();
    let mut tx = db.begin().await?;
    let taken: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM lead_sources WHERE account_id = $1 AND name = $2")
            .bind(account_id)
            .bind(name)
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        return Err(ServiceError::invalid(
            "name",
            Problem::LeadSourceExists {
                name: name.to_string(),
            },
        ));
    }
    let id = super::catalog::lead_source_named(&mut tx, account_id, name).await?;
    tx.commit().await?;
    Ok(id)
}

/// Deletes a lead source; its deals and trackers keep no source.
pub async fn delete_lead_source(db: &Db, by: impl MayConfigure, id: i64) -> ServiceResult<()> {
    let account_id = by.configurer()?.account_id();
    let mut tx = db.begin().await?;
    for sql in [
        "UPDATE deals SET lead_source_id = NULL WHERE lead_source_id = $1 AND account_id = $2",
        "UPDATE marketing_trackers SET lead_source_id = NULL WHERE lead_source_id = $1 AND account_id = $2",
    ] {
        sqlx::query(sql)
            .bind(id)
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
    }
    let res = sqlx::query("DELETE FROM lead_sources WHERE id = $1 AND account_id = $2")
        .bind(id)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    db::touched(res, "lead source")?;
    tx.commit().await?;
    Ok(())
}

/// Checks a tracker code: 1 to [`MAX_CODE_LEN`] letters, digits, `-`, `_` or `.`.
fn tracker_code(code: &str) -> ServiceResult<String> {
    let code = code.trim();
    let ok = !code.is_empty()
        && code.len() <= MAX_CODE_LEN
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
    if ok {
        Ok(code.to_string())
    } else {
        Err(ServiceError::invalid(
            "code",
            format!("must have 1 to {MAX_CODE_LEN} letters, digits, '-', '_' or '.'"),
        ))
    }
}

/// Adds a tracker whose leads take `lead_source_id` (a source of the account); a code the
/// account already has is refused.
pub async fn add_tracker(
    db: &Db,
    by: impl MayConfigure,
    code: &str,
    lead_source_id: Option<i64>,
) -> ServiceResult<()> {
    let account_id = by.configurer()?.account_id();
    let code = tracker_code(code)?;
    let mut tx = db.begin().await?;
    if let Some(source) = lead_source_id {
        super::deals::check_in_account(
            &mut *tx,
            "lead_sources",
            source,
            account_id,
            "lead_source_id",
        )
        .await?;
    }
    let taken: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM marketing_trackers WHERE account_id = $1 AND code = $2")
            .bind(account_id)
            .bind(&code)
            .fetch_optional(&mut *tx)
            .await?;
    if taken.is_some() {
        return Err(ServiceError::invalid(
            "code",
            Problem::TrackerExists {
                code: code.to_string(),
            },
        ));
    }
    sqlx::query(
        "INSERT INTO marketing_trackers (account_id, code, lead_source_id, created_at) \
         VALUES ($1, $2, $3, $4)",
    )
    .bind(account_id)
    .bind(&code)
    .bind(lead_source_id)
    .bind(db::now())
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes the account's tracker with `code`; leads that carry it afterwards keep their code
/// in their marketing values but take no source from it.
pub async fn delete_tracker(db: &Db, by: impl MayConfigure, code: &str) -> ServiceResult<()> {
    let account_id = by.configurer()?.account_id();
    let res = sqlx::query("DELETE FROM marketing_trackers WHERE account_id = $1 AND code = $2")
        .bind(account_id)
        .bind(code.trim())
        .execute(&db.pool)
        .await?;
    db::touched(res, "tracker")
}

/// The account's trackers by code (or only `code`).
pub async fn trackers(
    db: &Db,
    account_id: AccountId,
    code: Option<&str>,
) -> ServiceResult<Vec<Tracker>> {
    Ok(sqlx::query_as(
        "SELECT t.code, t.lead_source_id, s.uuid AS lead_source_uuid, s.name AS lead_source, t.created_at \
         FROM marketing_trackers t LEFT JOIN lead_sources s ON s.id = t.lead_source_id \
         WHERE t.account_id = $1 AND ($2 = '' OR t.code = $2) ORDER BY t.code",
    )
    .bind(account_id)
    .bind(code.map(str::trim).unwrap_or_default())
    .fetch_all(&db.pool)
    .await?)
}
