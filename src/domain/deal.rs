//! What the deal page shows: the deal's fields, the choices its form offers, and its timeline.

use super::ids::{ContactId, DealId, NoteId, OrganizationId, PipelineId, StageId, UserId};
use serde::{Deserialize, Serialize};

use super::activity::{ActivityGroups, ActivityItem};
use super::catalog::{Choice, Product};
use super::UserSummary;

/// A deal with everything its page needs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DealDetail {
    pub id: DealId,
    pub code: i64,
    pub title: String,
    pub value_cents: i64,
    pub currency: String,
    pub status: String,
    pub pipeline_id: PipelineId,
    pub pipeline_name: String,
    pub stage_id: StageId,
    pub stage_name: String,
    pub expected_close_date: Option<String>,
    pub responsible_user_id: Option<UserId>,
    pub quality_rating: Option<i64>,
    pub quality_reason: Option<String>,
    pub visibility: i64,
    pub temperature: Option<i64>,
    pub won_at: Option<String>,
    pub lost_at: Option<String>,
    pub lost_reason: String,
    pub final_value_cents: Option<i64>,
    pub close_notes: Option<String>,
    pub organization_id: Option<OrganizationId>,
    pub lead_source_id: Option<i64>,
    /// Marketing / UTM values as received (read-only).
    pub marketing: Vec<(String, String)>,
    /// Custom attributes by key.
    pub custom_attributes: Vec<(String, String)>,
    /// Linked contacts, the primary one first.
    pub persons: Vec<Person>,
    pub assignees: Vec<Choice>,
    pub followers: Vec<Choice>,
    pub tags: Vec<Choice>,
    pub lines: Vec<LineItem>,
    /// The deal's quotes, newest first.
    #[serde(default)]
    pub quotes: Vec<super::quote::QuoteSummary>,
    pub pinned_notes: Vec<NoteItem>,
    /// The deal's activities, grouped as on `/activities`.
    pub activities: ActivityGroups,
    /// Events, unpinned notes and done activities, newest first.
    pub timeline: Vec<TimelineItem>,
    /// What the forms offer.
    pub choices: DealChoices,
    /// The user looking at the page.
    pub viewer_id: Option<UserId>,
}

impl DealDetail {
    /// What the deal is worth: the final value of a won deal that has one, else its value.
    pub fn worth_cents(&self) -> i64 {
        match (self.status.as_str(), self.final_value_cents) {
            ("won", Some(v)) => v,
            _ => self.value_cents,
        }
    }

    /// Sum of the product lines.
    pub fn products_total_cents(&self) -> i64 {
        self.lines
            .iter()
            .fold(0, |sum: i64, l| sum.saturating_add(l.total_amount_cents))
    }
}

/// The account's options for the deal page's pickers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct DealChoices {
    /// The stages of the deal's pipeline, in order (id, name).
    pub stages: Vec<Choice>,
    /// The account's other pipelines with their stages (a deal can move to any of them).
    #[serde(default)]
    pub pipelines: Vec<super::PipelineStages>,
    pub users: Vec<UserSummary>,
    pub lost_reasons: Vec<String>,
    pub organizations: Vec<Choice>,
    pub contacts: Vec<Choice>,
    pub tags: Vec<Choice>,
    pub lead_sources: Vec<Choice>,
    pub products: Vec<Product>,
}

/// A contact linked to a deal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Person {
    pub contact_id: ContactId,
    pub name: String,
    pub email: Option<String>,
    pub phone: Option<String>,
    pub primary: bool,
}

/// A product line of a deal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineItem {
    pub id: i64,
    pub product_name: String,
    pub product_identifier: String,
    pub quantity: i64,
    pub unit_amount_cents: i64,
    pub total_amount_cents: i64,
}

/// A note on a deal.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NoteItem {
    pub id: NoteId,
    pub content: String,
    /// RFC 3339 UTC.
    pub at: String,
    pub user_name: Option<String>,
    pub pinned: bool,
}

/// One entry of a deal's timeline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum TimelineItem {
    Event(TimelineEntry),
    Note(NoteItem),
    Activity(ActivityItem),
}

impl TimelineItem {
    /// When it happened (an activity: when it was done).
    pub fn at(&self) -> &str {
        match self {
            TimelineItem::Event(e) => &e.at,
            TimelineItem::Note(n) => &n.at,
            TimelineItem::Activity(a) => a.done_at.as_deref().unwrap_or_default(),
        }
    }

    /// Merges already newest-first lists into one newest-first timeline.
    pub fn merge(
        events: Vec<TimelineEntry>,
        notes: Vec<NoteItem>,
        done: Vec<ActivityItem>,
    ) -> Vec<TimelineItem> {
        let mut all: Vec<TimelineItem> = events
            .into_iter()
            .map(TimelineItem::Event)
            .chain(notes.into_iter().map(TimelineItem::Note))
            .chain(done.into_iter().map(TimelineItem::Activity))
            .collect();
        // Stable: among equal times the order above (events, notes, activities) is kept.
        all.sort_by(|a, b| b.at().cmp(a.at()));
        all
    }
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ActivityId;

    fn event(at: &str) -> TimelineEntry {
        TimelineEntry {
            at: at.into(),
            kind: "opened".into(),
            text: "Deal opened".into(),
            user_name: None,
        }
    }

    #[test]
    fn timeline_interleaves_newest_first() {
        let note = NoteItem {
            id: NoteId(1),
            content: "called".into(),
            at: "2026-01-02T10:00:00.000000Z".into(),
            user_name: None,
            pinned: false,
        };
        let done = ActivityItem {
            id: ActivityId(7),
            kind: "call".into(),
            title: "Intro".into(),
            description: String::new(),
            due_at: None,
            due_local: None,
            done_at: Some("2026-01-03T09:00:00.000000Z".into()),
            deal_id: Some(DealId(1)),
            deal_title: None,
            user_id: None,
            user_name: None,
            deal_uuid: None,
            user_uuid: None,
        };
        let merged = TimelineItem::merge(
            vec![
                event("2026-01-04T00:00:00.000000Z"),
                event("2026-01-01T00:00:00.000000Z"),
            ],
            vec![note],
            vec![done],
        );
        let order: Vec<&str> = merged.iter().map(|i| &i.at()[..10]).collect();
        assert_eq!(
            order,
            ["2026-01-04", "2026-01-03", "2026-01-02", "2026-01-01"]
        );
        assert!(matches!(merged[1], TimelineItem::Activity(_)));
        assert!(matches!(merged[2], TimelineItem::Note(_)));
    }
}
