//! `/api/v1/accounts/{account_id}/deals` — the accounts API: create, Ransack search with pages,
//! get (with contact, stage, pipeline, assignees and products), partial update and upsert.
//! Ids are the numeric ids of the records; positions are 1-based. Another account's id in the
//! path answers 404, like any record the key's account does not hold.

pub mod records;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth;
use super::body::{self, Body};
use super::doc::{AuthErrors, BodyErrors, NotFound, ACCOUNTS};
use super::error::{ApiError, Surface};
use crate::domain::ransack::Pagination;
use crate::server::auth::api_keys::ApiPrincipal;
use crate::server::db::api_ts;
use crate::server::services::contacts::{ContactLookup, NewContact};
use crate::server::services::deals::records::{self as writes, DealFields};
use crate::server::services::deals::update::ContactRef;
use crate::server::services::Actor;
use crate::server::{AppState, ServiceError};
use records::{DealDetail, DealRecord};

const S: Surface = Surface::Standard;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(create))
        .routes(routes!(search))
        .routes(routes!(upsert))
        .routes(routes!(show, update))
}

fn svc(e: ServiceError) -> ApiError {
    ApiError::from_service(S, e)
}

/// Authenticates with `scope` and checks the path's account is the key's own (404 otherwise).
async fn account_key(
    state: &AppState,
    headers: &HeaderMap,
    account_id: &str,
    scope: &str,
) -> Result<(ApiPrincipal, Actor), ApiError> {
    let key = auth::require(&state.db, headers, S, scope).await?;
    if account_id.trim().parse::<i64>().ok() != Some(key.account_id) {
        return Err(svc(ServiceError::NotFound("account")));
    }
    let actor = Actor::from(&key);
    Ok((key, actor))
}

fn deal_id(id: &str) -> Result<i64, ApiError> {
    id.trim()
        .parse()
        .map_err(|_| svc(ServiceError::NotFound("deal")))
}

fn attributes(raw: &str) -> Value {
    serde_json::from_str(raw).unwrap_or_else(|_| Value::Object(Map::new()))
}

/// A deal as the document shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountDeal {
    #[schema(example = 101)]
    pub id: i64,
    #[schema(example = "Acme renewal")]
    pub name: String,
    /// `open`, `won` or `lost`.
    #[schema(example = "open")]
    pub status: String,
    pub stage_id: i64,
    pub pipeline_id: i64,
    pub contact_id: Option<i64>,
    /// 1-based position in the stage's column.
    pub position: i64,
    pub created_by_id: Option<i64>,
    /// Sum of the product lines, in cents.
    pub total_deal_products_amount_in_cents: i64,
    /// ISO 8601, UTC.
    pub lost_at: Option<String>,
    pub won_at: Option<String>,
    pub lost_reason: String,
    pub account_id: i64,
    /// Returned exactly as sent.
    #[schema(value_type = Object)]
    pub custom_attributes: Value,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&DealRecord> for AccountDeal {
    fn from(d: &DealRecord) -> Self {
        AccountDeal {
            id: d.id,
            name: d.name.clone(),
            status: d.status.clone(),
            stage_id: d.stage_id,
            pipeline_id: d.pipeline_id,
            contact_id: d.contact_id,
            position: d.position,
            created_by_id: d.created_by_id,
            total_deal_products_amount_in_cents: d.total_deal_products_amount_in_cents,
            lost_at: d.lost_at.as_deref().map(api_ts),
            won_at: d.won_at.as_deref().map(api_ts),
            lost_reason: d.lost_reason.clone(),
            account_id: d.account_id,
            custom_attributes: attributes(&d.custom_attributes),
            created_at: api_ts(&d.created_at),
            updated_at: api_ts(&d.updated_at),
        }
    }
}

