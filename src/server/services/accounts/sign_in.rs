//! Signing in: the password check and its lockout.
//!
//! Every attempt first takes a slot in two counters, each one atomic upsert on its own row
//! (so parallel attempts queue on the row and each sees the count the others left):
//! - the e-mail from this client address: [`LOCKOUT_FAILURES`] per window. A stranger at one
//!   address locks only themselves out;
//! - the e-mail from anywhere: [`EMAIL_FAILURES`] per window, which bounds an attack spread
//!   over many addresses.
//!
//! Only an attempt that got both slots has its password checked, so a burst of parallel
//! guesses gets at most [`LOCKOUT_FAILURES`] evaluated per address. A success gives its slot
//! back; failures keep theirs until their window of [`LOCKOUT_MINUTES`] ends, so a success
//! never erases the evidence of a burst. Unknown e-mails are counted (and hashed) exactly
//! like known ones, so neither the answer nor its timing tells which e-mails exist; the
//! counters expire with their window, and failed sign-ins are kept as rows only for real
//! users (for a day).

use std::net::IpAddr;
use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{Duration, Utc};

use crate::domain::audit::AuditAction;
use crate::domain::UserId;
use crate::server::auth::password;
use crate::server::db::{self, Db};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::audit;

/// Attempts one e-mail may get from one client address per window.
pub const LOCKOUT_FAILURES: i64 = 5;
/// Attempts one e-mail may get from all addresses together per window.
pub const EMAIL_FAILURES: i64 = 20;
/// How long a window lasts (a lockout ends with its window).
pub const LOCKOUT_MINUTES: i64 = 15;

/// Checks an e-mail and password from a client address; returns the user id. The same error
/// for every failure, and [`ServiceError::TooManyAttempts`] once a counter is full.
pub async fn authenticate(
    db: &Db,
    email: &str,
    password: &str,
    client: IpAddr,
) -> ServiceResult<UserId> {
    let email = email.trim().to_ascii_lowercase();
    purge_expired(db).await?;
    let scopes = [
        (format!("addr:{client} {email}"), LOCKOUT_FAILURES),
        (format!("email:{email}"), EMAIL_FAILURES),
    ];
    for (scope, limit) in &scopes {
        take_slot(db, scope, *limit).await?;
    }
    let outcome = check_password(db, &email, password).await;
    match outcome {
        Ok(Check::Valid(id)) => {
            give_back(db, &scopes).await?;
            Ok(id)
        }
        Ok(Check::WrongPassword(id)) => {
            record_failure(db, &email, client).await?;
            audit::record_for_user(&db.pool, id, AuditAction::SignInFailed, None).await?;
            Err(ServiceError::Unauthorized)
        }
        Ok(Check::UnknownEmail) => Err(ServiceError::Unauthorized),
        // Not the client's doing: the slot is theirs again.
        Err(e) => {
            give_back(db, &scopes).await?;
            Err(e)
        }
    }
}

/// Records that `user_id` is signed in (after every step their sign-in needed).
pub async fn signed_in(db: &Db, user_id: UserId) -> ServiceResult<()> {
    audit::record_for_user(&db.pool, user_id, AuditAction::SignedIn, None).await
}

/// Takes one attempt in `scope`'s window (a new window when the last one ended); refuses when
/// the window already holds `limit`, saying when to try again.
pub(super) async fn take_slot(db: &Db, scope: &str, limit: i64) -> ServiceResult<()> {
    let now = Utc::now();
    let window_ended = db::ts(now - Duration::minutes(LOCKOUT_MINUTES));
    let (attempts, window_start): (i64, String) = sqlx::query_as(
        "INSERT INTO login_throttle (scope, attempts, window_start) VALUES ($1, 1, $2) \
         ON CONFLICT (scope) DO UPDATE SET \
         attempts = CASE WHEN login_throttle.window_start < $3 THEN 1 ELSE login_throttle.attempts + 1 END, \
         window_start = CASE WHEN login_throttle.window_start < $3 THEN $2 ELSE login_throttle.window_start END \
         RETURNING attempts, window_start",
    )
    .bind(scope)
    .bind(db::ts(now))
    .bind(&window_ended)
    .fetch_one(&db.pool)
    .await?;
    if attempts <= limit {
        return Ok(());
    }
    let unlock =
        db::parse_ts(&window_start).map_or(now, |t| t + Duration::minutes(LOCKOUT_MINUTES));
    let minutes = (((unlock - now).num_seconds() + 59) / 60).max(1);
    Err(ServiceError::TooManyAttempts(format!(
        "too many failed sign-ins for this e-mail; try again in {minutes} minute{}",
        if minutes == 1 { "" } else { "s" }
    )))
}

/// Gives back the slots a successful (or unfinished) attempt took.
pub(super) async fn give_back(db: &Db, scopes: &[(String, i64)]) -> ServiceResult<()> {
    for (scope, _) in scopes {
        sqlx::query(
            "UPDATE login_throttle SET attempts = attempts - 1 WHERE scope = $1 AND attempts > 0",
        )
        .bind(scope)
        .execute(&db.pool)
        .await?;
    }
    Ok(())
}

/// Deletes the counters whose window ended, at most once a minute per process.
async fn purge_expired(db: &Db) -> ServiceResult<()> {
    static LAST: AtomicI64 = AtomicI64::new(0);
    let now = Utc::now();
    let last = LAST.load(Ordering::Relaxed);
    if now.timestamp() - last < 60
        || LAST
            .compare_exchange(last, now.timestamp(), Ordering::Relaxed, Ordering::Relaxed)
            .is_err()
    {
        return Ok(());
    }
    sqlx::query("DELETE FROM login_throttle WHERE window_start < $1")
        .bind(db::ts(now - Duration::minutes(LOCKOUT_MINUTES)))
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// Keeps a failed sign-in of a real user (for a day), with the address it came from.
async fn record_failure(db: &Db, email: &str, client: IpAddr) -> ServiceResult<()> {
    let day_ago = db::ts(Utc::now() - Duration::days(1));
    sqlx::query("DELETE FROM login_failures WHERE email = $1 AND created_at < $2")
        .bind(email)
        .bind(day_ago)
        .execute(&db.pool)
        .await?;
    sqlx::query("INSERT INTO login_failures (email, ip, created_at) VALUES ($1, $2, $3)")
        .bind(email)
        .bind(client.to_string())
        .bind(db::now())
        .execute(&db.pool)
        .await?;
    Ok(())
}

/// What a password check found.
enum Check {
    Valid(UserId),
    WrongPassword(UserId),
    UnknownEmail,
}

/// Checks the password of an active user; an unknown e-mail costs the same hashing time.
async fn check_password(db: &Db, email: &str, password: &str) -> ServiceResult<Check> {
    let row: Option<(UserId, String)> =
        sqlx::query_as("SELECT id, password_hash FROM users WHERE email = $1 AND active = 1")
            .bind(email)
            .fetch_optional(&db.pool)
            .await?;
    let (id, hash) = row.unzip();
    let valid = password::verify(password, hash).await?;
    Ok(match id {
        Some(id) if valid => Check::Valid(id),
        Some(id) => Check::WrongPassword(id),
        None => Check::UnknownEmail,
    })
}
