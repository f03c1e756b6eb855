//! `/v1` — the sales API: opportunities (list, create, update, close) and the pipeline's
//! stages. Ids are public strings: `opp_…`, `lead_…` (contacts), `user_…`, `product_…`,
//! `stage_…`. Errors use the standard shape (see `error.rs`).

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, patch, post};
use axum::{Json, Router};
use serde_json::{json, Map, Value};

use super::auth;
use super::body::{self, Body};
use super::error::{ApiError, Surface};
use crate::domain::money::cents_to_f64;
use crate::domain::public_id::{public_id, uuid_of};
use crate::domain::DealStatus;
use crate::server::db::api_ts;
use crate::server::services::deal_edit::update_deal;
use crate::server::services::deal_products::{add_line, NewLine};
use crate::server::services::deals::{self, deal_id_by_uuid, id_by_uuid, NewDeal};
use crate::server::services::opportunities::{self, OpportunityQuery, OpportunityRow};
use crate::server::services::pipeline_status::API_LOST_REASON;
use crate::server::services::{closing, pipelines, Actor};
use crate::server::{AppState, ServiceError};

const S: Surface = Surface::Standard;

/// The routes of this surface.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/opportunities", get(list).post(create))
        .route("/v1/opportunities/{id}", patch(update))
        .route("/v1/opportunities/{id}/close", post(close))
        .route("/v1/pipeline/stages", get(stages))
}

fn svc(e: ServiceError) -> ApiError {
    ApiError::from_service(S, e)
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    svc(ServiceError::invalid(field, message))
}

/// An opportunity as the document shows it.
fn opportunity_json(o: &OpportunityRow) -> Value {
    json!({
        "id": public_id("opp", &o.uuid),
        "name": o.title,
        "value": cents_to_f64(o.value_cents),
        "currency": o.currency,
        "stage": o.stage_key,
        "status": o.status,
        "probability": o.probability,
        "expected_close_date": o.expected_close_date,
        "lead_id": o.contact_uuid.as_deref().map(|u| public_id("lead", u)),
        "assigned_to": o.user_uuid.as_deref().map(|u| public_id("user", u)),
        "created_at": api_ts(&o.created_at),
        "updated_at": api_ts(&o.updated_at),
        "won_at": o.won_at.as_deref().map(api_ts),
        "lost_at": o.lost_at.as_deref().map(api_ts),
    })
}

/// A text field (see [`body::text`]).
fn text(b: &Map<String, Value>, field: &str) -> Result<Option<String>, ApiError> {
    body::text(b, field).map_err(svc)
}

/// An amount field in cents (see [`body::money`]).
fn money(b: &Map<String, Value>, field: &str) -> Result<Option<i64>, ApiError> {
    body::money(b, field).map_err(svc)
}

/// Resolves a public id (`prefix_…`) of `table` to the account's row id, or 422 on `field`.
async fn resolve(
    state: &AppState,
    actor: Actor,
    table: &'static str,
    prefix: &str,
    field: &str,
    id: &str,
) -> Result<i64, ApiError> {
    let uuid = uuid_of(prefix, id)
        .ok_or_else(|| invalid(field, format!("\"{id}\" is not a {prefix}_… id")))?;
    id_by_uuid(&state.db, table, actor.account_id, &uuid, field)
        .await
        .map_err(svc)
}

/// The stage with key `key` in the account's primary pipeline, or 422 on `stage`.
async fn stage_by_key(state: &AppState, actor: Actor, key: &str) -> Result<i64, ApiError> {
    let pipeline = pipelines::primary_pipeline_id(&state.db, actor.account_id)
        .await
        .map_err(svc)?;
    pipelines::stages_of(&state.db, actor.account_id, pipeline)
        .await
        .map_err(svc)?
        .into_iter()
        .find(|s| s.key == key.trim())
        .map(|s| s.id)
        .ok_or_else(|| {
            invalid(
                "stage",
                format!("no stage \"{}\" in the pipeline", key.trim()),
            )
        })
}

