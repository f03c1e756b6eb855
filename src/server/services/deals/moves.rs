//! Moves: a deal's stage and its place in the column.
//!
//! Positions are unique in a stage and numbered [`GAP`] apart, so a move writes one row: the
//! middle of the gap between its new neighbours ([`between`]). Only when neighbours touch is
//! the stage numbered again, under the pipeline's exclusive lock.

use crate::domain::positions::{between, GAP};
use crate::domain::{AccountId, DealId, StageId};
use crate::server::db::{self, Backend, Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::automations::events;
use crate::server::services::pipelines::{self, lock_pipeline, Stage};
use crate::server::services::Actor;

use crate::server::services::webhooks::{self, WebhookEvent};

use super::{
    event_for_automations, event_for_webhooks, record_event, visible_to, Deal, EventKind,
    DEAL_COLUMNS,
};

/// Where a moved deal goes inside its target stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Right before this deal (which must be in the target stage); the end when it is not.
    Before(DealId),
    /// At this index (clamped to the stage's length).
    Index(usize),
    /// After the last deal.
    End,
}

/// The positions of the cards around the place `slot` names in stage `stage_id`, leaving out
/// `deal_id`: `(previous, next)`, `None` at either end of the column.
async fn neighbours(
    tx: &mut Tx,
    account_id: AccountId,
    stage_id: StageId,
    deal_id: DealId,
    slot: Slot,
) -> ServiceResult<(Option<i64>, Option<i64>)> {
    match slot {
        Slot::Before(before) if before != deal_id => {
            // The card to go before, and the one before it, in one statement.
            let found: Option<(i64, Option<i64>)> = sqlx::query_as(
                "SELECT b.position, (SELECT p.position FROM deals p \
                     WHERE p.account_id = $2 AND p.stage_id = $3 AND p.position < b.position \
                     AND p.id <> $4 ORDER BY p.position DESC LIMIT 1) \
                 FROM deals b WHERE b.id = $1 AND b.account_id = $2 AND b.stage_id = $3",
            )
            .bind(before)
            .bind(account_id)
            .bind(stage_id)
            .bind(deal_id)
            .fetch_optional(&mut **tx)
            .await?;
            if let Some((next, prev)) = found {
                return Ok((prev, Some(next)));
            }
        }
        Slot::Index(index) => {
            let skip = i64::try_from(index.saturating_sub(1)).unwrap_or(i64::MAX);
            let rows: Vec<(i64,)> = sqlx::query_as(
                "SELECT position FROM deals WHERE account_id = $1 AND stage_id = $2 AND id <> $3 \
                 ORDER BY position LIMIT 2 OFFSET $4",
            )
            .bind(account_id)
            .bind(stage_id)
            .bind(deal_id)
            .bind(skip)
            .fetch_all(&mut **tx)
            .await?;
            let at = |i: usize| rows.get(i).map(|(p,)| *p);
            return Ok(if index == 0 {
                (None, at(0))
            } else if rows.is_empty() {
                // Past the end: after the last card.
                (
                    last_position(tx, account_id, stage_id, deal_id).await?,
                    None,
                )
            } else {
                (at(0), at(1))
            });
        }
        _ => {}
    }
    Ok((
        last_position(tx, account_id, stage_id, deal_id).await?,
        None,
    ))
}

/// The position of the last card of stage `stage_id` other than `deal_id`.
async fn last_position(
    tx: &mut Tx,
    account_id: AccountId,
    stage_id: StageId,
    deal_id: DealId,
) -> ServiceResult<Option<i64>> {
    let last: Option<(i64,)> = sqlx::query_as(
        "SELECT position FROM deals WHERE account_id = $1 AND stage_id = $2 AND id <> $3 \
         ORDER BY position DESC LIMIT 1",
    )
    .bind(account_id)
    .bind(stage_id)
    .bind(deal_id)
    .fetch_optional(&mut **tx)
    .await?;
    Ok(last.map(|(p,)| p))
}

/// Below every position a card can have: renumbering parks a stage's cards here first, because
/// the unique index on `(stage_id, position)` checks each row as it is written.
const PARKED: i64 = -(1 << 60);

