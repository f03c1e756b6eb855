//! Invitations: an owner or admin invites an e-mail address with a role; the invitee follows
//! the e-mailed link (`/invitations/{token}`) and sets their name and password, which makes
//! them a user of the account and signs them in.
//!
//! Invariants: only the token's SHA-256 is stored; a link is accepted once (the statement
//! that checks it also marks it accepted) and for [`VALID_DAYS`]; sending an invitation again
//! replaces its token, so the older link stops working; revoking one ends its link. Roles
//! are granted by the team's rules (only an owner invites an owner).

use crate::domain::audit::AuditAction;
use crate::server::services::audit;
use chrono::{Duration, Utc};

use crate::domain::{
    CurrentUser, InvitationId, InvitationOffer, PendingInvitation, Problem, Role, UserId,
};
use crate::i18n::{t_args, Locale};
use crate::server::auth::api_keys::hash_token;
use crate::server::auth::{password, random_hex, require_configure};
use crate::server::db::{self, Db, Tx};
use crate::server::delivery::mail;
use crate::server::error::{ServiceError, ServiceResult};

use super::team::check_may_grant;
use super::{insert_user, normalize_email};

/// Days an invitation's link works.
pub const VALID_DAYS: i64 = 7;
/// Invitations an account may have waiting at once.
pub const MAX_PENDING: i64 = 100;

/// The link of an invitation token under `base_url`.
pub fn link(base_url: &str, token: &str) -> String {
    format!("{}/invitations/{token}", base_url.trim_end_matches('/'))
}

