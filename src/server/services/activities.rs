//! Activities (calls, meetings, e-mails, tasks, notes) and the points their completion earns.
//!
//! The points ledger is the truth: completing an activity appends its type's points for the
//! salesperson of its deal (or the activity's user when it has no deal); reopening or deleting
//! a completed activity appends the reversal of whatever that activity still holds per user.
//! Totals are sums over the ledger. Completion is a conditional update (`done_at IS NULL`), so
//! completing twice, even at the same moment, counts once.

use sqlx::{Any, Transaction};

use crate::server::db::{self, Db};
use crate::server::error::{ServiceError, ServiceResult};

use super::Actor;

/// The kinds of activity.
pub const KINDS: &[&str] = &["call", "meeting", "email", "task", "note"];
/// Longest activity title accepted.
pub const MAX_TITLE_LEN: usize = 200;

/// An activity to create.
#[derive(Debug, Clone, Default)]
pub struct NewActivity {
    pub kind: String,
    pub title: String,
    pub description: String,
    /// RFC 3339, or `YYYY-MM-DDTHH:MM` / `YYYY-MM-DD` taken as UTC.
    pub due_at: Option<String>,
    pub deal_id: Option<i64>,
    pub user_id: Option<i64>,
}

/// A stored activity.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Activity {
    pub id: i64,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub due_at: Option<String>,
    pub done_at: Option<String>,
    pub deal_id: Option<i64>,
    pub user_id: Option<i64>,
}

const COLUMNS: &str = "id, kind, title, description, due_at, done_at, deal_id, user_id";

/// Parses a due date-time into the stored form.
pub fn parse_due(input: &str) -> ServiceResult<String> {
    let s = input.trim();
    let parsed = db::parse_ts(s)
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
                .ok()
                .map(|t| t.and_utc())
        })
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        });
    parsed.map(db::ts).ok_or_else(|| {
        ServiceError::invalid(
            "due_at",
            format!("\"{s}\" is not a date-time (YYYY-MM-DDTHH:MM)"),
        )
    })
}

/// Creates an activity after checking every field.
pub async fn create_activity(db: &Db, actor: Actor, new: NewActivity) -> ServiceResult<Activity> {
    let kind = new.kind.trim().to_lowercase();
    if !KINDS.contains(&kind.as_str()) {
        return Err(ServiceError::invalid(
            "kind",
            format!("must be one of {}", KINDS.join(", ")),
        ));
    }
    let title = new.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_LEN {
        return Err(ServiceError::invalid(
            "title",
            format!("must have 1 to {MAX_TITLE_LEN} characters"),
        ));
    }
    let due_at = new
        .due_at
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(parse_due)
        .transpose()?;
    if let Some(deal_id) = new.deal_id {
        exists(
            db,
            "deals",
            actor.account_id,
            deal_id,
            "deal_id",
            "no such deal in this account",
        )
        .await?;
    }
    let user_id = new.user_id.or(actor.user_id);
    if let Some(user_id) = user_id {
        exists(
            db,
            "users",
            actor.account_id,
            user_id,
            "user_id",
            "no such user in this account",
        )
        .await?;
    }
    let now = db::now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO activities (account_id, deal_id, user_id, created_by_id, kind, title, description, due_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(actor.account_id)
    .bind(new.deal_id)
    .bind(user_id)
    .bind(actor.user_id)
    .bind(&kind)
    .bind(title)
    .bind(new.description.trim())
    .bind(due_at)
    .bind(&now)
    .fetch_one(&db.pool)
    .await?;
    get_activity(db, actor, id).await
}

async fn exists(
    db: &Db,
    table: &str,
    account_id: i64,
    id: i64,
    field: &str,
    message: &str,
) -> ServiceResult<()> {
    let row: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM {table} WHERE id = $1 AND account_id = $2"
    ))
    .bind(id)
    .bind(account_id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|_| ())
        .ok_or_else(|| ServiceError::invalid(field, message))
}

/// Loads an activity of the actor's account.
pub async fn get_activity(db: &Db, actor: Actor, id: i64) -> ServiceResult<Activity> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM activities WHERE id = $1 AND account_id = $2"
    ))
    .bind(id)
    .bind(actor.account_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(ServiceError::NotFound("activity"))
}

