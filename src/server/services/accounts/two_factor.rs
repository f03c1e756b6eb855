//! Two-factor sign-in (TOTP, see `auth::totp`), optional per user and required per account
//! when its owner says so.
//!
//! - Enrolment: [`begin`] keeps a new secret as pending and shows it; [`confirm`] turns it on
//!   with a code from the app and answers [`RECOVERY_CODES`] recovery codes, shown once and
//!   kept as SHA-256.
//! - Sign-in: after the password, [`after_password`] says whether a code is needed (or an
//!   enrolment, when the account requires it); [`check_code`] takes a code of the app, each
//!   at most once (the step it was accepted for is kept; that step and earlier ones are
//!   refused), or a recovery code, once. Wrong codes count against the user in the sign-in's
//!   lockout ([`super::sign_in`]).

use chrono::Utc;

use crate::domain::audit::AuditAction;
use crate::domain::{CurrentUser, Problem, Role, TwoFactorSetup, TwoFactorStatus, UserId};
use crate::server::auth::api_keys::hash_token;
use crate::server::auth::{password, require_configure, totp};
use crate::server::db::{self, Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::{audit, Actor};

/// Recovery codes made at once.
pub const RECOVERY_CODES: usize = 10;
/// The name authenticator apps show the codes under.
const ISSUER: &str = "Dealflow";
/// Longest code read.
const MAX_CODE: usize = 64;

/// What a sign-in needs after a valid password.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecondStep {
    /// Nothing: the user is signed in.
    None,
    /// A code of the user's app, or a recovery code.
    Code,
    /// The account requires two-factor sign-in and the user has not set it up: they enrol
    /// before they are in.
    Enrol,
}

