//! `/external/v1` — moving an opportunity through its pipeline by status (stage key, won or
//! lost). Errors: 400 `INVALID_STATUS`, 401, 403 (scope `opportunities:write`), 404 `NOT_FOUND`.

use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::routing::patch;
use axum::{Json, Router};
use serde_json::{json, Value};

use super::auth;
use super::error::{ApiError, Surface};
use crate::domain::public_id::{public_id, uuid_of};
use crate::server::db::api_ts;
use crate::server::services::deals::{deal_id_by_uuid, Deal};
use crate::server::services::pipeline_status::{set_pipeline_status, STAGE_STATUSES};
use crate::server::services::{pipelines, Actor};
use crate::server::{AppState, ServiceError};

const S: Surface = Surface::External;

/// The routes of this surface.
pub fn routes() -> Router<AppState> {
    Router::new().route("/external/v1/opportunities/{id}/stage", patch(update_stage))
}

fn invalid_status(message: impl Into<String>) -> ApiError {
    ApiError::new(S, StatusCode::BAD_REQUEST, "INVALID_STATUS", message)
}

fn not_found() -> ApiError {
    ApiError::new(
        S,
        StatusCode::NOT_FOUND,
        "NOT_FOUND",
        "opportunity not found",
    )
}

/// `PATCH /external/v1/opportunities/:id/stage` with `{"status": …}`.
pub async fn update_stage(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path(id): Path<String>,
    body: Result<Json<Value>, JsonRejection>,
) -> Result<Json<Value>, ApiError> {
    let key = auth::require(&state.db, &headers, S, "opportunities:write").await?;
    let actor = Actor::from(&key);
    let Json(body) =
        body.map_err(|e| invalid_status(format!("the body must be JSON with a status: {e}")))?;
    let known = || format!("{}, won, lost", STAGE_STATUSES.join(", "));
    let status = match body.get("status") {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(_) => {
            return Err(invalid_status(format!(
                "status must be a string: one of {}",
                known()
            )))
        }
        None => {
            return Err(invalid_status(format!(
                "status is required: one of {}",
                known()
            )))
        }
    };
    if status != "won" && status != "lost" && !STAGE_STATUSES.contains(&status.as_str()) {
        return Err(invalid_status(format!(
            "\"{status}\" is not a status; use one of {}",
            known()
        )));
    }
    let uuid = uuid_of("opp", &id).ok_or_else(not_found)?;
    let deal_id = match deal_id_by_uuid(&state.db, actor, &uuid).await {
        Ok(id) => id,
        Err(ServiceError::NotFound(_)) => return Err(not_found()),
        Err(e) => return Err(ApiError::from_service(S, e)),
    };
    let deal = match set_pipeline_status(&state.db, actor, deal_id, &status).await {
        Ok(d) => d,
        // A stage key the deal's own pipeline lacks is still a bad status for this deal.
        Err(ServiceError::Validation { message, .. }) => return Err(invalid_status(message)),
        Err(e) => return Err(ApiError::from_service(S, e)),
    };
    let data = stage_update_data(&state, actor, &deal).await?;
    Ok(Json(json!({ "success": true, "data": data })))
}

/// `{id, name, status, won_at | lost_at, updated_at}`; an open deal's status is its stage key.
async fn stage_update_data(state: &AppState, actor: Actor, deal: &Deal) -> Result<Value, ApiError> {
    let status = match deal.status.as_str() {
        "open" => {
            pipelines::get_stage(&state.db, actor.account_id, deal.stage_id)
                .await
                .map_err(|e| ApiError::from_service(S, e))?
                .key
        }
        other => other.to_string(),
    };
    let mut data = json!({
        "id": public_id("opp", &deal.uuid),
        "name": deal.title,
        "status": status,
        "updated_at": api_ts(&deal.updated_at),
    });
    if let Some(t) = &deal.won_at {
        data["won_at"] = json!(api_ts(t));
    }
    if let Some(t) = &deal.lost_at {
        data["lost_at"] = json!(api_ts(t));
    }
    Ok(data)
}
