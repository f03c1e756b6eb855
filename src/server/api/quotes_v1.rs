//! `/v1/opportunities/{id}/quotes` and `/v1/quotes/{id}` — an opportunity's quotes
//! (`quote_…`): list, create (items typed, or one per product line of the opportunity), change
//! a draft's items, send to the client, mark won or lost, label; through the same service as
//! the deal and quote pages, so sending fires `QUOTE_SENT` (and the client's answer on the
//! portal `QUOTE_ACCEPTED` / `QUOTE_REJECTED`) exactly as there. Reads need
//! `opportunities:read`, changes `opportunities:write`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Key, OpportunitiesRead, OpportunitiesWrite};
use super::body::{de, Body};
use super::doc::{AuthErrors, BodyErrors, Conflict, NotFound, SALES};
use super::error::ApiError;
use super::sales_v1::deal_of;
use crate::domain::money::cents_to_f64;
use crate::domain::public_id::public_id;
use crate::domain::quote::{format_discount, quote_label, QuoteDetail};
use crate::domain::QuoteId;
use crate::server::db::api_ts;
use crate::server::paths::public_base_url;
use crate::server::services::quotes::{self, NewItem, NewQuote};
use crate::server::services::Actor;
use crate::server::AppState;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read, change_items))
        .routes(routes!(send))
        .routes(routes!(mark_won))
        .routes(routes!(mark_lost))
        .routes(routes!(add_label, remove_label))
}

/// One line of a quote.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteLine {
    #[schema(example = "Seat licence")]
    pub product_name: String,
    #[schema(example = "PRO-1Y")]
    pub model: String,
    /// In the currency's units.
    #[schema(example = 120.0)]
    pub unit_price: f64,
    #[schema(example = 10)]
    pub quantity: i64,
    /// Percent, up to 2 decimals.
    #[schema(example = "12.5")]
    pub discount_pct: String,
    /// After the discount, in the currency's units.
    #[schema(example = 1050.0)]
    pub line_total: f64,
}

/// A label on a quote.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteLabelView {
    #[schema(example = "3")]
    pub id: String,
    pub name: String,
    #[schema(example = "#0ea5e9")]
    pub color: String,
}

/// A quote as the API shows it. Totals are always computed from the items.
#[derive(Debug, Serialize, ToSchema)]
pub struct Quote {
    #[schema(example = "quote_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812")]
    pub id: String,
    #[schema(example = 42)]
    pub number: i64,
    #[schema(example = "COT-0042")]
    pub label: String,
    /// The opportunity (`opp_…`).
    pub opportunity_id: Option<String>,
    /// `GENERATED` (draft), `SENT`, `ACCEPTED`, `REJECTED`, `WON` or `LOST`.
    #[schema(example = "SENT")]
    pub status: String,
    #[schema(example = "USD")]
    pub currency: String,
    pub client_name: Option<String>,
    pub client_company: Option<String>,
    pub client_email: Option<String>,
    pub items: Vec<QuoteLine>,
    pub labels: Vec<QuoteLabelView>,
    pub subtotal: f64,
    pub tax: f64,
    pub shipping: f64,
    pub total: f64,
    pub notes: String,
    /// `YYYY-MM-DD`; valid through the end of that day (UTC).
    pub valid_until: Option<String>,
    /// How often the client opened the portal.
    pub view_count: i64,
    /// ISO 8601, UTC.
    pub sent_at: Option<String>,
    pub created_at: String,
    /// Where the client sees, accepts or rejects it.
    pub portal_url: String,
}

/// An opportunity's quotes, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct QuoteList {
    pub data: Vec<Quote>,
}

/// An item as sent: amounts as numbers or numeric strings.
#[derive(Debug, Deserialize, ToSchema)]
pub struct QuoteItemBody {
    /// 1 to 150 characters.
    product_name: String,
    #[serde(default)]
    model: String,
    /// Not negative, at most 2 decimals.
    #[serde(deserialize_with = "de::amount_text")]
    #[schema(value_type = f64, example = 120.0)]
    unit_price: String,
    /// 1 to 1 000 000 (default 1).
    #[serde(default = "one")]
    quantity: i64,
    /// Percent, 0 to 100 with at most 2 decimals (default 0).
    #[serde(default, deserialize_with = "de::amount_text")]
    #[schema(value_type = Option<f64>, example = 12.5)]
    discount_pct: String,
}