/// What `user_id` must do after their password.
pub async fn after_password(db: &Db, user_id: UserId) -> ServiceResult<SecondStep> {
    let (enrolled, required): (i64, i64) = sqlx::query_as(
        "SELECT CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END, a.require_two_factor \
         FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.id = $1",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(ServiceError::Unauthorized)?;
    Ok(match (enrolled != 0, required != 0) {
        (true, _) => SecondStep::Code,
        (false, true) => SecondStep::Enrol,
        (false, false) => SecondStep::None,
    })
}

/// The secret `user_id` is enrolling with (a new one unless one is pending already), as the
/// app is shown it. Refused while two-factor sign-in is on.
pub async fn begin(db: &Db, user_id: UserId) -> ServiceResult<TwoFactorSetup> {
    let (email, secret, pending): (String, Option<String>, Option<String>) = sqlx::query_as(
        "SELECT email, totp_secret, totp_pending FROM users WHERE id = $1 AND active = 1",
    )
    .bind(user_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(ServiceError::Unauthorized)?;
    if secret.is_some() {
        return Err(ServiceError::Conflict(
            "two-factor sign-in is on already".into(),
        ));
    }
    let pending = match pending {
        Some(p) => p,
        None => {
            let new = totp::new_secret();
            sqlx::query("UPDATE users SET totp_pending = $1 WHERE id = $2")
                .bind(&new)
                .bind(user_id)
                .execute(&db.pool)
                .await?;
            new
        }
    };
    let qr_svg = totp::qr_svg(&totp::uri(ISSUER, &email, &pending))
        .ok_or_else(|| ServiceError::Internal("the QR code does not fit".into()))?;
    let key = pending
        .as_bytes()
        .chunks(4)
        .map(|c| String::from_utf8_lossy(c).into_owned())
        .collect::<Vec<_>>()
        .join(" ");
    Ok(TwoFactorSetup { key, qr_svg })
}

/// Turns two-factor sign-in on for `user_id` with a code of the pending secret; answers the
/// new recovery codes (shown once).
pub async fn confirm(db: &Db, user_id: UserId, code: &str) -> ServiceResult<Vec<String>> {
    let code = bounded(code)?;
    let (account_id, pending): (crate::domain::AccountId, Option<String>) =
        sqlx::query_as("SELECT account_id, totp_pending FROM users WHERE id = $1 AND active = 1")
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?
            .ok_or(ServiceError::Unauthorized)?;
    let pending = pending.ok_or_else(|| {
        ServiceError::Conflict("start the setup of two-factor sign-in again".into())
    })?;
    let step = totp::matching_step(&pending, code, now_step())
        .ok_or_else(|| ServiceError::invalid("code", Problem::WrongCode))?;
    let mut tx = db.begin().await?;
    let done = sqlx::query(
        "UPDATE users SET totp_secret = totp_pending, totp_pending = NULL, totp_last_step = $1, updated_at = $2 \
         WHERE id = $3 AND totp_pending = $4",
    )
    .bind(step)
    .bind(db::now())
    .bind(user_id)
    .bind(&pending)
    .execute(&mut *tx)
    .await?;
    if done.rows_affected() != 1 {
        return Err(ServiceError::Conflict(
            "start the setup of two-factor sign-in again".into(),
        ));
    }
    let codes = replace_codes(&mut tx, user_id).await?;
    let me = Actor {
        account_id,
        user_id: Some(user_id),
    };
    let email = email_of(&mut tx, user_id).await?;
    audit::record(&mut *tx, me, AuditAction::TwoFactorOn, &email, None).await?;
    tx.commit().await?;
    Ok(codes)
}

/// Checks a code at sign-in: one of the app's (each step once) or an unused recovery code.
/// A wrong or replayed code is refused naming `code`, recorded, and counts towards the
/// lockout of the user's sign-ins.
pub async fn check_code(db: &Db, user_id: UserId, code: &str) -> ServiceResult<()> {
    let code = bounded(code)?;
    let scope = [(format!("code:{}", user_id.0), super::LOCKOUT_FAILURES)];
    super::sign_in::take_slot(db, &scope[0].0, scope[0].1).await?;
    if code_works(db, user_id, code).await? {
        super::sign_in::give_back(db, &scope).await?;
        return Ok(());
    }
    audit::record_for_user(&db.pool, user_id, AuditAction::CodeRefused, None).await?;
    Err(ServiceError::invalid("code", Problem::WrongCode))
}

/// Uses `code` if it is the app's for a step not used yet, or an unused recovery code.
async fn code_works(db: &Db, user_id: UserId, code: &str) -> ServiceResult<bool> {
    let (secret,): (Option<String>,) =
        sqlx::query_as("SELECT totp_secret FROM users WHERE id = $1 AND active = 1")
            .bind(user_id)
            .fetch_optional(&db.pool)
            .await?
            .ok_or(ServiceError::Unauthorized)?;
    let Some(secret) = secret else {
        return Ok(false);
    };
    if let Some(step) = totp::matching_step(&secret, code, now_step()) {
        // The statement that accepts a step is the one that checks it is new: of two requests
        // with the same code, one gets it.
        let done = sqlx::query(
            "UPDATE users SET totp_last_step = $1 WHERE id = $2 \
             AND (totp_last_step IS NULL OR totp_last_step < $1)",
        )
        .bind(step)
        .bind(user_id)
        .execute(&db.pool)
        .await?;
        return Ok(done.rows_affected() == 1);
    }
    let used = sqlx::query(
        "UPDATE recovery_codes SET used_at = $1 WHERE user_id = $2 AND code_hash = $3 AND used_at IS NULL",
    )
    .bind(db::now())
    .bind(user_id)
    .bind(hash_token(&recovery_form(code)))
    .execute(&db.pool)
    .await?;
    Ok(used.rows_affected() == 1)
}

/// `me`'s two-factor sign-in, with the enrolment under way when it is off.
pub async fn status(db: &Db, me: &CurrentUser) -> ServiceResult<TwoFactorStatus> {
    let (enabled, required, left): (i64, i64, i64) = sqlx::query_as(
        "SELECT CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END, a.require_two_factor, \
         (SELECT COUNT(*) FROM recovery_codes r WHERE r.user_id = u.id AND r.used_at IS NULL) \
         FROM users u JOIN accounts a ON a.id = u.account_id WHERE u.id = $1",
    )
    .bind(me.id)
    .fetch_one(&db.pool)
    .await?;
    let setup = if enabled == 0 {
        Some(begin(db, me.id).await?)
    } else {
        None
    };
    Ok(TwoFactorStatus {
        enabled: enabled != 0,
        required: required != 0,
        recovery_left: left,
        setup,
        new_codes: Vec::new(),
    })
}

/// New recovery codes for `me` (the old ones stop working); answers them, shown once.
pub async fn renew_codes(db: &Db, me: &CurrentUser) -> ServiceResult<Vec<String>> {
    let mut tx = db.begin().await?;
    let on: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM users WHERE id = $1 AND totp_secret IS NOT NULL")
            .bind(me.id)
            .fetch_optional(&mut *tx)
            .await?;
    if on.is_none() {
        return Err(ServiceError::Conflict("two-factor sign-in is off".into()));
    }
    let codes = replace_codes(&mut tx, me.id).await?;
    audit::record(
        &mut *tx,
        me.into(),
        AuditAction::RecoveryCodesRenewed,
        &me.email,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(codes)
}

/// Turns `me`'s two-factor sign-in off (their password required); refused while the account
/// requires it.
pub async fn turn_off(db: &Db, me: &CurrentUser, current_password: &str) -> ServiceResult<()> {
    let (stored, required): (String, i64) = sqlx::query_as(
        "SELECT u.password_hash, a.require_two_factor FROM users u JOIN accounts a ON a.id = u.account_id \
         WHERE u.id = $1 AND u.active = 1",
    )
    .bind(me.id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(ServiceError::Unauthorized)?;
    if required != 0 {
        return Err(ServiceError::invalid(
            "current_password",
            Problem::TwoFactorRequiredHere,
        ));
    }
    if !password::verify(current_password, Some(stored)).await? {
        return Err(ServiceError::invalid(
            "current_password",
            Problem::NotCurrentPassword,
        ));
    }
    let mut tx = db.begin().await?;
    clear(&mut tx, me.id).await?;
    audit::record(
        &mut *tx,
        me.into(),
        AuditAction::TwoFactorOff,
        &me.email,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Clears a teammate's two-factor sign-in (they lost their phone and their codes); their
/// sessions end, and they set it up again at their next sign-in if the account requires it.
/// Owners and admins; only an owner clears an owner's.
pub async fn clear_for(db: &Db, me: &CurrentUser, user_id: UserId) -> ServiceResult<()> {
    require_configure(me)?;
    let mut tx = db.begin().await?;
    let (email, role): (String, String) =
        sqlx::query_as("SELECT email, role FROM users WHERE id = $1 AND account_id = $2")
            .bind(user_id)
            .bind(me.account_id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(ServiceError::NotFound("user"))?;
    if role == Role::Owner.as_str() && me.role != Role::Owner {
        return Err(ServiceError::Forbidden(
            "only an owner may clear an owner's two-factor sign-in".into(),
        ));
    }
    clear(&mut tx, user_id).await?;
    super::passwords::end_sessions(&mut tx, user_id, None).await?;
    audit::record(
        &mut *tx,
        me.into(),
        AuditAction::TwoFactorCleared,
        &email,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Requires (or no longer requires) two-factor sign-in of everyone in `me`'s account. Only
/// an owner, and only once they use it themselves. Turning it on ends the sessions of the
/// users without it: they set it up at their next sign-in.
pub async fn set_required(db: &Db, me: &CurrentUser, required: bool) -> ServiceResult<u64> {
    if me.role != Role::Owner {
        return Err(ServiceError::Forbidden(
            "only an owner may require two-factor sign-in".into(),
        ));
    }
    let mut tx = db.begin().await?;
    let (mine,): (Option<String>,) = sqlx::query_as("SELECT totp_secret FROM users WHERE id = $1")
        .bind(me.id)
        .fetch_one(&mut *tx)
        .await?;
    if required && mine.is_none() {
        return Err(ServiceError::invalid(
            "required",
            Problem::TwoFactorYourselfFirst,
        ));
    }
    sqlx::query("UPDATE accounts SET require_two_factor = $1 WHERE id = $2")
        .bind(i64::from(required))
        .bind(me.account_id)
        .execute(&mut *tx)
        .await?;
    let ended = if required {
        sqlx::query(
            "DELETE FROM sessions WHERE user_id IN \
             (SELECT id FROM users WHERE account_id = $1 AND totp_secret IS NULL)",
        )
        .bind(me.account_id)
        .execute(&mut *tx)
        .await?
        .rows_affected()
    } else {
        0
    };
    let action = if required {
        AuditAction::TwoFactorRequired
    } else {
        AuditAction::TwoFactorOptional
    };
    audit::record(&mut *tx, me.into(), action, &me.account_name, None).await?;
    tx.commit().await?;
    Ok(ended)
}

/// Whether each user of `me`'s account has two-factor sign-in on, by id.
pub async fn enrolled_users(db: &Db, me: &CurrentUser) -> ServiceResult<Vec<UserId>> {
    let rows: Vec<(UserId,)> =
        sqlx::query_as("SELECT id FROM users WHERE account_id = $1 AND totp_secret IS NOT NULL")
            .bind(me.account_id)
            .fetch_all(&db.pool)
            .await?;
    Ok(rows.into_iter().map(|(id,)| id).collect())
}

/// Whether `me`'s account requires two-factor sign-in.
pub async fn required(db: &Db, me: &CurrentUser) -> ServiceResult<bool> {
    let (on,): (i64,) = sqlx::query_as("SELECT require_two_factor FROM accounts WHERE id = $1")
        .bind(me.account_id)
        .fetch_one(&db.pool)
        .await?;
    Ok(on != 0)
}

/// Removes a user's secret, pending secret and recovery codes.
async fn clear(tx: &mut Tx, user_id: UserId) -> ServiceResult<()> {
    sqlx::query(
        "UPDATE users SET totp_secret = NULL, totp_pending = NULL, totp_last_step = NULL, updated_at = $1 WHERE id = $2",
    )
    .bind(db::now())
    .bind(user_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Replaces a user's recovery codes with [`RECOVERY_CODES`] new ones; answers them.
async fn replace_codes(tx: &mut Tx, user_id: UserId) -> ServiceResult<Vec<String>> {
    sqlx::query("DELETE FROM recovery_codes WHERE user_id = $1")
        .bind(user_id)
        .execute(&mut **tx)
        .await?;
    let now = db::now();
    let mut codes = Vec::with_capacity(RECOVERY_CODES);
    for _ in 0..RECOVERY_CODES {
        let code = new_recovery_code();
        sqlx::query(
            "INSERT INTO recovery_codes (user_id, code_hash, created_at) VALUES ($1, $2, $3)",
        )
        .bind(user_id)
        .bind(hash_token(&recovery_form(&code)))
        .bind(&now)
        .execute(&mut **tx)
        .await?;
        codes.push(code);
    }
    Ok(codes)
}

/// A recovery code: ten characters of lower-case base32 (50 bits) as `xxxxx-xxxxx`.
fn new_recovery_code() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut rng = rand::rngs::OsRng;
    let chars: String = (0..10)
        .map(|_| char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]))
        .collect();
    format!("{}-{}", &chars[..5], &chars[5..])
}

/// A recovery code as it is hashed: lower case, without spaces or dashes.
fn recovery_form(code: &str) -> String {
    code.chars()
        .filter(|c| c.is_ascii_alphanumeric())
        .map(|c| c.to_ascii_lowercase())
        .collect()
}

fn bounded(code: &str) -> ServiceResult<&str> {
    let code = code.trim();
    if code.is_empty() {
        return Err(ServiceError::invalid("code", Problem::Required));
    }
    if code.len() > MAX_CODE || code.contains('\0') {
        return Err(ServiceError::invalid("code", Problem::WrongCode));
    }
    Ok(code)
}

fn now_step() -> i64 {
    totp::step_at(Utc::now().timestamp())
}

async fn email_of(tx: &mut Tx, user_id: UserId) -> ServiceResult<String> {
    let (email,): (String,) = sqlx::query_as("SELECT email FROM users WHERE id = $1")
        .bind(user_id)
        .fetch_one(&mut **tx)
        .await?;
    Ok(email)
}

#[cfg(test)]
mod tests {
    #[test]
    fn recovery_codes_read_without_case_spaces_or_dashes() {
        let code = super::new_recovery_code();
        assert_eq!(code.len(), 11);
        assert_eq!(
            super::recovery_form(&code.to_uppercase().replace('-', " ")),
            code.replace('-', "")
        );
    }
}
