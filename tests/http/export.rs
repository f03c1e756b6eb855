//! The deals CSV export over HTTP on both databases: what the board shows with its filters,
//! every row once across the pages it is read in, cells quoted, a bad filter refused, and
//! only for someone signed in; contacts, organizations and activities as their lists show
//! them; the JSON API's exports with each list's read scope.

use std::collections::HashSet;

use dealflow::server::services::activities::{self, NewActivity};
use dealflow::server::services::contacts::{self, NewContact};
use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::{organizations, Actor};
use serde_json::json;

use crate::fixtures::seed;
use crate::support::{backends, OnBackend, TestApp};

/// The lines of a CSV answer, after its byte-order mark.
async fn lines(res: reqwest::Response) -> Vec<String> {
    let text = res.text().await.expect("body");
    let text = text
        .strip_prefix('\u{FEFF}')
        .expect("a byte-order mark first");
    text.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_board_exports_its_deals_as_csv() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        // 1,020 deals: more than one page of the export.
        let s = seed(&app.db, "Export", 340).await;
        let actor = Actor {
            account_id: s.account_id,
            user_id: None,
        };
        deals::create_deal(
            &app.db,
            actor,
            NewDeal {
                title: "Érica, \"the\" deal".into(),
                value_cents: 123_450,
                stage_id: Some(s.stages[0]),
                ..Default::default()
            },
        )
        .await
        .expect("deal");
        let client = app.signed_in(&s.email, &s.password).await;

        let res = client
            .get(app.url(&format!("/export/deals.csv?pipeline={}", s.pipeline_id)))
            .send()
            .await
            .expect("export");
        assert_eq!(res.status(), 200);
        let h = res.headers().clone();
        assert!(h["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/csv"));
        assert!(h["content-disposition"]
            .to_str()
            .unwrap_or("")
            .starts_with("attachment"));
        let all = lines(res).await;
        assert_eq!(
            all[0],
            "id,title,pipeline,stage,status,value,currency,expected_close_date,contact,organization,owner"
        );
        assert_eq!(all.len(), 1 + 1021, "a header and every deal");
        let ids: HashSet<&str> = all[1..]
            .iter()
            .map(|l| l.split(',').next().unwrap_or_default())
            .collect();
        assert_eq!(ids.len(), 1021, "each deal once");
        assert!(
            all.iter()
                .any(|l| l.contains(",\"Érica, \"\"the\"\" deal\",") && l.contains(",1234.50,")),
            "the awkward title quoted, its value as a plain decimal"
        );

        // The board's text filter: "deal 2-16" is 2-16 and 2-160 … 2-169.
        let res = client
            .get(app.url("/export/deals.csv?q=deal+2-16"))
            .send()
            .await
            .expect("export");
        assert_eq!(res.status(), 200);
        assert_eq!(lines(res).await.len(), 1 + 11);
        // Won deals only: none yet.
        let res = client
            .get(app.url("/export/deals.csv?status=won"))
            .send()
            .await
            .expect("export");
        assert_eq!(lines(res).await.len(), 1);

        // A bad filter is refused before the download starts; no session, no export.
        let res = client
            .get(app.url("/export/deals.csv?min_value=lots"))
            .send()
            .await
            .expect("export");
        assert_eq!(res.status(), 422);
        let res = app
            .client()
            .get(app.url("/export/deals.csv"))
            .send()
            .await
            .expect("export");
        assert!(res.status().is_redirection(), "{}", res.status());
        assert!(res.headers()["location"]
            .to_str()
            .unwrap_or("")
            .starts_with("/login"));
    }
}

