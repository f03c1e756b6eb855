//! `/v1/pipelines` and `/v1/stages` — the account's pipelines (`pipe_…`) and their stages
//! (`stage_…`): list and read (`opportunities:read`); create, rename, delete, add, change,
//! move, reorder and delete stages (`config:manage`), through the same service and rules as
//! the settings page.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::Json;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use super::auth::{ConfigManage, Key, OpportunitiesRead};
use super::body::{de, Body};
use super::doc::{AuthErrors, BodyErrors, Conflict, NotFound, SALES};
use super::error::ApiError;
use crate::domain::public_id::public_id;
use crate::domain::{PipelineId, Problem, StageId};
use crate::server::services::pipelines::{self, probabilities, settings, settings::StageInput};
use crate::server::services::{Actor, Configurer};
use crate::server::AppState;

/// The routes of this surface.
pub fn routes() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list, create))
        .routes(routes!(read, rename, delete))
        .routes(routes!(add_stage))
        .routes(routes!(reorder))
        .routes(routes!(change_stage, delete_stage))
}

/// A stage of a pipeline.
#[derive(Debug, Serialize, ToSchema)]
pub struct PipelineStage {
    #[schema(example = "stage_6a1c0d7e2b9f4c3a8d5e1f2a3b4c5d6e")]
    pub id: String,
    #[schema(example = "qualified")]
    pub key: String,
    #[schema(example = "Qualified")]
    pub name: String,
    /// Position in the pipeline, from 1.
    #[schema(example = 2)]
    pub order: usize,
    /// 0 to 100.
    #[schema(example = 40)]
    pub probability: i64,
    /// Days without change after which an open deal is rotting; `null` never.
    #[schema(example = 14)]
    pub rotting_days: Option<i64>,
    /// Of the deals that reached the stage and were closed in the last 12 months, the share
    /// won (whole percent); `null` without any.
    #[schema(example = 35)]
    pub learned_probability: Option<i64>,
    /// How many closed deals `learned_probability` rests on.
    #[schema(example = 23)]
    pub learned_from: i64,
    /// The probability the forecast and the board weigh the stage's deals with: the learned
    /// one when the pipeline uses learned figures and it rests on at least 10 closed deals,
    /// else `probability`.
    #[schema(example = 35)]
    pub probability_in_use: i64,
}

/// A pipeline with its stages in order.
#[derive(Debug, Serialize, ToSchema)]
pub struct Pipeline {
    #[schema(example = "pipe_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812")]
    pub id: String,
    #[schema(example = "Sales")]
    pub name: String,
    /// The board's and the APIs' default pipeline.
    pub is_primary: bool,
    /// Where its stages' probabilities in use come from: `configured` or `learned`.
    #[schema(example = "configured")]
    pub probability_source: &'static str,
    pub stages: Vec<PipelineStage>,
}

/// The account's pipelines, the primary one first.
#[derive(Debug, Serialize, ToSchema)]
pub struct PipelineList {
    pub data: Vec<Pipeline>,
}

/// A pipeline to create (with a first stage "New") or rename.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Renewals"}))]
pub struct PipelineBody {
    /// 1 to 100 characters.
    name: String,
}

/// Changes to a pipeline: what is left out stays as it is.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Renewals", "probability_source": "learned"}))]
pub struct PipelineChanges {
    /// 1 to 100 characters.
    name: Option<String>,
    /// `configured` (each stage's own figure) or `learned` (from the pipeline's closed deals).
    probability_source: Option<String>,
}

/// A stage to add at the end of a pipeline.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Demo", "probability": 40, "rotting_days": 14}))]
pub struct NewStageBody {
    /// 1 to 60 characters.
    name: String,
    /// Lower-case letters, digits and `_`, unique in the pipeline; by default made from the name.
    #[serde(default)]
    key: Option<String>,
    /// 0 to 100 (default 0).
    #[serde(default, deserialize_with = "de::int")]
    probability: Option<i64>,
    /// 1 to 365, or `null` for never.
    #[serde(default, deserialize_with = "de::int")]
    rotting_days: Option<i64>,
}

