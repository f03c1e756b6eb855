//! HTTP integration tests: a real server over SQLite, and over PostgreSQL whenever one answers.

mod admin;
mod api_accounts;
mod api_external;
mod api_intake;
mod api_openapi;
mod api_sales;
mod automations;
mod deal_parts;
mod faults;
mod fuzz;
mod hardening;
mod live;
mod matrix;
mod pages;
mod quotes;
mod records;
mod support;

use dealflow::domain::positions;
use dealflow::server::db::Db;
use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::{pipelines, Actor};
use support::{backends, board_from_html, TestApp};

/// An account with `per_stage` deals in each of the first three stages of its primary pipeline.
struct Seeded {
    account_id: i64,
    email: String,
    password: String,
    pipeline_id: i64,
    stages: Vec<i64>,
}

async fn seed(app: &TestApp, name: &str, per_stage: usize) -> Seeded {
    let (account_id, email, password) = app.account(name).await;
    let actor = Actor {
        account_id,
        user_id: None,
    };
    let pipeline_id = pipelines::primary_pipeline_id(&app.db, account_id)
        .await
        .expect("pipeline");
    let stages: Vec<i64> = pipelines::stages_of(&app.db, account_id, pipeline_id)
        .await
        .expect("stages")
        .into_iter()
        .map(|s| s.id)
        .collect();
    for (si, stage) in stages.iter().take(3).enumerate() {
        for i in 0..per_stage {
            deals::create_deal(
                &app.db,
                actor,
                NewDeal {
                    title: format!("{name} deal {si}-{i}"),
                    value_cents: 100_000 * (i as i64 + 1),
                    stage_id: Some(*stage),
                    ..Default::default()
                },
            )
            .await
            .expect("deal");
        }
    }
    Seeded {
        account_id,
        email,
        password,
        pipeline_id,
        stages,
    }
}

/// Deal ids of a stage in position order, straight from the database.
async fn stage_ids(db: &Db, account_id: i64, stage_id: i64) -> Vec<i64> {
    let rows: Vec<(i64,)> = sqlx::query_as(
        "SELECT id FROM deals WHERE account_id = $1 AND stage_id = $2 ORDER BY position",
    )
    .bind(account_id)
    .bind(stage_id)
    .fetch_all(&db.pool)
    .await
    .expect("ids");
    rows.into_iter().map(|(id,)| id).collect()
}

/// The text of the first element with `data-testid="{id}"`.
fn testid_text(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("data-testid=\"{id}\""))?;
    let rest = &html[at..];
    let start = rest.find('>')? + 1;
    let end = rest[start..].find('<')? + start;
    Some(rest[start..end].to_string())
}

/// No two cards of a stage share a position.
async fn assert_ordered(db: &Db, account_id: i64) {
    for (stage, positions) in deals::stage_positions(db, account_id)
        .await
        .expect("positions")
    {
        assert!(
            positions::is_strictly_ordered(&positions),
            "stage {stage} has cards on the same place: {positions:?}"
        );
    }
}

#[tokio::test]
async fn login_logout_and_pages_need_a_session() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app, "Login", 1).await;
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
async fn board_shows_counts_totals_and_weighted_values() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app, "Totals", 2).await;
        let client = app.signed_in(&s.email, &s.password).await;
        let (status, html) = app
            .page(&client, &format!("/pipelines/{}", s.pipeline_id))
            .await;
        assert_eq!(status, 200);
        // First stage: two deals of 1,000 and 2,000 at 10 % → 3,000 total, 300 weighted.
        let first = &html[html.find("data-testid=\"column\"").unwrap()..];
        let first = &first[..first[10..]
            .find("data-testid=\"column\"")
            .map(|i| i + 10)
            .unwrap_or(first.len())];
        assert_eq!(testid_text(first, "column-count").as_deref(), Some("2"));
        assert_eq!(
            testid_text(first, "column-total").as_deref(),
            Some("USD 3,000.00")
        );
        assert_eq!(
            testid_text(first, "column-weighted").as_deref(),
            Some("≈ USD 300.00")
        );
        let board = board_from_html(&html);
        assert_eq!(board.len(), 5);

        // The same board through the server function the browser calls, with and without filters.
        let (status, body) = app.rpc(&client, "get_board", &[]).await;
        assert_eq!(status, 200, "{body}");
        let view: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(view["stages"][0]["cards"].as_array().unwrap().len(), 2);
        let (status, body) = app
            .rpc(
                &client,
                "get_board",
                &[("filter[min_value]", "1500".into())],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let view: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(
            view["stages"][0]["cards"].as_array().unwrap().len(),
            1,
            "min value filter"
        );
        assert_eq!(
            board.iter().map(|(_, c)| c.len()).collect::<Vec<_>>(),
            vec![2, 2, 2, 0, 0]
        );
    }
}

