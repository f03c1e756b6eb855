//! A `tower-sessions` store on our own database (SQLite or PostgreSQL), so that sessions survive
//! restarts and are shared by every app instance.
//!
//! A session row also names its signed-in user (`user_id`), and loading the session reads that
//! user when they are active, putting them in the record under [`ACTIVE_USER_KEY`]: a
//! signed-in request costs one query, not two. The key is rewritten at every load, so what a
//! saved record carries under it is never believed.

use async_trait::async_trait;
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, SessionStore};

use sqlx::any::AnyRow;
use sqlx::{FromRow, Row};

use crate::domain::{CurrentUser, UserId};
use crate::server::db::{self, Db};

/// Session key holding the signed-in user's id.
pub const SESSION_USER_KEY: &str = "user_id";

/// Where a loaded record carries its active signed-in user (see the module's doc).
pub const ACTIVE_USER_KEY: &str = "active_user";

/// Sessions kept in the `sessions` table.
#[derive(Debug, Clone)]
pub struct DbSessionStore {
    db: Db,
}

impl DbSessionStore {
    pub fn new(db: Db) -> Self {
        Self { db }
    }

    /// Removes expired sessions.
    pub async fn delete_expired(&self) -> Result<u64, sqlx::Error> {
        let res = sqlx::query("DELETE FROM sessions WHERE expiry_date < $1")
            .bind(db::now())
            .execute(&self.db.pool)
            .await?;
        Ok(res.rows_affected())
    }
}

fn expiry(record: &Record) -> String {
    let secs = record.expiry_date.unix_timestamp();
    let t = chrono::DateTime::from_timestamp(secs, 0).unwrap_or_else(chrono::Utc::now);
    db::ts(t)
}

/// The user id a record names, for its `user_id` column.
fn user_id(record: &Record) -> Option<UserId> {
    record
        .data
        .get(SESSION_USER_KEY)
        .and_then(|v| v.as_i64())
        .map(UserId)
}

/// The record as stored: without the loaded user.
fn encode(record: &Record) -> session_store::Result<String> {
    let mut record = record.clone();
    record.data.remove(ACTIVE_USER_KEY);
    serde_json::to_string(&record).map_err(|e| session_store::Error::Encode(e.to_string()))
}

fn backend(e: impl std::fmt::Display) -> session_store::Error {
    session_store::Error::Backend(e.to_string())
}

#[async_trait]
impl SessionStore for DbSessionStore {
    async fn create(&self, record: &mut Record) -> session_store::Result<()> {
        loop {
            let data = encode(record)?;
            let res = sqlx::query(
                "INSERT INTO sessions (id, data, expiry_date, user_id) VALUES ($1, $2, $3, $4) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .bind(record.id.to_string())
            .bind(data)
            .bind(expiry(record))
            .bind(user_id(record))
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
            if res.rows_affected() == 1 {
                return Ok(());
            }
            record.id = Id::default();
        }
    }

    async fn save(&self, record: &Record) -> session_store::Result<()> {
        let data = encode(record)?;
        sqlx::query(
            "INSERT INTO sessions (id, data, expiry_date, user_id) VALUES ($1, $2, $3, $4) \
             ON CONFLICT (id) DO UPDATE SET data = excluded.data, \
             expiry_date = excluded.expiry_date, user_id = excluded.user_id",
        )
        .bind(record.id.to_string())
        .bind(data)
        .bind(expiry(record))
        .bind(user_id(record))
        .execute(&self.db.pool)
        .await
        .map_err(backend)?;
        Ok(())
    }

    async fn load(&self, id: &Id) -> session_store::Result<Option<Record>> {
        let row: Option<SessionRow> = sqlx::query_as(
            "SELECT s.data, u.id, u.account_id, a.name AS account_name, u.email, u.name, u.role, u.time_zone \
             FROM sessions s \
             LEFT JOIN users u ON u.id = s.user_id AND u.active = 1 \
             LEFT JOIN accounts a ON a.id = u.account_id \
             WHERE s.id = $1 AND s.expiry_date > $2",
        )
        .bind(id.to_string())
        .bind(db::now())
        .fetch_optional(&self.db.pool)
        .await
        .map_err(backend)?;
        let Some(SessionRow { data, user }) = row else {
            return Ok(None);
        };
        let mut record: Record =
            serde_json::from_str(&data).map_err(|e| session_store::Error::Decode(e.to_string()))?;
        record.data.remove(ACTIVE_USER_KEY);
        if let Some(user) = user.filter(|u| user_id(&record) == Some(u.id)) {
            let value = serde_json::to_value(user)
                .map_err(|e| session_store::Error::Encode(e.to_string()))?;
            record.data.insert(ACTIVE_USER_KEY.into(), value);
        }
        Ok(Some(record))
    }

    async fn delete(&self, id: &Id) -> session_store::Result<()> {
        sqlx::query("DELETE FROM sessions WHERE id = $1")
            .bind(id.to_string())
            .execute(&self.db.pool)
            .await
            .map_err(backend)?;
        Ok(())
    }
}

/// A stored session with the user it is signed in as, while that user is active.
struct SessionRow {
    data: String,
    user: Option<CurrentUser>,
}

impl<'r> FromRow<'r, AnyRow> for SessionRow {
    fn from_row(row: &'r AnyRow) -> Result<Self, sqlx::Error> {
        let signed_in = row.try_get::<Option<UserId>, _>("id")?.is_some();
        Ok(SessionRow {
            data: row.try_get("data")?,
            user: if signed_in {
                Some(CurrentUser::from_row(row)?)
            } else {
                None
            },
        })
    }
}
