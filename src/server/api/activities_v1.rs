//! `/v1/activities` — the sales API's activities: list (by opportunity and type, a page at a
//! time), create, and complete / reopen (`PATCH` with `completed`), which moves the assigned
//! salesperson's points exactly as the activities page does.

use crate::domain::{ActivityId, DealId};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{ActivitiesRead, ActivitiesWrite, Key};
use super::body::Body;
use super::doc::{AuthErrors, BodyErrors, NotFound, SALES};
use super::error::{ApiError, ErrorBody};
use super::sales_v1::opportunities::{DEFAULT_PER_PAGE, MAX_PER_PAGE};
use super::sales_v1::PageMeta;
use crate::domain::activity::ActivityItem;
use crate::domain::public_id::{public_id, uuid_of};
use crate::server::db::api_ts;
use crate::server::services::activities::{self, ActivityFilter, NewActivity};
use crate::server::services::deals::deal_id_by_uuid;
use crate::server::services::Actor;
use crate::server::{AppState, ServiceError};

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update, delete))
}

fn invalid(field: &str, message: impl Into<crate::domain::Problem>) -> ApiError {
    ApiError::invalid(field, message)
}

/// An activity as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Activity {
    #[schema(example = "act_42")]
    pub id: String,
    /// `call`, `meeting`, `email`, `task` or `note`.
    #[serde(rename = "type")]
    #[schema(example = "call")]
    pub kind: String,
    #[schema(example = "Discovery call")]
    pub title: String,
    pub description: String,
    /// The opportunity (`opp_…`), if any.
    pub opportunity_id: Option<String>,
    /// ISO 8601, UTC.
    pub due_date: Option<String>,
    pub completed: bool,
    pub completed_at: Option<String>,
    /// The user (`user_…`).
    pub assigned_to: Option<String>,
}

impl From<&ActivityItem> for Activity {
    fn from(a: &ActivityItem) -> Self {
        Activity {
            id: format!("act_{}", a.id),
            kind: a.kind.clone(),
            title: a.title.clone(),
            description: a.description.clone(),
            opportunity_id: a.deal_uuid.as_deref().map(|u| public_id("opp", u)),
            due_date: a.due_at.as_deref().map(api_ts),
            completed: a.done_at.is_some(),
            completed_at: a.done_at.as_deref().map(api_ts),
            assigned_to: a.user_uuid.as_deref().map(|u| public_id("user", u)),
        }
    }
}

/// One page of activities.
#[derive(Debug, Serialize, ToSchema)]
pub struct ActivityPage {
    pub data: Vec<Activity>,
    pub meta: PageMeta,
}

/// Filters of the activity list; all optional.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityParams {
    /// Only this opportunity's activities (`opp_…`).
    opportunity_id: Option<String>,
    /// `call`, `meeting`, `email`, `task` or `note`.
    #[serde(rename = "type")]
    #[param(rename = "type")]
    kind: Option<String>,
    /// Page number, from 1 (default 1).
    page: Option<String>,
    /// Rows per page, 1–100 (default 20); more than 100 answers 422.
    per_page: Option<String>,
}

/// The body of `POST /v1/activities`.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"type": "call", "title": "Discovery call", "due_date": "2026-12-01T15:00:00Z"}))]
pub struct NewActivityBody {
    /// `call`, `meeting`, `email`, `task` or `note`.
    #[serde(rename = "type")]
    #[schema(rename = "type", required = true)]
    kind: Option<String>,
    /// Required.
    #[schema(required = true)]
    title: Option<String>,
    description: Option<String>,
    /// ISO 8601 date-time (or `YYYY-MM-DDTHH:MM`).
    due_date: Option<String>,
    /// The opportunity (`opp_…`).
    opportunity_id: Option<String>,
}

