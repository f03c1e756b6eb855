//! `/v1/contacts` — the sales API's contacts (the `lead_…` its opportunities name): list and
//! search by name, e-mail, phone or organization, a page at a time; create; read; change the
//! fields sent; delete. The same service and rules as the contacts pages: e-mail and phone
//! unique in the account, phones read in the account's country and kept in E.164.

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
use crate::domain::contact::ContactSummary;
use crate::domain::public_id::{public_id, uuid_of};
use crate::domain::{ContactId, OrganizationId};
use crate::server::services::contacts::{self, NewContact};
use crate::server::services::deals::id_by_uuid;
use crate::server::services::Actor;
use crate::server::AppState;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(show, update, delete))
}

/// A contact as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Contact {
    #[schema(example = "lead_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812")]
    pub id: String,
    #[schema(example = "Ana Costa")]
    pub name: String,
    pub email: Option<String>,
    /// E.164.
    #[schema(example = "+5511987654321")]
    pub phone: Option<String>,
    /// The organization (`org_…`).
    pub organization_id: Option<String>,
    pub organization_name: Option<String>,
    /// Open opportunities of the contact.
    pub open_opportunities: i64,
    /// Another contact (`lead_…`) that had this one's e-mail or phone when a lead brought this
    /// one in: possibly the same person.
    pub possible_duplicate_of: Option<String>,
}

impl From<ContactSummary> for Contact {
    fn from(c: ContactSummary) -> Self {
        Contact {
            id: public_id("lead", &c.uuid),
            name: c.full_name,
            email: c.email,
            phone: c.phone,
            organization_id: c.organization_uuid.as_deref().map(|u| public_id("org", u)),
            organization_name: c.organization_name,
            open_opportunities: c.open_deals,
            possible_duplicate_of: c.duplicate_of_uuid.as_deref().map(|u| public_id("lead", u)),
        }
    }
}

/// One page of contacts.
#[derive(Debug, Serialize, ToSchema)]
pub struct ContactPage {
    pub data: Vec<Contact>,
    pub meta: PageMeta,
}

/// The search and page of the contact list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ListParams {
    /// Text found in the name, e-mail, phone or organization (ignoring case and accents; at
    /// most 100 characters).
    search: Option<String>,
    /// Page number, from 1 (default 1).
    page: Option<String>,
    /// Rows per page, 1–100 (default 20); more than 100 answers 422.
    per_page: Option<String>,
}

/// A contact to create, or the fields to change (those left out stay).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Ana Costa", "email": "ana@acme.test", "phone": "(11) 98765-4321"}))]
pub struct ContactBody {
    /// 1 to 150 characters (required on create).
    name: Option<String>,
    /// Empty clears it.
    email: Option<String>,
    /// As people type it; read in the account's country when it has no country code. Empty
    /// clears it.
    phone: Option<String>,
    /// An organization of the account (`org_…`); empty clears it.
    organization_id: Option<String>,
}

/// The account's contact a public id names; "not found" otherwise.
async fn contact_of(state: &AppState, actor: Actor, id: &str) -> Result<ContactId, ApiError> {
    super::record_of(state, actor, ("contacts", "lead", "contact"), id)
        .await
        .map(ContactId)
}

/// The organization a body names: `None` to leave it, `Some(None)` to clear it.
async fn organization_of(
    state: &AppState,
    actor: Actor,
    id: Option<&str>,
) -> Result<Option<Option<OrganizationId>>, ApiError> {
    let Some(id) = id else { return Ok(None) };
    if id.trim().is_empty() {
        return Ok(Some(None));
    }
    let uuid = uuid_of("org", id)
        .ok_or_else(|| ApiError::invalid("organization_id", "is not an organization id (org_…)"))?;
    let found = id_by_uuid(
        &state.db.pool,
        "organizations",
        actor.account_id,
        &uuid,
        "organization_id",
    )
    .await?;
    Ok(Some(Some(OrganizationId(found))))
}

