//! `/v1/lead-sources` and `/v1/trackers` — where leads come from: the account's lead sources
//! (`src_…`) and the marketing trackers whose code (`wegly_code` on the lead intake) gives a
//! lead its source. Listing needs `opportunities:read`; changes need `config:manage`.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{ConfigManage, Key, OpportunitiesRead};
use super::body::Body;
use super::doc::{AuthErrors, BodyErrors, NotFound, SALES};
use super::error::ApiError;
use crate::domain::public_id::public_id;
use crate::server::db::api_ts;
use crate::server::services::marketing::{self, Tracker};
use crate::server::services::{Actor, Configurer};
use crate::server::AppState;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_sources, create_source))
        .routes(routes!(delete_source))
        .routes(routes!(list_trackers, create_tracker))
        .routes(routes!(delete_tracker))
}

/// A lead source.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadSource {
    #[schema(example = "src_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812")]
    pub id: String,
    #[schema(example = "Website")]
    pub name: String,
}

/// The account's lead sources by name.
#[derive(Debug, Serialize, ToSchema)]
pub struct LeadSourceList {
    pub data: Vec<LeadSource>,
}

/// A lead source to create.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Website"}))]
pub struct LeadSourceBody {
    /// 1 to 100 characters, new to the account.
    name: String,
}

/// A marketing tracker.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrackerView {
    /// The code leads carry (`wegly_code`).
    #[schema(example = "spring-campaign")]
    pub code: String,
    /// The source its leads take (`src_…`).
    pub lead_source_id: Option<String>,
    #[schema(example = "Website")]
    pub lead_source: Option<String>,
    /// ISO 8601, UTC.
    pub created_at: String,
}

impl From<Tracker> for TrackerView {
    fn from(t: Tracker) -> Self {
        TrackerView {
            code: t.code,
            lead_source_id: t.lead_source_uuid.as_deref().map(|u| public_id("src", u)),
            lead_source: t.lead_source,
            created_at: api_ts(&t.created_at),
        }
    }
}

/// The account's trackers by code.
#[derive(Debug, Serialize, ToSchema)]
pub struct TrackerList {
    pub data: Vec<TrackerView>,
}

/// A tracker to create.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"code": "spring-campaign", "lead_source_id": "src_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812"}))]
pub struct TrackerBody {
    /// 1 to 100 letters, digits, `-`, `_` or `.`, new to the account.
    code: String,
    /// The lead source its leads take (`src_…`).
    lead_source_id: Option<String>,
}

/// The account's lead source a public id names; "not found" otherwise.
async fn source_of(state: &AppState, actor: Actor, id: &str) -> Result<i64, ApiError> {
    super::record_of(state, actor, ("lead_sources", "src", "lead source"), id).await
}

/// The account's lead sources, or only the one with row id `only`.
async fn sources(
    state: &AppState,
    actor: Actor,
    only: Option<i64>,
) -> Result<Vec<LeadSource>, ApiError> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT uuid, name FROM lead_sources WHERE account_id = $1 AND ($2 = 0 OR id = $2) \
         ORDER BY name, id",
    )
    .bind(actor.account_id)
    .bind(only.unwrap_or(0))
    .fetch_all(&state.db.pool)
    .await
    .map_err(crate::server::ServiceError::from)?;
    Ok(rows
        .into_iter()
        .map(|(uuid, name)| LeadSource {
            id: public_id("src", &uuid),
            name,
        })
        .collect())
}

/// The account's lead sources by name.
#[utoipa::path(get, path = "/v1/lead-sources", tag = SALES, operation_id = "listLeadSources",
    responses(
        (status = 200, description = "The lead sources", body = LeadSourceList),
        AuthErrors,
    ))]
pub async fn list_sources(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
) -> Result<Json<LeadSourceList>, ApiError> {
    Ok(Json(LeadSourceList {
        data: sources(&state, key.actor(), None).await?,
    }))
}

/// Creates a lead source.
#[utoipa::path(post, path = "/v1/lead-sources", tag = SALES, operation_id = "createLeadSource",
    request_body = LeadSourceBody,
    responses(
        (status = 201, description = "The new lead source", body = LeadSource),
        BodyErrors, AuthErrors,
    ))]
pub async fn create_source(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    body: Body<LeadSourceBody>,
) -> Result<(StatusCode, Json<LeadSource>), ApiError> {
    let body = body.value()?;
    let by = Configurer::for_api_key(&key.principal);
    let id = marketing::add_lead_source(&state.db, by, &body.name).await?;
    let source = sources(&state, key.actor(), Some(id))
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("lead source"))?;
    Ok((StatusCode::CREATED, Json(source)))
}

/// Deletes a lead source; its deals and trackers keep no source.
#[utoipa::path(delete, path = "/v1/lead-sources/{id}", tag = SALES,
    operation_id = "deleteLeadSource",
    params(("id" = String, Path, description = "Lead source id (`src_…`)")),
    responses(
        (status = 204, description = "Deleted"),
        NotFound, AuthErrors,
    ))]
pub async fn delete_source(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = source_of(&state, key.actor(), &id).await?;
    marketing::delete_lead_source(&state.db, Configurer::for_api_key(&key.principal), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The account's marketing trackers by code.
#[utoipa::path(get, path = "/v1/trackers", tag = SALES, operation_id = "listTrackers",
    responses(
        (status = 200, description = "The trackers", body = TrackerList),
        AuthErrors,
    ))]
pub async fn list_trackers(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
) -> Result<Json<TrackerList>, ApiError> {
    let rows = marketing::trackers(&state.db, key.actor().account_id, None).await?;
    Ok(Json(TrackerList {
        data: rows.into_iter().map(TrackerView::from).collect(),
    }))
}

/// Creates a tracker: leads that arrive with its code take its lead source.
#[utoipa::path(post, path = "/v1/trackers", tag = SALES, operation_id = "createTracker",
    request_body = TrackerBody,
    responses(
        (status = 201, description = "The new tracker", body = TrackerView),
        BodyErrors, AuthErrors,
    ))]
pub async fn create_tracker(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    body: Body<TrackerBody>,
) -> Result<(StatusCode, Json<TrackerView>), ApiError> {
    let actor = key.actor();
    let body = body.value()?;
    let source = match body.lead_source_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(id) => Some(source_of(&state, actor, id).await.map_err(|_| {
            ApiError::invalid(
                "lead_source_id",
                format!("no lead source \"{id}\" in this account"),
            )
        })?),
    };
    let by = Configurer::for_api_key(&key.principal);
    marketing::add_tracker(&state.db, by, &body.code, source).await?;
    let tracker = marketing::trackers(&state.db, actor.account_id, Some(&body.code))
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("tracker"))?;
    Ok((StatusCode::CREATED, Json(tracker.into())))
}

/// Deletes a tracker.
#[utoipa::path(delete, path = "/v1/trackers/{code}", tag = SALES, operation_id = "deleteTracker",
    params(("code" = String, Path, description = "The tracker's code")),
    responses(
        (status = 204, description = "Deleted"),
        NotFound, AuthErrors,
    ))]
pub async fn delete_tracker(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path(code): Path<String>,
) -> Result<StatusCode, ApiError> {
    marketing::delete_tracker(&state.db, Configurer::for_api_key(&key.principal), &code).await?;
    Ok(StatusCode::NO_CONTENT)
}
