//! Activities (calls, meetings, e-mails, tasks, notes) and the points their completion earns.
//!
//! The points ledger is the truth: completing an activity appends its type's points for the
//! salesperson of its deal (or the activity's user when it has no deal); reopening or deleting
//! a completed activity appends the reversal of whatever that activity still holds per user.
//! Totals are sums over the ledger. Completion is a conditional update (`done_at IS NULL`), so
//! completing twice, even at the same moment, counts once.

use crate::domain::{
    AccountId, ActivityId, ContactId, DealId, OrganizationId, Problem, Thing, UserId,
};
use chrono::{DateTime, Datelike, Utc};

use crate::domain::activity::{ActivityGroups, ActivityItem, LeaderboardRow};
use crate::server::db::{self, Arg, Db, SqlBuilder, Tx};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::time_zone;
use chrono_tz::Tz;

use super::automations::events::{self, Subject};
use super::webhooks::{self, WebhookEvent};
use super::Actor;

/// The kinds of activity.
pub const KINDS: &[&str] = &["call", "meeting", "email", "task", "note"];
/// Longest activity title accepted.
pub const MAX_TITLE_LEN: usize = 200;

/// An activity to create.
#[derive(Debug, Clone, Default)]
pub struct NewActivity {
    pub kind: String,
    pub title: String,
    pub description: String,
    /// RFC 3339, or `YYYY-MM-DDTHH:MM` / `YYYY-MM-DD` taken as UTC.
    pub due_at: Option<String>,
    pub deal_id: Option<DealId>,
    pub user_id: Option<UserId>,
}

/// A stored activity.
#[derive(Debug, Clone, PartialEq, sqlx::FromRow)]
pub struct Activity {
    pub id: ActivityId,
    pub kind: String,
    pub title: String,
    pub description: String,
    pub due_at: Option<String>,
    pub done_at: Option<String>,
    pub deal_id: Option<DealId>,
    pub user_id: Option<UserId>,
}

const COLUMNS: &str = "id, kind, title, description, due_at, done_at, deal_id, user_id";

/// Parses a due date-time into the stored form.
pub fn parse_due(input: &str) -> ServiceResult<String> {
    let s = input.trim();
    let parsed = db::parse_ts(s)
        .or_else(|| {
            chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M")
                .ok()
                .map(|t| t.and_utc())
        })
        .or_else(|| {
            chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|t| t.and_utc())
        });
    parsed.map(db::ts).ok_or_else(|| {
        ServiceError::invalid(
            "due_at",
            Problem::NotADateTime {
                value: s.to_string(),
            },
        )
    })
}

/// An activity's fields once checked.
struct Checked {
    kind: String,
    title: String,
    description: String,
    due_at: Option<String>,
    user_id: Option<UserId>,
}

/// Checks every field of a new or edited activity: the user must be the account's, and the
/// deal one the actor may see — unless it is `kept`, the deal the activity already has.
async fn check(
    db: &Db,
    actor: Actor,
    new: &NewActivity,
    kept: Option<DealId>,
) -> ServiceResult<Checked> {
    let kind = new.kind.trim().to_lowercase();
    if !KINDS.contains(&kind.as_str()) {
        return Err(ServiceError::invalid("kind", Problem::one_of(KINDS)));
    }
    let title = new.title.trim();
    if title.is_empty() || title.chars().count() > MAX_TITLE_LEN {
        return Err(ServiceError::invalid(
            "title",
            Problem::Length {
                min: 1,
                max: MAX_TITLE_LEN,
            },
        ));
    }
    let due_at = new
        .due_at
        .as_deref()
        .filter(|s| !s.trim().is_empty())
        .map(parse_due)
        .transpose()?;
    match new.deal_id {
        Some(deal_id) if Some(deal_id) == kept => {
            exists(
                db,
                "deals",
                actor.account_id,
                deal_id,
                "deal_id",
                Problem::NoSuch(Thing::Deal),
            )
            .await?
        }
        Some(deal_id) => super::deals::find(&db.pool, actor, deal_id)
            .await
            .map(|_| ())
            .map_err(|e| match e {
                ServiceError::NotFound(_) => {
                    ServiceError::invalid("deal_id", Problem::NoSuch(Thing::Deal))
                }
                e => e,
            })?,
        None => {}
    }
    let user_id = new.user_id.or(actor.user_id);
    if let Some(user_id) = user_id {
        exists(
            db,
            "users",
            actor.account_id,
            user_id,
            "user_id",
            Problem::NoSuch(Thing::User),
        )
        .await?;
    }
    Ok(Checked {
        kind,
        title: title.to_string(),
        description: new.description.trim().to_string(),
        due_at,
        user_id,
    })
}