fn one() -> i64 {
    1
}

/// A quote to create: `items` typed (at least one), or `from_products` to make one item per
/// product line of the opportunity.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"items": [{"product_name": "Seat licence", "unit_price": 120, "quantity": 10, "discount_pct": 5}], "tax": 50, "valid_until": "2026-12-31"}))]
pub struct NewQuoteBody {
    #[serde(default)]
    from_products: bool,
    #[serde(default)]
    items: Vec<QuoteItemBody>,
    #[serde(default, deserialize_with = "de::amount_text")]
    #[schema(value_type = Option<f64>)]
    tax: String,
    #[serde(default, deserialize_with = "de::amount_text")]
    #[schema(value_type = Option<f64>)]
    shipping: String,
    #[serde(default)]
    notes: String,
    /// `YYYY-MM-DD`.
    #[serde(default)]
    valid_until: Option<String>,
    /// ISO 4217; by default the opportunity's.
    #[serde(default)]
    currency: String,
}

/// A draft's new items, tax and shipping (they replace the old ones).
#[derive(Debug, Deserialize, ToSchema)]
pub struct QuoteItemsBody {
    items: Vec<QuoteItemBody>,
    #[serde(default, deserialize_with = "de::amount_text")]
    #[schema(value_type = Option<f64>)]
    tax: String,
    #[serde(default, deserialize_with = "de::amount_text")]
    #[schema(value_type = Option<f64>)]
    shipping: String,
}

fn items_of(items: Vec<QuoteItemBody>) -> Vec<NewItem> {
    items
        .into_iter()
        .map(|i| NewItem {
            product_name: i.product_name,
            model: i.model,
            unit_price: i.unit_price,
            quantity: i.quantity,
            discount_pct: i.discount_pct,
        })
        .collect()
}

/// The account's quote a public id names; "not found" otherwise (and for a quote of a deal
/// the key's user may not see, which the services refuse as not found).
async fn quote_of(state: &AppState, actor: Actor, id: &str) -> Result<QuoteId, ApiError> {
    super::record_of(state, actor, ("quotes", "quote", "quote"), id)
        .await
        .map(QuoteId)
}

/// A quote as the API shows it, its portal under `base`.
async fn view(state: &AppState, q: QuoteDetail, base: &str) -> Result<Quote, ApiError> {
    let (uuid, deal_uuid): (String, Option<String>) = sqlx::query_as(
        "SELECT q.uuid, d.uuid FROM quotes q LEFT JOIN deals d ON d.id = q.deal_id WHERE q.id = $1",
    )
    .bind(q.id)
    .fetch_one(&state.db.pool)
    .await
    .map_err(crate::server::ServiceError::from)?;
    Ok(Quote {
        id: public_id("quote", &uuid),
        number: q.number,
        label: quote_label(q.number),
        opportunity_id: deal_uuid.as_deref().map(|u| public_id("opp", u)),
        status: q.status,
        currency: q.currency,
        client_name: q.client_name,
        client_company: q.client_company,
        client_email: q.client_email,
        items: q
            .items
            .into_iter()
            .map(|i| QuoteLine {
                product_name: i.product_name,
                model: i.model,
                unit_price: cents_to_f64(i.unit_price_cents),
                quantity: i.quantity,
                discount_pct: format_discount(i.discount_basis_points),
                line_total: cents_to_f64(i.line_total_cents),
            })
            .collect(),
        labels: q
            .labels
            .into_iter()
            .map(|l| QuoteLabelView {
                id: l.id.to_string(),
                name: l.name,
                color: l.color,
            })
            .collect(),
        subtotal: cents_to_f64(q.subtotal_cents),
        tax: cents_to_f64(q.tax_cents),
        shipping: cents_to_f64(q.shipping_cents),
        total: cents_to_f64(q.total_cents),
        notes: q.notes,
        valid_until: q.valid_until,
        view_count: q.view_count,
        sent_at: q.sent_at.as_deref().map(api_ts),
        created_at: api_ts(&q.created_at),
        portal_url: quotes::portal_url(base, q.public_token.as_deref().unwrap_or_default()),
    })
}

