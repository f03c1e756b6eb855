//! Quotes: priced offers made from a deal to its client, numbered per account, sent by e-mail
//! with a link to a public portal where the client accepts or rejects them.
//!
//! Totals are always computed here from the items ([`QuoteTotals::compute`]); nothing sent by a
//! form or an API decides them. Every change is one transaction with its automation event and,
//! when the quote has a deal, a line on the deal's timeline. The portal is authorized by the
//! quote's `public_token` alone (32 random bytes, hex).

use chrono::{DateTime, Utc};

use crate::domain::automation::{line_cents, QuoteTotals};
use crate::domain::dates::parse_date;
use crate::domain::money::{format_money, normalize_currency, parse_amount};
use crate::domain::quote::{
    can_mark_lost, can_mark_won, can_respond, can_send, is_editable, parse_discount, quote_label,
    status_word, QuoteDetail, QuoteItem, QuoteLabel, QuotePage, QuoteSummary,
};
use crate::server::db::{self, Db, Tx};
use crate::server::delivery::mail;
use crate::server::error::{ServiceError, ServiceResult};

use super::automations::events::{self, Subject};
use super::deals::{self, record_event, EventKind};
use super::Actor;

/// Largest quantity on one item.
pub const MAX_QUANTITY: i64 = 1_000_000;
/// Most items on one quote.
pub const MAX_ITEMS: usize = 200;
/// Longest product name of an item.
pub const MAX_NAME_LEN: usize = 150;
/// Longest model of an item.
pub const MAX_MODEL_LEN: usize = 100;
/// Longest notes.
pub const MAX_NOTES_LEN: usize = 5_000;

/// An item as typed: amounts as text, the discount as a percentage (`"12.5"`).
#[derive(Debug, Clone, Default)]
pub struct NewItem {
    pub product_name: String,
    pub model: String,
    pub unit_price: String,
    pub quantity: i64,
    pub discount_pct: String,
}

/// A quote typed by hand for a deal. An empty `currency` takes the deal's.
#[derive(Debug, Clone, Default)]
pub struct NewQuote {
    pub deal_id: i64,
    pub items: Vec<NewItem>,
    pub tax: String,
    pub shipping: String,
    pub notes: String,
    pub valid_until: Option<String>,
    pub currency: String,
}

/// A checked item: name, model, unit cents, quantity, discount basis points, product.
#[derive(Debug, Clone)]
struct Item {
    name: String,
    model: String,
    unit_cents: i64,
    quantity: i64,
    discount_bp: i64,
    product_id: Option<i64>,
}

/// What a quote is made of, checked.
#[derive(Debug, Clone, Default)]
struct Content {
    items: Vec<Item>,
    tax_cents: i64,
    shipping_cents: i64,
    notes: String,
    valid_until: Option<String>,
}

/// A non-negative amount of `field`; empty is 0.
fn amount(field: &str, value: &str) -> ServiceResult<i64> {
    if value.trim().is_empty() {
        return Ok(0);
    }
    let cents = parse_amount(value).map_err(|m| ServiceError::invalid(field, m))?;
    if cents < 0 {
        return Err(ServiceError::invalid(field, "must not be negative"));
    }
    Ok(cents)
}

/// Checks typed items; errors name the field as `items[i].quantity`.
fn check_items(items: &[NewItem]) -> ServiceResult<Vec<Item>> {
    if items.is_empty() {
        return Err(ServiceError::invalid("items", "add at least one item"));
    }
    if items.len() > MAX_ITEMS {
        return Err(ServiceError::invalid(
            "items",
            format!("a quote has at most {MAX_ITEMS} items"),
        ));
    }
    items
        .iter()
        .enumerate()
        .map(|(i, it)| {
            let at = |f: &str| format!("items[{i}].{f}");
            let name = it.product_name.trim();
            if name.is_empty() {
                return Err(ServiceError::invalid(at("product_name"), "is required"));
            }
            if name.chars().count() > MAX_NAME_LEN {
                return Err(ServiceError::invalid(
                    at("product_name"),
                    format!("must have at most {MAX_NAME_LEN} characters"),
                ));
            }
            let model = it.model.trim();
            if model.chars().count() > MAX_MODEL_LEN {
                return Err(ServiceError::invalid(
                    at("model"),
                    format!("must have at most {MAX_MODEL_LEN} characters"),
                ));
            }
            if it.unit_price.trim().is_empty() {
                return Err(ServiceError::invalid(at("unit_price"), "is required"));
            }
            let unit_cents = amount(&at("unit_price"), &it.unit_price)?;
            if !(1..=MAX_QUANTITY).contains(&it.quantity) {
                return Err(ServiceError::invalid(
                    at("quantity"),
                    format!("must be from 1 to {MAX_QUANTITY}"),
                ));
            }
            let discount_bp = parse_discount(&it.discount_pct)
                .map_err(|m| ServiceError::invalid(at("discount_pct"), m))?;
            check_line(&at("quantity"), unit_cents, it.quantity)?;
            Ok(Item {
                name: name.to_string(),
                model: model.to_string(),
                unit_cents,
                quantity: it.quantity,
                discount_bp,
                product_id: None,
            })
        })
        .collect()
}