/// Changes to a stage: what is left out stays as it is.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"name": "Proposal", "order": 1}))]
pub struct StageChanges {
    name: Option<String>,
    key: Option<String>,
    #[serde(default, deserialize_with = "de::int_not_null")]
    probability: Option<i64>,
    /// `null` clears it (never rotting).
    #[serde(default, deserialize_with = "de::nullable")]
    #[schema(value_type = Option<i64>)]
    rotting_days: Option<Option<i64>>,
    /// New position in the pipeline, from 1 (past the end means last).
    #[serde(default, deserialize_with = "de::int_not_null")]
    order: Option<i64>,
}

/// The full order of a pipeline's stages.
#[derive(Debug, Deserialize, ToSchema)]
#[schema(example = json!({"stage_ids": ["stage_6a1c0d7e2b9f4c3a8d5e1f2a3b4c5d6e", "stage_0f1e2d3c4b5a69788796a5b4c3d2e1f0"]}))]
pub struct StageOrder {
    /// Every stage of the pipeline once, first to last.
    stage_ids: Vec<String>,
}

/// Where the deals of a deleted stage go.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeleteStageParams {
    /// Another stage of the same pipeline (`stage_…`); needed when the stage holds deals.
    move_to: Option<String>,
}

/// The account's pipeline a public id names; "not found" otherwise.
async fn pipeline_of(state: &AppState, actor: Actor, id: &str) -> Result<PipelineId, ApiError> {
    super::record_of(state, actor, ("pipelines", "pipe", "pipeline"), id)
        .await
        .map(PipelineId)
}

/// The account's stage a public id names; "not found" otherwise.
async fn stage_of(state: &AppState, actor: Actor, id: &str) -> Result<StageId, ApiError> {
    super::record_of(state, actor, ("stages", "stage", "stage"), id)
        .await
        .map(StageId)
}

/// The account's pipelines (or only `only`), as the API shows them.
async fn pipelines_of(
    state: &AppState,
    actor: Actor,
    only: Option<PipelineId>,
) -> Result<Vec<Pipeline>, ApiError> {
    let rows: Vec<(PipelineId, String, String, i64)> = sqlx::query_as(
        "SELECT id, uuid, name, is_primary FROM pipelines WHERE account_id = $1 \
         AND ($2 = 0 OR id = $2) ORDER BY is_primary DESC, position, id",
    )
    .bind(actor.account_id)
    .bind(only.map_or(0, i64::from))
    .fetch_all(&state.db.pool)
    .await
    .map_err(crate::server::ServiceError::from)?;
    let mut out = Vec::with_capacity(rows.len());
    for (id, uuid, name, is_primary) in rows {
        let stages = pipelines::stages_of(&state.db, actor.account_id, id).await?;
        let figures =
            probabilities::of_stages(&state.db, actor.account_id, id, &stages, true).await?;
        let source = figures.source;
        let stages = stages
            .into_iter()
            .zip(figures.stages)
            .enumerate()
            .map(|(i, (s, f))| PipelineStage {
                learned_probability: f.learned.percent(),
                learned_from: f.learned.closed,
                probability_in_use: f.in_use,
                id: public_id("stage", &s.uuid),
                key: s.key,
                name: s.name,
                order: i + 1,
                probability: s.probability,
                rotting_days: s.rotting_days,
            })
            .collect();
        out.push(Pipeline {
            id: public_id("pipe", &uuid),
            name,
            is_primary: is_primary != 0,
            probability_source: source.as_str(),
            stages,
        });
    }
    Ok(out)
}

/// One pipeline of the account, as the API shows it.
async fn pipeline(state: &AppState, actor: Actor, id: PipelineId) -> Result<Pipeline, ApiError> {
    pipelines_of(state, actor, Some(id))
        .await?
        .pop()
        .ok_or_else(|| ApiError::not_found("pipeline"))
}

/// One stage of the account, as the API shows it (with its place in its pipeline).
async fn stage(state: &AppState, actor: Actor, id: StageId) -> Result<PipelineStage, ApiError> {
    let current = pipelines::get_stage(&state.db, actor.account_id, id).await?;
    let uuid = current.uuid.clone();
    pipeline(state, actor, current.pipeline_id)
        .await?
        .stages
        .into_iter()
        .find(|s| s.id == public_id("stage", &uuid))
        .ok_or_else(|| ApiError::not_found("stage"))
}

/// The account's pipelines with their stages, the primary one first.
#[utoipa::path(get, path = "/v1/pipelines", tag = SALES, operation_id = "listPipelines",
    responses(
        (status = 200, description = "The pipelines", body = PipelineList),
        AuthErrors,
    ))]
