//! Pages and forms for signed-in people: sessions, account walls, the deal page, activities
//! and the leaderboard, contacts, settings, hand-overs.

use crate::fixtures::{seed, stage_ids, testid_text};
use crate::support::{backends, board_from_html, TestApp};

#[tokio::test]
async fn login_logout_and_pages_need_a_session() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Login", 1).await;
        let anon = app.client();

        let (status, _) = app.page(&anon, "/").await;
        assert_eq!(
            status, 303,
            "anonymous board must redirect to the login page"
        );
        let res = anon
            .get(app.url(&format!("/pipelines/{}", s.pipeline_id)))
            .send()
            .await
            .unwrap();
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(
            location,
            format!("/login?next=/pipelines/{}", s.pipeline_id)
        );
        let (status, html) = app.page(&anon, "/login").await;
        assert_eq!(status, 200);
        assert!(html.contains("name=\"password\""));

        let res = app.login(&anon, &s.email, "wrong password").await;
        assert_eq!(res.status().as_u16(), 422);
        assert!(res
            .text()
            .await
            .unwrap()
            .contains("wrong e-mail or password"));
        assert_eq!(
            app.page(&anon, "/").await.0,
            303,
            "a failed login must not sign in"
        );

        // A browser without JavaScript posts the form and follows redirects.
        let plain_post = |password: &str| {
            anon.post(app.url("/rpc/login"))
                .header("accept", "text/html,application/xhtml+xml")
                .header("referer", app.url("/login"))
                .form(&[
                    ("email", s.email.as_str()),
                    ("password", password),
                    ("next", "/pipelines/1?q=a b"),
                ])
                .send()
        };
        let res = plain_post("wrong password").await.unwrap();
        assert!(res.status().is_redirection(), "{}", res.status());
        let location = res.headers()["location"].to_str().unwrap().to_string();
        assert_eq!(location, "/login?failed=1&next=/pipelines/1%3Fq%3Da%20b");
        let (status, html) = app.page(&anon, &location).await;
        assert_eq!(status, 200);
        assert!(
            html.contains("wrong e-mail or password"),
            "the page says why"
        );
        assert!(
            html.contains("value=\"/pipelines/1?q=a b\""),
            "next is kept"
        );
        assert_eq!(app.page(&anon, "/").await.0, 303);
        let res = plain_post(&s.password).await.unwrap();
        assert!(res.status().is_redirection(), "{}", res.status());
        assert_eq!(res.headers()["location"], "/pipelines/1?q=a b");
        assert_eq!(
            app.page(&anon, "/").await.0,
            200,
            "signed in without JavaScript"
        );
        let (status, _) = app.rpc(&anon, "logout", &[]).await;
        assert!(status < 400);

        let res = app.login(&anon, &s.email.to_uppercase(), &s.password).await;
        assert!(
            res.status().is_success() || res.status().is_redirection(),
            "{}",
            res.status()
        );
        let (status, html) = app.page(&anon, "/").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("data-testid=\"board\""),
            "board rendered on the server"
        );
        assert!(
            html.contains("Login deal 0-0"),
            "cards readable without JavaScript"
        );

        let (status, _) = app.rpc(&anon, "logout", &[]).await;
        assert!(status < 400, "logout status {status}");
        assert_eq!(app.page(&anon, "/").await.0, 303, "logged out");
    }
}

