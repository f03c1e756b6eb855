//! `/v1/audit-events` — the account's audit log for a key with `config:manage`: newest first,
//! 50 a page (`before`: the `next_before` of the page before), filtered as `/settings/audit`
//! filters it (days in UTC); and the same rows, oldest first, as CSV.

use axum::extract::{Query, State};
use axum::response::Response;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{ConfigManage, Key};
use super::doc::{AuthErrors, SALES};
use super::error::ApiError;
use crate::domain::audit::AuditEntry;
use crate::domain::{Problem, UserId};
use crate::server::db::api_ts;
use crate::server::downloads::csv_download;
use crate::server::services::audit::{self, AuditFilter};
use crate::server::services::export::audit::AuditSheet;
use crate::server::services::Configurer;
use crate::server::{AppState, ServiceError};

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(export))
}

/// The log's filters; each left out or empty is no filter.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditParams {
    /// What was done (`signed_in`, `sign_in_failed`, `role_changed`, `deal_deleted`, …).
    action: Option<String>,
    /// Who did it (`user_…`).
    user: Option<String>,
    /// From this day (`YYYY-MM-DD`, UTC), included.
    from: Option<String>,
    /// Until this day (`YYYY-MM-DD`, UTC), included.
    to: Option<String>,
    /// Only events older than this id (the `next_before` of the page before).
    before: Option<String>,
}

/// One event of the log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEvent {
    #[schema(example = 1042)]
    pub id: i64,
    /// When (RFC 3339, UTC).
    #[schema(example = "2026-12-05T14:03:11Z")]
    pub at: String,
    /// The user who acted, as named then (`Ana Souza <ana@example.com>`; empty for Dealflow
    /// itself).
    pub actor: String,
    /// The API key the change came through, as named then.
    pub api_key: Option<String>,
    #[schema(example = "role_changed")]
    pub action: String,
    /// What it was done to.
    #[schema(example = "sam@example.com")]
    pub subject: String,
    #[schema(example = "sales → admin")]
    pub detail: Option<String>,
    /// The client's address.
    #[schema(example = "203.0.113.7")]
    pub address: Option<String>,
}

/// A page of the log.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventList {
    pub data: Vec<AuditEvent>,
    /// Pass as `before` for the next (older) page; `null` on the last page.
    pub next_before: Option<i64>,
}

impl From<AuditEntry> for AuditEvent {
    fn from(e: AuditEntry) -> Self {
        AuditEvent {
            id: e.id,
            at: api_ts(&e.at),
            actor: e.actor,
            api_key: e.api_key,
            action: e.action.as_str().to_string(),
            subject: e.subject,
            detail: e.detail,
            address: e.address,
        }
    }
}

/// The filter of the query, its user resolved within the key's account.
async fn filter_of(
    state: &AppState,
    key: &Key<ConfigManage>,
    q: &AuditParams,
) -> Result<AuditFilter, ApiError> {
    let user = super::exports_v1::id_of(
        state,
        key.actor(),
        ("users", "user", "user"),
        q.user.as_deref(),
    )
    .await?
    .map(UserId);
    let mut filter = AuditFilter::parse(
        chrono_tz::Tz::UTC,
        q.action.as_deref().unwrap_or_default(),
        "",
        q.from.as_deref().unwrap_or_default(),
        q.to.as_deref().unwrap_or_default(),
    )?;
    filter.user_id = user;
    Ok(filter)
}

/// The newest events (50), under the filters.
#[utoipa::path(get, path = "/v1/audit-events", tag = SALES, operation_id = "listAuditEvents",
    params(AuditParams),
    responses(
        (status = 200, description = "A page of the log, newest first", body = AuditEventList),
        (status = 422, description = "A filter cannot be read; `field` names it (`VALIDATION_ERROR`)", body = super::error::ErrorBody),
        AuthErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Query(q): Query<AuditParams>,
) -> Result<Json<AuditEventList>, ApiError> {
    let filter = filter_of(&state, &key, &q).await?;
    let before = match q.before.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        None => None,
        Some(b) => Some(b.parse::<i64>().map_err(|_| {
            ServiceError::invalid(
                "before",
                Problem::NotANumber {
                    value: b.chars().take(40).collect(),
                },
            )
        })?),
    };
    let by = Configurer::for_api_key(&key.principal);
    let (entries, next_before) = audit::page(&state.db, by, &filter, before).await?;
    Ok(Json(AuditEventList {
        data: entries.into_iter().map(AuditEvent::from).collect(),
        next_before,
    }))
}

/// Every event under the filters, oldest first.
#[utoipa::path(get, path = "/v1/audit-events/export.csv", tag = SALES, operation_id = "exportAuditEvents",
    params(AuditParams),
    responses(
        (status = 200, description = "CSV (UTF-8 with a byte-order mark): id, at, actor, api_key, action, subject, detail, address", content_type = "text/csv", body = String),
        (status = 422, description = "A filter cannot be read; `field` names it (`VALIDATION_ERROR`)", body = super::error::ErrorBody),
        AuthErrors,
    ))]
pub async fn export(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Query(q): Query<AuditParams>,
) -> Result<Response, ApiError> {
    let filter = filter_of(&state, &key, &q).await?;
    let by = Configurer::for_api_key(&key.principal);
    let sheet = AuditSheet::prepare(&state.db, by, filter)?;
    Ok(csv_download("audit.csv", sheet))
}
