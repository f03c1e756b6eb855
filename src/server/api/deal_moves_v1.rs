//! `/v1/opportunities/{id}/move` and `/reopen` — what the board's drag and the deal page's
//! "Reopen" do: put an opportunity in a stage (of any pipeline of the account) at a place in
//! its column, and reopen a won or lost one, through the same services.

use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Key, OpportunitiesWrite};
use super::body::{de, Body};
use super::doc::{AuthErrors, BodyErrors, NotFound, SALES};
use super::error::ApiError;
use super::sales_v1::{answer, deal_of, Opportunity};
use crate::domain::StageId;
use crate::server::services::deals::closing;
use crate::server::services::deals::moves::{move_deal, Slot};
use crate::server::AppState;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(move_to))
        .routes(routes!(reopen))
}

/// Where an opportunity goes: a stage, and before another card of it or at a position (by
/// default the end of the column).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"stage_id": "stage_6a1c0d7e2b9f4c3a8d5e1f2a3b4c5d6e", "position": 1}))]
pub struct MoveBody {
    /// The stage (`stage_…`).
    stage_id: String,
    /// Right before this opportunity of the stage (`opp_…`).
    #[serde(default)]
    before: Option<String>,
    /// The place in the column, from 1 (past the end means last).
    #[serde(default, deserialize_with = "de::int")]
    position: Option<i64>,
}

/// Moves an opportunity to a stage and a place in its column, as a drag on the board does
/// (the stage change fires the automations' stage trigger).
#[utoipa::path(post, path = "/v1/opportunities/{id}/move", tag = SALES,
    operation_id = "moveOpportunity",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)")),
    request_body = MoveBody,
    responses(
        (status = 200, description = "The opportunity in its new place", body = Opportunity),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn move_to(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    Path(id): Path<String>,
    body: Body<MoveBody>,
) -> Result<Json<Opportunity>, ApiError> {
    let actor = key.actor();
    let deal_id = deal_of(&state, actor, &id).await?;
    let body = body.value()?;
    let stage = super::record_of(&state, actor, ("stages", "stage", "stage"), &body.stage_id)
        .await
        .map_err(|_| {
            ApiError::invalid(
                "stage_id",
                format!("no stage \"{}\" in this account", body.stage_id),
            )
        })?;
    let slot = match (body.before.as_deref(), body.position) {
        (Some(_), Some(_)) => {
            return Err(ApiError::invalid(
                "position",
                "give either before or position, not both",
            ))
        }
        (Some(before), None) => Slot::Before(
            deal_of(&state, actor, before)
                .await
                .map_err(|_| ApiError::invalid("before", format!("no opportunity \"{before}\"")))?,
        ),
        (None, Some(position)) if position >= 1 => {
            Slot::Index(usize::try_from(position - 1).unwrap_or(usize::MAX))
        }
        (None, Some(_)) => return Err(ApiError::invalid("position", "must be from 1")),
        (None, None) => Slot::End,
    };
    move_deal(&state.db, actor, deal_id, StageId(stage), slot).await?;
    answer(&state, actor, deal_id).await
}

/// Reopens a won or lost opportunity, clearing its closing data (422 `status` when it is
/// open).
#[utoipa::path(post, path = "/v1/opportunities/{id}/reopen", tag = SALES,
    operation_id = "reopenOpportunity",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)")),
    responses(
        (status = 200, description = "The reopened opportunity", body = Opportunity),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn reopen(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    Path(id): Path<String>,
) -> Result<Json<Opportunity>, ApiError> {
    let actor = key.actor();
    let deal_id = deal_of(&state, actor, &id).await?;
    closing::reopen(&state.db, actor, deal_id).await?;
    answer(&state, actor, deal_id).await
}
