//! Deals: creation, moves across and within stages, and their event trail.

use sqlx::{Any, Transaction};

use crate::domain::positions::{between, GAP};
use crate::domain::DealStatus;
use crate::server::db::{self, Backend, Db};
use crate::server::error::{ServiceError, ServiceResult};

use super::events::{self, Subject};
use super::pipelines::{self, lock_pipeline};
use super::Actor;

/// Longest deal title accepted.
pub const MAX_TITLE_LEN: usize = 150;

/// A deal to create. Either `stage_id` or `pipeline_id` (its first stage) or neither (the
/// primary pipeline's first stage) places it.
#[derive(Debug, Clone, Default)]
pub struct NewDeal {
    pub title: String,
    pub value_cents: i64,
    pub currency: Option<String>,
    pub stage_id: Option<i64>,
    pub pipeline_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub responsible_user_id: Option<i64>,
    pub expected_close_date: Option<String>,
    pub temperature: Option<i64>,
    pub status: DealStatus,
    /// Required when `status` is lost.
    pub lost_reason: String,
    /// When a deal created won or lost was closed (storage form); now when `None`.
    pub closed_at: Option<String>,
    /// Custom attributes, kept as given.
    pub custom_attributes: Option<serde_json::Map<String, serde_json::Value>>,
    pub quality_rating: Option<i64>,
    pub quality_reason: Option<String>,
    /// 0, 1 or 2; [`DEFAULT_VISIBILITY`] when `None`.
    pub visibility: Option<i64>,
    pub lead_source_id: Option<i64>,
    /// Normalized marketing values (see `domain::marketing`).
    pub marketing: Option<std::collections::BTreeMap<String, String>>,
}

/// Visibility of a deal created without one: everyone.
pub const DEFAULT_VISIBILITY: i64 = 2;

/// The core fields of a stored deal.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Deal {
    pub id: i64,
    pub account_id: i64,
    pub uuid: String,
    pub code: i64,
    pub title: String,
    pub value_cents: i64,
    pub currency: String,
    pub status: String,
    pub pipeline_id: i64,
    pub stage_id: i64,
    pub position: i64,
    pub responsible_user_id: Option<i64>,
    pub contact_id: Option<i64>,
    pub organization_id: Option<i64>,
    pub lead_source_id: Option<i64>,
    pub expected_close_date: Option<String>,
    pub temperature: Option<i64>,
    pub won_at: Option<String>,
    pub lost_at: Option<String>,
    pub lost_reason: String,
    pub final_value_cents: Option<i64>,
    pub close_notes: Option<String>,
    pub stage_changed_at: String,
    pub created_at: String,
    pub updated_at: String,
}

const DEAL_COLUMNS: &str =
    "id, account_id, uuid, code, title, value_cents, currency, status, pipeline_id, stage_id, \
     position, responsible_user_id, contact_id, organization_id, lead_source_id, expected_close_date, temperature, \
     won_at, lost_at, lost_reason, final_value_cents, close_notes, stage_changed_at, created_at, updated_at";

/// Where a moved deal goes inside its target stage.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Slot {
    /// Right before this deal (which must be in the target stage); the end when it is not.
    Before(i64),
    /// At this index (clamped to the stage's length).
    Index(usize),
    /// After the last deal.
    End,
}

/// Checks and trims a deal title.
pub fn validate_title(title: &str) -> ServiceResult<String> {
    let t = title.trim();
    if t.is_empty() {
        return Err(ServiceError::invalid("title", "must not be empty"));
    }
    if t.chars().count() > MAX_TITLE_LEN {
        return Err(ServiceError::invalid(
            "title",
            format!("must have at most {MAX_TITLE_LEN} characters"),
        ));
    }
    Ok(t.to_string())
}

/// Longest quality reason accepted.
pub const MAX_QUALITY_REASON_LEN: usize = 500;

/// Checks a deal's scales: quality rating 1–5 (and its reason's length), visibility 0 (owner
/// only), 1 (owner's team) or 2 (everyone), temperature 1 (cold), 2 (warm) or 3 (hot).
pub fn check_scales(
    quality_rating: Option<i64>,
    quality_reason: &str,
    visibility: i64,
    temperature: Option<i64>,
) -> ServiceResult<()> {
    if quality_rating.is_some_and(|q| !(1..=5).contains(&q)) {
        return Err(ServiceError::invalid(
            "quality_rating",
            "must be from 1 to 5",
        ));
    }
    if quality_reason.trim().chars().count() > MAX_QUALITY_REASON_LEN {
        return Err(ServiceError::invalid(
            "quality_reason",
            format!("must have at most {MAX_QUALITY_REASON_LEN} characters"),
        ));
    }
    if !(0..=2).contains(&visibility) {
        return Err(ServiceError::invalid("visibility", "must be 0, 1 or 2"));
    }
    if temperature.is_some_and(|t| !(1..=3).contains(&t)) {
        return Err(ServiceError::invalid(
            "temperature",
            "must be 1 (cold), 2 (warm) or 3 (hot)",
        ));
    }
    Ok(())
}

