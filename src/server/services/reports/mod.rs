//! Reports read from the account's history. Everyone reports on the deals they are
//! responsible for; owners and admins (and API keys made for no user) on the whole team,
//! narrowed to one owner if they ask. Each report takes a [`ReportFilter`]: a pipeline, an
//! owner, a tag and a period of days read in the reader's time zone.

pub mod activity;
pub mod forecast;
pub mod funnel;
pub mod velocity;
pub mod won_lost;

use chrono::{Datelike, Duration, NaiveDate, NaiveTime};
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

/// Whose deals (or activities) the report is on: the actor's own unless they see the team,
/// else the filter's owner; `None`: everyone's.
pub(crate) fn owner_of(actor: Actor, sees_all: bool, filter: &ReportFilter) -> Option<UserId> {
    match (sees_all, actor.user_id) {
        (false, Some(me)) => Some(me),
        _ => filter.owner,
    }
}

/// Appends ` AND {col} = ` the report's owner, when it has one ([`owner_of`]).
pub(crate) fn push_owner(
    q: &mut SqlBuilder,
    col: &str,
    actor: Actor,
    sees_all: bool,
    filter: &ReportFilter,
) {
    if let Some(owner) = owner_of(actor, sees_all, filter) {
        q.push(&format!(" AND {col} = ")).bind_int(owner.0);
    }
}

/// `select` (a `SELECT` list, with its binds) over the timeline entries `e` of the deals the
/// report covers: the account's, each joined to its deal `d` only when the report covers fewer
/// (an owner or a tag; then [`push_scope`] applies). The caller appends its own conditions.
pub(crate) fn from_timeline(
    select: SqlBuilder,
    actor: Actor,
    sees_all: bool,
    filter: &ReportFilter,
) -> SqlBuilder {
    let narrow = owner_of(actor, sees_all, filter).is_some() || filter.tag.is_some();
    let mut q = select;
    q.push(" FROM deal_events e");
    if narrow {
        q.push(" JOIN deals d ON d.id = e.deal_id");
    }
    q.push(" WHERE e.account_id = ")
        .bind_int(actor.account_id.0);
    if narrow {
        push_scope(&mut q, actor, sees_all, filter);
    }
    q
}

/// Appends ` AND {col} IN (…)` the ids of `stages`, bound one by one: an index on the stage
/// serves each of them (a subquery on `stages` makes PostgreSQL scan the timeline).
pub(crate) fn push_stages(q: &mut SqlBuilder, col: &str, stages: &[Stage]) {
    if stages.is_empty() {
        q.push(" AND 1 = 0");
        return;
    }
    q.push(&format!(" AND {col} IN ("));
    for (n, s) in stages.iter().enumerate() {
        if n > 0 {
            q.push(", ");
        }
        q.bind_int(s.id.0);
    }
    q.push(")");
}

/// Appends the conditions on the deal `d` every report shares: the account, whose deals the
/// actor reports on (`sees_all`: the team's), the owner and the tag.
pub(crate) fn push_scope(q: &mut SqlBuilder, actor: Actor, sees_all: bool, filter: &ReportFilter) {
    q.push(" AND d.account_id = ").bind_int(actor.account_id.0);
    push_owner(q, "d.responsible_user_id", actor, sees_all, filter);
    if let Some(tag) = filter.tag {
        q.push(" AND EXISTS (SELECT 1 FROM deal_tags dt WHERE dt.deal_id = d.id AND dt.tag_id = ")
            .bind_int(tag)
            .push(")");
    }
}

/// A query that counts rows into consecutive periods: it opens with
/// `WITH buckets(i, lo, hi) AS (VALUES …)`, bucket `i` running from stored instant
/// `bounds[i]` (included) to `bounds[i + 1]`. Joined first (`FROM buckets b CROSS JOIN …`),
/// each bucket reads its rows by an index on the instant.
pub(crate) fn with_buckets(bounds: &[String]) -> SqlBuilder {
    let mut q = SqlBuilder::new("WITH buckets(i, lo, hi) AS (VALUES ");
    q.values(bounds.windows(2).enumerate().map(|(i, w)| {
        vec![
            db::Arg::Int(Some(i as i64)),
            db::Arg::Text(Some(w[0].clone())),
            db::Arg::Text(Some(w[1].clone())),
        ]
    }));
    q.push(") ");
    q
}

/// Appends `CASE …` the index of the period `col` falls in, as [`with_buckets`] numbers them
/// (`col` is known to lie within `bounds`): one range scan then serves every period.
pub(crate) fn push_bucket_of(q: &mut SqlBuilder, col: &str, bounds: &[String]) {
    let last = bounds.len().saturating_sub(2);
    if last == 0 {
        q.push("0");
        return;
    }
    q.push("CASE");
    for (i, hi) in bounds.iter().enumerate().skip(1).take(last) {
        q.push(&format!(" WHEN {col} < ")).bind_text(hi.clone());
        q.push(&format!(" THEN {}", i - 1));
    }
    q.push(&format!(" ELSE {last} END"));
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

/// The first day of `count` months from the month of `day` on, in order.
pub(crate) fn month_starts(day: NaiveDate, count: usize) -> Vec<NaiveDate> {
    let (mut y, mut m) = (day.year(), day.month());
    (0..count)
        .filter_map(|_| {
            let start = NaiveDate::from_ymd_opt(y, m, 1);
            (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
            start
        })
        .collect()
}

/// A day as reports write it (`YYYY-MM-DD`).
pub(crate) fn day(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_run_on_across_the_year_end() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let got: Vec<String> = month_starts(d("2026-11-30"), 3)
            .iter()
            .map(|m| m.to_string())
            .collect();
        assert_eq!(got, ["2026-11-01", "2026-12-01", "2027-01-01"]);
    }

    #[test]
    fn a_day_falls_in_the_period_below_the_next_bound() {
        let bounds: Vec<String> = ["a", "b", "c", "d"].map(String::from).into();
        let mut q = SqlBuilder::default();
        push_bucket_of(&mut q, "x", &bounds);
        assert_eq!(
            q.sql,
            "CASE WHEN x < $1 THEN 0 WHEN x < $2 THEN 1 ELSE 2 END"
        );
        // One period: nothing to choose.
        let mut q = SqlBuilder::default();
        push_bucket_of(&mut q, "x", &bounds[..2]);
        assert_eq!(q.sql, "0");
    }
}
