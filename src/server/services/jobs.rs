//! The durable job table: work to do now or later (automation events and runs, reminders),
//! written in the same transaction as the change that causes it, so it is never lost and never
//! done for a change that rolled back.
//!
//! A worker *claims* a due job by leasing it (`status = 'running'`, `locked_until`); on
//! PostgreSQL the claim skips rows other workers hold (`FOR UPDATE SKIP LOCKED`), so with
//! several app instances each job is claimed by one of them. A job whose worker died is
//! claimable again once its lease runs out.

use crate::domain::AccountId;
use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::server::db::{self, Arg, Backend, Db, SqlBuilder, Tx};
use crate::server::error::ServiceResult;

/// How long a claimed job is held before another worker may take it over, unless
/// `DEALFLOW_JOB_LEASE_SECONDS` says otherwise.
pub const LEASE_SECONDS: i64 = 300;

/// Tries of a job that fails for a passing reason (database, SMTP) before it is given up.
pub const MAX_ATTEMPTS: i64 = 5;

/// A claimed job's lease, renewed inside the caller's transaction (a long job checkpoints
/// this way); false when this claim no longer holds the job (its lease ran out and it was
/// claimed again, by another worker or this one), whose work must then stop.
pub async fn renew(tx: &mut Tx, job: &Job, worker: &str) -> ServiceResult<bool> {
    let done = sqlx::query(
        "UPDATE jobs SET locked_until = $1, updated_at = $2 WHERE id = $3 AND locked_by = $4 \
         AND attempts = $5 AND status = 'running'",
    )
    .bind(db::ts(Utc::now() + Duration::seconds(lease_seconds())))
    .bind(db::now())
    .bind(job.id)
    .bind(worker)
    .bind(job.attempts)
    .execute(&mut **tx)
    .await?;
    Ok(done.rows_affected() == 1)
}

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
    pub account_id: Option<AccountId>,
    pub kind: String,
    pub payload: Value,
    /// Claims so far, this one included.
    pub attempts: i64,
}

/// Adds a job due at `run_at`, inside the caller's transaction; returns its id.
pub async fn enqueue(
    tx: &mut Tx,
    account_id: Option<AccountId>,
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

/// A job to add with [`enqueue_many`].
pub struct NewJob {
    pub account_id: Option<AccountId>,
    pub kind: &'static str,
    pub payload: Value,
    pub run_at: DateTime<Utc>,
}

/// Rows per multi-row `INSERT`.
const INSERT_CHUNK: usize = 200;

/// Adds jobs inside the caller's transaction, a few hundred per statement.
pub async fn enqueue_many(tx: &mut Tx, new: &[NewJob]) -> ServiceResult<()> {
    let now = db::now();
    for chunk in new.chunks(INSERT_CHUNK) {
        let mut q = SqlBuilder::new(
            "INSERT INTO jobs (account_id, kind, payload, run_at, status, created_at, updated_at) VALUES ",
        );
        q.values(chunk.iter().map(|j| {
            vec![
                Arg::Int(j.account_id.map(i64::from)),
                Arg::Text(Some(j.kind.to_string())),
                Arg::Text(Some(j.payload.to_string())),
                Arg::Text(Some(db::ts(j.run_at))),
                Arg::Text(Some("pending".into())),
                Arg::Text(Some(now.clone())),
                Arg::Text(Some(now.clone())),
            ]
        }));
        q.query().execute(&mut **tx).await?;
    }
    Ok(())
}

/// Claims the job that has been due longest, if any, for `worker`.
pub async fn claim(db: &Db, worker: &str) -> ServiceResult<Option<Job>> {
    Ok(claim_where(db, worker, None, 1, &[]).await?.pop())
}

/// Like [`claim`], leaving out the jobs of the accounts in `busy` (a worker's fair share:
/// an account that already has its jobs in hand waits, the others go first). Jobs of no
/// account are never left out.
pub async fn claim_except(db: &Db, worker: &str, busy: &[AccountId]) -> ServiceResult<Option<Job>> {
    Ok(claim_where(db, worker, None, 1, busy).await?.pop())
}

/// Claims up to `limit` due jobs of `kind` for `worker`, longest due first.
pub async fn claim_batch(db: &Db, worker: &str, kind: &str, limit: i64) -> ServiceResult<Vec<Job>> {
    claim_where(db, worker, Some(kind), limit, &[]).await
}

async fn claim_where(
    db: &Db,
    worker: &str,
    kind: Option<&str>,
    limit: i64,
    busy: &[AccountId],
) -> ServiceResult<Vec<Job>> {
    let now = Utc::now();
    let now_s = db::ts(now);
    let claimable =
        "((status = 'pending' AND run_at <= $3) OR (status = 'running' AND locked_until < $3))";
    let of_kind = if kind.is_some() { " AND kind = $5" } else { "" };
    let first_busy = if kind.is_some() { 6 } else { 5 };
    let not_busy = if busy.is_empty() {
        String::new()
    } else {
        let list: Vec<String> = (0..busy.len())
            .map(|i| format!("${}", first_busy + i))
            .collect();
        format!(
            " AND (account_id IS NULL OR account_id NOT IN ({}))",
            list.join(", ")
        )
    };
    let of_kind = format!("{of_kind}{not_busy}");
    let set = "status = 'running', locked_by = $1, locked_until = $2, attempts = attempts + 1, updated_at = $3";
    let sql = match db.backend {
        // Picked once (a materialized CTE: an `IN (… LIMIT n)` may be re-run per row and
        // take more than n), rows another worker holds are skipped.
        Backend::Postgres => format!(
            "WITH picked AS MATERIALIZED (SELECT id FROM jobs WHERE {claimable}{of_kind} \
             ORDER BY run_at, id LIMIT $4 FOR UPDATE SKIP LOCKED) \
             UPDATE jobs SET {set} FROM picked WHERE jobs.id = picked.id \
             RETURNING jobs.id, jobs.account_id, jobs.kind, jobs.payload, jobs.attempts"
        ),
        // One writer at a time: the subquery runs once, inside this write.
        Backend::Sqlite => format!(
            "UPDATE jobs SET {set} WHERE id IN (SELECT id FROM jobs WHERE {claimable}{of_kind} \
             ORDER BY run_at, id LIMIT $4) RETURNING id, account_id, kind, payload, attempts"
        ),
    };
    let mut query = sqlx::query_as::<_, (i64, Option<AccountId>, String, String, i64)>(&sql)
        .bind(worker)
        .bind(db::ts(now + Duration::seconds(lease_seconds())))
        .bind(&now_s)
        .bind(limit);
    if let Some(kind) = kind {
        query = query.bind(kind);
    }
    for account_id in busy {
        query = query.bind(*account_id);
    }
    let mut jobs: Vec<Job> = query
        .fetch_all(&db.pool)
        .await?
        .into_iter()
        .map(|(id, account_id, kind, payload, attempts)| Job {
            id,
            account_id,
            kind,
            payload: serde_json::from_str(&payload).unwrap_or(Value::Null),
            attempts,
        })
        .collect();
    // RETURNING gives no order; keep the queue's.
    jobs.sort_by_key(|j| j.id);
    Ok(jobs)
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
