//! The pipeline board: stages with their filtered deal cards.

use crate::domain::{
    initials, BoardFilter, BoardView, DealCard, DealId, DealStatus, PipelineId, PipelineSummary,
    StageColumn, StageId,
};
use chrono::{DateTime, Utc};

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

/// Loads the board of `pipeline_id` (or the primary pipeline) with `filter` applied.
pub async fn load_board(
    db: &Db,
    actor: Actor,
    pipeline_id: Option<PipelineId>,
    filter: &BoardFilter,
) -> ServiceResult<BoardView> {
    let pipelines_list = pipelines::list_pipelines(db, actor.account_id).await?;
    let pipeline = chosen(&pipelines_list, pipeline_id)?.clone();
    let stages = pipelines::stages_of(db, actor.account_id, pipeline.id).await?;
    let users = accounts::list_users(db, actor.account_id).await?;

    let mut q = card_query(actor);
    q.push(" AND d.pipeline_id = ").bind_int(pipeline.id);
    Filter::parse(filter)?.push(&mut q);
    q.push(" ORDER BY d.stage_id, d.position, d.id");
    let rows: Vec<CardRow> = q.query_as().fetch_all(&db.pool).await?;

    let figures =
        pipelines::probabilities::of_stages(db, actor.account_id, pipeline.id, &stages, false)
            .await?
            .stages;
    let rates = currencies::rates(db, actor.account_id).await?;
    let now = Utc::now();
    let day = today(now);
    let mut columns: Vec<StageColumn> = stages
        .into_iter()
        .zip(figures)
        .map(|(s, f)| StageColumn {
            id: s.id,
            key: s.key,
            name: s.name,
            probability: f.in_use,
            rotting_days: s.rotting_days,
            cards: Vec::new(),
            learned: f.learned_in_use,
        })
        .collect();
    for r in rows {
        if let Some(col) = columns.iter_mut().find(|c| c.id == r.stage_id) {
            col.cards.push(r.into_card(now, &rates, &day));
        }
    }
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
