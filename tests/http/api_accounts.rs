//! Seed 001 — `/api/v1/accounts/{account_id}/deals` — on both databases: every example of the
//! document replayed literally (each fresh database numbers the account, its first pipeline,
//! stage, contact and deal 1, as the examples do), Ransack search and pagination, upsert, and
//! each error the document lists.

use dealflow::domain::{AccountId, ContactId, DealId, UserId};
use dealflow::server::services::contacts::{self, NewContact};
use dealflow::server::services::deals;
use dealflow::server::services::Actor;
use serde_json::{json, Value};

use crate::support::{backends, TestApp};

const CREATE: &str = r#"{
"name": "Lead site: Rubel",
"status": "open",
"stage_id": 1,
"contact_id": 1,
"custom_attributes": {
"source": "Website",
"campaign": "Google Ads"
}
}"#;

const CREATE_FULL: &str = r#"{
"name": "Lead site: Rubel",
"status": "open",
"stage_id": 1,
"contact_id": 1,
"custom_attributes": {
"source": "Website",
"campaign": "Google Ads",
"utm_medium": "cpc",
"utm_source": "google",
"priority": "high",
"estimated_budget": 15000
}
}"#;

const SEARCH: &str = r#"{
"query": {
"name_cont": "Rubel",
"status_eq": "open"
}
}"#;

const SEARCH_FULL: &str = r#"{
"query": {
"name_cont": "Rubel",
"status_eq": "open",
"stage_id_eq": 1,
"pipeline_id_eq": 1,
"contact_id_eq": 42,
"created_at_gteq": "2025-01-01T00:00:00Z",
"updated_at_lteq": "2025-01-31T23:59:59Z",
"id_eq": 27
}
}"#;

const UPDATE: &str = r#"{
"status": "lost",
"lost_reason": "Preço alto demais",
"lost_at": "2025-01-18T16:45:00Z"
}"#;

const UPDATE_FULL: &str = r#"{
"name": "Lead site: Rubel (Lost)",
"status": "lost",
"stage_id": 2,
"lost_reason": "Preço alto demais",
"lost_at": "2025-01-18T16:45:00Z",
"custom_attributes": {
"source": "Website",
"competitor": "Concorrente X",
"final_offer_value": 12000
}
}"#;

const UPSERT: &str = r#"{
"stage_id": 1,
"pipeline_id": 1,
"name": "Lead site: Rubel",
"contact_id": 1,
"status": "open",
"custom_attributes": { "CPF": "123456789-87" }
}"#;

/// The fields every deal answer carries.
const DEAL_FIELDS: &[&str] = &[
    "id",
    "name",
    "status",
    "stage_id",
    "pipeline_id",
    "contact_id",
    "position",
    "created_by_id",
    "total_deal_products_amount_in_cents",
    "lost_at",
    "won_at",
    "lost_reason",
    "account_id",
    "custom_attributes",
    "created_at",
    "updated_at",
];

fn assert_deal_shape(v: &Value) {
    for f in DEAL_FIELDS {
        assert!(v.get(*f).is_some(), "field {f} missing in {v}");
    }
    for f in ["created_at", "updated_at"] {
        let t = v[f].as_str().unwrap();
        assert!(
            t.ends_with('Z') && chrono::DateTime::parse_from_rfc3339(t).is_ok(),
            "{f}: {t}"
        );
    }
}