pub async fn list(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
) -> Result<Json<PipelineList>, ApiError> {
    Ok(Json(PipelineList {
        data: pipelines_of(&state, key.actor(), None).await?,
    }))
}

/// Creates a pipeline with a first stage "New".
#[utoipa::path(post, path = "/v1/pipelines", tag = SALES, operation_id = "createPipeline",
    request_body = PipelineBody,
    responses(
        (status = 201, description = "The new pipeline", body = Pipeline),
        BodyErrors, AuthErrors,
    ))]
pub async fn create(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    body: Body<PipelineBody>,
) -> Result<(StatusCode, Json<Pipeline>), ApiError> {
    let body = body.value()?;
    let by = Configurer::for_api_key(&key.principal);
    let id = settings::add_pipeline(&state.db, by, &body.name).await?;
    Ok((
        StatusCode::CREATED,
        Json(pipeline(&state, key.actor(), id).await?),
    ))
}

/// One pipeline with its stages.
#[utoipa::path(get, path = "/v1/pipelines/{id}", tag = SALES, operation_id = "getPipeline",
    params(("id" = String, Path, description = "Pipeline id (`pipe_…`)")),
    responses(
        (status = 200, description = "The pipeline", body = Pipeline),
        NotFound, AuthErrors,
    ))]
pub async fn read(
    State(state): State<AppState>,
    key: Key<OpportunitiesRead>,
    Path(id): Path<String>,
) -> Result<Json<Pipeline>, ApiError> {
    let actor = key.actor();
    let id = pipeline_of(&state, actor, &id).await?;
    Ok(Json(pipeline(&state, actor, id).await?))
}

/// Renames a pipeline, or changes where its probabilities come from.
#[utoipa::path(patch, path = "/v1/pipelines/{id}", tag = SALES, operation_id = "updatePipeline",
    params(("id" = String, Path, description = "Pipeline id (`pipe_…`)")),
    request_body = PipelineChanges,
    responses(
        (status = 200, description = "The pipeline after the change", body = Pipeline),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn rename(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path(id): Path<String>,
    body: Body<PipelineChanges>,
) -> Result<Json<Pipeline>, ApiError> {
    let actor = key.actor();
    let id = pipeline_of(&state, actor, &id).await?;
    let body = body.value()?;
    let by = Configurer::for_api_key(&key.principal);
    if body.name.is_none() && body.probability_source.is_none() {
        return Err(crate::server::ServiceError::invalid("name", Problem::Required).into());
    }
    // Both are checked before either is written.
    let source = body
        .probability_source
        .as_deref()
        .map(probabilities::parse_source)
        .transpose()?;
    if let Some(name) = &body.name {
        settings::rename_pipeline(&state.db, by, id, name).await?;
    }
    if let Some(source) = source {
        probabilities::set_source(&state.db, by, id, source).await?;
    }
    Ok(Json(pipeline(&state, actor, id).await?))
}

/// Deletes a pipeline and its stages: not the primary one, nor one that holds deals (409).
#[utoipa::path(delete, path = "/v1/pipelines/{id}", tag = SALES, operation_id = "deletePipeline",
    params(("id" = String, Path, description = "Pipeline id (`pipe_…`)")),
    responses(
        (status = 204, description = "Deleted"),
        Conflict, NotFound, AuthErrors,
    ))]
