//! The pipeline board: stages with their filtered deal cards.

use crate::domain::{
    initials, BoardFilter, BoardView, ColumnPage, DealCard, DealId, DealStatus, PipelineId,
    PipelineSummary, StageColumn, StageId,
};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

use crate::domain::board::{MoreCards, COLUMN_MAX, COLUMN_PAGE};

use crate::domain::money::parse_amount;
use crate::domain::search::{bounded, contains_pattern};
use crate::server::db::{self, Db, SqlBuilder};
use crate::server::error::{ServiceError, ServiceResult};

use crate::domain::currency::Rates;
use crate::server::services::{accounts, currencies, pipelines, Actor};

/// The UTC day rates are read at for open deals.
fn today(now: DateTime<Utc>) -> String {
    now.format("%Y-%m-%d").to_string()
}

#[derive(sqlx::FromRow)]
struct CardRow {
    id: DealId,
    stage_id: StageId,
    title: String,
    value_cents: i64,
    currency: String,
    status: String,
    temperature: Option<i64>,
    expected_close_date: Option<String>,
    stage_changed_at: String,
    contact_name: Option<String>,
    organization_name: Option<String>,
    owner_name: Option<String>,
    rotting_days: Option<i64>,
    /// When it was won or lost.
    closed_at: Option<String>,
}

impl CardRow {
    /// The card, its value converted to the base currency at the rate of the day it closed
    /// (`today` while open).
    fn into_card(self, now: DateTime<Utc>, rates: &Rates, today: &str) -> DealCard {
        let days_in_stage = db::parse_ts(&self.stage_changed_at)
            .map(|t| (now - t).num_days().max(0))
            .unwrap_or(0);
        let status: DealStatus = self.status.parse().unwrap_or_default();
        let rotting = status == DealStatus::Open
            && self
                .rotting_days
                .is_some_and(|limit| limit > 0 && days_in_stage > limit);
        let day = self
            .closed_at
            .as_deref()
            .and_then(|c| c.get(..10))
            .unwrap_or(today);
        DealCard {
            base_value_cents: rates.convert(self.value_cents, &self.currency, day),
            id: self.id,
            title: self.title,
            value_cents: self.value_cents,
            currency: self.currency,
            status,
            contact_name: self.contact_name,
            organization_name: self.organization_name,
            owner_initials: self.owner_name.as_deref().map(initials),
            owner_name: self.owner_name,
            temperature: self.temperature,
            expected_close_date: self.expected_close_date,
            days_in_stage,
            rotting,
        }
    }
}

/// A deal with what a card (or an exported row) shows beside it: `deals d`, its stage `s`,
/// contact `c`, organization `o` and responsible user `u`. [`Filter::push`] reads these names.
pub(crate) const DEAL_JOINS: &str = "FROM deals d \
     JOIN stages s ON s.id = d.stage_id \
     LEFT JOIN contacts c ON c.id = d.contact_id \
     LEFT JOIN organizations o ON o.id = d.organization_id \
     LEFT JOIN users u ON u.id = d.responsible_user_id";

/// The card query without filters: every deal of the account with what its card shows.
fn card_query(actor: Actor) -> SqlBuilder {
    let mut q = SqlBuilder::new(&format!(
        "SELECT d.id, d.stage_id, d.title, d.value_cents, d.currency, d.status, d.temperature, \
         d.expected_close_date, d.stage_changed_at, c.full_name AS contact_name, o.name AS organization_name, \
         u.name AS owner_name, s.rotting_days, COALESCE(d.won_at, d.lost_at) AS closed_at \
         {DEAL_JOINS} WHERE d.account_id = "
    ));
    q.bind_int(actor.account_id);
    super::push_visible(&mut q, "d", actor);
    q
}

