//! One use case, one transaction, on both databases: every write that is made of several steps
//! — `/v1` create with products and PATCH, the accounts API's create, PUT and upsert, the
//! stage update (004), the lead intake and the deal page's save — fails whole when its last
//! step fails (an invalid value only that step checks, or a fault injected in the database at
//! that step): the client gets the documented error and the database is exactly as before.
//! And concurrent changes of one deal through different surfaces never undo each other.

use dealflow::domain::{AccountId, Role, UserId};
use dealflow::server::auth::session_user::load_user;
use dealflow::server::services::accounts::team;
use dealflow::server::services::deals::{self, closing, NewDeal};
use dealflow::server::services::{accounts, catalog, pipelines, Actor};
use serde_json::{json, Value};

use crate::support::{assert_same, backends, clear_fault, inject_fault, snapshot, TestApp};

/// An account with an all-scopes key, its owner, its primary pipeline's stages and one deal.
struct Fixture {
    account_id: AccountId,
    owner: UserId,
    key: String,
    stages: Vec<pipelines::Stage>,
    deal: deals::Deal,
}

impl Fixture {
    fn actor(&self) -> Actor {
        Actor {
            account_id: self.account_id,
            user_id: Some(self.owner),
        }
    }

    fn accounts_path(&self, rest: &str) -> String {
        format!("/api/v1/accounts/{}/deals{rest}", self.account_id)
    }
}

async fn fixture(app: &TestApp) -> Fixture {
    let (account_id, _, _) = app.account("Atomic").await;
    let (owner,): (UserId,) = sqlx::query_as("SELECT id FROM users WHERE account_id = $1")
        .bind(account_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let key = app.api_key(account_id, &["all"]).await;
    let pipeline = pipelines::primary_pipeline_id(&app.db, account_id)
        .await
        .unwrap();
    let stages = pipelines::stages_of(&app.db, account_id, pipeline)
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
            title: "Rollout".into(),
            value_cents: 10_000,
            stage_id: Some(stages[0].id),
            ..Default::default()
        },
    )
    .await
    .unwrap();
    Fixture {
        account_id,
        owner,
        key,
        stages,
        deal,
    }
}

/// Asserts a `/v1`-shaped error answer.
fn assert_error(status: u16, body: &Value, want_status: u16, code: &str, field: Option<&str>) {
    assert_eq!(status, want_status, "{body}");
    assert_eq!(body["error"]["code"], code, "{body}");
    if let Some(field) = field {
        assert_eq!(body["error"]["field"], field, "{body}");
    }
}

#[tokio::test]
async fn v1_create_with_a_product_no_longer_sold_creates_nothing() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let f = fixture(&app).await;
        let owner = load_user(&app.db, f.owner).await.unwrap().unwrap();
        let mut uuids = Vec::new();
        for name in ["Seats", "Legacy plan"] {
            let id = catalog::add_product(
                &app.db,
                &owner,
                &catalog::ProductInput {
                    name: name.into(),
                    unit_amount: "100".into(),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            let (uuid,): (String,) = sqlx::query_as("SELECT uuid FROM products WHERE id = $1")
                .bind(id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
            uuids.push((id, uuid.replace('-', "")));
        }
        catalog::set_product_active(&app.db, &owner, uuids[1].0, false)
            .await
            .unwrap();
        let body = json!({
            "name": "Two products",
            "products": [format!("product_{}", uuids[0].1), format!("product_{}", uuids[1].1)],
        });
        let before = snapshot(&app.db).await;
        let (status, err) = app
            .call(
                "POST",
                "/v1/opportunities",
                Some(&f.key),
                Some(&body.to_string()),
            )
            .await;
        assert_error(status, &err, 422, "VALIDATION_ERROR", Some("products"));
        assert!(
            err["error"]["message"]
                .as_str()
                .unwrap()
                .contains("no longer sold"),
            "{err}"
        );
        assert_same(&before, &snapshot(&app.db).await, "a refused create");
    }
}

#[tokio::test]
async fn v1_patch_of_fields_and_stage_fails_whole() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let f = fixture(&app).await;
        let path = format!("/v1/opportunities/opp_{}", f.deal.uuid.replace('-', ""));
        let body = json!({"name": "Renamed", "value": 999, "stage": f.stages[2].key});
        // The fields are the change's last step.
        inject_fault(
            &app.db,
            "deal_events",
            "INSERT",
            "NEW.kind = 'field_changed'",
        )
        .await;
        let before = snapshot(&app.db).await;
        let (status, err) = app
            .call("PATCH", &path, Some(&f.key), Some(&body.to_string()))
            .await;
        assert_error(status, &err, 500, "INTERNAL_ERROR", None);
        assert_same(&before, &snapshot(&app.db).await, "a failed PATCH");

        clear_fault(&app.db, "deal_events").await;
        let (status, opp) = app
            .call("PATCH", &path, Some(&f.key), Some(&body.to_string()))
            .await;
        assert_eq!(status, 200, "{opp}");
        assert_eq!(opp["name"], "Renamed");
        assert_eq!(opp["stage"], f.stages[2].key.as_str());
    }
}

