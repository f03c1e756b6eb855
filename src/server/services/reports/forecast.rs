//! The forecast of a pipeline: its open deals by the month they are expected to close in —
//! the month of the report's last day and the five after — per stage, as plain and weighted
//! sums, with what was already won in each month. Sums are in the account's base currency:
//! open deals convert at today's rate, won deals at the rate of the day they were won; deals
//! in a currency without a rate for that day are counted apart and never added in.

use std::collections::HashMap;

use chrono::Duration;

use crate::domain::board::weighted;
use crate::domain::report::{Amounts, ForecastMonth, ForecastReport, ForecastStage};
use crate::domain::StageId;
use crate::server::db::{self, Db, SqlBuilder};
use crate::server::error::ServiceResult;
use crate::server::services::deals::sees_all;
use crate::server::services::pipelines::probabilities;
use crate::server::services::{currencies, Actor};

use super::{month_starts, pipeline_of, push_scope, ReportFilter};

/// Months the forecast covers.
pub const MONTHS: usize = 6;

/// The forecast of the filter's pipeline as `actor` may see it.
pub async fn forecast(
    db: &Db,
    actor: Actor,
    filter: &ReportFilter,
) -> ServiceResult<ForecastReport> {
    let (pipeline_id, pipeline, stages) = pipeline_of(db, actor, filter).await?;
    let figures = probabilities::of_stages(db, actor.account_id, pipeline_id, &stages, false)
        .await?
        .stages;
    let rates = currencies::rates(db, actor.account_id).await?;
    let currency = rates.base.clone();
    let today = crate::server::time_zone::local_date(filter.zone, chrono::Utc::now())
        .format("%Y-%m-%d")
        .to_string();
    let all = sees_all(db, actor).await?;
    let starts = month_starts(filter.to, MONTHS);
    let labels: Vec<String> = starts
        .iter()
        .map(|d| d.format("%Y-%m").to_string())
        .collect();

    // Open deals per stage, expected-close month and currency.
    let mut q = SqlBuilder::new(
        "SELECT d.stage_id, SUBSTR(COALESCE(d.expected_close_date, ''), 1, 7), d.currency, COUNT(*), \
         CAST(SUM(d.value_cents) AS BIGINT) FROM deals d WHERE d.status = 'open' AND d.pipeline_id = ",
    );
    q.bind_int(pipeline_id.0);
    push_scope(&mut q, actor, all, filter);
    q.push(" GROUP BY d.stage_id, SUBSTR(COALESCE(d.expected_close_date, ''), 1, 7), d.currency");
    let open: Vec<(StageId, String, String, i64, i64)> = q.query_as().fetch_all(&db.pool).await?;

    let column = |id: StageId| stages.iter().position(|s| s.id == id);
    let mut cells: HashMap<(usize, usize), Amounts> = HashMap::new();
    let mut overdue: HashMap<usize, Amounts> = HashMap::new();
    let mut undated: HashMap<usize, Amounts> = HashMap::new();
    let mut others: HashMap<String, i64> = HashMap::new();
    for (stage, month, cur, deals, cents) in open {
        let Some(cents) = rates.convert(cents, &cur, &today) else {
            *others.entry(cur).or_default() += deals;
            continue;
        };
        let Some(col) = column(stage) else { continue };
        let amounts = Amounts {
            deals,
            total_cents: cents,
            weighted_cents: 0,
        };
        if month.is_empty() {
            undated.entry(col).or_default().add(amounts);
        } else if month < labels[0] {
            overdue.entry(col).or_default().add(amounts);
        } else if let Some(row) = labels.iter().position(|l| *l == month) {
            cells.entry((row, col)).or_default().add(amounts);
        }
    }
    // Weighted sums are taken per stage and month, as the board weights a column.
    let weigh = |mut a: Amounts, col: usize| {
        a.weighted_cents = weighted(a.total_cents, figures[col].in_use);
        a
    };
    let sum = |part: HashMap<usize, Amounts>| {
        let mut all = Amounts::default();
        part.into_iter().for_each(|(col, a)| all.add(weigh(a, col)));
        all
    };

    // Deals won in each month, up to the report's last day.
    let mut q = SqlBuilder::new("SELECT d.won_at, d.currency, COALESCE(d.final_value_cents, d.value_cents) FROM deals d WHERE d.status = 'won' AND d.pipeline_id = ");
    q.bind_int(pipeline_id.0);
    q.push(" AND d.won_at >= ")
        .bind_text(filter.instant(starts[0]));
    q.push(" AND d.won_at < ")
        .bind_text(filter.instant(filter.to + Duration::days(1)));
    push_scope(&mut q, actor, all, filter);
    let won: Vec<(String, String, i64)> = q.query_as().fetch_all(&db.pool).await?;
    let mut won_by_month: HashMap<String, (i64, i64)> = HashMap::new();
    for (when, cur, cents) in won {
        let Some(cents) = rates.convert(cents, &cur, when.get(..10).unwrap_or_default()) else {
            *others.entry(cur).or_default() += 1;
            continue;
        };
        if let Some(t) = db::parse_ts(&when) {
            let m = won_by_month
                .entry(t.with_timezone(&filter.zone).format("%Y-%m").to_string())
                .or_default();
            m.0 += 1;
            m.1 = m.1.saturating_add(cents);
        }
    }

    let months = labels
        .iter()
        .enumerate()
        .map(|(row, label)| {
            let per_stage: Vec<Amounts> = (0..stages.len())
                .map(|col| weigh(cells.get(&(row, col)).copied().unwrap_or_default(), col))
                .collect();
            let mut open = Amounts::default();
            per_stage.iter().for_each(|a| open.add(*a));
            let (won_deals, won_cents) = won_by_month.get(label).copied().unwrap_or_default();
            ForecastMonth {
                month: label.clone(),
                stages: per_stage,
                open,
                won_deals,
                won_cents,
            }
        })
        .collect();
    let mut other_currencies: Vec<(String, i64)> = others.into_iter().collect();
    other_currencies.sort();
    Ok(ForecastReport {
        pipeline_id,
        pipeline,
        currency,
        stages: stages
            .into_iter()
            .zip(&figures)
            .map(|(s, f)| ForecastStage {
                stage_id: s.id,
                name: s.name,
                probability: f.in_use,
                learned_from: f.learned_in_use.map(|l| l.closed),
            })
            .collect(),
        months,
        overdue: sum(overdue),
        undated: sum(undated),
        other_currencies,
    })
}
