//! Running automations. An `automation_event` job (see `events`) is evaluated once: every
//! active automation of its trigger whose conditions hold gets a log row (`TRIGGERED`) and an
//! `automation_run` job due after its delay, written in one transaction with the event job's
//! completion, so an event is never evaluated twice. A run executes the actions in order and
//! ends `COMPLETED`, or `FAILED` with the first action's error.
//!
//! Actions run with the record as it is when the run starts, so a delayed e-mail shows the
//! current quote. Changes made by actions (a status, a label) start no other automation. A run
//! whose server dies mid-way is closed as interrupted, never repeated (at most once).

use crate::domain::{AccountId, DealId, UserId};
use crate::i18n::t_args;
use chrono::{Duration, Utc};
use serde_json::{json, Value};

use crate::domain::automation::{self as rules, Action, Condition, EmailTo};
use crate::server::db::{self, Arg, Db};
use crate::server::delivery::webhook::{self, Outcome};
use crate::server::delivery::{mail, Delivery};
use crate::server::error::{ServiceError, ServiceResult};
use crate::server::services::activities::{self, NewActivity};
use crate::server::services::jobs::{self, Job};
use crate::server::services::{notifications, Actor};

use super::snapshots::{deal_snapshot, quote_snapshot};
use super::{events, secret};

/// Job kind of a run waiting for its delay (payload `{"log_id": n}`).
pub const RUN_JOB: &str = "automation_run";
/// Job kind of a reminder coming due (payload `{"activity_id", "user_id", "message", "link"}`).
pub const REMINDER_JOB: &str = "reminder_due";

/// What a run is about.
#[derive(Debug, Clone, Copy)]
struct Target {
    account_id: AccountId,
    quote_id: Option<i64>,
    deal_id: Option<DealId>,
}

impl Target {
    async fn snapshot(&self, db: &Db, extra: &Value) -> ServiceResult<Option<Value>> {
        match (self.quote_id, self.deal_id) {
            (Some(q), _) => quote_snapshot(db, self.account_id, q).await,
            (None, Some(d)) => deal_snapshot(db, self.account_id, d, extra).await,
            (None, None) => Ok(None),
        }
    }

    /// The user an automation acts for: the quote's creator or the deal's responsible user,
    /// else the account's first owner.
    async fn owner(&self, db: &Db) -> ServiceResult<Option<UserId>> {
        let row: Option<(Option<UserId>,)> = match (self.quote_id, self.deal_id) {
            (Some(q), _) => {
                sqlx::query_as(
                    "SELECT COALESCE(q.created_by_id, d.responsible_user_id) FROM quotes q \
                     LEFT JOIN deals d ON d.id = q.deal_id WHERE q.id = $1 AND q.account_id = $2",
                )
                .bind(q)
                .bind(self.account_id)
                .fetch_optional(&db.pool)
                .await?
            }
            (None, Some(d)) => {
                sqlx::query_as(
                    "SELECT COALESCE(responsible_user_id, created_by_id) FROM deals WHERE id = $1 AND account_id = $2",
                )
                .bind(d)
                .bind(self.account_id)
                .fetch_optional(&db.pool)
                .await?
            }
            (None, None) => None,
        };
        if let Some((Some(id),)) = row {
            return Ok(Some(id));
        }
        let owner: Option<(UserId,)> = sqlx::query_as(
            "SELECT id FROM users WHERE account_id = $1 AND role = 'owner' AND active = 1 ORDER BY id LIMIT 1",
        )
        .bind(self.account_id)
        .fetch_optional(&db.pool)
        .await?;
        Ok(owner.map(|(id,)| id))
    }

    /// The deal the target belongs to (a quote's deal).
    async fn deal(&self, db: &Db) -> ServiceResult<Option<DealId>> {
        if let Some(d) = self.deal_id {
            return Ok(Some(d));
        }
        let Some(q) = self.quote_id else {
            return Ok(None);
        };
        let row: Option<(Option<DealId>,)> =
            sqlx::query_as("SELECT deal_id FROM quotes WHERE id = $1 AND account_id = $2")
                .bind(q)
                .bind(self.account_id)
                .fetch_optional(&db.pool)
                .await?;
        Ok(row.and_then(|(d,)| d))
    }

