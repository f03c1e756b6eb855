//! `/api/automations`: list, create, read (with the last 10 runs), change, delete, and the run
//! log with pages. Needs scope `config:manage` and an account on the PRO plan (else 402
//! `PLAN_REQUIRED`). Errors use the standard shape (see `error.rs`).

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{ConfigManage, Key};
use super::body::Body;
use super::doc::{AuthErrors, BodyErrors, NotFound, AUTOMATIONS};
use super::error::{ApiError, ErrorBody};
use crate::domain::automation::{AutomationBody, AutomationLogView, AutomationView};
use crate::server::services::automations;
use crate::server::AppState;

/// The key these endpoints take.
type ManageKey = Key<ConfigManage>;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
        .routes(routes!(logs))
}

/// A page of runs.
#[derive(Debug, Serialize, ToSchema)]
pub struct LogPage {
    pub logs: Vec<AutomationLogView>,
    pub total: i64,
    pub page: i64,
    #[serde(rename = "totalPages")]
    pub total_pages: i64,
}

/// Paging of the run log.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LogParams {
    /// Page number, from 1 (default 1).
    page: Option<String>,
    /// Runs per page, 1–100 (default 20).
    limit: Option<String>,
    /// Only runs with this status: `TRIGGERED`, `COMPLETED` or `FAILED`.
    status: Option<String>,
}

/// `{ "ok": true }`.
#[derive(Debug, Serialize, ToSchema)]
pub struct Deleted {
    pub ok: bool,
}

/// Failures every automations endpoint can answer besides authentication.
#[derive(utoipa::IntoResponses)]
#[allow(dead_code)] // documentation only: the variant describes an `ApiError` response
pub enum PlanErrors {
    /// The account is not on the PRO plan (`PLAN_REQUIRED`).
    #[response(status = 402)]
    PlanRequired(ErrorBody),
}

/// Lists the account's automations with their run counts, newest first.
#[utoipa::path(get, path = "/api/automations", tag = AUTOMATIONS, operation_id = "listAutomations",
    responses(
        (status = 200, description = "Every automation of the account", body = Vec<AutomationView>),
        PlanErrors, AuthErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    key: ManageKey,
) -> Result<Json<Vec<AutomationView>>, ApiError> {
    let actor = key.actor();
    Ok(Json(automations::list(&state.db, actor).await?))
}

/// Creates an automation.
#[utoipa::path(post, path = "/api/automations", tag = AUTOMATIONS, operation_id = "createAutomation",
    request_body = AutomationBody,
    responses(
        (status = 201, description = "The new automation", body = AutomationView),
        PlanErrors, BodyErrors, AuthErrors,
    ))]
pub async fn create(
    State(state): State<AppState>,
    key: ManageKey,
    body: Body<AutomationBody>,
) -> Result<(StatusCode, Json<AutomationView>), ApiError> {
    let actor = key.actor();
    let created = automations::create(&state.db, actor, &body.value()?).await?;
    Ok((StatusCode::CREATED, Json(created)))
}

/// One automation with its last 10 runs.
#[utoipa::path(get, path = "/api/automations/{id}", tag = AUTOMATIONS, operation_id = "getAutomation",
    params(("id" = String, Path, description = "Automation id")),
    responses(
        (status = 200, description = "The automation and its `logs`", body = AutomationView),
        PlanErrors, NotFound, AuthErrors,
    ))]
pub async fn show(
    State(state): State<AppState>,
    key: ManageKey,
    Path(id): Path<String>,
) -> Result<Json<AutomationView>, ApiError> {
    let actor = key.actor();
    Ok(Json(automations::get(&state.db, actor, &id, true).await?))
}

/// Changes the fields sent (all optional), `isActive` included.
#[utoipa::path(patch, path = "/api/automations/{id}", tag = AUTOMATIONS, operation_id = "updateAutomation",
    params(("id" = String, Path, description = "Automation id")),
    request_body = AutomationBody,
    responses(
        (status = 200, description = "The automation after the change", body = AutomationView),
        PlanErrors, BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn update(
    State(state): State<AppState>,
    key: ManageKey,
    Path(id): Path<String>,
    body: Body<AutomationBody>,
) -> Result<Json<AutomationView>, ApiError> {
    let actor = key.actor();
    Ok(Json(
        automations::update(&state.db, actor, &id, body.value()?).await?,
    ))
}

/// Deletes an automation and all its runs. This cannot be undone.
#[utoipa::path(delete, path = "/api/automations/{id}", tag = AUTOMATIONS, operation_id = "deleteAutomation",
    params(("id" = String, Path, description = "Automation id")),
    responses(
        (status = 200, description = "Deleted", body = Deleted),
        PlanErrors, NotFound, AuthErrors,
    ))]
pub async fn delete(
    State(state): State<AppState>,
    key: ManageKey,
    Path(id): Path<String>,
) -> Result<Json<Deleted>, ApiError> {
    let actor = key.actor();
    automations::delete(&state.db, actor, &id).await?;
    Ok(Json(Deleted { ok: true }))
}

fn whole(v: Option<&str>, field: &str, default: i64) -> Result<i64, ApiError> {
    match v.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(default),
        Some(v) => v
            .parse::<i64>()
            .map_err(|_| ApiError::invalid(field, format!("\"{v}\" is not a whole number"))),
    }
}

/// The automation's runs, newest first, a page at a time.
#[utoipa::path(get, path = "/api/automations/{id}/logs", tag = AUTOMATIONS, operation_id = "listAutomationLogs",
    params(("id" = String, Path, description = "Automation id"), LogParams),
    responses(
        (status = 200, description = "A page of runs", body = LogPage),
        (status = 422, description = "`page` below 1 or `limit` outside 1–100 (`VALIDATION_ERROR`)", body = ErrorBody),
        PlanErrors, NotFound, AuthErrors,
    ))]
pub async fn logs(
    State(state): State<AppState>,
    key: ManageKey,
    Path(id): Path<String>,
    Query(q): Query<LogParams>,
) -> Result<Json<LogPage>, ApiError> {
    let actor = key.actor();
    let page = whole(q.page.as_deref(), "page", 1)?;
    let limit = whole(q.limit.as_deref(), "limit", super::DEFAULT_PER_PAGE)?;
    let status = q.status.as_deref().map(str::trim).filter(|s| !s.is_empty());
    let (logs, total) = automations::logs(&state.db, actor, &id, page, limit, status).await?;
    let total_pages = (total + limit - 1) / limit;
    Ok(Json(LogPage {
        logs,
        total,
        page,
        total_pages,
    }))
}
