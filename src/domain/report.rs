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
}
