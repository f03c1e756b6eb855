//! Deals as the accounts API (`/api/v1/accounts/{account_id}/deals`) writes them: a stage and a
//! contact are required to create one (its name defaults to the contact's), positions are
//! 1-based, the status is a word with UTC closing times, custom attributes are kept as sent,
//! and an upsert updates the deal it finds or creates one. Each call is one transaction.

use crate::domain::{dates, ContactId, DealId, DealStatus, Invalid, PipelineId, Problem, StageId};
use serde_json::{Map, Value};

use crate::server::db::{Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::contacts;
use crate::server::services::pipelines::Stage;
use crate::server::services::Actor;

use super::create::{self, NewDeal};
use super::edit::FieldChanges;
use super::update::{self, ContactRef, DealChange, Place, StatusChange, TRIES};
use super::{moves, Deal, Slot};

/// The fields of a create, update or upsert as sent; `None` leaves a field as it is (or takes
/// its default on create).
#[derive(Debug, Clone, Default)]
pub struct DealFields {
    pub name: Option<String>,
    /// `open`, `won` or `lost`.
    pub status: Option<String>,
    pub stage_id: Option<StageId>,
    pub pipeline_id: Option<PipelineId>,
    pub contact: Option<ContactRef>,
    /// 1-based place in the stage.
    pub position: Option<i64>,
    pub lost_reason: Option<String>,
    /// ISO-8601 in UTC.
    pub lost_at: Option<String>,
    /// ISO-8601 in UTC.
    pub won_at: Option<String>,
    pub custom_attributes: Option<Map<String, Value>>,
}

impl DealFields {
    /// The fields read as a change, every value checked that needs no database.
    fn change(&self) -> ServiceResult<DealChange> {
        let status = self
            .status
            .as_deref()
            .map(|s| {
                s.trim().parse::<DealStatus>().map_err(|_| {
                    Invalid::new("status", format!("\"{s}\" is not open, won or lost"))
                })
            })
            .transpose()?;
        let change = DealChange {
            fields: FieldChanges {
                title: self.name.clone(),
                ..FieldChanges::default()
            },
            contact: self.contact.clone(),
            place: Place {
                stage_id: self.stage_id,
                pipeline_id: self.pipeline_id,
                position: self.position,
            },
            status: StatusChange {
                status,
                lost_reason: self.lost_reason.clone(),
                won_at: self
                    .won_at
                    .as_deref()
                    .map(|v| dates::utc_time("won_at", v))
                    .transpose()?,
                lost_at: self
                    .lost_at
                    .as_deref()
                    .map(|v| dates::utc_time("lost_at", v))
                    .transpose()?,
            },
            custom_attributes: self.custom_attributes.clone(),
        };
        update::check(&change).map_err(name_field)?;
        Ok(change)
    }

    /// The stage and contact a new deal needs.
    fn required(&self) -> ServiceResult<(StageId, &ContactRef)> {
        let stage_id = self
            .stage_id
            .ok_or_else(|| ServiceError::invalid("stage_id", Problem::Required))?;
        let contact = self
            .contact
            .as_ref()
            .ok_or_else(|| ServiceError::invalid("contact_id", Problem::Required))?;
        Ok((stage_id, contact))
    }
}

/// Deal services call the title `title`; this API calls it `name`.
fn name_field(e: ServiceError) -> ServiceError {
    match e {
        ServiceError::Validation { field, message } if field == "title" => {
            ServiceError::Validation {
                field: "name".into(),
                message,
            }
        }
        e => e,
    }
}

/// Creates a deal: `stage_id` and a contact are required, the pipeline follows from the stage
/// (a different `pipeline_id` is refused), the position is the end of the stage unless given.
pub async fn create(db: &Db, actor: Actor, fields: &DealFields) -> ServiceResult<Deal> {
    let (stage_id, contact) = fields.required()?;
    let change = fields.change()?;
    let mut tx = db.begin().await?;
    let stage = update::checked_stage(&mut tx, actor, stage_id, fields.pipeline_id).await?;
    let contact_id = update::resolve_contact(&mut tx, actor, contact).await?;
    let deal = insert(&mut tx, actor, &change, &stage, contact_id).await?;
    tx.commit().await?;
    Ok(deal)
}

/// Step: the new deal of a create or upsert, in `stage` with the contact, at its position.
async fn insert(
    tx: &mut Tx,
    actor: Actor,
    change: &DealChange,
    stage: &Stage,
    contact_id: ContactId,
) -> ServiceResult<Deal> {
    let status = change.status.status.unwrap_or(DealStatus::Open);
    let closed_at = update::closing_time(&change.status, status)?;
    let title = match &change.fields.title {
        Some(name) => name.clone(),
        None => {
            contacts::get_contact(&mut **tx, actor, contact_id)
                .await?
                .full_name
        }
    };
    let new = NewDeal {
        title,
        stage_id: Some(stage.id),
        contact_id: Some(contact_id),
        status,
        lost_reason: update::lost_reason_or_default(change.status.lost_reason.as_deref()),
        closed_at,
        custom_attributes: change.custom_attributes.clone(),
        ..NewDeal::default()
    };
    let deal = create::insert(tx, actor, &new).await.map_err(name_field)?;
    match change.place.position {
        // `insert` holds the pipeline's lock.
        Some(p) => {
            let slot = Slot::Index(usize::try_from(p - 1).unwrap_or(usize::MAX));
            moves::place(tx, actor, deal.id, stage, slot).await
        }
        None => Ok(deal),
    }
}

/// Changes the fields given and leaves the others; every value is checked before anything
/// is written.
pub async fn update(
    db: &Db,
    actor: Actor,
    deal_id: DealId,
    fields: &DealFields,
) -> ServiceResult<Deal> {
    let change = fields.change()?;
    update::update(db, actor, deal_id, &change)
        .await
        .map_err(name_field)
}

/// Updates the deal `fields` match, or creates it; returns it and whether it was created.
///
/// The match: the deal named by `id` when the account has it; otherwise (no id, or one the
/// account does not have) the contact's most recently updated open deal in the stage's
/// pipeline; otherwise a new deal.
pub async fn upsert(
    db: &Db,
    actor: Actor,
    id: Option<DealId>,
    fields: &DealFields,
) -> ServiceResult<(Deal, bool)> {
    if let Some(id) = id {
        match update(db, actor, id, fields).await {
            // An id the account does not have is no match: the deal is matched or created
            // as without one (document 001: "creates the deal if no match exists").
            Err(ServiceError::NotFound("deal")) => {}
            other => return other.map(|deal| (deal, false)),
        }
    }
    let (stage_id, contact) = fields.required()?;
    let mut change = fields.change()?;
    for _ in 0..TRIES {
        let mut tx = db.begin().await?;
        let stage = update::checked_stage(&mut tx, actor, stage_id, fields.pipeline_id).await?;
        let contact_id = update::resolve_contact(&mut tx, actor, contact).await?;
        let existing: Option<(DealId,)> = sqlx::query_as(
            "SELECT id FROM deals WHERE account_id = $1 AND contact_id = $2 AND pipeline_id = $3 \
             AND status = 'open' ORDER BY updated_at DESC, id DESC LIMIT 1",
        )
        .bind(actor.account_id)
        .bind(contact_id)
        .bind(stage.pipeline_id)
        .fetch_optional(&mut *tx)
        .await?;
        change.contact = Some(ContactRef::Id(contact_id));
        let done = match existing {
            Some((id,)) => update::apply(&mut tx, actor, id, &change)
                .await
                .map_err(name_field)?
                .map(|deal| (deal, false)),
            None => Some((
                insert(&mut tx, actor, &change, &stage, contact_id).await?,
                true,
            )),
        };
        if let Some(done) = done {
            tx.commit().await?;
            return Ok(done);
        }
    }
    Err(update::moved_meanwhile())
}
