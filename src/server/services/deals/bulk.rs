//! Changing the deals picked on the deal table at once: give them an owner, move them to the
//! end of a stage of any pipeline, add a tag, mark the open ones lost with a reason, or delete
//! them. Each deal goes through the same step as a change of one deal (its checks, timeline,
//! automations and webhooks), and the whole batch is one transaction: every deal changes, or
//! none (the first refusal names the deal).

use crate::domain::{DealId, DealStatus, Problem, StageId, UserId};
use crate::server::db::Db;
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::{pipelines, Actor};

use super::edit::FieldChanges;
use super::links::Link;
use super::moves::Slot;
use super::{closing, delete, edit, links, lock, moves};

/// Deals one batch may change.
pub const MAX_DEALS: usize = 200;

/// What a batch does to each deal.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BulkAction {
    Assign(UserId),
    MoveTo(StageId),
    AddTag(i64),
    /// Open deals only; closed ones are left as they are.
    MarkLost(String),
    Delete,
}

/// Applies `action` to the deals `ids` (each at most once); answers how many changed.
pub async fn apply(
    db: &Db,
    actor: Actor,
    ids: &[DealId],
    action: &BulkAction,
) -> ServiceResult<usize> {
    let mut ids: Vec<DealId> = ids.to_vec();
    // One order for every batch, so two batches never wait for each other's rows.
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Err(ServiceError::invalid("ids", "pick at least one deal"));
    }
    if ids.len() > MAX_DEALS {
        return Err(ServiceError::invalid(
            "ids",
            format!("at most {MAX_DEALS} deals at once"),
        ));
    }
    let mut tx = db.begin().await?;
    let mut changed = 0;
    if let BulkAction::MoveTo(stage_id) = action {
        let target = pipelines::get_stage(&mut *tx, actor.account_id, *stage_id)
            .await
            .map_err(|_| ServiceError::invalid("stage", Problem::NotFoundHere))?;
        // The pipeline's lock comes before the deals' (the lock order).
        pipelines::lock_pipeline(&mut tx, actor.account_id, target.pipeline_id).await?;
        for id in &ids {
            moves::place(&mut tx, actor, *id, &target, Slot::End)
                .await
                .map_err(|e| about(*id, e))?;
            changed += 1;
        }
    } else {
        for id in &ids {
            let done = match action {
                BulkAction::Assign(user) => {
                    let changes = FieldChanges {
                        responsible_user_id: Some(Some(*user)),
                        ..FieldChanges::default()
                    };
                    edit::apply(&mut tx, actor, *id, &changes)
                        .await
                        .map(|_| true)
                }
                BulkAction::AddTag(tag) => links::add(&mut tx, actor, *id, Link::Tag(*tag))
                    .await
                    .map(|_| true),
                BulkAction::MarkLost(reason) => {
                    let deal = lock(&mut tx, actor, *id).await.map_err(|e| about(*id, e))?;
                    if deal.status == DealStatus::Open {
                        closing::lose(&mut tx, actor, *id, reason, None)
                            .await
                            .map(|_| true)
                    } else {
                        Ok(false)
                    }
                }
                BulkAction::Delete => delete::delete(&mut tx, actor, *id).await.map(|_| true),
                BulkAction::MoveTo(_) => Ok(false),
            };
            if done.map_err(|e| about(*id, e))? {
                changed += 1;
            }
        }
    }
    tx.commit().await?;
    Ok(changed)
}

/// A refusal about one deal of the batch: "not found" stays as it is (another account's or a
/// hidden deal says nothing more); others say which deal.
fn about(id: DealId, e: ServiceError) -> ServiceError {
    match e {
        ServiceError::Validation { field, message } => ServiceError::Validation {
            field,
            message: Problem::Text(format!("deal {id}: {message}")),
        },
        ServiceError::Forbidden(m) => ServiceError::Forbidden(format!("deal {id}: {m}")),
        e => e,
    }
}