/// Account 1 with the document's contact (id 1) and a key for it.
/// The names of a search page's deals, in order.
fn names(v: &Value) -> Vec<String> {
    v["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["name"].as_str().unwrap().to_string())
        .collect()
}

/// Searches with `query` and checks that exactly `expected` are found, in order.
async fn expect_found(
    app: &TestApp,
    search: &str,
    key: Option<&str>,
    query: Value,
    expected: &[&str],
) {
    let (status, body) = app
        .call(
            "POST",
            search,
            key,
            Some(&json!({ "query": query }).to_string()),
        )
        .await;
    assert_eq!(status, 200, "{query}: {body}");
    assert_eq!(names(&body), expected, "{query}");
}

async fn document_account(app: &TestApp) -> (AccountId, String) {
    let (account_id, _, _) = app.account("Woofed").await;
    assert_eq!(
        account_id,
        AccountId(1),
        "a fresh database numbers the first account 1"
    );
    let contact = contacts::create_contact(
        &app.db,
        Actor {
            account_id,
            user_id: None,
        },
        NewContact {
            full_name: "Tim Maia".into(),
            email: Some("sabina.lockman@robel.example".into()),
            phone: Some("+555678606681".into()),
            organization_id: None,
        },
    )
    .await
    .unwrap();
    assert_eq!(contact.id, ContactId(1));
    let token = app
        .api_key(account_id, &["deals:read", "deals:write"])
        .await;
    (account_id, token)
}

#[tokio::test]
async fn accounts_api_replays_the_document() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, key) = document_account(&app).await;
        let k = Some(key.as_str());
        let base = "/api/v1/accounts/1/deals";

        // Create, as the curl example sends it.
        let (status, deal) = app.call("POST", base, k, Some(CREATE)).await;
        assert_eq!(status, 201, "{deal}");
        assert_deal_shape(&deal);
        assert_eq!(deal["id"], json!(1));
        assert_eq!(deal["name"], json!("Lead site: Rubel"));
        assert_eq!(deal["status"], json!("open"));
        assert_eq!(deal["stage_id"], json!(1));
        assert_eq!(deal["pipeline_id"], json!(1), "inferred from the stage");
        assert_eq!(deal["contact_id"], json!(1));
        assert_eq!(deal["position"], json!(1));
        assert_eq!(deal["total_deal_products_amount_in_cents"], json!(0));
        assert_eq!(deal["lost_at"], Value::Null);
        assert_eq!(deal["won_at"], Value::Null);
        assert_eq!(deal["lost_reason"], json!(""));
        assert_eq!(deal["account_id"], json!(account_id));
        assert_eq!(
            deal["custom_attributes"],
            json!({"source": "Website", "campaign": "Google Ads"}),
            "returned as sent"
        );

        // The body of the document's table, with a number among the attributes.
        let (status, second) = app.call("POST", base, k, Some(CREATE_FULL)).await;
        assert_eq!(status, 201, "{second}");
        assert_eq!(second["position"], json!(2), "placed after the first");
        assert_eq!(
            second["custom_attributes"]["estimated_budget"],
            json!(15000)
        );

        // Search, as the curl example sends it: both match.
        let (status, found) = app
            .call("POST", &format!("{base}/search"), k, Some(SEARCH))
            .await;
        assert_eq!(status, 200, "{found}");
        let data = found["data"].as_array().unwrap();
        assert_eq!(data.len(), 2);
        data.iter().for_each(assert_deal_shape);
        assert_eq!(
            found["pagination"],
            json!({"page": 1, "items": 2, "count": 2, "pages": 1, "from": 1, "last": 1, "to": 2, "prev": null, "next": null})
        );
        // The body of the document: contact 42 and deal 27 do not exist here.
        let (status, none) = app
            .call("POST", &format!("{base}/search"), k, Some(SEARCH_FULL))
            .await;
        assert_eq!(status, 200, "{none}");
        assert_eq!(none["data"], json!([]));
        assert_eq!(none["pagination"]["count"], json!(0));
        // The same conditions naming what exists, dated around today.
        let today = chrono::Utc::now();
        let full = json!({"query": {
            "name_cont": "rubel", "status_eq": "open", "stage_id_eq": 1, "pipeline_id_eq": 1,
            "contact_id_eq": 1, "created_at_gteq": (today - chrono::Duration::days(1)).to_rfc3339(),
            "updated_at_lteq": (today + chrono::Duration::days(1)).to_rfc3339(), "id_eq": 1
        }});
        let (status, one) = app
            .call(
                "POST",
                &format!("{base}/search"),
                k,
                Some(&full.to_string()),
            )
            .await;
        assert_eq!(status, 200, "{one}");
        assert_eq!(one["data"][0]["id"], json!(1));
        assert_eq!(
            one["pagination"],
            json!({"page": 1, "items": 1, "count": 1, "pages": 1, "from": 1, "last": 1, "to": 1, "prev": null, "next": null})
        );

        // Get, with what it nests: an assignee and a product line first.
        let (user_id,): (UserId,) = sqlx::query_as("SELECT id FROM users WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let actor = Actor {
            account_id,
            user_id: Some(user_id),
        };
        dealflow::server::services::deals::links::add_link(
            &app.db,
            actor,
            DealId(1),
            dealflow::server::services::deals::links::Link::Assignee(user_id),
        )
        .await
        .unwrap();
        let owner = dealflow::server::auth::session_user::load_user(&app.db, user_id)
            .await
            .unwrap()
            .unwrap();
        let product = dealflow::server::services::catalog::add_product(
            &app.db,
            &owner,
            &dealflow::server::services::catalog::ProductInput {
                name: "Plano anual".into(),
                identifier: "PLAN-1".into(),
                unit_amount: "150.25".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        dealflow::server::services::deals::products::add_line(
            &app.db,
            actor,
            DealId(1),
            &dealflow::server::services::deals::products::NewLine {
                product_id: product,
                quantity: 2,
                unit_amount: String::new(),
            },
        )
        .await
        .unwrap();
        let (status, got) = app.call("GET", &format!("{base}/1"), k, None).await;
        assert_eq!(status, 200, "{got}");
        assert_deal_shape(&got);
        assert_eq!(got["total_deal_products_amount_in_cents"], json!(30050));
        assert_eq!(got["contact"]["id"], json!(1));
        assert_eq!(got["contact"]["full_name"], json!("Tim Maia"));
        assert_eq!(got["contact"]["phone"], json!("+555678606681"));
        assert_eq!(
            got["contact"]["email"],
            json!("sabina.lockman@robel.example")
        );
        for f in [
            "custom_attributes",
            "additional_attributes",
            "app_type",
            "app_id",
            "created_at",
            "updated_at",
            "account_id",
            "label_list",
            "chatwoot_conversations_label_list",
        ] {
            assert!(got["contact"].get(f).is_some(), "contact.{f}");
        }
        assert_eq!(got["stage"]["id"], json!(1));
        assert_eq!(got["stage"]["pipeline_id"], json!(1));
        assert_eq!(got["stage"]["position"], json!(1));
        assert_eq!(got["pipeline"]["id"], json!(1));
        assert_eq!(got["pipeline"]["account_id"], json!(account_id));
        assert_eq!(got["deal_assignees"][0]["deal_id"], json!(1));
        assert_eq!(got["deal_assignees"][0]["user_id"], json!(user_id));
        let line = &got["deal_products"][0];
        assert_eq!(line["product_id"], json!(product));
        assert_eq!(line["deal_id"], json!(1));
        assert_eq!(line["unit_amount_in_cents"], json!(15025));
        assert_eq!(line["total_amount_in_cents"], json!(30050));
        assert_eq!(line["quantity"], json!(2));
        assert_eq!(line["product_name"], json!("Plano anual"));
        assert_eq!(line["product_identifier"], json!("PLAN-1"));

        // Update, as the curl example sends it: the fields not sent stay.
        let (status, lost) = app.call("PUT", &format!("{base}/1"), k, Some(UPDATE)).await;
        assert_eq!(status, 200, "{lost}");
        assert_eq!(lost["status"], json!("lost"));
        assert_eq!(lost["lost_reason"], json!("Preço alto demais"));
        assert_eq!(lost["lost_at"], json!("2025-01-18T16:45:00Z"));
        assert_eq!(lost["won_at"], Value::Null);
        assert_eq!(lost["name"], json!("Lead site: Rubel"), "untouched");
        assert_eq!(lost["stage_id"], json!(1), "untouched");
        assert_eq!(
            lost["custom_attributes"],
            json!({"source": "Website", "campaign": "Google Ads"}),
            "untouched"
        );
        let stored = deals::get_deal(&app.db, actor, DealId(1)).await.unwrap();
        assert_eq!(stored.status, "lost", "the board reads the same row");
        // The body of the document: another stage and new attributes too.
        let (status, moved) = app
            .call("PUT", &format!("{base}/2"), k, Some(UPDATE_FULL))
            .await;
        assert_eq!(status, 200, "{moved}");
        assert_eq!(moved["name"], json!("Lead site: Rubel (Lost)"));
        assert_eq!(moved["stage_id"], json!(2));
        assert_eq!(moved["pipeline_id"], json!(1));
        assert_eq!(moved["position"], json!(1));
        assert_eq!(moved["lost_at"], json!("2025-01-18T16:45:00Z"));
        assert_eq!(
            moved["custom_attributes"],
            json!({"source": "Website", "competitor": "Concorrente X", "final_offer_value": 12000})
        );

        // Upsert: no open deal of contact 1 in pipeline 1 is left, so it creates…
        let (status, created) = app
            .call("POST", &format!("{base}/upsert"), k, Some(UPSERT))
            .await;
        assert_eq!(status, 201, "{created}");
        assert_deal_shape(&created);
        assert_eq!(created["custom_attributes"], json!({"CPF": "123456789-87"}));
        assert_eq!(created["status"], json!("open"));
        // …and the same call again updates that deal.
        let again = UPSERT.replace("123456789-87", "987654321-00");
        let (status, updated) = app
            .call("POST", &format!("{base}/upsert"), k, Some(&again))
            .await;
        assert_eq!(status, 200, "{updated}");
        assert_eq!(updated["id"], created["id"]);
        assert_eq!(updated["custom_attributes"], json!({"CPF": "987654321-00"}));
    }
}

