//! `/v1/activities/points` and `/v1/leaderboard` — the points each activity type earns when
//! completed (read with `activities:read`, set with `config:manage`) and the salespeople's
//! standing, as the activities page shows them.

use axum::extract::State;
use axum::Json;
use chrono::Utc;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{ActivitiesRead, ConfigManage, Key};
use super::body::{de, Body};
use super::doc::{AuthErrors, BodyErrors, SALES};
use super::error::ApiError;
use crate::domain::money::cents_to_f64;
use crate::domain::public_id::public_id;
use crate::domain::AccountId;
use crate::server::services::{activities, settings, Configurer};
use crate::server::AppState;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_points, set_points))
        .routes(routes!(leaderboard))
}

/// The points one activity type earns.
#[derive(Debug, Serialize, ToSchema)]
pub struct PointRule {
    /// `call`, `meeting`, `email`, `task` or `note`.
    #[serde(rename = "type")]
    #[schema(rename = "type", example = "call")]
    pub kind: String,
    #[schema(example = 10)]
    pub points: i64,
}

/// The points of every activity type.
#[derive(Debug, Serialize, ToSchema)]
pub struct PointRules {
    pub data: Vec<PointRule>,
}

/// The points a type earns from now on.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"type": "call", "points": 15}))]
pub struct PointsBody {
    /// `call`, `meeting`, `email`, `task` or `note`.
    #[serde(rename = "type")]
    #[schema(rename = "type", required = true)]
    kind: Option<String>,
    /// 0 to 1000.
    #[serde(default, deserialize_with = "de::int_not_null")]
    #[schema(required = true)]
    points: Option<i64>,
}

/// A salesperson's standing.
#[derive(Debug, Serialize, ToSchema)]
pub struct Standing {
    /// `user_…`.
    pub user_id: String,
    pub name: String,
    /// Since Monday, UTC.
    pub points_week: i64,
    pub points_month: i64,
    pub points_all: i64,
    /// Won deals they are responsible for, and their value (final values where set) in
    /// `currency`, the account's base currency, each at the rate of the day it was won
    /// (deals in a currency without a rate for that day are left out).
    pub won_count: i64,
    pub won_value: f64,
    #[schema(example = "USD")]
    pub currency: String,
}

/// The active users, best first (points this week, then all time, then won value).
#[derive(Debug, Serialize, ToSchema)]
pub struct Leaderboard {
    pub data: Vec<Standing>,
}

/// The points each activity type earns when completed.
#[utoipa::path(get, path = "/v1/activities/points", tag = SALES, operation_id = "listActivityPoints",
    responses(
        (status = 200, description = "Points per type", body = PointRules),
        AuthErrors,
    ))]
pub async fn list_points(
    State(state): State<AppState>,
    key: Key<ActivitiesRead>,
) -> Result<Json<PointRules>, ApiError> {
    Ok(Json(rules(&state, key.actor().account_id).await?))
}

/// The account's points per type.
async fn rules(state: &AppState, account_id: AccountId) -> Result<PointRules, ApiError> {
    let rules = settings::point_rules(&state.db, account_id).await?;
    Ok(PointRules {
        data: rules
            .into_iter()
            .map(|(kind, points)| PointRule { kind, points })
            .collect(),
    })
}

/// Sets the points an activity type earns from now on (points already earned stay).
#[utoipa::path(put, path = "/v1/activities/points", tag = SALES,
    operation_id = "setActivityPoints",
    request_body = PointsBody,
    responses(
        (status = 200, description = "Points per type after the change", body = PointRules),
        BodyErrors, AuthErrors,
    ))]
pub async fn set_points(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    body: Body<PointsBody>,
) -> Result<Json<PointRules>, ApiError> {
    let body = body.value()?;
    let kind = body.kind.unwrap_or_default();
    let points = body
        .points
        .ok_or_else(|| ApiError::invalid("points", "must be a whole number from 0 to 1000"))?;
    let by = Configurer::for_api_key(&key.principal);
    settings::set_points(&state.db, by, kind.trim(), points)
        .await
        .map_err(|e| match e {
            crate::server::ServiceError::Validation { field, message } if field == "kind" => {
                ApiError::invalid("type", message)
            }
            e => e.into(),
        })?;
    Ok(Json(rules(&state, key.actor().account_id).await?))
}

/// The salespeople's standing: points this week, this month and all time, and won deals.
#[utoipa::path(get, path = "/v1/leaderboard", tag = SALES, operation_id = "getLeaderboard",
    responses(
        (status = 200, description = "The standing, best first", body = Leaderboard),
        AuthErrors,
    ))]
pub async fn leaderboard(
    State(state): State<AppState>,
    key: Key<ActivitiesRead>,
) -> Result<Json<Leaderboard>, ApiError> {
    let account_id = key.actor().account_id;
    let rows = activities::leaderboard(&state.db, account_id, Utc::now()).await?;
    let data = rows
        .into_iter()
        .map(|r| Standing {
            user_id: public_id("user", &r.user_uuid),
            name: r.name,
            points_week: r.points_week,
            points_month: r.points_month,
            points_all: r.points_all,
            won_count: r.won_count,
            won_value: cents_to_f64(r.won_value_cents),
            currency: r.currency,
        })
        .collect();
    Ok(Json(Leaderboard { data }))
}