/// A deal with its nested records.
#[derive(Debug, Serialize, ToSchema)]
pub struct AccountDealDetail {
    #[serde(flatten)]
    pub deal: AccountDeal,
    pub contact: Option<DealContact>,
    pub stage: DealStage,
    pub pipeline: DealPipeline,
    pub deal_assignees: Vec<DealAssignee>,
    pub deal_products: Vec<DealProduct>,
}

/// The deal's contact.
#[derive(Debug, Serialize, ToSchema)]
pub struct DealContact {
    pub id: i64,
    pub full_name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    #[schema(value_type = Object)]
    pub custom_attributes: Value,
    #[schema(value_type = Object)]
    pub additional_attributes: Value,
    pub app_type: Option<String>,
    pub app_id: Option<String>,
    pub created_at: String,
    pub updated_at: String,
    pub account_id: i64,
    /// The contact's tags.
    pub label_list: Vec<String>,
    /// Always empty here (no conversations).
    pub chatwoot_conversations_label_list: Vec<String>,
}

/// The deal's stage.
#[derive(Debug, Serialize, ToSchema)]
pub struct DealStage {
    pub id: i64,
    pub name: String,
    pub pipeline_id: i64,
    pub position: i64,
    pub created_at: String,
    pub updated_at: String,
    pub account_id: i64,
}

/// The deal's pipeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct DealPipeline {
    pub id: i64,
    pub name: String,
    pub created_at: String,
    pub updated_at: String,
    pub account_id: i64,
}

/// A user assigned to the deal.
#[derive(Debug, Serialize, ToSchema)]
pub struct DealAssignee {
    pub id: i64,
    pub deal_id: i64,
    pub user_id: i64,
    pub created_at: String,
    pub updated_at: String,
    pub account_id: i64,
}

/// A product line of the deal.
#[derive(Debug, Serialize, ToSchema)]
pub struct DealProduct {
    pub id: i64,
    /// `null` for a line whose product was deleted.
    pub product_id: Option<i64>,
    pub deal_id: i64,
    pub created_at: String,
    pub updated_at: String,
    pub unit_amount_in_cents: i64,
    pub product_identifier: String,
    pub product_name: String,
    pub total_amount_in_cents: i64,
    pub quantity: i64,
    pub account_id: i64,
}

impl From<&DealDetail> for AccountDealDetail {
    fn from(d: &DealDetail) -> Self {
        AccountDealDetail {
            deal: AccountDeal::from(&d.deal),
            contact: d.contact.as_ref().map(|c| DealContact {
                id: c.id,
                full_name: c.full_name.clone(),
                phone: c.phone.clone(),
                email: c.email.clone(),
                custom_attributes: attributes(&c.custom_attributes),
                additional_attributes: attributes(&c.additional_attributes),
                app_type: c.app_type.clone(),
                app_id: c.app_id.clone(),
                created_at: api_ts(&c.created_at),
                updated_at: api_ts(&c.updated_at),
                account_id: c.account_id,
                label_list: d.contact_labels.clone(),
                chatwoot_conversations_label_list: Vec::new(),
            }),
            stage: DealStage {
                id: d.stage.id,
                name: d.stage.name.clone(),
                pipeline_id: d.stage.pipeline_id,
                position: d.stage.position,
                created_at: api_ts(&d.stage.created_at),
                updated_at: api_ts(&d.stage.updated_at),
                account_id: d.stage.account_id,
            },
            pipeline: DealPipeline {
                id: d.pipeline.id,
                name: d.pipeline.name.clone(),
                created_at: api_ts(&d.pipeline.created_at),
                updated_at: api_ts(&d.pipeline.updated_at),
                account_id: d.pipeline.account_id,
            },
            deal_assignees: d
                .assignees
                .iter()
                .map(|a| DealAssignee {
                    id: a.id,
                    deal_id: a.deal_id,
                    user_id: a.user_id,
                    created_at: api_ts(&a.created_at),
                    updated_at: api_ts(&a.updated_at),
                    account_id: a.account_id,
                })
                .collect(),
            deal_products: d
                .products
                .iter()
                .map(|p| DealProduct {
                    id: p.id,
                    product_id: p.product_id,
                    deal_id: p.deal_id,
                    created_at: api_ts(&p.created_at),
                    updated_at: api_ts(&p.updated_at),
                    unit_amount_in_cents: p.unit_amount_in_cents,
                    product_identifier: p.product_identifier.clone(),
                    product_name: p.product_name.clone(),
                    total_amount_in_cents: p.total_amount_in_cents,
                    quantity: p.quantity,
                    account_id: p.account_id,
                })
                .collect(),
        }
    }
}

