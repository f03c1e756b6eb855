//! Changing an account's pipelines and stages: add, rename, reorder, tune and delete. Only
//! owners and admins; every change of stage order goes through the pipeline lock.

use crate::domain::positions::GAP;
use crate::domain::{count_of, DealId, PipelineId, Problem, StageId};
use crate::server::db::{self, Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};

use crate::domain::audit::AuditAction;
use crate::server::services::deals::moves::end_of_stage;
use crate::server::services::deals::{record_event, EventKind};
use crate::server::services::{audit, Configurer, MayConfigure};

use super::{self as pipelines, insert_pipeline, lock_pipeline, NewStage, Stage, STAGE_COLUMNS};

/// A stage's editable fields as typed in a form.
#[derive(Debug, Clone, Default)]
pub struct StageInput {
    pub name: String,
    /// Empty: derived from the name.
    pub key: String,
    pub probability: i64,
    pub rotting_days: Option<i64>,
}

/// Checks a pipeline name.
fn pipeline_name(name: &str) -> ServiceResult<String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 100 {
        return Err(ServiceError::invalid(
            "name",
            Problem::Length { min: 1, max: 100 },
        ));
    }
    Ok(name.to_string())
}

/// A stage key made from a name: lower-case ASCII letters, digits and underscores.
pub fn key_from_name(name: &str) -> String {
    let mut key = String::new();
    for c in name.trim().chars() {
        if c.is_ascii_alphanumeric() {
            key.push(c.to_ascii_lowercase());
        } else if !key.ends_with('_') && !key.is_empty() {
            key.push('_');
        }
    }
    key.trim_end_matches('_').chars().take(50).collect()
}

/// Checks a stage's fields and returns them cleaned.
pub fn validate_stage(input: &StageInput) -> ServiceResult<NewStage> {
    let name = input.name.trim();
    if name.is_empty() || name.chars().count() > 60 {
        return Err(ServiceError::invalid(
            "name",
            Problem::Length { min: 1, max: 60 },
        ));
    }
    let key = match input.key.trim() {
        "" => key_from_name(name),
        k => k.to_string(),
    };
    if key.is_empty()
        || key.len() > 50
        || !key
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
    {
        return Err(ServiceError::invalid("key", Problem::StageKeyShape));
    }
    if !(0..=100).contains(&input.probability) {
        return Err(ServiceError::invalid(
            "probability",
            Problem::Range { from: 0, to: 100 },
        ));
    }
    if let Some(days) = input.rotting_days {
        if !(1..=365).contains(&days) {
            return Err(ServiceError::invalid("rotting_days", Problem::RottingDays));
        }
    }
    Ok(NewStage {
        key,
        name: name.to_string(),
        probability: input.probability,
        rotting_days: input.rotting_days,
    })
}

