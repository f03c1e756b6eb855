//! An external system's whole journey through the API, with no browser, on SQLite and
//! PostgreSQL: it subscribes to webhooks, creates a contact, a product and an opportunity with
//! the product, makes a quote of it and sends it; the client accepts it on the portal; the
//! account's `QUOTE_ACCEPTED` automation runs, and the subscription receives the deal and quote
//! events in the order they happened, each signed with its secret.

use std::time::Duration;

use serde_json::{json, Value};

use crate::receiver::{allow_local, assert_signed, Receiver};
use crate::support::{backends, wait_for, OnBackend, TestApp};

/// POSTs `body` to `path` and answers the created record (status 201).
async fn created(app: &TestApp, key: &str, path: &str, body: Value) -> Value {
    let (status, answer) = app
        .call("POST", path, Some(key), Some(&body.to_string()))
        .await;
    assert_eq!(status, 201, "POST {path}: {answer}");
    answer
}

fn id(record: &Value) -> String {
    record["id"].as_str().unwrap_or_default().to_string()
}

#[tokio::test]
async fn an_external_system_sells_through_the_api_alone() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start_with_worker(db, allow_local()).await;
        let hooks = Receiver::start().await;
        let (account_id, _, _) = app.account("Journey").await;
        let key = app
            .api_key(
                account_id,
                &[
                    "contacts:write",
                    "opportunities:read",
                    "opportunities:write",
                    "config:manage",
                ],
            )
            .await;

        // The integration subscribes first, and the account has an automation on acceptance.
        let events = [
            "deal.created",
            "deal.updated",
            "deal.stage_changed",
            "quote.created",
            "quote.sent",
            "quote.accepted",
        ];
        let subscription = created(
            &app,
            &key,
            "/v1/webhooks",
            json!({"url": hooks.url("/crm"), "events": events}),
        )
        .await;
        let secret = subscription["secret"].as_str().unwrap().to_string();
        let automation = created(
            &app,
            &key,
            "/api/automations",
            json!({"name": "Tell the ERP", "trigger": "QUOTE_ACCEPTED",
                   "actions": [{"type": "fire_webhook", "url": hooks.url("/erp")}]}),
        )
        .await;

        // A contact, a product, an opportunity with the product, a quote of it.
        let contact = created(&app, &key, "/v1/contacts", json!({"name": "Ana Compradora", "email": "ana@buyer.test", "phone": "+55 11 98765-4321"})).await;
        let product = created(
            &app,
            &key,
            "/v1/products",
            json!({"name": "Licencia anual", "unit_amount": "1200.00", "currency": "USD"}),
        )
        .await;
        let opp = created(
            &app,
            &key,
            "/v1/opportunities",
            json!({"name": "Buyer Co — 10 licencias", "lead_id": contact["id"]}),
        )
        .await;
        let opp_id = id(&opp);
        let line = created(
            &app,
            &key,
            &format!("/v1/opportunities/{opp_id}/products"),
            json!({"product_id": product["id"], "quantity": 10}),
        )
        .await;
        assert_eq!(line["total_amount"], json!(12000.0), "{line}");
        let quote = created(
            &app,
            &key,
            &format!("/v1/opportunities/{opp_id}/quotes"),
            json!({"from_products": true}),
        )
        .await;
        assert_eq!(
            (quote["total"].clone(), quote["status"].clone()),
            (json!(12000.0), json!("GENERATED")),
            "{quote}"
        );
        let quote_id = id(&quote);

        // Sent by e-mail with the portal link; the client accepts there.
        let (status, sent) = app
            .call(
                "POST",
                &format!("/v1/quotes/{quote_id}/send"),
                Some(&key),
                None,
            )
            .await;
        assert_eq!(
            (status, sent["status"].clone()),
            (200, json!("SENT")),
            "{sent}"
        );
        let portal = sent["portal_url"].as_str().unwrap().to_string();
        let token = portal.rsplit('/').next().unwrap().to_string();
        let (status, page) = app.page(&app.client(), &format!("/q/{token}")).await;
        assert_eq!(status, 200, "the portal shows the quote");
        assert!(
            page.contains("Licencia anual"),
            "the portal shows the items"
        );
        let (status, _) = app
            .rpc(
                &app.client(),
                "portal_accept_quote",
                &[("token", token.clone())],
            )
            .await;
        assert!(status < 400, "portal accept answered {status}");
        let (_, read) = app
            .call("GET", &format!("/v1/quotes/{quote_id}"), Some(&key), None)
            .await;
        assert_eq!(read["status"], json!("ACCEPTED"), "{read}");

        // The automation ran on the acceptance.
        let erp = hooks.wait_calls("/erp", 1).await;
        assert_eq!(
            erp[0].body["event"],
            json!("QUOTE_ACCEPTED"),
            "{:?}",
            erp[0].body
        );
        let logs = wait_for(Duration::from_secs(30), "a completed run", || async {
            let (_, logs) = app
                .call(
                    "GET",
                    &format!("/api/automations/{}/logs", id(&automation)),
                    Some(&key),
                    None,
                )
                .await;
            (logs["logs"][0]["status"] == "COMPLETED").then_some(logs)
        })
        .await;
        assert_eq!(logs["total"], json!(1), "{logs}");

        // The subscription got the deal's and the quote's events, in order, each signed.
        let wanted = [
            "deal.created",
            "deal.updated",
            "quote.created",
            "quote.sent",
            "quote.accepted",
        ];
        let calls = wait_for(
            Duration::from_secs(30),
            "the quote's acceptance delivered",
            || async {
                let calls = hooks.received_at("/crm");
                calls
                    .iter()
                    .any(|c| c.body["event"] == "quote.accepted")
                    .then_some(calls)
            },
        )
        .await;
        for call in &calls {
            assert_signed(&secret, call);
        }
        let got: Vec<&str> = calls
            .iter()
            .map(|c| c.body["event"].as_str().unwrap_or_default())
            .collect();
        assert_eq!(got, wanted, "the events, in the order they happened");
        let first_deal = calls
            .iter()
            .find(|c| c.body["event"] == "deal.created")
            .unwrap();
        assert_eq!(
            first_deal.body["data"]["id"],
            json!(opp_id),
            "{}",
            first_deal.body
        );
        let accepted = calls
            .iter()
            .find(|c| c.body["event"] == "quote.accepted")
            .unwrap();
        assert_eq!(
            accepted.body["data"]["status"],
            json!("ACCEPTED"),
            "{}",
            accepted.body
        );
        let mut ids: Vec<&str> = calls
            .iter()
            .map(|c| c.body["id"].as_str().unwrap())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(
            ids.len(),
            calls.len(),
            "each event is delivered once: {got:?}"
        );
    }
}