/// A page of search results.
#[derive(Debug, Serialize, ToSchema)]
pub struct DealSearchPage {
    pub data: Vec<AccountDeal>,
    pub pagination: Pagination,
}

/// The deal fields of a create, update or upsert body; on update the fields sent change and
/// the others stay.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // documentation only: the handlers read the body field by field
#[schema(example = json!({"name": "Acme renewal", "stage_id": 2, "contact_id": 7, "custom_attributes": {"source": "web"}}))]
pub struct DealBody {
    /// Required on create.
    name: Option<String>,
    /// `open`, `won` or `lost`.
    status: Option<String>,
    /// Required on create; the pipeline follows from it.
    stage_id: Option<i64>,
    /// Must be the stage's pipeline when given (422 otherwise).
    pipeline_id: Option<i64>,
    /// Required on create unless `contact_attributes` is given.
    contact_id: Option<i64>,
    /// 1-based position in the column (default: the end).
    position: Option<i64>,
    lost_reason: Option<String>,
    /// UTC ISO 8601 (`2026-11-24T10:00:00Z`).
    lost_at: Option<String>,
    /// UTC ISO 8601.
    won_at: Option<String>,
    /// Stored and returned as sent.
    #[schema(value_type = Option<Object>)]
    custom_attributes: Option<Value>,
    /// Find-or-create of the contact (by `id`, else `email`, else `phone`).
    contact_attributes: Option<ContactAttributes>,
}

/// The contact of an upsert or create, found or created.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // documentation only: `contact_lookup` reads it field by field
pub struct ContactAttributes {
    id: Option<i64>,
    full_name: Option<String>,
    email: Option<String>,
    /// E.164 (`+5511999990000`).
    phone: Option<String>,
}

/// The body of an upsert: a deal body with the `id` of the deal to update (created when absent
/// or unknown).
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // documentation only: the handler reads the body field by field
#[schema(example = json!({"id": 101, "name": "Acme renewal", "stage_id": 2, "contact_attributes": {"email": "ana@acme.test", "full_name": "Ana Costa"}}))]
pub struct UpsertBody {
    id: Option<i64>,
    #[schema(inline)]
    #[serde(flatten)]
    deal: DealBody,
}

/// The body of a search.
#[derive(Debug, ToSchema)]
#[allow(dead_code)] // documentation only: the handler reads the body field by field
#[schema(example = json!({"query": {"name_cont": "acme", "status_eq": "open"}, "page": 1, "items": 20}))]
pub struct SearchBody {
    /// Ransack predicates `<attribute>_<predicate>`, all combined with AND. Predicates: `eq`,
    /// `not_eq`, `cont`, `not_cont`, `start`, `end`, `gt`, `gteq`, `lt`, `lteq`, `in`, `not_in`,
    /// `null`, `not_null`, `present`, `blank`. Attributes: `id`, `name`, `status`, `stage_id`,
    /// `pipeline_id`, `contact_id`, `position`, `created_by_id`, `lost_reason`, `created_at`,
    /// `updated_at`, `won_at`, `lost_at`. Unknown predicates or attributes answer 422.
    #[schema(value_type = Option<Object>)]
    query: Option<Value>,
    /// Page number, from 1 (default 1).
    page: Option<i64>,
    /// Rows per page, 1–100 (default 20).
    items: Option<i64>,
}

