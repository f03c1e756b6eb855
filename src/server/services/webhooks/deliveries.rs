//! The delivery queue of webhook subscriptions, and its log.
//!
//! An event becomes one `webhook_deliveries` row per subscription (its whole payload, the
//! same on every try) and one `webhook_delivery` job, in the change's transaction
//! ([`enqueue`]). A job works on its subscription's queue, one call per job ([`work`]): it
//! takes the oldest delivery still pending (the *head*), and only when that is due and no
//! other worker is calling it (`locked_until`, a lease past the call's time limit) calls the
//! URL. So a delivery never overtakes an earlier one to the same subscription, a worker that
//! dies mid-call leaves the head to the next job once its lease runs out, and two instances
//! never call one delivery at the same time. A job whose own delivery is still waiting
//! behind the head comes back when the head is due; a retry is a later job, never a wait.
//!
//! How a call ends ([`Outcome`] of `delivery::webhook::post`): a 2xx answer delivers; a
//! network failure or a 5xx answer is tried again after [`WAITS`] until [`TRIES`] calls were
//! made; anything else (a 4xx answer, a time-out, a refused target) gives the delivery up at
//! once. [`DISABLE_AFTER`] deliveries given up in a row turn the subscription off and notify
//! the account's owners and admins; a delivery that arrives resets the count. Test deliveries
//! keep a queue of their own, go out even while the subscription is off, and count neither way.

use chrono::{DateTime, Duration, Utc};
use serde_json::{json, Map, Value};

use crate::domain::dates::api_millis;
use crate::domain::webhook::{WebhookDeliveryView, TEST_EVENT};
use crate::domain::AccountId;
use crate::i18n::t_args;
use crate::server::db::{self, Db, Tx};
use crate::server::delivery::webhook::{self, Outcome};
use crate::server::delivery::Delivery;
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::jobs::{self, Job};
use crate::server::services::{notifications, MayConfigure};

/// Job kind of a delivery (payload `{"delivery_id": n}`).
pub const JOB: &str = "webhook_delivery";
/// Calls made for one delivery before it is given up (when each fails for a passing reason).
pub const TRIES: i64 = 5;
/// The wait after each failed try before the next: 1 s, 10 s, 1 min, 10 min.
pub const WAITS: [i64; 4] = [1, 10, 60, 600];
/// Deliveries given up in a row that turn a subscription off.
pub const DISABLE_AFTER: i64 = 10;
/// How long a worker holds a delivery it calls: longer than the call may take.
const CALL_LEASE_SECONDS: i64 = 60;
/// Finished deliveries kept in a subscription's log (older ones are removed).
pub const KEPT: i64 = 1000;

/// Header naming the event.
pub const EVENT_HEADER: &str = "X-Dealflow-Event";
/// Header with the delivery's id (the payload's `id`), the same on every try.
pub const DELIVERY_HEADER: &str = "X-Dealflow-Delivery";

/// Adds a delivery of `event` with `data` for each of `subscriptions` (of the account), with
/// its job, inside the caller's transaction; returns the deliveries' UUIDs.
pub(crate) async fn enqueue(
    tx: &mut Tx,
    account_id: AccountId,
    subscriptions: &[i64],
    event: &str,
    data: &Value,
    test: bool,
) -> ServiceResult<Vec<String>> {
    let now = db::now();
    let occurred_at = api_millis(&now);
    let mut uuids = Vec::with_capacity(subscriptions.len());
    for subscription_id in subscriptions {
        let uuid = uuid::Uuid::new_v4().to_string();
        let payload = json!({
            "id": uuid,
            "event": event,
            "occurred_at": occurred_at,
            "data": data,
        });
        let (id,): (i64,) = sqlx::query_as(
            "INSERT INTO webhook_deliveries (account_id, subscription_id, uuid, event, payload, \
             is_test, status, attempts, next_attempt_at, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'pending', 0, $7, $7) RETURNING id",
        )
        .bind(account_id)
        .bind(subscription_id)
        .bind(&uuid)
        .bind(event)
        .bind(payload.to_string())
        .bind(i64::from(test))
        .bind(&now)
        .fetch_one(&mut **tx)
        .await?;
        jobs::enqueue(
            tx,
            Some(account_id),
            JOB,
            &json!({ "delivery_id": id }),
            Utc::now(),
        )
        .await?;
        uuids.push(uuid);
    }
    Ok(uuids)
}

/// The head of a subscription's queue, with what a call needs.
#[derive(sqlx::FromRow)]
struct Head {
    id: i64,
    uuid: String,
    event: String,
    payload: String,
    is_test: i64,
    attempts: i64,
    next_attempt_at: String,
    locked_until: Option<String>,
    url: String,
    secret: String,
    active: i64,
}