#[tokio::test]
async fn accounts_api_upsert_finds_or_creates_the_contact() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (_, key) = document_account(&app).await;
        let k = Some(key.as_str());
        let path = "/api/v1/accounts/1/deals/upsert";
        let body = |name: &str, contact: Value| {
            json!({"stage_id": 1, "name": name, "contact_attributes": contact}).to_string()
        };
        // An e-mail no contact has: a new contact.
        let (status, first) = app
            .call(
                "POST",
                path,
                k,
                Some(&body(
                    "From the site",
                    json!({"full_name": "Ana Souza", "email": "Ana@Example.com"}),
                )),
            )
            .await;
        assert_eq!(status, 201, "{first}");
        let ana = first["contact_id"].as_i64().unwrap();
        assert_ne!(ana, 1);
        // The same e-mail (other case): the same contact and so the same open deal.
        let (status, second) = app
            .call(
                "POST",
                path,
                k,
                Some(&body(
                    "From the site, again",
                    json!({"email": "ana@example.com"}),
                )),
            )
            .await;
        assert_eq!(status, 200, "{second}");
        assert_eq!(second["id"], first["id"]);
        assert_eq!(second["name"], json!("From the site, again"));
        // Tim's phone, written differently: Tim, who has no open deal here yet.
        let (status, third) = app
            .call(
                "POST",
                path,
                k,
                Some(&body("Call-in", json!({"phone": "+55 5678 606681"}))),
            )
            .await;
        assert_eq!(status, 201, "{third}");
        assert_eq!(third["contact_id"], json!(1));
        // By id, and an id the account does not have.
        let (status, by_id) = app
            .call("POST", path, k, Some(&body("By id", json!({"id": ana}))))
            .await;
        assert_eq!(status, 200, "{by_id}");
        assert_eq!(by_id["id"], first["id"]);
        let (status, err) = app
            .call("POST", path, k, Some(&body("Nobody", json!({"id": 999}))))
            .await;
        assert_eq!(status, 422, "{err}");
        assert_eq!(err["error"]["field"], json!("contact_attributes.id"));
        let (status, err) = app
            .call(
                "POST",
                path,
                k,
                Some(&body(
                    "Bad",
                    json!({"full_name": "X", "email": "not-an-email"}),
                )),
            )
            .await;
        assert_eq!(status, 422, "{err}");
        assert_eq!(err["error"]["field"], json!("contact_attributes.email"));
    }
}

