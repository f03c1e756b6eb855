//! The conversion funnel of a pipeline, from the timeline: for each stage, the deals that
//! entered it during the period (created in it, or moved into it), and of those the ones whose
//! stay went on — left it for a later stage of the pipeline, or was won from it, then or
//! since. A deal that entered a stage twice counts once, and went on if either stay did
//! (each entry keeps the deal's earlier entry there, so this is counted without `DISTINCT`).

use crate::domain::report::{FunnelReport, FunnelStage};
use crate::domain::StageId;
use crate::server::db::{Arg, Db, SqlBuilder};
use crate::server::error::ServiceResult;
use crate::server::services::deals::sees_all;
use crate::server::services::Actor;

use super::{day, from_timeline, pipeline_of, push_stages, ReportFilter};

/// The funnel of the filter's pipeline (the primary one by default) as `actor` may see it.
pub async fn funnel(db: &Db, actor: Actor, filter: &ReportFilter) -> ServiceResult<FunnelReport> {
    let (pipeline_id, pipeline, stages) = pipeline_of(db, actor, filter).await?;
    let all = sees_all(db, actor).await?;
    let (start, end) = filter.instants();

    // Per stage: the deals that entered it in the period (entries with no earlier entry of
    // the deal there in the period), and those of them whose stay went on (went-on entries
    // with no earlier went-on entry in the period); both kept on each entry as it is written.
    let mut q = SqlBuilder::default();
    let since = q.placeholder(Arg::Text(Some(start)));
    q.push(&format!(
        "SELECT e.to_stage_id, \
         COUNT(CASE WHEN e.prev_entry_at IS NULL OR e.prev_entry_at < {since} THEN 1 END), \
         COUNT(CASE WHEN e.went_on = 1 AND (e.prev_went_on_at IS NULL OR e.prev_went_on_at < {since}) THEN 1 END)"
    ));
    let mut q = from_timeline(q, actor, all, filter);
    push_stages(&mut q, "e.to_stage_id", &stages);
    q.push(&format!(" AND e.created_at >= {since}"));
    q.push(" AND e.created_at < ").bind_text(end);
    q.push(" AND e.kind IN ('opened', 'stage_changed')");
    q.push(" GROUP BY e.to_stage_id");
    let counts: Vec<(StageId, i64, i64)> = q.query_as().fetch_all(&db.pool).await?;

    Ok(FunnelReport {
        pipeline_id,
        pipeline,
        from: day(filter.from),
        to: day(filter.to),
        stages: stages
            .into_iter()
            .map(|s| {
                let (entered, went_on) = counts
                    .iter()
                    .find(|(id, _, _)| *id == s.id)
                    .map_or((0, 0), |(_, e, w)| (*e, *w));
                FunnelStage {
                    stage_id: s.id,
                    name: s.name,
                    entered,
                    went_on,
                }
            })
            .collect(),
    })
}
