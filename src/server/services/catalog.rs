//! The account's catalogs: tags, lead sources and products. Everyone reads them; only a
//! [`Configurer`](super::Configurer) changes them (an owner or admin, or a `config:manage`
//! API key).

use crate::domain::catalog::{Choice, Product};
use crate::domain::money::{normalize_currency, parse_amount};
use crate::domain::{AccountId, Problem, ProductId};
use crate::server::db::{self, Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::MayConfigure;

/// The account's tags by name.
pub async fn tags(db: &Db, account_id: AccountId) -> ServiceResult<Vec<Choice>> {
    choices(db, "tags", account_id).await
}

/// The account's lead sources by name.
pub async fn lead_sources(db: &Db, account_id: AccountId) -> ServiceResult<Vec<Choice>> {
    choices(db, "lead_sources", account_id).await
}

/// Most contacts and organizations a picker lists.
pub const PICKER_LIMIT: i64 = 500;

/// The account's organizations by name, for pickers (at most [`PICKER_LIMIT`]).
pub async fn organizations(db: &Db, account_id: AccountId) -> ServiceResult<Vec<Choice>> {
    choices(db, "organizations", account_id).await
}

/// The account's contacts by name, for pickers (at most [`PICKER_LIMIT`]).
pub async fn contacts(db: &Db, account_id: AccountId) -> ServiceResult<Vec<Choice>> {
    choices(db, "contacts", account_id).await
}

/// `(id, name)` rows of a named table of the account, by name.
async fn choices(
    db: &Db,
    table: &'static str,
    account_id: AccountId,
) -> ServiceResult<Vec<Choice>> {
    let name = if table == "contacts" {
        "full_name"
    } else {
        "name"
    };
    let rows: Vec<(i64, String)> = sqlx::query_as(&format!(
        "SELECT id, {name} FROM {table} WHERE account_id = $1 ORDER BY 2, 1 LIMIT {PICKER_LIMIT}"
    ))
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name)| Choice { id, name })
        .collect())
}

/// The account's products by name; `only_active` leaves out retired ones.
pub async fn products(
    db: &Db,
    account_id: AccountId,
    only_active: bool,
) -> ServiceResult<Vec<Product>> {
    let rows: Vec<(ProductId, String, String, i64, String, i64)> = sqlx::query_as(
        "SELECT id, name, identifier, unit_amount_cents, currency, active FROM products \
         WHERE account_id = $1 AND (active = 1 OR $2 = 0) ORDER BY name, id",
    )
    .bind(account_id)
    .bind(i64::from(only_active))
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(
            |(id, name, identifier, unit_amount_cents, currency, active)| Product {
                id,
                name,
                identifier,
                unit_amount_cents,
                currency,
                active: active != 0,
            },
        )
        .collect())
}

/// Checks a tag name.
fn tag_name(name: &str) -> ServiceResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 50 {
        return Err(ServiceError::invalid(
            "name",
            Problem::Length { min: 1, max: 50 },
        ));
    }
    Ok(name.to_string())
}

/// Refuses a tag name the account already has (ignoring case), other than `except`'s own.
async fn check_tag_free(
    db: &Db,
    account_id: AccountId,
    name: &str,
    except: i64,
) -> ServiceResult<()> {
    let existing = tags(db, account_id).await?;
    if existing
        .iter()
        .any(|t| t.id != except && t.name.to_lowercase() == name.to_lowercase())
    {
        return Err(ServiceError::invalid(
            "name",
            Problem::TagExists {
                name: name.to_string(),
            },
        ));
    }
    Ok(())
}

/// Longest lead source name accepted.
pub const MAX_LEAD_SOURCE_LEN: usize = 100;

/// Step: the account's lead source with this name, created when there is none; returns its id.
pub async fn lead_source_named(
    tx: &mut Tx,
    account_id: AccountId,
    name: &str,
) -> ServiceResult<i64> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > MAX_LEAD_SOURCE_LEN {
        return Err(ServiceError::invalid(
            "name",
            Problem::Length {
                min: 1,
                max: MAX_LEAD_SOURCE_LEN,
            },
        ));
    }
    sqlx::query(
        "INSERT INTO lead_sources (account_id, uuid, name, created_at) VALUES ($1, $2, $3, $4) \
         ON CONFLICT (account_id, name) DO NOTHING",
    )
    .bind(account_id)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(name)
    .bind(db::now())
    .execute(&mut **tx)
    .await?;
    let (id,): (i64,) =
        sqlx::query_as("SELECT id FROM lead_sources WHERE account_id = $1 AND name = $2")
            .bind(account_id)
            .bind(name)
            .fetch_one(&mut **tx)
            .await?;
    Ok(id)
}

/// Adds a tag; returns its id.
pub async fn add_tag(db: &Db, by: impl MayConfigure, name: &str) -> ServiceResult<i64> {
    let account_id = by.configurer()?.account_id();
    let name = tag_name(name)?;
    check_tag_free(db, account_id, &name, 0).await?;
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO tags (account_id, uuid, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
    )
    .bind(account_id)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(&name)
    .bind(db::now())
    .fetch_one(&db.pool)
    .await?;
    Ok(id)
}

