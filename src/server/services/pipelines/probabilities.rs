//! The probabilities a pipeline's stages are weighted with: the configured figures, or the
//! ones learned from its closed deals (see `domain::probability`). Learned figures are read
//! from the whole account's history, whoever owns the deals: they describe the pipeline.

use std::collections::HashMap;

use chrono::{Duration, Utc};

use crate::domain::probability::{self, LearnedShare, ProbabilitySource, LEARNING_DAYS};
use crate::domain::{AccountId, PipelineId, Problem, StageId};
use crate::server::db::{self, Db};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::audit;
use crate::server::services::MayConfigure;

use super::Stage;

/// A stage's figures: configured, learned, and the one in use.
#[derive(Debug, Clone, PartialEq)]
pub struct StageProbability {
    pub stage_id: StageId,
    pub configured: i64,
    pub learned: LearnedShare,
    pub in_use: i64,
    /// The learned share, when it is the one in use.
    pub learned_in_use: Option<LearnedShare>,
}

/// A pipeline's figures: where it takes them from, and each stage's (in order).
#[derive(Debug, Clone, PartialEq)]
pub struct PipelineProbabilities {
    pub source: ProbabilitySource,
    pub stages: Vec<StageProbability>,
}

/// Where a pipeline of the account takes its probabilities from; not found unless it is the
/// account's.
pub async fn source_of(
    db: &Db,
    account_id: AccountId,
    pipeline_id: PipelineId,
) -> ServiceResult<ProbabilitySource> {
    let row: Option<(String,)> = sqlx::query_as(
        "SELECT probability_source FROM pipelines WHERE id = $1 AND account_id = $2",
    )
    .bind(pipeline_id)
    .bind(account_id)
    .fetch_optional(&db.pool)
    .await?;
    let (word,) = row.ok_or(ServiceError::NotFound("pipeline"))?;
    Ok(ProbabilitySource::parse(&word).unwrap_or_default())
}

/// Per stage of the pipeline: of the deals that entered it (created in it or moved into it)
/// and were closed in the last [`LEARNING_DAYS`], how many were closed and how many won.
/// Stages without such deals are left out.
pub async fn learned(
    db: &Db,
    account_id: AccountId,
    pipeline_id: PipelineId,
) -> ServiceResult<HashMap<StageId, LearnedShare>> {
    let since = db::ts(Utc::now() - Duration::days(LEARNING_DAYS));
    let rows: Vec<(StageId, i64, i64)> = sqlx::query_as(
        "SELECT s.id, COUNT(DISTINCT d.id), COUNT(DISTINCT CASE WHEN d.status = 'won' THEN d.id END) \
         FROM stages s \
         JOIN deal_events e ON e.account_id = s.account_id AND e.to_stage_id = s.id \
         JOIN deals d ON d.id = e.deal_id \
         WHERE s.account_id = $1 AND s.pipeline_id = $2 AND e.kind IN ('opened', 'stage_changed') \
         AND ((d.status = 'won' AND d.won_at >= $3) OR (d.status = 'lost' AND d.lost_at >= $3)) \
         GROUP BY s.id",
    )
    .bind(account_id)
    .bind(pipeline_id)
    .bind(since)
    .fetch_all(&db.pool)
    .await?;
    Ok(rows
        .into_iter()
        .map(|(id, closed, won)| (id, LearnedShare { closed, won }))
        .collect())
}

/// The figures of `stages` (one pipeline's, in order) and where the pipeline takes them from. The history is read only when the
/// pipeline uses learned figures or `always` asks for them.
pub async fn of_stages(
    db: &Db,
    account_id: AccountId,
    pipeline_id: PipelineId,
    stages: &[Stage],
    always: bool,
) -> ServiceResult<PipelineProbabilities> {
    let source = source_of(db, account_id, pipeline_id).await?;
    let history = if always || source == ProbabilitySource::Learned {
        learned(db, account_id, pipeline_id).await?
    } else {
        HashMap::new()
    };
    let stages = stages
        .iter()
        .map(|s| {
            let share = history.get(&s.id).copied().unwrap_or_default();
            let (in_use, learned_in_use) = probability::in_use(s.probability, source, share);
            StageProbability {
                stage_id: s.id,
                configured: s.probability,
                learned: share,
                in_use,
                learned_in_use,
            }
        })
        .collect();
    Ok(PipelineProbabilities { source, stages })
}

/// A source as typed; refused naming `probability_source` unless it is one.
pub fn parse_source(text: &str) -> ServiceResult<ProbabilitySource> {
    ProbabilitySource::parse(text).ok_or_else(|| {
        ServiceError::invalid(
            "probability_source",
            Problem::one_of(&ProbabilitySource::ALL.map(ProbabilitySource::as_str)),
        )
    })
}

/// Sets where a pipeline takes its probabilities from (owners and admins).
pub async fn set_source(
    db: &Db,
    by: impl MayConfigure,
    pipeline_id: PipelineId,
    source: ProbabilitySource,
) -> ServiceResult<()> {
    let by = by.configurer()?;
    let mut tx = db.begin().await?;
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT name, probability_source FROM pipelines WHERE id = $1 AND account_id = $2",
    )
    .bind(pipeline_id)
    .bind(by.account_id())
    .fetch_optional(&mut *tx)
    .await?;
    let (name, was) = row.ok_or(ServiceError::NotFound("pipeline"))?;
    if was != source.as_str() {
        sqlx::query(
            "UPDATE pipelines SET probability_source = $1, updated_at = $2 WHERE id = $3 AND account_id = $4",
        )
        .bind(source.as_str())
        .bind(db::now())
        .bind(pipeline_id)
        .bind(by.account_id())
        .execute(&mut *tx)
        .await?;
        let detail = format!("probabilities: {was} → {}", source.as_str());
        audit::record(
            &mut *tx,
            by.actor(),
            crate::domain::audit::AuditAction::PipelineChanged,
            &name,
            Some(&detail),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}