/// Loads a deal of the actor's account.
pub async fn get_deal(db: &Db, actor: Actor, deal_id: i64) -> ServiceResult<Deal> {
    sqlx::query_as(&format!(
        "SELECT {DEAL_COLUMNS} FROM deals WHERE id = $1 AND account_id = $2"
    ))
    .bind(deal_id)
    .bind(actor.account_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(ServiceError::NotFound("deal"))
}

/// The id of the account's deal with this UUID (public APIs name deals by UUID).
pub async fn deal_id_by_uuid(db: &Db, actor: Actor, uuid: &str) -> ServiceResult<i64> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM deals WHERE uuid = $1 AND account_id = $2")
            .bind(uuid)
            .bind(actor.account_id)
            .fetch_optional(&db.pool)
            .await?;
    row.map(|(id,)| id).ok_or(ServiceError::NotFound("deal"))
}

/// The id of the account's row of `table` with this UUID; a form error on `field` otherwise.
pub async fn id_by_uuid(
    db: &Db,
    table: &'static str,
    account_id: i64,
    uuid: &str,
    field: &str,
) -> ServiceResult<i64> {
    let row: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM {table} WHERE uuid = $1 AND account_id = $2"
    ))
    .bind(uuid)
    .bind(account_id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|(id,)| id)
        .ok_or_else(|| ServiceError::invalid(field, "not found in this account"))
}

pub(crate) async fn get_deal_tx(
    tx: &mut Transaction<'_, Any>,
    actor: Actor,
    deal_id: i64,
) -> ServiceResult<Deal> {
    sqlx::query_as(&format!(
        "SELECT {DEAL_COLUMNS} FROM deals WHERE id = $1 AND account_id = $2"
    ))
    .bind(deal_id)
    .bind(actor.account_id)
    .fetch_optional(&mut **tx)
    .await?
    .ok_or(ServiceError::NotFound("deal"))
}

