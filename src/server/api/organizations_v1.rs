//! `/v1/organizations` — the sales API's organizations (`org_…`): list and search by name, a
//! page at a time; create; read; rename; delete. The same service and rules as the
//! organizations pages: names unique in the account, ignoring case.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{ContactsRead, ContactsWrite, Key};
use super::body::Body;
use super::doc::{AuthErrors, BodyErrors, NotFound, SALES};
use super::error::{ApiError, ErrorBody};
use super::sales_v1::PageMeta;
use crate::domain::contact::OrganizationSummary;
use crate::domain::public_id::public_id;
use crate::domain::OrganizationId;
use crate::server::services::{organizations, Actor};
use crate::server::AppState;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
}

/// An organization as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Organization {
    #[schema(example = "org_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812")]
    pub id: String,
    #[schema(example = "Acme")]
    pub name: String,
    /// Its contacts.
    pub contacts: i64,
    /// Its open opportunities.
    pub open_opportunities: i64,
}

impl From<OrganizationSummary> for Organization {
    fn from(o: OrganizationSummary) -> Self {
        Organization {
            id: public_id("org", &o.uuid),
            name: o.name,
            contacts: o.contacts,
            open_opportunities: o.open_deals,
        }
    }
}

/// One page of organizations.
#[derive(Debug, Serialize, ToSchema)]
pub struct OrganizationPage {
    pub data: Vec<Organization>,
    pub meta: PageMeta,
}

/// The search and page of the organization list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Text found in the name (ignoring case).
    search: Option<String>,
    /// Page number, from 1 (default 1).
    page: Option<String>,
    /// Rows per page, 1–100 (default 20); more than 100 answers 422.
    per_page: Option<String>,
}

/// An organization to create or rename.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Acme"}))]
pub struct OrganizationBody {
    /// 1 to 150 characters, unique in the account (ignoring case).
    name: String,
}

/// The account's organization a public id names; "not found" otherwise.
async fn organization_of(
    state: &AppState,
    actor: Actor,
    id: &str,
) -> Result<OrganizationId, ApiError> {
    super::record_of(state, actor, ("organizations", "org", "organization"), id)
        .await
        .map(OrganizationId)
}

/// Lists the account's organizations by name, with an optional search, a page at a time.
#[utoipa::path(get, path = "/v1/organizations", tag = SALES, operation_id = "listOrganizations",
    params(ListParams),
    responses(
        (status = 200, description = "A page of organizations", body = OrganizationPage),
        (status = 422, description = "A bad page or page size, or a search longer than 100 characters (`VALIDATION_ERROR`, `field` names it)", body = ErrorBody),
        AuthErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    key: Key<ContactsRead>,
    Query(q): Query<ListParams>,
) -> Result<Json<OrganizationPage>, ApiError> {
    let actor = key.actor();
    let (page, per_page) = super::paging(q.page.as_deref(), q.per_page.as_deref())?;
    let search = q.search.unwrap_or_default();
    let found = organizations::list_page(&state.db, actor, &search, page, per_page)
        .await
        .map_err(|e| e.renamed("q", "search"))?;
    Ok(Json(OrganizationPage {
        meta: PageMeta::new(found.page, found.per_page, found.total),
        data: found.items.into_iter().map(Organization::from).collect(),
    }))
}

/// Creates an organization; a name the account has already (ignoring case) is refused.
#[utoipa::path(post, path = "/v1/organizations", tag = SALES, operation_id = "createOrganization",
    request_body = OrganizationBody,
    responses(
        (status = 201, description = "The new organization", body = Organization),
        BodyErrors, AuthErrors,
    ))]
pub async fn create(
    State(state): State<AppState>,
    key: Key<ContactsWrite>,
    body: Body<OrganizationBody>,
) -> Result<(StatusCode, Json<Organization>), ApiError> {
    let actor = key.actor();
    let body = body.value()?;
    let id = organizations::create_organization(&state.db, actor, &body.name).await?;
    let shown = organizations::summary_of(&state.db, actor, id).await?;
    Ok((StatusCode::CREATED, Json(shown.into())))
}

/// One organization.
#[utoipa::path(get, path = "/v1/organizations/{id}", tag = SALES, operation_id = "getOrganization",
    params(("id" = String, Path, description = "Organization id (`org_…`)")),
    responses(
        (status = 200, description = "The organization", body = Organization),
        NotFound, AuthErrors,
    ))]
pub async fn show(
    State(state): State<AppState>,
    key: Key<ContactsRead>,
    Path(id): Path<String>,
) -> Result<Json<Organization>, ApiError> {
    let actor = key.actor();
    let id = organization_of(&state, actor, &id).await?;
    Ok(Json(
        organizations::summary_of(&state.db, actor, id)
            .await?
            .into(),
    ))
}

/// Renames an organization.
#[utoipa::path(patch, path = "/v1/organizations/{id}", tag = SALES, operation_id = "updateOrganization",
    params(("id" = String, Path, description = "Organization id (`org_…`)")),
    request_body = OrganizationBody,
    responses(
        (status = 200, description = "The organization after the change", body = Organization),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn update(
    State(state): State<AppState>,
    key: Key<ContactsWrite>,
    Path(id): Path<String>,
    body: Body<OrganizationBody>,
) -> Result<Json<Organization>, ApiError> {
    let actor = key.actor();
    let id = organization_of(&state, actor, &id).await?;
    let body = body.value()?;
    organizations::rename_organization(&state.db, actor, id, &body.name).await?;
    Ok(Json(
        organizations::summary_of(&state.db, actor, id)
            .await?
            .into(),
    ))
}

/// Deletes an organization; its people and opportunities stay, without it.
#[utoipa::path(delete, path = "/v1/organizations/{id}", tag = SALES, operation_id = "deleteOrganization",
    params(("id" = String, Path, description = "Organization id (`org_…`)")),
    responses(
        (status = 204, description = "Deleted"),
        NotFound, AuthErrors,
    ))]
pub async fn delete(
    State(state): State<AppState>,
    key: Key<ContactsWrite>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let actor = key.actor();
    let id = organization_of(&state, actor, &id).await?;
    organizations::delete_organization(&state.db, actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