/// The body of `PATCH /v1/activities/{id}`: `completed`, or changes to the fields (what is
/// left out stays as it is) — one or the other in a request.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"completed": true}))]
pub struct ActivityCompletion {
    /// `true` completes (points to the salesperson), `false` reopens (points taken back).
    completed: Option<bool>,
    /// `call`, `meeting`, `email`, `task` or `note`.
    #[serde(rename = "type")]
    #[schema(rename = "type")]
    kind: Option<String>,
    title: Option<String>,
    description: Option<String>,
    /// ISO 8601 date-time; `null` clears it.
    #[serde(default, deserialize_with = "super::body::de::nullable")]
    #[schema(value_type = Option<String>)]
    due_date: Option<Option<String>>,
    /// The opportunity (`opp_…`); `null` takes it off.
    #[serde(default, deserialize_with = "super::body::de::nullable")]
    #[schema(value_type = Option<String>)]
    opportunity_id: Option<Option<String>>,
}

/// A service error with the form's field names turned into the API's.
fn api_error(e: ServiceError) -> ApiError {
    match e {
        ServiceError::Validation { field, message } => invalid(
            match field.as_str() {
                "kind" => "type",
                "due_at" => "due_date",
                "deal_id" => "opportunity_id",
                other => other,
            },
            message,
        ),
        e => e.into(),
    }
}

/// The deal behind an `opp_…` id given in `field`, or 422.
async fn deal_of(
    state: &AppState,
    actor: Actor,
    field: &str,
    id: &str,
) -> Result<DealId, ApiError> {
    let uuid =
        uuid_of("opp", id).ok_or_else(|| invalid(field, format!("\"{id}\" is not an opp_… id")))?;
    deal_id_by_uuid(&state.db, actor, &uuid)
        .await
        .map_err(|e| match e {
            ServiceError::NotFound(_) => invalid(field, "no such opportunity in this account"),
            e => e.into(),
        })
}

fn page_arg(value: Option<&str>, field: &str, default: i64) -> Result<i64, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => v
            .parse::<i64>()
            .ok()
            .filter(|n| *n >= 1)
            .ok_or_else(|| invalid(field, format!("\"{v}\" is not a whole number from 1 up"))),
    }
}

/// Lists the account's activities, soonest due first.
#[utoipa::path(get, path = "/v1/activities", tag = SALES, operation_id = "listActivities",
    params(ActivityParams),
    responses(
        (status = 200, description = "A page of activities", body = ActivityPage),
        (status = 422, description = "A filter has a bad value (`VALIDATION_ERROR`, `field` names it)", body = ErrorBody),
        AuthErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    key: Key<ActivitiesRead>,
    Query(q): Query<ActivityParams>,
) -> Result<Json<ActivityPage>, ApiError> {
    let actor = key.actor();
    let page = page_arg(q.page.as_deref(), "page", 1)?;
    let per_page = page_arg(q.per_page.as_deref(), "per_page", DEFAULT_PER_PAGE)?;
    if per_page > MAX_PER_PAGE {
        return Err(invalid(
            "per_page",
            format!("must be at most {MAX_PER_PAGE}"),
        ));
    }
    let deal_id = match q
        .opportunity_id
        .as_deref()
        .map(str::trim)
        .filter(|v| !v.is_empty())
    {
        Some(id) => Some(deal_of(&state, actor, "opportunity_id", id).await?),
        None => None,
    };
    let filter = ActivityFilter {
        deal_id,
        kind: q.kind,
        ..Default::default()
    };
    let items = activities::list(&state.db, actor, &filter)
        .await
        .map_err(|e| match e {
            ServiceError::Validation { message, .. } => invalid("type", message),
            e => e.into(),
        })?;
    let total = items.len() as i64;
    let start = usize::try_from((page - 1).saturating_mul(per_page)).unwrap_or(usize::MAX);
    let data = items
        .iter()
        .skip(start)
        .take(per_page as usize)
        .map(Activity::from)
        .collect();
    Ok(Json(ActivityPage {
        data,
        meta: PageMeta::new(page, per_page, total),
    }))
}

/// Creates an activity, assigned to the key's owner.
#[utoipa::path(post, path = "/v1/activities", tag = SALES, operation_id = "createActivity",
    request_body = NewActivityBody,
    responses(
        (status = 201, description = "The new activity", body = Activity),
        BodyErrors, AuthErrors,
    ))]
