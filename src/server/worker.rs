//! The background worker: claims due jobs from the job table and runs them (automation events
//! and runs, e-mail delivery, reminders), several at once and fairly between accounts, and once
//! a minute looks for quotes entering their last 24 hours. Every app instance runs one; the job
//! table's leases keep them from doing the same job twice.

use std::collections::HashMap;
use std::time::Duration;

use chrono::Utc;
use tokio::task::JoinSet;

use crate::domain::AccountId;

use super::db::Db;
use super::delivery::{mail, Delivery};
use super::services::accounts::passwords;
use super::services::automations::{events, runs as automation_runs};
use super::services::housekeeping;
use super::services::import;
use super::services::jobs::{self, Job, MAX_ATTEMPTS};
use super::services::quotes;
use super::services::webhooks::deliveries as webhook_deliveries;

/// How often an idle worker looks for due jobs.
const POLL: Duration = Duration::from_millis(250);
/// How often quotes are checked for expiry.
const EXPIRY_SCAN: Duration = Duration::from_secs(60);

/// A worker's name in job leases: host, process and a random part.
pub fn worker_id() -> String {
    format!(
        "{}-{}",
        std::process::id(),
        &uuid::Uuid::new_v4().simple().to_string()[..8]
    )
}

/// A running worker.
pub struct WorkerHandle {
    stop: tokio::sync::watch::Sender<bool>,
    task: tokio::task::JoinHandle<()>,
}

