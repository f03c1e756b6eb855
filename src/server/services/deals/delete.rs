//! Deleting a deal, for good: its people, tags, product lines, notes, activities and timeline
//! go with it; its quotes stay, without a deal. Subscriptions to `deal.deleted` get the deal as
//! it was, in the same transaction. Owners and admins delete any deal they see; a salesperson
//! only the deals they are responsible for; an API key with the write scope any deal it sees.

use crate::domain::audit::AuditAction;
use crate::domain::webhook::WebhookEvent;
use crate::domain::DealId;
use crate::server::db::{self, Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::webhooks::{self, Subject};
use crate::server::services::{audit, Actor};

use super::{lock, Deal};

/// Deletes a deal the actor may delete.
pub async fn delete_deal(db: &Db, actor: Actor, deal_id: DealId) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    delete(&mut tx, actor, deal_id).await?;
    tx.commit().await?;
    Ok(())
}

/// Step: [`delete_deal`].
pub(crate) async fn delete(tx: &mut Tx, actor: Actor, deal_id: DealId) -> ServiceResult<()> {
    let deal = lock(tx, actor, deal_id).await?;
    may_delete(tx, actor, &deal).await?;
    // The payload shows the deal as it was.
    webhooks::emit(
        tx,
        actor.account_id,
        WebhookEvent::DealDeleted,
        Subject::deal(deal_id),
    )
    .await?;
    let res = sqlx::query("DELETE FROM deals WHERE id = $1 AND account_id = $2")
        .bind(deal_id)
        .bind(actor.account_id)
        .execute(&mut **tx)
        .await?;
    db::touched(res, "deal")?;
    let detail = format!("#{}", deal_id.0);
    audit::record(
        &mut **tx,
        actor,
        AuditAction::DealDeleted,
        &deal.title,
        Some(&detail),
    )
    .await
}

async fn may_delete(tx: &mut Tx, actor: Actor, deal: &Deal) -> ServiceResult<()> {
    let Some(user) = actor.user_id else {
        return Ok(());
    };
    let (role,): (String,) =
        sqlx::query_as("SELECT role FROM users WHERE id = $1 AND account_id = $2")
            .bind(user)
            .bind(actor.account_id)
            .fetch_one(&mut **tx)
            .await?;
    if matches!(role.as_str(), "owner" | "admin") || deal.responsible_user_id == Some(user) {
        Ok(())
    } else {
        Err(ServiceError::Forbidden(
            "only the deal's responsible user, an admin or an owner may delete it".into(),
        ))
    }
}