    fn link(&self, deal: Option<DealId>) -> Option<String> {
        match (self.quote_id, deal) {
            (Some(q), _) => Some(format!("/quotes/{q}")),
            (None, Some(d)) => Some(format!("/deals/{d}")),
            _ => None,
        }
    }
}

/// Event jobs claimed and evaluated together, in one transaction.
pub const EVENT_BATCH: i64 = 200;

/// Evaluates a claimed event job together with up to [`EVENT_BATCH`] − 1 more due events
/// claimed for `worker` now, in one transaction. On a database error nothing is written: the
/// extra events are handed back at once and `job`'s error goes to the caller (who retries it).
/// Returns how many events were evaluated.
pub async fn evaluate_events_from(db: &Db, job: &Job, worker: &str) -> ServiceResult<usize> {
    let mut batch = vec![job.clone()];
    batch.extend(jobs::claim_batch(db, worker, events::EVENT_JOB, EVENT_BATCH - 1).await?);
    if let Err(e) = evaluate(db, worker, &batch).await {
        for extra in &batch[1..] {
            jobs::retry_at(db, extra.id, worker, &e.to_string(), Utc::now()).await?;
        }
        return Err(e);
    }
    Ok(batch.len())
}

/// Log rows per multi-row `INSERT`.
const LOG_CHUNK: usize = 200;

/// An active automation as evaluation needs it.
struct Rule {
    id: i64,
    conditions: Vec<Condition>,
    delay_minutes: i64,
}

