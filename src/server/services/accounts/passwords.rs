//! Passwords: a signed-in user changes theirs (their current one required); anyone may ask
//! for a reset link by e-mail, and the answer is the same whether the address has an account
//! or not (the link is made and sent later by a job, [`RESET_JOB`], so neither the answer nor
//! its timing tells). A reset link works once and for [`RESET_MINUTES`]; only its SHA-256 is
//! kept. A change or a reset ends every other session of the user, as does a deactivation.

use chrono::{Duration, Utc};

use crate::domain::audit::AuditAction;
use crate::domain::{AccountId, CurrentUser, Problem, UserId};
use crate::i18n::{t_args, Locale};
use crate::server::auth::api_keys::hash_token;
use crate::server::auth::{password, random_hex};
use crate::server::db::{self, Db, Tx};
use crate::server::delivery::mail;
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::audit;
use crate::server::services::jobs::{self, Job};

/// Minutes a reset link works.
pub const RESET_MINUTES: i64 = 60;
/// Links one user may have waiting at once; more requests in that hour send nothing.
pub const MAX_WAITING_RESETS: i64 = 3;
/// Job kind that makes and sends a reset link (payload: `email`, `base_url`, `locale`).
pub const RESET_JOB: &str = "password_reset";
/// Longest e-mail address read.
const MAX_EMAIL: usize = 254;

/// The link of a reset token under `base_url`.
pub fn link(base_url: &str, token: &str) -> String {
    format!("{}/reset-password/{token}", base_url.trim_end_matches('/'))
}

/// Ends the sessions of `user_id`, but `keep` (the session making the change).
pub(crate) async fn end_sessions(
    tx: &mut Tx,
    user_id: UserId,
    keep: Option<&str>,
) -> ServiceResult<u64> {
    let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND id <> $2")
        .bind(user_id)
        .bind(keep.unwrap_or_default())
        .execute(&mut **tx)
        .await?;
    Ok(done.rows_affected())
}

/// Changes `me`'s password after checking their current one; ends their other sessions
/// (`session` is the one kept).
pub async fn change(
    db: &Db,
    me: &CurrentUser,
    current: &str,
    new: &str,
    session: Option<&str>,
) -> ServiceResult<()> {
    let (stored,): (String,) =
        sqlx::query_as("SELECT password_hash FROM users WHERE id = $1 AND active = 1")
            .bind(me.id)
            .fetch_optional(&db.pool)
            .await?
            .ok_or(ServiceError::Unauthorized)?;
    if !password::verify(current, Some(stored)).await? {
        return Err(ServiceError::invalid(
            "current_password",
            Problem::NotCurrentPassword,
        ));
    }
    let hash = password::hash(new).await?;
    let mut tx = db.begin().await?;
    set_password(&mut tx, me.id, &hash).await?;
    end_sessions(&mut tx, me.id, session).await?;
    audit::record_for_user(&mut *tx, me.id, AuditAction::PasswordChanged, None).await?;
    tx.commit().await?;
    Ok(())
}

