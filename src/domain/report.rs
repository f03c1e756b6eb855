//! Reports on the account's own history: what they answer, shared by the pages, the API and
//! the CSV files.

use serde::{Deserialize, Serialize};

use crate::domain::{PipelineId, StageId};

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
