//! Reports over the JSON API on both databases, against a timeline written by hand below and
//! answers worked out by hand from it (not by the code under test).

use dealflow::domain::{AccountId, DealId, Role, StageId, UserId};
use dealflow::server::auth::api_keys;
use dealflow::server::db::Db;
use dealflow::server::services::deals::{self, create::NewDeal};
use dealflow::server::services::{accounts, Actor};
use serde_json::{json, Value};

use crate::support::{backends, TestApp};

/// The primary pipeline's stages in order: New, Contacted, Qualified, Proposal, Negotiation.
async fn stages(db: &Db, account_id: AccountId) -> Vec<StageId> {
    let rows: Vec<(StageId,)> = sqlx::query_as(
        "SELECT s.id FROM stages s JOIN pipelines p ON p.id = s.pipeline_id \
         WHERE p.account_id = $1 AND p.is_primary = 1 ORDER BY s.position, s.id",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    rows.into_iter().map(|(id,)| id).collect()
}

/// A deal whose timeline is exactly `events`: (kind, from, to, day of 2026 as `MM-DD`).
async fn deal_with_history(
    db: &Db,
    account_id: AccountId,
    owner: UserId,
    title: &str,
    events: &[(&str, Option<StageId>, Option<StageId>, &str)],
) -> DealId {
    let actor = Actor {
        account_id,
        user_id: Some(owner),
    };
    let deal = deals::create_deal(
        db,
        actor,
        NewDeal {
            title: title.into(),
            responsible_user_id: Some(owner),
            ..Default::default()
        },
    )
    .await
    .expect("deal")
    .id;
    sqlx::query("DELETE FROM deal_events WHERE deal_id = $1")
        .bind(deal)
        .execute(&db.pool)
        .await
        .unwrap();
    // One entry a statement, as the services write them.
    for event in events {
        write_events(db, account_id, deal, owner, std::slice::from_ref(event)).await;
    }
    deal
}

/// Writes `events` (kind, from, to, day of 2026 as `MM-DD`) on `deal`'s timeline with one
/// `INSERT`.
async fn write_events(
    db: &Db,
    account_id: AccountId,
    deal: DealId,
    owner: UserId,
    events: &[(&str, Option<StageId>, Option<StageId>, &str)],
) {
    if events.is_empty() {
        return;
    }
    let mut sql = String::from(
        "INSERT INTO deal_events (account_id, deal_id, user_id, kind, from_stage_id, to_stage_id, data, created_at) VALUES ",
    );
    for i in 0..events.len() {
        let n = i * 4;
        if i > 0 {
            sql.push_str(", ");
        }
        sql.push_str(&format!(
            "($1, $2, $3, ${}, ${}, ${}, '{{}}', ${})",
            n + 4,
            n + 5,
            n + 6,
            n + 7
        ));
    }
    let mut q = sqlx::query(&sql).bind(account_id).bind(deal).bind(owner);
    for (kind, from, to, day) in events {
        q = q
            .bind(*kind)
            .bind(from.map(|s| s.0))
            .bind(to.map(|s| s.0))
            .bind(format!("2026-{day}T12:00:00.000000Z"));
    }
    q.execute(&db.pool).await.unwrap();
}

/// (entered, went_on) per stage, in order.
fn counts(report: &Value) -> Vec<(i64, i64)> {
    report["stages"]
        .as_array()
        .unwrap_or_else(|| panic!("no stages: {report}"))
        .iter()
        .map(|s| {
            (
                s["entered"].as_i64().unwrap(),
                s["went_on"].as_i64().unwrap(),
            )
        })
        .collect()
}

/// October 2026's timeline, by hand (Sam, a salesperson, is responsible for Five; the owner
/// for the rest). Each deal ends where its timeline leaves it: won, lost, or open in the
/// stage it last entered since that day.
struct October {
    account_id: AccountId,
    sam: UserId,
    one: DealId,
}

async fn october(app: &TestApp) -> October {
    let (account_id, email, _) = app.account("Funnel Co").await;
    let (owner,): (UserId,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(&email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let sam = accounts::create_user(
        &app.db,
        account_id,
        &format!("sam.{}@funnel.test", account_id.0),
        "Sam",
        "sam-password-1",
        Role::Sales,
    )
    .await
    .unwrap();
    let s = stages(&app.db, account_id).await;
    let (a, b, c, d) = (Some(s[0]), Some(s[1]), Some(s[2]), Some(s[3]));
    let o = owner;
    // The period is October 2026.
    let d1 = deal_with_history(
        &app.db,
        account_id,
        o,
        "One",
        &[
            ("opened", None, a, "10-02"),
            ("stage_changed", a, b, "10-05"),
            ("stage_changed", b, c, "10-10"),
            ("won", None, None, "10-20"),
        ],
    )
    .await;
    // Back to where it started: it went on from New, but not from Contacted.
    deal_with_history(
        &app.db,
        account_id,
        o,
        "Two",
        &[
            ("opened", None, a, "10-03"),
            ("stage_changed", a, b, "10-06"),
            ("stage_changed", b, a, "10-07"),
        ],
    )
    .await;
    // Entered New before the period; went on from Contacted after it.
    deal_with_history(
        &app.db,
        account_id,
        o,
        "Three",
        &[
            ("opened", None, a, "09-15"),
            ("stage_changed", a, b, "10-04"),
            ("stage_changed", b, c, "11-05"),
        ],
    )
    .await;
    deal_with_history(
        &app.db,
        account_id,
        o,
        "Four",
        &[("opened", None, a, "10-08"), ("lost", None, None, "10-09")],
    )
    .await;
    deal_with_history(
        &app.db,
        account_id,
        sam,
        "Five (Sam's)",
        &[
            ("opened", None, a, "10-10"),
            ("stage_changed", a, b, "10-11"),
        ],
    )
    .await;
    // Created in Contacted, skipped Qualified.
    deal_with_history(
        &app.db,
        account_id,
        o,
        "Six",
        &[
            ("opened", None, b, "10-12"),
            ("stage_changed", b, d, "10-13"),
        ],
    )
    .await;
    deal_with_history(
        &app.db,
        account_id,
        o,
        "Seven",
        &[("opened", None, a, "11-02")],
    )
    .await;

    // Where each deal stands now.
    for (title, status, stage, since) in [
        ("One", "won", c, "10-10"),
        ("Two", "open", a, "10-07"),
        ("Three", "open", c, "11-05"),
        ("Four", "lost", a, "10-08"),
        ("Five (Sam's)", "open", b, "10-11"),
        ("Six", "open", d, "10-13"),
        ("Seven", "open", a, "11-02"),
    ] {
        sqlx::query(
            "UPDATE deals SET status = $1, stage_id = $2, stage_changed_at = $3 WHERE account_id = $4 AND title = $5",
        )
        .bind(status)
        .bind(stage.map(|s| s.0))
        .bind(format!("2026-{since}T12:00:00.000000Z"))
        .bind(account_id)
        .bind(title)
        .execute(&app.db.pool)
        .await
        .unwrap();
    }
    October {
        account_id,
        sam,
        one: d1,
    }
}

#[tokio::test]
async fn the_funnel_counts_who_entered_each_stage_and_went_on() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let October {
            account_id,
            sam,
            one: d1,
        } = october(&app).await;
        let key = app.api_key(account_id, &["opportunities:read"]).await;
        let october = "/v1/reports/funnel?from=2026-10-01&to=2026-10-31";
        let (status, report) = app.call("GET", october, Some(&key), None).await;
        assert_eq!(status, 200, "{report}");
        // By hand: New was entered by One, Two (twice: once), Four and Five; One, Two and Five
        // went on. Contacted: One, Two, Three, Five, Six; One, Three (after the period) and
        // Six went on. Qualified: One, won. Proposal: Six. Negotiation: nobody.
        assert_eq!(counts(&report), [(4, 3), (5, 3), (1, 1), (1, 0), (0, 0)]);
        assert_eq!(report["stages"][0]["percent_on"], json!(75));
        assert_eq!(report["stages"][4]["percent_on"], Value::Null);
        assert_eq!(
            (report["from"].clone(), report["to"].clone()),
            (json!("2026-10-01"), json!("2026-10-31"))
        );
        assert!(report["stages"][0]["stage_id"]
            .as_str()
            .unwrap()
            .starts_with("stage_"));

        // One day: only what entered on the 5th (One into Contacted).
        let (_, day) = app
            .call(
                "GET",
                "/v1/reports/funnel?from=2026-10-05&to=2026-10-05",
                Some(&key),
                None,
            )
            .await;
        assert_eq!(counts(&day), [(0, 0), (1, 1), (0, 0), (0, 0), (0, 0)]);

        // A salesperson's key reports on their own deals, whatever owner it asks for.
        let sams = sam_key(&app, account_id, sam).await;
        let (_, mine) = app.call("GET", october, Some(&sams), None).await;
        assert_eq!(counts(&mine), [(1, 1), (1, 0), (0, 0), (0, 0), (0, 0)]);
        // The team's key narrowed to Sam's deals says the same.
        let (uuid,): (String,) = sqlx::query_as("SELECT uuid FROM users WHERE id = $1")
            .bind(sam)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let (_, narrowed) = app
            .call(
                "GET",
                &format!("{october}&owner=user_{}", uuid.replace('-', "")),
                Some(&key),
                None,
            )
            .await;
        assert_eq!(counts(&narrowed), counts(&mine));

        // A tag narrows to its deals: One alone.
        let (status, tag) = app
            .call(
                "POST",
                "/v1/tags",
                Some(&app.api_key(account_id, &["all"]).await),
                Some(r#"{"name": "vip"}"#),
            )
            .await;
        assert_eq!(status, 201, "{tag}");
        let (tag_id,): (i64,) =
            sqlx::query_as("SELECT id FROM tags WHERE account_id = $1 AND name = 'vip'")
                .bind(account_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        sqlx::query("INSERT INTO deal_tags (deal_id, tag_id) VALUES ($1, $2)")
            .bind(d1)
            .bind(tag_id)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (_, tagged) = app
            .call(
                "GET",
                &format!("{october}&tag={}", tag["id"].as_str().unwrap()),
                Some(&key),
                None,
            )
            .await;
        assert_eq!(counts(&tagged), [(1, 1), (1, 1), (1, 1), (0, 0), (0, 0)]);

        // Bad filters are refused naming the field, another account's pipeline too.
        for (query, field) in [
            ("from=2026-13-01", "from"),
            ("to=yesterday", "to"),
            ("from=2026-11-01&to=2026-10-01", "from"),
            ("from=2000-01-01&to=2026-10-01", "from"),
        ] {
            let (status, body) = app
                .call(
                    "GET",
                    &format!("/v1/reports/funnel?{query}"),
                    Some(&key),
                    None,
                )
                .await;
            assert_eq!(
                (status, body["error"]["field"].clone()),
                (422, json!(field)),
                "{query}: {body}"
            );
        }
        let (other, _, _) = app.account("Elsewhere").await;
        let (other_pipe,): (String,) =
            sqlx::query_as("SELECT uuid FROM pipelines WHERE account_id = $1")
                .bind(other)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let (status, body) = app
            .call(
                "GET",
                &format!(
                    "/v1/reports/funnel?pipeline=pipe_{}",
                    other_pipe.replace('-', "")
                ),
                Some(&key),
                None,
            )
            .await;
        assert_eq!(
            (status, body["error"]["field"].clone()),
            (422, json!("pipeline")),
            "{body}"
        );
    }
}

/// Deals that come back to a stage: each is counted once in the stage per period, and went on
/// when any of its stays there in the period did — a return from before the period counts as
/// an entry, a second stay that went on is not a second deal.
#[tokio::test]
async fn a_deal_back_in_a_stage_counts_once_and_went_on_if_any_stay_did() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, email, _) = app.account("Round Trips").await;
        let (owner,): (UserId,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(&email)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let s = stages(&app.db, account_id).await;
        let (a, b, c) = (Some(s[0]), Some(s[1]), Some(s[2]));
        // Y: its first stay in Contacted did not go on, its second did.
        deal_with_history(
            &app.db,
            account_id,
            owner,
            "Y",
            &[
                ("opened", None, a, "10-01"),
                ("stage_changed", a, b, "10-02"),
                ("stage_changed", b, a, "10-03"),
                ("stage_changed", a, b, "10-04"),
                ("stage_changed", b, c, "10-05"),
            ],
        )
        .await;
        // Z: went on from New twice; its second stay in Contacted lasts.
        let round_trip = [
            ("opened", None, a, "10-01"),
            ("stage_changed", a, b, "10-02"),
            ("stage_changed", b, a, "10-03"),
            ("stage_changed", a, b, "10-04"),
        ];
        deal_with_history(&app.db, account_id, owner, "Z", &round_trip).await;
        // W: the same history, written by one statement (as a bulk load would): each row's stay
        // is ended before its return to New is looked at.
        let w = deal_with_history(&app.db, account_id, owner, "W", &[]).await;
        write_events(&app.db, account_id, w, owner, &round_trip).await;
        let key = app.api_key(account_id, &["opportunities:read"]).await;
        let funnel = |from: &'static str| {
            let app = &app;
            let key = key.clone();
            async move {
                let (status, report) = app
                    .call(
                        "GET",
                        &format!("/v1/reports/funnel?from=2026-10-{from}&to=2026-10-31"),
                        Some(&key),
                        None,
                    )
                    .await;
                assert_eq!(status, 200, "{report}");
                counts(&report)
            }
        };
        // By hand. October: New entered by Y, Z and W, all went on; Contacted entered by the
        // three, Y went on (its second stay); Qualified by Y.
        assert_eq!(funnel("01").await, [(3, 3), (3, 1), (1, 0), (0, 0), (0, 0)]);
        // From the 3rd: the three came back to New (then went on); Contacted as before.
        assert_eq!(funnel("03").await, [(3, 3), (3, 1), (1, 0), (0, 0), (0, 0)]);
        // From the 4th: nobody entered New; the three returned to Contacted, Y went on.
        assert_eq!(funnel("04").await, [(0, 0), (3, 1), (1, 0), (0, 0), (0, 0)]);
        // From the 5th: only Y into Qualified.
        assert_eq!(funnel("05").await, [(0, 0), (0, 0), (1, 0), (0, 0), (0, 0)]);
    }
}