/// `page` and `items` may also come in the query string.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchParams {
    /// Page number, from 1.
    page: Option<String>,
    /// Rows per page.
    items: Option<String>,
}

/// The deal fields of a create, update or upsert body.
fn fields(b: &Map<String, Value>) -> Result<DealFields, ServiceError> {
    let contact = match (
        body::int(b, "contact_id")?,
        body::object(b, "contact_attributes")?,
    ) {
        (Some(id), _) => Some(ContactRef::Id(id)),
        (None, Some(attrs)) => Some(ContactRef::Attributes(contact_lookup(attrs)?)),
        (None, None) => None,
    };
    let custom_attributes = body::object(b, "custom_attributes")?.cloned();
    Ok(DealFields {
        name: body::text(b, "name")?,
        status: body::text(b, "status")?,
        stage_id: body::int(b, "stage_id")?,
        pipeline_id: body::int(b, "pipeline_id")?,
        contact,
        position: body::int(b, "position")?,
        lost_reason: body::text(b, "lost_reason")?,
        lost_at: body::text(b, "lost_at")?,
        won_at: body::text(b, "won_at")?,
        custom_attributes,
    })
}

/// `contact_attributes`: found by `id`, else e-mail, else phone; created when none matches.
fn contact_lookup(a: &Map<String, Value>) -> Result<ContactLookup, ServiceError> {
    let named = |field: &str| format!("contact_attributes.{field}");
    let text = |field: &str| {
        body::text(a, field).map_err(|e| match e {
            ServiceError::Validation { message, .. } => {
                ServiceError::invalid(named(field), message)
            }
            e => e,
        })
    };
    let id = body::int(a, "id")
        .map_err(|_| ServiceError::invalid(named("id"), "must be a whole number"))?;
    let full_name = match text("full_name")? {
        Some(n) => n,
        None => text("name")?.unwrap_or_default(),
    };
    let email = text("email")?;
    let phone = text("phone")?;
    let full_name = if full_name.trim().is_empty() {
        email.clone().or_else(|| phone.clone()).unwrap_or_default()
    } else {
        full_name
    };
    Ok(ContactLookup {
        id,
        new: NewContact {
            full_name,
            email,
            phone,
            organization_id: None,
        },
        match_email: true,
        match_phone: true,
    })
}

/// Creates a deal in the stage's pipeline at the end of its column.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/deals", tag = ACCOUNTS,
    operation_id = "createDeal",
    params(("account_id" = i64, Path, description = "The key's account id")),
    request_body = DealBody,
    responses(
        (status = 201, description = "The new deal", body = AccountDeal),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(account_id): Path<String>,
    body: Body,
) -> Result<(StatusCode, Json<AccountDeal>), ApiError> {
    let (_, actor) = account_key(&state, &headers, &account_id, "deals:write").await?;
    let b = body.object()?;
    let fields = fields(&b).map_err(svc)?;
    let deal = writes::create(&state.db, actor, &fields)
        .await
        .map_err(svc)?;
    let record = records::get(&state.db, actor, deal.id).await.map_err(svc)?;
    Ok((StatusCode::CREATED, Json(AccountDeal::from(&record))))
}

