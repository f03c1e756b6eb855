//! `/v1/users` — the account's users (the `user_…` that opportunities are assigned to): the
//! list, active first, and one user. Reading only: people are invited and managed on the team
//! settings.

use axum::extract::{Path, State};
use axum::Json;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Key, UsersRead};
use super::doc::{AuthErrors, NotFound, SALES};
use super::error::ApiError;
use crate::domain::public_id::public_id;
use crate::domain::TeamMember;
use crate::server::services::accounts::team;
use crate::server::AppState;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list))
        .routes(routes!(show))
}

/// A user as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct User {
    #[schema(example = "user_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812")]
    pub id: String,
    #[schema(example = "Rita Souza")]
    pub name: String,
    pub email: String,
    /// `owner`, `admin` or `sales`.
    #[schema(example = "sales")]
    pub role: String,
    /// Inactive users cannot sign in or be assigned.
    pub active: bool,
}

impl From<TeamMember> for User {
    fn from(m: TeamMember) -> Self {
        User {
            id: public_id("user", &m.uuid),
            name: m.name,
            email: m.email,
            role: m.role,
            active: m.active,
        }
    }
}

/// The users.
#[derive(Debug, Serialize, ToSchema)]
pub struct UserList {
    pub data: Vec<User>,
}

/// Everyone in the account, active first, by name.
#[utoipa::path(get, path = "/v1/users", tag = SALES, operation_id = "listUsers",
    responses(
        (status = 200, description = "The account's users", body = UserList),
        AuthErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    key: Key<UsersRead>,
) -> Result<Json<UserList>, ApiError> {
    let actor = key.actor();
    let members = team::members(&state.db, actor.account_id).await?;
    Ok(Json(UserList {
        data: members.into_iter().map(User::from).collect(),
    }))
}

/// One user.
#[utoipa::path(get, path = "/v1/users/{id}", tag = SALES, operation_id = "getUser",
    params(("id" = String, Path, description = "User id (`user_…`)")),
    responses(
        (status = 200, description = "The user", body = User),
        NotFound, AuthErrors,
    ))]
pub async fn show(
    State(state): State<AppState>,
    key: Key<UsersRead>,
    Path(id): Path<String>,
) -> Result<Json<User>, ApiError> {
    let actor = key.actor();
    let members = team::members(&state.db, actor.account_id).await?;
    members
        .into_iter()
        .find(|m| public_id("user", &m.uuid) == id.trim())
        .map(|m| Json(User::from(m)))
        .ok_or_else(|| ApiError::not_found("user"))
}
