//! The conversion funnel of a pipeline, from the timeline: for each stage, the deals that
//! entered it during the period (created in it, or moved into it), and of those the ones that
//! went on afterwards — moved from it to a later stage of the pipeline, or won. A deal that
//! entered a stage twice counts once.

use crate::domain::report::{FunnelReport, FunnelStage};
use crate::domain::StageId;
use crate::server::db::{Db, SqlBuilder};
use crate::server::error::ServiceResult;
use crate::server::services::deals::sees_all;
use crate::server::services::Actor;

use super::{day, pipeline_of, push_scope, ReportFilter};

/// The funnel of the filter's pipeline (the primary one by default) as `actor` may see it.
pub async fn funnel(db: &Db, actor: Actor, filter: &ReportFilter) -> ServiceResult<FunnelReport> {
    let (pipeline_id, pipeline, stages) = pipeline_of(db, actor, filter).await?;
    let all = sees_all(db, actor).await?;
    let (start, end) = filter.instants();

    // Per stage: the deals that entered it in the period, and whether each went on.
    let mut q = SqlBuilder::new(
        "SELECT s.id, COUNT(DISTINCT e.deal_id), COUNT(DISTINCT CASE WHEN EXISTS ( \
           SELECT 1 FROM deal_events f WHERE f.deal_id = e.deal_id AND f.id > e.id AND ( \
             f.kind = 'won' OR (f.kind = 'stage_changed' AND f.from_stage_id = s.id AND EXISTS ( \
               SELECT 1 FROM stages t WHERE t.id = f.to_stage_id AND t.pipeline_id = s.pipeline_id \
               AND (t.position > s.position OR (t.position = s.position AND t.id > s.id)))))) \
           THEN e.deal_id END) \
         FROM stages s JOIN deal_events e ON e.to_stage_id = s.id \
         JOIN deals d ON d.id = e.deal_id \
         WHERE e.kind IN ('opened', 'stage_changed') AND s.pipeline_id = ",
    );
    q.bind_int(pipeline_id.0);
    q.push(" AND e.account_id = ").bind_int(actor.account_id.0);
    q.push(" AND e.created_at >= ").bind_text(start);
    q.push(" AND e.created_at < ").bind_text(end);
    push_scope(&mut q, actor, all, filter);
    q.push(" GROUP BY s.id");
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
