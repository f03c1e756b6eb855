//! `/v1/activities` — the sales API's activities: list (by opportunity and type, a page at a
//! time), create, and complete / reopen (`PATCH` with `completed`), which moves the assigned
//! salesperson's points exactly as the activities page does.

use std::collections::HashMap;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::{get, patch};
use axum::{Json, Router};
use serde_json::{json, Value};

use super::auth;
use super::body::Body;
use super::error::{ApiError, Surface};
use crate::domain::activity::ActivityItem;
use crate::domain::public_id::{public_id, uuid_of};
use crate::server::db::api_ts;
use crate::server::services::activities::{self, ActivityFilter, NewActivity};
use crate::server::services::deals::deal_id_by_uuid;
use crate::server::services::opportunities::{DEFAULT_PER_PAGE, MAX_PER_PAGE};
use crate::server::services::Actor;
use crate::server::{AppState, ServiceError};

const S: Surface = Surface::Standard;

/// The routes of this surface.
pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/v1/activities", get(list).post(create))
        .route("/v1/activities/{id}", patch(update))
}

fn svc(e: ServiceError) -> ApiError {
    ApiError::from_service(S, e)
}

fn invalid(field: &str, message: impl Into<String>) -> ApiError {
    svc(ServiceError::invalid(field, message))
}

/// An activity as the API shows it.
fn activity_json(a: &ActivityItem) -> Value {
    json!({
        "id": format!("act_{}", a.id),
        "type": a.kind,
        "title": a.title,
        "description": a.description,
        "opportunity_id": a.deal_uuid.as_deref().map(|u| public_id("opp", u)),
        "due_date": a.due_at.as_deref().map(api_ts),
        "completed": a.done_at.is_some(),
        "completed_at": a.done_at.as_deref().map(api_ts),
        "assigned_to": a.user_uuid.as_deref().map(|u| public_id("user", u)),
    })
}

/// The deal behind an `opp_…` id given in `field`, or 422.
async fn deal_of(state: &AppState, actor: Actor, field: &str, id: &str) -> Result<i64, ApiError> {
    let uuid =
        uuid_of("opp", id).ok_or_else(|| invalid(field, format!("\"{id}\" is not an opp_… id")))?;
    deal_id_by_uuid(&state.db, actor, &uuid)
        .await
        .map_err(|e| match e {
            ServiceError::NotFound(_) => invalid(field, "no such opportunity in this account"),
            e => svc(e),
        })
}

fn page_arg(q: &HashMap<String, String>, field: &str, default: i64) -> Result<i64, ApiError> {
    match q.get(field).map(|v| v.trim()).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| invalid(field, format!("\"{v}\" is not a whole number from 1 up"))),
    }
}

/// `GET /v1/activities?opportunity_id&type&page&per_page` (soonest due first).
pub async fn list(
    State(state): State<AppState>,
    headers: HeaderMap,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Json<Value>, ApiError> {
    let key = auth::require(&state.db, &headers, S, "activities:read").await?;
    let actor = Actor::from(&key);
    let page = page_arg(&q, "page", 1)?;
    let per_page = page_arg(&q, "per_page", DEFAULT_PER_PAGE)?;
    if per_page > MAX_PER_PAGE {
        return Err(invalid(
            "per_page",
            format!("must be at most {MAX_PER_PAGE}"),
        ));
    }
    let deal_id = match q
        .get("opportunity_id")
        .map(|v| v.trim())
        .filter(|v| !v.is_empty())
    {
        Some(id) => Some(deal_of(&state, actor, "opportunity_id", id).await?),
        None => None,
    };
    let filter = ActivityFilter {
        deal_id,
        kind: q.get("type").cloned(),
        ..Default::default()
    };
    let items = activities::list(&state.db, actor, &filter)
        .await
        .map_err(|e| match e {
            ServiceError::Validation { message, .. } => invalid("type", message),
            e => svc(e),
        })?;
    let total = items.len() as i64;
    let start = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
    let data: Vec<Value> = items
        .iter()
        .skip(start)
        .take(per_page as usize)
        .map(activity_json)
        .collect();
    Ok(Json(json!({
        "data": data,
        "meta": { "page": page, "per_page": per_page, "total": total, "pages": ((total + per_page - 1) / per_page).max(1) },
    })))
}

/// `POST /v1/activities` → 201.
pub async fn create(
    State(state): State<AppState>,
    headers: HeaderMap,
    body: Body,
) -> Result<(StatusCode, Json<Value>), ApiError> {
    let key = auth::require(&state.db, &headers, S, "activities:write").await?;
    let actor = Actor::from(&key);
    let body = body.object()?;
    let text = |field: &str| -> Result<String, ApiError> {
        match body.get(field) {
            None | Some(Value::Null) => Ok(String::new()),
            Some(Value::String(s)) => Ok(s.clone()),
            Some(_) => Err(invalid(field, "must be a string")),
        }
    };
    let deal_id = match text("opportunity_id")?.trim() {
        "" => None,
        id => Some(deal_of(&state, actor, "opportunity_id", id).await?),
    };
    let new = NewActivity {
        kind: text("type")?,
        title: text("title")?,
        description: text("description")?,
        due_at: Some(text("due_date")?),
        deal_id,
        user_id: None,
    };
    let created = activities::create_activity(&state.db, actor, new)
        .await
        .map_err(|e| match e {
            // The service names form fields; the API names its own.
            ServiceError::Validation { field, message } => invalid(
                match field.as_str() {
                    "kind" => "type",
                    "due_at" => "due_date",
                    "deal_id" => "opportunity_id",
                    other => other,
                },
                message,
            ),
            e => svc(e),
        })?;
    let item = item_of(&state, actor, created.id).await?;
    Ok((StatusCode::CREATED, Json(activity_json(&item))))
}

/// `PATCH /v1/activities/:id` with `{"completed": true | false}`.
pub async fn update(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Body,
) -> Result<Json<Value>, ApiError> {
    let key = auth::require(&state.db, &headers, S, "activities:write").await?;
    let actor = Actor::from(&key);
    let activity_id = id
        .strip_prefix("act_")
        .and_then(|n| n.parse::<i64>().ok())
        .ok_or_else(|| svc(ServiceError::NotFound("activity")))?;
    let body = body.object()?;
    match body.get("completed") {
        Some(Value::Bool(true)) => activities::complete(&state.db, actor, activity_id).await,
        Some(Value::Bool(false)) => activities::reopen(&state.db, actor, activity_id).await,
        _ => return Err(invalid("completed", "must be true or false")),
    }
    .map_err(svc)?;
    let item = item_of(&state, actor, activity_id).await?;
    Ok(Json(activity_json(&item)))
}

/// One activity as lists show it.
async fn item_of(state: &AppState, actor: Actor, id: i64) -> Result<ActivityItem, ApiError> {
    activities::item(&state.db, actor, id).await.map_err(svc)
}