/// Evaluates claimed event jobs: the automations of each (account, trigger) are read once, a
/// record's snapshot once per batch, and every job's completion, logs and run jobs are written
/// in one transaction. A job whose lease was lost to another worker is left to it.
async fn evaluate(db: &Db, worker: &str, batch: &[Job]) -> ServiceResult<()> {
    use std::collections::{HashMap, HashSet};
    if batch.is_empty() {
        return Ok(());
    }
    let mut rules_of: HashMap<(AccountId, String), Vec<Rule>> = HashMap::new();
    let mut snapshots: HashMap<(Option<i64>, Option<DealId>, String), Option<Value>> =
        HashMap::new();
    // Per job: its target and the rules that matched.
    let mut planned: Vec<(Target, Vec<(i64, i64)>)> = Vec::with_capacity(batch.len());
    for job in batch {
        let p = &job.payload;
        let trigger = p["trigger"].as_str().unwrap_or_default().to_string();
        let target = Target {
            // Event jobs always carry their account; without one, no automation matches.
            account_id: job.account_id.unwrap_or(AccountId(0)),
            quote_id: p["quote_id"].as_i64(),
            deal_id: p["deal_id"].as_i64().map(DealId),
        };
        let key = (target.account_id, trigger);
        if !rules_of.contains_key(&key) {
            let rows: Vec<(i64, String, i64)> = sqlx::query_as(
                "SELECT id, conditions, delay_minutes FROM automations \
                 WHERE account_id = $1 AND trigger_event = $2 AND is_active = 1 ORDER BY id",
            )
            .bind(key.0)
            .bind(&key.1)
            .fetch_all(&db.pool)
            .await?;
            let rules = rows
                .into_iter()
                .map(|(id, conditions, delay_minutes)| Rule {
                    id,
                    conditions: serde_json::from_str(&conditions).unwrap_or_default(),
                    delay_minutes,
                })
                .collect();
            rules_of.insert(key.clone(), rules);
        }
        let rules = &rules_of[&key];
        let mut matched = Vec::new();
        if !rules.is_empty() {
            let snap_key = (target.quote_id, target.deal_id, p["extra"].to_string());
            if !snapshots.contains_key(&snap_key) {
                let snapshot = target.snapshot(db, &p["extra"]).await?;
                snapshots.insert(snap_key.clone(), snapshot);
            }
            if let Some(snapshot) = &snapshots[&snap_key] {
                matched = rules
                    .iter()
                    .filter(|r| rules::matches_all(&r.conditions, snapshot))
                    .map(|r| (r.id, r.delay_minutes))
                    .collect();
            }
        }
        planned.push((target, matched));
    }

    let mut tx = db.begin().await?;
    let mut close =
        db::SqlBuilder::new("UPDATE jobs SET status = 'done', locked_until = NULL, updated_at = ");
    close
        .bind_text(db::now())
        .push(" WHERE status = 'running' AND locked_by = ")
        .bind_text(worker)
        .push(" AND id IN (");
    for (i, job) in batch.iter().enumerate() {
        if i > 0 {
            close.push(", ");
        }
        close.bind_int(job.id);
    }
    close.push(") RETURNING id");
    let held: HashSet<i64> = close
        .query_as::<(i64,)>()
        .fetch_all(&mut *tx)
        .await?
        .into_iter()
        .map(|(id,)| id)
        .collect();
    // Logs first (their ids go into the run jobs), a few hundred rows per statement.
    let now = Utc::now();
    let mut runs: Vec<(String, &Job, Target, i64, i64)> = Vec::new();
    for (job, (target, matched)) in batch.iter().zip(planned) {
        if !held.contains(&job.id) {
            continue;
        }
        for (automation_id, delay) in matched {
            let uuid = uuid::Uuid::new_v4().simple().to_string();
            runs.push((uuid, job, target, automation_id, delay));
        }
    }
    let mut log_ids: HashMap<String, i64> = HashMap::with_capacity(runs.len());
    for chunk in runs.chunks(LOG_CHUNK) {
        let mut q = db::SqlBuilder::new(
            "INSERT INTO automation_logs (account_id, uuid, automation_id, quote_id, deal_id, status, triggered_at) VALUES ",
        );
        q.values(chunk.iter().map(|(uuid, _, target, automation_id, _)| {
            vec![
                Arg::Int(Some(target.account_id.into())),
                Arg::Text(Some(uuid.clone())),
                Arg::Int(Some(*automation_id)),
                Arg::Int(target.quote_id),
                Arg::Int(target.deal_id.map(i64::from)),
                Arg::Text(Some("TRIGGERED".into())),
                Arg::Text(Some(db::ts(now))),
            ]
        }))
        .push(" RETURNING id, uuid");
        for (id, uuid) in q.query_as::<(i64, String)>().fetch_all(&mut *tx).await? {
            log_ids.insert(uuid, id);
        }
    }
    let run_jobs: Vec<jobs::NewJob> = runs
        .iter()
        .map(|(uuid, job, target, _, delay)| jobs::NewJob {
            account_id: Some(target.account_id),
            kind: RUN_JOB,
            payload: json!({
                "log_id": log_ids.get(uuid),
                "trigger": job.payload["trigger"],
                "extra": job.payload["extra"],
            }),
            run_at: now + Duration::minutes(*delay),
        })
        .collect();
    jobs::enqueue_many(&mut tx, &run_jobs).await?;
    tx.commit().await?;
    Ok(())
}

/// `(account, quote, deal, log status, actions)` of a run.
type RunRow = (AccountId, Option<i64>, Option<DealId>, String, String);

