//! A change of a deal's fields, contact, place, status and custom attributes at once, as the
//! APIs send it (`PUT /api/v1/…/deals/{id}`, upsert, `PATCH /v1/opportunities/{id}`). It is
//! made in one transaction, in the lock order: the contact (found or created), the pipeline
//! when the deal may move, then the deal — its place, fields, status and attributes. A
//! failure at any part leaves the deal as it was.

use crate::domain::{ContactId, DealId, PipelineId, Problem, StageId, Thing};
use chrono::{DateTime, Utc};
use serde_json::{Map, Value};

use crate::domain::{dates, deal_rules, DealStatus};
use crate::server::db::{Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::contacts::{self, ContactLookup};
use crate::server::services::pipelines::{self, Stage};
use crate::server::services::Actor;

use super::closing::{self, Win};
use super::edit::{self, FieldChanges};
use super::status::API_LOST_REASON;
use super::{check_in_account, find, links, lock, moves, Deal, Slot};

/// The contact a change names: an id, or attributes to find or create it by.
#[derive(Debug, Clone)]
pub enum ContactRef {
    Id(ContactId),
    Attributes(ContactLookup),
}

/// Where the deal goes: a stage (of `pipeline_id` when that is given too) and a 1-based
/// position in its column (the end when none). Nothing moves when the deal is already there.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Place {
    pub stage_id: Option<StageId>,
    pub pipeline_id: Option<PipelineId>,
    pub position: Option<i64>,
}

/// The status a change sets, with its closing details. `None` fields keep what the deal has.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct StatusChange {
    pub status: Option<DealStatus>,
    /// A lost deal's reason; [`API_LOST_REASON`] when a deal is lost without one.
    pub lost_reason: Option<String>,
    pub won_at: Option<DateTime<Utc>>,
    pub lost_at: Option<DateTime<Utc>>,
}

/// Everything a change may set.
#[derive(Debug, Clone, Default)]
pub struct DealChange {
    pub fields: FieldChanges,
    pub contact: Option<ContactRef>,
    pub place: Place,
    pub status: StatusChange,
    /// Replaces the custom attributes whole.
    pub custom_attributes: Option<Map<String, Value>>,
}

/// Attempts when the deal moves to another pipeline while the change waits for its locks.
pub(crate) const TRIES: usize = 3;

/// Makes the change to the deal; returns it as it is after.
pub async fn update(
    db: &Db,
    actor: Actor,
    deal_id: DealId,
    change: &DealChange,
) -> ServiceResult<Deal> {
    check(change)?;
    for _ in 0..TRIES {
        let mut tx = db.begin().await?;
        if let Some(deal) = apply(&mut tx, actor, deal_id, change).await? {
            tx.commit().await?;
            return Ok(deal);
        }
    }
    Err(moved_meanwhile())
}

/// The answer when a deal kept changing pipeline under a change.
pub(crate) fn moved_meanwhile() -> ServiceError {
    ServiceError::Conflict("the deal kept moving between pipelines; try again".into())
}

/// The checks that need no database.
pub(crate) fn check(change: &DealChange) -> ServiceResult<()> {
    if change.place.position.is_some_and(|p| p < 1) {
        return Err(ServiceError::invalid("position", Problem::OneOrMore));
    }
    if let Some(title) = &change.fields.title {
        deal_rules::title(title)?;
    }
    if let Some(attrs) = &change.custom_attributes {
        deal_rules::attributes(attrs)?;
    }
    if let Some(reason) = &change.status.lost_reason {
        if reason.chars().count() > deal_rules::MAX_REASON_LEN {
            deal_rules::lost_reason(reason)?;
        }
    }
    Ok(())
}

/// The stage `place` names, checked against the account and the pipeline named with it.
pub(crate) async fn checked_stage(
    tx: &mut Tx,
    actor: Actor,
    stage_id: StageId,
    pipeline_id: Option<PipelineId>,
) -> ServiceResult<Stage> {
    let stage = pipelines::get_stage(&mut **tx, actor.account_id, stage_id)
        .await
        .map_err(|_| ServiceError::invalid("stage_id", Problem::NoSuch(Thing::Stage)))?;
    if pipeline_id.is_some_and(|p| p != stage.pipeline_id) {
        return Err(ServiceError::invalid(
            "pipeline_id",
            format!(
                "does not match the pipeline of stage {} ({})",
                stage.id, stage.pipeline_id
            ),
        ));
    }
    Ok(stage)
}

/// Step: the contact a change names, found (or created) in the account.
pub(crate) async fn resolve_contact(
    tx: &mut Tx,
    actor: Actor,
    contact: &ContactRef,
) -> ServiceResult<ContactId> {
    match contact {
        ContactRef::Id(id) => {
            check_in_account(&mut **tx, "contacts", *id, actor.account_id, "contact_id")
                .await
                .map(|_| *id)
                .map_err(|_| ServiceError::invalid("contact_id", Problem::NoSuch(Thing::Contact)))
        }
        ContactRef::Attributes(lookup) => contacts::find_or_create_step(tx, actor, lookup)
            .await
            .map(|(c, _)| c.id)
            .map_err(|e| match e {
                ServiceError::Validation { field, message } => ServiceError::Validation {
                    field: format!(
                        "contact_attributes.{}",
                        field.trim_start_matches("contact.")
                    ),
                    message,
                },
                e => e,
            }),
    }
}