impl WorkerHandle {
    /// Stops claiming jobs and waits for the jobs in hand to finish.
    pub async fn shutdown(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// Jobs one worker runs at once.
pub const SLOTS: usize = 8;
/// Jobs of one account one worker runs at once: the other accounts always find a free slot,
/// however slow one account's webhooks are, and one account's runs keep their order.
pub const PER_ACCOUNT: usize = 1;

/// Starts the worker on the runtime. It runs until [`WorkerHandle::shutdown`] (or the end of
/// the process, when the handle is dropped).
///
/// Up to [`SLOTS`] jobs run at once, at most [`PER_ACCOUNT`] of any one account: a claim
/// leaves out the accounts that have their share in hand, so a slow account waits for its own
/// jobs, never another's. Nothing waits inside a job for a retry (a retry is a later job).
pub fn spawn(db: Db, delivery: Delivery) -> WorkerHandle {
    let (stop, mut stopped) = tokio::sync::watch::channel(false);
    let task = tokio::spawn(async move {
        let id: std::sync::Arc<str> = worker_id().into();
        let mut running: JoinSet<Option<AccountId>> = JoinSet::new();
        let mut in_hand: HashMap<AccountId, usize> = HashMap::new();
        let mut last_scan: Option<std::time::Instant> = None;
        while !*stopped.borrow() {
            while let Some(done) = running.try_join_next() {
                release(&mut in_hand, done);
            }
            if last_scan.is_none_or(|t| t.elapsed() >= EXPIRY_SCAN) {
                last_scan = Some(std::time::Instant::now());
                if let Err(e) = quotes::emit_expiring(&db, Utc::now()).await {
                    tracing::warn!(error = %e, "quote expiry scan failed");
                }
                if let Err(e) = housekeeping::schedule(&db).await {
                    tracing::warn!(error = %e, "housekeeping could not be scheduled");
                }
            }
            let pause = if running.len() >= SLOTS {
                // Every slot is busy: wait for one to free up (or to be asked to stop).
                None
            } else {
                let busy: Vec<AccountId> = in_hand
                    .iter()
                    .filter(|(_, n)| **n >= PER_ACCOUNT)
                    .map(|(a, _)| *a)
                    .collect();
                match jobs::claim_except(&db, &id, &busy).await {
                    Ok(Some(job)) => {
                        if let Some(account_id) = job.account_id {
                            *in_hand.entry(account_id).or_default() += 1;
                        }
                        let (db, delivery, id) = (db.clone(), delivery.clone(), id.clone());
                        running.spawn(async move {
                            let account_id = job.account_id;
                            run_one(&db, &delivery, &id, job).await;
                            account_id
                        });
                        continue;
                    }
                    Ok(None) => Some(POLL),
                    Err(e) => {
                        tracing::warn!(error = %e, "job claim failed");
                        Some(POLL * 4)
                    }
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(pause.unwrap_or(POLL * 40)) => {}
                Some(done) = running.join_next(), if !running.is_empty() => {
                    release(&mut in_hand, done);
                }
                _ = async {
                    // A dropped handle never asks to stop.
                    if stopped.changed().await.is_err() {
                        std::future::pending::<()>().await;
                    }
                } => {}
            }
        }
        // Let the jobs in hand finish.
        while let Some(done) = running.join_next().await {
            release(&mut in_hand, done);
        }
        tracing::info!(worker = %id, "worker stopped");
    });
    WorkerHandle { stop, task }
}

/// Counts a finished job out of its account's share.
fn release(
    in_hand: &mut HashMap<AccountId, usize>,
    done: Result<Option<AccountId>, tokio::task::JoinError>,
) {
    match done {
        Ok(Some(account_id)) => {
            if let Some(n) = in_hand.get_mut(&account_id) {
                *n -= 1;
                if *n == 0 {
                    in_hand.remove(&account_id);
                }
            }
        }
        Ok(None) => {}
        // A job task that panicked: its account's count cannot be known, so start afresh
        // rather than starve that account.
        Err(e) => {
            tracing::error!(error = %e, "a job stopped abnormally");
            in_hand.clear();
        }
    }
}

/// Runs every job that is due now, one after the other; returns how many ran.
pub async fn run_due(db: &Db, delivery: &Delivery, worker: &str) -> Result<usize, String> {
    let mut ran = 0;
    while let Some(job) = jobs::claim(db, worker).await.map_err(|e| e.to_string())? {
        ran += run_one(db, delivery, worker, job).await;
    }
    Ok(ran)
}

/// Runs a claimed job (an event together with the other events due); returns how many jobs
/// that handled.
async fn run_one(db: &Db, delivery: &Delivery, worker: &str, job: Job) -> usize {
    let mut handled = 1;
    let result: Result<(), String> = match job.kind.as_str() {
        events::EVENT_JOB => match automation_runs::evaluate_events_from(db, &job, worker).await {
            Ok(n) => {
                handled = n;
                Ok(())
            }
            Err(e) => Err(e.to_string()),
        },
        automation_runs::RUN_JOB => automation_runs::run(db, delivery, &job)
            .await
            .map_err(|e| e.to_string()),
        automation_runs::REMINDER_JOB => automation_runs::remind(db, &job)
            .await
            .map_err(|e| e.to_string()),
        webhook_deliveries::JOB => webhook_deliveries::work(db, delivery, &job)
            .await
            .map_err(|e| e.to_string()),
        import::store::JOB => import::run::run(db, &job, worker)
            .await
            .map_err(|e| e.to_string()),
        housekeeping::JOB => housekeeping::purge(db, Utc::now())
            .await
            .map(|_| ())
            .map_err(|e| e.to_string()),
        passwords::RESET_JOB => passwords::send_reset(db, &job)
            .await
            .map_err(|e| e.to_string()),
        mail::MAIL_JOB => match job.payload["email_id"].as_i64() {
            Some(id) => mail::deliver(db, delivery.mailer.as_deref(), id).await,
            None => Ok(()),
        },
        other => {
            let _ = jobs::fail(db, job.id, worker, &format!("unknown job kind {other:?}")).await;
            return handled;
        }
    };
    let done = match result {
        Ok(()) => jobs::finish(db, job.id, worker).await,
        Err(e) if job.attempts < MAX_ATTEMPTS => {
            tracing::warn!(job = job.id, kind = %job.kind, error = %e, "job failed; retrying");
            let backoff = chrono::Duration::seconds(5 * 3_i64.pow(job.attempts as u32));
            jobs::retry_at(db, job.id, worker, &e, Utc::now() + backoff).await
        }
        Err(e) => {
            tracing::warn!(job = job.id, kind = %job.kind, error = %e, "job failed for good");
            jobs::fail(db, job.id, worker, &e).await
        }
    };
    if let Err(e) = done {
        tracing::warn!(job = job.id, error = %e, "could not record the job's outcome");
    }
    handled
}
