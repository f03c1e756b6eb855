//! Faults, on SQLite and PostgreSQL, with real `dealflow serve` processes under a mixed write
//! load (creates, stage moves; every create starts an automation): one instance is killed with
//! SIGKILL and started again — and on PostgreSQL the instances' database connections are also
//! cut mid-load. Afterwards every acknowledged write is there, positions in every stage are
//! dense and unique, and every job ran exactly once (no event evaluated twice, no action
//! repeated, none left behind).

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dealflow::domain::{positions, Plan};
use dealflow::server::db::{Backend, Db};
use dealflow::server::services::{accounts, automations, deals, Actor};
use serde_json::{json, Value};

use crate::fixtures::automation_body;
use crate::support::{backend_urls, free_port, wait_for, Instance};

/// Writes for `for_how_long` against `bases` from `clients` tasks; answers the titles of the
/// acknowledged creates.
async fn load(
    bases: Vec<String>,
    key: String,
    clients: usize,
    for_how_long: Duration,
) -> Vec<String> {
    let acked: Arc<Mutex<Vec<String>>> = Arc::default();
    let mut tasks = Vec::new();
    for c in 0..clients {
        let base = bases[c % bases.len()].clone();
        let (key, acked) = (key.clone(), acked.clone());
        tasks.push(tokio::spawn(async move {
            let http = reqwest::Client::builder()
                .timeout(Duration::from_secs(5))
                .build()
                .unwrap();
            let start = Instant::now();
            let mut mine: Vec<String> = Vec::new();
            let mut i = 0;
            while start.elapsed() < for_how_long {
                i += 1;
                let title = format!("load {c}-{i}");
                let res = http
                    .post(format!("{base}/v1/opportunities"))
                    .bearer_auth(&key)
                    .json(&json!({ "name": title }))
                    .send()
                    .await;
                if let Ok(r) = res {
                    if r.status().as_u16() == 201 {
                        let body: Value = r.json().await.unwrap_or(Value::Null);
                        acked.lock().unwrap().push(title.clone());
                        mine.push(body["id"].as_str().unwrap_or_default().to_string());
                    }
                }
                if i % 3 == 0 {
                    if let Some(id) = mine.get(i % mine.len().max(1)) {
                        let status = ["qualified", "proposal", "negotiation", "new"][i % 4];
                        let _ = http
                            .patch(format!("{base}/external/v1/opportunities/{id}/stage"))
                            .header("X-API-Key", &key)
                            .json(&json!({ "status": status }))
                            .send()
                            .await;
                    }
                }
            }
        }));
    }
    for t in tasks {
        let _ = t.await;
    }
    let out = acked.lock().unwrap().clone();
    out
}

#[tokio::test]
async fn writes_and_jobs_survive_killed_instances_and_cut_connections() {
    for url in backend_urls().await {
        let db = Db::connect(&url).await.unwrap();
        let postgres = db.backend == Backend::Postgres;
        let email = format!("owner-{}@faults.test", std::process::id());
        let account_id = accounts::create_account(
            &db,
            "Faults",
            Plan::Pro,
            &email,
            "Owner",
            "correct horse battery",
        )
        .await
        .unwrap();
        let actor = Actor {
            account_id,
            user_id: None,
        };
        automations::create(
            &db,
            actor,
            &automation_body(json!({"name": "count", "trigger": "DEAL_CREATED", "actions": [{"type": "send_notification", "title": "created {{title}}"}]})),
        )
        .await
        .unwrap();
        let key = dealflow::server::auth::api_keys::create_key(
            &db,
            account_id,
            None,
            "load",
            &["opportunities:write".to_string()],
            None,
        )
        .await
        .unwrap()
        .token;
        // On PostgreSQL the instances' connections carry a name, so that only they are cut.
        let tag = format!("dealflow_fault_{}", std::process::id());
        let app_url = if postgres {
            format!("{url}&application_name={tag}")
        } else {
            url.clone()
        };

        let port_a = free_port();
        let mut a = Instance::start(&app_url, port_a).await;
        let mut bases = vec![format!("http://127.0.0.1:{port_a}")];
        // On PostgreSQL a second instance shares the load and the database.
        let b = if postgres {
            let port_b = free_port();
            bases.push(format!("http://127.0.0.1:{port_b}"));
            Some(Instance::start(&app_url, port_b).await)
        } else {
            None
        };

        let load_task = tokio::spawn(load(bases, key.clone(), 6, Duration::from_secs(3)));
        tokio::time::sleep(Duration::from_millis(1000)).await;
        a.kill();
        if postgres {
            tokio::time::sleep(Duration::from_millis(500)).await;
            sqlx::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1")
                .bind(&tag)
                .execute(&db.pool)
                .await
                .unwrap();
        }
        let acked = load_task.await.unwrap();
        assert!(
            acked.len() > 10,
            "the load made too few writes ({})",
            acked.len()
        );
        let mut a = Instance::start(&app_url, free_port()).await;

        // Everything due is done, by whichever instance.
        wait_for(Duration::from_secs(60), "the jobs to drain", || async {
            let (open,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM jobs WHERE account_id = $1 AND status IN ('pending', 'running')",
            )
            .bind(account_id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
            (open == 0).then_some(())
        })
        .await;
        a.kill();
        if let Some(mut b) = b {
            b.kill();
        }

        // Every acknowledged create is there.
        let titles: Vec<(String,)> =
            sqlx::query_as("SELECT title FROM deals WHERE account_id = $1")
                .bind(account_id)
                .fetch_all(&db.pool)
                .await
                .unwrap();
        let titles: Vec<String> = titles.into_iter().map(|t| t.0).collect();
        for t in &acked {
            assert!(titles.contains(t), "acknowledged {t} is missing");
        }
        // No two cards of a stage share a position.
        for (stage, positions) in deals::stage_positions(&db, account_id).await.unwrap() {
            assert!(
                positions::is_strictly_ordered(&positions),
                "stage {stage}: {positions:?}"
            );
        }
        // Every created deal's event was evaluated once; every run ended, none was repeated.
        let (logs, completed, interrupted): (i64, i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), SUM(CASE WHEN status = 'COMPLETED' THEN 1 ELSE 0 END), \
             SUM(CASE WHEN status = 'FAILED' AND error LIKE 'interrupted%' THEN 1 ELSE 0 END) \
             FROM automation_logs WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(logs, titles.len() as i64, "one run per created deal");
        assert_eq!(completed + interrupted, logs, "every run ended");
        let (notes, distinct): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(*), COUNT(DISTINCT title) FROM notifications WHERE account_id = $1 AND title LIKE 'created %'",
        )
        .bind(account_id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(notes, distinct, "an action ran twice");
        assert!(notes >= completed, "a completed run lost its action");
    }
}