/// Invites `email` with `role` into `me`'s account and e-mails the link (written in
/// `locale`); answers the link, which the inviter may also pass on by hand.
pub async fn invite(
    db: &Db,
    me: &CurrentUser,
    email: &str,
    role: Role,
    base_url: &str,
    locale: Locale,
) -> ServiceResult<String> {
    require_configure(me)?;
    check_may_grant(me, role)?;
    let email = normalize_email(email)?;
    let mut tx = db.begin().await?;
    let taken: Option<(UserId,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_optional(&mut *tx)
        .await?;
    if taken.is_some() {
        return Err(ServiceError::invalid("email", Problem::AlreadyAUser));
    }
    let (waiting,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM invitations WHERE account_id = $1 AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(me.account_id)
    .fetch_one(&mut *tx)
    .await?;
    if waiting >= MAX_PENDING {
        return Err(ServiceError::Conflict(format!(
            "the account has {MAX_PENDING} invitations waiting already; revoke some first"
        )));
    }
    // An address invited before and still waiting gets the new role and a new link.
    let now = db::now();
    sqlx::query(
        "UPDATE invitations SET revoked_at = $1, updated_at = $1 WHERE account_id = $2 AND email = $3 \
         AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(&now)
    .bind(me.account_id)
    .bind(&email)
    .execute(&mut *tx)
    .await?;
    let token = random_hex(32);
    let (id,): (InvitationId,) = sqlx::query_as(
        "INSERT INTO invitations (account_id, email, role, token_hash, invited_by_id, expires_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(me.account_id)
    .bind(&email)
    .bind(role.as_str())
    .bind(hash_token(&token))
    .bind(me.id)
    .bind(expiry())
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    let link = link(base_url, &token);
    send(&mut tx, me, &email, &link, locale).await?;
    audit::record(
        &mut *tx,
        me.into(),
        AuditAction::InvitationSent,
        &email,
        Some(role.as_str()),
    )
    .await?;
    tx.commit().await?;
    tracing::info!(invitation = id.0, "invitation sent");
    Ok(link)
}

fn expiry() -> String {
    db::ts(Utc::now() + Duration::days(VALID_DAYS))
}

/// Queues the invitation's e-mail (kept secret in the outbox: it holds the link).
async fn send(
    tx: &mut Tx,
    me: &CurrentUser,
    email: &str,
    link: &str,
    locale: Locale,
) -> ServiceResult<()> {
    let args = [
        ("inviter", me.name.clone().into()),
        ("account", me.account_name.clone().into()),
        ("link", link.to_string().into()),
        ("days", VALID_DAYS.into()),
    ];
    mail::queue_secret(
        tx,
        me.account_id,
        email,
        &t_args(locale, "mail-invitation-subject", &args),
        &t_args(locale, "mail-invitation-body", &args),
    )
    .await?;
    Ok(())
}

/// The account's invitations waiting for an answer, newest first.
pub async fn pending(db: &Db, me: &CurrentUser) -> ServiceResult<Vec<PendingInvitation>> {
    require_configure(me)?;
    let rows: Vec<(InvitationId, String, String, Option<String>, String)> = sqlx::query_as(
        "SELECT i.id, i.email, i.role, u.name, i.expires_at FROM invitations i \
         LEFT JOIN users u ON u.id = i.invited_by_id \
         WHERE i.account_id = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL ORDER BY i.id DESC",
    )
    .bind(me.account_id)
    .fetch_all(&db.pool)
    .await?;
    let now = db::now();
    Ok(rows
        .into_iter()
        .filter_map(|(id, email, role, invited_by, expires_at)| {
            Some(PendingInvitation {
                id,
                email,
                role: role.parse().ok()?,
                invited_by,
                expired: expires_at <= now,
                expires_at,
            })
        })
        .collect())
}

/// The waiting invitation `id` of `me`'s account, with its role checked as one `me` may grant.
async fn manageable(
    tx: &mut Tx,
    me: &CurrentUser,
    id: InvitationId,
) -> ServiceResult<(String, Role)> {
    require_configure(me)?;
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT email, role FROM invitations WHERE id = $1 AND account_id = $2 \
         AND accepted_at IS NULL AND revoked_at IS NULL",
    )
    .bind(id)
    .bind(me.account_id)
    .fetch_optional(&mut **tx)
    .await?;
    let (email, role) = row.ok_or(ServiceError::NotFound("invitation"))?;
    let role: Role = role
        .parse()
        .map_err(|e: String| ServiceError::Internal(e))?;
    check_may_grant(me, role)?;
    Ok((email, role))
}

/// Ends an invitation's link.
pub async fn revoke(db: &Db, me: &CurrentUser, id: InvitationId) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    let (email, _) = manageable(&mut tx, me, id).await?;
    sqlx::query("UPDATE invitations SET revoked_at = $1, updated_at = $1 WHERE id = $2")
        .bind(db::now())
        .bind(id)
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        me.into(),
        AuditAction::InvitationRevoked,
        &email,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Sends an invitation again with a new link, valid for [`VALID_DAYS`] from now; the old
/// link stops working. Answers the new link.
pub async fn resend(
    db: &Db,
    me: &CurrentUser,
    id: InvitationId,
    base_url: &str,
    locale: Locale,
) -> ServiceResult<String> {
    let mut tx = db.begin().await?;
    let (email, _) = manageable(&mut tx, me, id).await?;
    let token = random_hex(32);
    sqlx::query(
        "UPDATE invitations SET token_hash = $1, expires_at = $2, updated_at = $3 WHERE id = $4",
    )
    .bind(hash_token(&token))
    .bind(expiry())
    .bind(db::now())
    .bind(id)
    .execute(&mut *tx)
    .await?;
    let link = link(base_url, &token);
    send(&mut tx, me, &email, &link, locale).await?;
    audit::record(
        &mut *tx,
        me.into(),
        AuditAction::InvitationResent,
        &email,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(link)
}

/// What a link offers, while it works.
pub async fn offer(db: &Db, token: &str) -> ServiceResult<InvitationOffer> {
    let row: Option<(String, String, String)> = sqlx::query_as(
        "SELECT a.name, i.email, i.role FROM invitations i JOIN accounts a ON a.id = i.account_id \
         WHERE i.token_hash = $1 AND i.accepted_at IS NULL AND i.revoked_at IS NULL AND i.expires_at > $2",
    )
    .bind(hash_token(token))
    .bind(db::now())
    .fetch_optional(&db.pool)
    .await?;
    let (account_name, email, role) =
        row.ok_or_else(|| ServiceError::invalid("token", Problem::LinkNotValid))?;
    Ok(InvitationOffer {
        account_name,
        email,
        role: role
            .parse()
            .map_err(|e: String| ServiceError::Internal(e))?,
    })
}

/// Accepts the invitation a link names: makes its user with `name` and `password`; answers
/// their id. A used, revoked or expired link is refused (naming `token`).
pub async fn accept(db: &Db, token: &str, name: &str, password: &str) -> ServiceResult<UserId> {
    if name.trim().chars().count() > 100 {
        return Err(ServiceError::invalid("name", Problem::TooLong { max: 100 }));
    }
    if token.len() > 128 {
        return Err(ServiceError::invalid("token", Problem::LinkNotValid));
    }
    // A dead link is refused before the (slow) hashing.
    offer(db, token).await?;
    let hash = password::hash(password).await?;
    let now = db::now();
    let mut tx = db.begin().await?;
    let taken: Option<(crate::domain::AccountId, String, String)> = sqlx::query_as(
        "UPDATE invitations SET accepted_at = $1, updated_at = $1 WHERE token_hash = $2 \
         AND accepted_at IS NULL AND revoked_at IS NULL AND expires_at > $1 \
         RETURNING account_id, email, role",
    )
    .bind(&now)
    .bind(hash_token(token))
    .fetch_optional(&mut *tx)
    .await?;
    let (account_id, email, role) =
        taken.ok_or_else(|| ServiceError::invalid("token", Problem::LinkNotValid))?;
    let role: Role = role
        .parse()
        .map_err(|e: String| ServiceError::Internal(e))?;
    let user_id = insert_user(&mut tx, account_id, &email, name, &hash, role)
        .await
        .map_err(|e| match e {
            ServiceError::Conflict(_) => ServiceError::invalid("email", Problem::AlreadyAUser),
            e => e,
        })?;
    sqlx::query("UPDATE invitations SET user_id = $1 WHERE token_hash = $2")
        .bind(user_id)
        .bind(hash_token(token))
        .execute(&mut *tx)
        .await?;
    audit::record_for_user(
        &mut *tx,
        user_id,
        AuditAction::InvitationAccepted,
        Some(role.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(user_id)
}
