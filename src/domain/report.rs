//! Reports on the account's own history: what they answer, shared by the pages, the API and
//! the CSV files.

use serde::{Deserialize, Serialize};

use crate::domain::{PipelineId, StageId, UserId};

/// One stage of a conversion funnel: how many deals entered it during the period and, of
/// those, how many went on (to a later stage of the pipeline, or won).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelStage {
    pub stage_id: StageId,
    pub name: String,
    pub entered: i64,
    pub went_on: i64,
}

impl FunnelStage {
    /// The share that went on, in whole percent (`None` when none entered).
    pub fn percent_on(&self) -> Option<i64> {
        (self.entered > 0).then(|| (self.went_on * 100 + self.entered / 2) / self.entered)
    }
}

/// A pipeline's funnel over a period (days, both included).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FunnelReport {
    pub pipeline_id: PipelineId,
    pub pipeline: String,
    /// First day (`YYYY-MM-DD`).
    pub from: String,
    /// Last day (`YYYY-MM-DD`).
    pub to: String,
    /// In the pipeline's order.
    pub stages: Vec<FunnelStage>,
}

/// Time spent in one stage: by the stays that ended during the period (moved on, won or
/// lost), and by the open deals in it now. Days, to a tenth.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VelocityStage {
    pub stage_id: StageId,
    pub name: String,
    /// Stays that ended in the period.
    pub stays: i64,
    pub median_days: Option<f64>,
    /// 90th percentile (nearest rank).
    pub p90_days: Option<f64>,
    /// Open deals in the stage now.
    pub open_deals: i64,
    /// How long they have been in it, the median and the longest.
    pub open_median_days: Option<f64>,
    pub open_longest_days: Option<f64>,
}

/// A pipeline's velocity over a period.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VelocityReport {
    pub pipeline_id: PipelineId,
    pub pipeline: String,
    pub from: String,
    pub to: String,
    /// In the pipeline's order.
    pub stages: Vec<VelocityStage>,
}

/// Deals won and lost during a period, counted four ways.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WonLostReport {
    pub pipeline_id: PipelineId,
    pub pipeline: String,
    pub from: String,
    pub to: String,
    /// Each month of the period (`YYYY-MM`, in the reader's zone): won, lost.
    pub months: Vec<(String, i64, i64)>,
    /// Lost deals by the stage they were in, in the pipeline's order.
    pub lost_by_stage: Vec<(StageId, String, i64)>,
    /// Lost deals by reason, most first ("" for none given).
    pub lost_by_reason: Vec<(String, i64)>,
    /// By lead source, most first ("" for none): won, lost.
    pub by_source: Vec<(String, i64, i64)>,
}

/// Count, value and weighted value of some open deals, in the report's currency's cents.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Amounts {
    pub deals: i64,
    pub total_cents: i64,
    pub weighted_cents: i64,
}

impl Amounts {
    /// Adds `other` to these.
    pub fn add(&mut self, other: Amounts) {
        self.deals += other.deals;
        self.total_cents = self.total_cents.saturating_add(other.total_cents);
        self.weighted_cents = self.weighted_cents.saturating_add(other.weighted_cents);
    }
}

/// One month of the forecast: the open deals expected to close in it, per stage and in all,
/// and the deals already won in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastMonth {
    /// `YYYY-MM`.
    pub month: String,
    /// Per stage, in the pipeline's order.
    pub stages: Vec<Amounts>,
    pub open: Amounts,
    /// Deals won in the month (up to the report's last day), at their final value.
    pub won_deals: i64,
    pub won_cents: i64,
}

/// A stage as the forecast weights it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastStage {
    pub stage_id: StageId,
    pub name: String,
    /// The probability its deals are weighted with.
    pub probability: i64,
    /// Closed deals it was learned from, when it is a learned figure.
    pub learned_from: Option<i64>,
}

/// The forecast of a pipeline: its open deals by expected-close month, from the month of the
/// report's last day and the five after, in the account's base currency.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ForecastReport {
    pub pipeline_id: PipelineId,
    pub pipeline: String,
    /// ISO 4217 code every amount is in.
    pub currency: String,
    pub stages: Vec<ForecastStage>,
    pub months: Vec<ForecastMonth>,
    /// Open deals expected to close before the first month.
    pub overdue: Amounts,
    /// Open deals without an expected close day.
    pub undated: Amounts,
    /// Deals in a currency without a rate for their day (today for open deals, the day won
    /// for won ones), left out of every sum: currency, deals.
    pub other_currencies: Vec<(String, i64)>,
}

/// Completed activities of one week (starting on Monday), by type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityWeek {
    /// The Monday (`YYYY-MM-DD`).
    pub week: String,
    /// In the order of the report's `kinds`.
    pub done: Vec<i64>,
}

/// One person's work over the period.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityPerson {
    pub user_id: UserId,
    pub name: String,
    /// Completed activities by type, in the order of the report's `kinds`.
    pub done: Vec<i64>,
    /// Points earned in the period.
    pub points: i64,
    /// Their activities past due and not done, now.
    pub overdue: i64,
}

/// Who did the work: completed activities per week and per person, points and overdue ones.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActivityReport {
    pub from: String,
    pub to: String,
    /// Activity types (`call`, `meeting`, …).
    pub kinds: Vec<String>,
    /// Every week the period touches, in order.
    pub weeks: Vec<ActivityWeek>,
    /// By name.
    pub people: Vec<ActivityPerson>,
}

/// The median of `values` (the mean of the middle two for an even count), to a tenth.
pub fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let n = values.len();
    let m = if n % 2 == 1 {
        values[n / 2]
    } else {
        (values[n / 2 - 1] + values[n / 2]) / 2.0
    };
    Some(tenths(m))
}

/// The `p`th percentile of `values` by nearest rank (the value at rank ⌈p·n/100⌉), to a
/// tenth.
pub fn percentile(values: &mut [f64], p: usize) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let rank = (p * values.len()).div_ceil(100).max(1);
    Some(tenths(values[rank - 1]))
}

fn tenths(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_round_to_whole_percent() {
        let s = |entered, went_on| FunnelStage {
            stage_id: StageId(1),
            name: "New".into(),
            entered,
            went_on,
        };
        assert_eq!(s(0, 0).percent_on(), None);
        assert_eq!(s(3, 2).percent_on(), Some(67));
        assert_eq!(s(3, 1).percent_on(), Some(33));
        assert_eq!(s(4, 4).percent_on(), Some(100));
    }

    #[test]
    fn medians_and_nearest_rank_percentiles() {
        assert_eq!(median(&mut []), None);
        assert_eq!(median(&mut [3.0, 1.0, 19.0, 1.0, 3.0]), Some(3.0));
        assert_eq!(median(&mut [1.0, 2.0, 4.0, 10.0]), Some(3.0));
        assert_eq!(percentile(&mut [3.0, 1.0, 19.0, 1.0, 3.0], 90), Some(19.0));
        assert_eq!(percentile(&mut [1.0, 5.0, 1.0], 90), Some(5.0));
        let mut ten: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&mut ten, 90), Some(9.0));
        assert_eq!(percentile(&mut [0.04], 90), Some(0.0));
    }
}
