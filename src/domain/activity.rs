//! Activities as lists show them, grouped by when they are due, and the leaderboard.

use super::ids::{ActivityId, DealId, UserId};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

/// One activity in a list.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ActivityItem {
    pub id: ActivityId,
    pub kind: String,
    pub title: String,
    pub description: String,
    /// RFC 3339 UTC.
    pub due_at: Option<String>,
    pub done_at: Option<String>,
    pub deal_id: Option<DealId>,
    pub deal_title: Option<String>,
    pub user_id: Option<UserId>,
    pub user_name: Option<String>,
    /// Public-API handles of the deal and the user.
    pub deal_uuid: Option<String>,
    pub user_uuid: Option<String>,
}

/// Activities split the way a salesperson plans a day.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ActivityGroups {
    pub overdue: Vec<ActivityItem>,
    pub today: Vec<ActivityItem>,
    pub upcoming: Vec<ActivityItem>,
    pub done: Vec<ActivityItem>,
}

impl ActivityGroups {
    /// Groups by `now` (UTC days): done; overdue (due before now); today (due later today);
    /// upcoming (due after today, or without a due date).
    pub fn group(items: Vec<ActivityItem>, now: DateTime<Utc>) -> Self {
        let mut g = ActivityGroups::default();
        let today = now.date_naive();
        for item in items {
            let due = item
                .due_at
                .as_deref()
                .and_then(|d| DateTime::parse_from_rfc3339(d).ok())
                .map(|d| d.with_timezone(&Utc));
            if item.done_at.is_some() {
                g.done.push(item);
            } else {
                match due {
                    Some(d) if d < now => g.overdue.push(item),
                    Some(d) if d.date_naive() == today => g.today.push(item),
                    _ => g.upcoming.push(item),
                }
            }
        }
        g
    }

    pub fn is_empty(&self) -> bool {
        self.overdue.is_empty()
            && self.today.is_empty()
            && self.upcoming.is_empty()
            && self.done.is_empty()
    }
}

/// A salesperson's standing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LeaderboardRow {
    pub user_id: UserId,
    /// The user's UUID, which the API's `user_…` id is made of.
    pub user_uuid: String,
    pub name: String,
    pub points_week: i64,
    pub points_month: i64,
    pub points_all: i64,
    pub won_count: i64,
    pub won_value_cents: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(id: i64, due: Option<&str>, done: bool) -> ActivityItem {
        ActivityItem {
            id: ActivityId(id),
            kind: "call".into(),
            title: format!("a{id}"),
            description: String::new(),
            due_at: due.map(str::to_string),
            done_at: done.then(|| "2026-11-20T10:00:00Z".to_string()),
            deal_id: None,
            deal_title: None,
            user_id: None,
            user_name: None,
            deal_uuid: None,
            user_uuid: None,
        }
    }

    #[test]
    fn groups_by_due_time() {
        let now = DateTime::parse_from_rfc3339("2026-11-24T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let g = ActivityGroups::group(
            vec![
                item(1, Some("2026-11-23T09:00:00Z"), false),
                item(2, Some("2026-11-24T11:59:00Z"), false),
                item(3, Some("2026-11-24T18:00:00Z"), false),
                item(4, Some("2026-11-25T08:00:00Z"), false),
                item(5, None, false),
                item(6, Some("2026-11-23T09:00:00Z"), true),
            ],
            now,
        );
        let ids = |v: &[ActivityItem]| v.iter().map(|i| i.id.0).collect::<Vec<_>>();
        assert_eq!(ids(&g.overdue), [1, 2]);
        assert_eq!(ids(&g.today), [3]);
        assert_eq!(ids(&g.upcoming), [4, 5]);
        assert_eq!(ids(&g.done), [6]);
    }
}
