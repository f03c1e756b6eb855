//! Lists of deals page by page on both databases: every page in the same order as the plain
//! query, the exact total as deals come and go (kept on the account row for a list of every
//! deal, counted for a filtered one or a reader who sees only some), and pages deep in the list.

use dealflow::domain::deal_table::TableQuery;
use dealflow::domain::{AccountId, Role, UserId};
use dealflow::server::auth::api_keys;
use dealflow::server::services::deals::{self, table, NewDeal};
use dealflow::server::services::{accounts, Actor};
use serde_json::Value;

use crate::support::{backends, OnBackend, TestApp};

/// Deals made for this test.
const DEALS: usize = 130;

/// The account's deals by `order`, as public opportunity ids.
async fn in_order(app: &TestApp, account_id: AccountId, order: &str) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as(&format!(
        "SELECT uuid FROM deals WHERE account_id = $1 ORDER BY {order}"
    ))
    .bind(account_id)
    .fetch_all(&app.db.pool)
    .await
    .unwrap();
    rows.into_iter()
        .map(|(u,)| format!("opp_{}", u.replace('-', "")))
        .collect()
}

/// Every page of `GET /v1/opportunities` with `per_page`, until an empty one: the ids in
/// order, and the total each page gave.
async fn walk(app: &TestApp, key: &str, per_page: usize) -> (Vec<String>, Vec<i64>) {
    let (mut ids, mut totals) = (Vec::new(), Vec::new());
    for page in 1.. {
        let (status, body) = app
            .call(
                "GET",
                &format!("/v1/opportunities?per_page={per_page}&page={page}"),
                Some(key),
                None,
            )
            .await;
        assert_eq!(status, 200, "page {page}: {body}");
        totals.push(body["meta"]["total"].as_i64().unwrap());
        let data = body["data"].as_array().unwrap();
        if data.is_empty() {
            break;
        }
        assert!(data.len() <= per_page);
        ids.extend(data.iter().map(|d| d["id"].as_str().unwrap().to_string()));
    }
    (ids, totals)
}

async fn counted(app: &TestApp, account_id: AccountId) -> (i64, i64) {
    sqlx::query_as(
        "SELECT (SELECT COUNT(*) FROM deals WHERE account_id = $1), deal_count FROM accounts WHERE id = $1",
    )
    .bind(account_id)
    .fetch_one(&app.db.pool)
    .await
    .unwrap()
}

#[tokio::test]
async fn every_page_in_order_with_its_exact_total() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, email, _) = app.account("Pages").await;
        let (owner,): (UserId,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(&email)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let actor = Actor {
            account_id,
            user_id: Some(owner),
        };
        let demo: i64 = counted(&app, account_id).await.0;
        for i in 0..DEALS {
            deals::create_deal(
                &app.db,
                actor,
                NewDeal {
                    title: format!("Deal {i:03}"),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        // Ties on the creation time are ordered by id.
        sqlx::query(
            "UPDATE deals SET created_at = '2026-01-01T00:00:00.000000Z' WHERE account_id = $1 AND id % 3 = 0",
        )
        .bind(account_id)
        .execute(&app.db.pool)
        .await
        .unwrap();
        let all = DEALS as i64 + demo;
        assert_eq!(counted(&app, account_id).await, (all, all));

        let key = app.api_key(account_id, &["all"]).await;
        let newest_first = in_order(&app, account_id, "created_at DESC, id DESC").await;
        let (ids, totals) = walk(&app, &key, 9).await;
        assert_eq!(ids, newest_first);
        assert!(totals.iter().all(|t| *t == all), "{totals:?}");

        // Deals deleted and created through the API: the total follows.
        for id in &newest_first[10..15] {
            let (status, body) = app
                .call(
                    "DELETE",
                    &format!("/v1/opportunities/{id}"),
                    Some(&key),
                    None,
                )
                .await;
            assert!(status == 200 || status == 204, "{status} {body}");
        }
        let (status, _) = app
            .call(
                "POST",
                "/v1/opportunities",
                Some(&key),
                Some(r#"{"name": "One more"}"#),
            )
            .await;
        assert_eq!(status, 201);
        let all = all - 4;
        assert_eq!(counted(&app, account_id).await, (all, all));
        let (ids, totals) = walk(&app, &key, 25).await;
        assert_eq!(
            ids,
            in_order(&app, account_id, "created_at DESC, id DESC").await
        );
        assert!(totals.iter().all(|t| *t == all), "{totals:?}");
        // A filtered list counts its own.
        let (_, open) = app
            .call(
                "GET",
                "/v1/opportunities?status=open&per_page=1",
                Some(&key),
                None,
            )
            .await;
        let (open_count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM deals WHERE account_id = $1 AND status = 'open'")
                .bind(account_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(open["meta"]["total"], Value::from(open_count));

        // A salesperson's key sees the deals open to everyone and their own: counted.
        sqlx::query(
            "UPDATE deals SET visibility = 0 WHERE account_id = $1 AND title IN ('Deal 001', 'Deal 002')",
        )
        .bind(account_id)
        .execute(&app.db.pool)
        .await
        .unwrap();
        let sam = accounts::create_user(
            &app.db,
            account_id,
            &format!("sam.{}@pages.test", account_id.0),
            "Sam",
            "sam-password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let sams = api_keys::create_key(
            &app.db,
            account_id,
            Some(sam),
            "sam",
            &["opportunities:read".to_string()],
            None,
        )
        .await
        .unwrap()
        .token;
        let (ids, totals) = walk(&app, &sams, 40).await;
        assert_eq!(ids.len() as i64, all - 2);
        assert!(totals.iter().all(|t| *t == all - 2), "{totals:?}");

        // The accounts API search, in id order, a page deep in the list.
        let (status, page) = app
            .call(
                "POST",
                &format!(
                    "/api/v1/accounts/{}/deals/search?page=4&items=10",
                    account_id.0
                ),
                Some(&key),
                Some(r#"{"query": {}}"#),
            )
            .await;
        assert_eq!(status, 200, "{page}");
        let ids: Vec<i64> = page["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|d| d["id"].as_i64().unwrap())
            .collect();
        let want: Vec<i64> = sqlx::query_as::<_, (i64,)>(
            "SELECT id FROM deals WHERE account_id = $1 ORDER BY id LIMIT 10 OFFSET 30",
        )
        .bind(account_id)
        .fetch_all(&app.db.pool)
        .await
        .unwrap()
        .into_iter()
        .map(|(id,)| id)
        .collect();
        assert_eq!(ids, want);
        assert_eq!(page["pagination"]["count"], Value::from(all));

        // The deal table, newest first, its second page and its total.
        let second = table::page(
            &app.db,
            actor,
            &TableQuery {
                page: "2".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(second.total, all);
        let titles: Vec<String> = second.rows.into_iter().map(|r| r.title).collect();
        let want: Vec<(String,)> = sqlx::query_as(
            "SELECT title FROM deals WHERE account_id = $1 ORDER BY created_at DESC, id DESC LIMIT 50 OFFSET 50",
        )
        .bind(account_id)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(titles, want.into_iter().map(|(t,)| t).collect::<Vec<_>>());
        // Past the end: no rows, the same total.
        let (_, past) = app
            .call(
                "GET",
                "/v1/opportunities?per_page=100&page=500",
                Some(&key),
                None,
            )
            .await;
        assert_eq!(past["data"], Value::Array(vec![]));
        assert_eq!(past["meta"]["total"], Value::from(all));
    }
}