/// A key made for Sam, reading.
async fn sam_key(app: &TestApp, account_id: AccountId, sam: UserId) -> String {
    api_keys::create_key(
        &app.db,
        account_id,
        Some(sam),
        "sam",
        &["opportunities:read".into()],
        None,
    )
    .await
    .unwrap()
    .token
}

/// Days from a fixture day (`MM-DD` of 2026, noon UTC) to now.
fn days_since(day: &str) -> f64 {
    let at = chrono::DateTime::parse_from_rfc3339(&format!("2026-{day}T12:00:00Z")).unwrap();
    (chrono::Utc::now() - at.with_timezone(&chrono::Utc)).num_seconds() as f64 / 86_400.0
}

fn close(got: &Value, want: f64) -> bool {
    got.as_f64().is_some_and(|g| (g - want).abs() <= 0.11)
}

#[tokio::test]
async fn velocity_gives_each_stages_days_from_the_stays_that_ended() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let October {
            account_id, sam, ..
        } = october(&app).await;
        let key = app.api_key(account_id, &["opportunities:read"]).await;
        let (status, report) = app
            .call(
                "GET",
                "/v1/reports/velocity?from=2026-10-01&to=2026-10-31",
                Some(&key),
                None,
            )
            .await;
        assert_eq!(status, 200, "{report}");
        let stages = report["stages"].as_array().unwrap();
        let row = |i: usize| {
            let s = &stages[i];
            (
                s["stays"].as_i64().unwrap(),
                s["median_days"].clone(),
                s["p90_days"].clone(),
                s["open_deals"].as_i64().unwrap(),
            )
        };
        // By hand, the stays that ended in October: New — One 3 days, Two 3, Three 19 (from
        // September), Four 1 (lost), Five 1: sorted 1 1 3 3 19, median 3, 90th 19. Contacted —
        // One 5, Two 1, Six 1 (Three's ended in November): median 1, 90th 5. Qualified — One
        // 10 (won). Proposal — Six is still there. Open now: New has Two and Seven, Contacted
        // Five, Qualified Three, Proposal Six.
        assert_eq!(row(0), (5, json!(3.0), json!(19.0), 2));
        assert_eq!(row(1), (3, json!(1.0), json!(5.0), 1));
        assert_eq!(row(2), (1, json!(10.0), json!(10.0), 1));
        assert_eq!(row(3), (0, Value::Null, Value::Null, 1));
        assert_eq!(row(4), (0, Value::Null, Value::Null, 0));
        // How long the open ones have sat: New's median is between Two (since Oct 7) and
        // Seven (since Nov 2); its longest is Two's.
        let new = &stages[0];
        assert!(
            close(
                &new["open_median_days"],
                (days_since("10-07") + days_since("11-02")) / 2.0
            ),
            "{new}"
        );
        assert!(
            close(&new["open_longest_days"], days_since("10-07")),
            "{new}"
        );
        assert!(close(&stages[3]["open_longest_days"], days_since("10-13")));

        // Sam's own: Five's day in New; its stay in Contacted has not ended.
        let sams = sam_key(&app, account_id, sam).await;
        let (_, mine) = app
            .call(
                "GET",
                "/v1/reports/velocity?from=2026-10-01&to=2026-10-31",
                Some(&sams),
                None,
            )
            .await;
        let mine = mine["stages"].as_array().unwrap();
        assert_eq!(
            (mine[0]["stays"].clone(), mine[0]["median_days"].clone()),
            (json!(1), json!(1.0))
        );
        assert_eq!(
            (mine[1]["stays"].clone(), mine[1]["open_deals"].clone()),
            (json!(0), json!(1))
        );
    }
}

