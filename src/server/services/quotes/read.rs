//! Reading quotes: a deal's list, one quote whole, the account's pages.

use crate::domain::automation::line_cents;
use crate::domain::quote::{QuoteDetail, QuoteItem, QuoteLabel, QuotePage, QuoteSummary};
use crate::domain::{AccountId, DealId, QuoteId};
use crate::server::db::Db;
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::Actor;

use super::labels::account_labels;
use super::status::{check_deal_visible, portal_url};

#[derive(sqlx::FromRow)]
pub(super) struct SummaryRow {
    id: QuoteId,
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
    deal_id: DealId,
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
pub(super) struct Row {
    id: QuoteId,
    number: i64,
    deal_id: Option<DealId>,
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
pub(super) async fn load(
    db: &Db,
    account_id: AccountId,
    quote_id: QuoteId,
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
pub async fn get(db: &Db, actor: Actor, quote_id: QuoteId) -> ServiceResult<QuoteDetail> {
    let quote = load(db, actor.account_id, quote_id, true).await?;
    check_deal_visible(&db.pool, actor, quote.deal_id).await?;
    Ok(quote)
}

/// The quote page's data: the quote, its portal address under `base_url`, and the account's
/// labels.
pub async fn page(
    db: &Db,
    actor: Actor,
    quote_id: QuoteId,
    base_url: &str,
) -> ServiceResult<QuotePage> {
    let quote = get(db, actor, quote_id).await?;
    Ok(QuotePage {
        portal_url: portal_url(base_url, quote.public_token.as_deref().unwrap_or_default()),
        quote,
        account_labels: account_labels(db, actor).await?,
    })
}