/// Step: makes the change inside the caller's transaction. `None` when the deal moved to
/// another pipeline between the first look and its lock: the caller starts again in a new
/// transaction.
pub(crate) async fn apply(
    tx: &mut Tx,
    actor: Actor,
    deal_id: DealId,
    change: &DealChange,
) -> ServiceResult<Option<Deal>> {
    let current = find(&mut **tx, actor, deal_id).await?;
    closing_time(
        &change.status,
        change.status.status.unwrap_or(current.status),
    )?;
    let place = &change.place;
    let target = match place.stage_id {
        Some(id) => Some(checked_stage(tx, actor, id, place.pipeline_id).await?),
        None => {
            if place.pipeline_id.is_some_and(|p| p != current.pipeline_id) {
                return Err(ServiceError::invalid(
                    "pipeline_id",
                    "does not match the deal's stage; send stage_id to move it to another pipeline",
                ));
            }
            None
        }
    };
    // The account's lock first (a new contact), then the pipeline's, then the deal's.
    let contact_id = match &change.contact {
        Some(c) => Some(resolve_contact(tx, actor, c).await?),
        None => None,
    };
    let may_move =
        target.as_ref().is_some_and(|t| t.id != current.stage_id) || place.position.is_some();
    let locked_pipeline = target
        .as_ref()
        .map_or(current.pipeline_id, |t| t.pipeline_id);
    if may_move {
        pipelines::lock_pipeline(tx, actor.account_id, locked_pipeline).await?;
    }
    let before = lock(tx, actor, deal_id).await?;

    // The place.
    let target_stage = target.as_ref().map_or(before.stage_id, |s| s.id);
    let repositioned = match place.position {
        Some(p) => p != moves::rank(tx, &before).await?,
        None => false,
    };
    if target_stage != before.stage_id || repositioned {
        // The deal moved between the first look and its lock, out of the pipeline this change
        // locked (or into a place that makes it move after all): start again.
        if !may_move || (target.is_none() && before.pipeline_id != locked_pipeline) {
            return Ok(None);
        }
        let slot = match place.position {
            Some(p) => Slot::Index(usize::try_from(p - 1).unwrap_or(usize::MAX)),
            None => Slot::End,
        };
        let stage = match target {
            Some(stage) => stage,
            None => pipelines::get_stage(&mut **tx, actor.account_id, before.stage_id).await?,
        };
        moves::place(tx, actor, deal_id, &stage, slot).await?;
    }

    // The fields, with the contact.
    let mut fields = change.fields.clone();
    if let Some(contact_id) = contact_id.filter(|c| Some(*c) != before.contact_id) {
        fields.contact_id = Some(Some(contact_id));
    }
    if !fields.is_empty() {
        edit::apply(tx, actor, deal_id, &fields).await?;
    }

    // The status.
    close(tx, actor, &before, &change.status).await?;

    // The custom attributes.
    if let Some(attrs) = &change.custom_attributes {
        links::replace_attributes(tx, actor, deal_id, attrs).await?;
    }
    find(&mut **tx, actor, deal_id).await.map(Some)
}

/// The lost reason a deal lost by a change gets: the one given, else the API's default.
pub(crate) fn lost_reason_or_default(reason: Option<&str>) -> String {
    reason
        .map(str::trim)
        .filter(|r| !r.is_empty())
        .unwrap_or(API_LOST_REASON)
        .to_string()
}

/// Checks `won_at` / `lost_at` / `lost_reason` against the status the deal ends with; returns
/// the closing time given, if any.
pub(crate) fn closing_time(
    change: &StatusChange,
    status: DealStatus,
) -> ServiceResult<Option<DateTime<Utc>>> {
    if change.won_at.is_some() && status != DealStatus::Won {
        return Err(ServiceError::invalid(
            "won_at",
            "only a won deal has won_at (set status to won)",
        ));
    }
    if change.lost_at.is_some() && status != DealStatus::Lost {
        return Err(ServiceError::invalid(
            "lost_at",
            "only a lost deal has lost_at (set status to lost)",
        ));
    }
    if let Some(reason) = &change.lost_reason {
        if status != DealStatus::Lost && !reason.trim().is_empty() {
            return Err(ServiceError::invalid(
                "lost_reason",
                "only a lost deal has a lost reason (set status to lost)",
            ));
        }
    }
    Ok(change.won_at.or(change.lost_at))
}

/// Step: sets the status the change asks for. A closing time or a new reason given for a
/// deal already closed that way is applied too.
async fn close(
    tx: &mut Tx,
    actor: Actor,
    before: &Deal,
    change: &StatusChange,
) -> ServiceResult<()> {
    let status = change.status.unwrap_or(before.status);
    let closed_at = closing_time(change, status)?;
    let status_changed = status != before.status;
    match status {
        DealStatus::Open if status_changed => {
            closing::reopen_step(tx, actor, before.id).await?;
        }
        DealStatus::Won if status_changed || closed_at.is_some() => {
            let win = Win {
                at: closed_at,
                ..Win::default()
            };
            closing::win_step(tx, actor, before.id, &win).await?;
        }
        DealStatus::Lost
            if status_changed
                || closed_at.is_some()
                || change
                    .lost_reason
                    .as_deref()
                    .is_some_and(|r| r.trim() != before.lost_reason) =>
        {
            let reason = match &change.lost_reason {
                Some(r) => lost_reason_or_default(Some(r)),
                None if !before.lost_reason.is_empty() => before.lost_reason.clone(),
                None => API_LOST_REASON.to_string(),
            };
            let at = closed_at.or_else(|| {
                (!status_changed)
                    .then(|| before.lost_at.as_deref().and_then(dates::parse_time))
                    .flatten()
            });
            closing::lose(tx, actor, before.id, &reason, at).await?;
        }
        _ => {}
    }
    Ok(())
}