/// Creates an activity after checking every field.
pub async fn create_activity(db: &Db, actor: Actor, new: NewActivity) -> ServiceResult<Activity> {
    let c = check(db, actor, &new, None).await?;
    let now = db::now();
    let (id,): (ActivityId,) = sqlx::query_as(
        "INSERT INTO activities (account_id, deal_id, user_id, created_by_id, kind, title, description, due_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id",
    )
    .bind(actor.account_id)
    .bind(new.deal_id)
    .bind(c.user_id)
    .bind(actor.user_id)
    .bind(&c.kind)
    .bind(&c.title)
    .bind(&c.description)
    .bind(c.due_at)
    .bind(&now)
    .fetch_one(&db.pool)
    .await?;
    get_activity(db, actor, id).await
}

/// Changes an activity's fields with the same checks as creation. Points already earned stay
/// with whoever earned them until the activity is reopened.
pub async fn update_activity(
    db: &Db,
    actor: Actor,
    id: ActivityId,
    edit: NewActivity,
) -> ServiceResult<Activity> {
    let kept: Option<(Option<DealId>,)> =
        sqlx::query_as("SELECT deal_id FROM activities WHERE id = $1 AND account_id = $2")
            .bind(id)
            .bind(actor.account_id)
            .fetch_optional(&db.pool)
            .await?;
    let c = check(db, actor, &edit, kept.and_then(|(d,)| d)).await?;
    let res = sqlx::query(
        "UPDATE activities SET kind = $1, title = $2, description = $3, due_at = $4, deal_id = $5, user_id = $6, \
         updated_at = $7 WHERE id = $8 AND account_id = $9",
    )
    .bind(&c.kind)
    .bind(&c.title)
    .bind(&c.description)
    .bind(c.due_at)
    .bind(edit.deal_id)
    .bind(c.user_id)
    .bind(db::now())
    .bind(id)
    .bind(actor.account_id)
    .execute(&db.pool)
    .await?;
    db::touched(res, "activity")?;
    get_activity(db, actor, id).await
}

async fn exists(
    db: &Db,
    table: &str,
    account_id: AccountId,
    id: impl Into<i64>,
    field: &str,
    message: Problem,
) -> ServiceResult<()> {
    let row: Option<(i64,)> = sqlx::query_as(&format!(
        "SELECT id FROM {table} WHERE id = $1 AND account_id = $2"
    ))
    .bind(id.into())
    .bind(account_id)
    .fetch_optional(&db.pool)
    .await?;
    row.map(|_| ())
        .ok_or_else(|| ServiceError::invalid(field, message))
}

/// Loads an activity of the actor's account.
pub async fn get_activity(db: &Db, actor: Actor, id: ActivityId) -> ServiceResult<Activity> {
    sqlx::query_as(&format!(
        "SELECT {COLUMNS} FROM activities WHERE id = $1 AND account_id = $2"
    ))
    .bind(id)
    .bind(actor.account_id)
    .fetch_optional(&db.pool)
    .await?
    .ok_or(ServiceError::NotFound("activity"))
}

/// Marks an activity done and awards its points once.
pub async fn complete(db: &Db, actor: Actor, id: ActivityId) -> ServiceResult<Activity> {
    let now = db::now();
    let mut tx = db.begin().await?;
    let res = sqlx::query(
        "UPDATE activities SET done_at = $1, updated_at = $1 WHERE id = $2 AND account_id = $3 AND done_at IS NULL",
    )
    .bind(&now)
    .bind(id)
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    if res.rows_affected() == 1 {
        let (kind, deal_owner, user_id): (String, Option<UserId>, Option<UserId>) = sqlx::query_as(
            "SELECT a.kind, d.responsible_user_id, a.user_id FROM activities a \
             LEFT JOIN deals d ON d.id = a.deal_id AND d.account_id = a.account_id \
             WHERE a.id = $1 AND a.account_id = $2",
        )
        .bind(id)
        .bind(actor.account_id)
        .fetch_one(&mut *tx)
        .await?;
        let points: Option<(i64,)> = sqlx::query_as(
            "SELECT points FROM activity_point_rules WHERE account_id = $1 AND kind = $2",
        )
        .bind(actor.account_id)
        .bind(&kind)
        .fetch_optional(&mut *tx)
        .await?;
        let points = points.map(|(p,)| p).unwrap_or(0);
        emit_completed(&mut tx, actor.account_id, id, &kind).await?;
        let subject = webhooks::Subject::Activity(id);
        webhooks::emit(
            &mut tx,
            actor.account_id,
            WebhookEvent::ActivityCompleted,
            subject,
        )
        .await?;
        if let (Some(user), true) = (deal_owner.or(user_id), points != 0) {
            ledger(
                &mut tx,
                actor.account_id,
                user,
                id,
                points,
                "activity_completed",
                &now,
            )
            .await?;
        }
    } else {
        // Already done (nothing to do) or not ours (not found).
        get_activity_tx(&mut tx, actor, id).await?;
    }
    tx.commit().await?;
    get_activity(db, actor, id).await
}