/// Marks an activity done and awards its points once.
pub async fn complete(db: &Db, actor: Actor, id: i64) -> ServiceResult<Activity> {
    let now = db::now();
    let mut tx = db.pool.begin().await?;
    let res = sqlx::query(
        "UPDATE activities SET done_at = $1, updated_at = $1 WHERE id = $2 AND account_id = $3 AND done_at IS NULL",
    )
    .bind(&now)
    .bind(id)
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    if res.rows_affected() == 1 {
        let (kind, deal_owner, user_id): (String, Option<i64>, Option<i64>) = sqlx::query_as(
            "SELECT a.kind, d.responsible_user_id, a.user_id FROM activities a \
             LEFT JOIN deals d ON d.id = a.deal_id AND d.account_id = a.account_id \
             WHERE a.id = $1 AND a.account_id = $2",
        )
        .bind(id)
        .bind(actor.account_id)
        .fetch_one(&mut *tx)
        .await?;
        let points: Option<(i64,)> = sqlx::query_as(
            "SELECT points FROM activity_point_rules WHERE account_id = $1 AND kind = $2",
        )
        .bind(actor.account_id)
        .bind(&kind)
        .fetch_optional(&mut *tx)
        .await?;
        let points = points.map(|(p,)| p).unwrap_or(0);
        if let (Some(user), true) = (deal_owner.or(user_id), points != 0) {
            ledger(
                &mut tx,
                actor.account_id,
                user,
                id,
                points,
                "activity_completed",
                &now,
            )
            .await?;
        }
    } else {
        // Already done (nothing to do) or not ours (not found).
        get_activity_tx(&mut tx, actor, id).await?;
    }
    tx.commit().await?;
    get_activity(db, actor, id).await
}

/// Marks a done activity as not done and takes its points back.
pub async fn reopen(db: &Db, actor: Actor, id: i64) -> ServiceResult<Activity> {
    let now = db::now();
    let mut tx = db.pool.begin().await?;
    let res = sqlx::query(
        "UPDATE activities SET done_at = NULL, updated_at = $1 WHERE id = $2 AND account_id = $3 AND done_at IS NOT NULL",
    )
    .bind(&now)
    .bind(id)
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    if res.rows_affected() == 1 {
        reverse(&mut tx, actor.account_id, id, "activity_reopened", &now).await?;
    } else {
        get_activity_tx(&mut tx, actor, id).await?;
    }
    tx.commit().await?;
    get_activity(db, actor, id).await
}

/// Deletes an activity; the points it still holds are taken back.
pub async fn delete(db: &Db, actor: Actor, id: i64) -> ServiceResult<()> {
    let now = db::now();
    let mut tx = db.pool.begin().await?;
    let res = sqlx::query("DELETE FROM activities WHERE id = $1 AND account_id = $2")
        .bind(id)
        .bind(actor.account_id)
        .execute(&mut *tx)
        .await?;
    if res.rows_affected() == 0 {
        return Err(ServiceError::NotFound("activity"));
    }
    reverse(&mut tx, actor.account_id, id, "activity_deleted", &now).await?;
    tx.commit().await?;
    Ok(())
}

/// A user's points: the sum of their ledger entries.
pub async fn user_points(db: &Db, account_id: i64, user_id: i64) -> ServiceResult<i64> {
    let (sum,): (Option<i64>,) = sqlx::query_as(
        "SELECT CAST(SUM(points) AS BIGINT) FROM points_ledger WHERE account_id = $1 AND user_id = $2",
    )
    .bind(account_id)
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(sum.unwrap_or(0))
}

async fn get_activity_tx(
    tx: &mut Transaction<'_, Any>,
    actor: Actor,
    id: i64,
) -> ServiceResult<()> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM activities WHERE id = $1 AND account_id = $2")
            .bind(id)
            .bind(actor.account_id)
            .fetch_optional(&mut **tx)
            .await?;
    row.map(|_| ()).ok_or(ServiceError::NotFound("activity"))
}

async fn ledger(
    tx: &mut Transaction<'_, Any>,
    account_id: i64,
    user_id: i64,
    activity_id: i64,
    points: i64,
    reason: &str,
    now: &str,
) -> ServiceResult<()> {
    sqlx::query(
        "INSERT INTO points_ledger (account_id, user_id, activity_id, points, reason, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(account_id)
    .bind(user_id)
    .bind(activity_id)
    .bind(points)
    .bind(reason)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Appends, per user, the opposite of what the activity still holds in the ledger.
async fn reverse(
    tx: &mut Transaction<'_, Any>,
    account_id: i64,
    activity_id: i64,
    reason: &str,
    now: &str,
) -> ServiceResult<()> {
    let held: Vec<(i64, Option<i64>)> = sqlx::query_as(
        "SELECT user_id, CAST(SUM(points) AS BIGINT) FROM points_ledger \
         WHERE account_id = $1 AND activity_id = $2 GROUP BY user_id",
    )
    .bind(account_id)
    .bind(activity_id)
    .fetch_all(&mut **tx)
    .await?;
    for (user_id, sum) in held {
        let sum = sum.unwrap_or(0);
        if sum != 0 {
            ledger(tx, account_id, user_id, activity_id, -sum, reason, now).await?;
        }
    }
    Ok(())
}
