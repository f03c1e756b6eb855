//! Pipelines and their stages; [`settings`] changes them (owners and admins).

pub mod probabilities;
pub mod settings;

use crate::domain::catalog::Choice;
use crate::domain::{AccountId, PipelineId, PipelineStages, PipelineSummary, Problem, StageId};
use sqlx::{Any, Executor};

use crate::server::db::{self, Backend, Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};

/// A stage to create.
#[derive(Debug, Clone)]
pub struct NewStage {
    pub key: String,
    pub name: String,
    pub probability: i64,
    pub rotting_days: Option<i64>,
}

/// A stage as stored.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Stage {
    pub id: StageId,
    pub uuid: String,
    pub pipeline_id: PipelineId,
    pub key: String,
    pub name: String,
    pub position: i64,
    pub probability: i64,
    pub rotting_days: Option<i64>,
    pub created_at: String,
    pub updated_at: String,
}

pub(crate) const STAGE_COLUMNS: &str =
    "id, uuid, pipeline_id, key, name, position, probability, rotting_days, created_at, updated_at";

/// Inserts a pipeline with its stages inside a transaction; returns the pipeline id.
pub async fn insert_pipeline(
    tx: &mut Tx,
    account_id: AccountId,
    name: &str,
    is_primary: bool,
    stages: &[NewStage],
) -> ServiceResult<PipelineId> {
    let now = db::now();
    let (position,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM pipelines WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(&mut **tx)
            .await?;
    let (pipeline_id,): (PipelineId,) = sqlx::query_as(
        "INSERT INTO pipelines (account_id, uuid, name, is_primary, position, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $6) RETURNING id",
    )
    .bind(account_id)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(name)
    .bind(i64::from(is_primary))
    .bind(position)
    .bind(&now)
    .fetch_one(&mut **tx)
    .await?;
    for (i, s) in stages.iter().enumerate() {
        sqlx::query(
            "INSERT INTO stages (account_id, pipeline_id, uuid, key, name, position, probability, rotting_days, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9)",
        )
        .bind(account_id)
        .bind(pipeline_id)
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(&s.key)
        .bind(&s.name)
        .bind(i as i64)
        .bind(s.probability.clamp(0, 100))
        .bind(s.rotting_days)
        .bind(&now)
        .execute(&mut **tx)
        .await?;
    }
    Ok(pipeline_id)
}

/// Creates a pipeline with stages.
pub async fn create_pipeline(
    db: &Db,
    account_id: AccountId,
    name: &str,
    is_primary: bool,
    stages: &[NewStage],
) -> ServiceResult<PipelineId> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ServiceError::invalid(
            "name",
            Problem::Length { min: 1, max: 100 },
        ));
    }
    let mut tx = db.begin().await?;
    if is_primary {
        sqlx::query("UPDATE pipelines SET is_primary = 0 WHERE account_id = $1")
            .bind(account_id)
            .execute(&mut *tx)
            .await?;
    }
    let id = insert_pipeline(&mut tx, account_id, name, is_primary, stages).await?;
    tx.commit().await?;
    Ok(id)
}

/// The account's pipelines, primary first.
pub async fn list_pipelines<'e, E>(
    ex: E,
    account_id: AccountId,
) -> ServiceResult<Vec<PipelineSummary>>
where
    E: Executor<'e, Database = Any>,
{
    let rows: Vec<(PipelineId, String, i64)> = sqlx::query_as(
        "SELECT id, name, is_primary FROM pipelines WHERE account_id = $1 ORDER BY is_primary DESC, position, id",
    )
    .bind(account_id)
    .fetch_all(ex)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, p)| PipelineSummary {
            id,
            name,
            is_primary: p != 0,
        })
        .collect())
}

/// The account's primary pipeline (or its first one).
pub async fn primary_pipeline_id<'e, E>(ex: E, account_id: AccountId) -> ServiceResult<PipelineId>
where
    E: Executor<'e, Database = Any>,
{
    let row: Option<(PipelineId,)> = sqlx::query_as(
        "SELECT id FROM pipelines WHERE account_id = $1 ORDER BY is_primary DESC, position, id LIMIT 1",
    )
    .bind(account_id)
    .fetch_optional(ex)
    .await?;
    row.map(|(id,)| id)
        .ok_or(ServiceError::NotFound("pipeline"))
}

/// Whether the pipeline asks every new deal for a quality reason.
pub async fn requires_quality_reason<'e, E>(
    ex: E,
    actor: crate::server::services::Actor,
    pipeline_id: PipelineId,
) -> ServiceResult<bool>
where
    E: Executor<'e, Database = Any>,
{
    let row: Option<(i64,)> = sqlx::query_as(
        "SELECT requires_quality_reason FROM pipelines WHERE id = $1 AND account_id = $2",
    )
    .bind(pipeline_id)
    .bind(actor.account_id)
    .fetch_optional(ex)
    .await?;
    row.map(|(r,)| r != 0)
        .ok_or(ServiceError::NotFound("pipeline"))
}