/// The deal behind an `opp_…` path id, or 404.
async fn deal_of(state: &AppState, actor: Actor, id: &str) -> Result<i64, ApiError> {
    let not_found = || svc(ServiceError::NotFound("opportunity"));
    let uuid = uuid_of("opp", id).ok_or_else(not_found)?;
    deal_id_by_uuid(&state.db, actor, &uuid)
        .await
        .map_err(|e| match e {
            ServiceError::NotFound(_) => not_found(),
            e => svc(e),
        })
}

/// `GET /v1/opportunities?page&per_page&stage&assigned_to&min_value&max_value&status`.
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let key = auth::require(&state.db, &headers, S, "opportunities:read").await?;
    // An id that names no user matches nothing.
    let assigned_to = q
        .get("assigned_to")
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .map(|id| uuid_of("user", id).unwrap_or_else(|| format!("!{id}")));
    let query = OpportunityQuery {
        page: q.get("page").cloned(),
        per_page: q.get("per_page").cloned(),
        stage: q.get("stage").cloned(),
        assigned_to,
        min_value: q.get("min_value").cloned(),
        max_value: q.get("max_value").cloned(),
        status: q.get("status").cloned(),
    };
    let page = opportunities::list(&state.db, (&key).into(), &query)
        .await
        .map_err(svc)?;
    let pages = (page.total + page.per_page - 1) / page.per_page;
    Ok(Json(json!({
        "data": page.rows.iter().map(opportunity_json).collect::<Vec<_>>(),
        "meta": { "page": page.page, "per_page": page.per_page, "total": page.total, "pages": pages.max(1) },
    })))
}

/// `POST /v1/opportunities` → 201 with the opportunity.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let key = auth::require(&state.db, &headers, S, "opportunities:write").await?;
    let actor = Actor::from(&key);
    let body = body.object()?;
    let name = text(&body, "name")?.ok_or_else(|| invalid("name", "is required"))?;
    let stage_id = match text(&body, "stage")? {
        Some(k) => Some(stage_by_key(&state, actor, &k).await?),
        None => None,
    };
    let contact_id = match text(&body, "lead_id")? {
        Some(id) => Some(resolve(&state, actor, "contacts", "lead", "lead_id", &id).await?),
        None => None,
    };
    let responsible = match text(&body, "assigned_to")? {
        Some(id) => Some(resolve(&state, actor, "users", "user", "assigned_to", &id).await?),
        None => key.user_id,
    };
    let mut products = Vec::new();
    match body.get("products") {
        None | Some(Value::Null) => {}
        Some(Value::Array(items)) => {
            for item in items {
                let id = item
                    .as_str()
                    .ok_or_else(|| invalid("products", "must be a list of product ids"))?;
                products.push(resolve(&state, actor, "products", "product", "products", id).await?);
            }
        }
        Some(_) => return Err(invalid("products", "must be a list of product ids")),
    }
    let new = NewDeal {
        title: name,
        value_cents: money(&body, "value")?.unwrap_or(0),
        currency: text(&body, "currency")?,
        stage_id,
        contact_id,
        responsible_user_id: responsible,
        expected_close_date: text(&body, "expected_close_date")?,
        status: DealStatus::Open,
        ..Default::default()
    };
    let deal = deals::create_deal(&state.db, actor, new)
        .await
        .map_err(svc)?;
    for product_id in products {
        let line = NewLine {
            product_id,
            quantity: 1,
            unit_amount: String::new(),
        };
        add_line(&state.db, actor, deal.id, &line)
            .await
            .map_err(svc)?;
    }
    let row = opportunities::get(&state.db, actor, deal.id)
        .await
        .map_err(svc)?;
    Ok((StatusCode::CREATED, Json(opportunity_json(&row))))
}

