//! The account's audit log (see `domain::audit`). [`record`] writes a row with the executor of
//! the change it records, so the row commits or rolls back with it; the actor's and the API
//! key's names are copied as they are now, and the address is the request's
//! ([`crate::server::origin`]). Owners and admins read the log, filtered, a page at a time, or
//! whole as CSV.

use chrono::{Duration, NaiveDate, NaiveTime};
use sqlx::{Any, Executor};

use crate::domain::audit::{AuditAction, AuditEntry, AUDIT_PAGE};
use crate::domain::{AccountId, Problem, UserId};
use crate::server::db::{self, Db, SqlBuilder};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::origin;
use crate::server::services::{Actor, MayConfigure};

/// Longest subject or detail kept (longer text is cut).
const MAX_TEXT: usize = 500;

/// Records `action` on `subject` by `actor` (with `detail`), in the executor's transaction.
pub async fn record<'e, E>(
    ex: E,
    actor: Actor,
    action: AuditAction,
    subject: &str,
    detail: Option<&str>,
) -> ServiceResult<()>
where
    E: Executor<'e, Database = Any>,
{
    let cut = |s: &str| s.chars().take(MAX_TEXT).collect::<String>();
    sqlx::query(
        "INSERT INTO audit_events (account_id, created_at, user_id, actor, api_key, action, subject, detail, address) \
         VALUES ($1, $2, $3, \
         COALESCE((SELECT name || ' <' || email || '>' FROM users WHERE id = $3 AND account_id = $1), ''), \
         (SELECT name FROM api_keys WHERE id = $4 AND account_id = $1), $5, $6, $7, $8)",
    )
    .bind(actor.account_id)
    .bind(db::now())
    .bind(actor.user_id)
    .bind(origin::api_key())
    .bind(action.as_str())
    .bind(cut(subject))
    .bind(detail.map(cut))
    .bind(origin::address().map(|a| a.to_string()))
    .execute(ex)
    .await?;
    Ok(())
}

/// Records `action` by `user_id` on their own account, with their e-mail as the subject
/// (signing in, a refused code: the user is both who and what).
pub async fn record_for_user<'e, E>(
    ex: E,
    user_id: UserId,
    action: AuditAction,
    detail: Option<&str>,
) -> ServiceResult<()>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query(
        "INSERT INTO audit_events (account_id, created_at, user_id, actor, api_key, action, subject, detail, address) \
         SELECT account_id, $1, id, name || ' <' || email || '>', NULL, $2, email, $3, $4 FROM users WHERE id = $5",
    )
    .bind(db::now())
    .bind(action.as_str())
    .bind(detail)
    .bind(origin::address().map(|a| a.to_string()))
    .bind(user_id)
    .execute(ex)
    .await?;
    Ok(())
}

/// What the log is narrowed to.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct AuditFilter {
    pub action: Option<AuditAction>,
    pub user_id: Option<UserId>,
    /// From this instant (stored form), included.
    pub from: Option<String>,
    /// Until this instant (stored form), excluded.
    pub until: Option<String>,
}

