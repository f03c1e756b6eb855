//! Deals won and lost during the period, on one pipeline: by month (in the reader's zone), by
//! the stage a lost deal was in, by lost reason and by lead source.

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};

use crate::domain::report::WonLostReport;
use crate::domain::StageId;
use crate::server::db::{Db, SqlBuilder};
use crate::server::error::ServiceResult;
use crate::server::services::deals::sees_all;
use crate::server::services::Actor;

use super::{day, month_starts, pipeline_of, push_bucket_of, push_scope, ReportFilter};

/// The first days of the months a period touches, first to last.
fn months(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let index = |d: NaiveDate| i64::from(d.year()) * 12 + i64::from(d.month0());
    month_starts(from, (index(to) - index(from) + 1).max(1) as usize)
}

/// Adds `n` to `key`'s count at `slot` (0 won, 1 lost).
fn tally(map: &mut BTreeMap<String, [i64; 2]>, key: String, slot: usize, n: i64) {
    map.entry(key).or_default()[slot] += n;
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
    let firsts = months(filter.from, filter.to);
    // Each month's bounds in the reader's zone, within the period.
    let mut bounds: Vec<String> = firsts.iter().skip(1).map(|m| filter.instant(*m)).collect();
    bounds.insert(0, start.clone());
    bounds.push(end.clone());

    // Closed deals counted by month, status, stage, reason and source: one range scan of the
    // period per status, each deal's month worked out from its day.
    let mut q = SqlBuilder::new(
        "SELECT c.i, c.status, c.stage_id, c.lost_reason, COALESCE(ls.name, ''), COUNT(*) FROM (",
    );
    for (n, (status, at)) in [("won", "d.won_at"), ("lost", "d.lost_at")]
        .into_iter()
        .enumerate()
    {
        if n > 0 {
            q.push(" UNION ALL ");
        }
        q.push("SELECT ");
        push_bucket_of(&mut q, at, &bounds);
        q.push(" AS i, d.status, d.stage_id, d.lost_reason, d.lead_source_id FROM deals d WHERE d.pipeline_id = ");
        q.bind_int(pipeline_id.0);
        q.push(&format!(" AND d.status = '{status}' AND {at} >= "));
        q.bind_text(start.clone());
        q.push(&format!(" AND {at} < ")).bind_text(end.clone());
        push_scope(&mut q, actor, all, filter);
    }
    q.push(
        ") c LEFT JOIN lead_sources ls ON ls.id = c.lead_source_id \
         GROUP BY c.i, c.status, c.stage_id, c.lost_reason, ls.name",
    );
    let rows: Vec<(i64, String, StageId, String, String, i64)> =
        q.query_as().fetch_all(&db.pool).await?;

    let labels: Vec<String> = firsts
        .iter()
        .map(|m| m.format("%Y-%m").to_string())
        .collect();
    let mut by_month: BTreeMap<String, [i64; 2]> =
        labels.iter().map(|m| (m.clone(), [0, 0])).collect();
    let mut by_stage: BTreeMap<StageId, i64> = BTreeMap::new();
    let mut by_reason: BTreeMap<String, [i64; 2]> = BTreeMap::new();
    let mut by_source: BTreeMap<String, [i64; 2]> = BTreeMap::new();
    for (i, status, stage, reason, source, n) in rows {
        let slot = usize::from(status == "lost");
        if let Some(month) = usize::try_from(i).ok().and_then(|i| labels.get(i)) {
            tally(&mut by_month, month.clone(), slot, n);
        }
        tally(&mut by_source, source, slot, n);
        if slot == 1 {
            *by_stage.entry(stage).or_default() += n;
            tally(&mut by_reason, reason.trim().to_string(), 1, n);
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
        let label = |v: Vec<NaiveDate>| -> Vec<String> {
            v.iter().map(|m| m.format("%Y-%m").to_string()).collect()
        };
        assert_eq!(
            label(months(d("2026-11-30"), d("2027-02-01"))),
            ["2026-11", "2026-12", "2027-01", "2027-02"]
        );
        assert_eq!(label(months(d("2026-10-05"), d("2026-10-05"))), ["2026-10"]);
    }
}