#[tokio::test]
async fn accounts_api_update_fails_whole() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let f = fixture(&app).await;
        let path = f.accounts_path(&format!("/{}", f.deal.id));
        let body = json!({
            "name": "Renamed",
            "stage_id": f.stages[1].id,
            "status": "lost",
            "lost_reason": "Budget",
            "custom_attributes": {"source": "fair"},
        });
        // The custom attributes are the change's last step.
        inject_fault(
            &app.db,
            "deal_events",
            "INSERT",
            "NEW.kind = 'field_changed' AND NEW.data LIKE '%custom_attributes%'",
        )
        .await;
        let before = snapshot(&app.db).await;
        let (status, err) = app
            .call("PUT", &path, Some(&f.key), Some(&body.to_string()))
            .await;
        assert_error(status, &err, 500, "INTERNAL_ERROR", None);
        assert_same(&before, &snapshot(&app.db).await, "a failed PUT");

        // A value only the last step checks: attributes the deal's own rules refuse.
        clear_fault(&app.db, "deal_events").await;
        let too_many: serde_json::Map<String, Value> =
            (0..51).map(|i| (format!("k{i}"), json!(i))).collect();
        let bad =
            json!({"name": "Renamed", "stage_id": f.stages[1].id, "custom_attributes": too_many});
        let (status, err) = app
            .call("PUT", &path, Some(&f.key), Some(&bad.to_string()))
            .await;
        assert_error(
            status,
            &err,
            422,
            "VALIDATION_ERROR",
            Some("custom_attributes"),
        );
        assert_same(&before, &snapshot(&app.db).await, "a refused PUT");

        let (status, deal) = app
            .call("PUT", &path, Some(&f.key), Some(&body.to_string()))
            .await;
        assert_eq!(status, 200, "{deal}");
        assert_eq!(deal["status"], "lost");
        assert_eq!(deal["stage_id"], f.stages[1].id.0);
    }
}

#[tokio::test]
async fn accounts_api_create_and_upsert_fail_whole() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let f = fixture(&app).await;
        let body = json!({
            "name": "From the site",
            "stage_id": f.stages[0].id,
            "position": 1,
            "contact_attributes": {"full_name": "Ana Costa", "email": "ana@costa.test"},
        });
        // Placing the new deal first in its column is the last step (a contact and a deal
        // were created before it).
        inject_fault(&app.db, "deals", "UPDATE OF position", "1 = 1").await;
        let before = snapshot(&app.db).await;
        for path in [f.accounts_path(""), f.accounts_path("/upsert")] {
            let (status, err) = app
                .call("POST", &path, Some(&f.key), Some(&body.to_string()))
                .await;
            assert_error(status, &err, 500, "INTERNAL_ERROR", None);
            assert_same(
                &before,
                &snapshot(&app.db).await,
                &format!("a failed POST {path}"),
            );
        }
        clear_fault(&app.db, "deals").await;
        let (status, created) = app
            .call(
                "POST",
                &f.accounts_path("/upsert"),
                Some(&f.key),
                Some(&body.to_string()),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["position"], 1);

        // The upsert's update path: the contact's open deal is found and changed whole or
        // not at all.
        inject_fault(&app.db, "deal_events", "INSERT", "NEW.kind = 'lost'").await;
        let change = json!({
            "name": "From the site, again",
            "stage_id": f.stages[1].id,
            "status": "lost",
            "contact_attributes": {"email": "ana@costa.test"},
        });
        let before = snapshot(&app.db).await;
        let (status, err) = app
            .call(
                "POST",
                &f.accounts_path("/upsert"),
                Some(&f.key),
                Some(&change.to_string()),
            )
            .await;
        assert_error(status, &err, 500, "INTERNAL_ERROR", None);
        assert_same(&before, &snapshot(&app.db).await, "a failed upsert update");
    }
}

