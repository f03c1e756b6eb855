//! How long deals spend in each stage of a pipeline, from the timeline. A stay begins when a
//! deal enters a stage (created in it, or moved into it) and ends at the deal's next move,
//! win or loss; the stays that ended during the period give each stage's median and 90th
//! percentile. The open deals in each stage now say where deals sit longest (since they
//! entered it).

use chrono::Utc;

use crate::domain::report::{median, percentile, VelocityReport, VelocityStage};
use crate::domain::StageId;
use crate::server::db::{self, Db, SqlBuilder};
use crate::server::error::ServiceResult;
use crate::server::services::deals::sees_all;
use crate::server::services::Actor;

use super::{day, pipeline_of, push_scope, ReportFilter};

/// Days between two stored instants (0 when either cannot be read).
fn days_between(from: &str, to: &str) -> f64 {
    match (db::parse_ts(from), db::parse_ts(to)) {
        (Some(a), Some(b)) => (b - a).num_seconds().max(0) as f64 / 86_400.0,
        _ => 0.0,
    }
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

    // Each stay that ended in the period: its stage, when it began and when it ended.
    let mut q = SqlBuilder::new(
        "SELECT stay.stage_id, stay.began, stay.ended FROM ( \
           SELECT e.to_stage_id AS stage_id, e.created_at AS began, \
             (SELECT MIN(f.created_at) FROM deal_events f WHERE f.deal_id = e.deal_id AND f.id > e.id \
              AND f.kind IN ('stage_changed', 'won', 'lost')) AS ended \
           FROM deal_events e JOIN deals d ON d.id = e.deal_id JOIN stages s ON s.id = e.to_stage_id \
           WHERE e.kind IN ('opened', 'stage_changed') AND s.pipeline_id = ",
    );
    q.bind_int(pipeline_id.0);
    q.push(" AND e.account_id = ").bind_int(actor.account_id.0);
    push_scope(&mut q, actor, all, filter);
    q.push(") stay WHERE stay.ended >= ").bind_text(start);
    q.push(" AND stay.ended < ").bind_text(end);
    let stays: Vec<(StageId, String, String)> = q.query_as().fetch_all(&db.pool).await?;

    // The open deals in each stage now, since they entered it.
    let mut q = SqlBuilder::new(
        "SELECT d.stage_id, d.stage_changed_at FROM deals d WHERE d.status = 'open' AND d.pipeline_id = ",
    );
    q.bind_int(pipeline_id.0);
    push_scope(&mut q, actor, all, filter);
    let open: Vec<(StageId, String)> = q.query_as().fetch_all(&db.pool).await?;
    let now = db::ts(Utc::now());

    Ok(VelocityReport {
        pipeline_id,
        pipeline,
        from: day(filter.from),
        to: day(filter.to),
        stages: stages
            .into_iter()
            .map(|s| {
                let mut spent: Vec<f64> = stays
                    .iter()
                    .filter(|(id, _, _)| *id == s.id)
                    .map(|(_, began, ended)| days_between(began, ended))
                    .collect();
                let mut ages: Vec<f64> = open
                    .iter()
                    .filter(|(id, _)| *id == s.id)
                    .map(|(_, since)| days_between(since, &now))
                    .collect();
                VelocityStage {
                    stage_id: s.id,
                    name: s.name,
                    stays: spent.len() as i64,
                    median_days: median(&mut spent),
                    p90_days: percentile(&mut spent, 90),
                    open_deals: ages.len() as i64,
                    open_median_days: median(&mut ages),
                    open_longest_days: ages
                        .iter()
                        .copied()
                        .reduce(f64::max)
                        .map(|d| (d * 10.0).round() / 10.0),
                }
            })
            .collect(),
    })
}