#[tokio::test]
async fn account_isolation_gives_not_found() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let a = seed(&app.db, "Alpha", 1).await;
        let b = seed(&app.db, "Beta", 1).await;
        let client = app.signed_in(&a.email, &a.password).await;

        let (status, html) = app
            .page(&client, &format!("/pipelines/{}", b.pipeline_id))
            .await;
        assert_eq!(status, 404, "another account's board");
        assert!(!html.contains("Beta deal"), "no foreign deal leaks");

        let b_deal = stage_ids(&app.db, b.account_id, b.stages[0]).await[0];
        let (status, body) = app
            .rpc(
                &client,
                "move_deal",
                &[
                    ("deal_id", b_deal.to_string()),
                    ("stage_id", a.stages[1].to_string()),
                ],
            )
            .await;
        assert_eq!(status, 404, "moving a foreign deal: {body}");
        let (status, _) = app
            .rpc(
                &client,
                "move_deal",
                &[
                    (
                        "deal_id",
                        stage_ids(&app.db, a.account_id, a.stages[0]).await[0].to_string(),
                    ),
                    ("stage_id", b.stages[1].to_string()),
                ],
            )
            .await;
        assert_eq!(status, 404, "moving into a foreign stage");
        let (status, body) = app
            .rpc(
                &client,
                "quick_add_deal",
                &[
                    ("stage_id", b.stages[0].to_string()),
                    ("title", "Sneaky".into()),
                ],
            )
            .await;
        assert_eq!(status, 422, "adding to a foreign stage: {body}");
        assert!(body.contains("no such stage"), "{body}");
        assert_eq!(
            stage_ids(&app.db, b.account_id, b.stages[0]).await,
            vec![b_deal],
            "B untouched"
        );
        assert_eq!(stage_ids(&app.db, b.account_id, b.stages[1]).await.len(), 1);
    }
}

#[tokio::test]
async fn deal_page_edits_and_closes_a_deal() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Page", 1).await;
        let other = seed(&app.db, "Hidden", 1).await;
        let client = app.signed_in(&s.email, &s.password).await;
        let deal = stage_ids(&app.db, s.account_id, s.stages[0]).await[0];
        let foreign = stage_ids(&app.db, other.account_id, other.stages[0]).await[0];

        let (status, html) = app.page(&client, &format!("/deals/{deal}")).await;
        assert_eq!(status, 200);
        assert_eq!(
            testid_text(&html, "deal-title").as_deref(),
            Some("Page deal 0-0")
        );
        let (status, html) = app.page(&client, &format!("/deals/{foreign}")).await;
        assert_eq!(status, 404);
        assert!(!html.contains("Hidden deal"));

        let form = |value: &str| {
            vec![
                ("id", deal.to_string()),
                ("title", "Renamed".to_string()),
                ("value", value.to_string()),
                ("currency", "usd".to_string()),
                ("temperature", "2".to_string()),
            ]
        };
        let (status, body) = app.rpc(&client, "save_deal", &form("1.999")).await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("more than 2 decimals"), "{body}");
        let (status, body) = app.rpc(&client, "save_deal", &form("2500")).await;
        assert_eq!(status, 200, "{body}");
        let (_, html) = app.page(&client, "/").await;
        assert_eq!(
            testid_text(&html, "column-total").as_deref(),
            Some("$2,500.00"),
            "the board reflects it"
        );

        let (status, body) = app
            .rpc(&client, "mark_deal_lost", &[("id", deal.to_string())])
            .await;
        assert_eq!(status, 422, "a reason is required: {body}");
        let (status, _) = app
            .rpc(
                &client,
                "mark_deal_lost",
                &[("id", deal.to_string()), ("reason", "Budget".into())],
            )
            .await;
        assert_eq!(status, 200);
        let (_, html) = app.page(&client, "/").await;
        assert!(
            !board_from_html(&html)
                .iter()
                .any(|(_, c)| c.contains(&deal)),
            "left the open board"
        );
        let (_, html) = app.page(&client, &format!("/deals/{deal}")).await;
        assert!(html.contains("Marked lost: Budget"), "timeline");
        let (status, _) = app
            .rpc(&client, "reopen_deal", &[("id", foreign.to_string())])
            .await;
        assert_eq!(status, 404);
    }
}