/// Works on the queue of the subscription of the job's delivery: at most one call, then the
/// job comes back while its own delivery is still pending. `Err` only for database trouble
/// (the worker tries the job again).
pub async fn work(db: &Db, delivery: &Delivery, job: &Job) -> ServiceResult<()> {
    let (Some(account_id), Some(own)) = (job.account_id, job.payload["delivery_id"].as_i64())
    else {
        return Ok(());
    };
    let row: Option<(i64, String, i64)> = sqlx::query_as(
        "SELECT subscription_id, status, is_test FROM webhook_deliveries WHERE id = $1 AND account_id = $2",
    )
    .bind(own)
    .bind(account_id)
    .fetch_optional(&db.pool)
    .await?;
    // Delivered, given up, or gone with its subscription.
    let Some((subscription_id, status, is_test)) = row else {
        return Ok(());
    };
    if status != "pending" {
        return Ok(());
    }
    let head: Option<Head> = sqlx::query_as(
        "SELECT d.id, d.uuid, d.event, d.payload, d.is_test, d.attempts, d.next_attempt_at, \
         d.locked_until, s.url, s.secret, s.active FROM webhook_deliveries d \
         JOIN webhook_subscriptions s ON s.id = d.subscription_id \
         WHERE d.subscription_id = $1 AND d.account_id = $2 AND d.status = 'pending' \
         AND d.is_test = $3 ORDER BY d.id LIMIT 1",
    )
    .bind(subscription_id)
    .bind(account_id)
    .bind(is_test)
    .fetch_optional(&db.pool)
    .await?;
    let Some(head) = head else {
        return Ok(());
    };
    let now = Utc::now();
    let due = db::parse_ts(&head.next_attempt_at).unwrap_or(now);
    if due > now {
        return come_back(db, account_id, own, due).await;
    }
    // Take the head unless another worker is calling it.
    let lease = now + Duration::seconds(CALL_LEASE_SECONDS);
    let taken = sqlx::query(
        "UPDATE webhook_deliveries SET locked_until = $1 WHERE id = $2 AND status = 'pending' \
         AND (locked_until IS NULL OR locked_until < $3)",
    )
    .bind(db::ts(lease))
    .bind(head.id)
    .bind(db::ts(now))
    .execute(&db.pool)
    .await?;
    if taken.rows_affected() == 0 {
        let held = head
            .locked_until
            .as_deref()
            .and_then(db::parse_ts)
            .unwrap_or(now);
        // Soon: the call in hand takes seconds (its lease is for a worker that died).
        let soon = held.min(now + Duration::seconds(2));
        return come_back(db, account_id, own, soon).await;
    }
    let ended = if head.skipped() {
        Ended::Given("not sent: the webhook was turned off".into(), None)
    } else {
        call(delivery, &head).await
    };
    let next_try = close(db, account_id, subscription_id, &head, &ended).await?;
    match next_try {
        // The head (own or not) waits for its next try; own comes back then.
        Some(at) => come_back(db, account_id, own, at).await,
        // The head is done: own goes on at once unless it was the head.
        None if head.id != own => come_back(db, account_id, own, Utc::now()).await,
        None => Ok(()),
    }
}

impl Head {
    /// A delivery of a subscription turned off meanwhile: given up without a call (a test
    /// goes out all the same).
    fn skipped(&self) -> bool {
        self.active == 0 && self.is_test == 0
    }
}

/// How a try ended, for the log: the error and the answer's status code, if one came.
enum Ended {
    Delivered(u16),
    /// To be tried again later.
    Again(String, Option<u16>),
    /// Given up.
    Given(String, Option<u16>),
}

/// Makes one call of the head.
async fn call(delivery: &Delivery, head: &Head) -> Ended {
    let payload: Value = match serde_json::from_str(&head.payload) {
        Ok(p) => p,
        Err(e) => return Ended::Given(format!("the stored payload is unreadable: {e}"), None),
    };
    let mut headers = Map::new();
    headers.insert(EVENT_HEADER.into(), json!(head.event));
    headers.insert(DELIVERY_HEADER.into(), json!(head.uuid));
    match webhook::post(
        &head.url,
        &headers,
        &payload,
        &head.secret,
        delivery.webhooks,
    )
    .await
    {
        Outcome::Delivered(status) => Ended::Delivered(status),
        Outcome::Retry(status, e) if head.attempts + 1 < TRIES => Ended::Again(e, status),
        Outcome::Retry(status, e) => {
            Ended::Given(format!("{e} (given up after {TRIES} tries)"), status)
        }
        Outcome::Failed(status, e) => Ended::Given(e, status),
    }
}