#[tokio::test]
async fn account_isolation_gives_not_found() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let a = seed(&app, "Alpha", 1).await;
        let b = seed(&app, "Beta", 1).await;
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
async fn moves_persist_in_order_with_stage_change_events() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app, "Moves", 3).await;
        let client = app.signed_in(&s.email, &s.password).await;
        let first = stage_ids(&app.db, s.account_id, s.stages[0]).await;
        let third = stage_ids(&app.db, s.account_id, s.stages[2]).await;

        // First card of the first stage to the top of the third.
        let (status, body) = app
            .rpc(
                &client,
                "move_deal",
                &[
                    ("deal_id", first[0].to_string()),
                    ("stage_id", s.stages[2].to_string()),
                    ("before_id", third[0].to_string()),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            stage_ids(&app.db, s.account_id, s.stages[0]).await,
            first[1..].to_vec()
        );
        let mut expected = vec![first[0]];
        expected.extend(&third);
        assert_eq!(
            stage_ids(&app.db, s.account_id, s.stages[2]).await,
            expected
        );
        let (_, html) = app.page(&client, "/").await;
        let board = board_from_html(&html);
        assert_eq!(
            board[2],
            (s.stages[2], expected.clone()),
            "the page shows the new order"
        );

        let (changed, events): (Option<String>, i64) = sqlx::query_as(
            "SELECT d.stage_changed_at, (SELECT COUNT(*) FROM deal_events e WHERE e.deal_id = d.id AND e.kind = 'stage_changed' \
             AND e.from_stage_id = $2 AND e.to_stage_id = $3) FROM deals d WHERE d.id = $1",
        )
        .bind(first[0])
        .bind(s.stages[0])
        .bind(s.stages[2])
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert!(changed.is_some());
        assert_eq!(events, 1, "one stage_changed event");

        // Reorder within a stage: last to the top, then the top to the end.
        let last = *expected.last().unwrap();
        let (status, _) = app
            .rpc(
                &client,
                "move_deal",
                &[
                    ("deal_id", last.to_string()),
                    ("stage_id", s.stages[2].to_string()),
                    ("before_id", expected[0].to_string()),
                ],
            )
            .await;
        assert_eq!(status, 200);
        let mut reordered = vec![last];
        reordered.extend(&expected[..expected.len() - 1]);
        assert_eq!(
            stage_ids(&app.db, s.account_id, s.stages[2]).await,
            reordered
        );
        let (status, _) = app
            .rpc(
                &client,
                "move_deal",
                &[
                    ("deal_id", last.to_string()),
                    ("stage_id", s.stages[2].to_string()),
                ],
            )
            .await;
        assert_eq!(status, 200);
        let mut to_end = reordered[1..].to_vec();
        to_end.push(last);
        assert_eq!(stage_ids(&app.db, s.account_id, s.stages[2]).await, to_end);
        let same_stage_events: (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM deal_events WHERE deal_id = $1 AND kind = 'stage_changed'",
        )
        .bind(last)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(same_stage_events.0, 0, "reordering is not a stage change");

        // Bad input: an unknown stage and a non-numeric id get clear errors and change nothing.
        let (status, body) = app
            .rpc(
                &client,
                "move_deal",
                &[("deal_id", last.to_string()), ("stage_id", "999999".into())],
            )
            .await;
        assert_eq!(status, 404, "{body}");
        let (status, _) = app
            .rpc(
                &client,
                "move_deal",
                &[
                    ("deal_id", "abc".into()),
                    ("stage_id", s.stages[0].to_string()),
                ],
            )
            .await;
        assert!(
            (400..500).contains(&status),
            "garbage id gives a client error, got {status}"
        );
        assert_eq!(stage_ids(&app.db, s.account_id, s.stages[2]).await, to_end);
        assert_ordered(&app.db, s.account_id).await;
    }
}

