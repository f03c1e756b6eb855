//! Accounts (tenants) and their users.

pub mod api_keys;
pub mod invitations;
pub mod locale;
pub mod passwords;
pub mod sign_in;
pub mod team;
pub mod theme;
pub mod time_zone;
pub mod two_factor;

pub use sign_in::{authenticate, LOCKOUT_FAILURES, LOCKOUT_MINUTES};

use crate::domain::{AccountId, Plan, Role, UserId};
use crate::server::auth::password;
use crate::server::db::{self, Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};

use crate::server::services::pipelines::{self, NewStage};

/// Default points per activity type for a new account.
pub const DEFAULT_ACTIVITY_POINTS: &[(&str, i64)] = &[
    ("call", 10),
    ("meeting", 20),
    ("email", 5),
    ("task", 5),
    ("note", 2),
];

/// The stages a new account's first pipeline starts with: key, name, probability.
pub const DEFAULT_STAGES: &[(&str, &str, i64)] = &[
    ("new", "New", 10),
    ("contacted", "Contacted", 25),
    ("qualified", "Qualified", 40),
    ("proposal", "Proposal", 60),
    ("negotiation", "Negotiation", 80),
];

/// Checks an e-mail address's shape and returns it trimmed and lower-cased.
pub fn normalize_email(email: &str) -> ServiceResult<String> {
    let e = email.trim().to_ascii_lowercase();
    if crate::domain::contact::is_valid_email(&e) {
        Ok(e)
    } else {
        Err(ServiceError::invalid(
            "email",
            format!("\"{}\" is not a valid e-mail address", email.trim()),
        ))
    }
}

/// Creates an account with its owner and a default sales pipeline; returns the account id.
pub async fn create_account(
    db: &Db,
    name: &str,
    plan: Plan,
    owner_email: &str,
    owner_name: &str,
    owner_password: &str,
) -> ServiceResult<AccountId> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ServiceError::invalid(
            "name",
            "must have 1 to 100 characters",
        ));
    }
    let email = normalize_email(owner_email)?;
    let hash = password::hash(owner_password).await?;
    let now = db::now();
    let mut tx = db.begin().await?;
    let (account_id,): (AccountId,) = sqlx::query_as(
        "INSERT INTO accounts (name, plan, created_at, updated_at) VALUES ($1, $2, $3, $3) RETURNING id",
    )
    .bind(name)
    .bind(plan.as_str())
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    insert_user(&mut tx, account_id, &email, owner_name, &hash, Role::Owner).await?;
    for (kind, points) in DEFAULT_ACTIVITY_POINTS {
        sqlx::query(
            "INSERT INTO activity_point_rules (account_id, kind, points) VALUES ($1, $2, $3)",
        )
        .bind(account_id)
        .bind(*kind)
        .bind(*points)
        .execute(&mut *tx)
        .await?;
    }
    let stages: Vec<NewStage> = DEFAULT_STAGES
        .iter()
        .map(|(key, name, p)| NewStage {
            key: key.to_string(),
            name: name.to_string(),
            probability: *p,
            rotting_days: Some(14),
        })
        .collect();
    pipelines::insert_pipeline(&mut tx, account_id, "Sales", true, &stages).await?;
    tx.commit().await?;
    Ok(account_id)
}

async fn insert_user(
    tx: &mut Tx,
    account_id: AccountId,
    email: &str,
    name: &str,
    password_hash: &str,
    role: Role,
) -> ServiceResult<UserId> {
    let taken: Option<(i64,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_optional(&mut **tx)
        .await?;
    if taken.is_some() {
        return Err(ServiceError::Conflict(format!(
            "a user with e-mail {email} already exists"
        )));
    }
    let name = if name.trim().is_empty() {
        email.split('@').next().unwrap_or(email).to_string()
    } else {
        name.trim().to_string()
    };
    let now = db::now();
    let (id,): (UserId,) = sqlx::query_as(
        "INSERT INTO users (account_id, uuid, email, name, password_hash, role, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id",
    )
    .bind(account_id)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(email)
    .bind(name)
    .bind(password_hash)
    .bind(role.as_str())
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?;
    Ok(id)
}

/// Adds a user to an account.
pub async fn create_user(
    db: &Db,
    account_id: AccountId,
    email: &str,
    name: &str,
    password: &str,
    role: Role,
) -> ServiceResult<UserId> {
    let email = normalize_email(email)?;
    let hash = password::hash(password).await?;
    let mut tx = db.begin().await?;
    let id = insert_user(&mut tx, account_id, &email, name, &hash, role).await?;
    tx.commit().await?;
    Ok(id)
}

/// Users of an account, for pickers and filters.
pub async fn list_users(
    db: &Db,
    account_id: AccountId,
) -> ServiceResult<Vec<crate::domain::UserSummary>> {
    let rows: Vec<(UserId, String)> = sqlx::query_as(
        "SELECT id, name FROM users WHERE account_id = $1 AND active = 1 ORDER BY name, id",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| crate::domain::UserSummary {
            id,
            initials: crate::domain::initials(&name),
            name,
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_checked() {
        assert_eq!(
            normalize_email(" Ana@Example.COM ").ok().as_deref(),
            Some("ana@example.com")
        );
        assert!(normalize_email("ana@").is_err());
        assert!(normalize_email("ana example.com").is_err());
        assert!(normalize_email("a@b@c.com").is_err());
        assert!(normalize_email("a@localhost").is_err());
    }
}
