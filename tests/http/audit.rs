//! The account's audit log on both databases, with the worker and a real SMTP listener: each
//! listed action — sign-ins and failed sign-ins, invitations, users added, role changes,
//! deactivations, API keys, automations, pipelines and stages, deal deletions and imports —
//! leaves a row naming who (and the API key they used), what and from which address; the log
//! filters, pages, downloads as CSV, and only owners and admins read it.

use serde_json::{json, Value};

use crate::automations::smtp_delivery;
use crate::support::{backends, TestApp};

fn parse(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"))
}

/// The log's newest page under a filter, as the page's server function answers it.
async fn log(app: &TestApp, client: &reqwest::Client, filter: &[(&str, String)]) -> Vec<Value> {
    let (status, body) = app.rpc(client, "audit_log", filter).await;
    assert_eq!(status, 200, "{body}");
    parse(&body)["entries"].as_array().unwrap().clone()
}

/// The newest row of `action`, which must exist.
fn row<'a>(entries: &'a [Value], action: &str) -> &'a Value {
    entries
        .iter()
        .find(|e| e["action"] == action)
        .unwrap_or_else(|| panic!("no {action} row in {entries:#?}"))
}

#[tokio::test]
async fn every_listed_action_leaves_a_row_with_who_what_and_where() {
    for db in backends().await {
        let (delivery, inbox) = smtp_delivery().await;
        let app = TestApp::start_with_worker(db, delivery).await;
        let (account_id, email, password) = app.account("Audited Co").await;
        let owner = app.signed_in(&email, &password).await;
        let key = app.api_key(account_id, &["all"]).await;

        // A failed sign-in, then the owner's.
        let stranger = app.client();
        app.login(&stranger, &email, "wrong password").await;

        // Invitations: sent, sent again, revoked; another accepted through its e-mail.
        let invitee = format!("invitee.{}@audit.test", account_id.0);
        let (status, body) = app
            .rpc(
                &owner,
                "invite_user",
                &[("email", invitee.clone()), ("role", "sales".into())],
            )
            .await;
        assert!(status < 400, "{status} {body}");
        let (invitation,): (i64,) = sqlx::query_as("SELECT id FROM invitations WHERE email = $1")
            .bind(&invitee)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        for op in ["resend", "revoke"] {
            let (status, body) = app
                .rpc(
                    &owner,
                    "change_invitation",
                    &[("id", invitation.to_string()), ("op", op.into())],
                )
                .await;
            assert!(status < 400, "{op}: {status} {body}");
        }
        let joiner = format!("joiner.{}@audit.test", account_id.0);
        app.rpc(
            &owner,
            "invite_user",
            &[("email", joiner.clone()), ("role", "admin".into())],
        )
        .await;
        let mail = crate::team_access::mail_to(&inbox, &joiner).await;
        let token = crate::team_access::token_in(&mail.data, "/invitations/");
        let (status, body) = app
            .rpc(
                &app.client(),
                "accept_invitation",
                &[
                    ("token", token),
                    ("name", "Jo Joiner".into()),
                    ("password", "joiner-pass-1".into()),
                ],
            )
            .await;
        assert!(status < 400, "{status} {body}");

        // A user added, given another role, deactivated and reactivated.
        let seller = format!("seller.{}@audit.test", account_id.0);
        app.rpc(
            &owner,
            "add_user",
            &[
                ("email", seller.clone()),
                ("name", "Sam Seller".into()),
                ("password", "seller-pass-1".into()),
                ("role", "sales".into()),
            ],
        )
        .await;
        let (seller_id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(&seller)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        for (op, role) in [("role", "admin"), ("deactivate", ""), ("activate", "")] {
            let (status, body) = app
                .rpc(
                    &owner,
                    "change_user",
                    &[
                        ("id", seller_id.to_string()),
                        ("op", op.into()),
                        ("role", role.into()),
                    ],
                )
                .await;
            assert!(status < 400, "{op}: {status} {body}");
        }

        // An API key made and revoked on the settings page.
        let (status, body) = app
            .rpc(&owner, "create_api_key", &[("name", "Zapier link".into())])
            .await;
        assert!(status < 400, "{status} {body}");
        let (made,): (i64,) = sqlx::query_as("SELECT id FROM api_keys WHERE name = 'Zapier link'")
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        app.rpc(&owner, "revoke_api_key", &[("id", made.to_string())])
            .await;

        // An automation made, changed and deleted through the API.
        let (status, created) = app
            .call(
                "POST",
                "/api/automations",
                Some(&key),
                Some(
                    &json!({"name": "Big quotes", "trigger": "QUOTE_SENT",
                        "actions": [{"type": "send_notification", "title": "Big quote"}]})
                    .to_string(),
                ),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        let auto = created["id"].as_str().unwrap().to_string();
        let (status, body) = app
            .call(
                "PATCH",
                &format!("/api/automations/{auto}"),
                Some(&key),
                Some(r#"{"isActive": false}"#),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, _) = app
            .call(
                "DELETE",
                &format!("/api/automations/{auto}"),
                Some(&key),
                None,
            )
            .await;
        assert!(status < 300);

        // A pipeline made and renamed through the API; its stages changed on the page.
        let (status, pipe) = app
            .call(
                "POST",
                "/v1/pipelines",
                Some(&key),
                Some(r#"{"name": "Partners"}"#),
            )
            .await;
        assert_eq!(status, 201, "{pipe}");
        let pipe = pipe["id"].as_str().unwrap().to_string();
        let (status, body) = app
            .call(
                "PATCH",
                &format!("/v1/pipelines/{pipe}"),
                Some(&key),
                Some(r#"{"name": "Channel partners"}"#),
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (pipeline_id,): (i64,) = sqlx::query_as(
            "SELECT id FROM pipelines WHERE account_id = $1 AND name = 'Channel partners'",
        )
        .bind(account_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let save = |stage_id: String, name: &str, probability: &str| {
            vec![
                ("pipeline_id", pipeline_id.to_string()),
                ("stage_id", stage_id),
                ("name", name.to_string()),
                ("probability", probability.to_string()),
            ]
        };
        let (status, body) = app
            .rpc(&owner, "save_stage", &save(String::new(), "Signed", "90"))
            .await;
        assert!(status < 400, "{status} {body}");
        let (signed,): (i64,) =
            sqlx::query_as("SELECT id FROM stages WHERE pipeline_id = $1 AND name = 'Signed'")
                .bind(pipeline_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let (status, body) = app
            .rpc(
                &owner,
                "save_stage",
                &save(signed.to_string(), "Signed", "95"),
            )
            .await;
        assert!(status < 400, "{status} {body}");
        app.rpc(
            &owner,
            "move_stage",
            &[("stage_id", signed.to_string()), ("index", "0".into())],
        )
        .await;
        let (status, body) = app
            .rpc(&owner, "delete_stage", &[("stage_id", signed.to_string())])
            .await;
        assert!(status < 400, "{status} {body}");
        let (status, _) = app
            .call("DELETE", &format!("/v1/pipelines/{pipe}"), Some(&key), None)
            .await;
        assert!(status < 300, "pipeline delete: {status}");

        // A deal deleted through the API.
        let (status, opp) = app
            .call(
                "POST",
                "/v1/opportunities",
                Some(&key),
                Some(r#"{"name": "Doomed deal", "value": 10}"#),
            )
            .await;
        assert_eq!(status, 201, "{opp}");
        let (status, _) = app
            .call(
                "DELETE",
                &format!("/v1/opportunities/{}", opp["id"].as_str().unwrap()),
                Some(&key),
                None,
            )
            .await;
        assert!(status < 300, "deal delete: {status}");

        // An import, to its end.
        let stage = crate::import::first_stage(&app.db, account_id).await;
        let id =
            crate::import::upload(&app.base, &owner, crate::import::PIPEDRIVE.as_bytes()).await;
        let fields = crate::import::suggested(&app.db, id).await;
        crate::import::start(&app.base, &owner, id, &fields, stage, "update", "import").await;
        crate::import::finished(&app.db, id).await;

        // Each left its row: who, what, from where.
        let entries = log(&app, &owner, &[]).await;
        let owner_label = row(&entries, "signed_in")["actor"]
            .as_str()
            .unwrap()
            .to_string();
        assert!(owner_label.contains(&email), "{owner_label}");
        let failed = row(&entries, "sign_in_failed");
        assert_eq!(failed["subject"], json!(email));
        assert_eq!(failed["address"], json!("127.0.0.1"));
        for (action, subject) in [
            ("invitation_sent", joiner.as_str()),
            ("invitation_resent", invitee.as_str()),
            ("invitation_revoked", invitee.as_str()),
            ("invitation_accepted", joiner.as_str()),
            ("user_added", seller.as_str()),
            ("role_changed", seller.as_str()),
            ("user_deactivated", seller.as_str()),
            ("user_reactivated", seller.as_str()),
            ("api_key_created", "Zapier link"),
            ("api_key_revoked", "Zapier link"),
            ("stage_created", "Channel partners › Signed"),
            ("stage_changed", "Channel partners › Signed"),
            ("stages_reordered", "Channel partners"),
            ("stage_deleted", "Channel partners › Signed"),
            ("import_started", "pipedrive-deals.csv"),
        ] {
            let r = row(&entries, action);
            assert_eq!(r["subject"], json!(subject), "{action}: {r}");
            assert_eq!(r["address"], json!("127.0.0.1"), "{action}: {r}");
        }
        assert_eq!(
            row(&entries, "role_changed")["detail"],
            json!("sales → admin")
        );
        assert_eq!(
            row(&entries, "stage_changed")["detail"],
            json!("90 % → 95 %")
        );
        assert_eq!(
            row(&entries, "api_key_created")["actor"],
            json!(owner_label)
        );
        // The worker finishes the import: the row names who started it, and no address.
        let finished = row(&entries, "import_finished");
        assert_eq!(finished["subject"], json!("pipedrive-deals.csv"));
        assert_eq!(finished["actor"], json!(owner_label));
        assert_eq!(finished["address"], Value::Null);
        assert!(
            row(&entries, "import_finished")["detail"]
                .as_str()
                .unwrap()
                .starts_with("7 rows:"),
            "{entries:#?}"
        );
        // Changes through an API key name the key.
        for (action, subject) in [
            ("automation_created", "Big quotes"),
            ("automation_changed", "Big quotes"),
            ("automation_deleted", "Big quotes"),
            ("pipeline_created", "Partners"),
            ("pipeline_changed", "Channel partners"),
            ("pipeline_deleted", "Channel partners"),
            ("deal_deleted", "Doomed deal"),
        ] {
            let r = row(&entries, action);
            assert_eq!(r["subject"], json!(subject), "{action}: {r}");
            assert_eq!(r["api_key"], json!("test"), "{action}: {r}");
        }
        assert_eq!(
            row(&entries, "automation_changed")["detail"],
            json!("paused")
        );
        assert_eq!(
            row(&entries, "pipeline_changed")["detail"],
            json!("Partners → Channel partners")
        );

        // Filters: by action, by user, by days.
        let failed_only = log(&app, &owner, &[("action", "sign_in_failed".into())]).await;
        assert_eq!(failed_only.len(), 1, "{failed_only:#?}");
        let (owner_id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(&email)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let by_owner = log(&app, &owner, &[("user", owner_id.to_string())]).await;
        assert!(!by_owner.is_empty());
        assert!(
            by_owner.iter().all(|e| e["actor"] == json!(owner_label)),
            "{by_owner:#?}"
        );
        let future = log(&app, &owner, &[("from", "2999-01-01".into())]).await;
        assert!(future.is_empty());
        let (status, body) = app
            .rpc(&owner, "audit_log", &[("from", "yesterday".into())])
            .await;
        assert_eq!(
            (status, parse(&body)["field"].clone()),
            (422, json!("from"))
        );
        let (status, body) = app
            .rpc(&owner, "audit_log", &[("action", "nothing".into())])
            .await;
        assert_eq!(
            (status, parse(&body)["field"].clone()),
            (422, json!("action"))
        );

        // The CSV holds the filtered rows, oldest first.
        let res = owner
            .get(app.url("/export/audit.csv?action=role_changed"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let csv = res.text().await.unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2, "{csv}");
        assert!(lines[0].contains("actor") && lines[1].contains("role_changed"));
        assert!(
            lines[1].contains("sales → admin") && lines[1].contains(&seller),
            "{csv}"
        );

        // The API reads the same log with a `config:manage` key.
        let (status, listed) = app
            .call(
                "GET",
                "/v1/audit-events?action=role_changed",
                Some(&key),
                None,
            )
            .await;
        assert_eq!(status, 200, "{listed}");
        let events = listed["data"].as_array().unwrap();
        assert_eq!(events.len(), 1, "{listed}");
        assert_eq!(events[0]["detail"], json!("sales → admin"));
        assert_eq!(events[0]["address"], json!("127.0.0.1"));
        assert!(events[0]["at"].as_str().unwrap().ends_with('Z'));
        let (status, all) = app.call("GET", "/v1/audit-events", Some(&key), None).await;
        assert_eq!(status, 200);
        assert_eq!(
            all["data"].as_array().unwrap().len(),
            entries.len(),
            "the API and the page read the same rows"
        );
        let (status, body) = app
            .call("GET", "/v1/audit-events?before=abc", Some(&key), None)
            .await;
        assert_eq!(
            (status, body["error"]["field"].clone()),
            (422, json!("before")),
            "{body}"
        );
        let reader = app.api_key(account_id, &["opportunities:read"]).await;
        let (status, _) = app
            .call("GET", "/v1/audit-events", Some(&reader), None)
            .await;
        assert_eq!(status, 403);
        let (status, csv) = app
            .call(
                "GET",
                "/v1/audit-events/export.csv?action=sign_in_failed",
                Some(&key),
                None,
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(csv.as_str().unwrap().trim().lines().count(), 2, "{csv}");

        // The page shows the rows; a salesperson is refused the log and its file.
        let (status, page) = app.page(&owner, "/settings/audit").await;
        assert_eq!(status, 200);
        assert!(
            page.contains("data-testid=\"audit-row\""),
            "no rows on the page"
        );
        app.rpc(
            &owner,
            "change_user",
            &[
                ("id", seller_id.to_string()),
                ("op", "role".into()),
                ("role", "sales".into()),
            ],
        )
        .await;
        let sales = app.signed_in(&seller, "seller-pass-1").await;
        let (status, _) = app.rpc(&sales, "audit_log", &[]).await;
        assert_eq!(status, 403);
        let res = sales
            .get(app.url("/export/audit.csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 403);

        // Another account's log holds none of this.
        let (_, other_email, other_password) = app.account("Elsewhere").await;
        let other = app.signed_in(&other_email, &other_password).await;
        let theirs = log(&app, &other, &[]).await;
        assert!(
            theirs.iter().all(|e| e["action"] == "signed_in"),
            "{theirs:#?}"
        );
    }
}