/// Posts a move form from `client` in its own task; the task answers the HTTP status.
fn spawn_move(
    client: reqwest::Client,
    url: String,
    form: Vec<(&'static str, String)>,
) -> tokio::task::JoinHandle<u16> {
    tokio::spawn(async move {
        let res = client
            .post(url)
            .header("accept", "application/json")
            .form(&form)
            .send()
            .await
            .unwrap();
        res.status().as_u16()
    })
}

#[tokio::test]
async fn concurrent_moves_keep_every_card_on_its_own_place() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app, "Race", 6).await;
        let clients = [
            app.signed_in(&s.email, &s.password).await,
            app.signed_in(&s.email, &s.password).await,
            app.signed_in(&s.email, &s.password).await,
            app.signed_in(&s.email, &s.password).await,
        ];
        let mut all = Vec::new();
        for stage in &s.stages[..3] {
            all.extend(stage_ids(&app.db, s.account_id, *stage).await);
        }
        // 48 moves from four sessions at once: deals hop between stages and to the top.
        let mut tasks = Vec::new();
        for (n, deal) in all.iter().cycle().take(48).enumerate() {
            let client = clients[n % clients.len()].clone();
            let url = app.url("/rpc/move_deal");
            let stage = s.stages[(n * 7 + 1) % 4];
            let before = all[(n * 5 + 3) % all.len()];
            let form = if n % 3 == 0 {
                vec![
                    ("deal_id", deal.to_string()),
                    ("stage_id", stage.to_string()),
                ]
            } else {
                vec![
                    ("deal_id", deal.to_string()),
                    ("stage_id", stage.to_string()),
                    ("before_id", before.to_string()),
                ]
            };
            tasks.push(spawn_move(client, url, form));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), 200, "every concurrent move succeeds");
        }
        assert_ordered(&app.db, s.account_id).await;
        // Every deal at once to the end of one stage: they all want the same place.
        let mut tasks = Vec::new();
        for (n, deal) in all.iter().enumerate() {
            let client = clients[n % clients.len()].clone();
            let url = app.url("/rpc/move_deal");
            let form = vec![
                ("deal_id", deal.to_string()),
                ("stage_id", s.stages[4].to_string()),
            ];
            tasks.push(spawn_move(client, url, form));
        }
        for t in tasks {
            assert_eq!(t.await.unwrap(), 200, "every move to the same end succeeds");
        }
        assert_ordered(&app.db, s.account_id).await;
        assert_eq!(
            stage_ids(&app.db, s.account_id, s.stages[4]).await.len(),
            all.len()
        );
        let mut seen: Vec<i64> = Vec::new();
        for stage in &s.stages {
            seen.extend(stage_ids(&app.db, s.account_id, *stage).await);
        }
        seen.sort_unstable();
        let mut expected = all.clone();
        expected.sort_unstable();
        assert_eq!(seen, expected, "every deal is in exactly one place");
    }
}

#[tokio::test]
async fn moves_into_one_gap_renumber_the_stage_once_neighbours_touch() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        // Stage 0 holds A and B; every deal of stage 1 is dropped right before B in turn, so
        // the gap before B halves each time until it is gone and the stage is numbered again.
        let s = seed(&app, "Gap", 14).await;
        let actor = Actor {
            account_id: s.account_id,
            user_id: None,
        };
        let first = stage_ids(&app.db, s.account_id, s.stages[0]).await;
        for extra in &first[2..] {
            deals::move_deal(&app.db, actor, *extra, s.stages[2], deals::Slot::End)
                .await
                .expect("clear stage 0");
        }
        let (a, b) = (first[0], first[1]);
        let dropped = stage_ids(&app.db, s.account_id, s.stages[1]).await;
        for deal in &dropped {
            deals::move_deal(&app.db, actor, *deal, s.stages[0], deals::Slot::Before(b))
                .await
                .expect("move");
        }
        let mut expected = vec![a];
        expected.extend(&dropped);
        expected.push(b);
        assert_eq!(
            stage_ids(&app.db, s.account_id, s.stages[0]).await,
            expected
        );
        let (lowest_gap,): (i64,) = sqlx::query_as(
            "SELECT MIN(n.position - p.position) FROM deals p JOIN deals n \
             ON n.stage_id = p.stage_id AND n.position > p.position \
             AND NOT EXISTS (SELECT 1 FROM deals m WHERE m.stage_id = p.stage_id \
                             AND m.position > p.position AND m.position < n.position) \
             WHERE p.stage_id = $1",
        )
        .bind(s.stages[0])
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert!(
            lowest_gap > 1,
            "the stage was numbered again instead of running out of room (gap {lowest_gap})"
        );
        // Index slots count the other cards, whatever the stored numbers are.
        let last = *dropped.last().unwrap();
        deals::move_deal(&app.db, actor, last, s.stages[0], deals::Slot::Index(1))
            .await
            .unwrap();
        let order = stage_ids(&app.db, s.account_id, s.stages[0]).await;
        assert_eq!(&order[..3], &[a, last, dropped[0]]);
        assert_ordered(&app.db, s.account_id).await;
    }
}

