//! The board through HTTP: counts and totals, moves (in order, concurrent, with their
//! events), quick add and filters.

use crate::fixtures::{assert_ordered, seed, stage_ids, testid_text};
use crate::support::{backends, board_from_html, TestApp};
use dealflow::domain::DealId;

#[tokio::test]
async fn board_shows_counts_totals_and_weighted_values() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Totals", 2).await;
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
            Some("$3,000.00")
        );
        assert_eq!(
            testid_text(first, "column-weighted").as_deref(),
            Some("≈ $300.00")
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
async fn moves_persist_in_order_with_stage_change_events() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Moves", 3).await;
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
        let s = seed(&app.db, "Race", 6).await;
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
        let mut seen: Vec<DealId> = Vec::new();
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
async fn quick_add_validates_and_appends() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Quick", 1).await;
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
            vec![DealId(card["id"].as_i64().unwrap())]
        );
    }
}

#[tokio::test]
async fn board_filters_narrow_the_cards() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Filter", 3).await;
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

/// A column past a page of cards shows its first ones and "show more"; its count and totals
/// stay over all of them, and the rest come a page at a time, in board order.
#[tokio::test]
async fn a_long_column_shows_its_first_cards_and_counts_them_all() {
    use dealflow::domain::board::COLUMN_PAGE;
    use dealflow::server::services::{deals, Actor};
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Lazy", 0).await;
        let actor = Actor {
            account_id: s.account_id,
            user_id: None,
        };
        let n = COLUMN_PAGE + 10;
        for i in 0..n {
            deals::create_deal(
                &app.db,
                actor,
                deals::NewDeal {
                    title: format!("Lazy {i}"),
                    value_cents: 1_000 * (i as i64 + 1),
                    stage_id: Some(s.stages[0]),
                    ..Default::default()
                },
            )
            .await
            .expect("deal");
        }
        let ids = stage_ids(&app.db, s.account_id, s.stages[0]).await;
        assert_eq!(ids.len(), n);
        let client = app.signed_in(&s.email, &s.password).await;

        // The page: the first cards in order, the count and totals of all 60 (10 % weighted).
        let (status, html) = app
            .page(&client, &format!("/pipelines/{}", s.pipeline_id))
            .await;
        assert_eq!(status, 200);
        let board = board_from_html(&html);
        assert_eq!(board[0].1, ids[..COLUMN_PAGE], "the first cards, in order");
        assert_eq!(testid_text(&html, "column-count").as_deref(), Some("60"));
        assert_eq!(
            testid_text(&html, "column-total").as_deref(),
            Some("$18,300.00"),
            "1,000 × (1 + … + 60) cents"
        );
        assert_eq!(
            testid_text(&html, "column-weighted").as_deref(),
            Some("≈ $1,830.00")
        );
        assert!(html.contains("data-testid=\"column-more\""), "show more");
        assert_eq!(html.matches("data-testid=\"column-more\"").count(), 1);

        // "Show more": the first 55, then what is left.
        let json = |body: &str| serde_json::from_str::<serde_json::Value>(body).unwrap();
        let card_ids = |v: &serde_json::Value| -> Vec<DealId> {
            v["cards"]
                .as_array()
                .unwrap()
                .iter()
                .map(|c| DealId(c["id"].as_i64().unwrap()))
                .collect()
        };
        let column = |shown: &str, filter: Option<&str>| {
            let mut form = vec![
                ("stage_id", s.stages[0].to_string()),
                ("shown", shown.to_string()),
            ];
            if let Some(min) = filter {
                form.push(("filter[min_value]", min.to_string()));
            }
            form
        };
        let (status, body) = app.rpc(&client, "get_column", &column("55", None)).await;
        assert_eq!(status, 200, "{body}");
        let page = json(&body);
        assert_eq!(card_ids(&page), ids[..55]);
        assert_eq!(page["more"]["count"], 5);
        assert_eq!(page["more"]["next"], ids[55].0);
        assert_eq!(
            page["more"]["total_cents"],
            1_000 * (56 + 57 + 58 + 59 + 60),
            "the sums of the five not shown"
        );
        let (_, body) = app.rpc(&client, "get_column", &column("500", None)).await;
        let page = json(&body);
        assert_eq!(card_ids(&page), ids, "all of them");
        assert_eq!(page["more"]["count"], 0);
        assert!(page["more"]["next"].is_null());

        // With the board's filters: 31 deals of $300 or more, 20 shown.
        let (_, body) = app
            .rpc(&client, "get_column", &column("20", Some("300")))
            .await;
        let page = json(&body);
        assert_eq!(card_ids(&page), ids[29..49]);
        assert_eq!(page["more"]["count"], 11);

        // The board through its server function keeps as many as asked.
        let (_, body) = app
            .rpc(&client, "get_board", &[("shown", "100".into())])
            .await;
        let view = json(&body);
        assert_eq!(card_ids(&view["stages"][0]), ids);
        assert_eq!(view["stages"][0]["more"]["count"], 0);

        // A card dropped after the shown ones goes before the first one not shown.
        let last = stage_ids(&app.db, s.account_id, s.stages[1]).await;
        assert!(last.is_empty());
        let (status, body) = app
            .rpc(
                &client,
                "move_deal",
                &[
                    ("deal_id", ids[0].to_string()),
                    ("stage_id", s.stages[0].to_string()),
                    ("before_id", ids[COLUMN_PAGE].to_string()),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let after = stage_ids(&app.db, s.account_id, s.stages[0]).await;
        assert_eq!(after[COLUMN_PAGE - 1], ids[0]);
        assert_eq!(after[COLUMN_PAGE], ids[COLUMN_PAGE]);

        // Bad input is refused, naming the field; another account's stage is not found.
        let (status, body) = app.rpc(&client, "get_column", &column("many", None)).await;
        assert_eq!(status, 400, "{body}");
        let other = seed(&app.db, "Other", 1).await;
        let (status, _) = app
            .rpc(
                &client,
                "get_column",
                &[
                    ("stage_id", other.stages[0].to_string()),
                    ("shown", "10".into()),
                ],
            )
            .await;
        assert_eq!(status, 404);
    }
}