/// Marks a done activity as not done and takes its points back.
pub async fn reopen(db: &Db, actor: Actor, id: ActivityId) -> ServiceResult<Activity> {
    let now = db::now();
    let mut tx = db.begin().await?;
    let res = sqlx::query(
        "UPDATE activities SET done_at = NULL, updated_at = $1 WHERE id = $2 AND account_id = $3 AND done_at IS NOT NULL",
    )
    .bind(&now)
    .bind(id)
    .bind(actor.account_id)
    .execute(&mut *tx)
    .await?;
    if res.rows_affected() == 1 {
        reverse(&mut tx, actor.account_id, id, "activity_reopened", &now).await?;
    } else {
        get_activity_tx(&mut tx, actor, id).await?;
    }
    tx.commit().await?;
    get_activity(db, actor, id).await
}

/// Deletes an activity; the points it still holds are taken back.
pub async fn delete(db: &Db, actor: Actor, id: ActivityId) -> ServiceResult<()> {
    let now = db::now();
    let mut tx = db.begin().await?;
    let res = sqlx::query("DELETE FROM activities WHERE id = $1 AND account_id = $2")
        .bind(id)
        .bind(actor.account_id)
        .execute(&mut *tx)
        .await?;
    db::touched(res, "activity")?;
    reverse(&mut tx, actor.account_id, id, "activity_deleted", &now).await?;
    tx.commit().await?;
    Ok(())
}

/// A user's points: the sum of their ledger entries.
pub async fn user_points(db: &Db, account_id: AccountId, user_id: UserId) -> ServiceResult<i64> {
    let (sum,): (Option<i64>,) = sqlx::query_as(
        "SELECT CAST(SUM(points) AS BIGINT) FROM points_ledger WHERE account_id = $1 AND user_id = $2",
    )
    .bind(account_id)
    .bind(user_id)
    .fetch_one(&db.pool)
    .await?;
    Ok(sum.unwrap_or(0))
}

async fn get_activity_tx(tx: &mut Tx, actor: Actor, id: ActivityId) -> ServiceResult<()> {
    let row: Option<(i64,)> =
        sqlx::query_as("SELECT id FROM activities WHERE id = $1 AND account_id = $2")
            .bind(id)
            .bind(actor.account_id)
            .fetch_optional(&mut **tx)
            .await?;
    row.map(|_| ()).ok_or(ServiceError::NotFound("activity"))
}

async fn ledger(
    tx: &mut Tx,
    account_id: AccountId,
    user_id: UserId,
    activity_id: ActivityId,
    points: i64,
    reason: &str,
    now: &str,
) -> ServiceResult<()> {
    sqlx::query(
        "INSERT INTO points_ledger (account_id, user_id, activity_id, points, reason, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6)",
    )
    .bind(account_id)
    .bind(user_id)
    .bind(activity_id)
    .bind(points)
    .bind(reason)
    .bind(now)
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Appends, per user, the opposite of what the activity still holds in the ledger.
async fn reverse(
    tx: &mut Tx,
    account_id: AccountId,
    activity_id: ActivityId,
    reason: &str,
    now: &str,
) -> ServiceResult<()> {
    let held: Vec<(UserId, Option<i64>)> = sqlx::query_as(
        "SELECT user_id, CAST(SUM(points) AS BIGINT) FROM points_ledger \
         WHERE account_id = $1 AND activity_id = $2 GROUP BY user_id",
    )
    .bind(account_id)
    .bind(activity_id)
    .fetch_all(&mut **tx)
    .await?;
    for (user_id, sum) in held {
        let sum = sum.unwrap_or(0);
        if sum != 0 {
            ledger(tx, account_id, user_id, activity_id, -sum, reason, now).await?;
        }
    }
    Ok(())
}

/// Which activities a list shows.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ActivityFilter {
    /// Whose activities (`None`: everyone's).
    pub user_id: Option<UserId>,
    pub kind: Option<String>,
    /// Due on or after this day (`YYYY-MM-DD`).
    pub from: Option<String>,
    /// Due on or before this day (`YYYY-MM-DD`).
    pub to: Option<String>,
    pub deal_id: Option<DealId>,
    /// The contact's own activities and those of their deals.
    pub contact_id: Option<ContactId>,
    /// Activities of the organization's deals.
    pub organization_id: Option<OrganizationId>,
}