/// Records how the head's try ended, in one transaction with what follows from it: the
/// subscription's count of failures, turning it off and notifying the account's owners and
/// admins. Returns when the head is tried next, if it is.
async fn close(
    db: &Db,
    account_id: AccountId,
    subscription_id: i64,
    head: &Head,
    ended: &Ended,
) -> ServiceResult<Option<DateTime<Utc>>> {
    let now = db::now();
    // A skipped delivery made no call; a test counts neither way.
    let tried = i64::from(!head.skipped());
    let counts = !head.skipped() && head.is_test == 0;
    let mut tx = db.begin().await?;
    let (status, code, error, next) = match ended {
        Ended::Delivered(code) => ("delivered", Some(*code), None, None),
        Ended::Again(e, code) => {
            let wait = WAITS
                .get(usize::try_from(head.attempts).unwrap_or(0))
                .copied()
                .unwrap_or(WAITS[WAITS.len() - 1]);
            (
                "pending",
                *code,
                Some(e.as_str()),
                Some(Utc::now() + Duration::seconds(wait)),
            )
        }
        Ended::Given(e, code) => ("failed", *code, Some(e.as_str()), None),
    };
    let closed = sqlx::query(
        "UPDATE webhook_deliveries SET status = $1, attempts = attempts + $2, response_code = $3, \
         error = $4, next_attempt_at = COALESCE($5, next_attempt_at), locked_until = NULL, \
         completed_at = CASE WHEN $1 = 'pending' THEN NULL ELSE $6 END \
         WHERE id = $7 AND status = 'pending'",
    )
    .bind(status)
    .bind(tried)
    .bind(code.map(i64::from))
    .bind(error)
    .bind(next.map(db::ts))
    .bind(&now)
    .bind(head.id)
    .execute(&mut *tx)
    .await?;
    if closed.rows_affected() == 0 {
        // Deleted meanwhile with its subscription.
        return Ok(None);
    }
    if counts {
        match status {
            "delivered" => {
                sqlx::query(
                    "UPDATE webhook_subscriptions SET consecutive_failures = 0 WHERE id = $1",
                )
                .bind(subscription_id)
                .execute(&mut *tx)
                .await?;
            }
            "failed" => failed_in_a_row(&mut tx, account_id, subscription_id, &now).await?,
            _ => {}
        }
    }
    if status != "pending" {
        // The log keeps the latest finished deliveries.
        sqlx::query(
            "DELETE FROM webhook_deliveries WHERE subscription_id = $1 AND status <> 'pending' \
             AND id < (SELECT id FROM webhook_deliveries WHERE subscription_id = $1 \
             ORDER BY id DESC LIMIT 1 OFFSET $2)",
        )
        .bind(subscription_id)
        .bind(KEPT)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(next)
}

/// Counts a delivery given up; the [`DISABLE_AFTER`]th in a row turns the subscription off and
/// notifies the account's active owners and admins.
async fn failed_in_a_row(
    tx: &mut Tx,
    account_id: AccountId,
    subscription_id: i64,
    now: &str,
) -> ServiceResult<()> {
    let row: Option<(i64, i64, String)> = sqlx::query_as(
        "UPDATE webhook_subscriptions SET consecutive_failures = consecutive_failures + 1 \
         WHERE id = $1 AND account_id = $2 RETURNING consecutive_failures, active, url",
    )
    .bind(subscription_id)
    .bind(account_id)
    .fetch_optional(&mut **tx)
    .await?;
    let Some((failures, active, url)) = row else {
        return Ok(());
    };
    if active == 0 || failures < DISABLE_AFTER {
        return Ok(());
    }
    let reason = format!("{failures} deliveries in a row could not be delivered");
    sqlx::query(
        "UPDATE webhook_subscriptions SET active = 0, disabled_at = $1, disabled_reason = $2, \
         updated_at = $1 WHERE id = $3 AND account_id = $4",
    )
    .bind(now)
    .bind(&reason)
    .bind(subscription_id)
    .bind(account_id)
    .execute(&mut **tx)
    .await?;
    let admins: Vec<(crate::domain::UserId,)> = sqlx::query_as(
        "SELECT id FROM users WHERE account_id = $1 AND role IN ('owner', 'admin') AND active = 1 \
         ORDER BY id",
    )
    .bind(account_id)
    .fetch_all(&mut **tx)
    .await?;
    for (user_id,) in admins {
        notifications::notify_message(
            tx,
            account_id,
            user_id,
            |l| {
                t_args(
                    l,
                    "mail-webhook-off",
                    &[("url", shorten(&url).into()), ("count", failures.into())],
                )
            },
            Some("/settings#webhooks"),
        )
        .await?;
    }
    Ok(())
}

/// A URL cut to a length a notification shows.
fn shorten(url: &str) -> String {
    const SHOWN: usize = 80;
    if url.chars().count() <= SHOWN {
        url.to_string()
    } else {
        format!("{}…", url.chars().take(SHOWN).collect::<String>())
    }
}

/// Queues the job of delivery `own` again for `at`.
async fn come_back(
    db: &Db,
    account_id: AccountId,
    own: i64,
    at: DateTime<Utc>,
) -> ServiceResult<()> {
    let mut tx = db.begin().await?;
    jobs::enqueue(
        &mut tx,
        Some(account_id),
        JOB,
        &json!({ "delivery_id": own }),
        at,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The subscription `id` of the account; "not found" for another account's.
async fn subscription_of(db: &Db, account_id: AccountId, id: i64) -> ServiceResult<String> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT uuid FROM webhook_subscriptions WHERE id = $1 AND account_id = $2")
            .bind(id)
            .bind(account_id)
            .fetch_optional(&db.pool)
            .await?;
    row.map(|(uuid,)| uuid)
        .ok_or(ServiceError::NotFound("webhook"))
}

#[derive(sqlx::FromRow)]
struct LogRow {
    uuid: String,
    event: String,
    status: String,
    attempts: i64,
    response_code: Option<i64>,
    error: Option<String>,
    is_test: i64,
    created_at: String,
    completed_at: Option<String>,
    next_attempt_at: String,
}

impl From<LogRow> for WebhookDeliveryView {
    fn from(r: LogRow) -> Self {
        let pending = r.status == "pending";
        WebhookDeliveryView {
            uuid: r.uuid,
            event: r.event,
            status: r.status,
            attempts: r.attempts,
            response_code: r.response_code,
            error: r.error,
            test: r.is_test != 0,
            created_at: r.created_at,
            completed_at: r.completed_at,
            next_attempt_at: pending.then_some(r.next_attempt_at),
        }
    }
}

/// A page of a subscription's deliveries, newest first, and how many it has in all.
pub async fn log(
    db: &Db,
    by: impl MayConfigure,
    subscription_id: i64,
    page: i64,
    per_page: i64,
) -> ServiceResult<(Vec<WebhookDeliveryView>, i64)> {
    let account_id = by.configurer()?.account_id();
    subscription_of(db, account_id, subscription_id).await?;
    let (total,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM webhook_deliveries WHERE subscription_id = $1 AND account_id = $2",
    )
    .bind(subscription_id)
    .bind(account_id)
    .fetch_one(&db.pool)
    .await?;
    let offset = (page.max(1) - 1).saturating_mul(per_page);
    let rows: Vec<LogRow> = sqlx::query_as(
        "SELECT uuid, event, status, attempts, response_code, error, is_test, created_at, \
         completed_at, next_attempt_at FROM webhook_deliveries \
         WHERE subscription_id = $1 AND account_id = $2 ORDER BY id DESC LIMIT $3 OFFSET $4",
    )
    .bind(subscription_id)
    .bind(account_id)
    .bind(per_page)
    .bind(offset)
    .fetch_all(&db.pool)
    .await?;
    Ok((rows.into_iter().map(Into::into).collect(), total))
}

/// Queues a test event ([`TEST_EVENT`]) to the subscription, even while it is turned off;
/// returns the delivery as the log shows it.
pub async fn send_test(
    db: &Db,
    by: impl MayConfigure,
    subscription_id: i64,
) -> ServiceResult<WebhookDeliveryView> {
    let account_id = by.configurer()?.account_id();
    let uuid = subscription_of(db, account_id, subscription_id).await?;
    let data = json!({
        "webhook_id": crate::domain::public_id::public_id("whk", &uuid),
        "message": "A test event from Dealflow: this webhook reaches you.",
    });
    let mut tx = db.begin().await?;
    let uuids = enqueue(
        &mut tx,
        account_id,
        &[subscription_id],
        TEST_EVENT,
        &data,
        true,
    )
    .await?;
    let row: LogRow = sqlx::query_as(
        "SELECT uuid, event, status, attempts, response_code, error, is_test, created_at, \
         completed_at, next_attempt_at FROM webhook_deliveries WHERE uuid = $1 AND account_id = $2",
    )
    .bind(uuids.first().map(String::as_str).unwrap_or_default())
    .bind(account_id)
    .fetch_one(&mut *tx)
    .await?;
    tx.commit().await?;
    Ok(row.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retries_wait_longer_each_time_and_stop() {
        assert_eq!(WAITS.len() as i64, TRIES - 1);
        assert!(WAITS.windows(2).all(|w| w[0] < w[1]));
    }

    #[test]
    fn long_urls_are_shortened_in_notifications() {
        assert_eq!(shorten("https://a.test/x"), "https://a.test/x");
        let long = format!("https://a.test/{}", "x".repeat(200));
        assert_eq!(shorten(&long).chars().count(), 81);
    }
}
