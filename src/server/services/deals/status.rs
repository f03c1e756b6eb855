//! Setting a deal's place in its pipeline by one word: a stage key (`new`, `contacted`, …) moves
//! it to that stage of its own pipeline (reopening it when closed), `won` / `lost` close it.
//! Reopening and moving are one transaction.

use crate::domain::{DealId, DealStatus};
use crate::server::db::Db;
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::pipelines;
use crate::server::services::Actor;

use super::closing;
use super::{find, lock, moves, Deal, Slot};

/// Stage keys the stage-update API accepts, besides `won` and `lost`.
pub const STAGE_STATUSES: &[&str] = &["new", "contacted", "qualified", "proposal", "negotiation"];

/// The lost reason recorded when a deal is marked lost without one.
pub const API_LOST_REASON: &str = "Marked lost through the API";

/// Attempts when the deal moves to another pipeline while this change waits for its locks.
const TRIES: usize = 3;

/// Applies `status` to a deal; setting the status it already has changes nothing.
pub async fn set_pipeline_status(
    db: &Db,
    actor: Actor,
    deal_id: DealId,
    status: &str,
) -> ServiceResult<Deal> {
    let deal = super::get_deal(db, actor, deal_id).await?;
    match status {
        "won" if deal.status == DealStatus::Won => Ok(deal),
        "won" => closing::mark_won(db, actor, deal_id, None, "").await,
        "lost" if deal.status == DealStatus::Lost => Ok(deal),
        "lost" => closing::mark_lost(db, actor, deal_id, API_LOST_REASON).await,
        key if STAGE_STATUSES.contains(&key) => to_stage(db, actor, deal, key).await,
        other => Err(ServiceError::invalid(
            "status",
            format!(
                "\"{other}\" is not one of {}, won, lost",
                STAGE_STATUSES.join(", ")
            ),
        )),
    }
}

/// Reopens the deal when closed and moves it to the end of the stage `key` of its pipeline,
/// in one transaction. The pipeline's lock comes before the deal's (the lock order), so the
/// pipeline is read first and checked again once the deal is locked.
async fn to_stage(db: &Db, actor: Actor, mut deal: Deal, key: &str) -> ServiceResult<Deal> {
    for _ in 0..TRIES {
        let stage = pipelines::stage_by_key(db, actor.account_id, deal.pipeline_id, key)
            .await?
            .ok_or_else(|| {
                ServiceError::invalid(
                    "status",
                    format!("the deal's pipeline has no stage \"{key}\""),
                )
            })?;
        if deal.status == DealStatus::Open && deal.stage_id == stage.id {
            return Ok(deal);
        }
        let mut tx = db.begin().await?;
        pipelines::lock_pipeline(&mut tx, actor.account_id, stage.pipeline_id).await?;
        let locked = lock(&mut tx, actor, deal.id).await?;
        if locked.pipeline_id != stage.pipeline_id {
            // Moved to another pipeline meanwhile: look again.
            deal = find(&db.pool, actor, deal.id).await?;
            continue;
        }
        if locked.status != DealStatus::Open {
            closing::reopen_step(&mut tx, actor, deal.id).await?;
        }
        let moved = if locked.stage_id == stage.id {
            find(&mut *tx, actor, deal.id).await?
        } else {
            moves::place(&mut tx, actor, deal.id, &stage, Slot::End).await?
        };
        tx.commit().await?;
        return Ok(moved);
    }
    Err(ServiceError::Conflict(
        "the deal kept moving between pipelines; try again".into(),
    ))
}
