//! Products as a deal's line items. A line keeps its own copy of the product's name and
//! identifier, so retiring or renaming a product never rewrites a deal's history.

use crate::domain::money::parse_amount;
use crate::domain::{DealId, Problem, ProductId};
use crate::server::db::{self, Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::Actor;

use super::{lock, record_event, EventKind};

/// Largest quantity on one line.
pub const MAX_QUANTITY: i64 = 1_000_000;

/// A line to add: the product, how many, and the unit amount as typed (empty takes the
/// product's price).
#[derive(Debug, Clone, Default)]
pub struct NewLine {
    pub product_id: ProductId,
    pub quantity: i64,
    pub unit_amount: String,
}

/// Checks a quantity.
fn check_quantity(quantity: i64) -> ServiceResult<()> {
    if (1..=MAX_QUANTITY).contains(&quantity) {
        Ok(())
    } else {
        Err(ServiceError::invalid(
            "quantity",
            Problem::Range {
                from: 1,
                to: MAX_QUANTITY,
            },
        ))
    }
}

/// Adds a product line to a deal; returns the line's id.
pub async fn add_line(db: &Db, actor: Actor, deal_id: DealId, new: &NewLine) -> ServiceResult<i64> {
    let mut tx = db.begin().await?;
    let id = add(&mut tx, actor, deal_id, new).await?;
    tx.commit().await?;
    Ok(id)
}

/// Step: [`add_line`]. A product no longer sold is refused.
pub(crate) async fn add(
    tx: &mut Tx,
    actor: Actor,
    deal_id: DealId,
    new: &NewLine,
) -> ServiceResult<i64> {
    check_quantity(new.quantity)?;
    let typed_amount = match new.unit_amount.trim() {
        "" => None,
        v => Some(parse_amount(v).map_err(|m| ServiceError::invalid("unit_amount", m))?),
    };
    if typed_amount.is_some_and(|a| a < 0) {
        return Err(ServiceError::invalid("unit_amount", Problem::NotNegative));
    }
    lock(tx, actor, deal_id).await?;
    let product: Option<(String, String, i64, i64)> = sqlx::query_as(
        "SELECT name, identifier, unit_amount_cents, active FROM products WHERE id = $1 AND account_id = $2",
    )
    .bind(new.product_id)
    .bind(actor.account_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((name, identifier, price, active)) = product else {
        return Err(ServiceError::invalid("product_id", Problem::NotFoundHere));
    };
    if active == 0 {
        return Err(ServiceError::invalid(
            "product_id",
            Problem::NoLongerSold { name },
        ));
    }
    let unit = typed_amount.unwrap_or(price);
    let total = unit
        .checked_mul(new.quantity)
        .and_then(|t| crate::domain::money::check_cents(t).ok())
        .ok_or_else(|| ServiceError::invalid("quantity", Problem::LineTotalTooLarge))?;
    let now = db::now();
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO deal_products (account_id, deal_id, product_id, product_name, product_identifier, quantity, \
         unit_amount_cents, total_amount_cents, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(actor.account_id)
    .bind(deal_id)
    .bind(new.product_id)
    .bind(&name)
    .bind(&identifier)
    .bind(new.quantity)
    .bind(unit)
    .bind(total)
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?;
    record_event(
        tx,
        actor,
        deal_id,
        EventKind::ProductAdded,
        (None, None),
        serde_json::json!({ "product": name, "quantity": new.quantity, "total_cents": total }),
    )
    .await?;
    Ok(id)
}

/// Removes a line from a deal.
pub async fn remove_line(
    db: &Db,
    actor: Actor,
    deal_id: DealId,
    line_id: i64,
) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    lock(&mut tx, actor, deal_id).await?;
    let line: Option<(String, i64, i64)> = sqlx::query_as(
        "SELECT product_name, quantity, total_amount_cents FROM deal_products \
         WHERE id = $1 AND deal_id = $2 AND account_id = $3",
    )
    .bind(line_id)
    .bind(deal_id)
    .bind(actor.account_id)
    .fetch_optional(&mut *tx)
    .await?;
    let Some((name, quantity, total)) = line else {
        return Err(ServiceError::NotFound("product line"));
    };
    sqlx::query("DELETE FROM deal_products WHERE id = $1")
        .bind(line_id)
        .execute(&mut *tx)
        .await?;
    record_event(
        &mut tx,
        actor,
        deal_id,
        EventKind::ProductRemoved,
        (None, None),
        serde_json::json!({ "product": name, "quantity": quantity, "total_cents": total }),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
