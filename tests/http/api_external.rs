//! Seed 004 — `PATCH /external/v1/opportunities/:id/stage` — on both databases: the document's
//! example replayed literally, every status, and each error it lists, plus key handling.

use dealflow::domain::AccountId;
use dealflow::server::auth::api_keys;
use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::{pipelines, Actor};
use serde_json::{json, Value};

use crate::support::{backends, TestApp};

/// Sends a JSON PATCH with the given headers; returns status and parsed body.
async fn patch(app: &TestApp, path: &str, headers: &[(&str, &str)], body: &str) -> (u16, Value) {
    let mut req = app
        .client()
        .patch(app.url(path))
        .header("content-type", "application/json")
        .body(body.to_string());
    for (k, v) in headers {
        req = req.header(*k, *v);
    }
    let res = req.send().await.expect("patch");
    let status = res.status().as_u16();
    let text = res.text().await.unwrap_or_default();
    let json =
        serde_json::from_str(&text).unwrap_or_else(|_| panic!("not JSON ({status}): {text}"));
    (status, json)
}

async fn key(
    app: &TestApp,
    account_id: AccountId,
    scopes: &[&str],
    domain: Option<&str>,
) -> String {
    let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
    api_keys::create_key(&app.db, account_id, None, "test", &scopes, domain)
        .await
        .expect("key")
        .token
}