pub async fn delete(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path(id): Path<String>,
) -> Result<StatusCode, ApiError> {
    let id = pipeline_of(&state, key.actor(), &id).await?;
    settings::delete_pipeline(&state.db, Configurer::for_api_key(&key.principal), id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Adds a stage at the end of a pipeline.
#[utoipa::path(post, path = "/v1/pipelines/{id}/stages", tag = SALES, operation_id = "createStage",
    params(("id" = String, Path, description = "Pipeline id (`pipe_…`)")),
    request_body = NewStageBody,
    responses(
        (status = 201, description = "The new stage", body = PipelineStage),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn add_stage(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path(id): Path<String>,
    body: Body<NewStageBody>,
) -> Result<(StatusCode, Json<PipelineStage>), ApiError> {
    let actor = key.actor();
    let id = pipeline_of(&state, actor, &id).await?;
    let body = body.value()?;
    let input = StageInput {
        name: body.name,
        key: body.key.unwrap_or_default(),
        probability: body.probability.unwrap_or(0),
        rotting_days: body.rotting_days,
    };
    let by = Configurer::for_api_key(&key.principal);
    let stage_id = settings::add_stage(&state.db, by, id, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(stage(&state, actor, stage_id).await?),
    ))
}

/// Puts a pipeline's stages in a new order, naming each of them once.
#[utoipa::path(put, path = "/v1/pipelines/{id}/stages/order", tag = SALES,
    operation_id = "reorderStages",
    params(("id" = String, Path, description = "Pipeline id (`pipe_…`)")),
    request_body = StageOrder,
    responses(
        (status = 200, description = "The pipeline in its new order", body = Pipeline),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn reorder(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path(id): Path<String>,
    body: Body<StageOrder>,
) -> Result<Json<Pipeline>, ApiError> {
    let actor = key.actor();
    let id = pipeline_of(&state, actor, &id).await?;
    let body = body.value()?;
    if body.stage_ids.len() > 200 {
        return Err(ApiError::invalid(
            "stage_ids",
            "must name at most 200 stages",
        ));
    }
    let mut order = Vec::with_capacity(body.stage_ids.len());
    for stage_id in &body.stage_ids {
        let stage = stage_of(&state, actor, stage_id).await.map_err(|_| {
            ApiError::invalid(
                "stage_ids",
                format!("\"{stage_id}\" is not a stage of the pipeline"),
            )
        })?;
        order.push(stage);
    }
    let by = Configurer::for_api_key(&key.principal);
    settings::reorder_stages(&state.db, by, id, &order).await?;
    Ok(Json(pipeline(&state, actor, id).await?))
}

/// Changes a stage's name, key, probability or rotting days, or moves it (`order`).
#[utoipa::path(patch, path = "/v1/stages/{id}", tag = SALES, operation_id = "updateStage",
    params(("id" = String, Path, description = "Stage id (`stage_…`)")),
    request_body = StageChanges,
    responses(
        (status = 200, description = "The stage after the change", body = PipelineStage),
        BodyErrors, NotFound, AuthErrors,
    ))]
pub async fn change_stage(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path(id): Path<String>,
    body: Body<StageChanges>,
) -> Result<Json<PipelineStage>, ApiError> {
    let actor = key.actor();
    let id = stage_of(&state, actor, &id).await?;
    let body = body.value()?;
    let by = Configurer::for_api_key(&key.principal);
    let fields = body.name.is_some()
        || body.key.is_some()
        || body.probability.is_some()
        || body.rotting_days.is_some();
    if fields {
        let current = pipelines::get_stage(&state.db, actor.account_id, id).await?;
        let input = StageInput {
            name: body.name.unwrap_or(current.name),
            key: body.key.unwrap_or(current.key),
            probability: body.probability.unwrap_or(current.probability),
            rotting_days: body.rotting_days.unwrap_or(current.rotting_days),
        };
        settings::update_stage(&state.db, by, id, &input).await?;
    }
    if let Some(order) = body.order {
        if order < 1 {
            return Err(ApiError::invalid("order", "must be a position from 1"));
        }
        settings::move_stage(&state.db, by, id, order - 1).await?;
    }
    Ok(Json(stage(&state, actor, id).await?))
}

/// Deletes a stage; its deals move to `move_to`, which is needed when it has any. A
/// pipeline keeps at least one stage (409).
#[utoipa::path(delete, path = "/v1/stages/{id}", tag = SALES, operation_id = "deleteStage",
    params(("id" = String, Path, description = "Stage id (`stage_…`)"), DeleteStageParams),
    responses(
        (status = 204, description = "Deleted"),
        BodyErrors, Conflict, NotFound, AuthErrors,
    ))]
pub async fn delete_stage(
    State(state): State<AppState>,
    key: Key<ConfigManage>,
    Path(id): Path<String>,
    Query(params): Query<DeleteStageParams>,
) -> Result<StatusCode, ApiError> {
    let actor = key.actor();
    let id = stage_of(&state, actor, &id).await?;
    let move_to = match params.move_to.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(other) => Some(stage_of(&state, actor, other).await.map_err(|_| {
            ApiError::invalid("move_to", "must be another stage of the same pipeline")
        })?),
    };
    let by = Configurer::for_api_key(&key.principal);
    settings::delete_stage(&state.db, by, id, move_to).await?;
    Ok(StatusCode::NO_CONTENT)
}
