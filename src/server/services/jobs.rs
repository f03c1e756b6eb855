//! The durable job table: work to do now or later (automation events and runs, reminders),
//! written in the same transaction as the change that causes it, so it is never lost and never
//! done for a change that rolled back.
//!
//! A worker *claims* a due job by leasing it (`status = 'running'`, `locked_until`); on
//! PostgreSQL the claim skips rows other workers hold (`FOR UPDATE SKIP LOCKED`), so with
//! several app instances each job is claimed by one of them. A job whose worker died is
//! claimable again once its lease runs out.

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;
use sqlx::{Any, Transaction};

use crate::server::db::{self, Backend, Db};
use crate::server::error::ServiceResult;

/// How long a claimed job is held before another worker may take it over, unless
/// `DEALFLOW_JOB_LEASE_SECONDS` says otherwise.
pub const LEASE_SECONDS: i64 = 300;

fn lease_seconds() -> i64 {
    std::env::var("DEALFLOW_JOB_LEASE_SECONDS")
        .ok()
        .and_then(|v| v.parse().ok())
        .filter(|s: &i64| *s > 0)
        .unwrap_or(LEASE_SECONDS)
}

/// A claimed job.
#[derive(Debug, Clone)]
pub struct Job {
    pub id: i64,
    pub account_id: Option<i64>,
    pub kind: String,
    pub payload: Value,
    /// Claims so far, this one included.
    pub attempts: i64,
}

/// Adds a job due at `run_at`, inside the caller's transaction; returns its id.
pub async fn enqueue(
    tx: &mut Transaction<'_, Any>,
    account_id: Option<i64>,
    kind: &str,
    payload: &Value,
    run_at: DateTime<Utc>,
) -> ServiceResult<i64> {
    let now = db::now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO jobs (account_id, kind, payload, run_at, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, 'pending', $5, $5) RETURNING id",
    )
    .bind(account_id)
    .bind(kind)
    .bind(payload.to_string())
    .bind(db::ts(run_at))
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Claims the job that has been due longest, if any, for `worker`.
pub async fn claim(db: &Db, worker: &str) -> ServiceResult<Option<Job>> {
    let now = Utc::now();
    let now_s = db::ts(now);
    let lock = match db.backend {
        Backend::Postgres => " FOR UPDATE SKIP LOCKED",
        Backend::Sqlite => "",
    };
    let claimable =
        "((status = 'pending' AND run_at <= $3) OR (status = 'running' AND locked_until < $3))";
    let sql = format!(
        "UPDATE jobs SET status = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1, updated_at = $3 \
         WHERE id = (SELECT id FROM jobs WHERE {claimable} ORDER BY run_at, id LIMIT 1{lock}) AND {claimable} \
         RETURNING id, account_id, kind, payload, attempts"
    );
    let row: Option<(i64, Option<i64>, String, String, i64)> = sqlx::query_as(&sql)
        .bind(worker)
        .bind(db::ts(now + Duration::seconds(lease_seconds())))
        .bind(&now_s)
        .fetch_optional(&db.pool)
        .await?;
    Ok(row.map(|(id, account_id, kind, payload, attempts)| Job {
        id,
        account_id,
        kind,
        payload: serde_json::from_str(&payload).unwrap_or(Value::Null),
        attempts,
    }))
}

/// Marks a claimed job done (only while `worker` still holds it).
pub async fn finish(db: &Db, job_id: i64, worker: &str) -> ServiceResult<()> {
    sqlx::query(
        "UPDATE jobs SET status = 'done', locked_until = NULL, updated_at = $1 \
         WHERE id = $2 AND locked_by = $3 AND status = 'running'",
    )
    .bind(db::now())
    .bind(job_id)
    .bind(worker)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Marks a claimed job failed for good, keeping the reason.
pub async fn fail(db: &Db, job_id: i64, worker: &str, error: &str) -> ServiceResult<()> {
    sqlx::query(
        "UPDATE jobs SET status = 'failed', last_error = $1, locked_until = NULL, updated_at = $2 \
         WHERE id = $3 AND locked_by = $4 AND status = 'running'",
    )
    .bind(error)
    .bind(db::now())
    .bind(job_id)
    .bind(worker)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Puts a claimed job back to run again at `run_at` (a retry), keeping the reason.
pub async fn retry_at(
    db: &Db,
    job_id: i64,
    worker: &str,
    error: &str,
    run_at: DateTime<Utc>,
) -> ServiceResult<()> {
    sqlx::query(
        "UPDATE jobs SET status = 'pending', run_at = $1, last_error = $2, locked_by = NULL, locked_until = NULL, updated_at = $3 \
         WHERE id = $4 AND locked_by = $5 AND status = 'running'",
    )
    .bind(db::ts(run_at))
    .bind(error)
    .bind(db::now())
    .bind(job_id)
    .bind(worker)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// When the next pending job is due, if there is one.
pub async fn next_due(db: &Db) -> ServiceResult<Option<DateTime<Utc>>> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT run_at FROM jobs WHERE status = 'pending' ORDER BY run_at LIMIT 1")
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.and_then(|(t,)| db::parse_ts(&t)))
}