/// The positions of the cards around the place `slot` names in stage `stage_id`, leaving out
/// `deal_id`: `(previous, next)`, `None` at either end of the column.
async fn neighbours(
    tx: &mut Transaction<'_, Any>,
    account_id: i64,
    stage_id: i64,
    deal_id: i64,
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
    tx: &mut Transaction<'_, Any>,
    account_id: i64,
    stage_id: i64,
    deal_id: i64,
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
async fn renumber(
    tx: &mut Transaction<'_, Any>,
    account_id: i64,
    stage_id: i64,
) -> ServiceResult<()> {
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
    tx: &mut Transaction<'_, Any>,
    account_id: i64,
    stage_id: i64,
) -> ServiceResult<i64> {
    let last = last_position(tx, account_id, stage_id, 0).await?;
    between(last, None).ok_or_else(|| ServiceError::Internal("stage positions exhausted".into()))
}

/// Records an entry of a deal's timeline.
pub async fn record_event(
    tx: &mut Transaction<'_, Any>,
    actor: Actor,
    deal_id: i64,
    kind: &str,
    from_stage_id: Option<i64>,
    to_stage_id: Option<i64>,
    data: serde_json::Value,
) -> ServiceResult<()> {
    let trigger = match kind {
        "opened" => Some("DEAL_CREATED"),
        "stage_changed" => Some("DEAL_STAGE_CHANGED"),
        "won" => Some("DEAL_WON"),
        "lost" => Some("DEAL_LOST"),
        _ => None,
    };
    // The insert also answers whether an automation listens (one statement fewer on the
    // board's hot path, the move).
    let (listener,): (Option<i64>,) = sqlx::query_as(&format!(
        "INSERT INTO deal_events (account_id, deal_id, user_id, kind, from_stage_id, to_stage_id, data, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING {}",
        events::listener_subquery("$1", "$9")
    ))
    .bind(actor.account_id)
    .bind(deal_id)
    .bind(actor.user_id)
    .bind(kind)
    .bind(from_stage_id)
    .bind(to_stage_id)
    .bind(data.to_string())
    .bind(db::now())
    .bind(trigger)
    .fetch_one(&mut **tx)
    .await?;
    if let (Some(trigger), Some(_)) = (trigger, listener) {
        deal_event_for_automations(tx, actor, deal_id, trigger, from_stage_id).await?;
    }
    Ok(())
}

/// Records a deal's `trigger` for the automations that listen to it; a stage change carries
/// the key of the stage the deal left (`previousStage`).
async fn deal_event_for_automations(
    tx: &mut Transaction<'_, Any>,
    actor: Actor,
    deal_id: i64,
    trigger: &str,
    from_stage_id: Option<i64>,
) -> ServiceResult<()> {
    let mut extra = serde_json::json!({});
    if let Some(from) = from_stage_id {
        let key: Option<(String,)> = sqlx::query_as("SELECT key FROM stages WHERE id = $1")
            .bind(from)
            .fetch_optional(&mut **tx)
            .await?;
        extra["previousStage"] = serde_json::json!(key.map(|(k,)| k));
    }
    events::record(tx, actor.account_id, trigger, Subject::Deal(deal_id), extra).await
}

/// Takes the deal's row lock (a write first, so concurrent edits of one deal queue up) and
/// answers "not found" for another account's deal.
pub(crate) async fn lock_deal(
    tx: &mut Transaction<'_, Any>,
    actor: Actor,
    deal_id: i64,
) -> ServiceResult<()> {
    lock_deal_stage(tx, actor, deal_id).await.map(|_| ())
}

/// [`lock_deal`], answering the stage the deal is in (one statement for both).
async fn lock_deal_stage(
    tx: &mut Transaction<'_, Any>,
    actor: Actor,
    deal_id: i64,
) -> ServiceResult<i64> {
    let stage: Option<(i64,)> = sqlx::query_as(
        "UPDATE deals SET updated_at = $1 WHERE id = $2 AND account_id = $3 RETURNING stage_id",
    )
    .bind(db::now())
    .bind(deal_id)
    .bind(actor.account_id)
    .fetch_optional(&mut **tx)
    .await?;
    stage.map(|(s,)| s).ok_or(ServiceError::NotFound("deal"))
}

/// Refuses an id that is not a row of `table` in the account, naming the form `field`.
pub(crate) async fn check_in_account(
    tx: &mut Transaction<'_, Any>,
    table: &'static str,
    id: i64,
    account_id: i64,
    field: &str,
) -> ServiceResult<()> {
    let found: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM {table} WHERE id = $1 AND account_id = $2"
    ))
    .bind(id)
    .bind(account_id)
    .fetch_optional(&mut **tx)
    .await?;
    found
        .map(|_| ())
        .ok_or_else(|| ServiceError::invalid(field, "not found in this account"))
}

/// Checks that a user belongs to the actor's account.
async fn check_user(db: &Db, actor: Actor, user_id: i64) -> ServiceResult<()> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM users WHERE id = $1 AND account_id = $2")
            .bind(user_id)
            .bind(actor.account_id)
            .fetch_optional(&db.pool)
            .await?;
    row.map(|_| ())
        .ok_or_else(|| ServiceError::invalid("responsible_user_id", "no such user in this account"))
}