/// The activities of the actor's account as lists show them, up to `WHERE a.account_id = …`.
/// The deal (its id, title and handle) comes only when the actor may see it: an activity of a
/// deal they may not see shows no deal.
fn item_query(actor: Actor) -> SqlBuilder {
    let mut q = SqlBuilder::new("");
    let user = q.placeholder(Arg::Int(actor.user_id.map(i64::from)));
    q.push(&format!(
        "SELECT a.id, a.kind, a.title, a.description, a.due_at, a.done_at, d.id AS deal_id, \
         d.title AS deal_title, a.user_id, u.name AS user_name, d.uuid AS deal_uuid, u.uuid AS user_uuid \
         FROM activities a LEFT JOIN deals d ON d.id = a.deal_id AND {} \
         LEFT JOIN users u ON u.id = a.user_id WHERE a.account_id = ",
        super::deals::visible_to("d", &user)
    ))
    .bind_int(actor.account_id);
    q
}

/// One activity of the account as lists show it.
pub async fn item(db: &Db, actor: Actor, id: ActivityId) -> ServiceResult<ActivityItem> {
    let mut q = item_query(actor);
    q.push(" AND a.id = ").bind_int(id);
    let row: Option<ItemRow> = q.query_as().fetch_optional(&db.pool).await?;
    row.map(ItemRow::into_item)
        .ok_or(ServiceError::NotFound("activity"))
}

/// The filter of the activities page's query: `user` empty for `me`'s own, `all` for
/// everyone's, or a user id; `kind`, `from` and `to` as typed (checked when used).
pub fn page_filter(
    me: UserId,
    user: &str,
    kind: String,
    from: String,
    to: String,
) -> ServiceResult<ActivityFilter> {
    let user_id = match user.trim() {
        "" => Some(me),
        "all" => None,
        v => Some(UserId(v.parse().map_err(|_| {
            ServiceError::invalid("user", crate::i18n::tr("act-unknown-user"))
        })?)),
    };
    Ok(ActivityFilter {
        user_id,
        kind: Some(kind),
        from: Some(from),
        to: Some(to),
        deal_id: None,
        contact_id: None,
        organization_id: None,
    })
}

/// Refuses a filter with a value it cannot read (an unknown kind, a day that is no date),
/// naming the field.
pub fn check_filter(filter: &ActivityFilter) -> ServiceResult<()> {
    push_filter(&mut SqlBuilder::default(), filter)
}

/// The activities [`list`] shows for `filter`, by id above `after`, at most `limit`, without
/// the list's cap (how the CSV export reads them all).
pub async fn items_after(
    db: &Db,
    actor: Actor,
    filter: &ActivityFilter,
    after: i64,
    limit: i64,
) -> ServiceResult<Vec<ActivityItem>> {
    let mut q = item_query(actor);
    push_filter(&mut q, filter)?;
    q.push(" AND a.id > ")
        .bind_int(after)
        .push(" ORDER BY a.id LIMIT ")
        .bind_int(limit);
    let rows: Vec<ItemRow> = q.query_as().fetch_all(&db.pool).await?;
    Ok(rows.into_iter().map(ItemRow::into_item).collect())
}