#[tokio::test]
async fn stage_update_reopens_and_moves_whole() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let f = fixture(&app).await;
        closing::mark_lost(&app.db, f.actor(), f.deal.id, "Price")
            .await
            .unwrap();
        let path = format!(
            "/external/v1/opportunities/opp_{}/stage",
            f.deal.uuid.replace('-', "")
        );
        let body = json!({"status": f.stages[2].key}).to_string();
        // Reopened first; the move is the last step.
        inject_fault(
            &app.db,
            "deal_events",
            "INSERT",
            "NEW.kind = 'stage_changed'",
        )
        .await;
        let before = snapshot(&app.db).await;
        let (status, err) = app.call("PATCH", &path, Some(&f.key), Some(&body)).await;
        assert_eq!(status, 500, "{err}");
        assert_eq!(err["success"], false, "{err}");
        assert_eq!(err["error"]["code"], "INTERNAL_ERROR", "{err}");
        assert_same(&before, &snapshot(&app.db).await, "a failed stage update");

        clear_fault(&app.db, "deal_events").await;
        let (status, ok) = app.call("PATCH", &path, Some(&f.key), Some(&body)).await;
        assert_eq!(status, 200, "{ok}");
        assert_eq!(ok["data"]["status"], f.stages[2].key.as_str(), "{ok}");
    }
}

#[tokio::test]
async fn lead_intake_creates_everything_or_nothing() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let f = fixture(&app).await;
        let owner = load_user(&app.db, f.owner).await.unwrap().unwrap();
        catalog::add_tag(&app.db, &owner, "fair").await.unwrap();
        let follower = accounts::create_user(
            &app.db,
            f.account_id,
            "gone@atomic.test",
            "Gone",
            "password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let (follower_uuid,): (String,) = sqlx::query_as("SELECT uuid FROM users WHERE id = $1")
            .bind(follower)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        team::set_active(&app.db, &owner, follower, false)
            .await
            .unwrap();
        let lead = |followers: Value| {
            json!({
                "title": "Lead from the fair",
                "organization": "Costa Ltd",
                "lead_source": "Fair 2026",
                "person": {"name": "Ana Costa", "contacts": [{"type": 1, "value": "ana@costa.test"}]},
                "tags": ["fair"],
                "followers": followers,
                "note": {"content": "Met at the booth", "is_pinned": true},
            })
            .to_string()
        };
        let key = app.api_key(f.account_id, &["deals:write"]).await;

        // A deactivated follower is refused when the followers are linked, after the
        // organization, lead source, person, deal and tags were written.
        let before = snapshot(&app.db).await;
        let (status, err) = app
            .call(
                "POST",
                "/integrations/external/deals",
                Some(&key),
                Some(&lead(json!([{"user_id": follower_uuid}]))),
            )
            .await;
        assert_error(status, &err, 422, "VALIDATION_ERROR", Some("followers"));
        assert_same(&before, &snapshot(&app.db).await, "a refused lead");

        // The note is the last step.
        inject_fault(&app.db, "notes", "INSERT", "1 = 1").await;
        let (status, err) = app
            .call(
                "POST",
                "/integrations/external/deals",
                Some(&key),
                Some(&lead(json!([]))),
            )
            .await;
        assert_error(status, &err, 500, "INTERNAL_ERROR", None);
        assert_same(&before, &snapshot(&app.db).await, "a failed lead");

        clear_fault(&app.db, "notes").await;
        let (status, ok) = app
            .call(
                "POST",
                "/integrations/external/deals",
                Some(&key),
                Some(&lead(json!([]))),
            )
            .await;
        assert_eq!(status, 201, "{ok}");
    }
}

