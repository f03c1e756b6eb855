//! Automations end to end, on SQLite and PostgreSQL: the `/api/automations` surface with its
//! validation and guards, webhooks delivered to a real local HTTP server (payload, headers,
//! 5-second limit), e-mail received by a real SMTP listener, a delayed run that survives a
//! killed server process, and two workers on one PostgreSQL running each job once.

use dealflow::domain::{AccountId, DealId, Plan};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use dealflow::server::db::{Backend, Db};
use dealflow::server::delivery::{mail::Mailer, webhook::WebhookPolicy, Delivery};
use dealflow::server::services::deals::closing;
use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::{accounts, automations, pipelines, Actor};
use dealflow::server::worker;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use crate::fixtures::automation_body;
use crate::receiver::{allow_local, Receiver};
use crate::support::{
    backend_urls, backends, free_port, fresh_db, wait_for, Instance, OnBackend, TestApp,
};

/// A message a test SMTP listener accepted.
#[derive(Debug, Clone, Default)]
pub(crate) struct Mail {
    pub from: String,
    pub to: Vec<String>,
    pub data: String,
}

/// A delivery that sends e-mail to a new [`smtp_listener`]; with that listener's inbox.
pub(crate) async fn smtp_delivery() -> (Delivery, Arc<Mutex<Vec<Mail>>>) {
    let (smtp, inbox) = smtp_listener().await;
    let mailer = Mailer::new(
        &format!("smtp://{smtp}"),
        "Dealflow <noreply@dealflow.test>",
    )
    .unwrap();
    let delivery = Delivery {
        mailer: Some(Arc::new(mailer)),
        webhooks: WebhookPolicy::default(),
    };
    (delivery, inbox)
}

/// A real SMTP listener on a loopback port that accepts every message.
pub(crate) async fn smtp_listener() -> (SocketAddr, Arc<Mutex<Vec<Mail>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let inbox: Arc<Mutex<Vec<Mail>>> = Arc::default();
    let store = inbox.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let store = store.clone();
            tokio::spawn(async move {
                let (read, mut write) = stream.into_split();
                let mut lines = BufReader::new(read).lines();
                let _ = write.write_all(b"220 test.local ESMTP\r\n").await;
                let mut mail = Mail::default();
                while let Ok(Some(line)) = lines.next_line().await {
                    let upper = line.to_ascii_uppercase();
                    let reply: &[u8] = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
                        b"250-test.local\r\n250 8BITMIME\r\n"
                    } else if upper.starts_with("MAIL FROM:") {
                        mail.from = line[10..].trim().to_string();
                        b"250 OK\r\n"
                    } else if upper.starts_with("RCPT TO:") {
                        mail.to.push(line[8..].trim().to_string());
                        b"250 OK\r\n"
                    } else if upper == "DATA" {
                        let _ = write.write_all(b"354 go on\r\n").await;
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            mail.data.push_str(&l);
                            mail.data.push('\n');
                        }
                        store.lock().unwrap().push(std::mem::take(&mut mail));
                        b"250 queued\r\n"
                    } else if upper == "QUIT" {
                        let _ = write.write_all(b"221 bye\r\n").await;
                        break;
                    } else {
                        b"250 OK\r\n"
                    };
                    if write.write_all(reply).await.is_err() {
                        break;
                    }
                }
            });
        }
    });
    (addr, inbox)
}

async fn new_deal(db: &Db, account_id: AccountId, title: &str, value_cents: i64) -> DealId {
    let actor = Actor {
        account_id,
        user_id: None,
    };
    deals::create_deal(
        db,
        actor,
        NewDeal {
            title: title.into(),
            value_cents,
            ..Default::default()
        },
    )
    .await
    .expect("deal")
    .id
}

/// Creates an automation through the API; answers its id.
async fn create_automation(app: &TestApp, key: &str, body: &Value) -> String {
    let (status, created) = app
        .call(
            "POST",
            "/api/automations",
            Some(key),
            Some(&body.to_string()),
        )
        .await;
    assert_eq!(status, 201, "{created}");
    created["id"].as_str().unwrap().to_string()
}

