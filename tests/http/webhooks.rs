//! Webhook subscriptions end to end, on SQLite and PostgreSQL: the `/v1/webhooks` surface
//! (shapes, scopes, another account's ids, every refusal naming its field), and deliveries
//! received by a real HTTP server on a loopback port — signed (checked here with an HMAC of
//! our own), in the order the events happened, tried again after a failure, given up and the
//! subscription turned off (with a notification for the owners and admins) after repeated
//! failures, and the test event, even while the subscription is off. The settings page
//! manages them through its server functions.

use std::time::Duration;

use dealflow::domain::{AccountId, Role};
use dealflow::server::delivery::Delivery;
use dealflow::server::services::activities::{self, NewActivity};
use dealflow::server::services::contacts::{self, NewContact};
use dealflow::server::services::deals::{self, closing, NewDeal, Slot};
use dealflow::server::services::{accounts, organizations, pipelines, quotes, Actor};
use serde_json::{json, Value};

use crate::fixtures::{by_hand, item};
use crate::receiver::{allow_local, assert_signed, Receiver};
use crate::support::{backends, clear_fault, inject_fault, wait_for, OnBackend, TestApp};

fn system(account_id: AccountId) -> Actor {
    Actor {
        account_id,
        user_id: None,
    }
}

/// Creates a subscription through the API; answers it.
async fn subscribe(app: &TestApp, key: &str, url: &str, events: &[&str]) -> Value {
    let body = json!({"url": url, "events": events});
    let (status, created) = app
        .call("POST", "/v1/webhooks", Some(key), Some(&body.to_string()))
        .await;
    assert_eq!(status, 201, "{created}");
    created
}

/// The deliveries page of a subscription.
async fn deliveries(app: &TestApp, key: &str, id: &str) -> Value {
    let (status, page) = app
        .call(
            "GET",
            &format!("/v1/webhooks/{id}/deliveries?per_page=100"),
            Some(key),
            None,
        )
        .await;
    assert_eq!(status, 200, "{page}");
    page
}

/// Waits until a subscription's log holds `n` deliveries, none of them pending.
async fn settled(app: &TestApp, key: &str, id: &str, n: usize) -> Vec<Value> {
    wait_for(Duration::from_secs(30), "settled deliveries", || async {
        let page = deliveries(app, key, id).await;
        let rows = page["data"].as_array().cloned().unwrap_or_default();
        (rows.len() >= n && rows.iter().all(|d| d["status"] != "pending")).then_some(rows)
    })
    .await
}

