//! Deals won and lost during the period, on one pipeline: by month (in the reader's zone), by
//! the stage a lost deal was in, by lost reason and by lead source.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::domain::report::WonLostReport;
use crate::domain::StageId;
use crate::server::db::{self, Db, SqlBuilder};
use crate::server::error::ServiceResult;
use crate::server::services::deals::sees_all;
use crate::server::services::Actor;

use super::{day, pipeline_of, push_scope, ReportFilter};

/// The months a period touches, first to last (`YYYY-MM`).
fn months(from: NaiveDate, to: NaiveDate) -> Vec<String> {
    let mut out = Vec::new();
    let (mut y, mut m) = (from.year(), from.month());
    while (y, m) <= (to.year(), to.month()) {
        out.push(format!("{y:04}-{m:02}"));
        (y, m) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    }
    out
}

/// Adds one to `key`'s count at `slot` (0 won, 1 lost).
fn tally(map: &mut BTreeMap<String, [i64; 2]>, key: String, slot: usize) {
    map.entry(key).or_default()[slot] += 1;
}

/// Most first, then by name.
fn ranked(map: BTreeMap<String, [i64; 2]>) -> Vec<(String, [i64; 2])> {
    let mut v: Vec<_> = map.into_iter().collect();
    v.sort_by(|a, b| {
        (b.1[0] + b.1[1])
            .cmp(&(a.1[0] + a.1[1]))
            .then(a.0.cmp(&b.0))
    });
    v
}

/// The won and lost deals of the filter's pipeline as `actor` may see them.
pub async fn won_lost(
    db: &Db,
    actor: Actor,
    filter: &ReportFilter,
) -> ServiceResult<WonLostReport> {
    let (pipeline_id, pipeline, stages) = pipeline_of(db, actor, filter).await?;
    let all = sees_all(db, actor).await?;
    let (start, end) = filter.instants();
    let mut q = SqlBuilder::new(
        "SELECT d.status, COALESCE(d.won_at, d.lost_at), d.stage_id, d.lost_reason, COALESCE(ls.name, '') \
         FROM deals d LEFT JOIN lead_sources ls ON ls.id = d.lead_source_id \
         WHERE d.pipeline_id = ",
    );
    q.bind_int(pipeline_id.0);
    q.push(" AND ((d.status = 'won' AND d.won_at >= ");
    let s = q.placeholder(db::Arg::Text(Some(start)));
    let e = q.placeholder(db::Arg::Text(Some(end)));
    q.push(&format!(
        "{s} AND d.won_at < {e}) OR (d.status = 'lost' AND d.lost_at >= {s} AND d.lost_at < {e}))"
    ));
    push_scope(&mut q, actor, all, filter);
    let rows: Vec<(String, String, StageId, String, String)> =
        q.query_as().fetch_all(&db.pool).await?;

    let mut by_month: BTreeMap<String, [i64; 2]> = months(filter.from, filter.to)
        .into_iter()
        .map(|m| (m, [0, 0]))
        .collect();
    let mut by_stage: BTreeMap<StageId, i64> = BTreeMap::new();
    let mut by_reason: BTreeMap<String, [i64; 2]> = BTreeMap::new();
    let mut by_source: BTreeMap<String, [i64; 2]> = BTreeMap::new();
    for (status, at, stage, reason, source) in rows {
        let slot = usize::from(status == "lost");
        if let Some(t) = db::parse_ts(&at) {
            let month = t.with_timezone(&filter.zone).format("%Y-%m").to_string();
            tally(&mut by_month, month, slot);
        }
        tally(&mut by_source, source, slot);
        if slot == 1 {
            *by_stage.entry(stage).or_default() += 1;
            tally(&mut by_reason, reason.trim().to_string(), 1);
        }
    }
    Ok(WonLostReport {
        pipeline_id,
        pipeline,
        from: day(filter.from),
        to: day(filter.to),
        months: by_month.into_iter().map(|(m, [w, l])| (m, w, l)).collect(),
        lost_by_stage: stages
            .into_iter()
            .map(|s| {
                let n = by_stage.get(&s.id).copied().unwrap_or(0);
                (s.id, s.name, n)
            })
            .collect(),
        lost_by_reason: ranked(by_reason)
            .into_iter()
            .map(|(r, [_, l])| (r, l))
            .collect(),
        by_source: ranked(by_source)
            .into_iter()
            .map(|(s, [w, l])| (s, w, l))
            .collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_period_touches_its_months_across_years() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(
            months(d("2026-11-30"), d("2027-02-01")),
            ["2026-11", "2026-12", "2027-01", "2027-02"]
        );
        assert_eq!(months(d("2026-10-05"), d("2026-10-05")), ["2026-10"]);
    }
}