pub async fn create(
    State(state): State<AppState>,
    key: Key<ActivitiesWrite>,
    body: Body<NewActivityBody>,
) -> Result<(StatusCode, Json<Activity>), ApiError> {
    let actor = key.actor();
    let body = body.value()?;
    let deal_id = match body.opportunity_id.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(id) => Some(deal_of(&state, actor, "opportunity_id", id).await?),
    };
    let new = NewActivity {
        kind: body.kind.unwrap_or_default(),
        title: body.title.unwrap_or_default(),
        description: body.description.unwrap_or_default(),
        due_at: Some(body.due_date.unwrap_or_default()),
        deal_id,
        user_id: None,
    };
    let created = activities::create_activity(&state.db, actor, new)
        .await
        .map_err(api_error)?;
    let item = item_of(&state, actor, created.id).await?;
    Ok((StatusCode::CREATED, Json(Activity::from(&item))))
}

/// Completes or reopens an activity (completing twice never counts twice), or changes its
/// type, title, description, due date or opportunity.
#[utoipa::path(patch, path = "/v1/activities/{id}", tag = SALES, operation_id = "updateActivity",
    params(("id" = String, Path, description = "Activity id (`act_…`)")),
    request_body = ActivityCompletion,
    responses(
        (status = 200, description = "The activity after the change", body = Activity),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn update(
    State(state): State<AppState>,
    key: Key<ActivitiesWrite>,
    Path(id): Path<String>,
    body: Body<ActivityCompletion>,
) -> Result<Json<Activity>, ApiError> {
    let actor = key.actor();
    let activity_id = id
        .strip_prefix("act_")
        .and_then(|n| n.parse::<ActivityId>().ok())
        .ok_or_else(|| ApiError::not_found("activity"))?;
    let body = body.value()?;
    let edits = body.kind.is_some()
        || body.title.is_some()
        || body.description.is_some()
        || body.due_date.is_some()
        || body.opportunity_id.is_some();
    match (body.completed, edits) {
        (Some(_), true) => {
            return Err(invalid(
                "completed",
                "complete or reopen in a request of its own, apart from changes to the fields",
            ))
        }
        (Some(true), false) => {
            activities::complete(&state.db, actor, activity_id).await?;
        }
        (Some(false), false) => {
            activities::reopen(&state.db, actor, activity_id).await?;
        }
        (None, false) => return Err(invalid("completed", "must be true or false")),
        (None, true) => {
            let current = activities::get_activity(&state.db, actor, activity_id).await?;
            let deal_id = match body.opportunity_id {
                None => current.deal_id,
                Some(None) => None,
                Some(Some(id)) if id.trim().is_empty() => None,
                Some(Some(id)) => Some(deal_of(&state, actor, "opportunity_id", &id).await?),
            };
            let edit = NewActivity {
                kind: body.kind.unwrap_or(current.kind),
                title: body.title.unwrap_or(current.title),
                description: body.description.unwrap_or(current.description),
                due_at: match body.due_date {
                    None => current.due_at,
                    Some(due) => Some(due.unwrap_or_default()),
                },
                deal_id,
                user_id: current.user_id,
            };
            activities::update_activity(&state.db, actor, activity_id, edit)
                .await
                .map_err(api_error)?;
        }
    }
    let item = item_of(&state, actor, activity_id).await?;
    Ok(Json(Activity::from(&item)))
}

/// One activity as lists show it.
async fn item_of(state: &AppState, actor: Actor, id: ActivityId) -> Result<ActivityItem, ApiError> {
    Ok(activities::item(&state.db, actor, id).await?)
}

/// Deletes an activity; the points it still holds are taken back.
#[utoipa::path(delete, path = "/v1/activities/{id}", tag = SALES, operation_id = "deleteActivity",
    params(("id" = String, Path, description = "Activity id (`act_…`)")),
    responses(
        (status = 204, description = "Deleted"),
        NotFound, AuthErrors,
    ))]
pub async fn delete(
    State(state): State<AppState>,
    key: Key<ActivitiesWrite>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let actor = key.actor();
    let activity_id = id
        .strip_prefix("act_")
        .and_then(|n| n.parse::<ActivityId>().ok())
        .ok_or_else(|| ApiError::not_found("activity"))?;
    item_of(&state, actor, activity_id).await?;
    activities::delete(&state.db, actor, activity_id).await?;
    Ok(StatusCode::NO_CONTENT)
}