#[tokio::test]
async fn activities_page_groups_and_leaderboard_counts_points() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Acts", 0).await;
        let client = app.signed_in(&s.email, &s.password).await;
        let (_, html) = app.page(&client, "/activities").await;
        assert!(html.contains("No activities here yet"), "empty state");

        let yesterday = (chrono::Utc::now() - chrono::Duration::days(1))
            .format("%Y-%m-%dT%H:%M")
            .to_string();
        let (status, body) = app
            .rpc(
                &client,
                "add_activity",
                &[
                    ("kind", "call".into()),
                    ("title", "Call Ana back".into()),
                    ("due_at", yesterday),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = app
            .rpc(
                &client,
                "add_activity",
                &[
                    ("kind", "call".into()),
                    ("title", "Bad".into()),
                    ("due_at", "soon".into()),
                ],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        let (_, html) = app.page(&client, "/activities").await;
        let overdue = &html[html.find("data-testid=\"overdue\"").expect("overdue group")..];
        let overdue = &overdue[..overdue.find("data-testid=\"today\"").unwrap()];
        assert!(overdue.contains("Call Ana back"), "listed as overdue");

        let (id,): (i64,) =
            sqlx::query_as("SELECT id FROM activities WHERE title = 'Call Ana back'")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        for _ in 0..2 {
            let (status, _) = app
                .rpc(
                    &client,
                    "change_activity",
                    &[("id", id.to_string()), ("op", "complete".into())],
                )
                .await;
            assert_eq!(status, 200);
        }
        let (_, html) = app.page(&client, "/leaderboard").await;
        assert_eq!(
            testid_text(&html, "lb-name").as_deref(),
            Some("Owner Person")
        );
        assert_eq!(
            testid_text(&html, "lb-week").as_deref(),
            Some("10"),
            "a call is worth 10, once"
        );
        assert_eq!(testid_text(&html, "lb-all").as_deref(), Some("10"));
        let (status, _) = app
            .rpc(
                &client,
                "change_activity",
                &[("id", id.to_string()), ("op", "explode".into())],
            )
            .await;
        assert_eq!(status, 422);
    }
}

#[tokio::test]
async fn contacts_pages_search_paginate_and_refuse_duplicates() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "People", 0).await;
        let other = seed(&app.db, "Others", 0).await;
        let client = app.signed_in(&s.email, &s.password).await;
        let (_, html) = app.page(&client, "/contacts").await;
        assert!(html.contains("No contacts yet"), "empty state");
        for i in 0..30 {
            let (status, body) = app
                .rpc(
                    &client,
                    "add_contact",
                    &[
                        ("full_name", format!("Person {i:02}")),
                        ("email", format!("p{i}@people.test")),
                        ("phone", format!("+1 415 555 {:04}", 1000 + i)),
                    ],
                )
                .await;
            assert_eq!(status, 200, "{body}");
        }
        let rows = |html: &str| html.matches("href=\"/contacts/").count();
        let (_, html) = app.page(&client, "/contacts").await;
        assert_eq!(rows(&html), 25);
        assert!(html.contains("30 contacts · page 1 of 2"));
        let (_, html) = app.page(&client, "/contacts?page=2").await;
        assert_eq!(rows(&html), 5);
        let (_, html) = app.page(&client, "/contacts?q=person%2012").await;
        assert_eq!(rows(&html), 1);
        let (_, html) = app.page(&client, "/contacts?q=5551029").await;
        assert_eq!(rows(&html), 1, "search by phone");

        let (status, body) = app
            .rpc(
                &client,
                "add_contact",
                &[
                    ("full_name", "Copy".into()),
                    ("phone", "+1 (415) 555-1003".into()),
                ],
            )
            .await;
        assert_eq!(status, 422);
        assert!(
            body.contains("Person 03 already has the phone +14155551003"),
            "{body}"
        );

        let (id,): (i64,) =
            sqlx::query_as("SELECT id FROM contacts WHERE account_id = $1 ORDER BY id LIMIT 1")
                .bind(s.account_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let (status, html) = app.page(&client, &format!("/contacts/{id}")).await;
        assert_eq!(status, 200);
        assert_eq!(
            testid_text(&html, "contact-name").as_deref(),
            Some("Person 00")
        );
        let stranger = app.signed_in(&other.email, &other.password).await;
        assert_eq!(app.page(&stranger, &format!("/contacts/{id}")).await.0, 404);
        let (_, html) = app.page(&stranger, "/contacts").await;
        assert_eq!(rows(&html), 0, "another account sees none of them");
    }
}

