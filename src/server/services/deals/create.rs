//! New deals: checked, numbered, placed at the end of their stage, with an `opened` event.

use crate::domain::{
    ContactId, DealId, OrganizationId, PipelineId, Problem, StageId, Thing, UserId,
};
use std::collections::BTreeMap;

use chrono::{DateTime, Utc};

use crate::domain::search::fold;
use crate::domain::{dates, deal_rules, DealStatus};
use crate::server::db::{self, Db, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::pipelines::{self, Stage};
use crate::server::services::Actor;

use super::{check_in_account, find, links, moves, products, record_event, Deal, EventKind};

/// A deal to create. Either `stage_id` or `pipeline_id` (its first stage) or neither (the
/// primary pipeline's first stage) places it.
#[derive(Debug, Clone, Default)]
pub struct NewDeal {
    pub title: String,
    pub value_cents: i64,
    /// Three letters; [`deal_rules::DEFAULT_CURRENCY`] when `None` or empty.
    pub currency: Option<String>,
    pub stage_id: Option<StageId>,
    pub pipeline_id: Option<PipelineId>,
    pub contact_id: Option<ContactId>,
    pub organization_id: Option<OrganizationId>,
    /// The actor's user when `None`.
    pub responsible_user_id: Option<UserId>,
    /// `YYYY-MM-DD` as typed.
    pub expected_close_date: Option<String>,
    pub temperature: Option<i64>,
    pub status: DealStatus,
    /// Required when `status` is lost.
    pub lost_reason: String,
    /// When a deal created won or lost was closed; now when `None`.
    pub closed_at: Option<DateTime<Utc>>,
    /// Custom attributes, kept as given.
    pub custom_attributes: Option<serde_json::Map<String, serde_json::Value>>,
    pub quality_rating: Option<i64>,
    pub quality_reason: Option<String>,
    /// 0, 1 or 2; [`deal_rules::DEFAULT_VISIBILITY`] when `None`.
    pub visibility: Option<i64>,
    pub lead_source_id: Option<i64>,
    /// Normalized marketing values (see `domain::marketing`).
    pub marketing: Option<BTreeMap<String, String>>,
}

/// The values of a [`NewDeal`] that get stored, checked.
struct Checked {
    title: String,
    value_cents: i64,
    currency: String,
    expected_close_date: Option<String>,
    quality_reason: Option<String>,
    visibility: i64,
    lost_reason: String,
    custom_attributes: String,
    marketing: String,
}

fn check(new: &NewDeal) -> ServiceResult<Checked> {
    let title = deal_rules::title(&new.title)?;
    let value_cents = deal_rules::value(new.value_cents)?;
    let currency = deal_rules::currency(new.currency.as_deref().unwrap_or(""))?;
    let visibility = new.visibility.unwrap_or(deal_rules::DEFAULT_VISIBILITY);
    let quality_reason = new
        .quality_reason
        .as_deref()
        .map(str::trim)
        .filter(|r| !r.is_empty());
    deal_rules::scales(
        new.quality_rating,
        quality_reason.unwrap_or(""),
        visibility,
        new.temperature,
    )?;
    let expected_close_date =
        deal_rules::close_date(new.expected_close_date.as_deref().unwrap_or(""))?
            .map(|d| d.format("%Y-%m-%d").to_string());
    let lost_reason = match new.status {
        DealStatus::Lost => deal_rules::lost_reason(&new.lost_reason)?.to_string(),
        _ => String::new(),
    };
    let custom_attributes = match &new.custom_attributes {
        Some(attrs) => deal_rules::attributes(attrs)?,
        None => "{}".to_string(),
    };
    let marketing = serde_json::to_string(&new.marketing.clone().unwrap_or_default())
        .map_err(|e| ServiceError::Internal(format!("marketing values: {e}")))?;
    Ok(Checked {
        title,
        value_cents,
        currency,
        expected_close_date,
        quality_reason: quality_reason.map(str::to_string),
        visibility,
        lost_reason,
        custom_attributes,
        marketing,
    })
}

/// Creates a deal at the end of its stage; returns it.
pub async fn create_deal(db: &Db, actor: Actor, new: NewDeal) -> ServiceResult<Deal> {
    let mut tx = db.begin().await?;
    let deal = insert(&mut tx, actor, &new).await?;
    tx.commit().await?;
    Ok(deal)
}

/// Creates a deal with one product line per entry of `lines`, all or nothing (a product no
/// longer sold refuses the whole deal).
pub async fn create_with_lines(
    db: &Db,
    actor: Actor,
    new: NewDeal,
    lines: &[products::NewLine],
) -> ServiceResult<Deal> {
    let mut tx = db.begin().await?;
    let deal = insert(&mut tx, actor, &new).await?;
    for line in lines {
        products::add(&mut tx, actor, deal.id, line).await?;
    }
    tx.commit().await?;
    Ok(deal)
}

/// The stage a new deal goes to: `stage_id` (of the account, in `pipeline_id` when both are
/// given), else the first stage of `pipeline_id`, else of the primary pipeline.
pub(crate) async fn placement(
    tx: &mut Tx,
    actor: Actor,
    stage_id: Option<StageId>,
    pipeline_id: Option<PipelineId>,
) -> ServiceResult<Stage> {
    match (stage_id, pipeline_id) {
        (Some(stage_id), pipeline) => {
            let stage = pipelines::get_stage(&mut **tx, actor.account_id, stage_id)
                .await
                .map_err(|_| ServiceError::invalid("stage_id", Problem::NoSuch(Thing::Stage)))?;
            if pipeline.is_some_and(|p| p != stage.pipeline_id) {
                return Err(ServiceError::invalid(
                    "pipeline_id",
                    Problem::StageOfAnotherPipeline,
                ));
            }
            Ok(stage)
        }
        (None, pipeline) => {
            let pipeline_id = match pipeline {
                Some(p) => p,
                None => pipelines::primary_pipeline_id(&mut **tx, actor.account_id).await?,
            };
            pipelines::stages_of(&mut **tx, actor.account_id, pipeline_id)
                .await?
                .into_iter()
                .next()
                .ok_or_else(|| ServiceError::invalid("pipeline_id", Problem::PipelineWithoutStages))
        }
    }
}

/// Step: checks and stores a new deal at the end of its stage, with its `opened` event and
/// its primary person; returns it.
pub(crate) async fn insert(tx: &mut Tx, actor: Actor, new: &NewDeal) -> ServiceResult<Deal> {
    let c = check(new)?;
    let stage = placement(tx, actor, new.stage_id, new.pipeline_id).await?;
    let responsible = new.responsible_user_id.or(actor.user_id);
    // The account row first (the deal's code), then the pipeline: the lock order.
    let code: Option<(i64,)> = sqlx::query_as(
        "UPDATE accounts SET next_deal_code = next_deal_code + 1 WHERE id = $1 RETURNING next_deal_code - 1",
    )
    .bind(actor.account_id)
    .fetch_optional(&mut **tx)
    .await?;
    let (code,) = code.ok_or(ServiceError::NotFound("account"))?;
    pipelines::lock_pipeline(tx, actor.account_id, stage.pipeline_id).await?;
    for (table, id, field) in [
        ("users", responsible.map(i64::from), "responsible_user_id"),
        ("contacts", new.contact_id.map(i64::from), "contact_id"),
        (
            "organizations",
            new.organization_id.map(i64::from),
            "organization_id",
        ),
        ("lead_sources", new.lead_source_id, "lead_source_id"),
    ] {
        if let Some(id) = id {
            check_in_account(&mut **tx, table, id, actor.account_id, field).await?;
        }
    }
    let position = moves::end_of_stage(tx, actor.account_id, stage.id).await?;
    let now = db::now();
    let closed_at = new
        .closed_at
        .map(dates::stored_time)
        .unwrap_or_else(|| now.clone());
    let (won_at, lost_at) = match new.status {
        DealStatus::Open => (None, None),
        DealStatus::Won => (Some(closed_at), None),
        DealStatus::Lost => (None, Some(closed_at)),
    };
    let (id,): (DealId,) = sqlx::query_as(
        "INSERT INTO deals (account_id, uuid, code, title, value_cents, currency, status, pipeline_id, stage_id, position, \
         expected_close_date, responsible_user_id, created_by_id, contact_id, organization_id, temperature, won_at, lost_at, \
         lost_reason, custom_attributes, quality_rating, quality_reason, visibility, lead_source_id, marketing, \
         stage_changed_at, created_at, updated_at, title_key) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $20, $21, \
         $22, $23, $24, $25, $26, $19, $19, $19, $27) RETURNING id",
    )
    .bind(actor.account_id)
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(code)
    .bind(&c.title)
    .bind(c.value_cents)
    .bind(&c.currency)
    .bind(new.status.as_str())
    .bind(stage.pipeline_id)
    .bind(stage.id)
    .bind(position)
    .bind(&c.expected_close_date)
    .bind(responsible)
    .bind(actor.user_id)
    .bind(new.contact_id)
    .bind(new.organization_id)
    .bind(new.temperature)
    .bind(won_at)
    .bind(lost_at)
    .bind(&now)
    .bind(&c.lost_reason)
    .bind(&c.custom_attributes)
    .bind(new.quality_rating)
    .bind(&c.quality_reason)
    .bind(c.visibility)
    .bind(new.lead_source_id)
    .bind(&c.marketing)
    .bind(fold(&c.title))
    .fetch_one(&mut **tx)
    .await?;
    record_event(
        tx,
        actor,
        id,
        EventKind::Opened,
        (None, Some(stage.id)),
        serde_json::json!({}),
    )
    .await?;
    if let Some(contact_id) = new.contact_id {
        links::make_primary(tx, actor.account_id, id, contact_id).await?;
    }
    find(&mut **tx, actor, id).await
}