/// Appends `filter`'s conditions to a query from [`item_query`].
fn push_filter(q: &mut SqlBuilder, filter: &ActivityFilter) -> ServiceResult<()> {
    if let Some(user) = filter.user_id {
        q.push(" AND a.user_id = ").bind_int(user);
    }
    if let Some(deal) = filter.deal_id {
        q.push(" AND a.deal_id = ").bind_int(deal);
    }
    if let Some(contact) = filter.contact_id {
        q.push(" AND (a.contact_id = ")
            .bind_int(contact)
            .push(" OR d.contact_id = ")
            .bind_int(contact)
            .push(")");
    }
    if let Some(org) = filter.organization_id {
        q.push(" AND d.organization_id = ").bind_int(org);
    }
    if let Some(kind) = filter
        .kind
        .as_deref()
        .map(str::trim)
        .filter(|k| !k.is_empty())
    {
        if !KINDS.contains(&kind) {
            return Err(ServiceError::invalid("kind", Problem::one_of(KINDS)));
        }
        q.push(" AND a.kind = ").bind_text(kind);
    }
    for (field, value, op, time) in [
        (
            "from",
            &filter.from,
            " AND a.due_at >= ",
            "T00:00:00.000000Z",
        ),
        ("to", &filter.to, " AND a.due_at <= ", "T23:59:59.999999Z"),
    ] {
        if let Some(day) = value.as_deref().map(str::trim).filter(|d| !d.is_empty()) {
            let date = crate::domain::dates::parse_date(day).ok_or_else(|| {
                ServiceError::invalid(
                    field,
                    Problem::NotADate {
                        value: day.to_string(),
                    },
                )
            })?;
            q.push(op).bind_text(format!("{date}{time}"));
        }
    }
    Ok(())
}

/// Activities of the account matching the filter, soonest due first (at most 500).
pub async fn list(
    db: &Db,
    actor: Actor,
    filter: &ActivityFilter,
) -> ServiceResult<Vec<ActivityItem>> {
    let mut q = item_query(actor);
    push_filter(&mut q, filter)?;
    q.push(" ORDER BY a.done_at IS NOT NULL, a.due_at IS NULL, a.due_at, a.id LIMIT 500");
    let rows: Vec<ItemRow> = q.query_as().fetch_all(&db.pool).await?;
    Ok(rows.into_iter().map(ItemRow::into_item).collect())
}

/// Activities grouped for a reader in `zone`: "today" is their day there, and each due time
/// is also given on their clock (see [`on_clock_of`]).
pub fn grouped_for(items: Vec<ActivityItem>, now: DateTime<Utc>, zone: Tz) -> ActivityGroups {
    let mut groups = ActivityGroups::group_in(items, now, |t| time_zone::local_date(zone, t));
    for list in [
        &mut groups.overdue,
        &mut groups.today,
        &mut groups.upcoming,
        &mut groups.done,
    ] {
        on_clock_of(list, zone);
    }
    groups
}

/// Gives each activity its due time on the clock of a reader in `zone` (`due_local`).
pub fn on_clock_of(items: &mut [ActivityItem], zone: Tz) {
    for item in items {
        item.due_local = item
            .due_at
            .as_deref()
            .map(|d| time_zone::input_value(d, zone))
            .filter(|d| !d.is_empty());
    }
}

#[derive(sqlx::FromRow)]
struct ItemRow {
    id: ActivityId,
    kind: String,
    title: String,
    description: String,
    due_at: Option<String>,
    done_at: Option<String>,
    deal_id: Option<DealId>,
    deal_title: Option<String>,
    user_id: Option<UserId>,
    user_name: Option<String>,
    deal_uuid: Option<String>,
    user_uuid: Option<String>,
}

impl ItemRow {
    fn into_item(self) -> ActivityItem {
        ActivityItem {
            id: self.id,
            kind: self.kind,
            title: self.title,
            description: self.description,
            due_at: self.due_at,
            due_local: None,
            done_at: self.done_at,
            deal_id: self.deal_id,
            deal_title: self.deal_title,
            user_id: self.user_id,
            user_name: self.user_name,
            deal_uuid: self.deal_uuid,
            user_uuid: self.user_uuid,
        }
    }
}

/// A user's points (this week, this month, all time) and won deals, as summed.
#[derive(sqlx::FromRow)]
struct StandingRow {
    user_id: UserId,
    user_uuid: String,
    name: String,
    week: Option<i64>,
    month: Option<i64>,
    all_time: Option<i64>,
    won_count: i64,
}