/// Renames a tag (deals keep it).
pub async fn rename_tag(db: &Db, by: impl MayConfigure, id: i64, name: &str) -> ServiceResult<()> {
    let account_id = by.configurer()?.account_id();
    let name = tag_name(name)?;
    check_tag_free(db, account_id, &name, id).await?;
    let res = sqlx::query("UPDATE tags SET name = $1 WHERE id = $2 AND account_id = $3")
        .bind(&name)
        .bind(id)
        .bind(account_id)
        .execute(&db.pool)
        .await?;
    db::touched(res, "tag")
}

/// Deletes a tag; deals that carried it lose it.
pub async fn delete_tag(db: &Db, by: impl MayConfigure, id: i64) -> ServiceResult<()> {
    let account_id = by.configurer()?.account_id();
    let mut tx = db.begin().await?;
    let res = sqlx::query("DELETE FROM tags WHERE id = $1 AND account_id = $2")
        .bind(id)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    db::touched(res, "tag")?;
    sqlx::query("DELETE FROM deal_tags WHERE tag_id = $1")
        .bind(id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// A product's fields as typed in a form.
#[derive(Debug, Clone, Default)]
pub struct ProductInput {
    pub name: String,
    pub identifier: String,
    /// Decimal, at most two decimals.
    pub unit_amount: String,
    pub currency: String,
}

/// A checked product: name, identifier, unit amount in cents, currency.
fn check_product(input: &ProductInput) -> ServiceResult<(String, String, i64, String)> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 150 {
        return Err(ServiceError::invalid(
            "name",
            Problem::Length { min: 1, max: 150 },
        ));
    }
    let identifier = input.identifier.trim();
    if identifier.chars().count() > 60 {
        return Err(ServiceError::invalid(
            "identifier",
            Problem::TooLong { max: 60 },
        ));
    }
    let cents = match input.unit_amount.trim() {
        "" => 0,
        v => parse_amount(v).map_err(|m| ServiceError::invalid("unit_amount", m))?,
    };
    if cents < 0 {
        return Err(ServiceError::invalid("unit_amount", Problem::NotNegative));
    }
    let currency = match input.currency.trim() {
        "" => "USD".to_string(),
        c => normalize_currency(c).map_err(|m| ServiceError::invalid("currency", m))?,
    };
    Ok((name.to_string(), identifier.to_string(), cents, currency))
}

/// Adds a product to the catalog; returns its id.
pub async fn add_product(
    db: &Db,
    by: impl MayConfigure,
    input: &ProductInput,
) -> ServiceResult<ProductId> {
    let account_id = by.configurer()?.account_id();
    let (name, identifier, cents, currency) = check_product(input)?;
    let now = db::now();
    let (id,): (ProductId,) = sqlx::query_as(
        "INSERT INTO products (account_id, uuid, name, identifier, unit_amount_cents, currency, active, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7) RETURNING id",
    )
    .bind(account_id)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(&name)
    .bind(&identifier)
    .bind(cents)
    .bind(&currency)
    .bind(&now)
    .fetch_one(&db.pool)
    .await?;
    Ok(id)
}

/// Changes a product; deal lines keep the prices they were added with.
pub async fn update_product(
    db: &Db,
    by: impl MayConfigure,
    id: ProductId,
    input: &ProductInput,
) -> ServiceResult<()> {
    change_product(db, by, id, input, None).await
}

/// [`update_product`], retiring or restoring it in the same write when `active` is given.
pub async fn change_product(
    db: &Db,
    by: impl MayConfigure,
    id: ProductId,
    input: &ProductInput,
    active: Option<bool>,
) -> ServiceResult<()> {
    let account_id = by.configurer()?.account_id();
    let (name, identifier, cents, currency) = check_product(input)?;
    let res = sqlx::query(
        "UPDATE products SET name = $1, identifier = $2, unit_amount_cents = $3, currency = $4, \
         active = COALESCE($8, active), updated_at = $5 WHERE id = $6 AND account_id = $7",
    )
    .bind(&name)
    .bind(&identifier)
    .bind(cents)
    .bind(&currency)
    .bind(db::now())
    .bind(id)
    .bind(account_id)
    .bind(active.map(i64::from))
    .execute(&db.pool)
    .await?;
    db::touched(res, "product")
}

/// Retires (`active = false`) or restores a product. Retired products are not offered for new
/// deal lines; lines already on deals stay.
pub async fn set_product_active(
    db: &Db,
    by: impl MayConfigure,
    id: ProductId,
    active: bool,
) -> ServiceResult<()> {
    let account_id = by.configurer()?.account_id();
    let res = sqlx::query(
        "UPDATE products SET active = $1, updated_at = $2 WHERE id = $3 AND account_id = $4",
    )
    .bind(i64::from(active))
    .bind(db::now())
    .bind(id)
    .bind(account_id)
    .execute(&db.pool)
    .await?;
    db::touched(res, "product")
}
