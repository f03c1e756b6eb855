//! Seed 000 — the `/v1` sales API — on both databases: the document's example bodies replayed
//! literally, filters and pagination, and the error cases.

use dealflow::domain::{AccountId, UserId};
use dealflow::server::auth::api_keys;
use dealflow::server::services::contacts::{self, NewContact};
use dealflow::server::services::{catalog, Actor};
use serde_json::{json, Value};

use crate::support::{backends, TestApp};

async fn call(
    app: &TestApp,
    method: &str,
    path: &str,
    key: Option<&str>,
    body: Option<&str>,
) -> (u16, Value) {
    app.call(method, path, key, body).await
}

async fn key(app: &TestApp, account_id: AccountId, scopes: &[&str]) -> String {
    app.api_key(account_id, scopes).await
}

const CREATE_EXAMPLE: &str = r#"{
  "name": "Contrato anual - Empresa SA",
  "value": 50000.00,
  "currency": "USD",
  "stage": "proposal",
  "lead_id": "lead_abc123",
  "expected_close_date": "2026-05-01",
  "products": ["product_001", "product_002"]
}"#;

const CLOSE_EXAMPLE: &str = r#"{
  "status": "won",
  "final_value": 48000.00,
  "close_notes": "Negociación exitosa con descuento del 4%"
}"#;

