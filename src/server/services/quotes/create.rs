//! New quotes (typed by hand, or from the deal's product lines) and their items.

use crate::domain::money::normalize_currency;
use crate::domain::quote::{is_editable, quote_label, status_word, QuoteDetail};
use crate::domain::{AccountId, DealId, OrganizationId, Problem, ProductId, QuoteId};
use crate::server::db::{self, Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::automations::events::{self, Subject};
use crate::server::services::deals::{self, record_event, EventKind};
use crate::server::services::Actor;

use super::content::{amount, check_content, check_items, Content, Item};
use super::read::get;
use super::status::lock_visible_quote;
use super::{NewItem, NewQuote};

/// A new portal token: 32 random bytes, hex.
pub(super) fn new_token() -> String {
    crate::server::auth::random_hex(32)
}

/// Creates a quote typed by hand for a deal of the actor's account.
pub async fn create(db: &Db, actor: Actor, new: &NewQuote) -> ServiceResult<QuoteDetail> {
    let content = check_content(
        &new.items,
        &new.tax,
        &new.shipping,
        &new.notes,
        new.valid_until.as_deref(),
    )?;
    let currency = match new.currency.trim() {
        "" => None,
        c => Some(normalize_currency(c).map_err(|m| ServiceError::invalid("currency", m))?),
    };
    let mut tx = db.begin().await?;
    let number = next_number(&mut tx, actor).await?;
    deals::lock(&mut tx, actor, new.deal_id).await?;
    let id = insert(&mut tx, actor, new.deal_id, number, currency, &content).await?;
    tx.commit().await?;
    get(db, actor, id).await
}

/// Creates a quote with one item per product line of the deal, in the deal's currency.
pub async fn create_from_deal(
    db: &Db,
    actor: Actor,
    deal_id: DealId,
) -> ServiceResult<QuoteDetail> {
    let mut tx = db.begin().await?;
    let number = next_number(&mut tx, actor).await?;
    deals::lock(&mut tx, actor, deal_id).await?;
    let lines: Vec<(Option<ProductId>, String, String, i64, i64)> = sqlx::query_as(
        "SELECT product_id, product_name, product_identifier, quantity, unit_amount_cents FROM deal_products \
         WHERE deal_id = $1 AND account_id = $2 ORDER BY id",
    )
    .bind(deal_id)
    .bind(actor.account_id)
    .fetch_all(&mut *tx)
    .await?;
    if lines.is_empty() {
        return Err(ServiceError::invalid("items", Problem::NoProductsToQuote));
    }
    let items = lines
        .into_iter()
        .map(|(product_id, name, model, quantity, unit_cents)| Item {
            name,
            model,
            unit_cents,
            quantity,
            discount_bp: 0,
            product_id,
        })
        .collect();
    let content = Content {
        items,
        ..Default::default()
    };
    let id = insert(&mut tx, actor, deal_id, number, None, &content).await?;
    tx.commit().await?;
    get(db, actor, id).await
}

/// Takes the account's next quote number. The account row is the first lock a writer takes
/// (see `deals`), so this comes before the deal's.
async fn next_number(tx: &mut Tx, actor: Actor) -> ServiceResult<i64> {
    let (number,): (i64,) = sqlx::query_as(
        "UPDATE accounts SET next_quote_number = next_quote_number + 1 WHERE id = $1 RETURNING next_quote_number - 1",
    )
    .bind(actor.account_id)
    .fetch_one(&mut **tx)
    .await?;
    Ok(number)
}

/// Writes a new quote numbered `number` of a (locked) deal with its items; returns its id.
pub(super) async fn insert(
    tx: &mut Tx,
    actor: Actor,
    deal_id: DealId,
    number: i64,
    currency: Option<String>,
    content: &Content,
) -> ServiceResult<QuoteId> {
    let deal = deals::find(&mut **tx, actor, deal_id).await?;
    let organization_id = match (deal.organization_id, deal.contact_id) {
        (Some(o), _) => Some(o),
        (None, Some(c)) => {
            let row: Option<(Option<OrganizationId>,)> = sqlx::query_as(
                "SELECT organization_id FROM contacts WHERE id = $1 AND account_id = $2",
            )
            .bind(c)
            .bind(actor.account_id)
            .fetch_optional(&mut **tx)
            .await?;
            row.and_then(|(o,)| o)
        }
        (None, None) => None,
    };
    let totals = content.totals();
    let now = db::now();
    let currency = currency.unwrap_or(deal.currency);
    let (id,): (QuoteId,) = sqlx::query_as(
        "INSERT INTO quotes (account_id, uuid, number, deal_id, contact_id, organization_id, status, currency, \
         subtotal_cents, tax_cents, shipping_cents, total_cents, notes, valid_until, view_count, public_token, \
         created_by_id, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, 'GENERATED', $7, $8, $9, $10, $11, $12, $13, 0, $14, $15, $16, $16) RETURNING id",
    )
    .bind(actor.account_id)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(number)
    .bind(deal_id)
    .bind(deal.contact_id)
    .bind(organization_id)
    .bind(&currency)
    .bind(totals.subtotal_cents)
    .bind(totals.tax_cents)
    .bind(totals.shipping_cents)
    .bind(totals.total_cents)
    .bind(&content.notes)
    .bind(content.valid_until.clone())
    .bind(new_token())
    .bind(actor.user_id)
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?;
    insert_items(tx, actor.account_id, id, &content.items).await?;
    events::emit(
        tx,
        actor.account_id,
        "QUOTE_CREATED",
        Subject::Quote(id),
        serde_json::json!({}),
    )
    .await?;
    let data = serde_json::json!({ "number": number, "total_cents": totals.total_cents, "currency": currency });
    record_event(
        tx,
        actor,
        deal_id,
        EventKind::QuoteCreated,
        (None, None),
        data,
    )
    .await?;
    Ok(id)
}

pub(super) async fn insert_items(
    tx: &mut Tx,
    account_id: AccountId,
    quote_id: QuoteId,
    items: &[Item],
) -> ServiceResult<()> {
    for (position, it) in items.iter().enumerate() {
        sqlx::query(
            "INSERT INTO quote_items (account_id, quote_id, product_id, product_name, model, unit_price_cents, \
             quantity, discount_basis_points, position) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        )
        .bind(account_id)
        .bind(quote_id)
        .bind(it.product_id)
        .bind(&it.name)
        .bind(&it.model)
        .bind(it.unit_cents)
        .bind(it.quantity)
        .bind(it.discount_bp)
        .bind(position as i64)
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}

/// Replaces a draft's items, tax and shipping, recomputing its totals.
pub async fn update_items(
    db: &Db,
    actor: Actor,
    quote_id: QuoteId,
    items: &[NewItem],
    tax: &str,
    shipping: &str,
) -> ServiceResult<QuoteDetail> {
    let items = check_items(items)?;
    let content = Content {
        items,
        tax_cents: amount("tax", tax)?,
        shipping_cents: amount("shipping", shipping)?,
        ..Default::default()
    };
    let mut tx = db.begin().await?;
    let q = lock_visible_quote(&mut tx, actor, quote_id).await?;
    if !is_editable(&q.status) {
        return Err(ServiceError::Conflict(format!(
            "quote {} is {}; only a draft's items can change",
            quote_label(q.number),
            status_word(&q.status).to_lowercase()
        )));
    }
    sqlx::query("DELETE FROM quote_items WHERE quote_id = $1 AND account_id = $2")
        .bind(quote_id)
        .bind(actor.account_id)
        .execute(&mut *tx)
        .await?;
    insert_items(&mut tx, actor.account_id, quote_id, &content.items).await?;
    let totals = content.totals();
    sqlx::query(
        "UPDATE quotes SET subtotal_cents = $1, tax_cents = $2, shipping_cents = $3, total_cents = $4 \
         WHERE id = $5 AND account_id = $6",
    )
    .bind(totals.subtotal_cents)
    .bind(totals.tax_cents)
    .bind(totals.shipping_cents)
    .bind(totals.total_cents)
    .bind(quote_id)
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    tx.commit().await?;
    get(db, actor, quote_id).await
}
