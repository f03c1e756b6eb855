//! `/v1/tags` — the account's deal tags (`tag_…`): list, create, rename, delete, through the
//! same service and rules as the settings page (names unique ignoring case). Listing needs
//! `opportunities:read`; changes need `config:manage`, as they do for people (owners and
//! admins).

use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{ConfigManage, Key, OpportunitiesRead};
use super::body::Body;
use super::doc::{AuthErrors, BodyErrors, NotFound, SALES};
use super::error::ApiError;
use crate::domain::public_id::public_id;
use crate::server::services::{catalog, Actor, Configurer};
use crate::server::AppState;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(update, delete))
}

/// A tag as the API shows it.
#[derive(Debug, Serialize, ToSchema)]
pub struct Tag {
    #[schema(example = "tag_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812")]
    pub id: String,
    #[schema(example = "enterprise")]
    pub name: String,
}

/// The tags.
#[derive(Debug, Serialize, ToSchema)]
pub struct TagList {
    pub data: Vec<Tag>,
}

/// A tag to create or rename.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "enterprise"}))]
pub struct TagBody {
    /// 1 to 50 characters, unique in the account (ignoring case).
    name: String,
}

/// The account's tag a public id names; "not found" otherwise.
async fn tag_of(state: &AppState, actor: Actor, id: &str) -> Result<i64, ApiError> {
    super::record_of(state, actor, ("tags", "tag", "tag"), id).await
}

/// The account's tag `id`, as the API shows it.
async fn tag(state: &AppState, actor: Actor, id: i64) -> Result<Tag, ApiError> {
    let (uuid, name): (String, String) =
        sqlx::query_as("SELECT uuid, name FROM tags WHERE id = $1 AND account_id = $2")
            .bind(id)
            .bind(actor.account_id)
            .fetch_optional(&state.db.pool)
            .await
            .map_err(crate::server::ServiceError::from)?
            .ok_or_else(|| ApiError::not_found("tag"))?;
    Ok(Tag {
        id: public_id("tag", &uuid),
        name,
    })
}

/// The account's tags by name.
#[utoipa::path(get, path = "/v1/tags", tag = SALES, operation_id = "listTags",
    responses(
        (status = 200, description = "The account's tags", body = TagList),
        AuthErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
) -> Result<Json<TagList>, ApiError> {
    let actor = key.actor();
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT uuid, name FROM tags WHERE account_id = $1 ORDER BY name, id")
            .bind(actor.account_id)
            .fetch_all(&state.db.pool)
            .await
            .map_err(crate::server::ServiceError::from)?;
    Ok(Json(TagList {
        data: rows
            .into_iter()
            .map(|(uuid, name)| Tag {
                id: public_id("tag", &uuid),
                name,
            })
            .collect(),
    }))
}

/// Creates a tag; a name the account has already (ignoring case) is refused.
#[utoipa::path(post, path = "/v1/tags", tag = SALES, operation_id = "createTag",
    request_body = TagBody,
    responses(
        (status = 201, description = "The new tag", body = Tag),
        BodyErrors, AuthErrors,
    ))]
pub async fn create(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    body: Body<TagBody>,
) -> Result<(StatusCode, Json<Tag>), ApiError> {
    let body = body.value()?;
    let by = Configurer::for_api_key(&key.principal);
    let id = catalog::add_tag(&state.db, by, &body.name).await?;
    Ok((
        StatusCode::CREATED,
        Json(tag(&state, key.actor(), id).await?),
    ))
}

/// Renames a tag (deals keep it).
#[utoipa::path(patch, path = "/v1/tags/{id}", tag = SALES, operation_id = "updateTag",
    params(("id" = String, Path, description = "Tag id (`tag_…`)")),
    request_body = TagBody,
    responses(
        (status = 200, description = "The tag after the change", body = Tag),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn update(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path(id): Path<String>,
    body: Body<TagBody>,
) -> Result<Json<Tag>, ApiError> {
    let actor = key.actor();
    let id = tag_of(&state, actor, &id).await?;
    let body = body.value()?;
    catalog::rename_tag(
        &state.db,
        Configurer::for_api_key(&key.principal),
        id,
        &body.name,
    )
    .await?;
    Ok(Json(tag(&state, actor, id).await?))
}

/// Deletes a tag; deals that carried it lose it.
#[utoipa::path(delete, path = "/v1/tags/{id}", tag = SALES, operation_id = "deleteTag",
    params(("id" = String, Path, description = "Tag id (`tag_…`)")),
    responses(
        (status = 204, description = "Deleted"),
        NotFound, AuthErrors,
    ))]
pub async fn delete(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = tag_of(&state, key.actor(), &id).await?;
    catalog::delete_tag(&state.db, Configurer::for_api_key(&key.principal), id).await?;
    Ok(StatusCode::NO_CONTENT)
}