/// The quote as it is now, as the answer to a request.
async fn answer(
    state: &AppState,
    actor: Actor,
    headers: &HeaderMap,
    id: QuoteId,
) -> Result<Json<Quote>, ApiError> {
    let quote = quotes::get(&state.db, actor, id).await?;
    Ok(Json(view(state, quote, &public_base_url(headers)).await?))
}

/// The opportunity's quotes, newest first.
#[utoipa::path(get, path = "/v1/opportunities/{id}/quotes", tag = SALES,
    operation_id = "listQuotes",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)")),
    responses(
        (status = 200, description = "The quotes", body = QuoteList),
        NotFound, AuthErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<QuoteList>, ApiError> {
    let actor = key.actor();
    let deal_id = deal_of(&state, actor, &id).await?;
    let base = public_base_url(&headers);
    let mut data = Vec::new();
    for summary in quotes::list_for_deal(&state.db, actor, deal_id).await? {
        let quote = quotes::get(&state.db, actor, summary.id).await?;
        data.push(view(&state, quote, &base).await?);
    }
    Ok(Json(QuoteList { data }))
}

/// Creates a draft quote for the opportunity, addressed to its contact.
#[utoipa::path(post, path = "/v1/opportunities/{id}/quotes", tag = SALES,
    operation_id = "createQuote",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)")),
    request_body = NewQuoteBody,
    responses(
        (status = 201, description = "The new quote", body = Quote),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn create(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body<NewQuoteBody>,
) -> Result<(StatusCode, Json<Quote>), ApiError> {
    let actor = key.actor();
    let deal_id = deal_of(&state, actor, &id).await?;
    let body = body.value()?;
    let quote = if body.from_products {
        if !body.items.is_empty() {
            return Err(ApiError::invalid(
                "items",
                "leave out items when from_products is true",
            ));
        }
        quotes::create_from_deal(&state.db, actor, deal_id).await?
    } else {
        let new = NewQuote {
            deal_id,
            items: items_of(body.items),
            tax: body.tax,
            shipping: body.shipping,
            notes: body.notes,
            valid_until: body.valid_until,
            currency: body.currency,
        };
        quotes::create(&state.db, actor, &new).await?
    };
    let base = public_base_url(&headers);
    Ok((StatusCode::CREATED, Json(view(&state, quote, &base).await?)))
}

/// One quote with its items, totals, status and portal address.
#[utoipa::path(get, path = "/v1/quotes/{id}", tag = SALES, operation_id = "getQuote",
    params(("id" = String, Path, description = "Quote id (`quote_…`)")),
    responses(
        (status = 200, description = "The quote", body = Quote),
        NotFound, AuthErrors,
    ))]
pub async fn read(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Quote>, ApiError> {
    let actor = key.actor();
    let id = quote_of(&state, actor, &id).await?;
    answer(&state, actor, &headers, id).await
}

/// Replaces a draft's items, tax and shipping (409 once it is sent).
#[utoipa::path(put, path = "/v1/quotes/{id}", tag = SALES, operation_id = "updateQuoteItems",
    params(("id" = String, Path, description = "Quote id (`quote_…`)")),
    request_body = QuoteItemsBody,
    responses(
        (status = 200, description = "The quote after the change", body = Quote),
        BodyErrors, Conflict, NotFound, AuthErrors,
    ))]
pub async fn change_items(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body<QuoteItemsBody>,
) -> Result<Json<Quote>, ApiError> {
    let actor = key.actor();
    let id = quote_of(&state, actor, &id).await?;
    let body = body.value()?;
    let items = items_of(body.items);
    quotes::update_items(&state.db, actor, id, &items, &body.tax, &body.shipping).await?;
    answer(&state, actor, &headers, id).await
}