/// Runs the actions of a logged run and records how it ended. `Err` only for database
/// trouble (the job is retried); a failing action is a `FAILED` log, not an error.
pub async fn run(db: &Db, delivery: &Delivery, job: &Job) -> ServiceResult<()> {
    let Some(log_id) = job.payload["log_id"].as_i64() else {
        return Ok(());
    };
    let trigger = job.payload["trigger"].as_str().unwrap_or_default();
    let row: Option<RunRow> = sqlx::query_as(
        "SELECT l.account_id, l.quote_id, l.deal_id, l.status, a.actions FROM automation_logs l \
         JOIN automations a ON a.id = l.automation_id WHERE l.id = $1",
    )
    .bind(log_id)
    .fetch_optional(&db.pool)
    .await?;
    // The automation (and its logs) was deleted meanwhile, or the run already ended.
    let Some((account_id, quote_id, deal_id, status, actions)) = row else {
        return Ok(());
    };
    if status != "TRIGGERED" {
        return Ok(());
    }
    // Mark the run started. A run that was started already lost its worker mid-way (the
    // server died): its actions may have partly happened, so it is closed as interrupted
    // rather than run twice.
    let started = sqlx::query(
        "UPDATE automation_logs SET started_at = $1 WHERE id = $2 AND started_at IS NULL",
    )
    .bind(db::now())
    .bind(log_id)
    .execute(&db.pool)
    .await?;
    if started.rows_affected() == 0 {
        sqlx::query(
            "UPDATE automation_logs SET status = 'FAILED', completed_at = $1, \
             error = 'interrupted: the server stopped during this run; its actions were not repeated' \
             WHERE id = $2 AND status = 'TRIGGERED'",
        )
        .bind(db::now())
        .bind(log_id)
        .execute(&db.pool)
        .await?;
        return Ok(());
    }
    let target = Target {
        account_id,
        quote_id,
        deal_id,
    };
    let actions: Vec<Action> = serde_json::from_str(&actions).unwrap_or_default();
    let resume = Resume::of(job);
    let outcome = match target.snapshot(db, &job.payload["extra"]).await? {
        None => Err("the record no longer exists".to_string()),
        Some(snapshot) => {
            let mut result = Ok(());
            for (i, action) in actions.iter().enumerate().skip(resume.action) {
                let step = match action {
                    Action::FireWebhook {
                        url,
                        headers,
                        include_items,
                    } => {
                        let call = WebhookCall {
                            url,
                            headers,
                            payload: rules::webhook_payload(
                                trigger,
                                &crate::domain::dates::api_millis(&db::now()),
                                &snapshot,
                                *include_items,
                            ),
                        };
                        let (attempt, errors) = if i == resume.action {
                            (resume.attempt, resume.errors.clone())
                        } else {
                            (1, Vec::new())
                        };
                        fire_webhook(db, delivery, account_id, log_id, &call, attempt, errors).await
                    }
                    other => perform(db, delivery, &target, trigger, &snapshot, other).await,
                };
                match step {
                    Ok(()) => {}
                    Err(Stop::Failed(e)) => {
                        result = Err(format!("action {} ({}): {e}", i + 1, action.kind()));
                        break;
                    }
                    Err(Stop::Broken(e)) => return Err(e),
                    Err(Stop::TryAgain {
                        attempt,
                        after,
                        errors,
                    }) => {
                        let resume = Resume {
                            action: i,
                            attempt,
                            errors,
                        };
                        return pause(db, job, account_id, log_id, resume, after).await;
                    }
                }
            }
            result
        }
    };
    let (status, error) = match outcome {
        Ok(()) => ("COMPLETED", None),
        Err(e) => ("FAILED", Some(e)),
    };
    sqlx::query(
        "UPDATE automation_logs SET status = $1, error = $2, completed_at = $3 WHERE id = $4 AND status = 'TRIGGERED'",
    )
    .bind(status)
    .bind(error)
    .bind(db::now())
    .bind(log_id)
    .execute(&db.pool)
    .await?;
    Ok(())
}

/// Where a paused run goes on: the action, its webhook try, and the errors of the tries
/// before (for the run's error if every try fails).
#[derive(Debug, Clone, Default, PartialEq)]
struct Resume {
    action: usize,
    attempt: i64,
    errors: Vec<String>,
}