/// Creates a deal at the end of its stage; returns it.
pub async fn create_deal(db: &Db, actor: Actor, new: NewDeal) -> ServiceResult<Deal> {
    let title = validate_title(&new.title)?;
    if new.value_cents < 0 {
        return Err(ServiceError::invalid("value", "must not be negative"));
    }
    let currency = match new.currency.as_deref().map(str::trim) {
        None | Some("") => "USD".to_string(),
        Some(c) if c.len() == 3 && c.chars().all(|ch| ch.is_ascii_alphabetic()) => {
            c.to_ascii_uppercase()
        }
        Some(c) => {
            return Err(ServiceError::invalid(
                "currency",
                format!("\"{c}\" is not a 3-letter currency code"),
            ))
        }
    };
    let visibility = new.visibility.unwrap_or(DEFAULT_VISIBILITY);
    let quality_reason = new
        .quality_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    check_scales(
        new.quality_rating,
        quality_reason.unwrap_or(""),
        visibility,
        new.temperature,
    )?;
    let expected_close_date = match new.expected_close_date.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(d) => Some(
            db::parse_date(d)
                .ok_or_else(|| {
                    ServiceError::invalid(
                        "expected_close_date",
                        format!("\"{d}\" is not a date (YYYY-MM-DD)"),
                    )
                })?
                .format("%Y-%m-%d")
                .to_string(),
        ),
    };
    let stage = match (new.stage_id, new.pipeline_id) {
        (Some(stage_id), pipeline) => {
            let stage = pipelines::get_stage(db, actor.account_id, stage_id)
                .await
                .map_err(|_| ServiceError::invalid("stage_id", "no such stage in this account"))?;
            if let Some(p) = pipeline {
                if p != stage.pipeline_id {
                    return Err(ServiceError::invalid(
                        "pipeline_id",
                        "does not match the stage's pipeline",
                    ));
                }
            }
            stage
        }
        (None, pipeline) => {
            let pipeline_id = match pipeline {
                Some(p) => p,
                None => pipelines::primary_pipeline_id(db, actor.account_id).await?,
            };
            pipelines::stages_of(db, actor.account_id, pipeline_id)
                .await?
                .into_iter()
                .next()
                .ok_or_else(|| ServiceError::invalid("pipeline_id", "the pipeline has no stages"))?
        }
    };
    let lost_reason = match new.status {
        DealStatus::Lost => super::closing::check_lost_reason(&new.lost_reason)?.to_string(),
        _ => String::new(),
    };
    let custom_attributes = match &new.custom_attributes {
        Some(attrs) => super::deal_links::check_attributes(attrs)?,
        None => "{}".to_string(),
    };
    let responsible = new.responsible_user_id.or(actor.user_id);
    if let Some(u) = responsible {
        check_user(db, actor, u).await?;
    }
    let now = db::now();
    let mut tx = db.begin().await?;
    lock_pipeline(&mut tx, actor.account_id, stage.pipeline_id).await?;
    for (table, id, field) in [
        ("contacts", new.contact_id, "contact_id"),
        ("organizations", new.organization_id, "organization_id"),
        ("lead_sources", new.lead_source_id, "lead_source_id"),
    ] {
        if let Some(id) = id {
            check_in_account(&mut tx, table, id, actor.account_id, field).await?;
        }
    }
    let (code,): (i64,) = sqlx::query_as(
        "UPDATE accounts SET next_deal_code = next_deal_code + 1 WHERE id = $1 RETURNING next_deal_code - 1",
    )
    .bind(actor.account_id)
    .fetch_one(&mut *tx)
    .await?;
    let position = end_of_stage(&mut tx, actor.account_id, stage.id).await?;
    let closed_at = new.closed_at.clone().unwrap_or_else(|| now.clone());
    let (won_at, lost_at) = match new.status {
        DealStatus::Open => (None, None),
        DealStatus::Won => (Some(closed_at), None),
        DealStatus::Lost => (None, Some(closed_at)),
    };
    let (id,): (i64,) = sqlx::query_as(
        "INSERT INTO deals (account_id, uuid, code, title, value_cents, currency, status, pipeline_id, stage_id, position, \
         expected_close_date, responsible_user_id, created_by_id, contact_id, organization_id, temperature, won_at, lost_at, \
         lost_reason, custom_attributes, quality_rating, quality_reason, visibility, lead_source_id, marketing, \
         stage_changed_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $20, $21, \
         $22, $23, $24, $25, $26, $19, $19, $19) RETURNING id",
    )
    .bind(actor.account_id)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(code)
    .bind(&title)
    .bind(new.value_cents)
    .bind(&currency)
    .bind(new.status.as_str())
    .bind(stage.pipeline_id)
    .bind(stage.id)
    .bind(position)
    .bind(expected_close_date)
    .bind(responsible)
    .bind(actor.user_id)
    .bind(new.contact_id)
    .bind(new.organization_id)
    .bind(new.temperature)
    .bind(won_at)
    .bind(lost_at)
    .bind(&now)
    .bind(&lost_reason)
    .bind(&custom_attributes)
    .bind(new.quality_rating)
    .bind(quality_reason)
    .bind(visibility)
    .bind(new.lead_source_id)
    .bind(
        serde_json::to_string(&new.marketing.clone().unwrap_or_default())
            .unwrap_or_else(|_| "{}".into()),
    )
    .fetch_one(&mut *tx)
    .await?;
    record_event(
        &mut tx,
        actor,
        id,
        "opened",
        None,
        Some(stage.id),
        serde_json::json!({}),
    )
    .await?;
    if let Some(contact_id) = new.contact_id {
        super::deal_links::make_primary(&mut tx, actor.account_id, id, contact_id).await?;
    }
    let deal = get_deal_tx(&mut tx, actor, id).await?;
    tx.commit().await?;
    Ok(deal)
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
    deal_id: i64,
    to_stage_id: i64,
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
    let target = pipelines::get_stage(db, actor.account_id, to_stage_id).await?;
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
/// the account's, or the neighbours touch; the transaction is then dropped.
async fn quick_move(
    db: &Db,
    actor: Actor,
    deal_id: i64,
    to_stage_id: i64,
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
    pipelines::lock_stage_for_move(&mut tx, db.backend, actor.account_id, to_stage_id).await?;
    let changed: Option<(i64, Option<i64>)> = sqlx::query_as(&format!(
        "INSERT INTO deal_events (account_id, deal_id, user_id, kind, from_stage_id, to_stage_id, data, created_at) \
         SELECT d.account_id, d.id, $4, 'stage_changed', d.stage_id, s.id, '{{}}', $5 \
         FROM deals d JOIN stages s ON s.id = $3 AND s.account_id = d.account_id \
         WHERE d.id = $1 AND d.account_id = $2 AND d.stage_id <> s.id{} \
         RETURNING from_stage_id, {}",
        // On PostgreSQL the deal's row lock comes first, before the event's foreign key
        // shares it: two moves of one deal would otherwise each wait for the other.
        if db.backend == Backend::Postgres { " FOR UPDATE OF d" } else { "" },
        events::listener_subquery("$2", "'DEAL_STAGE_CHANGED'")
    ))
    .bind(deal_id)
    .bind(actor.account_id)
    .bind(to_stage_id)
    .bind(actor.user_id)
    .bind(db::now())
    .fetch_optional(&mut *tx)
    .await?;
    let update = format!(
        "UPDATE deals SET position = {position}, updated_at = $4, \
         stage_changed_at = CASE WHEN stage_id = $3 THEN stage_changed_at ELSE $4 END, \
         stage_id = $3, pipeline_id = (SELECT s.pipeline_id FROM stages s WHERE s.id = $3) \
         WHERE id = $1 AND account_id = $2 AND {position} IS NOT NULL \
         AND EXISTS (SELECT 1 FROM stages s WHERE s.id = $3 AND s.account_id = $2) \
         RETURNING {DEAL_COLUMNS}"
    );
    let mut query = sqlx::query_as(&update)
        .bind(deal_id)
        .bind(actor.account_id)
        .bind(to_stage_id)
        .bind(db::now());
    if let Some(before) = before {
        query = query.bind(before);
    }
    let moved: Option<Deal> = query.fetch_optional(&mut *tx).await?;
    let Some(moved) = moved else {
        return Ok(None);
    };
    if let Some((from_stage_id, Some(_))) = changed {
        deal_event_for_automations(
            &mut tx,
            actor,
            deal_id,
            "DEAL_STAGE_CHANGED",
            Some(from_stage_id),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Some(moved))
}

/// One attempt of [`move_deal`]; `None` when the stage has to be renumbered first, which
/// only an `exclusive` attempt does.
async fn try_move(
    db: &Db,
    actor: Actor,
    deal_id: i64,
    target: &pipelines::Stage,
    slot: Slot,
    exclusive: bool,
) -> ServiceResult<Option<Deal>> {
    let mut tx = db.begin().await?;
    if exclusive {
        lock_pipeline(&mut tx, actor.account_id, target.pipeline_id).await?;
    } else {
        pipelines::lock_stage_for_move(&mut tx, db.backend, actor.account_id, target.id).await?;
    }
    let from_stage_id = lock_deal_stage(&mut tx, actor, deal_id).await?;
    let (prev, next) = neighbours(&mut tx, actor.account_id, target.id, deal_id, slot).await?;
    let position = match between(prev, next) {
        Some(position) => position,
        None if exclusive => {
            renumber(&mut tx, actor.account_id, target.id).await?;
            let (prev, next) =
                neighbours(&mut tx, actor.account_id, target.id, deal_id, slot).await?;
            between(prev, next)
                .ok_or_else(|| ServiceError::Internal("no room after renumbering".into()))?
        }
        None => {
            tx.rollback().await?;
            return Ok(None);
        }
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
    .fetch_one(&mut *tx)
    .await?;
    if from_stage_id != target.id {
        record_event(
            &mut tx,
            actor,
            deal_id,
            "stage_changed",
            Some(from_stage_id),
            Some(target.id),
            serde_json::json!({}),
        )
        .await?;
    }
    tx.commit().await?;
    Ok(Some(moved))
}

/// Positions of every stage of the account, for consistency checks: (stage_id, positions).
pub async fn stage_positions(db: &Db, account_id: i64) -> ServiceResult<Vec<(i64, Vec<i64>)>> {
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