/// Refuses a line whose gross amount does not fit in cents.
fn check_line(field: &str, unit_cents: i64, quantity: i64) -> ServiceResult<()> {
    unit_cents
        .checked_mul(quantity)
        .map(|_| ())
        .ok_or_else(|| ServiceError::invalid(field, "the line total is too large"))
}

/// Checks notes and the validity date.
fn check_notes_and_date(
    notes: &str,
    valid_until: Option<&str>,
) -> ServiceResult<(String, Option<String>)> {
    let notes = notes.trim();
    if notes.chars().count() > MAX_NOTES_LEN {
        return Err(ServiceError::invalid(
            "notes",
            format!("must have at most {MAX_NOTES_LEN} characters"),
        ));
    }
    let valid_until = match valid_until.map(str::trim) {
        None | Some("") => None,
        Some(v) => Some(
            parse_date(v)
                .ok_or_else(|| {
                    ServiceError::invalid(
                        "valid_until",
                        format!("\"{v}\" is not a date (YYYY-MM-DD)"),
                    )
                })?
                .format("%Y-%m-%d")
                .to_string(),
        ),
    };
    Ok((notes.to_string(), valid_until))
}

/// Checks everything typed for a quote.
fn check_content(
    items: &[NewItem],
    tax: &str,
    shipping: &str,
    notes: &str,
    valid_until: Option<&str>,
) -> ServiceResult<Content> {
    let items = check_items(items)?;
    let tax_cents = amount("tax", tax)?;
    let shipping_cents = amount("shipping", shipping)?;
    let (notes, valid_until) = check_notes_and_date(notes, valid_until)?;
    Ok(Content {
        items,
        tax_cents,
        shipping_cents,
        notes,
        valid_until,
    })
}

impl Content {
    fn totals(&self) -> QuoteTotals {
        let lines: Vec<(i64, i64, i64)> = self
            .items
            .iter()
            .map(|i| (i.unit_cents, i.quantity, i.discount_bp))
            .collect();
        QuoteTotals::compute(&lines, self.tax_cents, self.shipping_cents)
    }
}

/// A new portal token: 32 random bytes, hex.
fn new_token() -> String {
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
    deals::lock(&mut tx, actor, new.deal_id).await?;
    let id = insert(&mut tx, actor, new.deal_id, currency, &content).await?;
    tx.commit().await?;
    get(db, actor, id).await
}