/// The card of one deal of the actor's account.
pub async fn load_card(db: &Db, actor: Actor, deal_id: DealId) -> ServiceResult<DealCard> {
    let mut q = card_query(actor);
    q.push(" AND d.id = ").bind_int(deal_id);
    let row: Option<CardRow> = q.query_as().fetch_optional(&db.pool).await?;
    let row = row.ok_or(ServiceError::NotFound("deal"))?;
    let rates = currencies::rates_of(db, actor.account_id, Some(&row.currency)).await?;
    let now = Utc::now();
    Ok(row.into_card(now, &rates, &today(now)))
}

/// Board filters as the query applies them: read from their text once, so that a bad value
/// is refused (naming its field) before anything is read.
pub struct Filter {
    /// `None`: every status.
    status: Option<DealStatus>,
    owner: Option<crate::domain::UserId>,
    min_cents: Option<i64>,
    max_cents: Option<i64>,
    /// Folded (`domain::search`), `LIKE`-escaped, between `%`.
    pattern: Option<String>,
}

impl Filter {
    /// Reads the filters; `open` deals when no status is given.
    pub fn parse(filter: &BoardFilter) -> ServiceResult<Self> {
        let status = match filter.status.as_deref().map(str::trim) {
            None | Some("") | Some("open") => Some(DealStatus::Open),
            Some("all") => None,
            Some(s) => Some(
                s.parse()
                    .map_err(|m: String| ServiceError::invalid("status", m))?,
            ),
        };
        let cents = |field: &'static str, v: &Option<String>| -> ServiceResult<Option<i64>> {
            v.as_deref()
                .filter(|s| !s.trim().is_empty())
                .map(|s| parse_amount(s).map_err(|m| ServiceError::invalid(field, m)))
                .transpose()
        };
        Ok(Self {
            status,
            owner: filter.owner,
            min_cents: cents("min_value", &filter.min_value)?,
            max_cents: cents("max_value", &filter.max_value)?,
            pattern: match filter.q.as_deref() {
                Some(q) => contains_pattern(bounded(q).map_err(|p| ServiceError::invalid("q", p))?),
                None => None,
            },
        })
    }

    /// Adds the filters to a query over `deals d` joined with `contacts c` and
    /// `organizations o`.
    pub fn push(&self, q: &mut SqlBuilder) {
        if let Some(status) = &self.status {
            q.push(" AND d.status = ").bind_text(status.as_str());
        }
        if let Some(owner) = self.owner {
            q.push(" AND d.responsible_user_id = ").bind_int(owner);
        }
        if let Some(min) = self.min_cents {
            q.push(" AND d.value_cents >= ").bind_int(min);
        }
        if let Some(max) = self.max_cents {
            q.push(" AND d.value_cents <= ").bind_int(max);
        }
        if let Some(pattern) = &self.pattern {
            q.push(" AND (d.title_key LIKE ")
                .bind_text(pattern.clone())
                .push(" ESCAPE '\\' OR COALESCE(c.name_key, '') LIKE ")
                .bind_text(pattern.clone())
                .push(" ESCAPE '\\' OR COALESCE(o.name_key, '') LIKE ")
                .bind_text(pattern.clone())
                .push(" ESCAPE '\\')");
        }
    }
}

/// The pipeline a board shows: `pipeline_id` when it is one of the account's (`pipelines`),
/// else the primary one (listed first).
pub(crate) fn chosen(
    pipelines: &[PipelineSummary],
    pipeline_id: Option<PipelineId>,
) -> ServiceResult<&PipelineSummary> {
    match pipeline_id {
        Some(id) => pipelines.iter().find(|p| p.id == id),
        None => pipelines.first(),
    }
    .ok_or(ServiceError::NotFound("pipeline"))
}

/// How many of each column's first cards a board shows: `asked` within `1..=COLUMN_MAX`,
/// [`COLUMN_PAGE`] when not asked.
pub fn per_column(asked: Option<u32>) -> usize {
    asked
        .map(|n| (n as usize).clamp(1, COLUMN_MAX))
        .unwrap_or(COLUMN_PAGE)
}

