//! `/external/v1` — moving an opportunity through its pipeline by status (stage key, won or
//! lost). Errors: 400 `INVALID_STATUS`, 401, 403 (scope `opportunities:write`), 404 `NOT_FOUND`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use serde_json::Value;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Key, OpportunitiesWrite};
use super::body::Body;
use super::doc::EXTERNAL;
use super::error::{ApiError, External, ExternalErrorBody};
use crate::domain::public_id::{public_id, uuid_of};
use crate::domain::DealStatus;
use crate::server::db::api_ts;
use crate::server::services::deals::status::{set_pipeline_status, STAGE_STATUSES};
use crate::server::services::deals::{deal_id_by_uuid, Deal};
use crate::server::services::{pipelines, Actor};
use crate::server::{AppState, ServiceError};

/// This surface's error: `{"success": false, "error": {…}}`.
type Error = ApiError<External>;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(update_stage))
}

/// The body of the stage update. `status` is read as any JSON value so that every bad one is
/// this surface's 400 `INVALID_STATUS`.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"status": "qualified"}))]
pub struct StageUpdate {
    /// `new`, `contacted`, `qualified`, `proposal`, `negotiation` (a stage key of the
    /// opportunity's pipeline), `won` or `lost`.
    #[schema(required = true, value_type = String)]
    status: Option<Value>,
}

/// The answer of the stage update.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageUpdated {
    /// Always `true`.
    pub success: bool,
    pub data: StageUpdatedData,
}

/// The opportunity after the update.
#[derive(Debug, Serialize, ToSchema)]
pub struct StageUpdatedData {
    #[schema(example = "opp_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812")]
    pub id: String,
    pub name: String,
    /// The stage key while open, else `won` or `lost`.
    #[schema(example = "qualified")]
    pub status: String,
    /// Only when won.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub won_at: Option<String>,
    /// Only when lost.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lost_at: Option<String>,
    pub updated_at: String,
}

fn invalid_status(message: impl Into<String>) -> Error {
    ApiError::new(StatusCode::BAD_REQUEST, "INVALID_STATUS", message)
}

fn not_found() -> Error {
    ApiError::new(StatusCode::NOT_FOUND, "NOT_FOUND", "opportunity not found")
}

/// Moves an opportunity to the stage with the given key in its pipeline, or marks it won or
/// lost (setting `won_at` / `lost_at`).
#[utoipa::path(patch, path = "/external/v1/opportunities/{id}/stage", tag = EXTERNAL,
    operation_id = "updateOpportunityStage",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)")),
    request_body = StageUpdate,
    responses(
        (status = 200, description = "The opportunity after the update", body = StageUpdated),
        (status = 400, description = "The status is missing or not one of the list (`INVALID_STATUS`)", body = ExternalErrorBody),
        (status = 401, description = "No API key, or an invalid one (`UNAUTHORIZED`)", body = ExternalErrorBody),
        (status = 403, description = "The key lacks `opportunities:write` or its domain (`FORBIDDEN`)", body = ExternalErrorBody),
        (status = 404, description = "No such opportunity in this account (`NOT_FOUND`)", body = ExternalErrorBody),
    ))]
pub async fn update_stage(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite, External>,
    Path(id): Path<String>,
    body: Body<StageUpdate, External>,
) -> Result<Json<StageUpdated>, Error> {
    let actor = key.actor();
    let body = body.value().map_err(|e| {
        invalid_status(format!(
            "the body must be JSON with a status: {}",
            e.message
        ))
    })?;
    let known = || format!("{}, won, lost", STAGE_STATUSES.join(", "));
    let status = match body.status {
        Some(Value::String(s)) => s.trim().to_string(),
        Some(Value::Null) | None => {
            return Err(invalid_status(format!(
                "status is required: one of {}",
                known()
            )))
        }
        Some(_) => {
            return Err(invalid_status(format!(
                "status must be a string: one of {}",
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
        Err(e) => return Err(e.into()),
    };
    let deal = match set_pipeline_status(&state.db, actor, deal_id, &status).await {
        Ok(d) => d,
        // A stage key the deal's own pipeline lacks is still a bad status for this deal.
        Err(ServiceError::Validation { message, .. }) => return Err(invalid_status(message)),
        Err(e) => return Err(e.into()),
    };
    let data = stage_update_data(&state, actor, &deal).await?;
    Ok(Json(StageUpdated {
        success: true,
        data,
    }))
}

/// `{id, name, status, won_at | lost_at, updated_at}`; an open deal's status is its stage key.
async fn stage_update_data(
    state: &AppState,
    actor: Actor,
    deal: &Deal,
) -> Result<StageUpdatedData, Error> {
    let status = match deal.status {
        DealStatus::Open => {
            pipelines::get_stage(&state.db, actor.account_id, deal.stage_id)
                .await?
                .key
        }
        closed => closed.as_str().to_string(),
    };
    Ok(StageUpdatedData {
        id: public_id("opp", &deal.uuid),
        name: deal.title.clone(),
        status,
        won_at: deal.won_at.as_deref().map(api_ts),
        lost_at: deal.lost_at.as_deref().map(api_ts),
        updated_at: api_ts(&deal.updated_at),
    })
}