impl Resume {
    /// The job's resume point (`payload.resume`); a first run starts at the first action.
    fn of(job: &Job) -> Resume {
        let r = &job.payload["resume"];
        Resume {
            action: r["action"].as_u64().map_or(0, |a| a as usize),
            attempt: r["attempt"].as_i64().unwrap_or(1).max(1),
            errors: r["errors"]
                .as_array()
                .map(|e| {
                    e.iter()
                        .filter_map(|v| v.as_str().map(str::to_string))
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

/// Why a run stopped at an action.
enum Stop {
    /// The action failed: so does the run.
    Failed(String),
    /// The database failed under the action (a cut connection, a stopped server): the run
    /// is not judged; the job is retried, which closes the run as interrupted (at most once).
    Broken(ServiceError),
    /// A webhook is worth another try (`attempt`) after a wait: the run pauses there.
    TryAgain {
        attempt: i64,
        after: std::time::Duration,
        errors: Vec<String>,
    },
}

impl From<ServiceError> for Stop {
    fn from(e: ServiceError) -> Self {
        match e {
            ServiceError::Database(_) => Stop::Broken(e),
            other => Stop::Failed(other.public_message()),
        }
    }
}

impl From<sqlx::Error> for Stop {
    fn from(e: sqlx::Error) -> Self {
        Stop::Broken(e.into())
    }
}

impl From<String> for Stop {
    fn from(e: String) -> Self {
        Stop::Failed(e)
    }
}

impl From<&str> for Stop {
    fn from(e: &str) -> Self {
        Stop::Failed(e.to_string())
    }
}

/// Pauses a run to try its webhook again later: the run goes back to "not started" and a job
/// to resume it at `resume` is queued for `after` from now, in one transaction. The worker is
/// free meanwhile (a retry is a later job, never a wait inside this one).
async fn pause(
    db: &Db,
    job: &Job,
    account_id: AccountId,
    log_id: i64,
    resume: Resume,
    after: std::time::Duration,
) -> ServiceResult<()> {
    let mut payload = job.payload.clone();
    payload["resume"] = json!({
        "action": resume.action,
        "attempt": resume.attempt,
        "errors": resume.errors,
    });
    let run_at = Utc::now() + Duration::from_std(after).unwrap_or_else(|_| Duration::seconds(1));
    let mut tx = db.begin().await?;
    sqlx::query(
        "UPDATE automation_logs SET started_at = NULL WHERE id = $1 AND status = 'TRIGGERED'",
    )
    .bind(log_id)
    .execute(&mut *tx)
    .await?;
    jobs::enqueue(&mut tx, Some(account_id), RUN_JOB, &payload, run_at).await?;
    tx.commit().await?;
    Ok(())
}

/// A webhook action, ready to send.
struct WebhookCall<'a> {
    url: &'a str,
    headers: &'a serde_json::Map<String, Value>,
    payload: Value,
}

/// Makes try number `attempt` of a webhook call and keeps it in `webhook_attempts`. A
/// passing failure (network, 5xx) before the last try asks to try again after a wait that
/// triples each time; `errors` are the tries before, for the run's error.
async fn fire_webhook(
    db: &Db,
    delivery: &Delivery,
    account_id: AccountId,
    log_id: i64,
    call: &WebhookCall<'_>,
    attempt: i64,
    mut errors: Vec<String>,
) -> Result<(), Stop> {
    let secret = secret::webhook_secret(db, account_id).await?;
    let outcome = webhook::post(
        call.url,
        call.headers,
        &call.payload,
        &secret,
        delivery.webhooks,
    )
    .await;
    let (status, error) = match &outcome {
        Outcome::Delivered(s) => (Some(*s), None),
        Outcome::Retry(s, e) | Outcome::Failed(s, e) => (*s, Some(e.clone())),
    };
    record_attempt(
        db,
        account_id,
        log_id,
        call.url,
        attempt,
        status,
        error.as_deref(),
    )
    .await?;
    let failed = |mut errors: Vec<String>| {
        Stop::Failed(match errors.len() {
            1 => errors.remove(0),
            n => format!("{n} tries: {}", errors.join("; ")),
        })
    };
    match outcome {
        Outcome::Delivered(_) => Ok(()),
        Outcome::Failed(_, e) => {
            errors.push(e);
            Err(failed(errors))
        }
        Outcome::Retry(_, e) => {
            errors.push(e);
            if attempt < WEBHOOK_TRIES {
                Err(Stop::TryAgain {
                    attempt: attempt + 1,
                    after: WEBHOOK_BACKOFF * 3u32.pow(attempt as u32 - 1),
                    errors,
                })
            } else {
                Err(failed(errors))
            }
        }
    }
}

/// Performs one action other than a webhook; `Err` says why it failed.
async fn perform(
    db: &Db,
    delivery: &Delivery,
    target: &Target,
    trigger: &str,
    snapshot: &Value,
    action: &Action,
) -> Result<(), Stop> {
    let account_id = target.account_id;
    match action {
        Action::SendEmail {
            to,
            custom_email,
            subject,
            body,
        } => {
            let address = match to {
                EmailTo::Custom => custom_email.clone().unwrap_or_default(),
                EmailTo::Client => {
                    let a = if target.quote_id.is_some() {
                        &snapshot["client"]["email"]
                    } else {
                        &snapshot["contact"]["email"]
                    };
                    a.as_str().unwrap_or_default().to_string()
                }
                EmailTo::Owner => {
                    let owner = target.owner(db).await?;
                    match owner {
                        Some(id) => user_email(db, account_id, id).await?,
                        None => String::new(),
                    }
                }
            };
            if address.is_empty() {
                return Err(Stop::Failed(format!(
                    "the {} has no e-mail address",
                    match to {
                        EmailTo::Client => "client",
                        EmailTo::Owner => "owner",
                        EmailTo::Custom => "custom recipient",
                    }
                )));
            }
            let subject = rules::fill(subject, snapshot);
            let body = rules::fill(body, snapshot);
            let mut tx = db.begin().await?;
            let id = mail::record(&mut tx, account_id, &address, &subject, &body).await?;
            tx.commit().await?;
            Ok(mail::deliver(db, delivery.mailer.as_deref(), id).await?)
        }
        Action::SendNotification { title, body } => {
            let owner = target
                .owner(db)
                .await?
                .ok_or("the account has no owner to notify")?;
            let deal = target.deal(db).await?;
            let mut title = rules::fill(title, snapshot);
            let body = rules::fill(body, snapshot);
            if !body.is_empty() {
                title = format!("{title} — {body}");
            }
            let mut tx = db.begin().await?;
            notifications::notify(
                &mut tx,
                account_id,
                owner,
                &title,
                target.link(deal).as_deref(),
            )
            .await?;
            Ok(tx.commit().await?)
        }
        Action::ChangeStatus { new_status } => {
            let quote = target.quote_id.ok_or("change_status needs a quote")?;
            sqlx::query(
                "UPDATE quotes SET status = $1, updated_at = $2 WHERE id = $3 AND account_id = $4",
            )
            .bind(new_status)
            .bind(db::now())
            .bind(quote)
            .bind(account_id)
            .execute(&db.pool)
            .await?;
            Ok(())
        }
        Action::AddLabel { label_id } => {
            let quote = target.quote_id.ok_or("add_label needs a quote")?;
            let label: Option<(i64,)> =
                sqlx::query_as("SELECT id FROM labels WHERE uuid = $1 AND account_id = $2")
                    .bind(label_id)
                    .bind(account_id)
                    .fetch_optional(&db.pool)
                    .await?;
            let (label,) = label.ok_or("the label no longer exists")?;
            let present: Option<(i64,)> = sqlx::query_as(
                "SELECT quote_id FROM quote_labels WHERE quote_id = $1 AND label_id = $2",
            )
            .bind(quote)
            .bind(label)
            .fetch_optional(&db.pool)
            .await?;
            if present.is_none() {
                sqlx::query("INSERT INTO quote_labels (quote_id, label_id) VALUES ($1, $2)")
                    .bind(quote)
                    .bind(label)
                    .execute(&db.pool)
                    .await?;
            }
            Ok(())
        }
        Action::CreateReminder {
            delay_minutes,
            message,
        } => {
            let owner = target.owner(db).await?;
            let deal = target.deal(db).await?;
            let due = Utc::now() + Duration::minutes(*delay_minutes);
            let message = rules::fill(message, snapshot);
            let actor = Actor {
                account_id,
                user_id: owner,
            };
            let activity = activities::create_activity(
                db,
                actor,
                NewActivity {
                    kind: "task".into(),
                    title: message.chars().take(150).collect(),
                    description: format!("Reminder created by an automation ({trigger})"),
                    due_at: Some(db::ts(due)),
                    deal_id: deal,
                    user_id: owner,
                },
            )
            .await?;
            let mut tx = db.begin().await?;
            jobs::enqueue(
                &mut tx,
                Some(account_id),
                REMINDER_JOB,
                &json!({
                    "activity_id": activity.id,
                    "user_id": owner,
                    "message": message,
                    "link": target.link(deal),
                }),
                due,
            )
            .await?;
            Ok(tx.commit().await?)
        }
        // Fired by the run itself, one try per job (see `fire_webhook`).
        Action::FireWebhook { .. } => Err("a webhook is not an immediate action".into()),
    }
}

/// Tries of one webhook call (network errors and 5xx answers are tried again).
pub const WEBHOOK_TRIES: i64 = 3;
/// Wait before the second try; each later wait is three times the one before.
const WEBHOOK_BACKOFF: std::time::Duration = std::time::Duration::from_secs(1);

/// Keeps one webhook call in `webhook_attempts`.
async fn record_attempt(
    db: &Db,
    account_id: AccountId,
    log_id: i64,
    url: &str,
    attempt: i64,
    status: Option<u16>,
    error: Option<&str>,
) -> ServiceResult<()> {
    sqlx::query(
        "INSERT INTO webhook_attempts (account_id, log_id, url, attempt, status_code, error, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7)",
    )
    .bind(account_id)
    .bind(log_id)
    .bind(url)
    .bind(attempt)
    .bind(status.map(i64::from))
    .bind(error)
    .bind(db::now())
    .execute(&db.pool)
    .await?;
    Ok(())
}

async fn user_email(db: &Db, account_id: AccountId, user_id: UserId) -> ServiceResult<String> {
    let row: Option<(String,)> =
        sqlx::query_as("SELECT email FROM users WHERE id = $1 AND account_id = $2")
            .bind(user_id)
            .bind(account_id)
            .fetch_optional(&db.pool)
            .await?;
    Ok(row.map(|(e,)| e).unwrap_or_default())
}

/// A reminder came due: notifies its user unless the task was done or deleted meanwhile.
pub async fn remind(db: &Db, job: &Job) -> ServiceResult<()> {
    let p = &job.payload;
    let (Some(account_id), Some(activity_id), Some(user_id)) = (
        job.account_id,
        p["activity_id"].as_i64(),
        p["user_id"].as_i64().map(UserId),
    ) else {
        return Ok(());
    };
    let open: Option<(i64,)> = sqlx::query_as(
        "SELECT id FROM activities WHERE id = $1 AND account_id = $2 AND done_at IS NULL",
    )
    .bind(activity_id)
    .bind(account_id)
    .fetch_optional(&db.pool)
    .await?;
    if open.is_none() {
        return Ok(());
    }
    let message = p["message"].as_str().unwrap_or_default().to_string();
    let mut tx = db.begin().await?;
    notifications::notify_message(
        &mut tx,
        account_id,
        user_id,
        |l| t_args(l, "mail-reminder", &[("message", message.into())]),
        p["link"].as_str(),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
