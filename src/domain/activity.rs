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
    /// The due time on the reader's clock (`2026-12-04T09:00`, their time zone), as lists show
    /// it and forms edit it; set when the list is made for a reader, else `None`.
    #[serde(default)]
    pub due_local: Option<String>,
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
    /// Groups by `now` in UTC days (see [`ActivityGroups::group_in`]).
    pub fn group(items: Vec<ActivityItem>, now: DateTime<Utc>) -> Self {
        Self::group_in(items, now, |t| t.date_naive())
    }

    /// Groups by `now` and the reader's calendar (`day_of` gives the day an instant falls on
    /// where they are): done; overdue (due before now); today (due later on their today);
    /// upcoming (due after their today, or without a due date).
    pub fn group_in(
        items: Vec<ActivityItem>,
        now: DateTime<Utc>,
        day_of: impl Fn(DateTime<Utc>) -> chrono::NaiveDate,
    ) -> Self {
        let mut g = ActivityGroups::default();
        let today = day_of(now);
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
                    Some(d) if day_of(d) == today => g.today.push(item),
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
    /// In `currency`, the account's base currency, each deal at the rate of the day it was
    /// won.
    pub won_value_cents: i64,
    #[serde(default)]
    pub currency: String,
    /// Won deals in a currency without a rate for the day they were won, left out of
    /// `won_value_cents`.
    #[serde(default)]
    pub won_unconverted: i64,
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
            due_local: None,
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

    #[test]
    fn today_is_the_readers_day() {
        // 22:00 UTC; the reader is three hours behind, so their day is still the 24th and
        // 02:00 UTC on the 25th is their 23:00 today.
        let now = DateTime::parse_from_rfc3339("2026-11-24T22:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let items = vec![item(1, Some("2026-11-25T02:00:00Z"), false)];
        let behind = |t: DateTime<Utc>| (t - chrono::Duration::hours(3)).date_naive();
        let ids = |v: &[ActivityItem]| v.iter().map(|i| i.id.0).collect::<Vec<_>>();
        assert_eq!(
            ids(&ActivityGroups::group_in(items.clone(), now, behind).today),
            [1]
        );
        assert_eq!(ids(&ActivityGroups::group(items, now).upcoming), [1]);
    }
}
