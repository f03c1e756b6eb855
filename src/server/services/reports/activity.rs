//! Who did the work: activities completed during the period by week (starting on Monday, in
//! the reader's zone) and type, and per person with the points they earned in the period and
//! their activities overdue now. Activities are counted for the person they are assigned to,
//! across every pipeline (the pipeline and tag filters do not apply).

use std::collections::BTreeMap;

use chrono::{Datelike, Duration, NaiveDate, Utc};

use crate::domain::report::{ActivityPerson, ActivityReport, ActivityWeek};
use crate::domain::UserId;
use crate::server::db::{self, Db, SqlBuilder};
use crate::server::error::ServiceResult;
use crate::server::services::activities::KINDS;
use crate::server::services::deals::sees_all;
use crate::server::services::Actor;

use super::{day, push_owner, with_buckets, ReportFilter};

/// The Monday of the week of `d`.
fn monday(d: NaiveDate) -> NaiveDate {
    d - Duration::days(i64::from(d.weekday().num_days_from_monday()))
}

/// `id`'s row, added (with nothing counted yet) when missing.
fn person<'a>(
    people: &'a mut BTreeMap<UserId, ActivityPerson>,
    names: &[(UserId, String)],
    id: UserId,
) -> &'a mut ActivityPerson {
    people.entry(id).or_insert_with(|| ActivityPerson {
        user_id: id,
        name: names
            .iter()
            .find(|(u, _)| *u == id)
            .map(|(_, n)| n.clone())
            .unwrap_or_default(),
        done: vec![0; KINDS.len()],
        points: 0,
        overdue: 0,
    })
}

/// The activity report as `actor` may see it.
pub async fn activity(
    db: &Db,
    actor: Actor,
    filter: &ReportFilter,
) -> ServiceResult<ActivityReport> {
    let all = sees_all(db, actor).await?;
    let (start, end) = filter.instants();

    // Weeks from Monday, their bounds in the reader's zone, within the period.
    let mut mondays = Vec::new();
    let mut w = monday(filter.from);
    while w <= filter.to {
        mondays.push(w);
        w += Duration::days(7);
    }
    let mut bounds: Vec<String> = mondays.iter().skip(1).map(|m| filter.instant(*m)).collect();
    bounds.insert(0, start.clone());
    bounds.push(end.clone());

    // Completed activities counted by week, person and type.
    let mut q = with_buckets(&bounds);
    q.push(
        "SELECT b.i, a.user_id, a.kind, COUNT(*) FROM buckets b CROSS JOIN activities a \
         WHERE a.account_id = ",
    );
    q.bind_int(actor.account_id.0);
    q.push(" AND a.done_at >= b.lo AND a.done_at < b.hi AND a.user_id IS NOT NULL");
    push_owner(&mut q, "a.user_id", actor, all, filter);
    q.push(" GROUP BY b.i, a.user_id, a.kind");
    let done: Vec<(i64, UserId, String, i64)> = q.query_as().fetch_all(&db.pool).await?;

    let mut q = SqlBuilder::new(
        "SELECT p.user_id, CAST(SUM(p.points) AS BIGINT) FROM points_ledger p WHERE p.account_id = ",
    );
    q.bind_int(actor.account_id.0);
    q.push(" AND p.created_at >= ").bind_text(start);
    q.push(" AND p.created_at < ").bind_text(end);
    push_owner(&mut q, "p.user_id", actor, all, filter);
    q.push(" GROUP BY p.user_id");
    let points: Vec<(UserId, i64)> = q.query_as().fetch_all(&db.pool).await?;

    let mut q = SqlBuilder::new(
        "SELECT a.user_id, COUNT(*) FROM activities a WHERE a.user_id IS NOT NULL AND a.done_at IS NULL AND a.account_id = ",
    );
    q.bind_int(actor.account_id.0);
    q.push(" AND a.due_at < ").bind_text(db::ts(Utc::now()));
    push_owner(&mut q, "a.user_id", actor, all, filter);
    q.push(" GROUP BY a.user_id");
    let overdue: Vec<(UserId, i64)> = q.query_as().fetch_all(&db.pool).await?;

    let names: Vec<(UserId, String)> =
        sqlx::query_as("SELECT id, name FROM users WHERE account_id = $1")
            .bind(actor.account_id)
            .fetch_all(&db.pool)
            .await?;

    let kind_of = |k: &str| KINDS.iter().position(|x| *x == k);
    let mut weeks: Vec<Vec<i64>> = vec![vec![0; KINDS.len()]; mondays.len()];
    let mut people: BTreeMap<UserId, ActivityPerson> = BTreeMap::new();
    for (i, user, kind, n) in done {
        let Some(k) = kind_of(&kind) else { continue };
        person(&mut people, &names, user).done[k] += n;
        if let Some(week) = usize::try_from(i).ok().and_then(|i| weeks.get_mut(i)) {
            week[k] += n;
        }
    }
    for (user, p) in points {
        person(&mut people, &names, user).points = p;
    }
    for (user, n) in overdue {
        person(&mut people, &names, user).overdue = n;
    }
    let mut people: Vec<ActivityPerson> = people.into_values().collect();
    people.sort_by_key(|p| p.name.to_lowercase());
    Ok(ActivityReport {
        from: day(filter.from),
        to: day(filter.to),
        kinds: KINDS.iter().map(|k| k.to_string()).collect(),
        weeks: mondays
            .into_iter()
            .zip(weeks)
            .map(|(w, done)| ActivityWeek { week: day(w), done })
            .collect(),
        people,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_monday() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        assert_eq!(monday(d("2026-12-06")), d("2026-11-30"));
        assert_eq!(monday(d("2026-11-30")), d("2026-11-30"));
        assert_eq!(monday(d("2026-12-01")), d("2026-11-30"));
    }
}
