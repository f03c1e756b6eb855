//! `/v1/users` — the account's users (the `user_…` that opportunities are assigned to): the
//! list, active first, and one user; adding a user, changing a role, turning a user off or on.
//! Changes need `users:write` and act as the key's creator, whose role at the time of the call
//! decides as it does on the team page (an owner or admin; only an owner grants or touches the
//! owner role; the account keeps an active owner). A key that acts for no user changes no one.

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{Key, UsersRead, UsersWrite};
use super::body::Body;
use super::doc::{AuthErrors, BodyErrors, Conflict, NotFound, SALES};
use super::error::ApiError;
use crate::domain::public_id::public_id;
use crate::domain::{CurrentUser, TeamMember, UserId};
use crate::server::auth::session_user::load_user;
use crate::server::services::accounts::team;
use crate::server::{AppState, ServiceError};

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(show, change))
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

/// A user to add, with a first password they change later.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"email": "rita@example.com", "name": "Rita Souza", "password": "a long first password", "role": "sales"}))]
pub struct NewUser {
    #[schema(required = true)]
    email: Option<String>,
    name: Option<String>,
    /// At least 8 characters.
    #[schema(required = true)]
    password: Option<String>,
    /// `owner`, `admin` or `sales` (the default).
    role: Option<String>,
}

/// What to change of a user; what is left out stays.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"role": "admin", "active": true}))]
pub struct UserChanges {
    /// `owner`, `admin` or `sales`.
    role: Option<String>,
    /// `false` turns the user off (no sign-in, no new assignments); `true` back on.
    active: Option<bool>,
}

/// The user a key's team change acts as: its creator, as they are now.
async fn acting_user(state: &AppState, key: &Key<UsersWrite>) -> Result<CurrentUser, ApiError> {
    let user = match key.principal.user_id {
        Some(id) => load_user(&state.db, id).await?,
        None => None,
    };
    user.ok_or_else(|| {
        ServiceError::Forbidden(
            "this key acts for no active user; team changes take a key made by an owner or admin"
                .into(),
        )
        .into()
    })
}

async fn user_answer(state: &AppState, me: &CurrentUser, id: UserId) -> Result<User, ApiError> {
    team::members(&state.db, me.account_id)
        .await?
        .into_iter()
        .find(|m| m.id == id)
        .map(User::from)
        .ok_or_else(|| ApiError::not_found("user"))
}

/// Adds a user to the account.
#[utoipa::path(post, path = "/v1/users", tag = SALES, operation_id = "addUser",
    request_body = NewUser,
    responses(
        (status = 201, description = "The new user", body = User),
        BodyErrors, Conflict, AuthErrors,
    ))]
pub async fn add(
    State(state): State<AppState>,
    key: Key<UsersWrite>,
    body: Body<NewUser>,
) -> Result<(StatusCode, Json<User>), ApiError> {
    let me = acting_user(&state, &key).await?;
    let body = body.value()?;
    let email = body
        .email
        .ok_or_else(|| ApiError::invalid("email", "is required"))?;
    let password = body
        .password
        .ok_or_else(|| ApiError::invalid("password", "is required"))?;
    let role = team::parse_role(body.role.as_deref().unwrap_or("sales"))?;
    let id = team::invite(
        &state.db,
        &me,
        &email,
        body.name.as_deref().unwrap_or(""),
        &password,
        role,
    )
    .await?;
    Ok((
        StatusCode::CREATED,
        Json(user_answer(&state, &me, id).await?),
    ))
}

/// Changes a user's role, or turns them off or on.
#[utoipa::path(patch, path = "/v1/users/{id}", tag = SALES, operation_id = "changeUser",
    params(("id" = String, Path, description = "User id (`user_…`)")),
    request_body = UserChanges,
    responses(
        (status = 200, description = "The user after the change", body = User),
        BodyErrors, NotFound, Conflict, AuthErrors,
    ))]
pub async fn change(
    State(state): State<AppState>,
    key: Key<UsersWrite>,
    Path(id): Path<String>,
    body: Body<UserChanges>,
) -> Result<Json<User>, ApiError> {
    let user = UserId(super::record_of(&state, key.actor(), ("users", "user", "user"), &id).await?);
    let me = acting_user(&state, &key).await?;
    let body = body.value()?;
    if let Some(role) = &body.role {
        team::change_role(&state.db, &me, user, team::parse_role(role)?).await?;
    }
    if let Some(active) = body.active {
        team::set_active(&state.db, &me, user, active).await?;
    }
    Ok(Json(user_answer(&state, &me, user).await?))
}
