//! How long deals spend in each stage of a pipeline, from the timeline. A stay begins when a
//! deal enters a stage (created in it, or moved into it) and ends at the deal's next move,
//! win or loss; each entry keeps its stay's end and length as the stay ends. The stays that
//! ended during the period give each stage's median and 90th percentile. The open deals in
//! each stage now say where deals sit longest (since they entered it).
//!
//! Percentiles are read by rank: a count per stage, then the value at each rank from an index
//! in order of length (or of entry), so a stage with many stays costs an index walk, not the
//! transfer of every stay.

use chrono::Utc;

use crate::domain::report::{median, percentile, VelocityReport, VelocityStage};
use crate::domain::StageId;
use crate::server::db::{self, Db, SqlBuilder};
use crate::server::error::ServiceResult;
use crate::server::services::deals::sees_all;
use crate::server::services::Actor;

use super::{day, from_timeline, pipeline_of, push_scope, push_stages, ReportFilter};

/// Seconds in a day.
const DAY: f64 = 86_400.0;

/// The ranks (1-based, first to last) whose values give the median of `n` values: the middle
/// one, or the two around the middle.
fn median_ranks(n: i64) -> (i64, i64) {
    ((n + 1) / 2, n / 2 + 1)
}

/// The rank of the 90th percentile of `n` values by nearest rank.
fn p90_rank(n: i64) -> i64 {
    ((90 * n + 99) / 100).max(1)
}

/// The rows at ranks `from..=to` (1-based) of a query in the order that ranks them.
async fn ranked<O>(db: &Db, mut q: SqlBuilder, (from, to): (i64, i64)) -> ServiceResult<Vec<O>>
where
    O: for<'r> sqlx::FromRow<'r, sqlx::any::AnyRow> + Send + Unpin,
{
    q.push(" LIMIT ").bind_int(to - from + 1);
    q.push(" OFFSET ").bind_int(from - 1);
    Ok(q.query_as().fetch_all(&db.pool).await?)
}

/// The velocity of the filter's pipeline as `actor` may see it.
pub async fn velocity(
    db: &Db,
    actor: Actor,
    filter: &ReportFilter,
) -> ServiceResult<VelocityReport> {
    let (pipeline_id, pipeline, stages) = pipeline_of(db, actor, filter).await?;
    let all = sees_all(db, actor).await?;
    let (start, end) = filter.instants();

    // The stays of one stage (`None`: of the pipeline's) that ended in the period, after
    // `select`; the caller appends grouping or order.
    let stays = |select: &str, stage: Option<StageId>| {
        let mut q = from_timeline(SqlBuilder::new(select), actor, all, filter);
        match stage {
            Some(stage) => {
                q.push(" AND e.to_stage_id = ").bind_int(stage.0);
            }
            None => push_stages(&mut q, "e.to_stage_id", &stages),
        };
        q.push(" AND e.ended_at >= ").bind_text(start.clone());
        q.push(" AND e.ended_at < ").bind_text(end.clone());
        q
    };
    // The open deals of one stage (`None`: of the pipeline's), likewise.
    let open = |select: &str, stage: Option<StageId>| {
        let mut q = SqlBuilder::new(select);
        q.push(" FROM deals d WHERE d.status = 'open'");
        match stage {
            Some(stage) => {
                q.push(" AND d.stage_id = ").bind_int(stage.0);
            }
            None => push_stages(&mut q, "d.stage_id", &stages),
        };
        push_scope(&mut q, actor, all, filter);
        q
    };

    let mut q = stays("SELECT e.to_stage_id, COUNT(*)", None);
    q.push(" GROUP BY e.to_stage_id");
    let stay_counts: Vec<(StageId, i64)> = q.query_as().fetch_all(&db.pool).await?;
    let mut q = open("SELECT d.stage_id, COUNT(*), MIN(d.stage_changed_at)", None);
    q.push(" GROUP BY d.stage_id");
    let open_counts: Vec<(StageId, i64, String)> = q.query_as().fetch_all(&db.pool).await?;

    let now = Utc::now();
    let mut out = Vec::with_capacity(stages.len());
    for s in &stages {
        let n = stay_counts
            .iter()
            .find(|(id, _)| *id == s.id)
            .map_or(0, |(_, n)| *n);
        let (mut middle, mut p90) = (Vec::new(), Vec::new());
        if n > 0 {
            let by_length = || {
                let mut q = stays("SELECT e.stay_seconds", Some(s.id));
                q.push(" ORDER BY e.stay_seconds");
                q
            };
            let days =
                |v: Vec<(i64,)>| v.into_iter().map(|(x,)| x as f64 / DAY).collect::<Vec<_>>();
            middle = days(ranked(db, by_length(), median_ranks(n)).await?);
            let r = p90_rank(n);
            p90 = days(ranked(db, by_length(), (r, r)).await?);
        }
        let (open_deals, oldest) = open_counts
            .iter()
            .find(|(id, _, _)| *id == s.id)
            .map_or((0, None), |(_, n, at)| (*n, Some(at.clone())));
        // Youngest first: ages in ascending order.
        let mut ages = Vec::new();
        if open_deals > 0 {
            let mut q = open("SELECT d.stage_changed_at", Some(s.id));
            q.push(" ORDER BY d.stage_changed_at DESC");
            let since: Vec<(String,)> = ranked(db, q, median_ranks(open_deals)).await?;
            ages = since.iter().map(|(at,)| days_since(at, now)).collect();
        }
        out.push(VelocityStage {
            stage_id: s.id,
            name: s.name.clone(),
            stays: n,
            median_days: median(&mut middle),
            p90_days: percentile(&mut p90, 90),
            open_deals,
            open_median_days: median(&mut ages),
            open_longest_days: oldest.map(|at| (days_since(&at, now) * 10.0).round() / 10.0),
        });
    }
    Ok(VelocityReport {
        pipeline_id,
        pipeline,
        from: day(filter.from),
        to: day(filter.to),
        stages: out,
    })
}

/// Days from a stored instant to `now` (0 when it cannot be read or is later).
fn days_since(at: &str, now: chrono::DateTime<Utc>) -> f64 {
    db::parse_ts(at).map_or(0.0, |t| (now - t).num_seconds().max(0) as f64 / DAY)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ranks_pick_the_middle_and_the_90th_percentile() {
        assert_eq!(median_ranks(1), (1, 1));
        assert_eq!(median_ranks(5), (3, 3));
        assert_eq!(median_ranks(6), (3, 4));
        assert_eq!(p90_rank(1), 1);
        assert_eq!(p90_rank(5), 5);
        assert_eq!(p90_rank(10), 9);
        assert_eq!(p90_rank(11), 10);
    }
}