impl AuditFilter {
    /// Reads the filter as typed (`action` a key, `user` an id, `from` / `to` days in `zone`,
    /// both included); "" is no filter. A bad value is refused naming its field.
    pub fn parse(
        zone: chrono_tz::Tz,
        action: &str,
        user: &str,
        from: &str,
        to: &str,
    ) -> ServiceResult<Self> {
        let action = match action.trim() {
            "" => None,
            a => Some(AuditAction::parse(a).ok_or_else(|| {
                let choices: Vec<&str> = AuditAction::ALL.iter().map(|a| a.as_str()).collect();
                ServiceError::invalid("action", Problem::one_of(&choices))
            })?),
        };
        let user_id = match user.trim() {
            "" => None,
            u => Some(UserId(u.parse().map_err(|_| {
                ServiceError::invalid(
                    "user",
                    Problem::NotANumber {
                        value: u.chars().take(40).collect(),
                    },
                )
            })?)),
        };
        let day = |field: &str, text: &str, after: i64| -> ServiceResult<Option<String>> {
            let text = text.trim();
            if text.is_empty() {
                return Ok(None);
            }
            let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").map_err(|_| {
                ServiceError::invalid(
                    field,
                    Problem::NotADate {
                        value: text.chars().take(40).collect(),
                    },
                )
            })?;
            let start = (date + Duration::days(after)).and_time(NaiveTime::MIN);
            let at = crate::server::time_zone::from_local(start, zone)
                .unwrap_or_else(|| start.and_utc());
            Ok(Some(db::ts(at)))
        };
        Ok(AuditFilter {
            action,
            user_id,
            from: day("from", from, 0)?,
            until: day("to", to, 1)?,
        })
    }

    /// Appends the filter's conditions (after `WHERE account_id = …`).
    fn push(&self, q: &mut SqlBuilder) {
        if let Some(a) = self.action {
            q.push(" AND action = ").bind_text(a.as_str());
        }
        if let Some(u) = self.user_id {
            q.push(" AND user_id = ").bind_int(u.0);
        }
        if let Some(f) = &self.from {
            q.push(" AND created_at >= ").bind_text(f.clone());
        }
        if let Some(u) = &self.until {
            q.push(" AND created_at < ").bind_text(u.clone());
        }
    }
}

type Row = (
    i64,
    String,
    String,
    Option<String>,
    String,
    String,
    Option<String>,
    Option<String>,
);

const COLUMNS: &str =
    "SELECT id, created_at, actor, api_key, action, subject, detail, address FROM audit_events WHERE account_id = ";

fn entry(r: Row) -> ServiceResult<AuditEntry> {
    Ok(AuditEntry {
        id: r.0,
        at: r.1,
        actor: r.2,
        api_key: r.3,
        action: AuditAction::parse(&r.4)
            .ok_or_else(|| ServiceError::Internal(format!("unknown audit action {}", r.4)))?,
        subject: r.5,
        detail: r.6,
        address: r.7,
    })
}

/// One page of the log, newest first, of rows older than `before` (an id; `None`: the
/// newest). Answers the rows and the `before` of the next page when there is one.
pub async fn page(
    db: &Db,
    by: impl MayConfigure,
    filter: &AuditFilter,
    before: Option<i64>,
) -> ServiceResult<(Vec<AuditEntry>, Option<i64>)> {
    let by = by.configurer()?;
    let mut q = SqlBuilder::new(COLUMNS);
    q.bind_int(by.account_id().0);
    filter.push(&mut q);
    if let Some(b) = before {
        q.push(" AND id < ").bind_int(b);
    }
    q.push(" ORDER BY id DESC LIMIT ").bind_int(AUDIT_PAGE + 1);
    let rows: Vec<Row> = q.query_as().fetch_all(&db.pool).await?;
    let more = rows.len() as i64 > AUDIT_PAGE;
    let entries = rows
        .into_iter()
        .take(AUDIT_PAGE as usize)
        .map(entry)
        .collect::<ServiceResult<Vec<_>>>()?;
    let next = if more {
        entries.last().map(|e| e.id)
    } else {
        None
    };
    Ok((entries, next))
}

/// Up to `limit` rows of the filtered log with an id above `after`, oldest first (how the
/// CSV reads them all).
pub async fn rows_after(
    db: &Db,
    account_id: AccountId,
    filter: &AuditFilter,
    after: i64,
    limit: i64,
) -> ServiceResult<Vec<AuditEntry>> {
    let mut q = SqlBuilder::new(COLUMNS);
    q.bind_int(account_id.0);
    filter.push(&mut q);
    q.push(" AND id > ").bind_int(after);
    q.push(" ORDER BY id LIMIT ").bind_int(limit);
    let rows: Vec<Row> = q.query_as().fetch_all(&db.pool).await?;
    rows.into_iter().map(entry).collect()
}

/// The account's users (id and name), for the filter.
pub async fn people(db: &Db, by: impl MayConfigure) -> ServiceResult<Vec<(UserId, String)>> {
    let by = by.configurer()?;
    Ok(
        sqlx::query_as("SELECT id, name FROM users WHERE account_id = $1 ORDER BY name, id")
            .bind(by.account_id())
            .fetch_all(&db.pool)
            .await?,
    )
}
