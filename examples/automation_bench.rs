//! Automation throughput benchmark (not a test): how many events per second the worker
//! evaluates with 100 active automations, next to two baselines measured in the same run.
//!
//! `automation_bench [database url] [events]` (default: a fresh SQLite file, 5000 events).
//!
//! - **Dealflow**: `events` `DEAL_STAGE_CHANGED` events in the job table, 100 active
//!   automations on that trigger with one or two conditions each (a few match every event;
//!   their runs are delayed an hour, so this measures evaluation and scheduling, not actions);
//!   the worker drains the queue.
//! - **Queue floor**: the same number of jobs of a kind with nothing to evaluate, drained by the
//!   same worker: claiming and finishing a job is the least an event costs.
//! - **In memory**: the 100 automations' conditions evaluated against the same snapshot
//!   `events` times with no database at all: the ceiling of the rule engine.

use dealflow::domain::{AccountId, DealId, Plan};
use std::time::Instant;

use chrono::Utc;
use dealflow::domain::automation::{matches_all, Condition};
use dealflow::server::db::Db;
use dealflow::server::delivery::Delivery;
use dealflow::server::services::automations::events::{self, Subject};
use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::{accounts, automations, jobs, Actor};
use dealflow::server::worker;
use serde_json::json;

type Failure = Box<dyn std::error::Error + Send + Sync>;

const AUTOMATIONS: usize = 100;

#[tokio::main]
async fn main() -> Result<(), Failure> {
    let mut args = std::env::args().skip(1);
    let url = args.next().unwrap_or_else(|| {
        let path = std::env::temp_dir().join(format!(
            "dealflow-automation-bench-{}.db",
            std::process::id()
        ));
        format!("sqlite://{}", path.display())
    });
    let events: usize = args.next().map(|n| n.parse()).transpose()?.unwrap_or(5000);
    let db = Db::connect(&url).await?;
    db.migrate().await?;
    let email = format!("bench-{}@automations.test", Utc::now().timestamp_micros());
    let account_id = accounts::create_account(
        &db,
        "Bench",
        Plan::Pro,
        &email,
        "Bench",
        "correct horse battery",
    )
    .await?;
    let actor = Actor {
        account_id,
        user_id: None,
    };
    let deal = deals::create_deal(
        &db,
        actor,
        NewDeal {
            title: "Benchmark deal".into(),
            value_cents: 1_234_500,
            ..Default::default()
        },
    )
    .await?;

    let mut all_conditions: Vec<Vec<Condition>> = Vec::new();
    for i in 0..AUTOMATIONS {
        // Thresholds spread so that four of them match the deal's 12345.00.
        let threshold = 12_000 + (i as i64) * 100;
        let conditions = if i % 2 == 0 {
            json!([{"field": "value", "operator": "gt", "value": threshold}])
        } else {
            json!([{"field": "value", "operator": "gte", "value": threshold},
                   {"field": "title", "operator": "contains", "value": "benchmark"}])
        };
        let created = automations::create(
            &db,
            actor,
            &serde_json::from_value(json!({"name": format!("rule {i}"), "trigger": "DEAL_STAGE_CHANGED", "delayMinutes": 60,
                    "conditions": conditions, "actions": [{"type": "send_notification", "title": "x"}]}))?,
        )
        .await?;
        all_conditions.push(created.conditions);
    }
    let delivery = Delivery::default();

    // Baseline 1: the queue floor (jobs of a kind nobody evaluates; the worker just finishes them).
    enqueue(&db, events, None).await?;
    let start = Instant::now();
    let floor_ran = drain(&db, &delivery).await?;
    let floor = start.elapsed();

    // Dealflow: events evaluated against 100 automations.
    let deal_id = deal.id;
    enqueue(&db, events, Some((account_id, deal_id))).await?;
    let start = Instant::now();
    let ran = drain(&db, &delivery).await?;
    let evaluated = start.elapsed();
    let (matched,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM automation_logs WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(&db.pool)
            .await?;

    // Baseline 2: the rules alone, in memory.
    let snapshot = dealflow::server::services::automations::snapshots::deal_snapshot(
        &db,
        account_id,
        deal_id,
        &json!({"previousStage": "new"}),
    )
    .await?
    .ok_or("deal missing")?;
    let start = Instant::now();
    let mut hits = 0usize;
    for _ in 0..events {
        for c in &all_conditions {
            hits += usize::from(matches_all(std::hint::black_box(c), &snapshot));
        }
    }
    let memory = start.elapsed();

    let rate = |n: usize, d: std::time::Duration| n as f64 / d.as_secs_f64();
    let backend = if url.starts_with("postgres") {
        "PostgreSQL"
    } else {
        "SQLite"
    };
    println!("| Case ({backend}, {events} events, {AUTOMATIONS} automations) | events/s | ratio to queue floor |");
    println!("|---|---:|---:|");
    println!(
        "| Queue floor: claim + finish, nothing to evaluate ({floor_ran} jobs) | {:.0} | 100 % |",
        rate(floor_ran, floor)
    );
    println!(
        "| Dealflow: evaluate 100 automations, schedule {} matching runs | {:.0} | {:.0} % |",
        matched,
        rate(events, evaluated),
        100.0 * rate(events, evaluated) / rate(floor_ran, floor)
    );
    println!(
        "| In memory: conditions only ({hits} matches) | {:.0} | — |",
        rate(events, memory)
    );
    eprintln!("worker ran {ran} jobs");
    Ok(())
}

/// Writes `n` jobs, 500 to a transaction: deal events when `event` names `(account, deal)`,
/// else jobs with nothing to evaluate.
async fn enqueue(db: &Db, n: usize, event: Option<(AccountId, DealId)>) -> Result<(), Failure> {
    let mut left = n;
    while left > 0 {
        let batch = left.min(500);
        let mut tx = db.begin().await?;
        for _ in 0..batch {
            match event {
                Some((account_id, deal_id)) => {
                    events::record(
                        &mut tx,
                        account_id,
                        "DEAL_STAGE_CHANGED",
                        Subject::Deal(deal_id),
                        json!({"previousStage": "new"}),
                    )
                    .await?
                }
                None => {
                    jobs::enqueue(&mut tx, None, "send_email", &json!({}), Utc::now()).await?;
                }
            }
        }
        tx.commit().await?;
        left -= batch;
    }
    Ok(())
}

/// Runs the worker until nothing is due; returns how many jobs it ran.
async fn drain(db: &Db, delivery: &Delivery) -> Result<usize, Failure> {
    Ok(worker::run_due(db, delivery, "bench").await?)
}
