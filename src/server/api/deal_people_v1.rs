//! `/v1/opportunities/{id}/assignees` and `/followers` — the users on an opportunity besides
//! its owner: who they are, adding one, taking one off, through the same service as the deal
//! page's people panel (an inactive user cannot be added; adding twice changes nothing).

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
use super::sales_v1::deal_of;
use crate::domain::public_id::{public_id, uuid_of};
use crate::domain::{DealId, UserId};
use crate::server::services::deals::id_by_uuid;
use crate::server::services::deals::links::{self, Link};
use crate::server::services::Actor;
use crate::server::{AppState, ServiceError};

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(remove))
}

/// A user on an opportunity.
#[derive(Debug, Serialize, ToSchema)]
pub struct PersonOnDeal {
    #[schema(example = "user_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812")]
    pub id: String,
    pub name: String,
}

/// The users in one role on an opportunity.
#[derive(Debug, Serialize, ToSchema)]
pub struct PeopleOnDeal {
    pub data: Vec<PersonOnDeal>,
}

/// A user to add.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"user_id": "user_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812"}))]
pub struct AddPerson {
    /// A user of the account (`user_…`).
    user_id: String,
}

/// The link table of a role, and how a user becomes a link in it.
type Role = (&'static str, fn(UserId) -> Link);

/// `assignees` or `followers`, as the path names them.
fn role(name: &str) -> Result<Role, ApiError> {
    match name {
        "assignees" => Ok(("deal_assignees", Link::Assignee)),
        "followers" => Ok(("deal_followers", Link::Follower)),
        _ => Err(ApiError::no_route()),
    }
}

async fn user_of(
    state: &AppState,
    actor: Actor,
    id: &str,
    field: &str,
) -> Result<UserId, ApiError> {
    let uuid =
        uuid_of("user", id).ok_or_else(|| ApiError::invalid(field, "is not a user id (user_…)"))?;
    Ok(UserId(
        id_by_uuid(&state.db.pool, "users", actor.account_id, &uuid, field).await?,
    ))
}

async fn people(
    state: &AppState,
    actor: Actor,
    table: &str,
    deal: DealId,
) -> Result<PeopleOnDeal, ApiError> {
    let rows: Vec<(String, String)> = sqlx::query_as(&format!(
        "SELECT u.uuid, u.name FROM {table} l JOIN users u ON u.id = l.user_id \
         WHERE l.deal_id = $1 AND l.account_id = $2 ORDER BY u.name, u.id"
    ))
    .bind(deal)
    .bind(actor.account_id)
    .fetch_all(&state.db.pool)
    .await
    .map_err(ServiceError::from)?;
    Ok(PeopleOnDeal {
        data: rows
            .into_iter()
            .map(|(uuid, name)| PersonOnDeal {
                id: public_id("user", &uuid),
                name,
            })
            .collect(),
    })
}

/// The assignees (or followers) of an opportunity.
#[utoipa::path(get, path = "/v1/opportunities/{id}/{role}", tag = SALES, operation_id = "listDealPeople",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)"),
           ("role" = String, Path, description = "`assignees` or `followers`")),
    responses(
        (status = 200, description = "The users in that role", body = PeopleOnDeal),
        NotFound, AuthErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
    Path((id, role_name)): Path<(String, String)>,
) -> Result<Json<PeopleOnDeal>, ApiError> {
    let actor = key.actor();
    let (table, _) = role(&role_name)?;
    let deal = deal_of(&state, actor, &id).await?;
    Ok(Json(people(&state, actor, table, deal).await?))
}

/// Adds a user as an assignee (or follower); answers everyone in that role.
#[utoipa::path(post, path = "/v1/opportunities/{id}/{role}", tag = SALES, operation_id = "addDealPerson",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)"),
           ("role" = String, Path, description = "`assignees` or `followers`")),
    request_body = AddPerson,
    responses(
        (status = 200, description = "The users in that role", body = PeopleOnDeal),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn add(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    Path((id, role_name)): Path<(String, String)>,
    body: Body<AddPerson>,
) -> Result<Json<PeopleOnDeal>, ApiError> {
    let actor = key.actor();
    let (table, link) = role(&role_name)?;
    let deal = deal_of(&state, actor, &id).await?;
    let body = body.value()?;
    let user = user_of(&state, actor, &body.user_id, "user_id").await?;
    links::add_link(&state.db, actor, deal, link(user)).await?;
    Ok(Json(people(&state, actor, table, deal).await?))
}

/// Takes a user off an opportunity's assignees (or followers).
#[utoipa::path(delete, path = "/v1/opportunities/{id}/{role}/{user_id}", tag = SALES, operation_id = "removeDealPerson",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)"),
           ("role" = String, Path, description = "`assignees` or `followers`"),
           ("user_id" = String, Path, description = "User id (`user_…`)")),
    responses(
        (status = 204, description = "Taken off"),
        NotFound, AuthErrors,
    ))]
pub async fn remove(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    Path((id, role_name, user_id)): Path<(String, String, String)>,
) -> Result<StatusCode, ApiError> {
    let actor = key.actor();
    let (_, link) = role(&role_name)?;
    let deal = deal_of(&state, actor, &id).await?;
    let user = user_of(&state, actor, &user_id, "user_id")
        .await
        .map_err(|_| ApiError::not_found("user"))?;
    links::remove_link(&state.db, actor, deal, link(user)).await?;
    Ok(StatusCode::NO_CONTENT)
}