#[tokio::test]
async fn webhook_endpoints_answer_their_shapes_scopes_and_refusals() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Hooked").await;
        let (other_account, _, _) = app.account("Elsewhere").await;
        let key = app.api_key(account_id, &["config:manage"]).await;
        let reader = app
            .api_key(account_id, &["opportunities:read", "contacts:write"])
            .await;
        let other_key = app.api_key(other_account, &["config:manage"]).await;

        // Create: 201 with the whole subscription and its secret.
        let created = subscribe(
            &app,
            &key,
            "https://erp.example.com/hooks/dealflow",
            &[
                "quote.accepted",
                "deal.created",
                "deal.stage_changed",
                "deal.created",
            ],
        )
        .await;
        let id = created["id"].as_str().unwrap().to_string();
        assert!(id.starts_with("whk_") && id.len() == 36, "{id}");
        assert_eq!(created["url"], "https://erp.example.com/hooks/dealflow");
        assert_eq!(
            created["events"],
            json!(["deal.created", "deal.stage_changed", "quote.accepted"])
        );
        assert_eq!(created["active"], true);
        assert!(created["secret"].as_str().unwrap().starts_with("whsec_"));
        assert_eq!(created["consecutive_failures"], 0);
        assert_eq!(created["disabled_reason"], Value::Null);
        assert!(created["created_at"].as_str().unwrap().ends_with('Z'));

        // List and read.
        let (status, list) = app.call("GET", "/v1/webhooks", Some(&key), None).await;
        assert_eq!(status, 200, "{list}");
        assert_eq!(list["data"].as_array().unwrap().len(), 1);
        assert_eq!(list["data"][0], created);
        let path = format!("/v1/webhooks/{id}");
        let (status, one) = app.call("GET", &path, Some(&key), None).await;
        assert_eq!((status, &one), (200, &created));

        // Change: only what is sent.
        let (status, changed) = app
            .call(
                "PATCH",
                &path,
                Some(&key),
                Some(r#"{"events": ["deal.won"], "active": false}"#),
            )
            .await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(changed["events"], json!(["deal.won"]));
        assert_eq!(changed["active"], false);
        assert_eq!(changed["url"], created["url"]);
        assert_eq!(changed["secret"], created["secret"]);
        let (status, changed) = app
            .call(
                "PATCH",
                &path,
                Some(&key),
                Some(r#"{"url": "http://hooks.example.org/in", "active": true}"#),
            )
            .await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(
            (&changed["url"], &changed["active"], &changed["events"]),
            (
                &json!("http://hooks.example.org/in"),
                &json!(true),
                &json!(["deal.won"])
            )
        );

        // The delivery log, empty, then with the test event queued (202).
        let (status, page) = app
            .call("GET", &format!("{path}/deliveries"), Some(&key), None)
            .await;
        assert_eq!(status, 200, "{page}");
        assert_eq!(page["data"], json!([]));
        assert_eq!(
            page["meta"],
            json!({"page": 1, "per_page": 20, "total": 0, "pages": 1})
        );
        let (status, queued) = app
            .call("POST", &format!("{path}/test"), Some(&key), None)
            .await;
        assert_eq!(status, 202, "{queued}");
        assert_eq!(queued["event"], "webhook.test");
        assert_eq!(queued["status"], "pending");
        assert_eq!(queued["test"], true);
        assert_eq!(queued["attempts"], 0);
        let page = deliveries(&app, &key, &id).await;
        assert_eq!(page["meta"]["total"], 1);
        assert_eq!(page["data"][0]["id"], queued["id"]);

        // Refusals name their field; none is a server error.
        let long = format!("https://example.com/{}", "a".repeat(2000));
        for (body, field) in [
            (json!({"events": ["deal.won"]}), "url"),
            (json!({"url": "", "events": ["deal.won"]}), "url"),
            (
                json!({"url": "ftp://example.com/x", "events": ["deal.won"]}),
                "url",
            ),
            (json!({"url": "not a url", "events": ["deal.won"]}), "url"),
            (json!({"url": long, "events": ["deal.won"]}), "url"),
            (json!({"url": 5, "events": ["deal.won"]}), "url"),
            (json!({"url": "https://example.com/"}), "events"),
            (
                json!({"url": "https://example.com/", "events": []}),
                "events",
            ),
            (
                json!({"url": "https://example.com/", "events": "deal.won"}),
                "events",
            ),
            (
                json!({"url": "https://example.com/", "events": ["deal.won", "deal.nope"]}),
                "events[1]",
            ),
            (
                json!({"url": "https://example.com/", "events": ["deal.won"], "active": "yes"}),
                "active",
            ),
        ] {
            let (status, answer) = app
                .call("POST", "/v1/webhooks", Some(&key), Some(&body.to_string()))
                .await;
            assert_eq!(status, 422, "{body}: {answer}");
            assert_eq!(answer["error"]["code"], "VALIDATION_ERROR", "{answer}");
            assert_eq!(answer["error"]["field"], field, "{body}: {answer}");
        }
        for (body, field) in [
            (json!({"events": []}), "events"),
            (json!({"url": "javascript:alert(1)"}), "url"),
            (json!({"active": 1}), "active"),
        ] {
            let (status, answer) = app
                .call("PATCH", &path, Some(&key), Some(&body.to_string()))
                .await;
            assert_eq!(
                (status, &answer["error"]["field"]),
                (422, &json!(field)),
                "{body}: {answer}"
            );
        }
        let (status, answer) = app
            .call("POST", "/v1/webhooks", Some(&key), Some("{not json"))
            .await;
        assert_eq!(
            (status, &answer["error"]["code"]),
            (400, &json!("INVALID_JSON"))
        );
        let (status, answer) = app
            .call(
                "POST",
                "/v1/webhooks",
                Some(&key),
                Some("{\"url\": \"https://a.test/\\u0000\", \"events\": [\"deal.won\"]}"),
            )
            .await;
        assert_eq!(status, 422, "{answer}");
        assert_eq!(answer["error"]["field"], "url", "{answer}");
        for query in ["?per_page=101", "?page=0", "?page=x"] {
            let (status, answer) = app
                .call(
                    "GET",
                    &format!("{path}/deliveries{query}"),
                    Some(&key),
                    None,
                )
                .await;
            assert_eq!(status, 422, "{query}: {answer}");
            assert!(answer["error"]["field"].is_string(), "{answer}");
        }

        // No key: 401; a key without config:manage: 403, on every endpoint.
        let routes = [
            ("GET", "/v1/webhooks".to_string(), None),
            (
                "POST",
                "/v1/webhooks".into(),
                Some(r#"{"url": "https://a.test/", "events": ["deal.won"]}"#),
            ),
            ("GET", path.clone(), None),
            ("PATCH", path.clone(), Some(r#"{"active": false}"#)),
            ("DELETE", path.clone(), None),
            ("GET", format!("{path}/deliveries"), None),
            ("POST", format!("{path}/test"), None),
        ];
        for (method, route, body) in &routes {
            let (status, answer) = app.call(method, route, None, *body).await;
            assert_eq!(status, 401, "{method} {route}: {answer}");
            let (status, answer) = app.call(method, route, Some(&reader), *body).await;
            assert_eq!(status, 403, "{method} {route}: {answer}");
            assert_eq!(answer["error"]["code"], "FORBIDDEN");
        }

        // Another account's key does not find this account's subscription; malformed ids
        // are not found either.
        for (method, route, body) in routes.iter().filter(|(_, r, _)| r.contains("whk_")) {
            let (status, answer) = app.call(method, route, Some(&other_key), *body).await;
            assert_eq!(status, 404, "{method} {route}: {answer}");
            assert_eq!(answer["error"]["code"], "NOT_FOUND");
        }
        let (status, list) = app
            .call("GET", "/v1/webhooks", Some(&other_key), None)
            .await;
        assert_eq!((status, &list["data"]), (200, &json!([])));
        for bad in [
            "whk_",
            "whk_nope",
            "opp_0b1d6f0e9c8a4d1fa2b3c4d5e6f70812",
            "1",
        ] {
            let (status, _) = app
                .call("GET", &format!("/v1/webhooks/{bad}"), Some(&key), None)
                .await;
            assert_eq!(status, 404, "{bad}");
        }
        let (status, one) = app.call("GET", &path, Some(&key), None).await;
        assert_eq!((status, &one["active"]), (200, &json!(true)), "{one}");

        // At most 20 per account.
        for i in 1..20 {
            subscribe(
                &app,
                &key,
                &format!("https://hooks.example.com/{i}"),
                &["deal.won"],
            )
            .await;
        }
        let (status, answer) = app
            .call(
                "POST",
                "/v1/webhooks",
                Some(&key),
                Some(r#"{"url": "https://hooks.example.com/21", "events": ["deal.won"]}"#),
            )
            .await;
        assert_eq!(
            (status, &answer["error"]["field"]),
            (422, &json!("url")),
            "{answer}"
        );

        // Delete: 204, then gone, with its log.
        let (status, answer) = app.call("DELETE", &path, Some(&key), None).await;
        assert_eq!(status, 204, "{answer}");
        let (status, _) = app.call("GET", &path, Some(&key), None).await;
        assert_eq!(status, 404);
        let (status, _) = app
            .call("GET", &format!("{path}/deliveries"), Some(&key), None)
            .await;
        assert_eq!(status, 404);
        let (left,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM webhook_deliveries WHERE account_id = $1")
                .bind(account_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(left, 0);
        let (status, _) = app.call("DELETE", &path, Some(&key), None).await;
        assert_eq!(status, 404);
    }
}

#[tokio::test]
async fn events_arrive_signed_in_order_with_their_records() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start_with_worker(db, allow_local()).await;
        let hooks = Receiver::start().await;
        let (account_id, _, _) = app.account("Signed").await;
        let key = app.api_key(account_id, &["config:manage"]).await;
        let writer = app.api_key(account_id, &["contacts:write"]).await;
        let all: Vec<&str> = vec![
            "deal.created",
            "deal.updated",
            "deal.stage_changed",
            "deal.won",
            "deal.lost",
            "deal.reopened",
            "contact.created",
            "contact.updated",
            "contact.deleted",
            "organization.created",
            "organization.updated",
            "organization.deleted",
            "activity.completed",
            "quote.created",
            "quote.won",
        ];
        let sub = subscribe(&app, &key, &hooks.url("/ok"), &all).await;
        let secret = sub["secret"].as_str().unwrap().to_string();
        // A subscription to one event only hears that one.
        let won_only = subscribe(&app, &key, &hooks.url("/won"), &["deal.won"]).await;
        // Another account's changes reach none of them.
        let (stranger, _, _) = app.account("Stranger").await;
        contacts::create_contact(
            &app.db,
            system(stranger),
            NewContact {
                full_name: "Not ours".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();

        let actor = system(account_id);
        // Through the API: a contact created, changed.
        let (status, contact) = app
            .call(
                "POST",
                "/v1/contacts",
                Some(&writer),
                Some(r#"{"name": "Ana Costa", "email": "ana@acme.test"}"#),
            )
            .await;
        assert_eq!(status, 201, "{contact}");
        let lead = contact["id"].as_str().unwrap().to_string();
        let (status, _) = app
            .call(
                "PATCH",
                &format!("/v1/contacts/{lead}"),
                Some(&writer),
                Some(r#"{"name": "Ana Costa Lima"}"#),
            )
            .await;
        assert_eq!(status, 200);
        // Through the services the pages use: an organization, a deal moved, changed, won,
        // reopened and lost, an activity completed, a quote created and won.
        let org = organizations::create_organization(&app.db, actor, "Acme")
            .await
            .unwrap();
        organizations::rename_organization(&app.db, actor, org, "Acme Inc")
            .await
            .unwrap();
        let deal = deals::create_deal(
            &app.db,
            actor,
            NewDeal {
                title: "Acme renewal".into(),
                value_cents: 1_250_050,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let pipeline = pipelines::primary_pipeline_id(&app.db, account_id)
            .await
            .unwrap();
        let stages = pipelines::stages_of(&app.db, account_id, pipeline)
            .await
            .unwrap();
        // A drop at the end of a column (the board's quick move).
        deals::move_deal(&app.db, actor, deal.id, stages[2].id, Slot::End)
            .await
            .unwrap();
        // A move to an index (the careful move).
        deals::move_deal(&app.db, actor, deal.id, stages[1].id, Slot::Index(0))
            .await
            .unwrap();
        let current = deals::get_deal(&app.db, actor, deal.id).await.unwrap();
        let edit = deals::edit::DealEdit {
            title: "Acme renewal 2027".into(),
            value: "12500.50".into(),
            currency: current.currency.clone(),
            expected_close_date: String::new(),
            responsible_user_id: current.responsible_user_id,
            organization_id: current.organization_id,
            lead_source_id: current.lead_source_id,
            quality_rating: current.quality_rating,
            quality_reason: current.quality_reason.clone().unwrap_or_default(),
            visibility: current.visibility,
            temperature: current.temperature,
        };
        deals::edit::update_deal(&app.db, actor, deal.id, &edit)
            .await
            .unwrap();
        let activity = activities::create_activity(
            &app.db,
            actor,
            NewActivity {
                kind: "call".into(),
                title: "Kick-off call".into(),
                deal_id: Some(deal.id),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        activities::complete(&app.db, actor, activity.id)
            .await
            .unwrap();
        // Completing again is no event.
        activities::complete(&app.db, actor, activity.id)
            .await
            .unwrap();
        let quote = quotes::create(
            &app.db,
            actor,
            &by_hand(deal.id, vec![item("Seats", "100", 3, "0")]),
        )
        .await
        .unwrap();
        quotes::mark_won(&app.db, actor, quote.id).await.unwrap();
        closing::mark_won(&app.db, actor, deal.id, Some(1_300_000), "Signed")
            .await
            .unwrap();
        closing::reopen(&app.db, actor, deal.id).await.unwrap();
        closing::mark_lost(&app.db, actor, deal.id, "Budget")
            .await
            .unwrap();
        organizations::delete_organization(&app.db, actor, org)
            .await
            .unwrap();
        let lead_id = contacts::list(&app.db, actor, "Ana", 1)
            .await
            .unwrap()
            .items[0]
            .id;
        contacts::delete_contact(&app.db, actor, lead_id)
            .await
            .unwrap();

        let expected = [
            "contact.created",
            "contact.updated",
            "organization.created",
            "organization.updated",
            "deal.created",
            "deal.stage_changed",
            "deal.stage_changed",
            "deal.updated",
            "activity.completed",
            "quote.created",
            "quote.won",
            "deal.won",
            "deal.reopened",
            "deal.lost",
            "organization.deleted",
            "contact.deleted",
        ];
        let got = hooks.wait_calls("/ok", expected.len()).await;
        let names: Vec<&str> = got
            .iter()
            .map(|r| r.body["event"].as_str().unwrap())
            .collect();
        assert_eq!(names, expected, "events out of order or missing");
        for r in &got {
            assert_signed(&secret, r);
            assert_eq!(r.body.as_object().unwrap().len(), 4, "{}", r.body);
            assert!(r.body["occurred_at"].as_str().unwrap().ends_with('Z'));
            assert!(
                uuid::Uuid::parse_str(r.body["id"].as_str().unwrap()).is_ok(),
                "{}",
                r.body
            );
        }
        let times: Vec<&str> = got
            .iter()
            .map(|r| r.body["occurred_at"].as_str().unwrap())
            .collect();
        assert!(times.windows(2).all(|w| w[0] <= w[1]), "{times:?}");
        let data = |i: usize| &got[i].body["data"];
        assert_eq!(data(0)["id"], json!(lead));
        assert_eq!(data(0)["email"], "ana@acme.test");
        assert_eq!(data(1)["name"], "Ana Costa Lima");
        assert_eq!(data(3)["name"], "Acme Inc");
        assert!(data(3)["id"].as_str().unwrap().starts_with("org_"));
        let opp = dealflow::domain::public_id::public_id("opp", &deal.uuid);
        assert_eq!(data(4)["id"], json!(opp));
        assert_eq!(data(4)["name"], "Acme renewal");
        assert_eq!(data(4)["value"], 12500.5);
        assert_eq!(data(4)["stage"], json!(stages[0].key));
        assert_eq!(data(4)["status"], "open");
        assert!(data(4)["pipeline_id"]
            .as_str()
            .unwrap()
            .starts_with("pipe_"));
        assert_eq!(data(5)["previous_stage"], json!(stages[0].key));
        assert_eq!(data(5)["stage"], json!(stages[2].key));
        assert_eq!(data(5)["stage_name"], json!(stages[2].name));
        assert!(data(5)["previous_stage_id"]
            .as_str()
            .unwrap()
            .starts_with("stage_"));
        assert_eq!(data(6)["previous_stage"], json!(stages[2].key));
        assert_eq!(data(6)["stage"], json!(stages[1].key));
        assert_eq!(data(7)["name"], "Acme renewal 2027");
        let changes = data(7)["changes"].as_array().unwrap();
        assert!(changes.iter().any(|c| c["field"] == "title"), "{changes:?}");
        assert_eq!(data(8)["id"], json!(format!("act_{}", activity.id)));
        assert_eq!(data(8)["completed"], true);
        assert_eq!(data(8)["opportunity_id"], json!(opp));
        assert!(data(9)["id"].as_str().unwrap().starts_with("quote_"));
        assert_eq!(data(9)["total"], 300.0);
        assert_eq!(data(9)["items"][0]["product_name"], "Seats");
        assert_eq!(data(10)["status"], "WON");
        assert_eq!(data(10)["previous_status"], "GENERATED");
        assert_eq!(data(11)["status"], "won");
        assert_eq!(data(11)["final_value"], 13000.0);
        assert_eq!(data(12)["status"], "open");
        assert_eq!(data(13)["status"], "lost");
        assert_eq!(data(13)["lost_reason"], "Budget");
        assert_eq!(data(14)["name"], "Acme Inc");
        assert_eq!(data(15)["name"], "Ana Costa Lima");

        // The one-event subscription heard its event alone, signed with its own secret.
        let won = hooks.wait_calls("/won", 1).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(hooks.received_at("/won").len(), 1);
        assert_eq!(won[0].body["event"], "deal.won");
        assert_signed(won_only["secret"].as_str().unwrap(), &won[0]);
        assert_ne!(won_only["secret"], sub["secret"]);

        // The log shows every delivery delivered at the first try.
        let id = sub["id"].as_str().unwrap();
        let log = settled(&app, &key, id, expected.len()).await;
        assert_eq!(log.len(), expected.len());
        for d in &log {
            assert_eq!(
                (
                    &d["status"],
                    &d["attempts"],
                    &d["response_code"],
                    &d["error"]
                ),
                (&json!("delivered"), &json!(1), &json!(200), &Value::Null),
                "{d}"
            );
            assert!(d["completed_at"].is_string());
            assert_eq!(d["next_attempt_at"], Value::Null);
        }
        // Newest first, with the ids the receiver saw.
        assert_eq!(log[0]["id"], got[expected.len() - 1].body["id"]);
        assert_eq!(log[0]["event"], "contact.deleted");
    }
}

#[tokio::test]
async fn the_lead_intake_fires_its_events_and_a_change_that_fails_fires_none() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start_with_worker(db, allow_local()).await;
        let hooks = Receiver::start().await;
        let (account_id, _, _) = app.account("Intake").await;
        let key = app.api_key(account_id, &["config:manage"]).await;
        let intake = app.api_key(account_id, &["deals:write"]).await;
        let sub = subscribe(
            &app,
            &key,
            &hooks.url("/ok"),
            &["deal.created", "contact.created", "organization.created"],
        )
        .await;
        let lead = |name: &str, note: &str| {
            json!({
                "title": format!("{name}'s lead"),
                "value": 1200,
                "person": {"name": name, "contacts": [{"type": 1, "value": format!("{}@lead.test", name.to_lowercase())}]},
                "organization": {"name": format!("{name} Corp")},
                "note": {"content": note},
            })
            .to_string()
        };
        // The lead's last step fails: the whole lead rolls back, and sends nothing.
        inject_fault(&app.db, "notes", "INSERT", "NEW.content = 'boom'").await;
        let (status, answer) = app
            .call(
                "POST",
                "/integrations/external/deals",
                Some(&intake),
                Some(&lead("Zed", "boom")),
            )
            .await;
        assert_eq!(status, 500, "{answer}");
        clear_fault(&app.db, "notes").await;
        let (status, answer) = app
            .call(
                "POST",
                "/integrations/external/deals",
                Some(&intake),
                Some(&lead("Rita", "Call her")),
            )
            .await;
        assert_eq!(status, 201, "{answer}");
        let got = hooks.wait_calls("/ok", 3).await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        assert_eq!(
            hooks.received_at("/ok").len(),
            3,
            "only the lead that was saved"
        );
        let mut names: Vec<&str> = got
            .iter()
            .map(|r| r.body["event"].as_str().unwrap())
            .collect();
        names.sort();
        assert_eq!(
            names,
            ["contact.created", "deal.created", "organization.created"]
        );
        let of = |event: &str| {
            got.iter()
                .find(|r| r.body["event"] == event)
                .map(|r| r.body["data"].clone())
                .unwrap()
        };
        let (deal, contact, org) = (
            of("deal.created"),
            of("contact.created"),
            of("organization.created"),
        );
        assert_eq!(deal["name"], "Rita's lead");
        assert_eq!(deal["value"], 1200.0);
        assert_eq!(deal["organization_id"], org["id"]);
        assert_eq!(contact["email"], "rita@lead.test");
        assert_eq!(org["name"], "Rita Corp");
        for r in &got {
            assert!(!r.body.to_string().contains("Zed"), "{}", r.body);
        }
        assert_eq!(
            deliveries(&app, &key, sub["id"].as_str().unwrap()).await["meta"]["total"],
            3
        );
    }
}

#[tokio::test]
async fn failed_calls_are_tried_again_and_later_events_wait_their_turn() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start_with_worker(db, allow_local()).await;
        let hooks = Receiver::start().await;
        let (account_id, _, _) = app.account("Retried").await;
        let key = app.api_key(account_id, &["config:manage"]).await;
        // Every delivery fails once (503) and arrives at its second try.
        let sub = subscribe(&app, &key, &hooks.url("/once"), &["contact.created"]).await;
        let secret = sub["secret"].as_str().unwrap();
        for name in ["First", "Second", "Third"] {
            contacts::create_contact(
                &app.db,
                system(account_id),
                NewContact {
                    full_name: name.into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        let got = hooks.wait_calls("/once", 6).await;
        let seen: Vec<&str> = got
            .iter()
            .map(|r| r.body["data"]["name"].as_str().unwrap())
            .collect();
        // Each delivery is tried again before the next one is sent.
        assert_eq!(
            seen,
            ["First", "First", "Second", "Second", "Third", "Third"],
            "deliveries overtook each other"
        );
        for pair in got.chunks(2) {
            assert_eq!(pair[0].raw, pair[1].raw, "a retry sends the same body");
            assert_signed(secret, &pair[1]);
        }
        let log = settled(&app, &key, sub["id"].as_str().unwrap(), 3).await;
        for d in &log {
            assert_eq!(
                (
                    &d["status"],
                    &d["attempts"],
                    &d["response_code"],
                    &d["error"]
                ),
                (&json!("delivered"), &json!(2), &json!(200), &Value::Null),
                "{d}"
            );
        }

        // A receiver that cannot be reached: the delivery waits for its next try, which goes
        // to the URL as it is then.
        let closed = {
            let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
            l.local_addr().unwrap()
        };
        let path = format!("/v1/webhooks/{}", sub["id"].as_str().unwrap());
        let body = json!({"url": format!("http://{closed}/nobody")}).to_string();
        let (status, _) = app.call("PATCH", &path, Some(&key), Some(&body)).await;
        assert_eq!(status, 200);
        contacts::create_contact(
            &app.db,
            system(account_id),
            NewContact {
                full_name: "Fourth".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let waiting = wait_for(Duration::from_secs(30), "a failed first try", || async {
            let page = deliveries(&app, &key, sub["id"].as_str().unwrap()).await;
            let d = page["data"][0].clone();
            (d["attempts"] == 1).then_some(d)
        })
        .await;
        assert_eq!(waiting["status"], "pending", "{waiting}");
        assert_eq!(waiting["response_code"], Value::Null);
        assert!(
            waiting["error"]
                .as_str()
                .unwrap()
                .contains("cannot connect"),
            "{waiting}"
        );
        assert!(waiting["next_attempt_at"].is_string(), "{waiting}");
        let body = json!({"url": hooks.url("/ok")}).to_string();
        let (status, _) = app.call("PATCH", &path, Some(&key), Some(&body)).await;
        assert_eq!(status, 200);
        let got = hooks.wait_calls("/ok", 1).await;
        assert_eq!(got[0].body["data"]["name"], "Fourth");
        assert_eq!(got[0].body["id"], waiting["id"]);
        let log = settled(&app, &key, sub["id"].as_str().unwrap(), 4).await;
        assert_eq!(
            (&log[0]["status"], &log[0]["attempts"], &log[0]["error"]),
            (&json!("delivered"), &json!(2), &Value::Null),
            "{}",
            log[0]
        );
    }
}

#[tokio::test]
async fn repeated_failures_turn_the_webhook_off_and_tell_the_admins() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start_with_worker(db, allow_local()).await;
        let hooks = Receiver::start().await;
        let (account_id, owner_email, _) = app.account("Failing").await;
        let key = app.api_key(account_id, &["config:manage"]).await;
        let password = "correct horse battery";
        let admin = accounts::create_user(
            &app.db,
            account_id,
            "admin@failing.test",
            "Adi",
            password,
            Role::Admin,
        )
        .await
        .unwrap();
        let sales = accounts::create_user(
            &app.db,
            account_id,
            "sales@failing.test",
            "Sal",
            password,
            Role::Sales,
        )
        .await
        .unwrap();
        let sub = subscribe(&app, &key, &hooks.url("/gone"), &["contact.created"]).await;
        let id = sub["id"].as_str().unwrap().to_string();
        let path = format!("/v1/webhooks/{id}");
        let new_contact = |name: String| {
            let db = app.db.clone();
            async move {
                contacts::create_contact(
                    &db,
                    system(account_id),
                    NewContact {
                        full_name: name,
                        ..Default::default()
                    },
                )
                .await
                .unwrap();
            }
        };

        // Failures count up, and a delivery that arrives resets the count.
        for i in 0..3 {
            new_contact(format!("Early {i}")).await;
        }
        settled(&app, &key, &id, 3).await;
        let (_, one) = app.call("GET", &path, Some(&key), None).await;
        assert_eq!(
            (&one["consecutive_failures"], &one["active"]),
            (&json!(3), &json!(true))
        );
        let ok = json!({"url": hooks.url("/ok")}).to_string();
        app.call("PATCH", &path, Some(&key), Some(&ok)).await;
        new_contact("Heard".into()).await;
        settled(&app, &key, &id, 4).await;
        let (_, one) = app.call("GET", &path, Some(&key), None).await;
        assert_eq!(one["consecutive_failures"], 0, "{one}");
        let gone = json!({"url": hooks.url("/gone")}).to_string();
        app.call("PATCH", &path, Some(&key), Some(&gone)).await;

        // Ten failed deliveries in a row turn it off.
        for i in 0..10 {
            new_contact(format!("Lost {i}")).await;
        }
        let off = wait_for(
            Duration::from_secs(60),
            "the webhook turned off",
            || async {
                let (_, one) = app.call("GET", &path, Some(&key), None).await;
                (one["active"] == false).then_some(one)
            },
        )
        .await;
        assert_eq!(off["consecutive_failures"], 10, "{off}");
        assert!(
            off["disabled_reason"]
                .as_str()
                .unwrap()
                .contains("10 deliveries"),
            "{off}"
        );
        assert!(off["disabled_at"].is_string());
        assert_eq!(hooks.received_at("/gone").len(), 13);
        let log = settled(&app, &key, &id, 14).await;
        assert_eq!(log[0]["status"], "failed");
        assert_eq!(log[0]["response_code"], 404);
        assert_eq!(log[0]["attempts"], 1, "a 404 is not tried again");
        assert!(log[0]["error"].as_str().unwrap().contains("404"));

        // The owners and admins are told, the salespeople are not.
        let owner: (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(&owner_email)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        for (user, expected) in [(owner.0, 1), (admin.0, 1), (sales.0, 0)] {
            let (n,): (i64,) = sqlx::query_as(
                "SELECT COUNT(*) FROM notifications WHERE account_id = $1 AND user_id = $2 \
                 AND title LIKE 'Webhook to % was turned off%' AND link = '/settings#webhooks'",
            )
            .bind(account_id)
            .bind(user)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
            assert_eq!(n, expected, "notifications of user {user}");
        }
        let admin_browser = app.signed_in("admin@failing.test", password).await;
        let (status, html) = app.page(&admin_browser, "/").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("was turned off"),
            "the bell shows the notification"
        );

        // A turned off webhook hears nothing more.
        new_contact("Unheard".into()).await;
        tokio::time::sleep(Duration::from_millis(800)).await;
        assert_eq!(deliveries(&app, &key, &id).await["meta"]["total"], 14);
        assert_eq!(hooks.received_at("/gone").len(), 13);

        // Turned on again (with its receiver fixed), it starts afresh.
        let on = json!({"url": hooks.url("/ok"), "active": true}).to_string();
        let (status, back) = app.call("PATCH", &path, Some(&key), Some(&on)).await;
        assert_eq!(status, 200, "{back}");
        assert_eq!(
            (
                &back["active"],
                &back["consecutive_failures"],
                &back["disabled_reason"],
                &back["disabled_at"]
            ),
            (&json!(true), &json!(0), &Value::Null, &Value::Null)
        );
        new_contact("Heard again".into()).await;
        let got = hooks.wait_calls("/ok", 2).await;
        assert_eq!(got[1].body["data"]["name"], "Heard again");
    }
}

#[tokio::test]
async fn the_test_event_is_delivered_even_while_the_webhook_is_off() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start_with_worker(db, allow_local()).await;
        let hooks = Receiver::start().await;
        let (account_id, _, _) = app.account("Tested").await;
        let key = app.api_key(account_id, &["config:manage"]).await;
        let body = json!({"url": hooks.url("/ok"), "events": ["deal.won"], "active": false});
        let (status, sub) = app
            .call("POST", "/v1/webhooks", Some(&key), Some(&body.to_string()))
            .await;
        assert_eq!((status, &sub["active"]), (201, &json!(false)), "{sub}");
        let id = sub["id"].as_str().unwrap();
        let (status, queued) = app
            .call("POST", &format!("/v1/webhooks/{id}/test"), Some(&key), None)
            .await;
        assert_eq!(status, 202, "{queued}");
        let got = hooks.wait_calls("/ok", 1).await;
        assert_signed(sub["secret"].as_str().unwrap(), &got[0]);
        assert_eq!(got[0].body["event"], "webhook.test");
        assert_eq!(got[0].body["id"], queued["id"]);
        assert_eq!(got[0].body["data"]["webhook_id"], json!(id));
        let log = settled(&app, &key, id, 1).await;
        assert_eq!(
            (&log[0]["status"], &log[0]["test"], &log[0]["response_code"]),
            (&json!("delivered"), &json!(true), &json!(200))
        );
        // A failed test counts for nothing.
        let down = json!({"url": hooks.url("/gone")}).to_string();
        app.call(
            "PATCH",
            &format!("/v1/webhooks/{id}"),
            Some(&key),
            Some(&down),
        )
        .await;
        app.call("POST", &format!("/v1/webhooks/{id}/test"), Some(&key), None)
            .await;
        settled(&app, &key, id, 2).await;
        let (_, one) = app
            .call("GET", &format!("/v1/webhooks/{id}"), Some(&key), None)
            .await;
        assert_eq!(one["consecutive_failures"], 0, "{one}");
    }
}

#[tokio::test]
async fn internal_addresses_are_refused_and_logged() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        // The shipped policy: no internal targets.
        let app = TestApp::start_with_worker(db, Delivery::default()).await;
        let hooks = Receiver::start().await;
        let (account_id, _, _) = app.account("Guarded").await;
        let key = app.api_key(account_id, &["config:manage"]).await;
        let sub = subscribe(&app, &key, &hooks.url("/ok"), &["organization.created"]).await;
        organizations::create_organization(&app.db, system(account_id), "Acme")
            .await
            .unwrap();
        let log = settled(&app, &key, sub["id"].as_str().unwrap(), 1).await;
        assert_eq!(log[0]["status"], "failed");
        assert_eq!(log[0]["attempts"], 1);
        assert!(
            log[0]["error"]
                .as_str()
                .unwrap()
                .contains("internal address"),
            "{}",
            log[0]
        );
        assert!(hooks.received_at("/ok").is_empty());
    }
}

#[tokio::test]
async fn the_settings_page_manages_webhooks_for_owners_and_admins() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start_with_worker(db, allow_local()).await;
        let hooks = Receiver::start().await;
        let (account_id, email, password) = app.account("Paged").await;
        let owner = app.signed_in(&email, &password).await;
        let (status, html) = app.page(&owner, "/settings").await;
        assert_eq!(status, 200);
        assert!(html.contains("data-testid=\"webhook-settings\""));
        assert!(
            html.contains("data-testid=\"no-webhooks\""),
            "the empty state"
        );

        let url = hooks.url("/ok");
        let (status, body) = app
            .rpc(
                &owner,
                "add_webhook",
                &[
                    ("url", url.clone()),
                    ("events[0]", "deal.created".into()),
                    ("events[3]", "deal.won".into()),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = app
            .rpc(
                &owner,
                "add_webhook",
                &[
                    ("url", "https://a.test/".into()),
                    ("events[0]", "deal.nope".into()),
                ],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("events"), "{body}");
        let (status, body) = app
            .rpc(&owner, "add_webhook", &[("url", "https://a.test/".into())])
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("events"), "{body}");

        let (id,): (i64,) =
            sqlx::query_as("SELECT id FROM webhook_subscriptions WHERE account_id = $1")
                .bind(account_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let (status, body) = app
            .rpc(&owner, "send_test_webhook", &[("id", id.to_string())])
            .await;
        assert_eq!(status, 200, "{body}");
        hooks.wait_calls("/ok", 1).await;
        let html = wait_for(
            Duration::from_secs(30),
            "the delivery in the log",
            || async {
                let (_, html) = app.page(&owner, "/settings").await;
                html.contains(">delivered<").then_some(html)
            },
        )
        .await;
        assert!(html.contains(&url), "the subscription's URL");
        assert!(html.contains("deal.created, deal.won"), "its events");
        assert!(html.contains("whsec_"), "its secret");
        assert!(html.contains("data-testid=\"webhook-deliveries\""));
        assert!(html.contains("webhook.test"), "the test delivery");
        assert!(html.contains("Send test event"));

        let (status, body) = app
            .rpc(
                &owner,
                "set_webhook_active",
                &[("id", id.to_string()), ("active", "false".into())],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, html) = app.page(&owner, "/settings").await;
        assert!(html.contains("Turn on"));

        // Salespeople may not; another account's owner finds nothing.
        accounts::create_user(
            &app.db,
            account_id,
            "sal@paged.test",
            "Sal",
            "correct horse battery",
            Role::Sales,
        )
        .await
        .unwrap();
        let sales = app
            .signed_in("sal@paged.test", "correct horse battery")
            .await;
        for (name, form) in [
            ("webhooks", vec![]),
            (
                "add_webhook",
                vec![("url", url.clone()), ("events[0]", "deal.won".to_string())],
            ),
            (
                "set_webhook_active",
                vec![("id", id.to_string()), ("active", "true".into())],
            ),
            ("send_test_webhook", vec![("id", id.to_string())]),
            ("delete_webhook", vec![("id", id.to_string())]),
        ] {
            let (status, body) = app.rpc(&sales, name, &form).await;
            assert_eq!(status, 403, "{name}: {body}");
        }
        let (_, other_email, other_password) = app.account("Other").await;
        let other = app.signed_in(&other_email, &other_password).await;
        for name in ["send_test_webhook", "delete_webhook"] {
            let (status, body) = app.rpc(&other, name, &[("id", id.to_string())]).await;
            assert_eq!(status, 404, "{name}: {body}");
        }
        let (status, body) = app.rpc(&other, "webhooks", &[]).await;
        assert_eq!(status, 200);
        assert!(!body.contains("whsec_"), "{body}");

        let (status, body) = app
            .rpc(&owner, "delete_webhook", &[("id", id.to_string())])
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, html) = app.page(&owner, "/settings").await;
        assert!(html.contains("data-testid=\"no-webhooks\""));
    }
}
