//! The automation pages over HTTP on both databases: what a salesperson is not offered, the
//! stage keys the builder offers, run logs that link their deal or quote, and counts written
//! in the singular for one.

use dealflow::domain::Role;
use dealflow::server::services::{accounts, automations, quotes};
use serde_json::json;

use crate::fixtures::{actor, automation_body, by_hand, client_deal, item, seed};
use crate::support::{backends, OnBackend, TestApp};

#[tokio::test]
async fn a_salesperson_is_not_offered_what_only_owners_and_admins_may_use() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, owner_email, owner_password) = app.account("Offers").await;
        let password = "sales-pass-1";
        let email = format!("sam.{account_id}@offers.test");
        accounts::create_user(&app.db, account_id, &email, "Sam", password, Role::Sales)
            .await
            .unwrap();
        let owner = app.signed_in(&owner_email, &owner_password).await;
        let sales = app.signed_in(&email, password).await;

        let (status, html) = app.page(&owner, "/automations").await;
        assert_eq!(status, 200);
        assert!(html.contains("data-testid=\"new-automation\""));
        assert!(html.contains("data-testid=\"webhook-secret\""));

        // The header offers Automations to the owner only.
        let (_, board) = app.page(&owner, "/").await;
        assert!(board.contains("href=\"/automations\""));
        let (_, board) = app.page(&sales, "/").await;
        assert!(!board.contains("href=\"/automations\""));

        let (_, html) = app.page(&sales, "/automations").await;
        assert!(
            html.contains("data-testid=\"automations-refused\""),
            "{html}"
        );
        assert!(!html.contains("data-testid=\"new-automation\""));
        assert!(!html.contains("data-testid=\"webhook-secret\""));
        assert!(!html.contains("New automation"));
        assert!(!html.contains("Show the signing secret"));
        // The server still refuses them.
        for rpc in ["webhook_signing_secret", "automation_stages", "automations"] {
            let (status, _) = app.rpc(&sales, rpc, &[]).await;
            assert_eq!(status, 403, "{rpc}");
        }
    }
}

/// The "For" cell of the newest run.
fn subject(html: &str) -> &str {
    let at = html.find("data-testid=\"log-subject\"").expect("a run");
    &html[at..at + html[at..].find("</td>").unwrap()]
}

#[tokio::test]
async fn the_builder_offers_stage_keys_and_run_logs_link_their_deal_or_quote() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Run links", 1).await;
        let owner = app.signed_in(&s.email, &s.password).await;

        let (status, body) = app.rpc(&owner, "automation_stages", &[]).await;
        assert_eq!(status, 200, "{body}");
        let stages: Vec<(String, String)> = serde_json::from_str(&body).unwrap();
        let keys: Vec<&str> = stages.iter().map(|(k, _)| k.as_str()).collect();
        let (expected,): (String,) =
            sqlx::query_as("SELECT key FROM stages WHERE account_id = $1 AND id = $2")
                .bind(s.account_id)
                .bind(s.stages[1])
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert!(keys.contains(&expected.as_str()), "{keys:?}");
        let mut unique = keys.clone();
        unique.dedup();
        assert_eq!(unique.len(), keys.len(), "one entry per key");

        let automation = automations::create(
            &app.db,
            actor(s.account_id),
            &automation_body(json!({"name": "Linked runs", "trigger": "DEAL_WON",
                "actions": [{"type": "send_notification", "title": "x"}]})),
        )
        .await
        .unwrap();
        let deal = client_deal(&app.db, actor(s.account_id), None).await;
        let quote = quotes::create(
            &app.db,
            actor(s.account_id),
            &by_hand(deal, vec![item("Seat", "10", 1, "0")]),
        )
        .await
        .unwrap();
        let (automation_row,): (i64,) =
            sqlx::query_as("SELECT id FROM automations WHERE uuid = $1")
                .bind(&automation.id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let log = |deal: Option<i64>, quote: Option<i64>| {
            sqlx::query(
                "INSERT INTO automation_logs (account_id, uuid, automation_id, quote_id, deal_id, status, triggered_at) \
                 VALUES ($1, $2, $3, $4, $5, 'COMPLETED', $6)",
            )
            .bind(s.account_id)
            .bind(uuid::Uuid::new_v4().to_string())
            .bind(automation_row)
            .bind(quote)
            .bind(deal)
            .bind(dealflow::server::db::now())
        };
        log(Some(deal.0), None).execute(&app.db.pool).await.unwrap();

        let path = format!("/automations/{}/logs", automation.id);
        let (status, html) = app.page(&owner, &path).await;
        assert_eq!(status, 200);
        let title: (String,) = sqlx::query_as("SELECT title FROM deals WHERE id = $1")
            .bind(deal)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let cell = subject(&html);
        assert!(cell.contains(&format!("href=\"/deals/{deal}\"")), "{cell}");
        assert!(cell.contains(&format!(">{}</a>", title.0)), "{cell}");
        assert!(!html.contains("opp_"), "no opaque ids");
        assert!(html.contains("· 1 run<"), "one run, in the singular");
        let (_, list) = app.page(&owner, "/automations").await;
        assert!(list.contains(">1 run<"), "one run, in the singular");
        assert!(!list.contains("1 runs"));

        log(Some(deal.0), Some(quote.id.0))
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (_, html) = app.page(&owner, &path).await;
        let cell = subject(&html);
        assert!(
            cell.contains(&format!("href=\"/quotes/{}\"", quote.id)),
            "{cell}"
        );
        assert!(
            cell.contains(&format!(">Quote #{}</a>", quote.number)),
            "{cell}"
        );
        assert!(html.contains("· 2 runs<"));
    }
}

#[tokio::test]
async fn one_deal_in_a_stage_is_written_in_the_singular() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Singular", 1).await;
        let owner = app.signed_in(&s.email, &s.password).await;
        let (status, html) = app.page(&owner, "/settings").await;
        assert_eq!(status, 200);
        assert!(html.contains(">1 deal<"), "a stage with one deal");
        assert!(!html.contains("deal(s)"));
    }
}