#[tokio::test]
async fn sales_api_replays_the_document_and_refuses_bad_requests() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Sales API").await;
        let actor = Actor {
            account_id,
            user_id: None,
        };
        let all = key(&app, account_id, &["all"]).await;

        // What the examples refer to: lead_abc123, product_001, product_002.
        let lead = contacts::create_contact(
            &app.db,
            actor,
            NewContact {
                full_name: "Empresa SA".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        sqlx::query("UPDATE contacts SET uuid = 'abc123' WHERE id = $1")
            .bind(lead.id)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let owner = dealflow::server::auth::session_user::load_user(
            &app.db,
            sqlx::query_as::<_, (UserId,)>("SELECT id FROM users WHERE account_id = $1")
                .bind(account_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap()
                .0,
        )
        .await
        .unwrap()
        .unwrap();
        for (code, price) in [("001", "30000"), ("002", "20000")] {
            let id = catalog::add_product(
                &app.db,
                &owner,
                &catalog::ProductInput {
                    name: format!("Product {code}"),
                    unit_amount: price.into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            sqlx::query("UPDATE products SET uuid = $1 WHERE id = $2")
                .bind(code)
                .bind(id)
                .execute(&app.db.pool)
                .await
                .unwrap();
        }

        // Create, as the document writes it.
        let (status, opp) = call(
            &app,
            "POST",
            "/v1/opportunities",
            Some(&all),
            Some(CREATE_EXAMPLE),
        )
        .await;
        assert_eq!(status, 201, "{opp}");
        assert!(opp["id"].as_str().unwrap().starts_with("opp_"));
        assert_eq!(opp["name"], json!("Contrato anual - Empresa SA"));
        assert_eq!(opp["value"], json!(50000.0));
        assert_eq!(opp["currency"], json!("USD"));
        assert_eq!(opp["stage"], json!("proposal"));
        assert_eq!(opp["status"], json!("open"));
        assert_eq!(opp["probability"], json!(60));
        assert_eq!(opp["expected_close_date"], json!("2026-05-01"));
        assert_eq!(opp["lead_id"], json!("lead_abc123"));
        assert!(opp["created_at"].as_str().unwrap().ends_with('Z'));
        let id = opp["id"].as_str().unwrap().to_string();
        let (lines,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM deal_products dp JOIN deals d ON d.id = dp.deal_id WHERE d.account_id = $1",
        )
        .bind(account_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(lines, 2, "both products are on the deal");

        let (status, second) = call(
            &app,
            "POST",
            "/v1/opportunities",
            Some(&all),
            Some(r#"{"name": "Small deal", "value": 1200.5}"#),
        )
        .await;
        assert_eq!(status, 201, "{second}");
        assert_eq!(second["stage"], json!("new"), "first stage by default");

        // List with the document's filters and pages.
        let (status, list) = call(&app, "GET", "/v1/opportunities", Some(&all), None).await;
        assert_eq!(status, 200);
        assert_eq!(list["data"].as_array().unwrap().len(), 2);
        for (query, expected) in [
            ("stage=proposal", vec!["Contrato anual - Empresa SA"]),
            ("status=won", vec![]),
            (
                "status=open&min_value=2000",
                vec!["Contrato anual - Empresa SA"],
            ),
            ("max_value=1200.50", vec!["Small deal"]),
            ("per_page=1&page=2", vec!["Contrato anual - Empresa SA"]),
            ("assigned_to=user_nobody", vec![]),
        ] {
            let (status, body) = call(
                &app,
                "GET",
                &format!("/v1/opportunities?{query}"),
                Some(&all),
                None,
            )
            .await;
            assert_eq!(status, 200, "{query}: {body}");
            let names: Vec<&str> = body["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["name"].as_str().unwrap())
                .collect();
            assert_eq!(names, expected, "{query}");
        }
        let (_, paged) = call(
            &app,
            "GET",
            "/v1/opportunities?per_page=1",
            Some(&all),
            None,
        )
        .await;
        assert_eq!(
            paged["meta"],
            json!({"page": 1, "per_page": 1, "total": 2, "pages": 2})
        );
        for bad in [
            "per_page=101",
            "per_page=0",
            "page=abc",
            "min_value=lots",
            "status=maybe",
        ] {
            let (status, body) = call(
                &app,
                "GET",
                &format!("/v1/opportunities?{bad}"),
                Some(&all),
                None,
            )
            .await;
            assert_eq!(status, 422, "{bad}: {body}");
            assert!(
                body["error"]["field"].is_string(),
                "{bad}: the field is named"
            );
        }

        // Update: present fields change, the rest stays.
        let (status, updated) = call(
            &app,
            "PATCH",
            &format!("/v1/opportunities/{id}"),
            Some(&all),
            Some(r#"{"value": 48500, "stage": "negotiation"}"#),
        )
        .await;
        assert_eq!(status, 200, "{updated}");
        assert_eq!(
            (
                updated["value"].clone(),
                updated["stage"].clone(),
                updated["name"].clone(),
                updated["lead_id"].clone()
            ),
            (
                json!(48500.0),
                json!("negotiation"),
                json!("Contrato anual - Empresa SA"),
                json!("lead_abc123")
            )
        );

        // Close, as the document writes it.
        let (status, closed) = call(
            &app,
            "POST",
            &format!("/v1/opportunities/{id}/close"),
            Some(&all),
            Some(CLOSE_EXAMPLE),
        )
        .await;
        assert_eq!(status, 200, "{closed}");
        assert_eq!(closed["status"], json!("won"));
        assert!(closed["won_at"].as_str().is_some());
        // The answer and every later read show the final value and the notes.
        let shown = |o: &Value| (o["final_value"].clone(), o["close_notes"].clone());
        let expected = (
            json!(48000.0),
            json!("Negociación exitosa con descuento del 4%"),
        );
        assert_eq!(shown(&closed), expected, "{closed}");
        let (_, won) = call(
            &app,
            "GET",
            "/v1/opportunities?status=won",
            Some(&all),
            None,
        )
        .await;
        let listed = won["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["id"] == closed["id"])
            .cloned()
            .unwrap_or_default();
        assert_eq!(shown(&listed), expected, "{won}");
        let (final_cents, notes): (Option<i64>, Option<String>) =
            sqlx::query_as("SELECT final_value_cents, close_notes FROM deals WHERE title = 'Contrato anual - Empresa SA'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(final_cents, Some(4_800_000));
        assert_eq!(
            notes.as_deref(),
            Some("Negociación exitosa con descuento del 4%")
        );

        // Stages of the pipeline, in order.
        let (status, stages) = call(&app, "GET", "/v1/pipeline/stages", Some(&all), None).await;
        assert_eq!(status, 200);
        let first = &stages["data"][0];
        assert!(first["id"].as_str().unwrap().starts_with("stage_"));
        assert_eq!(
            (
                first["name"].clone(),
                first["order"].clone(),
                first["probability"].clone()
            ),
            (json!("New"), json!(1), json!(10))
        );
        assert_eq!(stages["data"][1]["order"], json!(2));

        // Errors.
        let (status, body) = call(&app, "GET", "/v1/opportunities", None, None).await;
        assert_eq!(
            (status, body["error"]["code"].clone()),
            (401, json!("UNAUTHORIZED"))
        );
        let read = key(&app, account_id, &["opportunities:read"]).await;
        let (status, _) = call(
            &app,
            "POST",
            "/v1/opportunities",
            Some(&read),
            Some(CREATE_EXAMPLE),
        )
        .await;
        assert_eq!(status, 403);
        for (body, field) in [
            (r#"{"value": 10}"#, "name"),
            (r#"{"name": "X", "stage": "nowhere"}"#, "stage"),
            (r#"{"name": "X", "value": 1.234}"#, "value"),
            (r#"{"name": "X", "lead_id": "lead_unknown"}"#, "lead_id"),
            (r#"{"name": "X", "products": ["product_999"]}"#, "products"),
            (
                r#"{"name": "X", "expected_close_date": "soon"}"#,
                "expected_close_date",
            ),
        ] {
            let (status, err) =
                call(&app, "POST", "/v1/opportunities", Some(&all), Some(body)).await;
            assert_eq!(status, 422, "{body}: {err}");
            assert_eq!(err["error"]["field"], json!(field), "{body}");
        }
        let (status, body) =
            call(&app, "POST", "/v1/opportunities", Some(&all), Some("{oops")).await;
        assert_eq!(
            (status, body["error"]["code"].clone()),
            (400, json!("INVALID_JSON"))
        );
        let (status, _) = call(
            &app,
            "PATCH",
            "/v1/opportunities/opp_missing",
            Some(&all),
            Some("{}"),
        )
        .await;
        assert_eq!(status, 404);
        let (status, _) = call(
            &app,
            "POST",
            &format!("/v1/opportunities/{id}/close"),
            Some(&all),
            Some(r#"{"status": "maybe"}"#),
        )
        .await;
        assert_eq!(status, 422);

        // Another account sees none of it.
        let (other, _, _) = app.account("Other sales").await;
        let theirs = key(&app, other, &["all"]).await;
        let (_, list) = call(&app, "GET", "/v1/opportunities", Some(&theirs), None).await;
        assert_eq!(list["data"], json!([]));
        let (status, _) = call(
            &app,
            "PATCH",
            &format!("/v1/opportunities/{id}"),
            Some(&theirs),
            Some(r#"{"name": "Mine"}"#),
        )
        .await;
        assert_eq!(status, 404);
    }
}

const ACTIVITY_EXAMPLE: &str = r#"{
  "type": "call",
  "title": "Llamada de seguimiento",
  "description": "Confirmar interés en la propuesta",
  "opportunity_id": "opp_def456",
  "due_date": "2026-03-20T14:00:00Z"
}"#;

#[tokio::test]
async fn sales_api_activities_are_listed_created_and_completed_for_points() {
    use dealflow::server::services::activities;
    use dealflow::server::services::deals::{self, NewDeal};
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Activities API").await;
        let (owner,): (UserId,) = sqlx::query_as("SELECT id FROM users WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let actor = Actor {
            account_id,
            user_id: Some(owner),
        };
        let deal = deals::create_deal(
            &app.db,
            actor,
            NewDeal {
                title: "Tech Corp".into(),
                responsible_user_id: Some(owner),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        sqlx::query("UPDATE deals SET uuid = 'def456' WHERE id = $1")
            .bind(deal.id)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let token = api_keys::create_key(
            &app.db,
            account_id,
            Some(owner),
            "crm",
            &["all".into()],
            None,
        )
        .await
        .unwrap()
        .token;

        let (status, act) = call(
            &app,
            "POST",
            "/v1/activities",
            Some(&token),
            Some(ACTIVITY_EXAMPLE),
        )
        .await;
        assert_eq!(status, 201, "{act}");
        assert_eq!(act["type"], json!("call"));
        assert_eq!(act["title"], json!("Llamada de seguimiento"));
        assert_eq!(
            act["description"],
            json!("Confirmar interés en la propuesta")
        );
        assert_eq!(act["opportunity_id"], json!("opp_def456"));
        assert_eq!(act["due_date"], json!("2026-03-20T14:00:00Z"));
        assert_eq!(act["completed"], json!(false));
        let (status, _) = call(
            &app,
            "POST",
            "/v1/activities",
            Some(&token),
            Some(r#"{"type": "note", "title": "Loose note"}"#),
        )
        .await;
        assert_eq!(status, 201);

        let (_, all) = call(&app, "GET", "/v1/activities", Some(&token), None).await;
        assert_eq!(all["data"].as_array().unwrap().len(), 2);
        let (_, calls) = call(
            &app,
            "GET",
            "/v1/activities?opportunity_id=opp_def456&type=call",
            Some(&token),
            None,
        )
        .await;
        assert_eq!(calls["data"].as_array().unwrap().len(), 1);
        let (_, notes) = call(&app, "GET", "/v1/activities?type=note", Some(&token), None).await;
        assert_eq!(notes["data"][0]["title"], json!("Loose note"));

        // Completing gives the deal's salesperson the call's points, once; reopening takes them back.
        let id = act["id"].as_str().unwrap().to_string();
        for _ in 0..2 {
            let (status, done) = call(
                &app,
                "PATCH",
                &format!("/v1/activities/{id}"),
                Some(&token),
                Some(r#"{"completed": true}"#),
            )
            .await;
            assert_eq!(status, 200, "{done}");
            assert_eq!(done["completed"], json!(true));
        }
        assert_eq!(
            activities::user_points(&app.db, account_id, owner)
                .await
                .unwrap(),
            10
        );
        call(
            &app,
            "PATCH",
            &format!("/v1/activities/{id}"),
            Some(&token),
            Some(r#"{"completed": false}"#),
        )
        .await;
        assert_eq!(
            activities::user_points(&app.db, account_id, owner)
                .await
                .unwrap(),
            0
        );

        // Errors name the API's own fields.
        for (body, field) in [
            (r#"{"type": "fax", "title": "X"}"#, "type"),
            (r#"{"type": "call", "title": ""}"#, "title"),
            (
                r#"{"type": "call", "title": "X", "due_date": "tomorrow"}"#,
                "due_date",
            ),
            (
                r#"{"type": "call", "title": "X", "opportunity_id": "opp_nope"}"#,
                "opportunity_id",
            ),
        ] {
            let (status, err) =
                call(&app, "POST", "/v1/activities", Some(&token), Some(body)).await;
            assert_eq!(
                (status, err["error"]["field"].clone()),
                (422, json!(field)),
                "{body}"
            );
        }
        let (status, _) = call(&app, "GET", "/v1/activities?type=fax", Some(&token), None).await;
        assert_eq!(status, 422);
        let (status, _) = call(
            &app,
            "PATCH",
            "/v1/activities/act_999999",
            Some(&token),
            Some(r#"{"completed": true}"#),
        )
        .await;
        assert_eq!(status, 404);
        let (status, _) = call(
            &app,
            "PATCH",
            &format!("/v1/activities/{id}"),
            Some(&token),
            Some(r#"{"completed": "yes"}"#),
        )
        .await;
        assert_eq!(status, 422);
        let read_only = key(&app, account_id, &["opportunities:read"]).await;
        let (status, _) = call(&app, "GET", "/v1/activities", Some(&read_only), None).await;
        assert_eq!(status, 403);
    }
}

#[tokio::test]
async fn every_list_has_the_page_size_its_document_says() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Page sizes").await;
        let all = key(&app, account_id, &["all"]).await;
        let (_, spec) = call(&app, "GET", "/api/openapi.json", None, None).await;
        for path in ["/v1/opportunities", "/v1/activities"] {
            let (status, page) = call(&app, "GET", path, Some(&all), None).await;
            assert_eq!(status, 200, "{page}");
            assert_eq!(page["meta"]["per_page"], 20, "{path}: {page}");
            let documented = spec["paths"][path]["get"]["parameters"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == "per_page")
                .map(|p| p["description"].as_str().unwrap_or_default().to_string())
                .unwrap_or_default();
            assert!(documented.contains("default 20"), "{path}: {documented}");
        }
    }
}

/// Pages read through the `Link` header's cursor are the pages read by number, ties in
/// `created_at` included, with the same filters and page fields; the last page has no link.
#[tokio::test]
async fn cursors_walk_the_list_as_page_numbers_do() {
    use dealflow::server::services::deals::{self, NewDeal};
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Cursors").await;
        let actor = Actor {
            account_id,
            user_id: None,
        };
        for i in 0..23 {
            deals::create_deal(
                &app.db,
                actor,
                NewDeal {
                    title: format!("Cursor deal {i:02}"),
                    value_cents: 10_000 * (i % 5 + 1),
                    ..Default::default()
                },
            )
            .await
            .expect("deal");
        }
        // Seven deals created in the same microsecond, so that pages split a tie.
        sqlx::query(
            "UPDATE deals SET created_at = '2026-06-01T10:00:00.000000Z' \
             WHERE account_id = $1 AND id IN (SELECT id FROM deals WHERE account_id = $1 ORDER BY id LIMIT 7 OFFSET 5)",
        )
        .bind(account_id)
        .execute(&app.db.pool)
        .await
        .expect("ties");
        let key = key(&app, account_id, &["all"]).await;
        let get = |path: String| {
            let client = app.client();
            let url = app.url(&path);
            let key = key.clone();
            async move {
                let res = client
                    .get(url)
                    .header("Authorization", format!("Bearer {key}"))
                    .send()
                    .await
                    .expect("request");
                let status = res.status().as_u16();
                let link = res
                    .headers()
                    .get("link")
                    .map(|v| v.to_str().unwrap().to_string());
                let body: Value = res.json().await.expect("json");
                (status, link, body)
            }
        };
        let names = |body: &Value| -> Vec<String> {
            body["data"]
                .as_array()
                .unwrap()
                .iter()
                .map(|o| o["name"].as_str().unwrap().to_string())
                .collect()
        };
        for filters in [
            "",
            "&min_value=200",
            "&status=open&min_value=300&max_value=400",
        ] {
            let mut by_number = Vec::new();
            let mut page = 1;
            loop {
                let (status, _, body) =
                    get(format!("/v1/opportunities?per_page=4&page={page}{filters}")).await;
                assert_eq!(status, 200, "{body}");
                if body["data"].as_array().unwrap().is_empty() {
                    break;
                }
                by_number.push((names(&body), body["meta"].clone()));
                page += 1;
            }
            let mut by_cursor = Vec::new();
            let mut next = Some(format!("/v1/opportunities?per_page=4{filters}"));
            while let Some(path) = next {
                let (status, link, body) = get(path).await;
                assert_eq!(status, 200, "{body}");
                by_cursor.push((names(&body), body["meta"].clone()));
                next = link.map(|l| {
                    assert!(l.ends_with(">; rel=\"next\""), "{l}");
                    let target = l
                        .trim_start_matches('<')
                        .split('>')
                        .next()
                        .unwrap()
                        .to_string();
                    assert!(target.contains("per_page=4"), "filters kept: {target}");
                    assert!(!target.contains("page=2"), "no page number: {target}");
                    target
                });
                assert!(by_cursor.len() <= 10, "the links end");
            }
            assert!(by_number.len() >= 2, "{filters}: more than a page");
            assert_eq!(by_cursor, by_number, "{filters}");
        }
        let all: Vec<String> = {
            let (_, _, body) = get("/v1/opportunities?per_page=100".into()).await;
            names(&body)
        };
        assert_eq!(all.len(), 23);

        // A cursor that was not given is refused, naming it.
        for bad in ["nope", "AAAA", &"x".repeat(300)] {
            let (status, _, body) = get(format!("/v1/opportunities?cursor={bad}")).await;
            assert_eq!(status, 422, "{bad}: {body}");
            assert_eq!(body["error"]["field"], "cursor", "{body}");
        }
    }
}