async fn logs_of(app: &TestApp, key: &str, id: &str, query: &str) -> Value {
    let (status, body) = app
        .call(
            "GET",
            &format!("/api/automations/{id}/logs{query}"),
            Some(key),
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    body
}

/// Waits until the automation has `n` finished runs; returns the log page.
async fn finished_runs(app: &TestApp, key: &str, id: &str, n: usize) -> Value {
    wait_for(Duration::from_secs(30), "finished runs", || async {
        let body = logs_of(app, key, id, "?limit=100").await;
        let done = body["logs"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|l| l["status"] != "TRIGGERED")
            .count();
        (done >= n).then_some(body)
    })
    .await
}

#[tokio::test]
async fn webhook_gets_the_documented_payload_and_the_log_pages() {
    for db in backends().await {
        let app = TestApp::start_with_worker(db, allow_local()).await;
        let hooks = Receiver::start().await;
        let (account_id, _, _) = app.account("Hooks").await;
        let key = app.api_key(account_id, &["config:manage"]).await;
        let body = json!({
            "name": "Big wins to the ERP",
            "trigger": "DEAL_WON",
            "conditions": [{"field": "value", "operator": "gt", "value": 1000}],
            "actions": [{"type": "fire_webhook", "url": hooks.url("/hook"),
                         "headers": {"Authorization": "Bearer mi-token-secreto"}}],
        });
        let (status, created) = app
            .call(
                "POST",
                "/api/automations",
                Some(&key),
                Some(&body.to_string()),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["name"], "Big wins to the ERP");
        assert_eq!(created["trigger"], "DEAL_WON");
        assert_eq!(created["isActive"], true);
        assert_eq!(created["delayMinutes"], 0);
        assert_eq!(created["_count"]["logs"], 0);
        assert_eq!(
            created["actions"][0]["includeItems"], true,
            "includeItems defaults to true"
        );
        let created_at = created["createdAt"].as_str().unwrap();
        assert!(
            created_at.ends_with('Z') && created_at.len() == 24,
            "{created_at}"
        );
        let id = created["id"].as_str().unwrap().to_string();

        let actor = Actor {
            account_id,
            user_id: None,
        };
        let small = new_deal(&app.db, account_id, "Small", 50_000).await;
        closing::mark_won(&app.db, actor, small, None, "")
            .await
            .unwrap();
        for i in 0..3 {
            let big = new_deal(&app.db, account_id, &format!("Big {i}"), 250_000).await;
            closing::mark_won(&app.db, actor, big, None, "")
                .await
                .unwrap();
        }
        let page = finished_runs(&app, &key, &id, 3).await;
        assert_eq!(page["total"], 3, "only deals over 1000 match: {page}");
        for log in page["logs"].as_array().unwrap() {
            assert_eq!(log["status"], "COMPLETED", "{log}");
            assert_eq!(log["automationId"], id.as_str());
            assert_eq!(log["tenantId"], account_id.to_string());
            assert!(log["error"].is_null());
            assert!(log["completedAt"].is_string());
            assert!(log["dealId"].as_str().unwrap().starts_with("opp_"));
        }
        let got = hooks.received_at("/hook");
        assert_eq!(got.len(), 3);
        let first = &got[0];
        assert_eq!(
            first.headers.get("authorization").unwrap(),
            "Bearer mi-token-secreto"
        );
        assert!(first
            .headers
            .get("content-type")
            .unwrap()
            .to_str()
            .unwrap()
            .starts_with("application/json"));
        assert_eq!(first.body["event"], "DEAL_WON");
        assert!(first.body["timestamp"].as_str().unwrap().ends_with('Z'));
        let deal = &first.body["data"]["deal"];
        assert_eq!(deal["title"], "Big 0");
        assert_eq!(deal["value"], 2500.0);
        assert_eq!(deal["status"], "won");

        // Pages of the log, and the counts on the list.
        let p = logs_of(&app, &key, &id, "?page=2&limit=2").await;
        assert_eq!(
            (
                p["total"].as_i64(),
                p["page"].as_i64(),
                p["totalPages"].as_i64()
            ),
            (Some(3), Some(2), Some(2))
        );
        assert_eq!(p["logs"].as_array().unwrap().len(), 1);
        let p = logs_of(&app, &key, &id, "?status=FAILED").await;
        assert_eq!(p["total"], 0);
        let (_, list) = app.call("GET", "/api/automations", Some(&key), None).await;
        assert_eq!(list[0]["_count"]["logs"], 3);
        let (_, one) = app
            .call("GET", &format!("/api/automations/{id}"), Some(&key), None)
            .await;
        assert_eq!(one["logs"].as_array().unwrap().len(), 3);

        // Switched off, it records nothing more (not even an event to evaluate).
        let (status, off) = app
            .call(
                "PATCH",
                &format!("/api/automations/{id}"),
                Some(&key),
                Some(r#"{"isActive": false}"#),
            )
            .await;
        assert_eq!((status, off["isActive"].clone()), (200, json!(false)));
        let pending_before: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let later = new_deal(&app.db, account_id, "Later", 900_000).await;
        closing::mark_won(&app.db, actor, later, None, "")
            .await
            .unwrap();
        let pending_after: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(pending_before, pending_after);

        // Deleting removes the automation and its logs.
        let (status, deleted) = app
            .call(
                "DELETE",
                &format!("/api/automations/{id}"),
                Some(&key),
                None,
            )
            .await;
        assert_eq!((status, deleted), (200, json!({"ok": true})));
        let (status, _) = app
            .call("GET", &format!("/api/automations/{id}"), Some(&key), None)
            .await;
        assert_eq!(status, 404);
        let logs: (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM automation_logs WHERE account_id = $1")
                .bind(account_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(logs.0, 0);
    }
}

#[tokio::test]
async fn slow_or_failing_webhooks_fail_the_run_with_the_reason() {
    for db in backends().await {
        let app = TestApp::start_with_worker(db, allow_local()).await;
        let hooks = Receiver::start().await;
        let (account_id, _, _) = app.account("Slow").await;
        let key = app.api_key(account_id, &["config:manage"]).await;
        let mut ids = Vec::new();
        for path in ["/slow", "/fail"] {
            let body = json!({
                "name": format!("hook {path}"),
                "trigger": "DEAL_CREATED",
                "actions": [{"type": "fire_webhook", "url": hooks.url(path)},
                            {"type": "send_notification", "title": "never reached"}],
            });
            ids.push(create_automation(&app, &key, &body).await);
        }
        new_deal(&app.db, account_id, "Anything", 100).await;

        let slow = finished_runs(&app, &key, &ids[0], 1).await;
        let log = &slow["logs"][0];
        assert_eq!(log["status"], "FAILED", "{log}");
        assert!(
            log["error"]
                .as_str()
                .unwrap()
                .contains("timed out after 5 s"),
            "{log}"
        );
        let started =
            chrono::DateTime::parse_from_rfc3339(log["triggeredAt"].as_str().unwrap()).unwrap();
        let ended =
            chrono::DateTime::parse_from_rfc3339(log["completedAt"].as_str().unwrap()).unwrap();
        let took = (ended - started).num_milliseconds();
        assert!(
            (4_900..6_000).contains(&took),
            "gave up after {took} ms, not ~5 s"
        );

        let failing = finished_runs(&app, &key, &ids[1], 1).await;
        let log = &failing["logs"][0];
        assert_eq!(log["status"], "FAILED");
        assert!(log["error"].as_str().unwrap().contains("HTTP 500"), "{log}");
        // The actions after the failing one did not run.
        let notes: (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND title = 'never reached'",
        )
        .bind(account_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(notes.0, 0);
    }
}

#[tokio::test]
async fn email_reaches_a_real_smtp_listener_and_the_outbox() {
    for db in backends().await {
        let (delivery, inbox) = smtp_delivery().await;
        let app = TestApp::start_with_worker(db, delivery).await;
        let (account_id, _, _) = app.account("Mail").await;
        let key = app.api_key(account_id, &["config:manage"]).await;
        let body = json!({
            "name": "Tell the boss",
            "trigger": "DEAL_CREATED",
            "actions": [{"type": "send_email", "to": "custom", "customEmail": "boss@example.test",
                         "subject": "New deal: {{title}}", "body": "Worth {{value}} {{currency}}."}],
        });
        let (status, created) = app
            .call(
                "POST",
                "/api/automations",
                Some(&key),
                Some(&body.to_string()),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        new_deal(&app.db, account_id, "Acme renewal", 1_250_050).await;
        let mail = wait_for(Duration::from_secs(30), "an e-mail", || async {
            inbox.lock().unwrap().first().cloned()
        })
        .await;
        assert_eq!(mail.to, vec!["<boss@example.test>".to_string()]);
        assert!(mail.from.contains("noreply@dealflow.test"));
        assert!(
            mail.data.contains("Subject: New deal: Acme renewal"),
            "{}",
            mail.data
        );
        assert!(mail.data.contains("Worth 12500.5 USD."), "{}", mail.data);
        let id = created["id"].as_str().unwrap();
        let runs = finished_runs(&app, &key, id, 1).await;
        assert_eq!(runs["logs"][0]["status"], "COMPLETED");
        let outbox: (String, String, Option<String>) = sqlx::query_as(
            "SELECT to_address, status, sent_at FROM outgoing_emails WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(outbox.0, "boss@example.test");
        assert_eq!(outbox.1, "sent");
        assert!(outbox.2.is_some());
    }
}

#[tokio::test]
async fn the_api_checks_keys_plans_and_every_field() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Guarded").await;
        let key = app.api_key(account_id, &["config:manage"]).await;
        let reader = app.api_key(account_id, &["deals:read"]).await;
        let valid = json!({"name": "Ok", "trigger": "QUOTE_SENT",
                           "conditions": [{"field": "total", "operator": "gt", "value": 10000}],
                           "actions": [{"type": "send_notification", "title": "Big quote sent"}]});

        let (status, body) = app.call("GET", "/api/automations", None, None).await;
        assert_eq!(
            (status, body["error"]["code"].clone()),
            (401, json!("UNAUTHORIZED"))
        );
        let (status, body) = app
            .call("GET", "/api/automations", Some(&reader), None)
            .await;
        assert_eq!(
            (status, body["error"]["code"].clone()),
            (403, json!("FORBIDDEN"))
        );
        let (status, body) = app
            .call(
                "POST",
                "/api/automations",
                Some(&reader),
                Some(&valid.to_string()),
            )
            .await;
        assert_eq!(status, 403, "{body}");

        // Each bad field: 422 naming it; nothing saved.
        let cases: Vec<(Value, &str)> = vec![
            (
                json!({"trigger": "QUOTE_SENT", "actions": [{"type": "send_notification", "title": "t"}]}),
                "name",
            ),
            (
                json!({"name": "", "trigger": "QUOTE_SENT", "actions": [{"type": "send_notification", "title": "t"}]}),
                "name",
            ),
            (
                json!({"name": "x".repeat(101), "trigger": "QUOTE_SENT", "actions": [{"type": "send_notification", "title": "t"}]}),
                "name",
            ),
            (
                json!({"name": "n", "trigger": "QUOTE_PAID", "actions": [{"type": "send_notification", "title": "t"}]}),
                "trigger",
            ),
            (
                json!({"name": "n", "trigger": "QUOTE_SENT", "actions": []}),
                "actions",
            ),
            (json!({"name": "n", "trigger": "QUOTE_SENT"}), "actions"),
            (
                json!({"name": "n", "trigger": "QUOTE_SENT", "conditions": [{"field": "total", "operator": "contains", "value": "1"}],
                    "actions": [{"type": "send_notification", "title": "t"}]}),
                "conditions[0].operator",
            ),
            (
                json!({"name": "n", "trigger": "QUOTE_SENT", "conditions": [{"field": "total", "operator": "gt"}],
                    "actions": [{"type": "send_notification", "title": "t"}]}),
                "conditions[0].value",
            ),
            (
                json!({"name": "n", "trigger": "QUOTE_SENT", "conditions": [{"field": "client.phone", "operator": "starts_with", "value": "+52"}],
                    "actions": [{"type": "send_notification", "title": "t"}]}),
                "conditions[0].operator",
            ),
            (
                json!({"name": "n", "trigger": "QUOTE_SENT", "conditions": [{"field": "owner", "operator": "eq", "value": "x"}],
                    "actions": [{"type": "send_notification", "title": "t"}]}),
                "conditions[0].field",
            ),
            (
                json!({"name": "n", "trigger": "QUOTE_SENT", "actions": [{"type": "send_email", "to": "custom", "subject": "s", "body": "b"}]}),
                "actions[0].customEmail",
            ),
            (
                json!({"name": "n", "trigger": "QUOTE_SENT", "actions": [{"type": "change_status", "newStatus": "PAID"}]}),
                "actions[0].newStatus",
            ),
            (
                json!({"name": "n", "trigger": "DEAL_WON", "actions": [{"type": "change_status", "newStatus": "WON"}]}),
                "actions[0].type",
            ),
            (
                json!({"name": "n", "trigger": "QUOTE_SENT", "actions": [{"type": "add_label", "labelId": "nope"}]}),
                "actions[0].labelId",
            ),
            (
                json!({"name": "n", "trigger": "QUOTE_SENT", "actions": [{"type": "fire_webhook", "url": "not a url"}]}),
                "actions[0].url",
            ),
            (
                json!({"name": "n", "trigger": "QUOTE_SENT", "delayMinutes": -1, "actions": [{"type": "send_notification", "title": "t"}]}),
                "delayMinutes",
            ),
            (
                json!({"name": "n", "trigger": "QUOTE_SENT", "isActive": "yes", "actions": [{"type": "send_notification", "title": "t"}]}),
                "isActive",
            ),
        ];
        for (body, field) in cases {
            let (status, err) = app
                .call(
                    "POST",
                    "/api/automations",
                    Some(&key),
                    Some(&body.to_string()),
                )
                .await;
            assert_eq!(status, 422, "{body} → {err}");
            assert_eq!(err["error"]["code"], "VALIDATION_ERROR");
            assert_eq!(err["error"]["field"], field, "{body} → {err}");
        }
        let (status, err) = app
            .call("POST", "/api/automations", Some(&key), Some("{not json"))
            .await;
        assert_eq!(
            (status, err["error"]["code"].clone()),
            (400, json!("INVALID_JSON"))
        );
        let (_, list) = app.call("GET", "/api/automations", Some(&key), None).await;
        assert_eq!(list, json!([]), "refused automations are not saved");

        // A valid one; a change that breaks it is refused whole.
        let (status, created) = app
            .call(
                "POST",
                "/api/automations",
                Some(&key),
                Some(&valid.to_string()),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        let id = created["id"].as_str().unwrap();
        let path = format!("/api/automations/{id}");
        let (status, err) = app
            .call(
                "PATCH",
                &path,
                Some(&key),
                Some(r#"{"trigger": "DEAL_WON"}"#),
            )
            .await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("conditions[0].field"))
        );
        let (status, renamed) = app
            .call(
                "PATCH",
                &path,
                Some(&key),
                Some(r#"{"name": "Renamed", "delayMinutes": 5}"#),
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(renamed["name"], "Renamed");
        assert_eq!(renamed["delayMinutes"], 5);
        assert_eq!(renamed["trigger"], "QUOTE_SENT", "omitted fields stay");
        assert_eq!(renamed["conditions"], created["conditions"]);

        // Log paging limits.
        for q in ["?limit=101", "?limit=0", "?page=0", "?limit=x"] {
            let (status, _) = app
                .call("GET", &format!("{path}/logs{q}"), Some(&key), None)
                .await;
            assert_eq!(status, 422, "{q}");
        }

        // Another account sees none of it; an account off the PRO plan gets 402.
        let (other, _, _) = app.account("Other").await;
        let other_key = app.api_key(other, &["config:manage"]).await;
        for (method, p) in [
            ("GET", path.clone()),
            ("PATCH", path.clone()),
            ("DELETE", path.clone()),
            ("GET", format!("{path}/logs")),
        ] {
            let body = (method == "PATCH").then_some(r#"{"isActive": false}"#);
            let (status, _) = app.call(method, &p, Some(&other_key), body).await;
            assert_eq!(status, 404, "{method} {p}");
        }
        sqlx::query("UPDATE accounts SET plan = 'free' WHERE id = $1")
            .bind(other)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (status, err) = app
            .call("GET", "/api/automations", Some(&other_key), None)
            .await;
        assert_eq!(status, 402);
        assert_eq!(err["error"]["code"], "PLAN_REQUIRED");
        assert!(err["error"]["message"].as_str().unwrap().contains("PRO"));
    }
}

#[tokio::test]
async fn a_delayed_run_survives_a_killed_server() {
    for url in backend_urls().await {
        let db = Db::connect(&url).await.unwrap();
        let email = format!("owner-{}@restart.test", std::process::id());
        let account_id = accounts::create_account(
            &db,
            "Restart",
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
        let automation = automations::create(
            &db,
            actor,
            &automation_body(
                json!({"name": "Follow up tomorrow", "trigger": "DEAL_CREATED", "delayMinutes": 60,
                    "actions": [{"type": "send_notification", "title": "Follow up {{title}}"}]}),
            ),
        )
        .await
        .unwrap();
        let key = dealflow::server::auth::api_keys::create_key(
            &db,
            account_id,
            None,
            "restart",
            &["opportunities:write".to_string()],
            None,
        )
        .await
        .unwrap()
        .token;

        let port = free_port();
        let mut first = Instance::start(&url, port).await;
        let res = reqwest::Client::new()
            .post(format!("http://127.0.0.1:{port}/v1/opportunities"))
            .bearer_auth(&key)
            .json(&json!({"name": "Kiosk rollout"}))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 201);
        // The first server evaluates the event and schedules the run an hour ahead ...
        wait_for(Duration::from_secs(30), "the TRIGGERED log", || async {
            let row: Option<(String,)> =
                sqlx::query_as("SELECT status FROM automation_logs WHERE account_id = $1")
                    .bind(account_id)
                    .fetch_optional(&db.pool)
                    .await
                    .unwrap();
            row.filter(|r| r.0 == "TRIGGERED")
        })
        .await;
        // ... and dies.
        first.kill();
        // While it is down, the run comes due.
        sqlx::query(
            "UPDATE jobs SET run_at = $1 WHERE kind = 'automation_run' AND account_id = $2",
        )
        .bind("2000-01-01T00:00:00.000000Z")
        .bind(account_id)
        .execute(&db.pool)
        .await
        .unwrap();
        let mut second = Instance::start(&url, free_port()).await;
        let title = wait_for(Duration::from_secs(30), "the notification", || async {
            let row: Option<(String,)> = sqlx::query_as(
                "SELECT title FROM notifications WHERE account_id = $1 AND title LIKE 'Follow up%'",
            )
            .bind(account_id)
            .fetch_optional(&db.pool)
            .await
            .unwrap();
            row
        })
        .await;
        second.kill();
        assert_eq!(title.0, "Follow up Kiosk rollout");
        let (logs, _) = automations::logs(&db, actor, &automation.id, 1, 10, None)
            .await
            .unwrap();
        assert_eq!(logs.len(), 1);
        assert_eq!(logs[0].status, "COMPLETED");
    }
}

#[tokio::test]
async fn a_database_failure_under_an_action_is_not_the_actions_failure() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let email = format!("owner-{}@broken.test", std::process::id());
        let account_id = accounts::create_account(
            &db,
            "Broken",
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
            &automation_body(
                json!({"name": "Later", "trigger": "DEAL_CREATED", "delayMinutes": 60,
                "actions": [{"type": "send_notification", "title": "later {{title}}"}]}),
            ),
        )
        .await
        .unwrap();
        new_deal(&db, account_id, "Cut", 100).await;
        let delivery = allow_local();
        let make_due = || async {
            sqlx::query(
                "UPDATE jobs SET run_at = $1 WHERE kind = 'automation_run' AND account_id = $2",
            )
            .bind("2000-01-01T00:00:00.000000Z")
            .bind(account_id)
            .execute(&db.pool)
            .await
            .unwrap();
        };
        let log = || async {
            let row: (String, Option<String>, Option<String>) = sqlx::query_as(
                "SELECT status, error, started_at FROM automation_logs WHERE account_id = $1",
            )
            .bind(account_id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
            row
        };
        // The event is evaluated; the run waits for its hour.
        worker::run_due(&db, &delivery, "w").await.unwrap();
        assert_eq!(log().await.0, "TRIGGERED");
        // The run comes due while the database cannot take the notification.
        sqlx::query("ALTER TABLE notifications RENAME TO notifications_away")
            .execute(&db.pool)
            .await
            .unwrap();
        make_due().await;
        worker::run_due(&db, &delivery, "w").await.unwrap();
        let (status, error, started) = log().await;
        assert_eq!(
            status, "TRIGGERED",
            "the run was judged on a database failure: {error:?}"
        );
        assert!(started.is_some(), "the run had started");
        let (job_status, last_error): (String, Option<String>) = sqlx::query_as(
            "SELECT status, last_error FROM jobs WHERE kind = 'automation_run' AND account_id = $1",
        )
        .bind(account_id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
        assert_eq!(job_status, "pending", "the job is tried again");
        assert!(last_error.is_some_and(|e| e.contains("database")));
        // The database is back: the retry closes the run as interrupted, not run twice.
        sqlx::query("ALTER TABLE notifications_away RENAME TO notifications")
            .execute(&db.pool)
            .await
            .unwrap();
        make_due().await;
        worker::run_due(&db, &delivery, "w").await.unwrap();
        let (status, error, _) = log().await;
        assert_eq!(status, "FAILED");
        assert!(
            error
                .as_deref()
                .is_some_and(|e| e.starts_with("interrupted")),
            "{error:?}"
        );
    }
}

#[tokio::test]
async fn two_workers_on_postgres_run_each_job_once() {
    let Some(db) = fresh_db(Backend::Postgres).await else {
        return;
    };
    let app = TestApp::start(db).await;
    let (account_id, _, _) = app.account("Twins").await;
    let actor = Actor {
        account_id,
        user_id: None,
    };
    automations::create(
        &app.db,
        actor,
        &automation_body(json!({"name": "Count", "trigger": "DEAL_CREATED",
                "actions": [{"type": "send_notification", "title": "counted {{title}}"}]})),
    )
    .await
    .unwrap();
    const N: usize = 40;
    for i in 0..N {
        new_deal(&app.db, account_id, &format!("d{i}"), 100).await;
    }
    // Two workers, each with its own connections, as two app instances would have.
    let a = app.db.clone();
    let b = Db::from_pool(
        sqlx::any::AnyPoolOptions::new()
            .max_connections(4)
            .connect_with(app.db.pool.connect_options().as_ref().clone())
            .await
            .unwrap(),
        Backend::Postgres,
    );
    let delivery = allow_local();
    let (ran_a, ran_b) = tokio::join!(
        async {
            let mut n = 0;
            for _ in 0..20 {
                n += worker::run_due(&a, &delivery, "worker-a").await.unwrap();
            }
            n
        },
        async {
            let mut n = 0;
            for _ in 0..20 {
                n += worker::run_due(&b, &delivery, "worker-b").await.unwrap();
            }
            n
        }
    );
    assert_eq!(
        ran_a + ran_b,
        2 * N,
        "each event and each run claimed once (a: {ran_a}, b: {ran_b})"
    );
    let counts: (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), COUNT(DISTINCT title) FROM notifications WHERE account_id = $1 AND title LIKE 'counted %'",
    )
    .bind(account_id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(counts, (N as i64, N as i64));
    let logs: (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM automation_logs WHERE account_id = $1 AND status = 'COMPLETED'",
    )
    .bind(account_id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(logs.0, N as i64);
    let jobs: (i64, i64) = sqlx::query_as(
        "SELECT COUNT(*), MAX(attempts) FROM jobs WHERE account_id = $1 AND status = 'done'",
    )
    .bind(account_id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    assert_eq!(jobs, (2 * N as i64, 1));
}

#[tokio::test]
async fn a_sent_quote_runs_every_kind_of_action_with_the_documented_payload() {
    use dealflow::server::services::contacts::{self, NewContact};
    use dealflow::server::services::organizations;
    use dealflow::server::services::quotes::{self, NewItem, NewQuote};
    for db in backends().await {
        let app = TestApp::start_with_worker(db, allow_local()).await;
        let hooks = Receiver::start().await;
        let (account_id, _, _) = app.account("Quotes").await;
        let actor = Actor {
            account_id,
            user_id: None,
        };
        let org = organizations::create_organization(&app.db, actor, "Acme Corp")
            .await
            .unwrap();
        let contact = contacts::create_contact(
            &app.db,
            actor,
            NewContact {
                full_name: "María López".into(),
                email: Some("maria@acme.com".into()),
                phone: None,
                organization_id: Some(org),
            },
        )
        .await
        .unwrap();
        let deal = deals::create_deal(
            &app.db,
            actor,
            NewDeal {
                title: "Acme premium".into(),
                contact_id: Some(contact.id),
                organization_id: Some(org),
                currency: Some("MXN".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let label = uuid::Uuid::new_v4().simple().to_string();
        sqlx::query(
            "INSERT INTO labels (account_id, uuid, name, created_at) VALUES ($1, $2, 'hot', $3)",
        )
        .bind(account_id)
        .bind(&label)
        .bind(dealflow::server::db::now())
        .execute(&app.db.pool)
        .await
        .unwrap();
        let key = app.api_key(account_id, &["config:manage"]).await;
        let body = json!({
            "name": "Email al enviar cotización grande",
            "trigger": "QUOTE_SENT",
            "conditions": [
                {"field": "total", "operator": "gt", "value": 10000},
                {"field": "client.companyName", "operator": "is_not_empty"},
                {"field": "items.productName", "operator": "starts_with", "value": "Servicio"}
            ],
            "actions": [
                {"type": "fire_webhook", "url": hooks.url("/hook")},
                {"type": "add_label", "labelId": label},
                {"type": "change_status", "newStatus": "ACCEPTED"},
                {"type": "create_reminder", "delayMinutes": 0, "message": "Dar seguimiento a COT-{{quoteNumber}}"},
                {"type": "send_notification", "title": "Cotización {{quoteNumber}} enviada", "body": "{{client.contactName}}"}
            ],
        });
        let (status, created) = app
            .call(
                "POST",
                "/api/automations",
                Some(&key),
                Some(&body.to_string()),
            )
            .await;
        assert_eq!(status, 201, "{created}");

        let item = |name: &str, price: &str| NewItem {
            product_name: name.into(),
            model: "SRV-001".into(),
            unit_price: price.into(),
            quantity: 1,
            discount_pct: "0".into(),
        };
        let new = NewQuote {
            deal_id: deal.id,
            items: vec![item("Servicio premium", "13000")],
            tax: "1500".into(),
            shipping: "500".into(),
            notes: "Entrega en 2 semanas".into(),
            valid_until: None,
            currency: "MXN".into(),
        };
        let quote = quotes::create(&app.db, actor, &new).await.unwrap();
        // A small quote does not qualify.
        let small = NewQuote {
            items: vec![item("Servicio básico", "900")],
            ..new.clone()
        };
        let small = quotes::create(&app.db, actor, &small).await.unwrap();
        quotes::send(&app.db, actor, small.id, "http://crm.test")
            .await
            .unwrap();
        quotes::send(&app.db, actor, quote.id, "http://crm.test")
            .await
            .unwrap();

        let id = created["id"].as_str().unwrap();
        let runs = finished_runs(&app, &key, id, 1).await;
        assert_eq!(runs["total"], 1, "only the big quote qualifies: {runs}");
        assert_eq!(runs["logs"][0]["status"], "COMPLETED", "{runs}");
        let got = hooks.received_at("/hook");
        assert_eq!(got.len(), 1);
        let p = &got[0].body;
        assert_eq!(p["event"], "QUOTE_SENT");
        let q = &p["data"]["quote"];
        assert_eq!(runs["logs"][0]["quoteId"], q["id"]);
        assert_eq!(q["quoteNumber"], quote.number);
        assert_eq!(q["status"], "SENT");
        assert_eq!(q["total"], 15000.0);
        assert_eq!(q["subtotal"], 13000.0);
        assert_eq!(q["currency"], "MXN");
        assert_eq!(q["notes"], "Entrega en 2 semanas");
        assert_eq!(q["client"]["contactName"], "María López");
        assert_eq!(q["client"]["companyName"], "Acme Corp");
        assert_eq!(q["client"]["email"], "maria@acme.com");
        assert!(q["client"]["id"].is_string());
        assert_eq!(
            q["items"],
            json!([{"productName": "Servicio premium", "model": "SRV-001", "unitPrice": 13000.0, "quantity": 1, "discountPct": 0.0}])
        );

        // The other actions, in order: label, status, reminder task (+ its notification), notification.
        let after = quotes::get(&app.db, actor, quote.id).await.unwrap();
        assert_eq!(after.status, "ACCEPTED");
        assert_eq!(after.labels.len(), 1);
        assert_eq!(after.labels[0].name, "hot");
        let task: (String, String, Option<DealId>) = sqlx::query_as(
            "SELECT kind, title, deal_id FROM activities WHERE account_id = $1 AND title LIKE 'Dar seguimiento%'",
        )
        .bind(account_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(
            task,
            (
                "task".into(),
                format!("Dar seguimiento a COT-{}", quote.number),
                Some(deal.id)
            )
        );
        let titles = wait_for(Duration::from_secs(20), "both notifications", || async {
            let rows: Vec<(String,)> =
                sqlx::query_as("SELECT title FROM notifications WHERE account_id = $1 ORDER BY id")
                    .bind(account_id)
                    .fetch_all(&app.db.pool)
                    .await
                    .unwrap();
            let titles: Vec<String> = rows.into_iter().map(|r| r.0).collect();
            (titles.iter().any(|t| t.starts_with("Reminder:"))
                && titles.iter().any(|t| t.starts_with("Cotización")))
            .then_some(titles)
        })
        .await;
        assert!(
            titles.contains(&format!(
                "Cotización {} enviada — María López",
                quote.number
            )),
            "{titles:?}"
        );
        assert!(
            titles.contains(&format!("Reminder: Dar seguimiento a COT-{}", quote.number)),
            "{titles:?}"
        );
    }
}

#[tokio::test]
async fn the_automations_document_replays_literally() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Documento").await;
        let key = app.api_key(account_id, &["config:manage"]).await;
        // The label the document's add_label example names.
        sqlx::query("INSERT INTO labels (account_id, uuid, name, created_at) VALUES ($1, 'clxyz...', 'seguimiento', $2)")
            .bind(account_id)
            .bind(dealflow::server::db::now())
            .execute(&app.db.pool)
            .await
            .unwrap();

        // "Crear Automatización", the request body as printed.
        let create = r#"{
"name": "Email al enviar cotización grande",
"trigger": "QUOTE_SENT",
"conditions": [
{ "field": "total", "operator": "gt", "value": 10000 },
{ "field": "client.companyName", "operator": "is_not_empty" }
],
"actions": [
{
"type": "send_email",
"to": "client",
"subject": "Tu cotización está lista",
"body": "Gracias por tu interés. Adjuntamos tu cotización."
}
],
"delayMinutes": 5
}"#;
        let (status, a) = app
            .call("POST", "/api/automations", Some(&key), Some(create))
            .await;
        assert_eq!(status, 201, "{a}");
        assert_eq!(a["name"], "Email al enviar cotización grande");
        assert_eq!(a["trigger"], "QUOTE_SENT");
        assert_eq!(a["isActive"], true);
        assert_eq!(
            a["conditions"],
            json!([{"field": "total", "operator": "gt", "value": 10000}, {"field": "client.companyName", "operator": "is_not_empty"}])
        );
        assert_eq!(
            a["actions"],
            json!([{"type": "send_email", "to": "client", "subject": "Tu cotización está lista", "body": "Gracias por tu interés. Adjuntamos tu cotización."}])
        );
        assert_eq!(a["delayMinutes"], 5);
        assert_eq!(a["_count"], json!({"logs": 0}));
        let id = a["id"].as_str().unwrap().to_string();

        // The list example's automation, and each action example of the document.
        let listed = r#"{"name": "Notificar al aceptar", "trigger": "QUOTE_ACCEPTED",
            "conditions": [{ "field": "total", "operator": "gt", "value": 5000 }],
            "actions": [{ "type": "send_email", "to": "owner", "subject": "Cotización aceptada", "body": "..." }]}"#;
        let (status, _) = app
            .call("POST", "/api/automations", Some(&key), Some(listed))
            .await;
        assert_eq!(status, 201);
        let examples = [
            r#"{"type": "send_email", "to": "client", "subject": "Tu cotización está lista", "body": "Hemos preparado una cotización personalizada para ti."}"#,
            r#"{"type": "send_notification", "title": "Cotización aceptada", "body": "El cliente ha aceptado la cotización COT-0042"}"#,
            r#"{"type": "change_status", "newStatus": "SENT"}"#,
            r#"{"type": "add_label", "labelId": "clxyz..."}"#,
            r#"{"type": "create_reminder", "delayMinutes": 1440, "message": "Dar seguimiento a esta cotización"}"#,
            r#"{"type": "fire_webhook", "url": "https://hooks.zapier.com/hooks/catch/123456/abcdef/", "headers": {"Authorization": "Bearer mi-token-secreto"}, "includeItems": true}"#,
        ];
        for action in examples {
            let body =
                format!(r#"{{"name": "Ejemplo", "trigger": "QUOTE_SENT", "actions": [{action}]}}"#);
            let (status, created) = app
                .call("POST", "/api/automations", Some(&key), Some(&body))
                .await;
            assert_eq!(status, 201, "{action} → {created}");
            let sent: Value = serde_json::from_str(action).unwrap();
            assert_eq!(created["actions"][0], sent, "returned as sent");
        }
        let (status, list) = app.call("GET", "/api/automations", Some(&key), None).await;
        assert_eq!(status, 200);
        let list = list.as_array().unwrap();
        assert_eq!(list.len(), 8);
        let notify = list
            .iter()
            .find(|a| a["name"] == "Notificar al aceptar")
            .unwrap();
        for field in [
            "id",
            "name",
            "trigger",
            "isActive",
            "conditions",
            "actions",
            "delayMinutes",
            "createdAt",
            "_count",
        ] {
            assert!(notify.get(field).is_some(), "list item lacks {field}");
        }

        // "Obtener", "Actualizar" with the document's body, "Historial", "Eliminar".
        let path = format!("/api/automations/{id}");
        let (status, one) = app.call("GET", &path, Some(&key), None).await;
        assert_eq!(status, 200);
        assert_eq!(one["logs"], json!([]));
        let (status, off) = app
            .call(
                "PATCH",
                &path,
                Some(&key),
                Some("{\n\"isActive\": false\n}"),
            )
            .await;
        assert_eq!((status, off["isActive"].clone()), (200, json!(false)));
        let (status, logs) = app
            .call(
                "GET",
                &format!("{path}/logs?page=1&limit=20"),
                Some(&key),
                None,
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(
            logs,
            json!({"logs": [], "total": 0, "page": 1, "totalPages": 0})
        );
        let (status, deleted) = app.call("DELETE", &path, Some(&key), None).await;
        assert_eq!((status, deleted), (200, json!({"ok": true})));
    }
}

#[tokio::test]
async fn webhooks_are_signed_and_tried_again_on_5xx_but_not_on_4xx() {
    for db in backends().await {
        let app = TestApp::start_with_worker(db, allow_local()).await;
        let hooks = Receiver::start().await;
        let (account_id, _, _) = app.account("Signed").await;
        let key = app.api_key(account_id, &["config:manage"]).await;
        let mut ids = Vec::new();
        for path in ["/flaky", "/gone"] {
            let body = json!({"name": format!("hook {path}"), "trigger": "DEAL_CREATED",
                              "actions": [{"type": "fire_webhook", "url": hooks.url(path)}]});
            ids.push(create_automation(&app, &key, &body).await);
        }
        new_deal(&app.db, account_id, "Signed deal", 100).await;

        // 503, 503, then 200: three tries, the run completes.
        let flaky = finished_runs(&app, &key, &ids[0], 1).await;
        assert_eq!(flaky["logs"][0]["status"], "COMPLETED", "{flaky}");
        let calls = hooks.received_at("/flaky");
        assert_eq!(calls.len(), 3);
        // 404: one try, the run fails with the status.
        let gone = finished_runs(&app, &key, &ids[1], 1).await;
        assert_eq!(gone["logs"][0]["status"], "FAILED");
        assert!(
            gone["logs"][0]["error"]
                .as_str()
                .unwrap()
                .contains("HTTP 404"),
            "{gone}"
        );
        assert_eq!(hooks.received_at("/gone").len(), 1);
        // Every try is kept.
        let tries: Vec<(String, i64, Option<i64>)> = sqlx::query_as(
            "SELECT url, attempt, status_code FROM webhook_attempts WHERE account_id = $1 ORDER BY id",
        )
        .bind(account_id)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        let flaky_tries: Vec<(i64, Option<i64>)> = tries
            .iter()
            .filter(|t| t.0.ends_with("/flaky"))
            .map(|t| (t.1, t.2))
            .collect();
        assert_eq!(
            flaky_tries,
            vec![(1, Some(503)), (2, Some(503)), (3, Some(200))]
        );
        assert_eq!(tries.iter().filter(|t| t.0.ends_with("/gone")).count(), 1);

        // The signature is the HMAC-SHA256 of "timestamp.body" under the account's secret.
        let secret = automations::secret::webhook_secret(&app.db, account_id)
            .await
            .unwrap();
        assert!(secret.starts_with("whsec_"));
        for call in &calls {
            let ts: i64 = call.headers["x-dealflow-timestamp"]
                .to_str()
                .unwrap()
                .parse()
                .unwrap();
            assert!((chrono::Utc::now().timestamp() - ts).abs() < 60);
            let expected = {
                use hmac::{Hmac, Mac};
                let mut mac = Hmac::<sha2::Sha256>::new_from_slice(secret.as_bytes()).unwrap();
                mac.update(format!("{ts}.").as_bytes());
                mac.update(&call.raw);
                format!("sha256={}", hex::encode(mac.finalize().into_bytes()))
            };
            assert_eq!(
                call.headers["x-dealflow-signature"].to_str().unwrap(),
                expected
            );
            assert_eq!(call.body["event"], "DEAL_CREATED");
        }
    }
}

#[tokio::test]
async fn internal_webhook_targets_are_refused_by_default_and_logged() {
    for db in backends().await {
        // The operator has not allowed internal targets.
        let app = TestApp::start_with_worker(db, Delivery::default()).await;
        let (account_id, _, _) = app.account("Ssrf").await;
        let key = app.api_key(account_id, &["config:manage"]).await;
        let mut ids = Vec::new();
        for url in [
            "http://127.0.0.1:9/hook",
            "http://10.1.2.3/hook",
            "http://169.254.169.254/latest/meta-data/",
        ] {
            let body = json!({"name": url, "trigger": "DEAL_CREATED",
                              "actions": [{"type": "fire_webhook", "url": url}]});
            ids.push((url, create_automation(&app, &key, &body).await));
        }
        new_deal(&app.db, account_id, "Probe", 100).await;
        for (url, id) in ids {
            let runs = finished_runs(&app, &key, &id, 1).await;
            let log = &runs["logs"][0];
            assert_eq!(log["status"], "FAILED", "{url}: {log}");
            let error = log["error"].as_str().unwrap();
            assert!(
                error.contains("refused") && error.contains("internal address"),
                "{url}: {error}"
            );
        }
        // Refused before any call: one try each, no HTTP status.
        let tries: Vec<(i64, Option<i64>)> = sqlx::query_as(
            "SELECT attempt, status_code FROM webhook_attempts WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(tries, vec![(1, None), (1, None), (1, None)]);
    }
}

#[tokio::test]
async fn a_stopping_worker_finishes_the_job_in_hand() {
    let db = fresh_db(Backend::Sqlite).await.unwrap();
    let app = TestApp::start(db).await;
    let hooks = Receiver::start().await;
    let (account_id, _, _) = app.account("Stopping").await;
    let actor = Actor {
        account_id,
        user_id: None,
    };
    let automation = automations::create(
        &app.db,
        actor,
        &automation_body(json!({"name": "slow", "trigger": "DEAL_CREATED",
                "actions": [{"type": "fire_webhook", "url": hooks.url("/slow")}]})),
    )
    .await
    .unwrap();
    let worker = worker::spawn(app.db.clone(), allow_local());
    new_deal(&app.db, account_id, "Slow one", 100).await;
    // The run is in hand once the receiver has the call ...
    wait_for(Duration::from_secs(20), "the webhook call", || async {
        (!hooks.received_at("/slow").is_empty()).then_some(())
    })
    .await;
    // ... and stopping waits for it to end (the 5 s limit), leaving no run half done.
    let started = Instant::now();
    worker.shutdown().await;
    assert!(
        started.elapsed() >= Duration::from_secs(3),
        "did not wait for the job"
    );
    let (logs, _) = automations::logs(&app.db, actor, &automation.id, 1, 10, None)
        .await
        .unwrap();
    assert_eq!(logs.len(), 1);
    assert_eq!(logs[0].status, "FAILED");
    let running: (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE status = 'running'")
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    assert_eq!(running.0, 0);
}

#[tokio::test]
async fn moves_reach_stage_changed_automations_with_the_previous_stage() {
    for db in backends().await {
        let app = TestApp::start_with_worker(db, allow_local()).await;
        let hooks = Receiver::start().await;
        let (account_id, _, _) = app.account("Movers").await;
        let key = app.api_key(account_id, &["config:manage"]).await;
        let actor = Actor {
            account_id,
            user_id: None,
        };
        let deal = new_deal(&app.db, account_id, "Mover", 10_000).await;
        let pipeline = deals::get_deal(&app.db, actor, deal)
            .await
            .unwrap()
            .pipeline_id;
        let stages = pipelines::stages_of(&app.db, account_id, pipeline)
            .await
            .unwrap();
        let (new, contacted) = (&stages[0], &stages[1]);
        assert_eq!(
            (new.key.as_str(), contacted.key.as_str()),
            ("new", "contacted")
        );
        let jobs = || async {
            let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE account_id = $1")
                .bind(account_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
            n
        };

        // Nobody listens yet: a move records its timeline entry and no event.
        deals::move_deal(&app.db, actor, deal, contacted.id, deals::Slot::End)
            .await
            .unwrap();
        assert_eq!(
            jobs().await,
            0,
            "an event nobody listens to is not recorded"
        );

        let every = create_automation(
            &app,
            &key,
            &json!({"name": "Every move", "trigger": "DEAL_STAGE_CHANGED",
                    "actions": [{"type": "fire_webhook", "url": hooks.url("/every")}]}),
        )
        .await;
        let from_new = create_automation(
            &app,
            &key,
            &json!({"name": "Out of new", "trigger": "DEAL_STAGE_CHANGED",
                    "conditions": [{"field": "previousStage", "operator": "eq", "value": "new"}],
                    "actions": [{"type": "fire_webhook", "url": hooks.url("/from-new")}]}),
        )
        .await;
        // Back to "new", within it (no stage change), then out of it again.
        for (stage, slot) in [
            (new.id, deals::Slot::End),
            (new.id, deals::Slot::Index(0)),
            (contacted.id, deals::Slot::End),
        ] {
            deals::move_deal(&app.db, actor, deal, stage, slot)
                .await
                .unwrap();
        }
        let page = finished_runs(&app, &key, &every, 2).await;
        assert_eq!(page["total"], 2, "two stage changes: {page}");
        let page = finished_runs(&app, &key, &from_new, 1).await;
        assert_eq!(page["total"], 1, "one of them left \"new\": {page}");
        let got = hooks.received_at("/from-new");
        assert_eq!(got.len(), 1);
        let moved = &got[0].body["data"]["deal"];
        assert_eq!(got[0].body["event"], "DEAL_STAGE_CHANGED");
        assert_eq!(
            (moved["previousStage"].as_str(), moved["stage"].as_str()),
            (Some("new"), Some("contacted")),
            "{moved}"
        );
        let every_got = hooks.received_at("/every");
        let previous: Vec<_> = every_got
            .iter()
            .map(|r| r.body["data"]["deal"]["previousStage"].clone())
            .collect();
        assert_eq!(previous.len(), 2);
        assert!(previous.contains(&json!("contacted")) && previous.contains(&json!("new")));
    }
}

#[tokio::test]
async fn a_hanging_webhook_in_one_account_does_not_hold_up_another_accounts_run() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start_with_worker(db, allow_local()).await;
        let hooks = Receiver::start().await;
        // One account whose webhook hangs past the 5 s limit, with many runs queued.
        let (slow, _, _) = app.account("Hanging hooks").await;
        let slow_key = app.api_key(slow, &["config:manage"]).await;
        let body = json!({"name": "hangs", "trigger": "DEAL_CREATED",
                          "actions": [{"type": "fire_webhook", "url": hooks.url("/slow")}]});
        create_automation(&app, &slow_key, &body).await;
        for i in 0..8 {
            new_deal(&app.db, slow, &format!("Slow {i}"), 100).await;
        }
        wait_for(Duration::from_secs(20), "the hanging calls", || async {
            (!hooks.received_at("/slow").is_empty()).then_some(())
        })
        .await;
        // Another account's run goes through meanwhile.
        let (quick, _, _) = app.account("Quick hooks").await;
        let quick_key = app.api_key(quick, &["config:manage"]).await;
        let body = json!({"name": "quick", "trigger": "DEAL_CREATED",
                          "actions": [{"type": "fire_webhook", "url": hooks.url("/quick")}]});
        let id = create_automation(&app, &quick_key, &body).await;
        let deal = new_deal(&app.db, quick, "Quick one", 100).await;
        let runs = finished_runs(&app, &quick_key, &id, 1).await;
        assert_eq!(runs["logs"][0]["status"], "COMPLETED", "{runs}");
        let (created,): (String,) = sqlx::query_as("SELECT created_at FROM deals WHERE id = $1")
            .bind(deal)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let completed = runs["logs"][0]["completedAt"].as_str().unwrap();
        let delay = dealflow::server::db::parse_ts(completed).unwrap()
            - dealflow::server::db::parse_ts(&created).unwrap();
        eprintln!("another account's run behind hanging webhooks: {delay}");
        assert!(
            delay < chrono::Duration::seconds(1),
            "the other account's run took {delay} behind the hanging webhooks"
        );
        // The hanging account still gets its runs done, its share at a time.
        assert!(hooks.received_at("/slow").len() < 8, "not all at once");
    }
}

#[tokio::test]
async fn webhooks_go_straight_to_their_target_whatever_proxy_the_environment_names() {
    for url in backend_urls().await {
        let db = Db::connect(&url).await.unwrap();
        let _on = OnBackend(db.backend);
        let hooks = Receiver::start().await;
        let account_id = accounts::create_account(
            &db,
            "Proxied",
            Plan::Pro,
            &format!("owner-{}@proxied.test", std::process::id()),
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
            &automation_body(json!({"name": "direct", "trigger": "DEAL_CREATED",
                "actions": [{"type": "fire_webhook", "url": hooks.url("/direct")}]})),
        )
        .await
        .unwrap();
        // A proxy that is not there: a client that obeyed it could not call at all (and one
        // that could reach a proxy would call through it, past the address check).
        let dead_proxy = format!("http://127.0.0.1:{}", free_port());
        let _server = Instance::start_with_env(
            &url,
            free_port(),
            &[
                ("HTTP_PROXY", &dead_proxy),
                ("http_proxy", &dead_proxy),
                ("HTTPS_PROXY", &dead_proxy),
                ("ALL_PROXY", &dead_proxy),
                ("NO_PROXY", ""),
                ("DEALFLOW_ALLOW_PRIVATE_WEBHOOKS", "1"),
            ],
        )
        .await;
        new_deal(&db, account_id, "Direct one", 100).await;
        wait_for(
            Duration::from_secs(30),
            "the direct webhook call",
            || async { (!hooks.received_at("/direct").is_empty()).then_some(()) },
        )
        .await;
    }
}
