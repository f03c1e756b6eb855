//! Account settings that only owners and admins may change: lost reasons, the points each
//! activity type earns and the country phone numbers are read in. Reading is open to every
//! user of the account.

use crate::domain::{AccountId, Problem};
use crate::server::db::{self, Db};
use crate::server::error::{ServiceError, ServiceResult};

use super::activities::KINDS;
use super::MayConfigure;

/// A reason offered when a deal is marked lost.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow, serde::Serialize, serde::Deserialize)]
pub struct LostReason {
    pub id: i64,
    pub name: String,
}

/// The account's lost reasons in their order.
pub async fn lost_reasons(db: &Db, account_id: AccountId) -> ServiceResult<Vec<LostReason>> {
    Ok(sqlx::query_as(
        "SELECT id, name FROM lost_reasons WHERE account_id = $1 ORDER BY position, id",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?)
}

/// Adds a lost reason at the end of the list.
pub async fn add_lost_reason(
    db: &Db,
    by: impl MayConfigure,
    name: &str,
) -> ServiceResult<LostReason> {
    let account_id = by.configurer()?.account_id();
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ServiceError::invalid(
            "name",
            Problem::Length { min: 1, max: 100 },
        ));
    }
    let existing = lost_reasons(db, account_id).await?;
    if existing.iter().any(|r| r.name.eq_ignore_ascii_case(name)) {
        return Err(ServiceError::invalid(
            "name",
            Problem::AlreadyInList {
                name: name.to_string(),
            },
        ));
    }
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO lost_reasons (account_id, name, position, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(account_id)
    .bind(name)
    .bind(existing.len() as i64)
    .bind(db::now())
    .fetch_one(&db.pool)
    .await?;
    Ok(LostReason {
        id,
        name: name.to_string(),
    })
}

/// Removes a lost reason (deals keep the text they were lost with).
pub async fn delete_lost_reason(db: &Db, by: impl MayConfigure, id: i64) -> ServiceResult<()> {
    let account_id = by.configurer()?.account_id();
    let res = sqlx::query("DELETE FROM lost_reasons WHERE id = $1 AND account_id = $2")
        .bind(id)
        .bind(account_id)
        .execute(&db.pool)
        .await?;
    db::touched(res, "lost reason")
}

/// Points per activity type, in the order of [`KINDS`].
pub async fn point_rules(db: &Db, account_id: AccountId) -> ServiceResult<Vec<(String, i64)>> {
    let rows: Vec<(String, i64)> =
        sqlx::query_as("SELECT kind, points FROM activity_point_rules WHERE account_id = $1")
            .bind(account_id)
            .fetch_all(&db.pool)
            .await?;
    Ok(KINDS
        .iter()
        .map(|k| {
            let points = rows
                .iter()
                .find(|(kind, _)| kind == k)
                .map(|(_, p)| *p)
                .unwrap_or(0);
            (k.to_string(), points)
        })
        .collect())
}

/// Sets the points an activity type earns from now on (0 to 1000).
pub async fn set_points(
    db: &Db,
    by: impl MayConfigure,
    kind: &str,
    points: i64,
) -> ServiceResult<()> {
    let account_id = by.configurer()?.account_id();
    if !KINDS.contains(&kind) {
        return Err(ServiceError::invalid("kind", Problem::one_of(KINDS)));
    }
    if !(0..=1000).contains(&points) {
        return Err(ServiceError::invalid(
            "points",
            Problem::Range { from: 0, to: 1000 },
        ));
    }
    let mut tx = db.begin().await?;
    sqlx::query("DELETE FROM activity_point_rules WHERE account_id = $1 AND kind = $2")
        .bind(account_id)
        .bind(kind)
        .execute(&mut *tx)
        .await?;
    sqlx::query("INSERT INTO activity_point_rules (account_id, kind, points) VALUES ($1, $2, $3)")
        .bind(account_id)
        .bind(kind)
        .bind(points)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The country national phone numbers are read in (ISO 3166 alpha-2), if the account has one.
pub async fn default_country(db: &Db, account_id: AccountId) -> ServiceResult<Option<String>> {
    let row: Option<(Option<String>,)> =
        sqlx::query_as("SELECT default_country FROM accounts WHERE id = $1")
            .bind(account_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.and_then(|(c,)| c))
}

/// Sets the country phone numbers without a country code are read in (`BR`, `MX`, …);
/// empty clears it (numbers then need their country code).
pub async fn set_default_country(db: &Db, by: impl MayConfigure, code: &str) -> ServiceResult<()> {
    let account_id = by.configurer()?.account_id();
    let code = match code.trim() {
        "" => None,
        c => Some(
            crate::server::phone::check_country(c)
                .map_err(|m| ServiceError::invalid("default_country", m))?,
        ),
    };
    sqlx::query("UPDATE accounts SET default_country = $1, updated_at = $2 WHERE id = $3")
        .bind(code)
        .bind(db::now())
        .bind(account_id)
        .execute(&db.pool)
        .await?;
    Ok(())
}