#[tokio::test]
async fn deal_page_save_fails_whole() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, email, password) = app.account("Page").await;
        let client = app.signed_in(&email, &password).await;
        let pipeline = pipelines::primary_pipeline_id(&app.db, account_id)
            .await
            .unwrap();
        let stage = pipelines::stages_of(&app.db, account_id, pipeline)
            .await
            .unwrap()[0]
            .id;
        let deal = deals::create_deal(
            &app.db,
            Actor {
                account_id,
                user_id: None,
            },
            NewDeal {
                title: "Kiosk".into(),
                stage_id: Some(stage),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let sam = accounts::create_user(
            &app.db,
            account_id,
            "sam@page.test",
            "Sam",
            "password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let form = |title: &str| {
            vec![
                ("id", deal.id.to_string()),
                ("title", title.to_string()),
                ("value", "2500".to_string()),
                ("currency", "EUR".to_string()),
                ("responsible_user_id", sam.to_string()),
            ]
        };
        // Handing the deal over notifies Sam: the save's last write but its event.
        inject_fault(&app.db, "notifications", "INSERT", "1 = 1").await;
        let before = snapshot(&app.db).await;
        let (status, body) = app
            .rpc(&client, "save_deal", &form("Kiosk, 40 units"))
            .await;
        assert_eq!(status, 500, "{body}");
        assert_same(&before, &snapshot(&app.db).await, "a failed save");

        clear_fault(&app.db, "notifications").await;
        let (status, body) = app
            .rpc(&client, "save_deal", &form("Kiosk, 40 units"))
            .await;
        assert_eq!(status, 200, "{body}");
        let saved = deals::get_deal(
            &app.db,
            Actor {
                account_id,
                user_id: None,
            },
            deal.id,
        )
        .await
        .unwrap();
        assert_eq!(saved.title, "Kiosk, 40 units");
        assert_eq!(saved.responsible_user_id, Some(sam));
    }
}

#[tokio::test]
async fn concurrent_changes_through_different_surfaces_keep_each_other() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let f = fixture(&app).await;
        let opp = format!("/v1/opportunities/opp_{}", f.deal.uuid.replace('-', ""));
        let stage_path = format!("{opp}/stage").replace("/v1/", "/external/v1/");
        const ROUNDS: usize = 15;
        let names = {
            let (app_base, key, path) = (app.base.clone(), f.key.clone(), opp.clone());
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                for i in 0..ROUNDS {
                    let res = http
                        .patch(format!("{app_base}{path}"))
                        .bearer_auth(&key)
                        .json(&json!({ "name": format!("Name {i}") }))
                        .send()
                        .await
                        .unwrap();
                    let status = res.status().as_u16();
                    let body = res.text().await.unwrap_or_default();
                    assert_eq!(status, 200, "round {i}: {body}");
                }
            })
        };
        let values = {
            let (app_base, key, path) = (app.base.clone(), f.key.clone(), opp.clone());
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                for i in 0..ROUNDS {
                    let res = http
                        .patch(format!("{app_base}{path}"))
                        .bearer_auth(&key)
                        .json(&json!({ "value": 1000 + i }))
                        .send()
                        .await
                        .unwrap();
                    let status = res.status().as_u16();
                    let body = res.text().await.unwrap_or_default();
                    assert_eq!(status, 200, "round {i}: {body}");
                }
            })
        };
        let stages = {
            let (app_base, key, path) = (app.base.clone(), f.key.clone(), stage_path.clone());
            let keys: Vec<String> = f.stages.iter().map(|s| s.key.clone()).collect();
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                for i in 0..ROUNDS {
                    let res = http
                        .patch(format!("{app_base}{path}"))
                        .header("X-API-Key", &key)
                        .json(&json!({ "status": keys[(i + 1) % 3] }))
                        .send()
                        .await
                        .unwrap();
                    let status = res.status().as_u16();
                    let body = res.text().await.unwrap_or_default();
                    assert_eq!(status, 200, "round {i}: {body}");
                }
            })
        };
        names.await.unwrap();
        values.await.unwrap();
        stages.await.unwrap();
        let deal = deals::get_deal(&app.db, f.actor(), f.deal.id)
            .await
            .unwrap();
        assert_eq!(deal.title, format!("Name {}", ROUNDS - 1));
        assert_eq!(deal.value_cents, (1000 + ROUNDS as i64 - 1) * 100);
        assert_eq!(deal.stage_id, f.stages[ROUNDS % 3].id);
    }
}
