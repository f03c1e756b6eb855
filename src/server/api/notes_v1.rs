//! `/v1/opportunities/{id}/notes` — an opportunity's notes: the list, newest first, and a new
//! one written as the key's user, through the same service as the deal page.

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
use crate::domain::deal::NoteItem;
use crate::server::db::api_ts;
use crate::server::services::deals::notes;
use crate::server::AppState;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, add))
        .routes(routes!(change, delete))
}

/// A note on an opportunity.
#[derive(Debug, Serialize, ToSchema)]
pub struct Note {
    #[schema(example = "note_7")]
    pub id: String,
    pub content: String,
    /// Pinned notes head the deal's timeline.
    pub pinned: bool,
    /// Who wrote it, when a user did.
    pub author: Option<String>,
    /// ISO 8601, UTC.
    pub created_at: String,
}

impl From<NoteItem> for Note {
    fn from(n: NoteItem) -> Self {
        Note {
            id: format!("note_{}", n.id),
            content: n.content,
            pinned: n.pinned,
            author: n.user_name,
            created_at: api_ts(&n.at),
        }
    }
}

/// An opportunity's notes.
#[derive(Debug, Serialize, ToSchema)]
pub struct NoteList {
    pub data: Vec<Note>,
}

/// A note to write.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"content": "Called; they want a demo next week."}))]
pub struct NewNote {
    /// 1 to 10,000 characters.
    content: String,
}

/// An opportunity's notes, newest first.
#[utoipa::path(get, path = "/v1/opportunities/{id}/notes", tag = SALES, operation_id = "listNotes",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)")),
    responses(
        (status = 200, description = "The notes", body = NoteList),
        NotFound, AuthErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
    Path(id): Path<String>,
) -> Result<Json<NoteList>, ApiError> {
    let actor = key.actor();
    let deal = deal_of(&state, actor, &id).await?;
    let found = notes::list(&state.db, actor, deal).await?;
    Ok(Json(NoteList {
        data: found.into_iter().map(Note::from).collect(),
    }))
}

/// Writes a note on an opportunity; answers it.
#[utoipa::path(post, path = "/v1/opportunities/{id}/notes", tag = SALES, operation_id = "addNote",
    params(("id" = String, Path, description = "Opportunity id (`opp_…`)")),
    request_body = NewNote,
    responses(
        (status = 201, description = "The new note", body = Note),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn add(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    Path(id): Path<String>,
    body: Body<NewNote>,
) -> Result<(StatusCode, Json<Note>), ApiError> {
    let actor = key.actor();
    let deal = deal_of(&state, actor, &id).await?;
    let body = body.value()?;
    let note = notes::add_note(&state.db, actor, deal, &body.content).await?;
    let written = notes::list(&state.db, actor, deal)
        .await?
        .into_iter()
        .find(|n| n.id == note)
        .ok_or_else(|| ApiError::not_found("note"))?;
    Ok((StatusCode::CREATED, Json(written.into())))
}

/// Whether a note is pinned to the head of the timeline.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"pinned": true}))]
pub struct NoteChange {
    #[schema(required = true)]
    pinned: Option<bool>,
}

/// The note `note_id` (`note_…`) of the opportunity, or 404.
async fn note_of(
    state: &AppState,
    actor: crate::server::services::Actor,
    deal: crate::domain::DealId,
    note_id: &str,
) -> Result<NoteItem, ApiError> {
    let id = note_id
        .strip_prefix("note_")
        .and_then(|n| n.parse::<i64>().ok())
        .ok_or_else(|| ApiError::not_found("note"))?;
    notes::list(&state.db, actor, deal)
        .await?
        .into_iter()
        .find(|n| i64::from(n.id) == id)
        .ok_or_else(|| ApiError::not_found("note"))
}

/// Pins or unpins a note of the opportunity.
#[utoipa::path(patch, path = "/v1/opportunities/{id}/notes/{note_id}", tag = SALES,
    operation_id = "updateNote",
    params(
        ("id" = String, Path, description = "Opportunity id (`opp_…`)"),
        ("note_id" = String, Path, description = "Note id (`note_…`)"),
    ),
    request_body = NoteChange,
    responses(
        (status = 200, description = "The note after the change", body = Note),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn change(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    Path((id, note_id)): Path<(String, String)>,
    body: Body<NoteChange>,
) -> Result<Json<Note>, ApiError> {
    let actor = key.actor();
    let deal = deal_of(&state, actor, &id).await?;
    let note = note_of(&state, actor, deal, &note_id).await?;
    let pinned = body
        .value()?
        .pinned
        .ok_or_else(|| ApiError::invalid("pinned", "must be true or false"))?;
    notes::set_pinned(&state.db, actor, note.id, pinned).await?;
    Ok(Json(note_of(&state, actor, deal, &note_id).await?.into()))
}

/// Deletes a note: the key's user's own, or anyone's with `config:manage` (403 otherwise).
#[utoipa::path(delete, path = "/v1/opportunities/{id}/notes/{note_id}", tag = SALES,
    operation_id = "deleteNote",
    params(
        ("id" = String, Path, description = "Opportunity id (`opp_…`)"),
        ("note_id" = String, Path, description = "Note id (`note_…`)"),
    ),
    responses(
        (status = 204, description = "Deleted"),
        NotFound, AuthErrors,
    ))]
pub async fn delete(
    State(state): State<AppState>,
    key: Key<OpportunitiesWrite>,
    Path((id, note_id)): Path<(String, String)>,
) -> Result<StatusCode, ApiError> {
    let actor = key.actor();
    let deal = deal_of(&state, actor, &id).await?;
    let note = note_of(&state, actor, deal, &note_id).await?;
    let moderates = key.principal.has_scope("config:manage");
    notes::delete_note_as(&state.db, actor, moderates, note.id).await?;
    Ok(StatusCode::NO_CONTENT)
}
