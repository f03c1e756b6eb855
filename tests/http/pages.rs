//! Every page, loaded 20 times with several requests in flight, from a real `dealflow serve`
//! process (multi-threaded, as in production) on the demo data of SQLite and PostgreSQL:
//! each answer is complete, and the server's log shows no panic (a panic drops the
//! connection, which a browser hides by retrying the GET).

use dealflow::domain::{AccountId, DealId, UserId};
use std::sync::Arc;
use std::time::Duration;

use crate::fixtures::automation_body;
use dealflow::server::db::Db;
use dealflow::server::services::{automations, demo, quotes, Actor};
use futures_util::stream::{self, StreamExt};
use serde_json::json;

use crate::support::{backend_urls, free_port, Instance, OnBackend};

/// Loads of each page.
const LOADS: usize = 20;
/// Requests in flight at once.
const IN_FLIGHT: usize = 8;

/// The first id of `sql` (which selects one id column of the demo account `$1`).
async fn first_id(db: &Db, account_id: AccountId, sql: &str) -> i64 {
    let (id,): (i64,) = sqlx::query_as(sql)
        .bind(account_id)
        .fetch_one(&db.pool)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    id
}

/// Every page of the app for the demo account (each kind with one of its records).
async fn pages(db: &Db, account_id: AccountId) -> Vec<String> {
    let owner: (UserId,) = sqlx::query_as(
        "SELECT id FROM users WHERE account_id = $1 AND role = 'owner' ORDER BY id LIMIT 1",
    )
    .bind(account_id)
    .fetch_one(&db.pool)
    .await
    .expect("owner");
    let actor = Actor {
        account_id,
        user_id: Some(owner.0),
    };
    let deal = first_id(
        db,
        account_id,
        "SELECT id FROM deals WHERE account_id = $1 ORDER BY id LIMIT 1",
    )
    .await;
    let quote = quotes::create_from_deal(db, actor, DealId(deal))
        .await
        .expect("quote");
    let token = quotes::get(db, actor, quote.id)
        .await
        .expect("quote")
        .public_token
        .expect("token");
    let automation = automations::create(
        db,
        actor,
        &automation_body(json!({"name": "Welcome", "trigger": "DEAL_CREATED",
                "actions": [{"type": "send_notification", "title": "New {{title}}"}]})),
    )
    .await
    .expect("automation");
    let contact = first_id(
        db,
        account_id,
        "SELECT id FROM contacts WHERE account_id = $1 ORDER BY id LIMIT 1",
    )
    .await;
    let organization = first_id(
        db,
        account_id,
        "SELECT id FROM organizations WHERE account_id = $1 ORDER BY id LIMIT 1",
    )
    .await;
    let pipeline = first_id(
        db,
        account_id,
        "SELECT id FROM pipelines WHERE account_id = $1 ORDER BY id LIMIT 1",
    )
    .await;
    vec![
        "/".into(),
        format!("/pipelines/{pipeline}"),
        "/activities".into(),
        "/leaderboard".into(),
        "/contacts".into(),
        format!("/contacts/{contact}"),
        "/organizations".into(),
        format!("/organizations/{organization}"),
        "/settings".into(),
        "/automations".into(),
        "/automations/new".into(),
        format!("/automations/{}", automation.id),
        format!("/automations/{}/logs", automation.id),
        "/outbox".into(),
        format!("/deals/{deal}"),
        format!("/quotes/{}", quote.id),
        format!("/q/{token}"),
        "/api/docs".into(),
    ]
}

#[tokio::test]
async fn every_page_answers_whole_twenty_times_under_concurrency() {
    for url in backend_urls().await {
        let db = Db::connect(&url).await.expect("connect");
        let _on = OnBackend(db.backend);
        let account_id = demo::load_demo(&db).await.expect("demo").account_id;
        let paths = pages(&db, account_id).await;
        let server = Instance::start(&url, free_port()).await;

        // A signed-in client that opens a new connection for every request, so that a dropped
        // connection is an error here rather than a quiet retry.
        let client = reqwest::Client::builder()
            .cookie_store(true)
            .redirect(reqwest::redirect::Policy::none())
            .pool_max_idle_per_host(0)
            .timeout(Duration::from_secs(60))
            .build()
            .expect("client");
        let login = client
            .post(server.url("/rpc/login"))
            .header("accept", "application/json")
            .form(&[
                ("email", demo::DEMO_OWNER_EMAIL),
                ("password", demo::DEMO_PASSWORD),
                ("next", "/"),
            ])
            .send()
            .await
            .expect("login");
        assert!(login.status().is_success(), "login: {}", login.status());

        let client = Arc::new(client);
        let requests = paths
            .iter()
            .flat_map(|p| std::iter::repeat_n(p.clone(), LOADS))
            .map(|path| {
                let (client, url) = (client.clone(), server.url(&path));
                async move {
                    let outcome = match client.get(&url).send().await {
                        Ok(res) => {
                            let status = res.status().as_u16();
                            match res.text().await {
                                Ok(body) if status == 200 && body.contains("</html>") => Ok(()),
                                Ok(body) => Err(format!("{status}, {} bytes", body.len())),
                                Err(e) => Err(format!("{status}, body cut: {e}")),
                            }
                        }
                        Err(e) => Err(format!("no answer: {e}")),
                    };
                    (path, outcome)
                }
            });
        let failures: Vec<String> = stream::iter(requests)
            .buffer_unordered(IN_FLIGHT)
            .filter_map(
                |(path, outcome)| async move { outcome.err().map(|e| format!("{path}: {e}")) },
            )
            .collect()
            .await;
        assert!(
            failures.is_empty(),
            "{} of {} loads failed:\n{}\nserver log:\n{}",
            failures.len(),
            paths.len() * LOADS,
            failures.join("\n"),
            server.log()
        );
        // Dropping the server checks its log for panics.
    }
}