/// Adds a pipeline with a first stage "New"; returns its id.
pub async fn add_pipeline(db: &Db, by: impl MayConfigure, name: &str) -> ServiceResult<PipelineId> {
    let by = by.configurer()?;
    let name = pipeline_name(name)?;
    let mut tx = db.begin().await?;
    let first = NewStage {
        key: "new".into(),
        name: "New".into(),
        probability: 10,
        rotting_days: None,
    };
    let id = insert_pipeline(&mut tx, by.account_id(), &name, false, &[first]).await?;
    audit::record(
        &mut *tx,
        by.actor(),
        AuditAction::PipelineCreated,
        &name,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Renames a pipeline.
pub async fn rename_pipeline(
    db: &Db,
    by: impl MayConfigure,
    pipeline_id: PipelineId,
    name: &str,
) -> ServiceResult<()> {
    let by = by.configurer()?;
    let name = pipeline_name(name)?;
    let mut tx = db.begin().await?;
    let was = pipeline_label(&mut tx, by, pipeline_id).await?;
    sqlx::query(
        "UPDATE pipelines SET name = $1, updated_at = $2 WHERE id = $3 AND account_id = $4",
    )
    .bind(&name)
    .bind(db::now())
    .bind(pipeline_id)
    .bind(by.account_id())
    .execute(&mut *tx)
    .await?;
    if was != name {
        let detail = format!("{was} → {name}");
        audit::record(
            &mut *tx,
            by.actor(),
            AuditAction::PipelineChanged,
            &name,
            Some(&detail),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(())
}

/// A pipeline's name as the audit log names it (not found unless it is the account's).
async fn pipeline_label(
    tx: &mut Tx,
    by: Configurer,
    pipeline_id: PipelineId,
) -> ServiceResult<String> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT name FROM pipelines WHERE id = $1 AND account_id = $2")
            .bind(pipeline_id)
            .bind(by.account_id())
            .fetch_optional(&mut **tx)
            .await?;
    row.map(|(n,)| n).ok_or(ServiceError::NotFound("pipeline"))
}

/// A stage as the audit log names it: `Pipeline › Stage`.
async fn stage_label(tx: &mut Tx, by: Configurer, stage_id: StageId) -> ServiceResult<String> {
    let row: Option<(String, String)> = sqlx::query_as(
        "SELECT p.name, s.name FROM stages s JOIN pipelines p ON p.id = s.pipeline_id \
         WHERE s.id = $1 AND s.account_id = $2",
    )
    .bind(stage_id)
    .bind(by.account_id())
    .fetch_optional(&mut **tx)
    .await?;
    row.map(|(p, s)| format!("{p} › {s}"))
        .ok_or(ServiceError::NotFound("stage"))
}

/// Deletes a pipeline with its stages. The primary pipeline stays (the board and the APIs
/// fall back to it), and so does one that still holds deals of any status: they would lose
/// their stage.
pub async fn delete_pipeline(
    db: &Db,
    by: impl MayConfigure,
    pipeline_id: PipelineId,
) -> ServiceResult<()> {
    let by = by.configurer()?;
    let mut tx = db.begin().await?;
    lock_pipeline(&mut tx, by.account_id(), pipeline_id).await?;
    let (is_primary, deals): (i64, i64) = sqlx::query_as(
        "SELECT p.is_primary, (SELECT COUNT(*) FROM deals d WHERE d.pipeline_id = p.id) \
         FROM pipelines p WHERE p.id = $1 AND p.account_id = $2",
    )
    .bind(pipeline_id)
    .bind(by.account_id())
    .fetch_one(&mut *tx)
    .await?;
    if is_primary != 0 {
        return Err(ServiceError::Conflict(
            "the primary pipeline cannot be deleted".into(),
        ));
    }
    if deals > 0 {
        return Err(ServiceError::Conflict(format!(
            "the pipeline holds {}; move or delete them first",
            count_of(deals, "deal", "deals")
        )));
    }
    let name = pipeline_label(&mut tx, by, pipeline_id).await?;
    sqlx::query("DELETE FROM stages WHERE pipeline_id = $1 AND account_id = $2")
        .bind(pipeline_id)
        .bind(by.account_id())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        by.actor(),
        AuditAction::PipelineDeleted,
        &name,
        None,
    )
    .await?;
    sqlx::query("DELETE FROM pipelines WHERE id = $1 AND account_id = $2")
        .bind(pipeline_id)
        .bind(by.account_id())
        .execute(&mut *tx)
        .await?;
    tx.commit().await?;
    Ok(())
}

/// Refuses a key another stage of the pipeline already has.
async fn check_key_free(
    tx: &mut Tx,
    pipeline_id: PipelineId,
    key: &str,
    except_stage: Option<StageId>,
) -> ServiceResult<()> {
    let taken: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM stages WHERE pipeline_id = $1 AND key = $2 AND id <> $3")
            .bind(pipeline_id)
            .bind(key)
            .bind(except_stage.map_or(0, i64::from))
            .fetch_optional(&mut **tx)
            .await?;
    match taken {
        Some(_) => Err(ServiceError::invalid(
            "key",
            Problem::StageKeyTaken {
                key: key.to_string(),
            },
        )),
        None => Ok(()),
    }
}

/// What an edit changed of a stage, as the audit log says it (`None`: nothing).
fn stage_change(was: &Stage, now: &NewStage) -> Option<String> {
    let mut parts = Vec::new();
    if was.name != now.name {
        parts.push(format!("{} → {}", was.name, now.name));
    }
    if was.key != now.key {
        parts.push(format!("key {} → {}", was.key, now.key));
    }
    if was.probability != now.probability {
        parts.push(format!("{} % → {} %", was.probability, now.probability));
    }
    if was.rotting_days != now.rotting_days {
        let days = |d: Option<i64>| d.map_or("—".to_string(), |d| d.to_string());
        parts.push(format!(
            "rotting {} → {}",
            days(was.rotting_days),
            days(now.rotting_days)
        ));
    }
    (!parts.is_empty()).then(|| parts.join("; "))
}

/// Adds a stage at the end of a pipeline; returns its id.
pub async fn add_stage(
    db: &Db,
    by: impl MayConfigure,
    pipeline_id: PipelineId,
    input: &StageInput,
) -> ServiceResult<StageId> {
    let by = by.configurer()?;
    let stage = validate_stage(input)?;
    let mut tx = db.begin().await?;
    lock_pipeline(&mut tx, by.account_id(), pipeline_id).await?;
    check_key_free(&mut tx, pipeline_id, &stage.key, None).await?;
    let (position,): (i64,) =
        sqlx::query_as("SELECT COALESCE(MAX(position) + 1, 0) FROM stages WHERE pipeline_id = $1")
            .bind(pipeline_id)
            .fetch_one(&mut *tx)
            .await?;
    let now = db::now();
    let (id,): (StageId,) = sqlx::query_as(
        "INSERT INTO stages (account_id, pipeline_id, uuid, key, name, position, probability, rotting_days, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(by.account_id())
    .bind(pipeline_id)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(&stage.key)
    .bind(&stage.name)
    .bind(position)
    .bind(stage.probability)
    .bind(stage.rotting_days)
    .bind(&now)
    .fetch_one(&mut *tx)
    .await?;
    let label = stage_label(&mut tx, by, id).await?;
    let detail = format!("{} %", stage.probability);
    audit::record(
        &mut *tx,
        by.actor(),
        AuditAction::StageCreated,
        &label,
        Some(&detail),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Changes a stage's name, key, probability and rotting days.
pub async fn update_stage(
    db: &Db,
    by: impl MayConfigure,
    stage_id: StageId,
    input: &StageInput,
) -> ServiceResult<()> {
    let by = by.configurer()?;
    let stage = validate_stage(input)?;
    let current = pipelines::get_stage(db, by.account_id(), stage_id).await?;
    let mut tx = db.begin().await?;
    lock_pipeline(&mut tx, by.account_id(), current.pipeline_id).await?;
    check_key_free(&mut tx, current.pipeline_id, &stage.key, Some(stage_id)).await?;
    sqlx::query(
        "UPDATE stages SET name = $1, key = $2, probability = $3, rotting_days = $4, updated_at = $5 \
         WHERE id = $6 AND account_id = $7",
    )
    .bind(&stage.name)
    .bind(&stage.key)
    .bind(stage.probability)
    .bind(stage.rotting_days)
    .bind(db::now())
    .bind(stage_id)
    .bind(by.account_id())
    .execute(&mut *tx)
    .await?;
    let label = stage_label(&mut tx, by, stage_id).await?;
    let detail = stage_change(&current, &stage);
    audit::record(
        &mut *tx,
        by.actor(),
        AuditAction::StageChanged,
        &label,
        detail.as_deref(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Moves a stage to `index` (0-based, clamped) within its pipeline; the others close ranks.
pub async fn move_stage(
    db: &Db,
    by: impl MayConfigure,
    stage_id: StageId,
    index: i64,
) -> ServiceResult<()> {
    let by = by.configurer()?;
    let current = pipelines::get_stage(db, by.account_id(), stage_id).await?;
    let mut tx = db.begin().await?;
    lock_pipeline(&mut tx, by.account_id(), current.pipeline_id).await?;
    let ids: Vec<(StageId,)> =
        sqlx::query_as("SELECT id FROM stages WHERE pipeline_id = $1 ORDER BY position, id")
            .bind(current.pipeline_id)
            .fetch_all(&mut *tx)
            .await?;
    let mut order: Vec<StageId> = ids
        .into_iter()
        .map(|(id,)| id)
        .filter(|id| *id != stage_id)
        .collect();
    let at = usize::try_from(index.max(0)).unwrap_or(0).min(order.len());
    order.insert(at, stage_id);
    write_order(&mut tx, &order).await?;
    let label = pipeline_label(&mut tx, by, current.pipeline_id).await?;
    let detail = format!("{} → {}", current.name, at + 1);
    audit::record(
        &mut *tx,
        by.actor(),
        AuditAction::StagesReordered,
        &label,
        Some(&detail),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Puts a pipeline's stages in the given order, which must name each of its stages once.
pub async fn reorder_stages(
    db: &Db,
    by: impl MayConfigure,
    pipeline_id: PipelineId,
    order: &[StageId],
) -> ServiceResult<()> {
    let by = by.configurer()?;
    let mut tx = db.begin().await?;
    lock_pipeline(&mut tx, by.account_id(), pipeline_id).await?;
    let ids: Vec<(StageId,)> = sqlx::query_as("SELECT id FROM stages WHERE pipeline_id = $1")
        .bind(pipeline_id)
        .fetch_all(&mut *tx)
        .await?;
    let mut have: Vec<StageId> = ids.into_iter().map(|(id,)| id).collect();
    let mut given = order.to_vec();
    have.sort_unstable();
    given.sort_unstable();
    if have != given {
        return Err(ServiceError::invalid(
            "stage_ids",
            Problem::EachStageOnce { count: have.len() },
        ));
    }
    write_order(&mut tx, order).await?;
    let label = pipeline_label(&mut tx, by, pipeline_id).await?;
    audit::record(
        &mut *tx,
        by.actor(),
        AuditAction::StagesReordered,
        &label,
        None,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Numbers the stages 0, 1, 2… in the given order.
async fn write_order(tx: &mut Tx, order: &[StageId]) -> ServiceResult<()> {
    for (position, id) in order.iter().enumerate() {
        sqlx::query("UPDATE stages SET position = $1 WHERE id = $2")
            .bind(position as i64)
            .bind(id)
            .execute(&mut **tx)
            .await?;
    }
    Ok(())
}

/// Deletes a stage. A pipeline keeps at least one stage; a stage with deals is deleted only
/// with a `move_to` stage of the same pipeline, where its deals go (after the ones there).
pub async fn delete_stage(
    db: &Db,
    by: impl MayConfigure,
    stage_id: StageId,
    move_to: Option<StageId>,
) -> ServiceResult<()> {
    let by = by.configurer()?;
    let stage = pipelines::get_stage(db, by.account_id(), stage_id).await?;
    let mut tx = db.begin().await?;
    lock_pipeline(&mut tx, by.account_id(), stage.pipeline_id).await?;
    let stages: Vec<Stage> = sqlx::query_as(&format!(
        "SELECT {STAGE_COLUMNS} FROM stages WHERE pipeline_id = $1 ORDER BY position, id"
    ))
    .bind(stage.pipeline_id)
    .fetch_all(&mut *tx)
    .await?;
    if stages.len() <= 1 {
        return Err(ServiceError::Conflict(
            "a pipeline needs at least one stage; add another before deleting this one".into(),
        ));
    }
    let deals: Vec<(DealId,)> =
        sqlx::query_as("SELECT id FROM deals WHERE stage_id = $1 ORDER BY position, id")
            .bind(stage_id)
            .fetch_all(&mut *tx)
            .await?;
    if !deals.is_empty() {
        let target = match move_to {
            None => {
                return Err(ServiceError::invalid(
                    "move_to",
                    Problem::StageHasDeals {
                        stage: stage.name.clone(),
                        count: deals.len() as i64,
                    },
                ))
            }
            Some(t) => stages
                .iter()
                .find(|s| s.id == t && s.id != stage_id)
                .ok_or_else(|| ServiceError::invalid("move_to", Problem::OtherStage))?,
        };
        let mut next = end_of_stage(&mut tx, by.account_id(), target.id).await?;
        let actor = by.actor();
        for (deal_id,) in deals {
            sqlx::query(
                "UPDATE deals SET stage_id = $1, position = $2, updated_at = $3 WHERE id = $4",
            )
            .bind(target.id)
            .bind(next)
            .bind(db::now())
            .bind(deal_id)
            .execute(&mut *tx)
            .await?;
            record_event(
                &mut tx,
                actor,
                deal_id,
                EventKind::StageChanged,
                (Some(stage_id), Some(target.id)),
                serde_json::json!({ "reason": "stage deleted", "from": stage.name }),
            )
            .await?;
            next += GAP;
        }
    }
    let label = stage_label(&mut tx, by, stage_id).await?;
    sqlx::query("DELETE FROM stages WHERE id = $1 AND account_id = $2")
        .bind(stage_id)
        .bind(by.account_id())
        .execute(&mut *tx)
        .await?;
    audit::record(
        &mut *tx,
        by.actor(),
        AuditAction::StageDeleted,
        &label,
        None,
    )
    .await?;
    let order: Vec<StageId> = stages
        .iter()
        .map(|s| s.id)
        .filter(|id| *id != stage_id)
        .collect();
    write_order(&mut tx, &order).await?;
    tx.commit().await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_come_from_names() {
        assert_eq!(key_from_name("Proposal sent"), "proposal_sent");
        assert_eq!(key_from_name("  Won / Signed! "), "won_signed");
        assert_eq!(key_from_name("Ação"), "a_o");
    }

    #[test]
    fn stage_fields_are_checked() {
        let ok = StageInput {
            name: "Demo".into(),
            key: String::new(),
            probability: 50,
            rotting_days: Some(14),
        };
        assert_eq!(
            validate_stage(&ok).map(|s| s.key).ok().as_deref(),
            Some("demo")
        );
        for (bad, field) in [
            (
                StageInput {
                    name: " ".into(),
                    ..ok.clone()
                },
                "name",
            ),
            (
                StageInput {
                    key: "Bad Key".into(),
                    ..ok.clone()
                },
                "key",
            ),
            (
                StageInput {
                    probability: 101,
                    ..ok.clone()
                },
                "probability",
            ),
            (
                StageInput {
                    rotting_days: Some(0),
                    ..ok.clone()
                },
                "rotting_days",
            ),
        ] {
            match validate_stage(&bad) {
                Err(ServiceError::Validation { field: f, .. }) => assert_eq!(f, field),
                other => panic!("{field}: {other:?}"),
            }
        }
    }
}