/// Numbers the cards of stage `stage_id` again, [`GAP`] apart in their current order. The
/// caller holds the pipeline's lock.
async fn renumber(tx: &mut Tx, account_id: AccountId, stage_id: StageId) -> ServiceResult<()> {
    sqlx::query(
        "UPDATE deals SET position = $1 + ranked.place FROM ( \
             SELECT id, ROW_NUMBER() OVER (ORDER BY position) - 1 AS place \
             FROM deals WHERE account_id = $2 AND stage_id = $3 \
         ) AS ranked WHERE deals.id = ranked.id",
    )
    .bind(PARKED)
    .bind(account_id)
    .bind(stage_id)
    .execute(&mut **tx)
    .await?;
    sqlx::query(
        "UPDATE deals SET position = (position - $1) * $2 WHERE account_id = $3 AND stage_id = $4",
    )
    .bind(PARKED)
    .bind(GAP)
    .bind(account_id)
    .bind(stage_id)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// The position a deal created in stage `stage_id` gets: after the last card.
pub(crate) async fn end_of_stage(
    tx: &mut Tx,
    account_id: AccountId,
    stage_id: StageId,
) -> ServiceResult<i64> {
    // No deal has id 0: every card of the stage counts.
    let last = last_position(tx, account_id, stage_id, DealId(0)).await?;
    between(last, None).ok_or_else(|| ServiceError::Internal("stage positions exhausted".into()))
}

/// Attempts a move gets when concurrent moves take the same place first.
const MOVE_TRIES: usize = 5;

/// Moves a deal to `slot` in stage `to_stage_id` (same or another stage, even of another
/// pipeline). Only the moved row is written, in the gap between its new neighbours; a stage
/// change stamps `stage_changed_at` and records a `stage_changed` event.
///
/// A move before a card or to the end of a column is first tried in one pass
/// ([`quick_move`]); when that cannot place it (no such deal or stage, neighbours that touch,
/// a place taken meanwhile) the careful path below finds out why, renumbering if needed.
pub async fn move_deal(
    db: &Db,
    actor: Actor,
    deal_id: DealId,
    to_stage_id: StageId,
    slot: Slot,
) -> ServiceResult<Deal> {
    if !matches!(slot, Slot::Index(_)) {
        match quick_move(db, actor, deal_id, to_stage_id, slot).await {
            Ok(Some(moved)) => return Ok(moved),
            Ok(None) => {}
            Err(e) if e.is_unique_violation() => {}
            Err(e) => return Err(e),
        }
    }
    let target = pipelines::get_stage(&db.pool, actor.account_id, to_stage_id).await?;
    let mut exclusive = false;
    for _ in 0..MOVE_TRIES {
        match try_move(db, actor, deal_id, &target, slot, exclusive).await {
            Ok(Some(moved)) => return Ok(moved),
            // The neighbours touch: again, holding the pipeline alone to renumber the stage.
            Ok(None) => exclusive = true,
            // A deal created at the same place meanwhile: read the neighbours again.
            Err(e) if e.is_unique_violation() => continue,
            Err(e) => return Err(e),
        }
    }
    Err(ServiceError::Conflict(
        "the column kept changing while the deal moved; try again".into(),
    ))
}

/// A move in two statements: the timeline event, inserted only when the stage changes (it
/// reads the deal's current stage, and answers whether an automation listens), then the
/// update, whose new position is worked out in SQL from the neighbours the slot names (the
/// rule of [`between`]). `None` when the update placed nothing: the deal or the stage is not
/// the account's, the actor may not see the deal, or the neighbours touch; the transaction is
/// then dropped.
async fn quick_move(
    db: &Db,
    actor: Actor,
    deal_id: DealId,
    to_stage_id: StageId,
    slot: Slot,
) -> ServiceResult<Option<Deal>> {
    // Placeholders: $1 deal, $2 account, $3 stage, $4 now, $5 the card to go before.
    let end = format!(
        "(SELECT COALESCE(MAX(e.position) + {GAP}, 0) FROM deals e \
         WHERE e.account_id = $2 AND e.stage_id = $3 AND e.id <> $1)"
    );
    let (position, before) = match slot {
        Slot::Before(before) => (
            format!(
                "(SELECT CASE WHEN n.next IS NULL THEN {end} \
                     WHEN n.prev IS NULL THEN n.next - {GAP} \
                     WHEN n.next - n.prev >= 2 THEN n.prev + (n.next - n.prev) / 2 END \
                 FROM (SELECT b.position AS next, (SELECT MAX(p.position) FROM deals p \
                         WHERE p.account_id = $2 AND p.stage_id = $3 AND p.id <> $1 \
                         AND p.position < b.position) AS prev \
                       FROM (SELECT 1 AS one) o LEFT JOIN deals b ON b.id = $5 \
                         AND b.account_id = $2 AND b.stage_id = $3 AND b.id <> $1) n)"
            ),
            Some(before),
        ),
        _ => (end, None),
    };
    let mut tx = db.begin().await?;
    pipelines::lock_stage_for_move(&mut tx, actor.account_id, to_stage_id).await?;
    let changed: Option<(StageId, Option<i64>, Option<i64>)> = sqlx::query_as(&format!(
        "INSERT INTO deal_events (account_id, deal_id, user_id, kind, from_stage_id, to_stage_id, data, created_at) \
         SELECT d.account_id, d.id, $4, 'stage_changed', d.stage_id, s.id, '{{}}', $5 \
         FROM deals d JOIN stages s ON s.id = $3 AND s.account_id = d.account_id \
         WHERE d.id = $1 AND d.account_id = $2 AND d.stage_id <> s.id{} \
         RETURNING from_stage_id, {}, {}",
        // On PostgreSQL the deal's row lock comes first, before the event's foreign key
        // shares it: two moves of one deal would otherwise each wait for the other.
        if db.backend == Backend::Postgres { " FOR UPDATE OF d" } else { "" },
        events::listener_subquery("$2", "'DEAL_STAGE_CHANGED'"),
        webhooks::events::listener_subquery("$2", "$6")
    ))
    .bind(deal_id)
    .bind(actor.account_id)
    .bind(to_stage_id)
    .bind(actor.user_id)
    .bind(db::now())
    .bind(webhooks::events::pattern(WebhookEvent::DealStageChanged))
    .fetch_optional(&mut *tx)
    .await?;
    // The actor's user is the placeholder after the card to go before, when there is one.
    let user = if before.is_some() { "$6" } else { "$5" };
    let update = format!(
        "UPDATE deals SET position = {position}, updated_at = $4, \
         stage_changed_at = CASE WHEN stage_id = $3 THEN stage_changed_at ELSE $4 END, \
         stage_id = $3, pipeline_id = (SELECT s.pipeline_id FROM stages s WHERE s.id = $3) \
         WHERE id = $1 AND account_id = $2 AND {position} IS NOT NULL AND {} \
         AND EXISTS (SELECT 1 FROM stages s WHERE s.id = $3 AND s.account_id = $2) \
         RETURNING {DEAL_COLUMNS}",
        visible_to("deals", user)
    );
    let mut query = sqlx::query_as(&update)
        .bind(deal_id)
        .bind(actor.account_id)
        .bind(to_stage_id)
        .bind(db::now());
    if let Some(before) = before {
        query = query.bind(before);
    }
    let moved: Option<Deal> = query.bind(actor.user_id).fetch_optional(&mut *tx).await?;
    let Some(moved) = moved else {
        return Ok(None);
    };
    if let Some((from_stage_id, Some(_), _)) = changed {
        event_for_automations(
            &mut tx,
            actor,
            deal_id,
            "DEAL_STAGE_CHANGED",
            Some(from_stage_id),
        )
        .await?;
    }
    if let Some((from_stage_id, _, Some(_))) = changed {
        event_for_webhooks(
            &mut tx,
            actor,
            deal_id,
            EventKind::StageChanged,
            Some(from_stage_id),
            &serde_json::json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Some(moved))
}

/// One attempt of [`move_deal`]'s careful path, in a transaction of its own: `None` when the
/// stage has to be renumbered first, which only an `exclusive` attempt does.
async fn try_move(
    db: &Db,
    actor: Actor,
    deal_id: DealId,
    target: &Stage,
    slot: Slot,
    exclusive: bool,
) -> ServiceResult<Option<Deal>> {
    let mut tx = db.begin().await?;
    if exclusive {
        lock_pipeline(&mut tx, actor.account_id, target.pipeline_id).await?;
    } else {
        pipelines::lock_stage_for_move(&mut tx, actor.account_id, target.id).await?;
    }
    let moved = place_in(&mut tx, actor, deal_id, target, slot, exclusive).await?;
    if moved.is_some() {
        tx.commit().await?;
    }
    Ok(moved)
}

/// Step: moves a deal to `slot` of stage `target` inside a larger change. The caller holds
/// the target pipeline's exclusive lock ([`lock_pipeline`], taken before the deal's, as the
/// lock order asks), so no other move can take the same place and the stage can be
/// renumbered when the neighbours touch.
pub(crate) async fn place(
    tx: &mut Tx,
    actor: Actor,
    deal_id: DealId,
    target: &Stage,
    slot: Slot,
) -> ServiceResult<Deal> {
    place_in(tx, actor, deal_id, target, slot, true)
        .await?
        .ok_or_else(|| ServiceError::Internal("no room after renumbering".into()))
}

/// The careful move under the locks the caller took: the deal's row lock, its neighbours in
/// the target stage, the update, and the `stage_changed` event when the stage changes. `None`
/// when the neighbours touch and the caller does not hold the pipeline alone (`exclusive`).
async fn place_in(
    tx: &mut Tx,
    actor: Actor,
    deal_id: DealId,
    target: &Stage,
    slot: Slot,
    exclusive: bool,
) -> ServiceResult<Option<Deal>> {
    let from_stage_id = super::lock(tx, actor, deal_id).await?.stage_id;
    let (prev, next) = neighbours(tx, actor.account_id, target.id, deal_id, slot).await?;
    let position = match between(prev, next) {
        Some(position) => position,
        None if exclusive => {
            renumber(tx, actor.account_id, target.id).await?;
            let (prev, next) = neighbours(tx, actor.account_id, target.id, deal_id, slot).await?;
            between(prev, next)
                .ok_or_else(|| ServiceError::Internal("no room after renumbering".into()))?
        }
        None => return Ok(None),
    };
    let now = db::now();
    let moved: Deal = sqlx::query_as(&format!(
        "UPDATE deals SET position = $1, updated_at = $2, \
         stage_changed_at = CASE WHEN stage_id = $3 THEN stage_changed_at ELSE $2 END, \
         stage_id = $3, pipeline_id = $4 WHERE id = $5 AND account_id = $6 \
         RETURNING {DEAL_COLUMNS}"
    ))
    .bind(position)
    .bind(&now)
    .bind(target.id)
    .bind(target.pipeline_id)
    .bind(deal_id)
    .bind(actor.account_id)
    .fetch_one(&mut **tx)
    .await?;
    if from_stage_id != target.id {
        record_event(
            tx,
            actor,
            deal_id,
            EventKind::StageChanged,
            (Some(from_stage_id), Some(target.id)),
            serde_json::json!({}),
        )
        .await?;
    }
    Ok(Some(moved))
}

/// A deal's 1-based place in its stage: one more than the cards before it.
pub(crate) async fn rank(tx: &mut Tx, deal: &Deal) -> ServiceResult<i64> {
    let (before,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM deals WHERE stage_id = $1 AND position < $2")
            .bind(deal.stage_id)
            .bind(deal.position)
            .fetch_one(&mut **tx)
            .await?;
    Ok(before + 1)
}

/// Positions of every stage of the account, for consistency checks: (stage_id, positions).
pub async fn stage_positions(
    db: &Db,
    account_id: AccountId,
) -> ServiceResult<Vec<(i64, Vec<i64>)>> {
    let rows: Vec<(i64, i64)> = sqlx::query_as(
        "SELECT stage_id, position FROM deals WHERE account_id = $1 ORDER BY stage_id, position",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    let mut out: Vec<(i64, Vec<i64>)> = Vec::new();
    for (stage, pos) in rows {
        match out.last_mut() {
            Some((s, list)) if *s == stage => list.push(pos),
            _ => out.push((stage, vec![pos])),
        }
    }
    Ok(out)
}