/// The cards of `pipeline_id` that pass `filter` (of one stage when `stage` is given), in
/// board order, with their stage.
async fn cards_of(
    db: &Db,
    actor: Actor,
    pipeline_id: PipelineId,
    stage: Option<StageId>,
    filter: &Filter,
    rates: &Rates,
) -> ServiceResult<Vec<(StageId, DealCard)>> {
    let mut q = card_query(actor);
    q.push(" AND d.pipeline_id = ").bind_int(pipeline_id);
    if let Some(stage) = stage {
        q.push(" AND d.stage_id = ").bind_int(stage);
    }
    filter.push(&mut q);
    q.push(" ORDER BY d.stage_id, d.position, d.id");
    let rows: Vec<CardRow> = q.query_as().fetch_all(&db.pool).await?;
    let now = Utc::now();
    let day = today(now);
    Ok(rows
        .into_iter()
        .map(|r| (r.stage_id, r.into_card(now, rates, &day)))
        .collect())
}

/// A column's first `shown` cards and the sums of the rest (`cards` in board order).
fn page_of(mut cards: Vec<DealCard>, shown: usize) -> ColumnPage {
    let hidden = cards.split_off(shown.min(cards.len()));
    ColumnPage {
        more: MoreCards::of(&hidden),
        cards,
    }
}

/// The first `shown` cards of a stage of the actor's account that pass `filter`, and the
/// count and sums of the others ("show more" on the board).
pub async fn load_column(
    db: &Db,
    actor: Actor,
    stage_id: StageId,
    filter: &BoardFilter,
    shown: usize,
) -> ServiceResult<ColumnPage> {
    let filter = Filter::parse(filter)?;
    let stage = pipelines::get_stage(&db.pool, actor.account_id, stage_id).await?;
    let rates = currencies::rates(db, actor.account_id).await?;
    let cards = cards_of(
        db,
        actor,
        stage.pipeline_id,
        Some(stage_id),
        &filter,
        &rates,
    )
    .await?;
    Ok(page_of(cards.into_iter().map(|(_, c)| c).collect(), shown))
}

/// Loads the board of `pipeline_id` (or the primary pipeline) with `filter` applied: each
/// column with its first `shown` cards and the count and sums of the rest.
pub async fn load_board(
    db: &Db,
    actor: Actor,
    pipeline_id: Option<PipelineId>,
    filter: &BoardFilter,
    shown: usize,
) -> ServiceResult<BoardView> {
    let filter = Filter::parse(filter)?;
    let pipelines_list = pipelines::list_pipelines(db, actor.account_id).await?;
    let pipeline = chosen(&pipelines_list, pipeline_id)?.clone();
    let stages = pipelines::stages_of(db, actor.account_id, pipeline.id).await?;
    let users = accounts::list_users(db, actor.account_id).await?;
    let rates = currencies::rates(db, actor.account_id).await?;
    let mut by_stage: HashMap<StageId, Vec<DealCard>> = HashMap::new();
    for (stage, card) in cards_of(db, actor, pipeline.id, None, &filter, &rates).await? {
        by_stage.entry(stage).or_default().push(card);
    }
    let figures =
        pipelines::probabilities::of_stages(db, actor.account_id, pipeline.id, &stages, false)
            .await?
            .stages;
    let columns: Vec<StageColumn> = stages
        .into_iter()
        .zip(figures)
        .map(|(s, f)| {
            let page = page_of(by_stage.remove(&s.id).unwrap_or_default(), shown);
            StageColumn {
                id: s.id,
                key: s.key,
                name: s.name,
                probability: f.in_use,
                rotting_days: s.rotting_days,
                cards: page.cards,
                learned: f.learned_in_use,
                more: page.more,
            }
        })
        .collect();
    let elsewhere = pipelines::others_with_stages(db, actor.account_id, pipeline.id).await?;
    Ok(BoardView {
        pipeline,
        pipelines: pipelines_list,
        users,
        stages: columns,
        elsewhere,
        base_currency: rates.base,
    })
}
