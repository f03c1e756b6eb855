//! Authorization matrix, on SQLite and PostgreSQL: every operation of the OpenAPI document is
//! called with no key and with another account's key aimed at this account's records; the
//! automation server functions as a salesperson and with no session; pages of records of
//! another account. Nothing may leak: 401 without credentials, 403 for a role that may not,
//! 404 for anything of another account — and this account's records stay as they were.

use dealflow::domain::Role;
use dealflow::server::services::activities::{self, NewActivity};
use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::{automations, Actor};
use serde_json::{json, Value};

use crate::fixtures::automation_body;
use crate::support::{backends, TestApp};

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

#[tokio::test]
async fn no_route_leaks_across_accounts_roles_or_without_credentials() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (a, _, _) = app.account("Victim").await;
        let (b, b_email, b_password) = app.account("Intruder").await;
        let actor = Actor {
            account_id: a,
            user_id: None,
        };
        let deal = deals::create_deal(
            &app.db,
            actor,
            NewDeal {
                title: "Secret deal".into(),
                value_cents: 990_000,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let activity = activities::create_activity(
            &app.db,
            actor,
            NewActivity {
                kind: "call".into(),
                title: "Secret call".into(),
                deal_id: Some(deal.id),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let automation = automations::create(
            &app.db,
            actor,
            &automation_body(json!({"name": "Secret rule", "trigger": "DEAL_WON", "actions": [{"type": "send_notification", "title": "x"}]})),
        )
        .await
        .unwrap();
        let intruder = app.api_key(b, &["all"]).await;
        let _victim_key = app.api_key(a, &["all"]).await;

        let spec: Value = app
            .client()
            .get(app.url("/api/openapi.json"))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let opp = dealflow::domain::public_id::public_id("opp", &deal.uuid);
        for (path, item) in spec["paths"].as_object().unwrap() {
            for method in METHODS {
                if item.get(method).is_none() {
                    continue;
                }
                let id = if path.starts_with("/v1/activities") {
                    format!("act_{}", activity.id)
                } else if path.starts_with("/api/v1/accounts") {
                    deal.id.to_string()
                } else if path.starts_with("/api/automations") {
                    automation.id.clone()
                } else {
                    opp.clone()
                };
                let concrete = path
                    .replace("{account_id}", &a.to_string())
                    .replace("{id}", &id);
                let body = match (method, path.as_str()) {
                    ("get" | "delete", _) => None,
                    (_, p) if p.ends_with("/close") => Some(r#"{"status": "won"}"#),
                    (_, p) if p.ends_with("/stage") => Some(r#"{"status": "won"}"#),
                    (_, p) if p.starts_with("/v1/activities/") => Some(r#"{"completed": true}"#),
                    (_, p) if p.starts_with("/api/automations/") => Some(r#"{"isActive": false}"#),
                    _ => Some(r#"{"name": "Intruder's", "stage_id": 1, "contact_id": 1}"#),
                };
                let has_id = path.contains('{');
                // No credentials.
                let (status, _) = app
                    .call(&method.to_uppercase(), &concrete, None, body)
                    .await;
                assert_eq!(status, 401, "{method} {path} without a key");
                // Another account's key with every scope.
                let (status, answer) = app
                    .call(&method.to_uppercase(), &concrete, Some(&intruder), body)
                    .await;
                if has_id {
                    assert_eq!(
                        status, 404,
                        "{method} {concrete} with another account's key: {answer}"
                    );
                } else {
                    let text = answer.to_string();
                    assert!(
                        !text.contains("Secret"),
                        "{method} {path} showed another account's records: {text}"
                    );
                    assert!(!text.contains(&opp), "{method} {path} leaked an id");
                }
            }
        }
        // The victim's records are as they were.
        let after = deals::get_deal(&app.db, actor, deal.id).await.unwrap();
        assert_eq!(
            (after.title.as_str(), after.status.as_str()),
            ("Secret deal", "open")
        );
        assert!(activities::get_activity(&app.db, actor, activity.id)
            .await
            .unwrap()
            .done_at
            .is_none());
        assert!(
            automations::get(&app.db, actor, &automation.id, false)
                .await
                .unwrap()
                .is_active
        );

        // Pages of another account's records are not found.
        let b_browser = app.signed_in(&b_email, &b_password).await;
        for path in [
            format!("/deals/{}", deal.id),
            format!("/automations/{}/logs", automation.id),
        ] {
            let (status, html) = app.page(&b_browser, &path).await;
            assert!(
                !html.contains("Secret"),
                "{path} showed another account's record"
            );
            assert_ne!(status, 200, "{path}");
        }

        // Automations are for owners and admins: a salesperson's calls are refused, and so is
        // a call without a session.
        dealflow::server::services::accounts::create_user(
            &app.db,
            a,
            "sales@victim.test",
            "Sal",
            "correct horse battery",
            Role::Sales,
        )
        .await
        .unwrap();
        let sales = app
            .signed_in("sales@victim.test", "correct horse battery")
            .await;
        let nobody = app.client();
        let calls: Vec<(&str, Vec<(&str, String)>)> = vec![
            ("automations", vec![]),
            ("automation", vec![("id", automation.id.clone())]),
            ("save_automation", vec![("id", String::new()), ("definition", json!({"name": "x", "trigger": "DEAL_WON", "actions": [{"type": "send_notification", "title": "x"}]}).to_string())]),
            ("set_automation_active", vec![("id", automation.id.clone()), ("active", "false".into())]),
            ("delete_automation", vec![("id", automation.id.clone())]),
            ("automation_logs", vec![("id", automation.id.clone()), ("page", "1".into())]),
            ("webhook_signing_secret", vec![]),
            ("outbox", vec![("page", "1".into())]),
        ];
        for (name, form) in calls {
            let (status, body) = app.rpc(&sales, name, &form).await;
            assert_eq!(status, 403, "{name} as a salesperson: {body}");
            let (status, _) = app.rpc(&nobody, name, &form).await;
            assert_eq!(status, 401, "{name} without a session");
        }
        assert!(
            automations::get(&app.db, actor, &automation.id, false)
                .await
                .unwrap()
                .is_active
        );

        // Settings that change the account are for owners and admins too.
        let stage: (i64,) =
            sqlx::query_as("SELECT id FROM stages WHERE account_id = $1 ORDER BY id LIMIT 1")
                .bind(a)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let owner: (i64,) =
            sqlx::query_as("SELECT id FROM users WHERE account_id = $1 AND role = 'owner'")
                .bind(a)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let counts = |db: dealflow::server::db::Db| async move {
            let mut out = Vec::new();
            for table in [
                "users",
                "pipelines",
                "stages",
                "lost_reasons",
                "tags",
                "products",
                "api_keys",
                "invitations",
            ] {
                let (n,): (i64,) = sqlx::query_as(&format!(
                    "SELECT COUNT(*) FROM {table} WHERE account_id = $1"
                ))
                .bind(a)
                .fetch_one(&db.pool)
                .await
                .unwrap();
                out.push(n);
            }
            out
        };
        let before = counts(app.db.clone()).await;
        let admin_calls: Vec<(&str, Vec<(&str, String)>)> = vec![
            (
                "add_user",
                vec![
                    ("email", "new@victim.test".into()),
                    ("name", "New".into()),
                    ("password", "correct horse battery".into()),
                    ("role", "admin".into()),
                ],
            ),
            (
                "change_user",
                vec![
                    ("id", owner.0.to_string()),
                    ("op", "role".into()),
                    ("role", "sales".into()),
                ],
            ),
            ("save_pipeline", vec![("name", "Hijacked".into())]),
            (
                "save_stage",
                vec![
                    ("pipeline_id", after.pipeline_id.to_string()),
                    ("name", "Hijacked".into()),
                ],
            ),
            (
                "move_stage",
                vec![("stage_id", stage.0.to_string()), ("index", "3".into())],
            ),
            ("delete_stage", vec![("stage_id", stage.0.to_string())]),
            ("edit_lost_reason", vec![("name", "Hijacked".into())]),
            (
                "set_activity_points",
                vec![("kind", "call".into()), ("points", "999".into())],
            ),
            (
                "edit_tag",
                vec![("op", "add".into()), ("name", "Hijacked".into())],
            ),
            ("save_product", vec![("name", "Hijacked".into())]),
            (
                "create_api_key",
                vec![("name", "Hijacked".into()), ("scopes[0]", "all".into())],
            ),
            ("api_keys", vec![]),
            (
                "invite_user",
                vec![
                    ("email", "new@victim.test".into()),
                    ("role", "admin".into()),
                ],
            ),
            ("invitations", vec![]),
            (
                "change_invitation",
                vec![("id", "1".into()), ("op", "revoke".into())],
            ),
            ("kept", vec![]),
            ("set_retention", vec![("retention_days", "7".into())]),
            ("audit_log", vec![]),
            ("two_factor_rule", vec![]),
            ("require_two_factor", vec![("required", "off".into())]),
            (
                "change_user",
                vec![
                    ("id", owner.0.to_string()),
                    ("op", "clear_two_factor".into()),
                ],
            ),
        ];
        for (name, form) in admin_calls {
            let (status, body) = app.rpc(&sales, name, &form).await;
            assert_eq!(status, 403, "{name} as a salesperson: {body}");
        }
        assert_eq!(
            counts(app.db.clone()).await,
            before,
            "a salesperson changed the settings"
        );

        // Every server function, called by another account's owner with this account's ids in
        // every id field, shows none of its records and changes none of them.
        let ids: Vec<(&str, String)> = vec![
            ("id", deal.id.to_string()),
            ("deal_id", deal.id.to_string()),
            ("quote_id", "1".into()),
            ("activity_id", activity.id.to_string()),
            ("stage_id", stage.0.to_string()),
            ("to_stage", stage.0.to_string()),
            ("pipeline_id", after.pipeline_id.to_string()),
            ("user_id", owner.0.to_string()),
            ("owner", owner.0.to_string()),
            ("automation_id", automation.id.clone()),
            ("page", "1".into()),
            ("name", "Intruder".into()),
            ("title", "Intruder".into()),
            ("op", "delete".into()),
            ("active", "false".into()),
            ("completed", "true".into()),
        ];
        let mut reached = 0;
        for (path, _) in server_fn::axum::server_fn_paths() {
            let endpoint = path.trim_start_matches("/rpc/");
            if dealflow::server::http::PUBLIC_RPC.contains(&endpoint) {
                continue;
            }
            let (status, body) = app.rpc(&b_browser, endpoint, &ids).await;
            if status != 400 {
                reached += 1;
            }
            assert!(
                !body.contains("Secret"),
                "{path} showed another account's record ({status}): {body}"
            );
            assert_ne!(status, 500, "{path}: {body}");
        }
        // Most calls get past their arguments to the account checks.
        assert!(
            reached > 30,
            "only {reached} calls reached the server functions"
        );
        let again = deals::get_deal(&app.db, actor, deal.id).await.unwrap();
        assert_eq!(
            (
                again.title.as_str(),
                again.status.as_str(),
                again.value_cents,
                again.stage_id
            ),
            ("Secret deal", "open", 990_000, after.stage_id)
        );
        assert!(activities::get_activity(&app.db, actor, activity.id)
            .await
            .unwrap()
            .done_at
            .is_none());
        assert!(
            automations::get(&app.db, actor, &automation.id, false)
                .await
                .unwrap()
                .is_active
        );
        assert_eq!(
            counts(app.db.clone()).await,
            before,
            "another account changed the settings"
        );

        // Every server function but the public ones refuses a caller without a session, before
        // it reads its arguments; every page sends such a visitor to the login page.
        let mut rpc_paths = 0;
        for (path, _) in server_fn::axum::server_fn_paths() {
            let endpoint = path.trim_start_matches("/rpc/");
            if dealflow::server::http::PUBLIC_RPC.contains(&endpoint) {
                continue;
            }
            rpc_paths += 1;
            let res = nobody.post(app.url(path)).send().await.unwrap();
            assert_eq!(res.status().as_u16(), 401, "{path} without a session");
        }
        assert!(rpc_paths > 50, "only {rpc_paths} server functions found");
        for path in [
            "/".to_string(),
            format!("/pipelines/{}", after.pipeline_id),
            format!("/deals/{}", deal.id),
            "/activities".into(),
            "/leaderboard".into(),
            "/contacts".into(),
            "/organizations".into(),
            "/settings".into(),
            "/automations".into(),
            "/automations/new".into(),
            format!("/automations/{}", automation.id),
            format!("/automations/{}/logs", automation.id),
            "/outbox".into(),
            "/quotes/1".into(),
            "/events/board".into(),
            "/import".into(),
            "/import/1".into(),
            "/import/1/refused.csv".into(),
            "/import/1/progress".into(),
            "/settings/audit".into(),
            "/preferences/two-factor".into(),
            "/export/audit.csv".into(),
        ] {
            let res = nobody.get(app.url(&path)).send().await.unwrap();
            assert!(
                res.status().is_redirection(),
                "{path} without a session: {}",
                res.status()
            );
            let to = res.headers()["location"].to_str().unwrap();
            assert!(to.starts_with("/login"), "{path} → {to}");
        }
    }
}

/// Who sees which deal (document 002: 0 private, 1 team, 2 public) on every surface: the
/// board, the deal page, a server function that changes the deal, the accounts API (a key
/// acts as the user who made it) and its search, and the sales API.
#[tokio::test]
async fn deal_visibility_holds_on_every_surface() {
    use dealflow::server::auth::api_keys;
    use dealflow::server::services::accounts;
    use dealflow::server::services::deals::links::{self, Link};

    for db in backends().await {
        let _on = crate::support::OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (a, owner_email, owner_password) = app.account("Visible").await;
        let system = Actor {
            account_id: a,
            user_id: None,
        };
        let password = "sales-pass-1";
        let mut users = Vec::new();
        for name in ["rita", "sam", "fay", "zed"] {
            let email = format!("{name}.{a}@visible.test");
            let id = accounts::create_user(&app.db, a, &email, name, password, Role::Sales)
                .await
                .unwrap();
            users.push((name, id, email));
        }
        let (rita, sam, fay) = (users[0].1, users[1].1, users[2].1);
        let mut deal_ids = Vec::new();
        for (title, visibility) in [("Private", 0), ("Team", 1), ("Public", 2)] {
            let deal = deals::create_deal(
                &app.db,
                system,
                NewDeal {
                    title: format!("{title} deal"),
                    value_cents: 100,
                    responsible_user_id: Some(rita),
                    visibility: Some(visibility),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            links::add_link(&app.db, system, deal.id, Link::Assignee(sam))
                .await
                .unwrap();
            links::add_link(&app.db, system, deal.id, Link::Follower(fay))
                .await
                .unwrap();
            deal_ids.push(deal.id);
        }
        // Zed has a call about the private deal: he sees his call, not the deal.
        let zed = users[3].1;
        activities::create_activity(
            &app.db,
            system,
            NewActivity {
                kind: "call".into(),
                title: "Zed's call".into(),
                deal_id: Some(deal_ids[0]),
                user_id: Some(zed),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let zed_browser = app.signed_in(&users[3].2, password).await;
        let (_, listed) = app.page(&zed_browser, "/activities").await;
        assert!(
            listed.contains("Zed&#x27;s call") || listed.contains("Zed's call"),
            "{listed}"
        );
        assert!(
            !listed.contains("Private deal"),
            "an activity shows a deal its user may not see"
        );
        // Sam is assigned to every deal; on the team deal he is no longer.
        links::remove_link(&app.db, system, deal_ids[1], Link::Assignee(sam))
            .await
            .unwrap();
        // Who sees what: private, team, public.
        let expected = [
            ("owner", [true, true, true]),
            ("rita", [true, true, true]),
            ("sam", [true, false, true]),
            ("fay", [false, true, true]),
            ("zed", [false, false, true]),
        ];
        for (who, sees) in expected {
            let (email, pass, user_id) = match users.iter().find(|u| u.0 == who) {
                Some((_, id, email)) => (email.clone(), password.to_string(), Some(*id)),
                None => (owner_email.clone(), owner_password.clone(), None),
            };
            let browser = app.signed_in(&email, &pass).await;
            let (_, board) = app.page(&browser, "/?status=all").await;
            let key = api_keys::create_key(&app.db, a, user_id, who, &["all".to_string()], None)
                .await
                .unwrap()
                .token;
            let (_, found) = app
                .call(
                    "POST",
                    &format!("/api/v1/accounts/{a}/deals/search"),
                    Some(&key),
                    Some(r#"{"query": {}}"#),
                )
                .await;
            let (_, listed) = app.call("GET", "/v1/opportunities", Some(&key), None).await;
            for (deal_id, visible) in deal_ids.iter().zip(sees) {
                let what = format!("{who} / deal {deal_id}");
                assert_eq!(
                    board.contains(&format!("data-card=\"{deal_id}\"")),
                    visible,
                    "board: {what}"
                );
                let (status, _) = app.page(&browser, &format!("/deals/{deal_id}")).await;
                assert_eq!(status == 200, visible, "deal page: {what} ({status})");
                let (status, answer) = app
                    .rpc(
                        &browser,
                        "add_deal_note",
                        &[("id", deal_id.to_string()), ("content", "hello".into())],
                    )
                    .await;
                assert_eq!(status == 200, visible, "note: {what} ({status} {answer})");
                let (status, _) = app
                    .call(
                        "GET",
                        &format!("/api/v1/accounts/{a}/deals/{deal_id}"),
                        Some(&key),
                        None,
                    )
                    .await;
                assert_eq!(status == 200, visible, "accounts API: {what} ({status})");
                let in_search = found["data"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .any(|d| d["id"] == deal_id.0);
                assert_eq!(in_search, visible, "accounts API search: {what}");
                let title = ["Private deal", "Team deal", "Public deal"]
                    [deal_ids.iter().position(|d| d == deal_id).unwrap()];
                assert_eq!(
                    listed.to_string().contains(title),
                    visible,
                    "sales API: {what}"
                );
            }
        }
    }
}