/// Searches the account's deals with Ransack-style predicates, a page at a time.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/deals/search", tag = ACCOUNTS,
    operation_id = "searchDeals",
    params(("account_id" = i64, Path, description = "The key's account id"), SearchParams),
    request_body = SearchBody,
    responses(
        (status = 200, description = "A page of deals with pagy-style pagination", body = DealSearchPage),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(account_id): Path<String>,
    Query(qs): Query<SearchParams>,
    body: Body,
) -> Result<Json<DealSearchPage>, ApiError> {
    let (_, actor) = account_key(&state, &headers, &account_id, "deals:read").await?;
    let b = body.object()?;
    let empty = Map::new();
    let query = body::object(&b, "query").map_err(svc)?.unwrap_or(&empty);
    let number = |field: &str| -> Result<Option<i64>, ApiError> {
        match body::int(&b, field).map_err(svc)? {
            Some(n) => Ok(Some(n)),
            None => match field {
                "page" => qs.page.as_deref(),
                _ => qs.items.as_deref(),
            }
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(|v| {
                v.parse().map_err(|_| {
                    svc(ServiceError::invalid(
                        field,
                        format!("\"{v}\" is not a whole number"),
                    ))
                })
            })
            .transpose(),
        }
    };
    let page = records::search(&state.db, actor, query, number("page")?, number("items")?)
        .await
        .map_err(svc)?;
    Ok(Json(DealSearchPage {
        data: page.deals.iter().map(AccountDeal::from).collect(),
        pagination: page.pagination,
    }))
}

/// A deal with its contact, stage, pipeline, assignees and product lines.
#[utoipa::path(get, path = "/api/v1/accounts/{account_id}/deals/{id}", tag = ACCOUNTS,
    operation_id = "getDeal",
    params(
        ("account_id" = i64, Path, description = "The key's account id"),
        ("id" = i64, Path, description = "Deal id"),
    ),
    responses(
        (status = 200, description = "The deal", body = AccountDealDetail),
        NotFound, AuthErrors,
    ))]
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((account_id, id)): Path<(String, String)>,
) -> Result<Json<AccountDealDetail>, ApiError> {
    let (_, actor) = account_key(&state, &headers, &account_id, "deals:read").await?;
    let detail = records::detail(&state.db, actor, deal_id(&id)?)
        .await
        .map_err(svc)?;
    Ok(Json(AccountDealDetail::from(&detail)))
}

/// Changes the fields sent; the others stay.
#[utoipa::path(put, path = "/api/v1/accounts/{account_id}/deals/{id}", tag = ACCOUNTS,
    operation_id = "updateDeal",
    params(
        ("account_id" = i64, Path, description = "The key's account id"),
        ("id" = i64, Path, description = "Deal id"),
    ),
    request_body = DealBody,
    responses(
        (status = 200, description = "The deal after the change", body = AccountDeal),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((account_id, id)): Path<(String, String)>,
    body: Body,
) -> Result<Json<AccountDeal>, ApiError> {
    let (_, actor) = account_key(&state, &headers, &account_id, "deals:write").await?;
    let b = body.object()?;
    let id = deal_id(&id)?;
    let fields = fields(&b).map_err(svc)?;
    let deal = writes::update(&state.db, actor, id, &fields)
        .await
        .map_err(svc)?;
    let record = records::get(&state.db, actor, deal.id).await.map_err(svc)?;
    Ok(Json(AccountDeal::from(&record)))
}

/// Updates the deal with `id` when the account has it, else creates one; the contact comes
/// from `contact_id` or is found or created from `contact_attributes`.
#[utoipa::path(post, path = "/api/v1/accounts/{account_id}/deals/upsert", tag = ACCOUNTS,
    operation_id = "upsertDeal",
    params(("account_id" = i64, Path, description = "The key's account id")),
    request_body = UpsertBody,
    responses(
        (status = 200, description = "An existing deal, updated", body = AccountDeal),
        (status = 201, description = "A new deal", body = AccountDeal),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn upsert(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(account_id): Path<String>,
    body: Body,
) -> Result<(StatusCode, Json<AccountDeal>), ApiError> {
    let (_, actor) = account_key(&state, &headers, &account_id, "deals:write").await?;
    let b = body.object()?;
    let id = body::int(&b, "id").map_err(svc)?;
    let fields = fields(&b).map_err(svc)?;
    let (deal, created) = writes::upsert(&state.db, actor, id, &fields)
        .await
        .map_err(svc)?;
    let record = records::get(&state.db, actor, deal.id).await.map_err(svc)?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(AccountDeal::from(&record))))
}