/// `PATCH /v1/opportunities/:id`: fields present change, the others stay.
pub async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let key = auth::require(&state.db, &headers, S, "opportunities:write").await?;
    let actor = Actor::from(&key);
    let deal_id = deal_of(&state, actor, &id).await?;
    let body = body.object()?;
    let current = crate::server::services::deal_edit::current(&state.db, actor, deal_id)
        .await
        .map_err(svc)?;
    let mut edit = current.clone();
    if let Some(name) = text(&body, "name")? {
        edit.title = name;
    }
    if let Some(cents) = money(&body, "value")? {
        edit.value = crate::domain::money::format_cents(cents).replace(',', "");
    }
    if let Some(c) = text(&body, "currency")? {
        edit.currency = c;
    }
    if body.contains_key("expected_close_date") {
        edit.expected_close_date = text(&body, "expected_close_date")?.unwrap_or_default();
    }
    if body.contains_key("lead_id") {
        edit.contact_id = match text(&body, "lead_id")? {
            Some(id) => Some(resolve(&state, actor, "contacts", "lead", "lead_id", &id).await?),
            None => None,
        };
    }
    if let Some(id) = text(&body, "assigned_to")? {
        edit.responsible_user_id =
            Some(resolve(&state, actor, "users", "user", "assigned_to", &id).await?);
    }
    if edit != current {
        update_deal(&state.db, actor, deal_id, &edit)
            .await
            .map_err(svc)?;
    }
    if let Some(stage) = text(&body, "stage")? {
        let stage_id = stage_by_key(&state, actor, &stage).await?;
        let deal = deals::get_deal(&state.db, actor, deal_id)
            .await
            .map_err(svc)?;
        if deal.stage_id != stage_id {
            deals::move_deal(&state.db, actor, deal_id, stage_id, deals::Slot::End)
                .await
                .map_err(svc)?;
        }
    }
    let row = opportunities::get(&state.db, actor, deal_id)
        .await
        .map_err(svc)?;
    Ok(Json(opportunity_json(&row)))
}

/// `POST /v1/opportunities/:id/close` with `status` won / lost, `final_value`, `close_notes`.
pub async fn close(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let key = auth::require(&state.db, &headers, S, "opportunities:write").await?;
    let actor = Actor::from(&key);
    let deal_id = deal_of(&state, actor, &id).await?;
    let body = body.object()?;
    let notes = text(&body, "close_notes")?.unwrap_or_default();
    match text(&body, "status")?.as_deref().map(str::trim) {
        Some("won") => {
            let final_value = money(&body, "final_value")?;
            closing::mark_won(&state.db, actor, deal_id, final_value, &notes)
                .await
                .map_err(svc)?;
        }
        Some("lost") => {
            let reason = if notes.trim().is_empty() {
                API_LOST_REASON
            } else {
                notes.as_str()
            };
            closing::mark_lost(&state.db, actor, deal_id, reason)
                .await
                .map_err(svc)?;
        }
        Some(other) => return Err(invalid("status", format!("\"{other}\" is not won or lost"))),
        None => return Err(invalid("status", "is required: won or lost")),
    }
    let row = opportunities::get(&state.db, actor, deal_id)
        .await
        .map_err(svc)?;
    Ok(Json(opportunity_json(&row)))
}

/// `GET /v1/pipeline/stages`: the primary pipeline's stages in order.
pub async fn stages(
    State(state): State<AppState>,
    headers: HeaderMap,
) -> Result<Json<Value>, ApiError> {
    let key = auth::require(&state.db, &headers, S, "opportunities:read").await?;
    let pipeline = pipelines::primary_pipeline_id(&state.db, key.account_id)
        .await
        .map_err(svc)?;
    let stages = pipelines::stages_of(&state.db, key.account_id, pipeline)
        .await
        .map_err(svc)?;
    let data: Vec<Value> = stages
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "id": public_id("stage", &s.uuid),
                "key": s.key,
                "name": s.name,
                "order": i + 1,
                "probability": s.probability,
            })
        })
        .collect();
    Ok(Json(json!({ "data": data })))
}
