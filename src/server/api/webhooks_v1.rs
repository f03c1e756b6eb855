//! `/v1/webhooks` — webhook subscriptions (`whk_…`): a URL subscribed to events of the
//! account, with its signing secret and its delivery log, through the same service and rules
//! as Settings → Webhooks. Every endpoint needs `config:manage`; any plan.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{ConfigManage, Key};
use super::body::Body;
use super::doc::{AuthErrors, BodyErrors, NotFound, SALES};
use super::error::{ApiError, ErrorBody};
use super::sales_v1::PageMeta;
use crate::domain::webhook::{WebhookDeliveryView, WebhookEvent, WebhookView};
use crate::server::db::api_ts;
use crate::server::services::webhooks::{deliveries, subscriptions};
use crate::server::services::{Actor, Configurer};
use crate::server::AppState;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
        .routes(routes!(deliveries_of))
        .routes(routes!(send_test))
}

/// A webhook subscription as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Webhook {
    #[schema(example = "whk_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812")]
    pub id: String,
    #[schema(example = "https://erp.example.com/hooks/dealflow")]
    pub url: String,
    /// The events it receives.
    pub events: Vec<WebhookEvent>,
    /// Whether it receives events (the server turns it off after repeated failures).
    pub active: bool,
    /// The secret deliveries are signed with: `X-Dealflow-Signature: sha256=<hex>` is the
    /// HMAC-SHA256 of `"{X-Dealflow-Timestamp}.{body}"` under it.
    #[schema(example = "whsec_5f1c…")]
    pub secret: String,
    /// Deliveries given up in a row since the last one that arrived.
    pub consecutive_failures: i64,
    /// Why the server turned it off, if it did.
    pub disabled_reason: Option<String>,
    /// ISO 8601, UTC.
    pub disabled_at: Option<String>,
    pub created_at: String,
    pub updated_at: String,
}

impl From<WebhookView> for Webhook {
    fn from(w: WebhookView) -> Self {
        Webhook {
            id: w.public_id,
            url: w.url,
            events: w.events,
            active: w.active,
            secret: w.secret,
            consecutive_failures: w.consecutive_failures,
            disabled_reason: w.disabled_reason,
            disabled_at: w.disabled_at.as_deref().map(api_ts),
            created_at: api_ts(&w.created_at),
            updated_at: api_ts(&w.updated_at),
        }
    }
}

/// The account's webhook subscriptions.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookList {
    pub data: Vec<Webhook>,
}

/// A subscription to create.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"url": "https://erp.example.com/hooks/dealflow", "events": ["deal.created", "deal.stage_changed", "quote.accepted"]}))]
pub struct WebhookBody {
    /// An `http` or `https` URL, at most 2000 characters. Internal addresses are refused when
    /// called (unless the server allows them).
    #[schema(required = true)]
    url: Option<String>,
    /// At least one event.
    #[schema(required = true)]
    events: Option<Vec<WebhookEvent>>,
    /// On by default.
    active: Option<bool>,
}

/// What to change; the fields left out stay as they are.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"active": true}))]
pub struct WebhookPatch {
    url: Option<String>,
    /// At least one event.
    events: Option<Vec<WebhookEvent>>,
    /// `true` turns it back on (and clears its count of failures).
    active: Option<bool>,
}

/// One delivery of an event to a subscription.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookDelivery {
    /// The payload's `id` and the `X-Dealflow-Delivery` header.
    #[schema(example = "6f2b1c9e-8d4a-4b7e-9c1d-2e3f4a5b6c7d")]
    pub id: String,
    /// The event's name (`webhook.test` for a test event).
    #[schema(example = "deal.won")]
    pub event: String,
    /// `pending`, `delivered` or `failed`.
    #[schema(example = "delivered")]
    pub status: String,
    /// Calls made so far.
    pub attempts: i64,
    /// The HTTP status of the last answer, if one came.
    #[schema(example = 200)]
    pub response_code: Option<i64>,
    /// Why the last call did not deliver.
    pub error: Option<String>,
    /// A test event.
    pub test: bool,
    /// ISO 8601, UTC.
    pub created_at: String,
    pub completed_at: Option<String>,
    /// When a pending delivery is tried next.
    pub next_attempt_at: Option<String>,
}

impl From<WebhookDeliveryView> for WebhookDelivery {
    fn from(d: WebhookDeliveryView) -> Self {
        WebhookDelivery {
            id: d.uuid,
            event: d.event,
            status: d.status,
            attempts: d.attempts,
            response_code: d.response_code,
            error: d.error,
            test: d.test,
            created_at: api_ts(&d.created_at),
            completed_at: d.completed_at.as_deref().map(api_ts),
            next_attempt_at: d.next_attempt_at.as_deref().map(api_ts),
        }
    }
}

/// One page of a subscription's deliveries, newest first.
#[derive(Debug, Serialize, ToSchema)]
pub struct WebhookDeliveryPage {
    pub data: Vec<WebhookDelivery>,
    pub meta: PageMeta,
}

/// The page of a delivery log.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageParams {
    /// Page number, from 1 (default 1).
    page: Option<String>,
    /// Rows per page, 1–100 (default 20); more than 100 answers 422.
    per_page: Option<String>,
}

/// The account's subscription a public id names; "not found" otherwise.
async fn webhook_of(state: &AppState, actor: Actor, id: &str) -> Result<i64, ApiError> {
    super::record_of(
        state,
        actor,
        ("webhook_subscriptions", "whk", "webhook"),
        id,
    )
    .await
}