/// The account's pipelines other than `except` (in [`list_pipelines`]' order), each with its
/// stages in order: where a deal of `except` can be moved. Pipelines without a stage are left
/// out. One query.
pub async fn others_with_stages<'e, E>(
    ex: E,
    account_id: AccountId,
    except: PipelineId,
) -> ServiceResult<Vec<PipelineStages>>
where
    E: Executor<'e, Database = Any>,
{
    let rows: Vec<(PipelineId, String, StageId, String)> = sqlx::query_as(
        "SELECT p.id, p.name, s.id, s.name FROM pipelines p JOIN stages s ON s.pipeline_id = p.id \
         WHERE p.account_id = $1 AND p.id <> $2 \
         ORDER BY p.is_primary DESC, p.position, p.id, s.position, s.id",
    )
    .bind(account_id)
    .bind(except)
    .fetch_all(ex)
    .await?;
    let mut out: Vec<PipelineStages> = Vec::new();
    for (pipeline, name, stage, stage_name) in rows {
        if out.last().is_none_or(|p| p.id != pipeline) {
            out.push(PipelineStages {
                id: pipeline,
                name,
                stages: Vec::new(),
            });
        }
        if let Some(p) = out.last_mut() {
            p.stages.push(Choice {
                id: stage.into(),
                name: stage_name,
            });
        }
    }
    Ok(out)
}

/// Every pipeline of the account with its stages in order (ids start at 1, so none is left
/// out); pipelines without a stage are left out.
pub async fn all_with_stages(db: &Db, account_id: AccountId) -> ServiceResult<Vec<PipelineStages>> {
    others_with_stages(&db.pool, account_id, PipelineId(0)).await
}

/// The stages of a pipeline of the account, in order.
pub async fn stages_of<'e, E>(
    ex: E,
    account_id: AccountId,
    pipeline_id: PipelineId,
) -> ServiceResult<Vec<Stage>>
where
    E: Executor<'e, Database = Any>,
{
    Ok(sqlx::query_as(&format!(
        "SELECT {STAGE_COLUMNS} FROM stages WHERE account_id = $1 AND pipeline_id = $2 ORDER BY position, id"
    ))
    .bind(account_id)
    .bind(pipeline_id)
    .fetch_all(ex)
    .await?)
}

/// One stage of the account.
pub async fn get_stage<'e, E>(
    ex: E,
    account_id: AccountId,
    stage_id: StageId,
) -> ServiceResult<Stage>
where
    E: Executor<'e, Database = Any>,
{
    sqlx::query_as(&format!(
        "SELECT {STAGE_COLUMNS} FROM stages WHERE account_id = $1 AND id = $2"
    ))
    .bind(account_id)
    .bind(stage_id)
    .fetch_optional(ex)
    .await?
    .ok_or(ServiceError::NotFound("stage"))
}

/// The stage with `key` in a pipeline of the account.
pub async fn stage_by_key<'e, E>(
    ex: E,
    account_id: AccountId,
    pipeline_id: PipelineId,
    key: &str,
) -> ServiceResult<Option<Stage>>
where
    E: Executor<'e, Database = Any>,
{
    Ok(sqlx::query_as(&format!(
        "SELECT {STAGE_COLUMNS} FROM stages WHERE account_id = $1 AND pipeline_id = $2 AND key = $3"
    ))
    .bind(account_id)
    .bind(pipeline_id)
    .bind(key)
    .fetch_optional(ex)
    .await?)
}

/// Takes the pipeline's exclusive lock for the rest of the transaction: renumbering a stage
/// and stage changes go through here, and wait for the moves and new deals that hold it shared
/// ([`lock_stage_for_move`]). Being a write, it is also the first statement SQLite sees, which makes
/// the transaction a writer from the start (no lock upgrade, so no `SQLITE_BUSY` mid-way).
pub async fn lock_pipeline(
    tx: &mut Tx,
    account_id: AccountId,
    pipeline_id: PipelineId,
) -> ServiceResult<()> {
    let res = sqlx::query(
        "UPDATE pipelines SET lock_version = lock_version + 1 WHERE id = $1 AND account_id = $2",
    )
    .bind(pipeline_id)
    .bind(account_id)
    .execute(&mut **tx)
    .await?;
    if res.rows_affected() == 1 {
        Ok(())
    } else {
        Err(ServiceError::NotFound("pipeline"))
    }
}

/// Takes the pipeline's lock shared with other moves and new deals, so they run side by side
/// but never while [`lock_pipeline`] holds it (renumbering, stage changes), then the target
/// stage's row lock, so moves and new deals into one stage take their places at its end one
/// after the other. SQLite runs one write transaction at a time (see `Db::begin`), so there is
/// nothing to take.
pub async fn lock_stage_for_move(
    tx: &mut Tx,
    account_id: AccountId,
    stage_id: StageId,
) -> ServiceResult<()> {
    if Backend::of(tx) == Backend::Sqlite {
        return Ok(());
    }
    // One statement for both locks; PostgreSQL takes them in the order of the clauses, the
    // pipeline's first, as every other path does.
    sqlx::query_as::<_, (i64,)>(
        "SELECT s.id FROM pipelines p JOIN stages s ON s.pipeline_id = p.id \
         WHERE s.id = $1 AND s.account_id = $2 AND p.account_id = $2 \
         FOR SHARE OF p FOR UPDATE OF s",
    )
    .bind(stage_id)
    .bind(account_id)
    .fetch_optional(&mut **tx)
    .await?
    .map(|_| ())
    .ok_or(ServiceError::NotFound("stage"))
}

/// How many deals (of any status) each stage of the account holds, by stage id.
pub async fn stage_deal_counts(
    db: &Db,
    account_id: AccountId,
) -> ServiceResult<std::collections::HashMap<StageId, i64>> {
    let rows: Vec<(StageId, i64)> = sqlx::query_as(
        "SELECT stage_id, COUNT(*) FROM deals WHERE account_id = $1 GROUP BY stage_id",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows.into_iter().collect())
}