/// Stores a new password hash; the user's reset links stop working.
async fn set_password(tx: &mut Tx, user_id: UserId, hash: &str) -> ServiceResult<()> {
    let now = db::now();
    sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
        .bind(hash)
        .bind(&now)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    sqlx::query("UPDATE password_resets SET used_at = $1 WHERE user_id = $2 AND used_at IS NULL")
        .bind(&now)
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Asks for a reset link to be sent to `email` (in `locale`), if it is an active user's.
pub async fn request_reset(
    db: &Db,
    email: &str,
    base_url: &str,
    locale: Locale,
) -> ServiceResult<()> {
    let email = email.trim();
    if email.is_empty() {
        return Err(ServiceError::invalid("email", Problem::Required));
    }
    if email.chars().count() > MAX_EMAIL {
        return Err(ServiceError::invalid(
            "email",
            Problem::TooLong { max: MAX_EMAIL },
        ));
    }
    if email.contains('\0') {
        return Err(ServiceError::invalid("email", Problem::ControlCharacters));
    }
    let mut tx = db.begin().await?;
    jobs::enqueue(
        &mut tx,
        None,
        RESET_JOB,
        &serde_json::json!({
            "email": email.to_ascii_lowercase(),
            "base_url": base_url,
            "locale": locale.tag(),
        }),
        Utc::now(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The job behind [`request_reset`]: makes a link for the active user with the e-mail and
/// e-mails it; nothing when there is no such user or they have [`MAX_WAITING_RESETS`] links
/// waiting.
pub async fn send_reset(db: &Db, job: &Job) -> ServiceResult<()> {
    let payload = &job.payload;
    let (Some(email), Some(base_url)) = (payload["email"].as_str(), payload["base_url"].as_str())
    else {
        return Ok(());
    };
    let locale = payload["locale"]
        .as_str()
        .and_then(Locale::parse)
        .unwrap_or_default();
    let mut tx = db.begin().await?;
    let user: Option<(UserId, AccountId, String)> =
        sqlx::query_as("SELECT id, account_id, name FROM users WHERE email = $1 AND active = 1")
            .bind(email)
            .fetch_optional(&mut *tx)
            .await?;
    let Some((user_id, account_id, name)) = user else {
        return Ok(());
    };
    let now = db::now();
    let (waiting,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM password_resets WHERE user_id = $1 AND used_at IS NULL AND expires_at > $2",
    )
    .bind(user_id)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    if waiting >= MAX_WAITING_RESETS {
        tracing::info!(user = user_id.0, "reset link not sent: links are waiting");
        return Ok(());
    }
    let token = random_hex(32);
    sqlx::query(
        "INSERT INTO password_resets (user_id, token_hash, expires_at, created_at) VALUES ($1, $2, $3, $4)",
    )
    .bind(user_id)
    .bind(hash_token(&token))
    .bind(db::ts(Utc::now() + Duration::minutes(RESET_MINUTES)))
    .bind(&now)
    .execute(&mut *tx)
    .await?;
    let args = [
        ("name", name.into()),
        ("link", link(base_url, &token).into()),
        ("minutes", RESET_MINUTES.into()),
    ];
    mail::queue_secret(
        &mut tx,
        account_id,
        email,
        &t_args(locale, "mail-reset-subject", &args),
        &t_args(locale, "mail-reset-body", &args),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The user a working reset link is for (refused naming `token` otherwise).
async fn reset_user(db: &Db, token: &str) -> ServiceResult<UserId> {
    let row: Option<(UserId,)> = sqlx::query_as(
        "SELECT r.user_id FROM password_resets r JOIN users u ON u.id = r.user_id \
         WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2 AND u.active = 1",
    )
    .bind(hash_token(token))
    .bind(db::now())
    .fetch_optional(&db.pool)
    .await?;
    row.map(|(id,)| id)
        .ok_or_else(|| ServiceError::invalid("token", Problem::LinkNotValid))
}

/// Whether a reset link still works.
pub async fn reset_link_works(db: &Db, token: &str) -> ServiceResult<bool> {
    if token.len() > 128 {
        return Ok(false);
    }
    match reset_user(db, token).await {
        Ok(_) => Ok(true),
        Err(ServiceError::Validation { .. }) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Sets a new password through a reset link (once); ends every session of the user.
pub async fn reset(db: &Db, token: &str, new: &str) -> ServiceResult<UserId> {
    if token.len() > 128 {
        return Err(ServiceError::invalid("token", Problem::LinkNotValid));
    }
    // A dead link is refused before the (slow) hashing.
    reset_user(db, token).await?;
    let hash = password::hash(new).await?;
    let now = db::now();
    let mut tx = db.begin().await?;
    let used: Option<(UserId,)> = sqlx::query_as(
        "UPDATE password_resets SET used_at = $1 WHERE token_hash = $2 AND used_at IS NULL \
         AND expires_at > $1 RETURNING user_id",
    )
    .bind(&now)
    .bind(hash_token(token))
    .fetch_optional(&mut *tx)
    .await?;
    let (user_id,) = used.ok_or_else(|| ServiceError::invalid("token", Problem::LinkNotValid))?;
    set_password(&mut tx, user_id, &hash).await?;
    end_sessions(&mut tx, user_id, None).await?;
    audit::record_for_user(&mut *tx, user_id, AuditAction::PasswordReset, None).await?;
    tx.commit().await?;
    Ok(user_id)
}