/// Creates a quote with one item per product line of the deal, in the deal's currency.
pub async fn create_from_deal(db: &Db, actor: Actor, deal_id: i64) -> ServiceResult<QuoteDetail> {
    let mut tx = db.begin().await?;
    deals::lock(&mut tx, actor, deal_id).await?;
    let lines: Vec<(Option<i64>, String, String, i64, i64)> = sqlx::query_as(
        "SELECT product_id, product_name, product_identifier, quantity, unit_amount_cents FROM deal_products \
         WHERE deal_id = $1 AND account_id = $2 ORDER BY id",
    )
    .bind(deal_id)
    .bind(actor.account_id)
    .fetch_all(&mut *tx)
    .await?;
    if lines.is_empty() {
        return Err(ServiceError::invalid(
            "items",
            "the deal has no products to quote; add products or write the quote by hand",
        ));
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
    let id = insert(&mut tx, actor, deal_id, None, &content).await?;
    tx.commit().await?;
    get(db, actor, id).await
}

/// Writes a new quote of a (locked) deal with its items; returns its id.
async fn insert(
    tx: &mut Tx,
    actor: Actor,
    deal_id: i64,
    currency: Option<String>,
    content: &Content,
) -> ServiceResult<i64> {
    let deal = deals::find(&mut **tx, actor, deal_id).await?;
    let organization_id = match (deal.organization_id, deal.contact_id) {
        (Some(o), _) => Some(o),
        (None, Some(c)) => {
            let row: Option<(Option<i64>,)> = sqlx::query_as(
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
    let (number,): (i64,) = sqlx::query_as(
        "UPDATE accounts SET next_quote_number = next_quote_number + 1 WHERE id = $1 RETURNING next_quote_number - 1",
    )
    .bind(actor.account_id)
    .fetch_one(&mut **tx)
    .await?;
    let totals = content.totals();
    let now = db::now();
    let currency = currency.unwrap_or(deal.currency);
    let (id,): (i64,) = sqlx::query_as(
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

async fn insert_items(
    tx: &mut Tx,
    account_id: i64,
    quote_id: i64,
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
    quote_id: i64,
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
    let q = lock_quote(&mut tx, actor.account_id, quote_id).await?;
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

/// What a transition needs to know of a locked quote.
#[derive(Debug, Clone, sqlx::FromRow)]
struct Locked {
    number: i64,
    status: String,
    deal_id: Option<i64>,
}

/// Stamps `updated_at` as the transaction's first write (so concurrent changes of one quote
/// queue up) and reads the quote; "not found" for another account's quote.
async fn lock_quote(tx: &mut Tx, account_id: i64, quote_id: i64) -> ServiceResult<Locked> {
    let res = sqlx::query("UPDATE quotes SET updated_at = $1 WHERE id = $2 AND account_id = $3")
        .bind(db::now())
        .bind(quote_id)
        .bind(account_id)
        .execute(&mut **tx)
        .await?;
    if res.rows_affected() == 0 {
        return Err(ServiceError::NotFound("quote"));
    }
    Ok(
        sqlx::query_as("SELECT number, status, deal_id FROM quotes WHERE id = $1")
            .bind(quote_id)
            .fetch_one(&mut **tx)
            .await?,
    )
}

/// Moves a locked quote to `to` when `allowed` says its status may, with the event and the
/// deal's timeline entry.
async fn transition(
    tx: &mut Tx,
    actor: Actor,
    quote_id: i64,
    allowed: fn(&str) -> bool,
    to: &str,
) -> ServiceResult<Locked> {
    let q = lock_quote(tx, actor.account_id, quote_id).await?;
    if !allowed(&q.status) {
        return Err(ServiceError::Conflict(format!(
            "quote {} is {}; it cannot be marked {}",
            quote_label(q.number),
            status_word(&q.status).to_lowercase(),
            status_word(to).to_lowercase()
        )));
    }
    sqlx::query("UPDATE quotes SET status = $1 WHERE id = $2 AND account_id = $3")
        .bind(to)
        .bind(quote_id)
        .bind(actor.account_id)
        .execute(&mut **tx)
        .await?;
    let trigger = format!("QUOTE_{to}");
    events::emit(
        tx,
        actor.account_id,
        &trigger,
        Subject::Quote(quote_id),
        serde_json::json!({ "from": q.status }),
    )
    .await?;
    if let Some(deal_id) = q.deal_id {
        let kind = EventKind::quote_reached(to).ok_or_else(|| {
            ServiceError::Internal(format!("no deal event for quote status {to}"))
        })?;
        let data = serde_json::json!({ "number": q.number });
        record_event(tx, actor, deal_id, kind, (None, None), data).await?;
    }
    Ok(q)
}

/// Sends a draft (or re-sends a sent quote) to the client by e-mail with the portal link
/// `{base_url}/q/{token}`; refused when the client has no e-mail address.
pub async fn send(
    db: &Db,
    actor: Actor,
    quote_id: i64,
    base_url: &str,
) -> ServiceResult<QuoteDetail> {
    let mut tx = db.begin().await?;
    let q = lock_quote(&mut tx, actor.account_id, quote_id).await?;
    if !can_send(&q.status) {
        return Err(ServiceError::Conflict(format!(
            "quote {} is {}; it can no longer be sent",
            quote_label(q.number),
            status_word(&q.status).to_lowercase()
        )));
    }
    let (token, currency, total, valid_until, seller, client, email): (
        String,
        String,
        i64,
        Option<String>,
        String,
        Option<String>,
        Option<String>,
    ) = sqlx::query_as(
        "SELECT q.public_token, q.currency, q.total_cents, q.valid_until, a.name, c.full_name, c.email \
         FROM quotes q JOIN accounts a ON a.id = q.account_id LEFT JOIN contacts c ON c.id = q.contact_id \
         WHERE q.id = $1 AND q.account_id = $2",
    )
    .bind(quote_id)
    .bind(actor.account_id)
    .fetch_one(&mut *tx)
    .await?;
    let Some(email) = email
        .map(|e| e.trim().to_string())
        .filter(|e| !e.is_empty())
    else {
        return Err(ServiceError::invalid(
            "client_email",
            "the client has no e-mail address; add one to the deal's contact first",
        ));
    };
    sqlx::query(
        "UPDATE quotes SET status = 'SENT', sent_at = $1 WHERE id = $2 AND account_id = $3",
    )
    .bind(db::now())
    .bind(quote_id)
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    let label = quote_label(q.number);
    let link = portal_url(base_url, &token);
    let greeting = client
        .filter(|c| !c.trim().is_empty())
        .unwrap_or_else(|| "there".into());
    let validity = valid_until
        .map(|d| format!(", valid until {d}"))
        .unwrap_or_default();
    let body = format!(
        "Hello {greeting},\n\n{seller} sent you quote {label} for {}{validity}.\n\n\
         See it, and accept or reject it, here:\n{link}\n",
        format_money(total, &currency)
    );
    mail::queue(
        &mut tx,
        actor.account_id,
        &email,
        &format!("Quote {label} from {seller}"),
        &body,
    )
    .await?;
    events::emit(
        &mut tx,
        actor.account_id,
        "QUOTE_SENT",
        Subject::Quote(quote_id),
        serde_json::json!({}),
    )
    .await?;
    if let Some(deal_id) = q.deal_id {
        let data = serde_json::json!({ "number": q.number, "to": email });
        record_event(
            &mut tx,
            actor,
            deal_id,
            EventKind::QuoteSent,
            (None, None),
            data,
        )
        .await?;
    }
    tx.commit().await?;
    get(db, actor, quote_id).await
}

/// The portal address of a token.
pub fn portal_url(base_url: &str, token: &str) -> String {
    format!("{}/q/{token}", base_url.trim_end_matches('/'))
}

/// Marks a quote won (from draft, sent or accepted).
pub async fn mark_won(db: &Db, actor: Actor, quote_id: i64) -> ServiceResult<QuoteDetail> {
    let mut tx = db.begin().await?;
    transition(&mut tx, actor, quote_id, can_mark_won, "WON").await?;
    tx.commit().await?;
    get(db, actor, quote_id).await
}

/// Marks a quote lost (from draft, sent, accepted or rejected).
pub async fn mark_lost(db: &Db, actor: Actor, quote_id: i64) -> ServiceResult<QuoteDetail> {
    let mut tx = db.begin().await?;
    transition(&mut tx, actor, quote_id, can_mark_lost, "LOST").await?;
    tx.commit().await?;
    get(db, actor, quote_id).await
}

/// Puts one of the account's labels on a quote (again is a no-op).
pub async fn add_label(db: &Db, actor: Actor, quote_id: i64, label_id: i64) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    lock_quote(&mut tx, actor.account_id, quote_id).await?;
    super::deals::check_in_account(&mut *tx, "labels", label_id, actor.account_id, "label_id")
        .await?;
    let present: Option<(i64,)> =
        sqlx::query_as("SELECT label_id FROM quote_labels WHERE quote_id = $1 AND label_id = $2")
            .bind(quote_id)
            .bind(label_id)
            .fetch_optional(&mut *tx)
            .await?;
    if present.is_none() {
        sqlx::query("INSERT INTO quote_labels (quote_id, label_id) VALUES ($1, $2)")
            .bind(quote_id)
            .bind(label_id)
            .execute(&mut *tx)
            .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// Takes a label off a quote.
pub async fn remove_label(
    db: &Db,
    actor: Actor,
    quote_id: i64,
    label_id: i64,
) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    lock_quote(&mut tx, actor.account_id, quote_id).await?;
    sqlx::query("DELETE FROM quote_labels WHERE quote_id = $1 AND label_id = $2")
        .bind(quote_id)
        .bind(label_id)
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// The account's labels, by name.
pub async fn account_labels(db: &Db, actor: Actor) -> ServiceResult<Vec<QuoteLabel>> {
    let rows: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT id, name, color FROM labels WHERE account_id = $1 ORDER BY name, id",
    )
    .bind(actor.account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, color)| QuoteLabel { id, name, color })
        .collect())
}

#[derive(sqlx::FromRow)]
struct SummaryRow {
    id: i64,
    number: i64,
    status: String,
    currency: String,
    total_cents: i64,
    view_count: i64,
    valid_until: Option<String>,
    sent_at: Option<String>,
    created_at: String,
}

/// The quotes of a deal, newest first.
pub async fn list_for_deal(
    db: &Db,
    actor: Actor,
    deal_id: i64,
) -> ServiceResult<Vec<QuoteSummary>> {
    let rows: Vec<SummaryRow> = sqlx::query_as(
        "SELECT id, number, status, currency, total_cents, view_count, valid_until, sent_at, created_at \
         FROM quotes WHERE deal_id = $1 AND account_id = $2 ORDER BY number DESC",
    )
    .bind(deal_id)
    .bind(actor.account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|r| QuoteSummary {
            id: r.id,
            number: r.number,
            status: r.status,
            currency: r.currency,
            total_cents: r.total_cents,
            view_count: r.view_count,
            valid_until: r.valid_until,
            sent_at: r.sent_at,
            created_at: r.created_at,
        })
        .collect())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: i64,
    number: i64,
    deal_id: Option<i64>,
    deal_title: Option<String>,
    seller_name: String,
    status: String,
    currency: String,
    client_name: Option<String>,
    client_company: Option<String>,
    client_email: Option<String>,
    subtotal_cents: i64,
    tax_cents: i64,
    shipping_cents: i64,
    total_cents: i64,
    notes: String,
    valid_until: Option<String>,
    view_count: i64,
    sent_at: Option<String>,
    created_at: String,
    public_token: String,
}

/// Loads a quote of an account; the token is left out unless `with_token`.
async fn load(
    db: &Db,
    account_id: i64,
    quote_id: i64,
    with_token: bool,
) -> ServiceResult<QuoteDetail> {
    let r: Row = sqlx::query_as(
        "SELECT q.id, q.number, q.deal_id, d.title AS deal_title, a.name AS seller_name, q.status, q.currency, \
         c.full_name AS client_name, o.name AS client_company, c.email AS client_email, q.subtotal_cents, \
         q.tax_cents, q.shipping_cents, q.total_cents, q.notes, q.valid_until, q.view_count, q.sent_at, \
         q.created_at, q.public_token \
         FROM quotes q JOIN accounts a ON a.id = q.account_id LEFT JOIN deals d ON d.id = q.deal_id \
         LEFT JOIN contacts c ON c.id = q.contact_id LEFT JOIN organizations o ON o.id = q.organization_id \
         WHERE q.id = $1 AND q.account_id = $2",
    )
    .bind(quote_id)
    .bind(account_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(ServiceError::NotFound("quote"))?;
    let items: Vec<(i64, String, String, i64, i64, i64)> = sqlx::query_as(
        "SELECT id, product_name, model, unit_price_cents, quantity, discount_basis_points FROM quote_items \
         WHERE quote_id = $1 AND account_id = $2 ORDER BY position, id",
    )
    .bind(quote_id)
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    let labels: Vec<(i64, String, String)> = sqlx::query_as(
        "SELECT l.id, l.name, l.color FROM quote_labels ql JOIN labels l ON l.id = ql.label_id \
         WHERE ql.quote_id = $1 AND l.account_id = $2 ORDER BY l.name, l.id",
    )
    .bind(quote_id)
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(QuoteDetail {
        id: r.id,
        number: r.number,
        deal_id: r.deal_id,
        deal_title: r.deal_title,
        seller_name: r.seller_name,
        status: r.status,
        currency: r.currency,
        client_name: r.client_name,
        client_company: r.client_company,
        client_email: r.client_email,
        items: items
            .into_iter()
            .map(|(id, product_name, model, unit, quantity, bp)| QuoteItem {
                id,
                product_name,
                model,
                unit_price_cents: unit,
                quantity,
                discount_basis_points: bp,
                line_total_cents: line_cents(unit, quantity, bp),
            })
            .collect(),
        labels: labels
            .into_iter()
            .map(|(id, name, color)| QuoteLabel { id, name, color })
            .collect(),
        subtotal_cents: r.subtotal_cents,
        tax_cents: r.tax_cents,
        shipping_cents: r.shipping_cents,
        total_cents: r.total_cents,
        notes: r.notes,
        valid_until: r.valid_until,
        view_count: r.view_count,
        sent_at: r.sent_at,
        created_at: r.created_at,
        public_token: with_token.then_some(r.public_token),
    })
}

/// A quote of the actor's account, with its portal token.
pub async fn get(db: &Db, actor: Actor, quote_id: i64) -> ServiceResult<QuoteDetail> {
    load(db, actor.account_id, quote_id, true).await
}

/// The quote page's data: the quote, its portal address under `base_url`, and the account's
/// labels.
pub async fn page(
    db: &Db,
    actor: Actor,
    quote_id: i64,
    base_url: &str,
) -> ServiceResult<QuotePage> {
    let quote = get(db, actor, quote_id).await?;
    Ok(QuotePage {
        portal_url: portal_url(base_url, quote.public_token.as_deref().unwrap_or_default()),
        quote,
        account_labels: account_labels(db, actor).await?,
    })
}

/// The quote behind a portal token: (account, quote id). Unknown tokens are "not found".
async fn by_token(db: &Db, token: &str) -> ServiceResult<(i64, i64)> {
    let token = token.trim();
    if token.len() != 64 || !token.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(ServiceError::NotFound("quote"));
    }
    let row: Option<(i64, i64)> =
        sqlx::query_as("SELECT account_id, id FROM quotes WHERE public_token = $1")
            .bind(token)
            .fetch_optional(&db.pool)
            .await?;
    row.ok_or(ServiceError::NotFound("quote"))
}

/// The portal's view of a quote (without its token), counting one view and emitting
/// `QUOTE_VIEWED`.
pub async fn portal_view(db: &Db, token: &str) -> ServiceResult<QuoteDetail> {
    let (account_id, quote_id) = by_token(db, token).await?;
    let mut tx = db.begin().await?;
    sqlx::query("UPDATE quotes SET view_count = view_count + 1 WHERE id = $1 AND account_id = $2")
        .bind(quote_id)
        .bind(account_id)
        .execute(&mut *tx)
        .await?;
    events::emit(
        &mut tx,
        account_id,
        "QUOTE_VIEWED",
        Subject::Quote(quote_id),
        serde_json::json!({}),
    )
    .await?;
    tx.commit().await?;
    load(db, account_id, quote_id, false).await
}

/// The portal's view of a quote without counting a view (after the client's choice).
pub async fn portal_get(db: &Db, token: &str) -> ServiceResult<QuoteDetail> {
    let (account_id, quote_id) = by_token(db, token).await?;
    load(db, account_id, quote_id, false).await
}

/// The client accepts a sent quote on the portal.
pub async fn portal_accept(db: &Db, token: &str) -> ServiceResult<QuoteDetail> {
    portal_answer(db, token, "ACCEPTED").await
}

/// The client rejects a sent quote on the portal.
pub async fn portal_reject(db: &Db, token: &str) -> ServiceResult<QuoteDetail> {
    portal_answer(db, token, "REJECTED").await
}

async fn portal_answer(db: &Db, token: &str, to: &str) -> ServiceResult<QuoteDetail> {
    let (account_id, quote_id) = by_token(db, token).await?;
    let client = Actor {
        account_id,
        user_id: None,
    };
    let mut tx = db.begin().await?;
    let q = lock_quote(&mut tx, account_id, quote_id).await?;
    if !can_respond(&q.status) {
        return Err(ServiceError::Conflict(format!(
            "this quote is {} and can no longer be accepted or rejected",
            status_word(&q.status).to_lowercase()
        )));
    }
    transition(&mut tx, client, quote_id, can_respond, to).await?;
    tx.commit().await?;
    load(db, account_id, quote_id, false).await
}

/// Emits `QUOTE_EXPIRING` once for every open quote (draft, sent or accepted) whose validity
/// ends within 24 hours of `now`. A quote is valid through the end of its `valid_until` day
/// (UTC), so these are the quotes valid until today. The conditional update claims each quote
/// once, even with several instances running; returns how many were marked.
pub async fn emit_expiring(db: &Db, now: DateTime<Utc>) -> ServiceResult<usize> {
    let today = now.date_naive().format("%Y-%m-%d").to_string();
    let mut tx = db.begin().await?;
    let claimed: Vec<(i64, i64)> = sqlx::query_as(
        "UPDATE quotes SET expiring_notified_at = $1 WHERE expiring_notified_at IS NULL \
         AND valid_until = $2 AND status IN ('GENERATED', 'SENT', 'ACCEPTED') RETURNING id, account_id",
    )
    .bind(db::ts(now))
    .bind(&today)
    .fetch_all(&mut *tx)
    .await?;
    for (quote_id, account_id) in &claimed {
        events::emit(
            &mut tx,
            *account_id,
            "QUOTE_EXPIRING",
            Subject::Quote(*quote_id),
            serde_json::json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(claimed.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(name: &str, unit: &str, quantity: i64, discount: &str) -> NewItem {
        NewItem {
            product_name: name.into(),
            model: String::new(),
            unit_price: unit.into(),
            quantity,
            discount_pct: discount.into(),
        }
    }

    fn field(r: ServiceResult<Content>) -> String {
        match r {
            Err(ServiceError::Validation { field, .. }) => field,
            other => panic!("expected a validation error, got {other:?}"),
        }
    }

    #[test]
    fn content_is_checked_field_by_field() {
        let ok = item("A", "10", 1, "");
        assert_eq!(field(check_content(&[], "", "", "", None)), "items");
        let bad_qty = [ok.clone(), ok.clone(), item("C", "1", 0, "")];
        assert_eq!(
            field(check_content(&bad_qty, "", "", "", None)),
            "items[2].quantity"
        );
        assert_eq!(
            field(check_content(&[item("", "1", 1, "")], "", "", "", None)),
            "items[0].product_name"
        );
        assert_eq!(
            field(check_content(&[item("A", "-1", 1, "")], "", "", "", None)),
            "items[0].unit_price"
        );
        assert_eq!(
            field(check_content(
                &[item("A", "1", 1, "100.5")],
                "",
                "",
                "",
                None
            )),
            "items[0].discount_pct"
        );
        assert_eq!(
            field(check_content(std::slice::from_ref(&ok), "-2", "", "", None)),
            "tax"
        );
        assert_eq!(
            field(check_content(std::slice::from_ref(&ok), "", "x", "", None)),
            "shipping"
        );
        assert_eq!(
            field(check_content(
                std::slice::from_ref(&ok),
                "",
                "",
                "",
                Some("31/12/2026")
            )),
            "valid_until"
        );
        let long = "n".repeat(MAX_NOTES_LEN + 1);
        assert_eq!(
            field(check_content(
                std::slice::from_ref(&ok),
                "",
                "",
                &long,
                None
            )),
            "notes"
        );
        let c = check_content(
            &[item("A", "10.01", 3, "12.5")],
            "1.5",
            "2",
            " hi ",
            Some("2026-12-31"),
        )
        .expect("valid");
        // 30.03 × 87.5 % = 26.27625 → 26.28
        assert_eq!(c.totals().subtotal_cents, 2628);
        assert_eq!(c.totals().total_cents, 2628 + 150 + 200);
        assert_eq!(c.notes, "hi");
        assert_eq!(c.valid_until.as_deref(), Some("2026-12-31"));
    }
}
