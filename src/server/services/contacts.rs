//! Contacts: validated, normalized, and unique by e-mail and by phone within an account.

use crate::domain::phone::normalize_phone;
use crate::server::db::{self, Db};
use crate::server::error::{ServiceError, ServiceResult};

use super::accounts::normalize_email;
use super::Actor;

/// Longest contact name accepted.
pub const MAX_NAME_LEN: usize = 150;

/// A contact to create.
#[derive(Debug, Clone, Default)]
pub struct NewContact {
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organization_id: Option<i64>,
}

/// A stored contact.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Contact {
    pub id: i64,
    pub uuid: String,
    pub full_name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub organization_id: Option<i64>,
}

const COLUMNS: &str = "id, uuid, full_name, email, phone, organization_id";

/// Creates a contact; the same e-mail or phone twice in one account is refused.
pub async fn create_contact(db: &Db, actor: Actor, new: NewContact) -> ServiceResult<Contact> {
    let name = new.full_name.trim();
    if name.is_empty() || name.chars().count() > MAX_NAME_LEN {
        return Err(ServiceError::invalid(
            "full_name",
            format!("must have 1 to {MAX_NAME_LEN} characters"),
        ));
    }
    let email = non_empty(new.email.as_deref())
        .map(normalize_email)
        .transpose()?;
    let phone = non_empty(new.phone.as_deref())
        .map(|p| normalize_phone(p).map_err(|m| ServiceError::invalid("phone", m)))
        .transpose()?;
    let now = db::now();
    let mut tx = db.pool.begin().await?;
    // Serializes contact creation per account (a write first, so SQLite locks at once and
    // PostgreSQL orders concurrent checks), then looks for a duplicate.
    let locked = sqlx::query("UPDATE accounts SET updated_at = $1 WHERE id = $2")
        .bind(&now)
        .bind(actor.account_id)
        .execute(&mut *tx)
        .await?;
    if locked.rows_affected() == 0 {
        return Err(ServiceError::NotFound("account"));
    }
    if let Some(org) = new.organization_id {
        let found: Option<(i64,)> =
            sqlx::query_as("SELECT id FROM organizations WHERE id = $1 AND account_id = $2")
                .bind(org)
                .bind(actor.account_id)
                .fetch_optional(&mut *tx)
                .await?;
        if found.is_none() {
            return Err(ServiceError::invalid(
                "organization_id",
                "no such organization in this account",
            ));
        }
    }
    for (field, value, label) in [("email", &email, "e-mail"), ("phone", &phone, "phone")] {
        let Some(value) = value else { continue };
        let dup: Option<(String,)> = sqlx::query_as(&format!(
            "SELECT full_name FROM contacts WHERE account_id = $1 AND {field} = $2"
        ))
        .bind(actor.account_id)
        .bind(value)
        .fetch_optional(&mut *tx)
        .await?;
        if let Some((other,)) = dup {
            return Err(ServiceError::invalid(
                field,
                format!("{other} already has the {label} {value}"),
            ));
        }
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO contacts (account_id, uuid, full_name, email, phone, organization_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7) RETURNING id",
    )
    .bind(actor.account_id)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(name)
    .bind(&email)
    .bind(&phone)
    .bind(new.organization_id)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    get_contact(db, actor, id).await
}

/// Loads a contact of the actor's account.
pub async fn get_contact(db: &Db, actor: Actor, id: i64) -> ServiceResult<Contact> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM contacts WHERE id = $1 AND account_id = $2"
    ))
    .bind(id)
    .bind(actor.account_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(ServiceError::NotFound("contact"))
}

fn non_empty(s: Option<&str>) -> Option<&str> {
    s.map(str::trim).filter(|s| !s.is_empty())
}