#[tokio::test]
async fn settings_change_only_for_owners_and_admins() {
    use dealflow::domain::Role;
    use dealflow::server::services::accounts;
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Conf", 0).await;
        accounts::create_user(
            &app.db,
            s.account_id,
            "seller@conf.test",
            "Seller",
            "password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let owner = app.signed_in(&s.email, &s.password).await;
        let seller = app.signed_in("seller@conf.test", "password-1").await;

        let (status, body) = app
            .rpc(&seller, "edit_lost_reason", &[("name", "Price".into())])
            .await;
        assert_eq!(status, 403, "{body}");
        let (status, _) = app
            .rpc(
                &seller,
                "set_activity_points",
                &[("kind", "call".into()), ("points", "99".into())],
            )
            .await;
        assert_eq!(status, 403);
        let (_, html) = app.page(&seller, "/settings").await;
        assert!(html.contains("Only owners and admins can change settings"));

        let (status, _) = app
            .rpc(&owner, "edit_lost_reason", &[("name", "Price".into())])
            .await;
        assert_eq!(status, 200);
        let (status, body) = app
            .rpc(
                &owner,
                "set_activity_points",
                &[("kind", "call".into()), ("points", "ten".into())],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        let (status, _) = app
            .rpc(
                &owner,
                "set_activity_points",
                &[("kind", "call".into()), ("points", "12".into())],
            )
            .await;
        assert_eq!(status, 200);
        let (_, html) = app.page(&seller, "/settings").await;
        assert!(
            html.contains("Price") && html.contains("value=\"12\""),
            "everyone can read them"
        );
    }
}

#[tokio::test]
async fn handing_a_deal_over_notifies_the_new_owner() {
    use dealflow::domain::Role;
    use dealflow::server::services::accounts;
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Bell", 1).await;
        let seller_id = accounts::create_user(
            &app.db,
            s.account_id,
            "bell@bell.test",
            "Bea",
            "password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let owner = app.signed_in(&s.email, &s.password).await;
        let seller = app.signed_in("bell@bell.test", "password-1").await;
        let (_, html) = app.page(&seller, "/").await;
        assert!(
            !html.contains("data-testid=\"unread-count\""),
            "nothing yet"
        );

        let deal = stage_ids(&app.db, s.account_id, s.stages[0]).await[0];
        let (status, body) = app
            .rpc(
                &owner,
                "save_deal",
                &[
                    ("id", deal.to_string()),
                    ("title", "Handed over".into()),
                    ("value", "10".into()),
                    ("currency", "USD".into()),
                    ("responsible_user_id", seller_id.to_string()),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, html) = app.page(&seller, "/").await;
        assert_eq!(testid_text(&html, "unread-count").as_deref(), Some("1"));
        assert!(
            html.contains("You are now responsible for &quot;Handed over&quot;")
                || html.contains("You are now responsible for \"Handed over\"")
        );

        let (id,): (i64,) = sqlx::query_as("SELECT id FROM notifications WHERE user_id = $1")
            .bind(seller_id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let (status, _) = app
            .rpc(&owner, "mark_notifications_read", &[("id", id.to_string())])
            .await;
        assert_eq!(status, 404, "only its owner may mark it");
        let (status, _) = app
            .rpc(
                &seller,
                "mark_notifications_read",
                &[("id", id.to_string())],
            )
            .await;
        assert_eq!(status, 200);
        let (_, html) = app.page(&seller, "/").await;
        assert!(!html.contains("data-testid=\"unread-count\""), "read");
    }
}
