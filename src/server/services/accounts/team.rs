//! The account's users as owners and admins manage them: create, change role, deactivate and
//! reactivate. Admins never manage owners, nobody deactivates themselves, and the account
//! always keeps an active owner. A deactivated user cannot log in and their sessions end.

use crate::domain::{AccountId, CurrentUser, Problem, Role, TeamMember, UserId};
use crate::server::auth::require_configure;
use crate::server::db::{self, Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};

use crate::domain::audit::AuditAction;
use crate::server::services::audit;

/// A member as the team list reads it.
#[derive(sqlx::FromRow)]
struct MemberRow {
    id: UserId,
    name: String,
    email: String,
    role: String,
    active: i64,
    uuid: String,
    live_keys: i64,
    two_factor: i64,
}

/// Everyone in the account, active first, by name.
pub async fn members(db: &Db, account_id: AccountId) -> ServiceResult<Vec<TeamMember>> {
    let rows: Vec<MemberRow> = sqlx::query_as(
        "SELECT u.id, u.name, u.email, u.role, u.active, u.uuid, \
         (SELECT COUNT(*) FROM api_keys k WHERE k.user_id = u.id AND k.revoked_at IS NULL) AS live_keys, \
         CASE WHEN u.totp_secret IS NULL THEN 0 ELSE 1 END AS two_factor \
         FROM users u WHERE u.account_id = $1 ORDER BY u.active DESC, u.name, u.id",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| TeamMember {
            id: r.id,
            name: r.name,
            email: r.email,
            role: r.role,
            active: r.active != 0,
            live_keys: r.live_keys,
            uuid: r.uuid,
            two_factor: r.two_factor != 0,
        })
        .collect())
}

/// Parses a role named in a form.
pub fn parse_role(role: &str) -> ServiceResult<Role> {
    role.trim()
        .parse()
        .map_err(|e: String| ServiceError::invalid("role", e))
}

/// Only owners hand out or take away the owner role.
pub(super) fn check_may_grant(me: &CurrentUser, role: Role) -> ServiceResult<()> {
    if role == Role::Owner && me.role != Role::Owner {
        return Err(ServiceError::Forbidden(
            "only an owner can make someone an owner".into(),
        ));
    }
    Ok(())
}

/// Adds a user to the signed-in user's account; returns the new id.
pub async fn invite(
    db: &Db,
    me: &CurrentUser,
    email: &str,
    name: &str,
    password: &str,
    role: Role,
) -> ServiceResult<UserId> {
    require_configure(me)?;
    check_may_grant(me, role)?;
    if name.trim().chars().count() > 100 {
        return Err(ServiceError::invalid("name", Problem::TooLong { max: 100 }));
    }
    let email = super::normalize_email(email)?;
    let hash = crate::server::auth::password::hash(password).await?;
    let mut tx = db.begin().await?;
    let id = super::insert_user(&mut tx, me.account_id, &email, name, &hash, role).await?;
    audit::record(
        &mut *tx,
        me.into(),
        AuditAction::UserAdded,
        &email,
        Some(role.as_str()),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The role and e-mail of another user of the account, checked as manageable by `me`.
async fn manageable(
    tx: &mut Tx,
    me: &CurrentUser,
    user_id: UserId,
) -> ServiceResult<(Role, String)> {
    let row: Option<(String, String)> =
        sqlx::query_as("SELECT role, email FROM users WHERE id = $1 AND account_id = $2")
            .bind(user_id)
            .bind(me.account_id)
            .fetch_optional(&mut **tx)
            .await?;
    let (role, email) = row.ok_or(ServiceError::NotFound("user"))?;
    let role = parse_role(&role)?;
    if role == Role::Owner && me.role != Role::Owner {
        return Err(ServiceError::Forbidden(
            "admins cannot manage owners".into(),
        ));
    }
    Ok((role, email))
}

/// Refuses a change that would leave the account without an active owner.
async fn keep_an_owner(tx: &mut Tx, account_id: AccountId) -> ServiceResult<()> {
    let (owners,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM users WHERE account_id = $1 AND role = 'owner' AND active = 1",
    )
    .bind(account_id)
    .fetch_one(&mut **tx)
    .await?;
    if owners == 0 {
        return Err(ServiceError::Conflict(
            "the account needs at least one active owner".into(),
        ));
    }
    Ok(())
}

/// Writes the account's lock row first so concurrent team changes take turns (and SQLite
/// starts the transaction as a writer).
async fn lock_account(tx: &mut Tx, account_id: AccountId) -> ServiceResult<()> {
    sqlx::query("UPDATE accounts SET updated_at = $1 WHERE id = $2")
        .bind(db::now())
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Gives a user of the account another role.
pub async fn change_role(
    db: &Db,
    me: &CurrentUser,
    user_id: UserId,
    role: Role,
) -> ServiceResult<()> {
    require_configure(me)?;
    check_may_grant(me, role)?;
    let mut tx = db.begin().await?;
    lock_account(&mut tx, me.account_id).await?;
    let (was, email) = manageable(&mut tx, me, user_id).await?;
    sqlx::query("UPDATE users SET role = $1, updated_at = $2 WHERE id = $3 AND account_id = $4")
        .bind(role.as_str())
        .bind(db::now())
        .bind(user_id)
        .bind(me.account_id)
        .execute(&mut *tx)
        .await?;
    keep_an_owner(&mut tx, me.account_id).await?;
    if was != role {
        let detail = format!("{} → {}", was.as_str(), role.as_str());
        audit::record(
            &mut *tx,
            me.into(),
            AuditAction::RoleChanged,
            &email,
            Some(&detail),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Deactivates (`active = false`) or reactivates a user of the account.
pub async fn set_active(
    db: &Db,
    me: &CurrentUser,
    user_id: UserId,
    active: bool,
) -> ServiceResult<()> {
    require_configure(me)?;
    if user_id == me.id && !active {
        return Err(ServiceError::Conflict(
            "you cannot deactivate yourself".into(),
        ));
    }
    let mut tx = db.begin().await?;
    lock_account(&mut tx, me.account_id).await?;
    let (_, email) = manageable(&mut tx, me, user_id).await?;
    sqlx::query("UPDATE users SET active = $1, updated_at = $2 WHERE id = $3 AND account_id = $4")
        .bind(i64::from(active))
        .bind(db::now())
        .bind(user_id)
        .bind(me.account_id)
        .execute(&mut *tx)
        .await?;
    keep_an_owner(&mut tx, me.account_id).await?;
    if !active {
        super::passwords::end_sessions(&mut tx, user_id, None).await?;
    }
    let action = if active {
        AuditAction::UserReactivated
    } else {
        AuditAction::UserDeactivated
    };
    audit::record(&mut *tx, me.into(), action, &email, None).await?;
    tx.commit().await?;
    Ok(())
}