#[tokio::test]
async fn won_and_lost_are_counted_by_month_stage_reason_and_source() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let October { account_id, .. } = october(&app).await;
        // When and why they closed, and where they came from, by hand: One won on Oct 20 from
        // the website; Four lost on Oct 9 in New, on price; Six lost on Nov 3 in Proposal
        // (after the period) and Two lost on Sep 30 at 23:30 UTC (before it), both on price
        // from the website too; Seven lost on Oct 31 at 23:59 UTC in New, no reason.
        let (status, source) = app
            .call(
                "POST",
                "/v1/lead-sources",
                Some(&app.api_key(account_id, &["all"]).await),
                Some(r#"{"name": "Website"}"#),
            )
            .await;
        assert_eq!(status, 201, "{source}");
        let (web,): (i64,) = sqlx::query_as(
            "SELECT id FROM lead_sources WHERE account_id = $1 AND name = 'Website'",
        )
        .bind(account_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        for (title, status, at, reason, src) in [
            ("One", "won", "2026-10-20T12:00:00.000000Z", "", Some(web)),
            ("Four", "lost", "2026-10-09T12:00:00.000000Z", "Price", None),
            (
                "Six",
                "lost",
                "2026-11-03T12:00:00.000000Z",
                "Price",
                Some(web),
            ),
            (
                "Two",
                "lost",
                "2026-09-30T23:30:00.000000Z",
                "Price",
                Some(web),
            ),
            ("Seven", "lost", "2026-10-31T23:59:00.000000Z", "", None),
        ] {
            let (won_at, lost_at) = if status == "won" {
                (Some(at), None)
            } else {
                (None, Some(at))
            };
            sqlx::query(
                "UPDATE deals SET status = $1, won_at = $2, lost_at = $3, lost_reason = $4, lead_source_id = $5 \
                 WHERE account_id = $6 AND title = $7",
            )
            .bind(status)
            .bind(won_at)
            .bind(lost_at)
            .bind(reason)
            .bind(src)
            .bind(account_id)
            .bind(title)
            .execute(&app.db.pool)
            .await
            .unwrap();
        }
        let key = app.api_key(account_id, &["opportunities:read"]).await;
        let (status, report) = app
            .call(
                "GET",
                "/v1/reports/won-lost?from=2026-10-01&to=2026-10-31",
                Some(&key),
                None,
            )
            .await;
        assert_eq!(status, 200, "{report}");
        assert_eq!(
            report["months"],
            json!([{"month": "2026-10", "won": 1, "lost": 2}])
        );
        let lost: Vec<i64> = report["lost_by_stage"]
            .as_array()
            .unwrap()
            .iter()
            .map(|s| s["lost"].as_i64().unwrap())
            .collect();
        assert_eq!(lost, [2, 0, 0, 0, 0], "{report}");
        assert_eq!(
            report["lost_by_reason"],
            json!([{"reason": "", "lost": 1}, {"reason": "Price", "lost": 1}])
        );
        assert_eq!(
            report["by_source"],
            json!([
                {"source": "", "won": 0, "lost": 2},
                {"source": "Website", "won": 1, "lost": 0}
            ])
        );
        // Two months: October and November (Six).
        let (_, two) = app
            .call(
                "GET",
                "/v1/reports/won-lost?from=2026-10-01&to=2026-11-30",
                Some(&key),
                None,
            )
            .await;
        assert_eq!(
            two["months"],
            json!([
                {"month": "2026-10", "won": 1, "lost": 2},
                {"month": "2026-11", "won": 0, "lost": 1}
            ])
        );
        assert_eq!(
            two["lost_by_reason"],
            json!([{"reason": "Price", "lost": 2}, {"reason": "", "lost": 1}])
        );
    }
}
