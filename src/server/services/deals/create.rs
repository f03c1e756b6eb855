//! New deals: checked, numbered, placed at the end of their stage, with an `opened` event.

use crate::domain::{
    ContactId, DealId, OrganizationId, PipelineId, Problem, StageId, Thing, UserId,
};
use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};

use crate::domain::positions::between;
use crate::domain::search::fold;
use crate::domain::AccountId;
use crate::domain::{dates, deal_rules, DealStatus};
use crate::server::db::{self, Arg, Db, SqlBuilder, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::pipelines::{self, Stage};
use crate::server::services::Actor;

use super::{
    check_in_account, links, moves, products, record_events, Deal, EventKind, StageMove,
    DEAL_COLUMNS,
};

/// A deal to create. Either `stage_id` or `pipeline_id` (its first stage) or neither (the
/// primary pipeline's first stage) places it.
#[derive(Debug, Clone, Default)]
pub struct NewDeal {
    pub title: String,
    pub value_cents: i64,
    /// Three letters; the account's base currency when `None` or empty.
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
    /// The deal's id in the system it was imported from (see `services::import`).
    pub external_id: Option<String>,
}

/// The values of a [`NewDeal`] that get stored, checked.
struct Checked {
    title: String,
    value_cents: i64,
    /// `None`: the account's base currency (checked once it is known).
    currency: Option<String>,
    expected_close_date: Option<String>,
    quality_reason: Option<String>,
    visibility: i64,
    lost_reason: String,
    custom_attributes: String,
    marketing: String,
}

fn check(new: &NewDeal) -> ServiceResult<Checked> {
    let title = deal_rules::title(&new.title)?;
    let currency = deal_rules::currency(new.currency.as_deref().unwrap_or(""))?;
    let value_cents = deal_rules::value(new.value_cents)?;
    if let Some(currency) = &currency {
        deal_rules::value_in(value_cents, currency)?;
    }
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

/// Checks a new deal's own values (what needs no database), as [`insert`] does first.
pub(crate) fn check_new(new: &NewDeal) -> ServiceResult<()> {
    check(new).map(|_| ())
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
    insert_many(tx, actor, std::slice::from_ref(new))
        .await?
        .pop()
        .ok_or_else(|| ServiceError::Internal("a created deal was not returned".into()))
}

/// Rows per multi-row `INSERT` of deals (29 values each).
const INSERT_CHUNK: usize = 100;

/// Step: checks and stores new deals, each at the end of its stage in the order given, with
/// their `opened` events and primary persons; returns them in that order. One deal or many
/// (an import's batch), the rules are the same; many take a few statements for the lot.
pub(crate) async fn insert_many(
    tx: &mut Tx,
    actor: Actor,
    news: &[NewDeal],
) -> ServiceResult<Vec<Deal>> {
    insert_placed(tx, actor, news, HashMap::new()).await
}

/// Step: [`insert`] of a deal into `stage`, which the caller has read in this transaction
/// (the deal's `stage_id` is its id).
pub(crate) async fn insert_in(
    tx: &mut Tx,
    actor: Actor,
    new: &NewDeal,
    stage: Stage,
) -> ServiceResult<Deal> {
    if new.stage_id != Some(stage.id) {
        return Err(ServiceError::Internal(
            "a deal placed in another stage".into(),
        ));
    }
    let places = HashMap::from([((new.stage_id, new.pipeline_id), stage)]);
    insert_placed(tx, actor, std::slice::from_ref(new), places)
        .await?
        .pop()
        .ok_or_else(|| ServiceError::Internal("a created deal was not returned".into()))
}

/// Step: [`insert_many`], with the stages of some placements known already.
async fn insert_placed(
    tx: &mut Tx,
    actor: Actor,
    news: &[NewDeal],
    mut places: HashMap<(Option<StageId>, Option<PipelineId>), Stage>,
) -> ServiceResult<Vec<Deal>> {
    if news.is_empty() {
        return Ok(Vec::new());
    }
    let checked = news.iter().map(check).collect::<ServiceResult<Vec<_>>>()?;
    let mut stages = Vec::with_capacity(news.len());
    for new in news {
        let key = (new.stage_id, new.pipeline_id);
        let stage = match places.get(&key) {
            Some(stage) => stage.clone(),
            None => {
                let stage = placement(tx, actor, new.stage_id, new.pipeline_id).await?;
                places.insert(key, stage.clone());
                stage
            }
        };
        stages.push(stage);
    }
    let responsible = |new: &NewDeal| new.responsible_user_id.or(actor.user_id);
    for (table, field, ids) in [
        (
            "users",
            "responsible_user_id",
            news.iter()
                .filter_map(|n| responsible(n).map(i64::from))
                .collect::<Vec<_>>(),
        ),
        (
            "contacts",
            "contact_id",
            news.iter()
                .filter_map(|n| n.contact_id.map(i64::from))
                .collect(),
        ),
        (
            "organizations",
            "organization_id",
            news.iter()
                .filter_map(|n| n.organization_id.map(i64::from))
                .collect(),
        ),
        (
            "lead_sources",
            "lead_source_id",
            news.iter().filter_map(|n| n.lead_source_id).collect(),
        ),
    ] {
        check_all_in_account(tx, table, ids, actor.account_id, field).await?;
    }
    // What is read and checked above takes no lock. The locks, held to the commit, come last
    // and in one order: the account row (the deals' codes), then each stage's row (its end),
    // by id. Stages rather than their pipelines: deals created and moved in other stages of
    // the pipeline do not wait.
    let count = news.len() as i64;
    let first_code: Option<(i64, String)> = sqlx::query_as(
        "UPDATE accounts SET next_deal_code = next_deal_code + $2 WHERE id = $1 \
         RETURNING next_deal_code - $2, base_currency",
    )
    .bind(actor.account_id)
    .bind(count)
    .fetch_optional(&mut **tx)
    .await?;
    let (first_code, base) = first_code.ok_or(ServiceError::NotFound("account"))?;
    // A deal given no currency is in the account's base currency.
    let currencies = checked
        .iter()
        .map(|c| match &c.currency {
            Some(code) => Ok(code.clone()),
            None => deal_rules::value_in(c.value_cents, &base).map(|_| base.clone()),
        })
        .collect::<Result<Vec<_>, _>>()?;
    let mut locked: Vec<StageId> = stages.iter().map(|s| s.id).collect();
    locked.sort_by_key(|s| s.0);
    locked.dedup();
    for stage_id in locked {
        pipelines::lock_stage_for_move(tx, actor.account_id, stage_id).await?;
    }
    // Each at the end of its stage, after the ones before it in the list.
    let mut ends: HashMap<StageId, i64> = HashMap::new();
    let mut positions = Vec::with_capacity(news.len());
    for stage in &stages {
        let position = match ends.get(&stage.id) {
            Some(last) => between(Some(*last), None)
                .ok_or_else(|| ServiceError::Internal("stage positions exhausted".into()))?,
            None => moves::end_of_stage(tx, actor.account_id, stage.id).await?,
        };
        ends.insert(stage.id, position);
        positions.push(position);
    }
    let now = db::now();
    let mut deals: Vec<Deal> = Vec::with_capacity(news.len());
    let rows: Vec<usize> = (0..news.len()).collect();
    for chunk in rows.chunks(INSERT_CHUNK) {
        let mut q = SqlBuilder::new(
            "INSERT INTO deals (account_id, uuid, code, title, value_cents, currency, status, pipeline_id, stage_id, \
             position, expected_close_date, responsible_user_id, created_by_id, contact_id, organization_id, \
             temperature, won_at, lost_at, lost_reason, custom_attributes, quality_rating, quality_reason, \
             visibility, lead_source_id, marketing, stage_changed_at, created_at, updated_at, title_key, \
             external_id) VALUES ",
        );
        let mut uuids = Vec::with_capacity(chunk.len());
        q.values(chunk.iter().map(|&i| {
            let (new, c, stage) = (&news[i], &checked[i], &stages[i]);
            let closed_at = new
                .closed_at
                .map(dates::stored_time)
                .unwrap_or_else(|| now.clone());
            let (won_at, lost_at) = match new.status {
                DealStatus::Open => (None, None),
                DealStatus::Won => (Some(closed_at), None),
                DealStatus::Lost => (None, Some(closed_at)),
            };
            let uuid = uuid::Uuid::new_v4().to_string();
            uuids.push(uuid.clone());
            let text = |v: &str| Arg::Text(Some(v.to_string()));
            vec![
                Arg::Int(Some(actor.account_id.into())),
                Arg::Text(Some(uuid)),
                Arg::Int(Some(first_code + i as i64)),
                text(&c.title),
                Arg::Int(Some(c.value_cents)),
                text(&currencies[i]),
                text(new.status.as_str()),
                Arg::Int(Some(stage.pipeline_id.into())),
                Arg::Int(Some(stage.id.into())),
                Arg::Int(Some(positions[i])),
                Arg::Text(c.expected_close_date.clone()),
                Arg::Int(responsible(new).map(i64::from)),
                Arg::Int(actor.user_id.map(i64::from)),
                Arg::Int(new.contact_id.map(i64::from)),
                Arg::Int(new.organization_id.map(i64::from)),
                Arg::Int(new.temperature),
                Arg::Text(won_at),
                Arg::Text(lost_at),
                text(&c.lost_reason),
                text(&c.custom_attributes),
                Arg::Int(new.quality_rating),
                Arg::Text(c.quality_reason.clone()),
                Arg::Int(Some(c.visibility)),
                Arg::Int(new.lead_source_id),
                text(&c.marketing),
                text(&now),
                text(&now),
                text(&now),
                Arg::Text(Some(fold(&c.title))),
                Arg::Text(new.external_id.clone()),
            ]
        }));
        q.push(&format!(" RETURNING {DEAL_COLUMNS}"));
        let mut stored: Vec<Deal> = q.query_as().fetch_all(&mut **tx).await?;
        // RETURNING gives no order; keep the list's.
        stored.sort_by_key(|d| uuids.iter().position(|u| *u == d.uuid));
        deals.extend(stored);
    }
    let opened: Vec<(DealId, StageMove)> = deals
        .iter()
        .map(|d| (d.id, (None, Some(d.stage_id))))
        .collect();
    record_events(tx, actor, EventKind::Opened, &opened).await?;
    // The deal rows name their primary persons already; the persons' links say so too.
    let people: Vec<(DealId, ContactId)> = deals
        .iter()
        .filter_map(|d| d.contact_id.map(|c| (d.id, c)))
        .collect();
    links::first_persons(tx, actor.account_id, &people).await?;
    Ok(deals)
}

/// Refuses (naming `field`) any of `ids` that is not a row of `table` in the account.
async fn check_all_in_account(
    tx: &mut Tx,
    table: &'static str,
    mut ids: Vec<i64>,
    account_id: AccountId,
    field: &str,
) -> ServiceResult<()> {
    ids.sort_unstable();
    ids.dedup();
    match ids.as_slice() {
        [] => Ok(()),
        [id] => check_in_account(&mut **tx, table, *id, account_id, field).await,
        _ => {
            let mut q =
                SqlBuilder::new(&format!("SELECT COUNT(*) FROM {table} WHERE account_id = "));
            q.bind_int(account_id).push(" AND id IN (");
            for (i, id) in ids.iter().enumerate() {
                if i > 0 {
                    q.push(", ");
                }
                q.bind_int(*id);
            }
            q.push(")");
            let (found,): (i64,) = q.query_as().fetch_one(&mut **tx).await?;
            if found == ids.len() as i64 {
                Ok(())
            } else {
                Err(ServiceError::invalid(field, Problem::NotFoundHere))
            }
        }
    }
}
