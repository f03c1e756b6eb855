//! Reports read from the account's history. Everyone reports on the deals they are
//! responsible for; owners and admins (and API keys made for no user) on the whole team,
//! narrowed to one owner if they ask. Each report takes a [`ReportFilter`]: a pipeline, an
//! owner, a tag and a period of days read in the reader's time zone.

pub mod activity;
pub mod forecast;
pub mod funnel;
pub mod velocity;
pub mod won_lost;

use chrono::{Duration, NaiveDate, NaiveTime};
use chrono_tz::Tz;

use crate::domain::report_table::{self, ReportKind, Table};
use crate::domain::{PipelineId, Problem, UserId};
use crate::server::db::{self, Db, SqlBuilder};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::pipelines::{self, Stage};
use crate::server::services::Actor;

/// Days a period covers when none is given: the last 90, today included.
pub const DEFAULT_DAYS: i64 = 90;
/// Longest period, in days.
pub const MAX_DAYS: i64 = 3660;

/// What a report is narrowed to.
#[derive(Debug, Clone, PartialEq)]
pub struct ReportFilter {
    /// `None`: the primary pipeline.
    pub pipeline: Option<PipelineId>,
    pub owner: Option<UserId>,
    pub tag: Option<i64>,
    /// First and last day, both included.
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// The zone the days are read in.
    pub zone: Tz,
}

/// A period as typed (`YYYY-MM-DD`, both days included; empty: the last [`DEFAULT_DAYS`] up
/// to `today`). A bad day, a period that ends before it starts or is longer than [`MAX_DAYS`]
/// is refused naming its field.
pub fn period(today: NaiveDate, from: &str, to: &str) -> ServiceResult<(NaiveDate, NaiveDate)> {
    let day = |field: &str, text: &str| -> ServiceResult<Option<NaiveDate>> {
        let text = text.trim();
        if text.is_empty() {
            return Ok(None);
        }
        NaiveDate::parse_from_str(text, "%Y-%m-%d")
            .map(Some)
            .map_err(|_| {
                ServiceError::invalid(
                    field,
                    Problem::NotADate {
                        value: text.chars().take(40).collect(),
                    },
                )
            })
    };
    let to = day("to", to)?.unwrap_or(today);
    let from = day("from", from)?.unwrap_or(to - Duration::days(DEFAULT_DAYS - 1));
    if from > to {
        return Err(ServiceError::invalid("from", "must not be after `to`"));
    }
    if (to - from).num_days() >= MAX_DAYS {
        return Err(ServiceError::invalid(
            "from",
            format!("the period may cover at most {MAX_DAYS} days"),
        ));
    }
    Ok((from, to))
}

impl ReportFilter {
    /// The period as stored instants: from the first day's start to the day after the last.
    pub fn instants(&self) -> (String, String) {
        (
            self.instant(self.from),
            self.instant(self.to + Duration::days(1)),
        )
    }

    /// The start of day `d` in the filter's zone, as stored.
    pub fn instant(&self, d: NaiveDate) -> String {
        let start = d.and_time(NaiveTime::MIN);
        db::ts(
            crate::server::time_zone::from_local(start, self.zone)
                .unwrap_or_else(|| start.and_utc()),
        )
    }
}

/// Appends the conditions on the deal `d` every report shares: the account, whose deals the
/// actor reports on (`sees_all`: the team's), the owner and the tag.
pub(crate) fn push_scope(q: &mut SqlBuilder, actor: Actor, sees_all: bool, filter: &ReportFilter) {
    q.push(" AND d.account_id = ").bind_int(actor.account_id.0);
    match (sees_all, actor.user_id) {
        (false, Some(me)) => {
            q.push(" AND d.responsible_user_id = ").bind_int(me.0);
        }
        _ => {
            if let Some(owner) = filter.owner {
                q.push(" AND d.responsible_user_id = ").bind_int(owner.0);
            }
        }
    }
    if let Some(tag) = filter.tag {
        q.push(" AND EXISTS (SELECT 1 FROM deal_tags dt WHERE dt.deal_id = d.id AND dt.tag_id = ")
            .bind_int(tag)
            .push(")");
    }
}

/// The pipeline a report is on (the filter's, else the primary one): its id, name and stages
/// in order; not found unless it is the actor's account's.
pub(crate) async fn pipeline_of(
    db: &Db,
    actor: Actor,
    filter: &ReportFilter,
) -> ServiceResult<(PipelineId, String, Vec<Stage>)> {
    let pipeline_id = match filter.pipeline {
        Some(p) => p,
        None => pipelines::primary_pipeline_id(&db.pool, actor.account_id).await?,
    };
    let name: Option<(String,)> =
        sqlx::query_as("SELECT name FROM pipelines WHERE id = $1 AND account_id = $2")
            .bind(pipeline_id)
            .bind(actor.account_id)
            .fetch_optional(&db.pool)
            .await?;
    let (name,) = name.ok_or(ServiceError::NotFound("pipeline"))?;
    let stages = pipelines::stages_of(&db.pool, actor.account_id, pipeline_id).await?;
    Ok((pipeline_id, name, stages))
}

/// A filter as the reports page and its CSV files take it: internal ids as typed (empty: no
/// filter), days in `zone` (empty: the last [`DEFAULT_DAYS`] up to today there). An id that
/// is no number is refused naming its field.
pub fn from_form(
    zone: Tz,
    pipeline: &str,
    owner: &str,
    tag: &str,
    from: &str,
    to: &str,
) -> ServiceResult<ReportFilter> {
    let id = |field: &str, text: &str| -> ServiceResult<Option<i64>> {
        match text.trim() {
            "" => Ok(None),
            v => v.parse().map(Some).map_err(|_| {
                ServiceError::invalid(
                    field,
                    Problem::NotANumber {
                        value: v.chars().take(40).collect(),
                    },
                )
            }),
        }
    };
    let today = crate::server::time_zone::local_date(zone, chrono::Utc::now());
    let (from, to) = period(today, from, to)?;
    Ok(ReportFilter {
        pipeline: id("pipeline", pipeline)?.map(PipelineId),
        owner: id("owner", owner)?.map(UserId),
        tag: id("tag", tag)?,
        from,
        to,
        zone,
    })
}

/// One report as its table (what the page shows under its chart and the CSV file holds).
pub async fn table(
    db: &Db,
    actor: Actor,
    kind: ReportKind,
    filter: &ReportFilter,
) -> ServiceResult<Table> {
    Ok(match kind {
        ReportKind::Forecast => {
            report_table::forecast(&forecast::forecast(db, actor, filter).await?)
        }
        ReportKind::Funnel => report_table::funnel(&funnel::funnel(db, actor, filter).await?),
        ReportKind::Velocity => {
            report_table::velocity(&velocity::velocity(db, actor, filter).await?)
        }
        ReportKind::WonLost => {
            report_table::won_lost(&won_lost::won_lost(db, actor, filter).await?)
        }
        ReportKind::Activity => {
            report_table::activity(&activity::activity(db, actor, filter).await?)
        }
    })
}

/// A day as reports write it (`YYYY-MM-DD`).
pub(crate) fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}
