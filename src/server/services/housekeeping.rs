//! Housekeeping: what is no longer needed is deleted by a job ([`JOB`]) the worker schedules
//! at most once an [`INTERVAL_MINUTES`] across every instance.
//!
//! - At once: expired sessions, used or expired password-reset links, accepted or revoked
//!   invitations, invitations expired for over [`EXPIRED_INVITATIONS_DAYS`];
//! - after the account's retention ([`DEFAULT_RETENTION_DAYS`] unless its owners chose
//!   otherwise, between [`MIN_RETENTION_DAYS`] and [`MAX_RETENTION_DAYS`]): finished jobs,
//!   automation run logs, finished webhook deliveries, e-mails no longer waiting, and the
//!   stored files of finished imports (their reports stay).
//!
//! Nothing still to do is touched: a pending job, a queued e-mail or a delivery still to try
//! stays whatever its age.

use crate::domain::audit::AuditAction;
use crate::server::services::audit;
use chrono::{Duration, Utc};

use crate::domain::{AccountId, CurrentUser, Problem};
use crate::server::auth::require_configure;
use crate::server::db::{self, Db};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::jobs;

/// Job kind that deletes what the rules above say.
pub const JOB: &str = "housekeeping";
/// Minutes between two housekeeping runs.
pub const INTERVAL_MINUTES: i64 = 60;
pub const DEFAULT_RETENTION_DAYS: i64 = 90;
pub const MIN_RETENTION_DAYS: i64 = 7;
pub const MAX_RETENTION_DAYS: i64 = 3650;
/// Days an expired invitation stays listed (to be sent again) before it goes.
pub const EXPIRED_INVITATIONS_DAYS: i64 = 30;

/// What an account keeps, as the settings page shows it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Kept {
    pub retention_days: i64,
    /// Rows of each kind the account holds now: finished jobs, automation run logs, webhook
    /// deliveries, e-mails.
    pub jobs: i64,
    pub automation_logs: i64,
    pub webhook_deliveries: i64,
    pub emails: i64,
}

/// Queues a housekeeping run unless one is waiting or ran within the interval.
pub async fn schedule(db: &Db) -> ServiceResult<()> {
    let since = db::ts(Utc::now() - Duration::minutes(INTERVAL_MINUTES));
    let recent: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM jobs WHERE kind = $1 AND (status IN ('pending', 'running') OR updated_at > $2) LIMIT 1",
    )
    .bind(JOB)
    .bind(&since)
    .fetch_optional(&db.pool)
    .await?;
    if recent.is_some() {
        return Ok(());
    }
    let mut tx = db.begin().await?;
    jobs::enqueue(&mut tx, None, JOB, &serde_json::json!({}), Utc::now()).await?;
    tx.commit().await?;
    Ok(())
}

/// Deletes what is no longer needed (see the module's doc) as of `now`; answers how many
/// rows went.
pub async fn purge(db: &Db, now: chrono::DateTime<Utc>) -> ServiceResult<u64> {
    let stamp = db::ts(now);
    let mut gone = 0;
    let mut tx = db.begin().await?;
    for (sql, at) in [
        ("DELETE FROM sessions WHERE expiry_date < $1", stamp.clone()),
        (
            "DELETE FROM password_resets WHERE used_at IS NOT NULL OR expires_at < $1",
            stamp.clone(),
        ),
        (
            "DELETE FROM invitations WHERE accepted_at IS NOT NULL OR revoked_at IS NOT NULL OR expires_at < $1",
            db::ts(now - Duration::days(EXPIRED_INVITATIONS_DAYS)),
        ),
    ] {
        gone += sqlx::query(sql)
            .bind(at)
            .execute(&mut *tx)
            .await?
            .rows_affected();
    }
    // Jobs of no account (this one, password resets) keep the default retention.
    gone += sqlx::query(
        "DELETE FROM jobs WHERE account_id IS NULL AND status IN ('done', 'failed') AND updated_at < $1",
    )
    .bind(db::ts(now - Duration::days(DEFAULT_RETENTION_DAYS)))
    .execute(&mut *tx)
    .await?
    .rows_affected();
    tx.commit().await?;

    let accounts: Vec<(AccountId, i64)> =
        sqlx::query_as("SELECT id, retention_days FROM accounts ORDER BY id")
            .fetch_all(&db.pool)
            .await?;
    for (account_id, days) in accounts {
        let before =
            db::ts(now - Duration::days(days.clamp(MIN_RETENTION_DAYS, MAX_RETENTION_DAYS)));
        let mut tx = db.begin().await?;
        for sql in [
            "DELETE FROM jobs WHERE account_id = $1 AND status IN ('done', 'failed') AND updated_at < $2",
            "DELETE FROM automation_logs WHERE account_id = $1 AND completed_at IS NOT NULL AND triggered_at < $2",
            "DELETE FROM webhook_deliveries WHERE account_id = $1 AND status <> 'pending' AND created_at < $2",
            "DELETE FROM outgoing_emails WHERE account_id = $1 AND status <> 'queued' AND created_at < $2",
            "DELETE FROM import_chunks WHERE import_id IN (SELECT id FROM imports WHERE account_id = $1 \
             AND status IN ('done', 'failed') AND updated_at < $2)",
        ] {
            gone += sqlx::query(sql)
                .bind(account_id)
                .bind(&before)
                .execute(&mut *tx)
                .await?
                .rows_affected();
        }
        tx.commit().await?;
    }
    tracing::info!(rows = gone, "housekeeping done");
    Ok(gone)
}

/// What `me`'s account keeps (owners and admins).
pub async fn kept(db: &Db, me: &CurrentUser) -> ServiceResult<Kept> {
    require_configure(me)?;
    let (retention_days,): (i64,) =
        sqlx::query_as("SELECT retention_days FROM accounts WHERE id = $1")
            .bind(me.account_id)
            .fetch_one(&db.pool)
            .await?;
    let mut counts = [0i64; 4];
    for (i, sql) in [
        "SELECT COUNT(*) FROM jobs WHERE account_id = $1 AND status IN ('done', 'failed')",
        "SELECT COUNT(*) FROM automation_logs WHERE account_id = $1",
        "SELECT COUNT(*) FROM webhook_deliveries WHERE account_id = $1",
        "SELECT COUNT(*) FROM outgoing_emails WHERE account_id = $1",
    ]
    .into_iter()
    .enumerate()
    {
        let (n,): (i64,) = sqlx::query_as(sql)
            .bind(me.account_id)
            .fetch_one(&db.pool)
            .await?;
        counts[i] = n;
    }
    Ok(Kept {
        retention_days,
        jobs: counts[0],
        automation_logs: counts[1],
        webhook_deliveries: counts[2],
        emails: counts[3],
    })
}

/// Sets how many days `me`'s account keeps its finished work.
pub async fn set_retention(db: &Db, me: &CurrentUser, days: i64) -> ServiceResult<()> {
    require_configure(me)?;
    if !(MIN_RETENTION_DAYS..=MAX_RETENTION_DAYS).contains(&days) {
        return Err(ServiceError::invalid(
            "retention_days",
            Problem::Range {
                from: MIN_RETENTION_DAYS,
                to: MAX_RETENTION_DAYS,
            },
        ));
    }
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE accounts SET retention_days = $1, updated_at = $2 WHERE id = $3")
        .bind(days)
        .bind(db::now())
        .bind(me.account_id)
        .execute(&mut *tx)
        .await?;
    let detail = format!("{days}");
    audit::record(
        &mut *tx,
        me.into(),
        AuditAction::RetentionChanged,
        &me.account_name,
        Some(&detail),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
