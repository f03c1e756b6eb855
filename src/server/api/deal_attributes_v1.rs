//! `/v1/opportunities/{id}/attributes/{key}` — one custom attribute of an opportunity, set or
//! taken off as on the deal page (the whole set is read back on the opportunity).

use axum::extract::{Path, State};
use axum::Json;
use serde::Deserialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Key, OpportunitiesWrite};
use super::body::Body;
use super::doc::{AuthErrors, BodyErrors, NotFound, SALES};
use super::error::ApiError;
use super::sales_v1::{answer, deal_of, Opportunity};
use crate::server::services::deals::links;
use crate::server::AppState;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(set, remove))
}

/// An attribute's new value.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"value": "50"}))]
pub struct AttributeBody {
    /// Text, at most 500 characters.
    value: String,
}

/// Sets one custom attribute of the opportunity.
#[utoipa::path(put, path = "/v1/opportunities/{id}/attributes/{key}", tag = SALES,
    operation_id = "setOpportunityAttribute",
    params(
        ("id" = String, Path, description = "Opportunity id (`opp_…`)"),
        ("key" = String, Path, description = "The attribute's key"),
    ),
    request_body = AttributeBody,
    responses(
        (status = 200, description = "The opportunity with the attribute", body = Opportunity),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn set(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    Path((id, attribute)): Path<(String, String)>,
    body: Body<AttributeBody>,
) -> Result<Json<Opportunity>, ApiError> {
    let actor = key.actor();
    let deal_id = deal_of(&state, actor, &id).await?;
    let body = body.value()?;
    links::set_attribute(&state.db, actor, deal_id, &attribute, &body.value).await?;
    answer(&state, actor, deal_id).await
}

/// Takes one custom attribute off the opportunity.
#[utoipa::path(delete, path = "/v1/opportunities/{id}/attributes/{key}", tag = SALES,
    operation_id = "removeOpportunityAttribute",
    params(
        ("id" = String, Path, description = "Opportunity id (`opp_…`)"),
        ("key" = String, Path, description = "The attribute's key"),
    ),
    responses(
        (status = 200, description = "The opportunity without the attribute", body = Opportunity),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn remove(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    Path((id, attribute)): Path<(String, String)>,
) -> Result<Json<Opportunity>, ApiError> {
    let actor = key.actor();
    let deal_id = deal_of(&state, actor, &id).await?;
    links::remove_attribute(&state.db, actor, deal_id, &attribute).await?;
    answer(&state, actor, deal_id).await
}