/// Points this week (since Monday, UTC), this month and all time, with won deals, per active
/// user of the account, best first.
pub async fn leaderboard(
    db: &Db,
    account_id: AccountId,
    now: DateTime<Utc>,
) -> ServiceResult<Vec<LeaderboardRow>> {
    let today = now.date_naive();
    let week_start = today - chrono::Duration::days(today.weekday().num_days_from_monday() as i64);
    let month_start = today.with_day(1).unwrap_or(today);
    let since = |d: chrono::NaiveDate| format!("{d}T00:00:00.000000Z");
    let rows: Vec<StandingRow> = sqlx::query_as(
        "SELECT u.id AS user_id, u.uuid AS user_uuid, u.name, \
         (SELECT CAST(SUM(p.points) AS BIGINT) FROM points_ledger p WHERE p.account_id = u.account_id AND p.user_id = u.id AND p.created_at >= $2) AS week, \
         (SELECT CAST(SUM(p.points) AS BIGINT) FROM points_ledger p WHERE p.account_id = u.account_id AND p.user_id = u.id AND p.created_at >= $3) AS month, \
         (SELECT CAST(SUM(p.points) AS BIGINT) FROM points_ledger p WHERE p.account_id = u.account_id AND p.user_id = u.id) AS all_time, \
         (SELECT COUNT(*) FROM deals d WHERE d.account_id = u.account_id AND d.responsible_user_id = u.id AND d.status = 'won') AS won_count \
         FROM users u WHERE u.account_id = $1 AND u.active = 1",
    )
    .bind(account_id)
    .bind(since(week_start))
    .bind(since(month_start))
    .fetch_all(&db.pool)
    .await?;
    // Won values per person, currency and day won, converted at that day's rate.
    let rates = super::currencies::rates(db, account_id).await?;
    let won: Vec<(UserId, String, String, i64, i64)> = sqlx::query_as(
        "SELECT responsible_user_id, currency, SUBSTR(COALESCE(won_at, updated_at), 1, 10), COUNT(*), \
         CAST(SUM(COALESCE(final_value_cents, value_cents)) AS BIGINT) FROM deals \
         WHERE account_id = $1 AND status = 'won' AND responsible_user_id IS NOT NULL \
         GROUP BY responsible_user_id, currency, SUBSTR(COALESCE(won_at, updated_at), 1, 10)",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await?;
    let mut won_value: std::collections::HashMap<UserId, (i64, i64)> = Default::default();
    for (user, currency, day, deals, cents) in won {
        let v = won_value.entry(user).or_default();
        match rates.convert(cents, &currency, &day) {
            Some(c) => v.0 = v.0.saturating_add(c),
            None => v.1 += deals,
        }
    }
    let mut out: Vec<LeaderboardRow> = rows
        .into_iter()
        .map(|r| LeaderboardRow {
            currency: rates.base.clone(),
            won_unconverted: won_value.get(&r.user_id).map_or(0, |v| v.1),
            user_id: r.user_id,
            user_uuid: r.user_uuid,
            name: r.name,
            points_week: r.week.unwrap_or(0),
            points_month: r.month.unwrap_or(0),
            points_all: r.all_time.unwrap_or(0),
            won_count: r.won_count,
            won_value_cents: won_value.get(&r.user_id).map_or(0, |v| v.0),
        })
        .collect();
    out.sort_by(|a, b| {
        (b.points_week, b.points_all, b.won_value_cents)
            .cmp(&(a.points_week, a.points_all, a.won_value_cents))
            .then_with(|| a.name.cmp(&b.name))
    });
    Ok(out)
}

/// Emits ACTIVITY_COMPLETED for an activity of a deal (the trigger's fields are the deal's).
async fn emit_completed(
    tx: &mut Tx,
    account_id: AccountId,
    id: ActivityId,
    kind: &str,
) -> ServiceResult<()> {
    let trigger = "ACTIVITY_COMPLETED";
    if !events::listening(tx, account_id, trigger).await? {
        return Ok(());
    }
    let row: Option<(Option<DealId>, String)> =
        sqlx::query_as("SELECT deal_id, title FROM activities WHERE id = $1 AND account_id = $2")
            .bind(id)
            .bind(account_id)
            .fetch_optional(&mut **tx)
            .await?;
    if let Some((Some(deal_id), title)) = row {
        let extra = serde_json::json!({ "activity": { "type": kind, "title": title } });
        events::record(tx, account_id, trigger, Subject::Deal(deal_id), extra).await?;
    }
    Ok(())
}