/// Lists the account's contacts by name, with an optional search, a page at a time.
#[utoipa::path(get, path = "/v1/contacts", tag = SALES, operation_id = "listContacts",
    params(ListParams),
    responses(
        (status = 200, description = "A page of contacts", body = ContactPage),
        (status = 422, description = "A bad page or page size, or a search longer than 100 characters (`VALIDATION_ERROR`, `field` names it)", body = ErrorBody),
        AuthErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    key: Key<ContactsRead>,
    Query(q): Query<ListParams>,
) -> Result<Json<ContactPage>, ApiError> {
    let actor = key.actor();
    let (page, per_page) = super::paging(q.page.as_deref(), q.per_page.as_deref())?;
    let search = q.search.unwrap_or_default();
    let found = contacts::list_page(&state.db, actor, &search, page, per_page)
        .await
        .map_err(|e| e.renamed("q", "search"))?;
    Ok(Json(ContactPage {
        meta: PageMeta::new(found.page, found.per_page, found.total),
        data: found.items.into_iter().map(Contact::from).collect(),
    }))
}

/// Creates a contact; an e-mail or phone another contact has is refused (422).
#[utoipa::path(post, path = "/v1/contacts", tag = SALES, operation_id = "createContact",
    request_body = ContactBody,
    responses(
        (status = 201, description = "The new contact", body = Contact),
        BodyErrors, AuthErrors,
    ))]
pub async fn create(
    State(state): State<AppState>,
    key: Key<ContactsWrite>,
    body: Body<ContactBody>,
) -> Result<(StatusCode, Json<Contact>), ApiError> {
    let actor = key.actor();
    let body = body.value()?;
    let organization_id = organization_of(&state, actor, body.organization_id.as_deref())
        .await?
        .flatten();
    let new = NewContact {
        full_name: body.name.unwrap_or_default(),
        email: body.email,
        phone: body.phone,
        organization_id,
    };
    let created = contacts::create_contact(&state.db, actor, new).await?;
    let shown = contacts::summary(&state.db, actor, created.id).await?;
    Ok((StatusCode::CREATED, Json(shown.into())))
}

/// One contact.
#[utoipa::path(get, path = "/v1/contacts/{id}", tag = SALES, operation_id = "getContact",
    params(("id" = String, Path, description = "Contact id (`lead_…`)")),
    responses(
        (status = 200, description = "The contact", body = Contact),
        NotFound, AuthErrors,
    ))]
pub async fn show(
    State(state): State<AppState>,
    key: Key<ContactsRead>,
    Path(id): Path<String>,
) -> Result<Json<Contact>, ApiError> {
    let actor = key.actor();
    let id = contact_of(&state, actor, &id).await?;
    Ok(Json(contacts::summary(&state.db, actor, id).await?.into()))
}

/// Changes the fields sent; the others stay.
#[utoipa::path(patch, path = "/v1/contacts/{id}", tag = SALES, operation_id = "updateContact",
    params(("id" = String, Path, description = "Contact id (`lead_…`)")),
    request_body = ContactBody,
    responses(
        (status = 200, description = "The contact after the change", body = Contact),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn update(
    State(state): State<AppState>,
    key: Key<ContactsWrite>,
    Path(id): Path<String>,
    body: Body<ContactBody>,
) -> Result<Json<Contact>, ApiError> {
    let actor = key.actor();
    let id = contact_of(&state, actor, &id).await?;
    let body = body.value()?;
    let current = contacts::get_contact(&state.db.pool, actor, id).await?;
    let organization_id = organization_of(&state, actor, body.organization_id.as_deref())
        .await?
        .unwrap_or(current.organization_id);
    let edit = NewContact {
        full_name: body.name.unwrap_or(current.full_name),
        email: body.email.or(current.email),
        phone: body.phone.or(current.phone),
        organization_id,
    };
    contacts::update_contact(&state.db, actor, id, edit).await?;
    Ok(Json(contacts::summary(&state.db, actor, id).await?.into()))
}

/// Deletes a contact; their opportunities stay, without them.
#[utoipa::path(delete, path = "/v1/contacts/{id}", tag = SALES, operation_id = "deleteContact",
    params(("id" = String, Path, description = "Contact id (`lead_…`)")),
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
    let id = contact_of(&state, actor, &id).await?;
    contacts::delete_contact(&state.db, actor, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
