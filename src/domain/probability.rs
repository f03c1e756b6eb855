//! Stage probabilities: the figure configured on each stage, and the one learned from the
//! pipeline's own closed deals. A pipeline says which one its forecast and weighted totals
//! use; a learned figure is only used once it rests on [`MIN_CLOSED_DEALS`].

use serde::{Deserialize, Serialize};

/// Closed deals a learned figure needs before it replaces the configured one.
pub const MIN_CLOSED_DEALS: i64 = 10;
/// Days of history a learned figure is read from.
pub const LEARNING_DAYS: i64 = 365;

/// Where a pipeline takes its stages' probabilities from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ProbabilitySource {
    /// The figure set on each stage.
    #[default]
    Configured,
    /// The share of closed deals that reached the stage and were won.
    Learned,
}

impl ProbabilitySource {
    pub const ALL: [ProbabilitySource; 2] = [Self::Configured, Self::Learned];

    pub fn as_str(self) -> &'static str {
        match self {
            Self::Configured => "configured",
            Self::Learned => "learned",
        }
    }

    /// The source a stored or typed word names.
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|v| v.as_str() == s.trim())
    }
}

/// What a stage's history says: of the deals that reached it and were closed within
/// [`LEARNING_DAYS`], how many there were and how many were won.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct LearnedShare {
    pub closed: i64,
    pub won: i64,
}

impl LearnedShare {
    /// The share won, in whole percent (half up); `None` without closed deals.
    pub fn percent(self) -> Option<i64> {
        (self.closed > 0).then(|| (self.won * 100 + self.closed / 2) / self.closed)
    }

    /// Whether it rests on enough closed deals to be used.
    pub fn is_enough(self) -> bool {
        self.closed >= MIN_CLOSED_DEALS
    }
}

/// The probability a stage's deals are weighted with: the learned share when the pipeline
/// uses learned figures and this one rests on enough deals, else the configured figure.
/// The second value is the share used, when it was the learned one.
pub fn in_use(
    configured: i64,
    source: ProbabilitySource,
    learned: LearnedShare,
) -> (i64, Option<LearnedShare>) {
    match (source, learned.percent()) {
        (ProbabilitySource::Learned, Some(p)) if learned.is_enough() => (p, Some(learned)),
        _ => (configured.clamp(0, 100), None),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn learned_figures_replace_configured_ones_only_on_enough_deals() {
        let share = |closed, won| LearnedShare { closed, won };
        assert_eq!(share(0, 0).percent(), None);
        assert_eq!(share(3, 1).percent(), Some(33));
        assert_eq!(share(8, 5).percent(), Some(63));
        use ProbabilitySource::*;
        assert_eq!(in_use(40, Configured, share(20, 15)), (40, None));
        assert_eq!(in_use(40, Learned, share(9, 9)), (40, None));
        assert_eq!(in_use(40, Learned, share(10, 3)), (30, Some(share(10, 3))));
        assert_eq!(ProbabilitySource::parse(" learned"), Some(Learned));
        assert_eq!(ProbabilitySource::parse("guessed"), None);
    }
}