#[tokio::test]
async fn accounts_api_refuses_what_the_document_lists() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, key) = document_account(&app).await;
        let (other_account, _, _) = app.account("Other").await;
        let other_key = app.api_key(other_account, &["all"]).await;
        let read_only = app.api_key(account_id, &["deals:read"]).await;
        let k = Some(key.as_str());
        let base = "/api/v1/accounts/1/deals";
        let (status, _) = app.call("POST", base, k, Some(CREATE)).await;
        assert_eq!(status, 201);

        // 401: no key, a wrong key.
        for key in [None, Some("not-a-key")] {
            for (method, path, body) in [
                ("POST", base.to_string(), Some(CREATE)),
                ("POST", format!("{base}/search"), Some(SEARCH)),
                ("GET", format!("{base}/1"), None),
                ("PUT", format!("{base}/1"), Some(UPDATE)),
                ("POST", format!("{base}/upsert"), Some(UPSERT)),
            ] {
                let (status, err) = app.call(method, &path, key, body).await;
                assert_eq!(status, 401, "{method} {path}: {err}");
                assert_eq!(err["error"]["code"], json!("UNAUTHORIZED"));
            }
        }
        // 403: a read-only key writes.
        let (status, _) = app
            .call("PUT", &format!("{base}/1"), Some(&read_only), Some(UPDATE))
            .await;
        assert_eq!(status, 403);
        // 404: another account's id in the path, another account's key, an unknown deal.
        let (status, _) = app
            .call(
                "GET",
                &format!("/api/v1/accounts/{other_account}/deals/1"),
                k,
                None,
            )
            .await;
        assert_eq!(status, 404);
        let (status, _) = app
            .call("GET", &format!("{base}/1"), Some(&other_key), None)
            .await;
        assert_eq!(status, 404, "a foreign account id is not found");
        let (status, _) = app
            .call(
                "GET",
                &format!("/api/v1/accounts/{other_account}/deals/1"),
                Some(&other_key),
                None,
            )
            .await;
        assert_eq!(status, 404, "deal 1 belongs to account 1");
        for path in [format!("{base}/999"), format!("{base}/abc")] {
            let (status, err) = app.call("GET", &path, k, None).await;
            assert_eq!(status, 404, "{path}");
            assert_eq!(err["error"]["code"], json!("NOT_FOUND"));
        }
        let (status, _) = app
            .call("PUT", &format!("{base}/999"), k, Some(UPDATE))
            .await;
        assert_eq!(status, 404);

        // 422 on create: stage_id or contact_id missing or not the account's, pipeline mismatch.
        let (other_stage,): (i64,) =
            sqlx::query_as("SELECT MIN(id) FROM stages WHERE account_id = $1")
                .bind(other_account)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let (second_pipeline,): (i64,) = sqlx::query_as(
            "SELECT id FROM pipelines WHERE account_id = $1 ORDER BY id DESC LIMIT 1",
        )
        .bind(other_account)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        for (body, field) in [
            (json!({"name": "x", "contact_id": 1}), "stage_id"),
            (json!({"name": "x", "stage_id": 1}), "contact_id"),
            (
                json!({"name": "x", "stage_id": other_stage, "contact_id": 1}),
                "stage_id",
            ),
            (
                json!({"name": "x", "stage_id": 1, "contact_id": 999}),
                "contact_id",
            ),
            (
                json!({"name": "x", "stage_id": 1, "contact_id": 1, "pipeline_id": second_pipeline}),
                "pipeline_id",
            ),
            (
                json!({"name": "x", "stage_id": "one", "contact_id": 1}),
                "stage_id",
            ),
            (
                json!({"name": "x", "stage_id": 1, "contact_id": 1, "status": "maybe"}),
                "status",
            ),
            (json!({"name": "", "stage_id": 1, "contact_id": 1}), "name"),
            (
                json!({"name": "x".repeat(151), "stage_id": 1, "contact_id": 1}),
                "name",
            ),
            (
                json!({"name": "x", "stage_id": 1, "contact_id": 1, "custom_attributes": "source"}),
                "custom_attributes",
            ),
        ] {
            let (status, err) = app.call("POST", base, k, Some(&body.to_string())).await;
            assert_eq!(status, 422, "{body}: {err}");
            assert_eq!(err["error"]["code"], json!("VALIDATION_ERROR"));
            assert_eq!(err["error"]["field"], json!(field), "{body}: {err}");
        }

        // 422 on update: bad status, pipeline mismatch, malformed or non-UTC lost_at; nothing
        // is saved, not even the valid fields sent with them.
        for (body, field) in [
            (json!({"name": "Changed", "status": "closed"}), "status"),
            (
                json!({"name": "Changed", "stage_id": 1, "pipeline_id": second_pipeline}),
                "pipeline_id",
            ),
            (
                json!({"name": "Changed", "status": "lost", "lost_at": "18/01/2025"}),
                "lost_at",
            ),
            (
                json!({"name": "Changed", "status": "lost", "lost_at": "2025-01-18T16:45:00-03:00"}),
                "lost_at",
            ),
            (
                json!({"name": "Changed", "won_at": "2025-01-18T16:45:00Z"}),
                "won_at",
            ),
            (json!({"name": "Changed", "position": 0}), "position"),
            // The stage is required: it may be left out (kept), not emptied.
            (json!({"name": "Changed", "stage_id": null}), "stage_id"),
            (json!({"stage_id": ""}), "stage_id"),
        ] {
            let (status, err) = app
                .call("PUT", &format!("{base}/1"), k, Some(&body.to_string()))
                .await;
            assert_eq!(status, 422, "{body}: {err}");
            assert_eq!(err["error"]["field"], json!(field), "{body}: {err}");
        }
        let (_, unchanged) = app.call("GET", &format!("{base}/1"), k, None).await;
        assert_eq!(unchanged["name"], json!("Lead site: Rubel"));
        assert_eq!(unchanged["status"], json!("open"));
        let stage = unchanged["stage_id"].clone();
        let (status, renamed) = app
            .call(
                "PUT",
                &format!("{base}/1"),
                k,
                Some(r#"{"name": "Lead site: Rubel"}"#),
            )
            .await;
        assert_eq!(
            (status, renamed["stage_id"].clone()),
            (200, stage),
            "{renamed}"
        );

        // Search: 400 for malformed JSON, 422 for unknown predicates, attributes and values.
        let search = format!("{base}/search");
        let (status, err) = app
            .call("POST", &search, k, Some(r#"{"query": {"name_cont": "Ru"#))
            .await;
        assert_eq!(status, 400, "{err}");
        assert_eq!(err["error"]["code"], json!("INVALID_JSON"));
        for (query, field) in [
            (json!({"name_like": "Ru"}), "query.name_like"),
            (json!({"password_eq": "x"}), "query.password_eq"),
            (json!({"id_eq": "one"}), "query.id_eq"),
            (json!({"created_at_gt": "last week"}), "query.created_at_gt"),
            (json!({"id_cont": "1"}), "query.id_cont"),
        ] {
            let (status, err) = app
                .call(
                    "POST",
                    &search,
                    k,
                    Some(&json!({ "query": query }).to_string()),
                )
                .await;
            assert_eq!(status, 422, "{query}: {err}");
            assert_eq!(err["error"]["field"], json!(field));
        }
        let (status, err) = app
            .call("POST", &search, k, Some(r#"{"query": {}, "items": 101}"#))
            .await;
        assert_eq!(status, 422, "{err}");
        assert_eq!(err["error"]["field"], json!("items"));

        // Every predicate the issue lists, on a known set.
        for name in ["Beta", "Gamma", "50% off"] {
            let (status, _) = app
                .call(
                    "POST",
                    base,
                    k,
                    Some(&json!({"name": name, "stage_id": 2, "contact_id": 1}).to_string()),
                )
                .await;
            assert_eq!(status, 201);
        }
        app.call(
            "PUT",
            &format!("{base}/2"),
            k,
            Some(r#"{"status": "won", "won_at": "2025-02-01T12:00:00Z"}"#),
        )
        .await;
        for (query, expected) in [
            (json!({"name_eq": "Gamma"}), vec!["Gamma"]),
            (
                json!({"name_not_eq": "Gamma", "stage_id_eq": 2}),
                vec!["Beta", "50% off"],
            ),
            (json!({"name_cont": "AMM"}), vec!["Gamma"]),
            // Through the trigram index (3+ characters, wildcards taken literally) and without
            // it (shorter): the same answers.
            (json!({"name_cont": "0% O"}), vec!["50% off"]),
            (json!({"name_cont": "%"}), vec!["50% off"]),
            (json!({"name_cont": "et"}), vec!["Beta"]),
            (json!({"name_cont": "\"xy"}), vec![]),
            (
                json!({"name_not_cont": "a", "stage_id_eq": 2}),
                vec!["50% off"],
            ),
            (json!({"name_start": "50%"}), vec!["50% off"]),
            (json!({"name_end": "eta"}), vec!["Beta"]),
            (json!({"id_gt": 2}), vec!["Gamma", "50% off"]),
            (json!({"id_gteq": 2, "id_lt": 3}), vec!["Beta"]),
            (json!({"id_lteq": 1}), vec!["Lead site: Rubel"]),
            (
                json!({"id_in": [1, 4]}),
                vec!["Lead site: Rubel", "50% off"],
            ),
            (json!({"won_at_null": false}), vec!["Beta"]),
            (json!({"won_at_present": true}), vec!["Beta"]),
            (json!({"status_in": ["won"]}), vec!["Beta"]),
            (json!({"won_at_gteq": "2025-02-01"}), vec!["Beta"]),
            (
                json!({"lost_at_null": true, "won_at_null": true, "s": "id desc", "stage_id_eq": 2}),
                vec!["50% off", "Gamma"],
            ),
        ] {
            expect_found(&app, &search, k, query, &expected).await;
        }
        // Pages: 4 deals, 3 to a page.
        let (status, page2) = app
            .call(
                "POST",
                &format!("{search}?page=2&items=3"),
                k,
                Some(r#"{"query": {}}"#),
            )
            .await;
        assert_eq!(status, 200, "{page2}");
        assert_eq!(
            page2["pagination"],
            json!({"page": 2, "items": 1, "count": 4, "pages": 2, "from": 4, "last": 2, "to": 4, "prev": 1, "next": null})
        );
        assert_eq!(names(&page2), vec!["50% off"]);
        let (_, page1) = app
            .call(
                "POST",
                &search,
                k,
                Some(r#"{"query": {}, "page": 1, "items": 3}"#),
            )
            .await;
        assert_eq!(page1["pagination"]["next"], json!(2));
        assert_eq!(page1["data"].as_array().unwrap().len(), 3);

        // A renamed deal is found by its new name only.
        let (status, _) = app
            .call("PUT", &format!("{base}/3"), k, Some(r#"{"name": "Omega"}"#))
            .await;
        assert_eq!(status, 200);
        for (query, expected) in [
            (json!({"name_cont": "MEG"}), vec!["Omega"]),
            (json!({"name_cont": "amm"}), vec![]),
        ] {
            expect_found(&app, &search, k, query, &expected).await;
        }

        // Upsert: stage_id missing, pipeline mismatch.
        let (status, err) = app
            .call(
                "POST",
                &format!("{base}/upsert"),
                k,
                Some(r#"{"name": "x", "contact_id": 1}"#),
            )
            .await;
        assert_eq!(status, 422);
        assert_eq!(err["error"]["field"], json!("stage_id"));
        let (status, err) = app
            .call(
                "POST",
                &format!("{base}/upsert"),
                k,
                Some(
                    &json!({"stage_id": 1, "pipeline_id": second_pipeline, "contact_id": 1})
                        .to_string(),
                ),
            )
            .await;
        assert_eq!(status, 422);
        assert_eq!(err["error"]["field"], json!("pipeline_id"));
        // A method the path does not take: 405, in JSON.
        let (status, err) = app.call("DELETE", &format!("{base}/1"), k, None).await;
        assert_eq!(status, 405, "{err}");
        assert_eq!(err["error"]["code"], json!("METHOD_NOT_ALLOWED"));
        let (status, err) = app
            .call("GET", "/external/v1/opportunities/opp_x/stage", k, None)
            .await;
        assert_eq!(status, 405, "{err}");
        assert_eq!(err["success"], json!(false), "in the surface's own shape");
        // No API path answers with HTML.
        let (status, err) = app.call("GET", "/api/v1/accounts/1/nothing", k, None).await;
        assert_eq!(status, 404);
        assert_eq!(err["error"]["code"], json!("NOT_FOUND"));
    }
}

#[tokio::test]
async fn accounts_api_errors_read_as_woofeds_and_ours() {
    for db in backends().await {
        let _on = crate::support::OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Woofed").await;
        let key = app.api_key(account_id, &["all"]).await;
        let base = format!("/api/v1/accounts/{account_id}/deals");
        let k = Some(key.as_str());
        // 401, 404: Woofed's word, beside our code.
        let (status, err) = app.call("GET", &format!("{base}/1"), None, None).await;
        assert_eq!(
            (status, err["errors"].clone()),
            (401, json!("Unauthorized")),
            "{err}"
        );
        assert_eq!(err["error"]["code"], "UNAUTHORIZED");
        let (status, err) = app.call("GET", &format!("{base}/999999"), k, None).await;
        assert_eq!(
            (status, err["errors"].clone()),
            (404, json!("Not found")),
            "{err}"
        );
        let (status, err) = app
            .call(
                "GET",
                &format!("/api/v1/accounts/{}/deals/1", account_id.0 + 1000),
                k,
                None,
            )
            .await;
        assert_eq!(
            (status, err["errors"].clone()),
            (404, json!("Not found")),
            "{err}"
        );
        // 422 and 400: the list of sentences, and the field named in `error`.
        let (status, err) = app
            .call(
                "POST",
                &base,
                k,
                Some(r#"{"name": "No stage", "contact_id": 1}"#),
            )
            .await;
        assert_eq!(status, 422, "{err}");
        let sentences = err["errors"].as_array().expect("a list of sentences");
        assert!(
            sentences[0].as_str().unwrap().starts_with("Stage "),
            "{err}"
        );
        assert_eq!(err["error"]["field"], "stage_id");
        let (status, err) = app.call("POST", &base, k, Some("{not json")).await;
        assert_eq!(status, 400, "{err}");
        assert!(err["errors"].is_array(), "{err}");
        assert_eq!(err["error"]["code"], "INVALID_JSON");
        // The other surfaces keep their own shapes.
        let (status, err) = app
            .call(
                "PATCH",
                "/v1/opportunities/opp_x",
                k,
                Some(r#"{"name": "x"}"#),
            )
            .await;
        assert_eq!(status, 404, "{err}");
        assert!(err.get("errors").is_none(), "{err}");
    }
}
