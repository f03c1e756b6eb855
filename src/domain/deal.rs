//! What the deal page shows: the deal's fields, the choices its form offers, and its timeline.

use serde::{Deserialize, Serialize};

use super::UserSummary;

/// A deal with everything its page needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DealDetail {
    pub id: i64,
    pub code: i64,
    pub title: String,
    pub value_cents: i64,
    pub currency: String,
    pub status: String,
    pub pipeline_id: i64,
    pub pipeline_name: String,
    pub stage_name: String,
    pub expected_close_date: Option<String>,
    pub responsible_user_id: Option<i64>,
    pub quality_rating: Option<i64>,
    pub quality_reason: Option<String>,
    pub visibility: i64,
    pub temperature: Option<i64>,
    pub won_at: Option<String>,
    pub lost_at: Option<String>,
    pub lost_reason: String,
    pub final_value_cents: Option<i64>,
    pub close_notes: Option<String>,
    /// Marketing / UTM values as received (read-only).
    pub marketing: Vec<(String, String)>,
    pub users: Vec<UserSummary>,
    pub lost_reasons: Vec<String>,
    pub timeline: Vec<TimelineEntry>,
}

/// One line of a deal's history, newest first.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TimelineEntry {
    /// RFC 3339 UTC.
    pub at: String,
    pub kind: String,
    pub text: String,
    pub user_name: Option<String>,
}