/// The account's webhook subscriptions, oldest first.
#[utoipa::path(get, path = "/v1/webhooks", tag = SALES, operation_id = "listWebhooks",
    responses(
        (status = 200, description = "The account's webhook subscriptions", body = WebhookList),
        AuthErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
) -> Result<Json<WebhookList>, ApiError> {
    let by = Configurer::for_api_key(&key.principal);
    let found = subscriptions::list(&state.db, by).await?;
    Ok(Json(WebhookList {
        data: found.into_iter().map(Webhook::from).collect(),
    }))
}

/// Subscribes a URL to events (at most 20 subscriptions per account). The answer shows the
/// secret its deliveries are signed with.
#[utoipa::path(post, path = "/v1/webhooks", tag = SALES, operation_id = "createWebhook",
    request_body = WebhookBody,
    responses(
        (status = 201, description = "The new subscription", body = Webhook),
        BodyErrors, AuthErrors,
    ))]
pub async fn create(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    body: Body<WebhookBody>,
) -> Result<(StatusCode, Json<Webhook>), ApiError> {
    let body = body.value()?;
    let by = Configurer::for_api_key(&key.principal);
    let new = subscriptions::NewWebhook {
        url: body.url.unwrap_or_default(),
        events: body.events.unwrap_or_default(),
        active: body.active.unwrap_or(true),
    };
    let created = subscriptions::create(&state.db, by, &new).await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// One subscription.
#[utoipa::path(get, path = "/v1/webhooks/{id}", tag = SALES, operation_id = "getWebhook",
    params(("id" = String, Path, description = "Webhook id (`whk_…`)")),
    responses(
        (status = 200, description = "The subscription", body = Webhook),
        NotFound, AuthErrors,
    ))]
pub async fn show(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path(id): Path<String>,
) -> Result<Json<Webhook>, ApiError> {
    let id = webhook_of(&state, key.actor(), &id).await?;
    let by = Configurer::for_api_key(&key.principal);
    Ok(Json(subscriptions::get(&state.db, by, id).await?.into()))
}

/// Changes a subscription's URL, events or state (`active`).
#[utoipa::path(patch, path = "/v1/webhooks/{id}", tag = SALES, operation_id = "updateWebhook",
    params(("id" = String, Path, description = "Webhook id (`whk_…`)")),
    request_body = WebhookPatch,
    responses(
        (status = 200, description = "The subscription after the change", body = Webhook),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn update(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path(id): Path<String>,
    body: Body<WebhookPatch>,
) -> Result<Json<Webhook>, ApiError> {
    let id = webhook_of(&state, key.actor(), &id).await?;
    let body = body.value()?;
    let change = subscriptions::WebhookChange {
        url: body.url,
        events: body.events,
        active: body.active,
    };
    let by = Configurer::for_api_key(&key.principal);
    Ok(Json(
        subscriptions::update(&state.db, by, id, &change)
            .await?
            .into(),
    ))
}

/// Deletes a subscription and its delivery log; deliveries still waiting are not sent.
#[utoipa::path(delete, path = "/v1/webhooks/{id}", tag = SALES, operation_id = "deleteWebhook",
    params(("id" = String, Path, description = "Webhook id (`whk_…`)")),
    responses(
        (status = 204, description = "Deleted"),
        NotFound, AuthErrors,
    ))]
pub async fn delete(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = webhook_of(&state, key.actor(), &id).await?;
    subscriptions::delete(&state.db, Configurer::for_api_key(&key.principal), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A subscription's deliveries, newest first, a page at a time: status, HTTP code of the last
/// answer, calls made and the last error.
#[utoipa::path(get, path = "/v1/webhooks/{id}/deliveries", tag = SALES,
    operation_id = "listWebhookDeliveries",
    params(("id" = String, Path, description = "Webhook id (`whk_…`)"), PageParams),
    responses(
        (status = 200, description = "A page of deliveries", body = WebhookDeliveryPage),
        (status = 422, description = "A bad page or page size (`VALIDATION_ERROR`, `field` names it)", body = ErrorBody),
        NotFound, AuthErrors,
    ))]
pub async fn deliveries_of(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path(id): Path<String>,
    Query(q): Query<PageParams>,
) -> Result<Json<WebhookDeliveryPage>, ApiError> {
    let id = webhook_of(&state, key.actor(), &id).await?;
    let (page, per_page) = super::paging(q.page.as_deref(), q.per_page.as_deref())?;
    let by = Configurer::for_api_key(&key.principal);
    let (rows, total) = deliveries::log(&state.db, by, id, page, per_page).await?;
    Ok(Json(WebhookDeliveryPage {
        meta: PageMeta::new(page, per_page, total),
        data: rows.into_iter().map(WebhookDelivery::from).collect(),
    }))
}

/// Sends a test event (`webhook.test`) to the subscription, even while it is turned off; the
/// delivery is queued (202) and shows in its log.
#[utoipa::path(post, path = "/v1/webhooks/{id}/test", tag = SALES, operation_id = "testWebhook",
    params(("id" = String, Path, description = "Webhook id (`whk_…`)")),
    responses(
        (status = 202, description = "The test delivery, queued", body = WebhookDelivery),
        NotFound, AuthErrors,
    ))]
pub async fn send_test(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path(id): Path<String>,
) -> Result<(StatusCode, Json<WebhookDelivery>), ApiError> {
    let id = webhook_of(&state, key.actor(), &id).await?;
    let by = Configurer::for_api_key(&key.principal);
    let queued = deliveries::send_test(&state.db, by, id).await?;
    Ok((StatusCode::ACCEPTED, Json(queued.into())))
}
