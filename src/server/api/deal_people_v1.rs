//! `/v1/opportunities/{id}/assignees`, `/followers`, `/contacts` and `/tags` — who and what an
//! opportunity is linked to besides its own fields: the list, adding one, taking one off,
//! through the same service as the deal page's people and tags panels (an inactive user cannot
//! be added; adding twice changes nothing; the first contact becomes the primary one).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Key, OpportunitiesRead, OpportunitiesWrite};
use super::body::Body;
use super::doc::{AuthErrors, BodyErrors, NotFound, SALES};
use super::error::ApiError;
use super::sales_v1::{deal_of, resolve};
use crate::domain::public_id::public_id;
use crate::domain::{ContactId, DealId, UserId};
use crate::server::services::deals::links::{self, Link};
use crate::server::services::Actor;
use crate::server::{AppState, ServiceError};

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(remove))
}

/// A user, contact or tag on an opportunity.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonOnDeal {
    /// `user_…`, `lead_…` or `tag_…`, as the role holds.
    #[schema(example = "user_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812")]
    pub id: String,
    pub name: String,
}

/// Everyone (or every tag) in one role on an opportunity.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeopleOnDeal {
    pub data: Vec<PersonOnDeal>,
}

/// What to add: the field the role names (`user_id` for assignees and followers,
/// `contact_id` for contacts, `tag_id` for tags).
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"user_id": "user_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812"}))]
pub struct AddPerson {
    /// Assignees and followers: a user of the account (`user_…`).
    user_id: Option<String>,
    /// Contacts: a contact of the account (`lead_…`); the first one becomes the primary.
    contact_id: Option<String>,
    /// Tags: a tag of the account (`tag_…`).
    tag_id: Option<String>,
}

/// A role of the path: what it links, the field and prefix of its ids, and how it is read.
#[derive(Clone, Copy)]
struct Role {
    /// `users`, `contacts` or `tags`.
    table: &'static str,
    prefix: &'static str,
    field: &'static str,
    link: fn(i64) -> Link,
    /// The linked records' public id and name, for `$1` the deal and `$2` the account.
    list: &'static str,
}

/// `assignees`, `followers`, `contacts` or `tags`, as the path names them.
fn role(name: &str) -> Result<Role, ApiError> {
    match name {
        "assignees" => Ok(Role {
            table: "users",
            prefix: "user",
            field: "user_id",
            link: |id| Link::Assignee(UserId(id)),
            list: "SELECT u.uuid, u.name FROM deal_assignees l JOIN users u ON u.id = l.user_id \
                   WHERE l.deal_id = $1 AND l.account_id = $2 ORDER BY u.name, u.id",
        }),
        "followers" => Ok(Role {
            table: "users",
            prefix: "user",
            field: "user_id",
            link: |id| Link::Follower(UserId(id)),
            list: "SELECT u.uuid, u.name FROM deal_followers l JOIN users u ON u.id = l.user_id \
                   WHERE l.deal_id = $1 AND l.account_id = $2 ORDER BY u.name, u.id",
        }),
        "contacts" => Ok(Role {
            table: "contacts",
            prefix: "lead",
            field: "contact_id",
            link: |id| Link::Person(ContactId(id)),
            list: "SELECT c.uuid, c.full_name FROM deal_persons l JOIN contacts c ON c.id = l.contact_id \
                   WHERE l.deal_id = $1 AND l.account_id = $2 ORDER BY l.is_primary DESC, c.full_name, c.id",
        }),
        "tags" => Ok(Role {
            table: "tags",
            prefix: "tag",
            field: "tag_id",
            link: Link::Tag,
            list: "SELECT t.uuid, t.name FROM deal_tags l JOIN tags t ON t.id = l.tag_id \
                   WHERE l.deal_id = $1 AND t.account_id = $2 ORDER BY t.name, t.id",
        }),
        _ => Err(ApiError::no_route()),
    }
}

async fn people(
    state: &AppState,
    actor: Actor,
    role: Role,
    deal: DealId,
) -> Result<PeopleOnDeal, ApiError> {
    let rows: Vec<(String, String)> = sqlx::query_as(role.list)
        .bind(deal)
        .bind(actor.account_id)
        .fetch_all(&state.db.pool)
        .await
        .map_err(ServiceError::from)?;
    Ok(PeopleOnDeal {
        data: rows
            .into_iter()
            .map(|(uuid, name)| PersonOnDeal {
                id: public_id(role.prefix, &uuid),
                name,
            })
            .collect(),
    })
}

const ROLES: &str = "`assignees`, `followers`, `contacts` or `tags`";

/// The assignees, followers, contacts or tags of an opportunity.
#[utoipa::path(get, path = "/v1/opportunities/{id}/{role}", tag = SALES, operation_id = "listDealPeople",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)"),
           ("role" = String, Path, description = ROLES)),
    responses(
        (status = 200, description = "Who (or which tags) in that role", body = PeopleOnDeal),
        NotFound, AuthErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
    Path((id, role_name)): Path<(String, String)>,
) -> Result<Json<PeopleOnDeal>, ApiError> {
    let actor = key.actor();
    let role = role(&role_name)?;
    let deal = deal_of(&state, actor, &id).await?;
    Ok(Json(people(&state, actor, role, deal).await?))
}

/// Adds a user as an assignee (or follower), a contact, or a tag; answers everyone in that
/// role. Adding twice changes nothing; an inactive user cannot be added.
#[utoipa::path(post, path = "/v1/opportunities/{id}/{role}", tag = SALES, operation_id = "addDealPerson",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)"),
           ("role" = String, Path, description = ROLES)),
    request_body = AddPerson,
    responses(
        (status = 200, description = "Who (or which tags) in that role", body = PeopleOnDeal),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn add(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    Path((id, role_name)): Path<(String, String)>,
    body: Body<AddPerson>,
) -> Result<Json<PeopleOnDeal>, ApiError> {
    let actor = key.actor();
    let role = role(&role_name)?;
    let deal = deal_of(&state, actor, &id).await?;
    let body = body.value()?;
    let given = match role.field {
        "user_id" => body.user_id,
        "contact_id" => body.contact_id,
        _ => body.tag_id,
    };
    let given = given.ok_or_else(|| ApiError::invalid(role.field, "is required"))?;
    let item = resolve(&state, actor, role.table, role.prefix, role.field, &given).await?;
    links::add_link(&state.db, actor, deal, (role.link)(item)).await?;
    Ok(Json(people(&state, actor, role, deal).await?))
}

/// Takes a user, contact or tag off an opportunity. Taking off the primary contact makes the
/// next one primary.
#[utoipa::path(delete, path = "/v1/opportunities/{id}/{role}/{item_id}", tag = SALES, operation_id = "removeDealPerson",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)"),
           ("role" = String, Path, description = ROLES),
           ("item_id" = String, Path, description = "User (`user_…`), contact (`lead_…`) or tag (`tag_…`) id")),
    responses(
        (status = 204, description = "Taken off"),
        NotFound, AuthErrors,
    ))]
pub async fn remove(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    Path((id, role_name, item_id)): Path<(String, String, String)>,
) -> Result<StatusCode, ApiError> {
    let actor = key.actor();
    let role = role(&role_name)?;
    let deal = deal_of(&state, actor, &id).await?;
    let item = resolve(&state, actor, role.table, role.prefix, role.field, &item_id)
        .await
        .map_err(|_| ApiError::not_found(role.table.trim_end_matches('s')))?;
    links::remove_link(&state.db, actor, deal, (role.link)(item)).await?;
    Ok(StatusCode::NO_CONTENT)
}
