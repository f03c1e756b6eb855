//! Setting a deal's place in its pipeline by one word: a stage key (`new`, `contacted`, …) moves
//! it to that stage of its own pipeline (reopening it when closed), `won` / `lost` close it.

use crate::domain::DealStatus;
use crate::server::db::Db;
use crate::server::error::{ServiceError, ServiceResult};

use super::closing;
use super::deals::{get_deal, move_deal, Deal, Slot};
use super::Actor;

/// Stage keys the stage-update API accepts, besides `won` and `lost`.
pub const STAGE_STATUSES: &[&str] = &["new", "contacted", "qualified", "proposal", "negotiation"];

/// The lost reason recorded when a deal is marked lost without one.
pub const API_LOST_REASON: &str = "Marked lost through the API";

/// Applies `status` to a deal; setting the status it already has changes nothing.
pub async fn set_pipeline_status(
    db: &Db,
    actor: Actor,
    deal_id: i64,
    status: &str,
) -> ServiceResult<Deal> {
    let deal = get_deal(db, actor, deal_id).await?;
    match status {
        "won" if deal.status == DealStatus::Won.as_str() => Ok(deal),
        "won" => closing::mark_won(db, actor, deal_id, None, "").await,
        "lost" if deal.status == DealStatus::Lost.as_str() => Ok(deal),
        "lost" => closing::mark_lost(db, actor, deal_id, API_LOST_REASON).await,
        key if STAGE_STATUSES.contains(&key) => {
            let stage: Option<(i64,)> = sqlx::query_as(
                "SELECT id FROM stages WHERE pipeline_id = $1 AND account_id = $2 AND key = $3",
            )
            .bind(deal.pipeline_id)
            .bind(actor.account_id)
            .bind(key)
            .fetch_optional(&db.pool)
            .await?;
            let (stage_id,) = stage.ok_or_else(|| {
                ServiceError::invalid(
                    "status",
                    format!("the deal's pipeline has no stage \"{key}\""),
                )
            })?;
            if deal.status != DealStatus::Open.as_str() {
                closing::reopen(db, actor, deal_id).await?;
            }
            if deal.stage_id == stage_id {
                return get_deal(db, actor, deal_id).await;
            }
            move_deal(db, actor, deal_id, stage_id, Slot::End).await
        }
        other => Err(ServiceError::invalid(
            "status",
            format!(
                "\"{other}\" is not one of {}, won, lost",
                STAGE_STATUSES.join(", ")
            ),
        )),
    }
}