#[tokio::test]
async fn stage_update_replays_the_document_and_refuses_what_it_lists() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("External").await;
        let actor = Actor {
            account_id,
            user_id: None,
        };
        let deal = deals::create_deal(
            &app.db,
            actor,
            NewDeal {
                title: "John Doe".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        // The document's opportunity: `opp_abc123def456`.
        sqlx::query("UPDATE deals SET uuid = 'abc123def456' WHERE id = $1")
            .bind(deal.id)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let write = key(&app, account_id, &["opportunities:write"], None).await;
        let path = "/external/v1/opportunities/opp_abc123def456/stage";

        // The example request, as written.
        let (status, body) = patch(
            &app,
            path,
            &[("X-API-Key", &write)],
            "{\n\"status\": \"won\"\n}",
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["success"], json!(true));
        let data = &body["data"];
        assert_eq!(data["id"], json!("opp_abc123def456"));
        assert_eq!(data["name"], json!("John Doe"));
        assert_eq!(data["status"], json!("won"));
        let won = deals::get_deal(&app.db, actor, deal.id).await.unwrap();
        assert_eq!(won.status, "won");
        let won_at = won.won_at.clone().expect("won_at set automatically");
        assert_eq!(data["won_at"], json!(dealflow::server::db::api_ts(&won_at)));
        assert!(data["won_at"].as_str().unwrap().ends_with('Z'));
        assert!(data["updated_at"].as_str().is_some());
        assert!(data.get("lost_at").is_none());

        // A stage key moves the deal to that stage of its pipeline and reopens it.
        let (status, body) = patch(
            &app,
            path,
            &[("Authorization", &format!("Bearer {write}"))],
            r#"{"status":"proposal"}"#,
        )
        .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["status"], json!("proposal"));
        let moved = deals::get_deal(&app.db, actor, deal.id).await.unwrap();
        let stage = pipelines::get_stage(&app.db, account_id, moved.stage_id)
            .await
            .unwrap();
        assert_eq!(
            (
                moved.status.as_str(),
                stage.key.as_str(),
                moved.won_at.as_deref()
            ),
            ("open", "proposal", None)
        );

        let (status, body) =
            patch(&app, path, &[("X-API-Key", &write)], r#"{"status":"lost"}"#).await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(body["data"]["status"], json!("lost"));
        assert!(body["data"]["lost_at"]
            .as_str()
            .is_some_and(|t| t.ends_with('Z')));
        assert!(body["data"].get("won_at").is_none());

        // 400 INVALID_STATUS: unknown, missing, not a string, not JSON; nothing changes.
        for bad in [
            r#"{"status":"maybe"}"#,
            "{}",
            r#"{"status":3}"#,
            "{not json",
        ] {
            let (status, body) = patch(&app, path, &[("X-API-Key", &write)], bad).await;
            assert_eq!(status, 400, "{bad}: {body}");
            assert_eq!(body["success"], json!(false));
            assert_eq!(body["error"]["code"], json!("INVALID_STATUS"), "{bad}");
        }
        assert_eq!(
            deals::get_deal(&app.db, actor, deal.id)
                .await
                .unwrap()
                .status,
            "lost"
        );

        // 404 NOT_FOUND: unknown ids, and another account's opportunity.
        for missing in ["opp_doesnotexist", "lead_abc123def456", "27"] {
            let (status, body) = patch(
                &app,
                &format!("/external/v1/opportunities/{missing}/stage"),
                &[("X-API-Key", &write)],
                r#"{"status":"won"}"#,
            )
            .await;
            assert_eq!(status, 404, "{missing}");
            assert_eq!(body["error"]["code"], json!("NOT_FOUND"));
        }
        let (other, _, _) = app.account("Other").await;
        let other_key = key(&app, other, &["all"], None).await;
        let (status, _) = patch(
            &app,
            path,
            &[("X-API-Key", &other_key)],
            r#"{"status":"won"}"#,
        )
        .await;
        assert_eq!(status, 404, "a key sees only its own account");

        // Keys: none or unknown → 401; without opportunities:write → 403; allowed domain.
        let (status, body) = patch(&app, path, &[], r#"{"status":"won"}"#).await;
        assert_eq!(
            (status, body["error"]["code"].clone()),
            (401, json!("UNAUTHORIZED"))
        );
        let (status, _) = patch(
            &app,
            path,
            &[("X-API-Key", "dfk_nope")],
            r#"{"status":"won"}"#,
        )
        .await;
        assert_eq!(status, 401);
        let read = key(&app, account_id, &["opportunities:read"], None).await;
        let (status, body) =
            patch(&app, path, &[("X-API-Key", &read)], r#"{"status":"won"}"#).await;
        assert_eq!(
            (status, body["error"]["code"].clone()),
            (403, json!("FORBIDDEN"))
        );
        let site = key(&app, account_id, &["all"], Some("shop.example.com")).await;
        let (status, _) = patch(&app, path, &[("X-API-Key", &site)], r#"{"status":"won"}"#).await;
        assert_eq!(status, 403, "no Origin / Referer");
        let (status, _) = patch(
            &app,
            path,
            &[("X-API-Key", &site), ("Origin", "https://evil.test")],
            r#"{"status":"won"}"#,
        )
        .await;
        assert_eq!(status, 403);
        let (status, _) = patch(
            &app,
            path,
            &[
                ("X-API-Key", &site),
                ("Referer", "https://shop.example.com/checkout"),
            ],
            r#"{"status":"won"}"#,
        )
        .await;
        assert_eq!(status, 200);
        assert_eq!(
            deals::get_deal(&app.db, actor, deal.id)
                .await
                .unwrap()
                .status,
            "won"
        );

        // Unknown API paths answer JSON, never an HTML page.
        let (status, body) =
            patch(&app, "/external/v1/nothing", &[("X-API-Key", &write)], "{}").await;
        assert_eq!((status, body["success"].clone()), (404, json!(false)));
    }
}

#[tokio::test]
async fn api_keys_are_created_in_settings_used_and_revoked() {
    use dealflow::domain::Role;
    use dealflow::server::services::accounts;
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, email, password) = app.account("Keys").await;
        let owner = app.signed_in(&email, &password).await;
        let deal = deals::create_deal(
            &app.db,
            Actor {
                account_id,
                user_id: None,
            },
            NewDeal {
                title: "Keyed".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let path = format!(
            "/external/v1/opportunities/{}/stage",
            dealflow::domain::public_id::public_id("opp", &deal.uuid)
        );

        let (status, body) = app
            .rpc(
                &owner,
                "create_api_key",
                &[
                    ("name", "Website".into()),
                    ("scopes[0]", "opportunities:read".into()),
                    ("scopes[1]", "opportunities:write".into()),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let token: String = serde_json::from_str(&body).expect("the token, once");
        assert!(token.starts_with("dfk_"));
        let (status, _) = app
            .rpc(
                &owner,
                "create_api_key",
                &[("name", "Bad".into()), ("scopes[0]", "everything".into())],
            )
            .await;
        assert_eq!(status, 422, "unknown scope");

        let (_, list) = app.rpc(&owner, "api_keys", &[]).await;
        let keys: Value = serde_json::from_str(&list).unwrap();
        assert_eq!(keys.as_array().unwrap().len(), 1);
        assert_eq!(
            keys[0]["scopes"],
            json!("opportunities:read opportunities:write")
        );
        assert_eq!(keys[0]["last_used_at"], Value::Null);
        assert!(!list.contains(&token), "the token is never listed");

        let (status, _) = patch(
            &app,
            &path,
            &[("X-API-Key", &token)],
            r#"{"status":"qualified"}"#,
        )
        .await;
        assert_eq!(status, 200);
        let (_, list) = app.rpc(&owner, "api_keys", &[]).await;
        let keys: Value = serde_json::from_str(&list).unwrap();
        assert!(keys[0]["last_used_at"].is_string(), "last use recorded");

        // Salespeople neither see nor make keys; another account cannot revoke this one.
        accounts::create_user(
            &app.db,
            account_id,
            "sal@keys.test",
            "Sal",
            "password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let sales = app.signed_in("sal@keys.test", "password-1").await;
        assert_eq!(app.rpc(&sales, "api_keys", &[]).await.0, 403);
        assert_eq!(
            app.rpc(&sales, "create_api_key", &[("name", "Mine".into())])
                .await
                .0,
            403
        );
        let id = keys[0]["id"].as_i64().unwrap();
        assert_eq!(
            app.rpc(&sales, "revoke_api_key", &[("id", id.to_string())])
                .await
                .0,
            403
        );
        let (_, other_email, other_password) = app.account("Other keys").await;
        let other = app.signed_in(&other_email, &other_password).await;
        assert_eq!(
            app.rpc(&other, "revoke_api_key", &[("id", id.to_string())])
                .await
                .0,
            404
        );

        let (status, _) = app
            .rpc(&owner, "revoke_api_key", &[("id", id.to_string())])
            .await;
        assert_eq!(status, 200);
        let (status, _) = patch(&app, &path, &[("X-API-Key", &token)], r#"{"status":"won"}"#).await;
        assert_eq!(status, 401, "a revoked key stops working at once");
        let (_, html) = app.page(&owner, "/settings").await;
        assert!(html.contains("api-key-settings") && html.contains("revoked"));
    }
}
