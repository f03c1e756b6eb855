//! `GET /v1/opportunities/export.csv`, `/v1/contacts/export.csv`,
//! `/v1/organizations/export.csv` and `/v1/activities/export.csv` — the lists of the pages as
//! CSV files, with the read scope of each, filtered as the pages filter them (ids are public:
//! `pipe_…`, `user_…`). The files are streamed and the same as the pages' downloads (see
//! `services::export`); a bad filter is answered (422 naming it) before any byte of the file.

use axum::extract::{Query, State};
use axum::response::Response;
use serde::Deserialize;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{ActivitiesRead, ContactsRead, Key, OpportunitiesRead};
use super::doc::{AuthErrors, SALES};
use super::error::ApiError;
use super::sales_v1::resolve;
use crate::domain::{BoardFilter, PipelineId, UserId};
use crate::server::downloads::csv_download;
use crate::server::services::activities::ActivityFilter;
use crate::server::services::export::activities::ActivitySheet;
use crate::server::services::export::deals::DealSheet;
use crate::server::services::export::people::{ContactSheet, OrganizationSheet};
use crate::server::services::Actor;
use crate::server::AppState;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(opportunities))
        .routes(routes!(contacts))
        .routes(routes!(organizations))
        .routes(routes!(activities))
}

/// The board's filters, by public ids.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OpportunityFilters {
    /// A pipeline (`pipe_…`); the primary one when left out.
    pipeline: Option<String>,
    /// The responsible user (`user_…`).
    owner: Option<String>,
    /// `open` (the default), `won`, `lost` or `all`.
    status: Option<String>,
    /// Minimum value, inclusive.
    min_value: Option<String>,
    /// Maximum value, inclusive.
    max_value: Option<String>,
    /// Text in the title, the contact's or the organization's name (case and accents ignored).
    q: Option<String>,
}

/// A list's search.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct SearchFilter {
    /// Text in the name, e-mail, organization or phone (case and accents ignored; at most 100
    /// characters).
    q: Option<String>,
}

/// The activities list's filters.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ActivityFilters {
    /// Whose activities (`user_…`); everyone's when left out.
    user: Option<String>,
    /// `call`, `meeting`, `email`, `task` or `note`.
    kind: Option<String>,
    /// Due on or after this day (`YYYY-MM-DD`).
    from: Option<String>,
    /// Due on or before this day (`YYYY-MM-DD`).
    to: Option<String>,
}

/// A public id of the query, or none when left out or empty.
pub(super) async fn id_of(
    state: &AppState,
    actor: Actor,
    (table, prefix, field): (&'static str, &str, &str),
    value: Option<&str>,
) -> Result<Option<i64>, ApiError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => Ok(Some(resolve(state, actor, table, prefix, field, v).await?)),
    }
}

/// The opportunities of a pipeline, as its board shows them with these filters.
#[utoipa::path(get, path = "/v1/opportunities/export.csv", tag = SALES, operation_id = "exportOpportunities",
    params(OpportunityFilters),
    responses(
        (status = 200, description = "CSV (UTF-8 with a byte-order mark): id, title, pipeline, stage, status, value, currency, expected_close_date, contact, organization, owner", content_type = "text/csv", body = String),
        (status = 422, description = "A filter cannot be read; `field` names it (`VALIDATION_ERROR`)", body = super::error::ErrorBody),
        AuthErrors,
    ))]
pub async fn opportunities(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
    Query(f): Query<OpportunityFilters>,
) -> Result<Response, ApiError> {
    let actor = key.actor();
    let pipeline = id_of(
        &state,
        actor,
        ("pipelines", "pipe", "pipeline"),
        f.pipeline.as_deref(),
    )
    .await?
    .map(PipelineId);
    let owner = id_of(
        &state,
        actor,
        ("users", "user", "owner"),
        f.owner.as_deref(),
    )
    .await?
    .map(UserId);
    let filter = BoardFilter {
        owner,
        status: f.status,
        min_value: f.min_value,
        max_value: f.max_value,
        q: f.q,
    };
    let sheet = DealSheet::prepare(&state.db, actor, pipeline, &filter).await?;
    Ok(csv_download("opportunities.csv", sheet))
}

/// The contacts the contacts list finds.
#[utoipa::path(get, path = "/v1/contacts/export.csv", tag = SALES, operation_id = "exportContacts",
    params(SearchFilter),
    responses(
        (status = 200, description = "CSV (UTF-8 with a byte-order mark): id, name, email, phone, organization, open_deals", content_type = "text/csv", body = String),
        (status = 422, description = "The search is longer than 100 characters (`VALIDATION_ERROR`, `field` is `q`)", body = super::error::ErrorBody),
        AuthErrors,
    ))]
pub async fn contacts(
    State(state): State<AppState>,
    key: Key<ContactsRead>,
    Query(f): Query<SearchFilter>,
) -> Result<Response, ApiError> {
    let sheet = ContactSheet::prepare(&state.db, key.actor(), f.q.unwrap_or_default())?;
    Ok(csv_download("contacts.csv", sheet))
}

/// The organizations the organizations list finds.
#[utoipa::path(get, path = "/v1/organizations/export.csv", tag = SALES, operation_id = "exportOrganizations",
    params(SearchFilter),
    responses(
        (status = 200, description = "CSV (UTF-8 with a byte-order mark): id, name, contacts, open_deals", content_type = "text/csv", body = String),
        (status = 422, description = "The search is longer than 100 characters (`VALIDATION_ERROR`, `field` is `q`)", body = super::error::ErrorBody),
        AuthErrors,
    ))]
pub async fn organizations(
    State(state): State<AppState>,
    key: Key<ContactsRead>,
    Query(f): Query<SearchFilter>,
) -> Result<Response, ApiError> {
    let sheet = OrganizationSheet::prepare(&state.db, key.actor(), f.q.unwrap_or_default())?;
    Ok(csv_download("organizations.csv", sheet))
}

/// The activities of the activities list with these filters, every one of them.
#[utoipa::path(get, path = "/v1/activities/export.csv", tag = SALES, operation_id = "exportActivities",
    params(ActivityFilters),
    responses(
        (status = 200, description = "CSV (UTF-8 with a byte-order mark): id, kind, title, due_at, done_at, deal, user, description", content_type = "text/csv", body = String),
        (status = 422, description = "A filter cannot be read; `field` names it (`VALIDATION_ERROR`)", body = super::error::ErrorBody),
        AuthErrors,
    ))]
pub async fn activities(
    State(state): State<AppState>,
    key: Key<ActivitiesRead>,
    Query(f): Query<ActivityFilters>,
) -> Result<Response, ApiError> {
    let actor = key.actor();
    let user_id = id_of(&state, actor, ("users", "user", "user"), f.user.as_deref())
        .await?
        .map(UserId);
    let filter = ActivityFilter {
        user_id,
        kind: f.kind,
        from: f.from,
        to: f.to,
        deal_id: None,
        contact_id: None,
        organization_id: None,
    };
    let sheet = ActivitySheet::prepare(&state.db, actor, filter)?;
    Ok(csv_download("activities.csv", sheet))
}