/// E-mails the quote to its client with the portal link; it becomes `SENT` and fires
/// `QUOTE_SENT`. Refused (422 `client_email`) when the client has no e-mail address, and
/// (409) once the client answered or the quote was closed.
#[utoipa::path(post, path = "/v1/quotes/{id}/send", tag = SALES, operation_id = "sendQuote",
    params(("id" = String, Path, description = "Quote id (`quote_…`)")),
    responses(
        (status = 200, description = "The quote, sent", body = Quote),
        BodyErrors, Conflict, NotFound, AuthErrors,
    ))]
pub async fn send(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Quote>, ApiError> {
    let actor = key.actor();
    let id = quote_of(&state, actor, &id).await?;
    let base = public_base_url(&headers);
    let quote = quotes::send(&state.db, actor, id, &base).await?;
    Ok(Json(view(&state, quote, &base).await?))
}

/// Marks the quote won (from draft, sent or accepted; 409 otherwise).
#[utoipa::path(post, path = "/v1/quotes/{id}/won", tag = SALES, operation_id = "markQuoteWon",
    params(("id" = String, Path, description = "Quote id (`quote_…`)")),
    responses(
        (status = 200, description = "The quote, won", body = Quote),
        Conflict, NotFound, AuthErrors,
    ))]
pub async fn mark_won(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Quote>, ApiError> {
    let actor = key.actor();
    let id = quote_of(&state, actor, &id).await?;
    quotes::mark_won(&state.db, actor, id).await?;
    answer(&state, actor, &headers, id).await
}

/// Marks the quote lost (from draft, sent, accepted or rejected; 409 otherwise).
#[utoipa::path(post, path = "/v1/quotes/{id}/lost", tag = SALES, operation_id = "markQuoteLost",
    params(("id" = String, Path, description = "Quote id (`quote_…`)")),
    responses(
        (status = 200, description = "The quote, lost", body = Quote),
        Conflict, NotFound, AuthErrors,
    ))]
pub async fn mark_lost(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    headers: HeaderMap,
    Path(id): Path<String>,
) -> Result<Json<Quote>, ApiError> {
    let actor = key.actor();
    let id = quote_of(&state, actor, &id).await?;
    quotes::mark_lost(&state.db, actor, id).await?;
    answer(&state, actor, &headers, id).await
}

/// The label id of a path, or 422 on `label_id`.
fn label_id(raw: &str) -> Result<i64, ApiError> {
    raw.trim()
        .parse()
        .map_err(|_| ApiError::invalid("label_id", format!("\"{raw}\" is not a label id")))
}

/// Puts one of the account's quote labels on the quote (again changes nothing).
#[utoipa::path(put, path = "/v1/quotes/{id}/labels/{label_id}", tag = SALES,
    operation_id = "addQuoteLabel",
    params(
        ("id" = String, Path, description = "Quote id (`quote_…`)"),
        ("label_id" = String, Path, description = "Label id"),
    ),
    responses(
        (status = 200, description = "The quote with the label", body = Quote),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn add_label(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    headers: HeaderMap,
    Path((id, label)): Path<(String, String)>,
) -> Result<Json<Quote>, ApiError> {
    let actor = key.actor();
    let id = quote_of(&state, actor, &id).await?;
    quotes::add_label(&state.db, actor, id, label_id(&label)?).await?;
    answer(&state, actor, &headers, id).await
}

/// Takes a label off the quote.
#[utoipa::path(delete, path = "/v1/quotes/{id}/labels/{label_id}", tag = SALES,
    operation_id = "removeQuoteLabel",
    params(
        ("id" = String, Path, description = "Quote id (`quote_…`)"),
        ("label_id" = String, Path, description = "Label id"),
    ),
    responses(
        (status = 200, description = "The quote without the label", body = Quote),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn remove_label(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    headers: HeaderMap,
    Path((id, label)): Path<(String, String)>,
) -> Result<Json<Quote>, ApiError> {
    let actor = key.actor();
    let id = quote_of(&state, actor, &id).await?;
    quotes::remove_label(&state.db, actor, id, label_id(&label)?).await?;
    answer(&state, actor, &headers, id).await
}