#[tokio::test]
async fn quick_add_validates_and_appends() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app, "Quick", 1).await;
        let client = app.signed_in(&s.email, &s.password).await;
        let (status, body) = app
            .rpc(
                &client,
                "quick_add_deal",
                &[
                    ("stage_id", s.stages[3].to_string()),
                    ("title", "  ".into()),
                ],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("title"), "{body}");
        let (status, body) = app
            .rpc(
                &client,
                "quick_add_deal",
                &[
                    ("stage_id", s.stages[3].to_string()),
                    ("title", "Big one".into()),
                    ("value", "12.345".into()),
                ],
            )
            .await;
        assert_eq!(status, 422, "three decimals refused: {body}");
        assert!(
            stage_ids(&app.db, s.account_id, s.stages[3])
                .await
                .is_empty(),
            "nothing saved"
        );
        let (status, body) = app
            .rpc(
                &client,
                "quick_add_deal",
                &[
                    ("stage_id", s.stages[3].to_string()),
                    ("title", "Big one".into()),
                    ("value", "1,234.50".into()),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let card: serde_json::Value = serde_json::from_str(&body).unwrap();
        assert_eq!(card["title"], "Big one");
        assert_eq!(card["value_cents"], 123_450);
        assert_eq!(
            stage_ids(&app.db, s.account_id, s.stages[3]).await,
            vec![card["id"].as_i64().unwrap()]
        );
    }
}

#[tokio::test]
async fn board_filters_narrow_the_cards() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app, "Filter", 3).await;
        let client = app.signed_in(&s.email, &s.password).await;
        let count = |html: &str| {
            board_from_html(html)
                .iter()
                .map(|(_, c)| c.len())
                .sum::<usize>()
        };

        let (_, html) = app.page(&client, "/").await;
        assert_eq!(count(&html), 9);
        let (_, html) = app.page(&client, "/?q=deal%201-").await;
        assert_eq!(count(&html), 3, "text search on the title");
        let (_, html) = app
            .page(&client, "/?min_value=2000&max_value=2000.00")
            .await;
        assert_eq!(count(&html), 3, "value range is inclusive");
        let (_, html) = app.page(&client, "/?q=100%25").await;
        assert_eq!(count(&html), 0, "% is matched literally");

        let won = stage_ids(&app.db, s.account_id, s.stages[0]).await[0];
        sqlx::query("UPDATE deals SET status = 'won' WHERE id = $1")
            .bind(won)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (_, html) = app.page(&client, "/").await;
        assert_eq!(count(&html), 8, "open deals by default");
        let (_, html) = app.page(&client, "/?status=won").await;
        assert_eq!(board_from_html(&html)[0].1, vec![won]);
        let (_, html) = app.page(&client, "/?status=all").await;
        assert_eq!(count(&html), 9);

        let (status, html) = app.page(&client, "/?min_value=lots").await;
        assert_eq!(status, 422);
        assert!(html.contains("is not a number"), "a clear message");
        let (status, html) = app.page(&client, "/?status=maybe").await;
        assert_eq!(status, 422);
        assert!(html.contains("status"), "a clear message");
    }
}

#[tokio::test]
async fn deal_page_edits_and_closes_a_deal() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app, "Page", 1).await;
        let other = seed(&app, "Hidden", 1).await;
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
            Some("USD 2,500.00"),
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
        let s = seed(&app, "Acts", 0).await;
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
        let s = seed(&app, "People", 0).await;
        let other = seed(&app, "Others", 0).await;
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
        let s = seed(&app, "Conf", 0).await;
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
        let s = seed(&app, "Bell", 1).await;
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