/// The lines of a CSV text (after its byte-order mark).
fn csv_lines(text: &str) -> Vec<String> {
    text.strip_prefix('\u{FEFF}')
        .expect("a byte-order mark first")
        .split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

/// Contacts (2 named Ana, one of them at Acme), organizations and activities of an account.
async fn people(app: &TestApp, account_id: dealflow::domain::AccountId) {
    let actor = Actor {
        account_id,
        user_id: None,
    };
    let acme = organizations::create_organization(&app.db, actor, "Acme, Ltda.")
        .await
        .unwrap();
    organizations::create_organization(&app.db, actor, "Beta")
        .await
        .unwrap();
    for (name, org) in [
        ("Ána Souza", Some(acme)),
        ("Ana Lima", None),
        ("Bruno Reis", None),
    ] {
        contacts::create_contact(
            &app.db,
            actor,
            NewContact {
                full_name: name.into(),
                email: None,
                phone: None,
                organization_id: org,
            },
        )
        .await
        .unwrap();
    }
    for (kind, title) in [
        ("call", "=cmd|' /C calc'!A0"),
        ("task", "Send the proposal"),
    ] {
        activities::create_activity(
            &app.db,
            actor,
            NewActivity {
                kind: kind.into(),
                title: title.into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
    }
}

#[tokio::test]
async fn contacts_organizations_and_activities_export_what_their_lists_show() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, email, password) = app.account("Lists export").await;
        let (other, _, _) = app.account("Other lists").await;
        people(&app, account_id).await;
        people(&app, other).await;
        let client = app.signed_in(&email, &password).await;
        let get = |path: &'static str| {
            let client = client.clone();
            let url = app.url(path);
            async move {
                let res = client.get(url).send().await.expect("export");
                (res.status().as_u16(), res.text().await.unwrap_or_default())
            }
        };

        let (status, text) = get("/export/contacts.csv?q=ana").await;
        assert_eq!(status, 200);
        let all = csv_lines(&text);
        assert_eq!(all[0], "id,name,email,phone,organization,open_deals");
        assert_eq!(
            all.len(),
            1 + 2,
            "Ána and Ana, not Bruno, not the other account's: {all:?}"
        );
        assert!(
            all.iter()
                .any(|l| l.contains(",Ána Souza,,,\"Acme, Ltda.\",0")),
            "{all:?}"
        );
        let (_, text) = get("/export/contacts.csv").await;
        assert_eq!(csv_lines(&text).len(), 1 + 3);

        let (status, text) = get("/export/organizations.csv?q=ACME").await;
        assert_eq!(status, 200);
        let all = csv_lines(&text);
        assert_eq!(all[0], "id,name,contacts,open_deals");
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(all[1].ends_with(",\"Acme, Ltda.\",1,0"), "{all:?}");

        // Everyone's activities of one kind; a formula is disarmed.
        let (status, text) = get("/export/activities.csv?user=all&kind=call").await;
        assert_eq!(status, 200);
        let all = csv_lines(&text);
        assert_eq!(all[0], "id,kind,title,due_at,done_at,deal,user,description");
        assert_eq!(all.len(), 2, "{all:?}");
        assert!(all[1].contains(",call,'=cmd|' /C calc'!A0,"), "{all:?}");
        let (_, text) = get("/export/activities.csv?user=all").await;
        assert_eq!(csv_lines(&text).len(), 1 + 2);

        for path in [
            "/export/activities.csv?kind=visit",
            "/export/activities.csv?from=yesterday",
            "/export/activities.csv?user=someone",
        ] {
            let (status, text) = get(path).await;
            assert_eq!(status, 422, "{path}: {text}");
            assert!(
                !text.starts_with('\u{FEFF}'),
                "{path}: refused before the file"
            );
        }
        let res = app
            .client()
            .get(app.url("/export/contacts.csv"))
            .send()
            .await
            .expect("export");
        assert!(res.status().is_redirection(), "{}", res.status());
    }
}

#[tokio::test]
async fn the_api_exports_its_lists_with_the_read_scope() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "API export", 3).await;
        let (other, _, _) = app.account("Other API export").await;
        people(&app, s.account_id).await;
        people(&app, other).await;
        let all = app.api_key(s.account_id, &["all"]).await;
        let contacts_only = app.api_key(s.account_id, &["contacts:read"]).await;
        let text = |v: serde_json::Value| {
            v.as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| panic!("not CSV: {v}"))
        };

        let (status, body) = app
            .call("GET", "/v1/opportunities/export.csv", Some(&all), None)
            .await;
        assert_eq!(status, 200, "{body}");
        let rows = csv_lines(&text(body));
        // The seed puts 3 deals in each of the first three stages.
        assert_eq!(
            rows.len(),
            1 + 3 * 3,
            "every open deal of the primary pipeline"
        );
        let (_, body) = app
            .call(
                "GET",
                "/v1/opportunities/export.csv?q=DEAL%201-2&status=all",
                Some(&all),
                None,
            )
            .await;
        assert_eq!(csv_lines(&text(body)).len(), 1 + 1);
        for (query, field) in [
            ("pipeline=pipe_nope", "pipeline"),
            ("owner=user_nope", "owner"),
            ("status=sold", "status"),
            ("min_value=lots", "min_value"),
        ] {
            let (status, err) = app
                .call(
                    "GET",
                    &format!("/v1/opportunities/export.csv?{query}"),
                    Some(&all),
                    None,
                )
                .await;
            assert_eq!(
                (status, err["error"]["field"].clone()),
                (422, json!(field)),
                "{query}: {err}"
            );
        }
        let (status, _) = app
            .call(
                "GET",
                "/v1/opportunities/export.csv",
                Some(&contacts_only),
                None,
            )
            .await;
        assert_eq!(status, 403, "opportunities:read is needed");

        let (status, body) = app
            .call(
                "GET",
                "/v1/contacts/export.csv?q=ana",
                Some(&contacts_only),
                None,
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(csv_lines(&text(body)).len(), 1 + 2);
        let (status, body) = app
            .call(
                "GET",
                "/v1/organizations/export.csv",
                Some(&contacts_only),
                None,
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(csv_lines(&text(body)).len(), 1 + 2);
        let (status, _) = app
            .call(
                "GET",
                "/v1/activities/export.csv",
                Some(&contacts_only),
                None,
            )
            .await;
        assert_eq!(status, 403, "activities:read is needed");
        let (status, body) = app
            .call(
                "GET",
                "/v1/activities/export.csv?kind=task",
                Some(&all),
                None,
            )
            .await;
        assert_eq!(status, 200);
        let rows = csv_lines(&text(body));
        assert_eq!(rows.len(), 2, "{rows:?}");
        assert!(rows[1].contains(",task,Send the proposal,"), "{rows:?}");
        let (status, err) = app
            .call(
                "GET",
                "/v1/activities/export.csv?to=31/02/2026",
                Some(&all),
                None,
            )
            .await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("to")),
            "{err}"
        );
        let (status, _) = app.call("GET", "/v1/contacts/export.csv", None, None).await;
        assert_eq!(status, 401);
    }
}
