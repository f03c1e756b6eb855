//! `/api/v1/accounts/{account_id}/deals` — the accounts API: create, Ransack search with pages,
//! get (with contact, stage, pipeline, assignees and products), partial update and upsert.
//! Ids are the numeric ids of the records; positions are 1-based. Another account's id in the
//! path answers 404, like any record the key's account does not hold.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use super::auth;
use super::body::{self, Body};
use super::error::{ApiError, Surface};
use crate::server::auth::api_keys::ApiPrincipal;
use crate::server::db::api_ts;
use crate::server::services::contacts::{ContactLookup, NewContact};
use crate::server::services::deal_records::{self, ContactRef, DealDetail, DealFields, DealRecord};
use crate::server::services::Actor;
use crate::server::{AppState, ServiceError};

const S: Surface = Surface::Standard;

/// The routes of this surface.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/api/v1/accounts/{account_id}/deals", post(create))
        .route("/api/v1/accounts/{account_id}/deals/search", post(search))
        .route("/api/v1/accounts/{account_id}/deals/upsert", post(upsert))
        .route(
            "/api/v1/accounts/{account_id}/deals/{id}",
            get(show).put(update),
        )
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
    serde_json::from_str(raw).unwrap_or_else(|_| json!({}))
}

/// A deal as the document shows it.
fn deal_json(d: &DealRecord) -> Value {
    json!({
        "id": d.id,
        "name": d.name,
        "status": d.status,
        "stage_id": d.stage_id,
        "pipeline_id": d.pipeline_id,
        "contact_id": d.contact_id,
        "position": d.position,
        "created_by_id": d.created_by_id,
        "total_deal_products_amount_in_cents": d.total_deal_products_amount_in_cents,
        "lost_at": d.lost_at.as_deref().map(api_ts),
        "won_at": d.won_at.as_deref().map(api_ts),
        "lost_reason": d.lost_reason,
        "account_id": d.account_id,
        "custom_attributes": attributes(&d.custom_attributes),
        "created_at": api_ts(&d.created_at),
        "updated_at": api_ts(&d.updated_at),
    })
}

/// A deal with its nested records.
fn detail_json(d: &DealDetail) -> Value {
    let mut out = deal_json(&d.deal);
    out["contact"] = match &d.contact {
        Some(c) => json!({
            "id": c.id,
            "full_name": c.full_name,
            "phone": c.phone,
            "email": c.email,
            "custom_attributes": attributes(&c.custom_attributes),
            "additional_attributes": attributes(&c.additional_attributes),
            "app_type": c.app_type,
            "app_id": c.app_id,
            "created_at": api_ts(&c.created_at),
            "updated_at": api_ts(&c.updated_at),
            "account_id": c.account_id,
            "label_list": d.contact_labels,
            "chatwoot_conversations_label_list": [],
        }),
        None => Value::Null,
    };
    out["stage"] = json!({
        "id": d.stage.id,
        "name": d.stage.name,
        "pipeline_id": d.stage.pipeline_id,
        "position": d.stage.position,
        "created_at": api_ts(&d.stage.created_at),
        "updated_at": api_ts(&d.stage.updated_at),
        "account_id": d.stage.account_id,
    });
    out["pipeline"] = json!({
        "id": d.pipeline.id,
        "name": d.pipeline.name,
        "created_at": api_ts(&d.pipeline.created_at),
        "updated_at": api_ts(&d.pipeline.updated_at),
        "account_id": d.pipeline.account_id,
    });
    out["deal_assignees"] = d
        .assignees
        .iter()
        .map(|a| {
            json!({
                "id": a.id,
                "deal_id": a.deal_id,
                "user_id": a.user_id,
                "created_at": api_ts(&a.created_at),
                "updated_at": api_ts(&a.updated_at),
                "account_id": a.account_id,
            })
        })
        .collect();
    out["deal_products"] = d
        .products
        .iter()
        .map(|p| {
            json!({
                "id": p.id,
                "product_id": p.product_id,
                "deal_id": p.deal_id,
                "created_at": api_ts(&p.created_at),
                "updated_at": api_ts(&p.updated_at),
                "unit_amount_in_cents": p.unit_amount_in_cents,
                "product_identifier": p.product_identifier,
                "product_name": p.product_name,
                "total_amount_in_cents": p.total_amount_in_cents,
                "quantity": p.quantity,
                "account_id": p.account_id,
            })
        })
        .collect();
    out
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

/// `POST …/deals` → 201 with the deal.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(account_id): Path<String>,
    body: Body,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (_, actor) = account_key(&state, &headers, &account_id, "deals:write").await?;
    let b = body.object()?;
    let fields = fields(&b).map_err(svc)?;
    let deal = deal_records::create(&state.db, actor, &fields)
        .await
        .map_err(svc)?;
    Ok((StatusCode::CREATED, Json(deal_json(&deal))))
}

/// `POST …/deals/search` with `{"query": {…}, "page", "items"}` (page and items may also come
/// in the query string) → `{data, pagination}`.
pub async fn search(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(account_id): Path<String>,
    Query(qs): Query<HashMap<String, String>>,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let (_, actor) = account_key(&state, &headers, &account_id, "deals:read").await?;
    let b = body.object()?;
    let empty = Map::new();
    let query = body::object(&b, "query").map_err(svc)?.unwrap_or(&empty);
    let number = |field: &str| -> Result<Option<i64>, ApiError> {
        match body::int(&b, field).map_err(svc)? {
            Some(n) => Ok(Some(n)),
            None => qs
                .get(field)
                .map(|v| v.trim())
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
    let page = deal_records::search(&state.db, actor, query, number("page")?, number("items")?)
        .await
        .map_err(svc)?;
    Ok(Json(json!({
        "data": page.deals.iter().map(deal_json).collect::<Vec<_>>(),
        "pagination": page.pagination,
    })))
}

/// `GET …/deals/{id}` with contact, stage, pipeline, deal_assignees and deal_products.
pub async fn show(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((account_id, id)): Path<(String, String)>,
) -> Result<Json<Value>, ApiError> {
    let (_, actor) = account_key(&state, &headers, &account_id, "deals:read").await?;
    let detail = deal_records::detail(&state.db, actor, deal_id(&id)?)
        .await
        .map_err(svc)?;
    Ok(Json(detail_json(&detail)))
}

/// `PUT …/deals/{id}`: the fields sent change, the others stay.
pub async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((account_id, id)): Path<(String, String)>,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let (_, actor) = account_key(&state, &headers, &account_id, "deals:write").await?;
    let b = body.object()?;
    let id = deal_id(&id)?;
    let fields = fields(&b).map_err(svc)?;
    let deal = deal_records::update(&state.db, actor, id, &fields)
        .await
        .map_err(svc)?;
    Ok(Json(deal_json(&deal)))
}

/// `POST …/deals/upsert` → 201 when created, 200 when an existing deal was updated.
pub async fn upsert(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(account_id): Path<String>,
    body: Body,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let (_, actor) = account_key(&state, &headers, &account_id, "deals:write").await?;
    let b = body.object()?;
    let id = body::int(&b, "id").map_err(svc)?;
    let fields = fields(&b).map_err(svc)?;
    let (deal, created) = deal_records::upsert(&state.db, actor, id, &fields)
        .await
        .map_err(svc)?;
    let status = if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    };
    Ok((status, Json(deal_json(&deal))))
}
