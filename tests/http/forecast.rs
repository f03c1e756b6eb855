//! The forecast, learned probabilities, the activity report and the reports page's CSV files
//! on both databases, against fixtures written by hand below and answers worked out by hand
//! from them (not by the code under test).

use chrono::{Duration, Utc};
use dealflow::domain::{AccountId, BoardFilter, DealId, Role, StageId, UserId};
use dealflow::server::db::{self, Db};
use dealflow::server::services::deals::{self, create::NewDeal};
use dealflow::server::services::{accounts, Actor};
use serde_json::{json, Value};

use crate::support::{backends, TestApp};

/// The primary pipeline's stages in order, with their configured probabilities set to 10,
/// 20, 40, 60 and 80.
async fn stages(db: &Db, account_id: AccountId) -> Vec<StageId> {
    let rows: Vec<(StageId,)> = sqlx::query_as(
        "SELECT s.id FROM stages s JOIN pipelines p ON p.id = s.pipeline_id \
         WHERE p.account_id = $1 AND p.is_primary = 1 ORDER BY s.position, s.id",
    )
    .bind(account_id)
    .fetch_all(&db.pool)
    .await
    .unwrap();
    for ((id,), p) in rows.iter().zip([10, 20, 40, 60, 80]) {
        sqlx::query("UPDATE stages SET probability = $1 WHERE id = $2")
            .bind(p)
            .bind(*id)
            .execute(&db.pool)
            .await
            .unwrap();
    }
    rows.into_iter().map(|(id,)| id).collect()
}

async fn owner_of(app: &TestApp, email: &str) -> UserId {
    let (id,): (UserId,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    id
}

/// A deal as the forecast reads it: in `stage`, worth `cents` of `currency`, expected to
/// close on `close`; `closed` makes it won (`"won"`, with its final value) or lost at that
/// instant.
struct Deal<'a> {
    stage: StageId,
    cents: i64,
    currency: &'a str,
    close: Option<&'a str>,
    closed: Option<(&'a str, &'a str, Option<i64>)>,
}

async fn deal(db: &Db, account_id: AccountId, owner: UserId, title: &str, d: Deal<'_>) -> DealId {
    let actor = Actor {
        account_id,
        user_id: Some(owner),
    };
    let id = deals::create_deal(
        db,
        actor,
        NewDeal {
            title: title.into(),
            value_cents: d.cents,
            currency: Some(d.currency.into()),
            stage_id: Some(d.stage),
            responsible_user_id: Some(owner),
            expected_close_date: d.close.map(String::from),
            ..Default::default()
        },
    )
    .await
    .expect("deal")
    .id;
    if let Some((status, at, final_cents)) = d.closed {
        let column = if status == "won" { "won_at" } else { "lost_at" };
        sqlx::query(&format!(
            "UPDATE deals SET status = $1, {column} = $2, final_value_cents = $3 WHERE id = $4"
        ))
        .bind(status)
        .bind(at)
        .bind(final_cents)
        .bind(id)
        .execute(&db.pool)
        .await
        .unwrap();
    }
    id
}

/// (deals, total, weighted) of an amounts object.
fn amounts(v: &Value) -> (i64, f64, f64) {
    (
        v["deals"].as_i64().unwrap_or(-1),
        v["total"].as_f64().unwrap_or(-1.0),
        v["weighted"].as_f64().unwrap_or(-1.0),
    )
}

#[tokio::test]
async fn the_forecast_sums_open_deals_by_close_month_and_stage() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, email, _) = app.account("Forecast Co").await;
        let owner = owner_of(&app, &email).await;
        let s = stages(&app.db, account_id).await;
        let open = |stage, cents, currency, close| Deal {
            stage,
            cents,
            currency,
            close,
            closed: None,
        };
        let db = &app.db;
        for (title, d) in [
            ("A", open(s[0], 100_000, "USD", Some("2026-10-25"))),
            ("B", open(s[0], 50_000, "USD", Some("2026-10-31"))),
            ("C", open(s[2], 200_000, "USD", Some("2026-11-15"))),
            ("D (euros)", open(s[3], 300_000, "EUR", Some("2026-11-01"))),
            ("E", open(s[4], 123_456, "USD", Some("2027-03-31"))),
            (
                "F (after the six months)",
                open(s[1], 70_000, "USD", Some("2027-04-01")),
            ),
            ("G (overdue)", open(s[1], 80_000, "USD", Some("2026-09-30"))),
            ("H (no close day)", open(s[0], 90_000, "USD", None)),
        ] {
            deal(db, account_id, owner, title, d).await;
        }
        let closed = |stage, cents, currency, status, at, final_cents| Deal {
            stage,
            cents,
            currency,
            close: Some("2026-10-15"),
            closed: Some((status, at, final_cents)),
        };
        for (title, d) in [
            (
                "Won in October",
                closed(
                    s[3],
                    40_000,
                    "USD",
                    "won",
                    "2026-10-05T10:00:00.000000Z",
                    Some(45_000),
                ),
            ),
            (
                "Won after the last day",
                closed(
                    s[3],
                    10_000,
                    "USD",
                    "won",
                    "2026-10-21T10:00:00.000000Z",
                    None,
                ),
            ),
            (
                "Won in September",
                closed(
                    s[3],
                    10_000,
                    "USD",
                    "won",
                    "2026-09-30T10:00:00.000000Z",
                    None,
                ),
            ),
            (
                "Won in euros",
                closed(
                    s[3],
                    10_000,
                    "EUR",
                    "won",
                    "2026-10-10T10:00:00.000000Z",
                    None,
                ),
            ),
            (
                "Lost in October",
                closed(
                    s[0],
                    10_000,
                    "USD",
                    "lost",
                    "2026-10-06T10:00:00.000000Z",
                    None,
                ),
            ),
        ] {
            deal(db, account_id, owner, title, d).await;
        }

        let key = app.api_key(account_id, &["opportunities:read"]).await;
        let (status, f) = app
            .call(
                "GET",
                "/v1/reports/forecast?to=2026-10-20",
                Some(&key),
                None,
            )
            .await;
        assert_eq!(status, 200, "{f}");
        assert_eq!(f["currency"], json!("USD"));
        let months: Vec<&str> = f["months"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["month"].as_str().unwrap())
            .collect();
        assert_eq!(
            months,
            ["2026-10", "2026-11", "2026-12", "2027-01", "2027-02", "2027-03"]
        );
        // By hand. October: A and B in New, 1,500.00 weighted at 10% = 150.00; won: the deal
        // won on the 5th at its final 450.00 (not the one won on the 21st, after the last
        // day, nor September's, nor the one in euros).
        let m = &f["months"];
        assert_eq!(amounts(&m[0]), (2, 1500.0, 150.0), "{}", m[0]);
        assert_eq!(amounts(&m[0]["stages"][0]), (2, 1500.0, 150.0));
        assert_eq!(
            (m[0]["won_deals"].clone(), m[0]["won"].clone()),
            (json!(1), json!(450.0))
        );
        // November: C in Qualified, 2,000.00 at 40% = 800.00; D is in euros.
        assert_eq!(amounts(&m[1]), (1, 2000.0, 800.0));
        assert_eq!(amounts(&m[1]["stages"][2]), (1, 2000.0, 800.0));
        assert_eq!(amounts(&m[1]["stages"][3]), (0, 0.0, 0.0));
        for empty in [2, 3, 4] {
            assert_eq!(amounts(&m[empty]), (0, 0.0, 0.0));
            assert_eq!(m[empty]["won"], json!(0.0));
        }
        // March: E in Negotiation, 1,234.56 at 80% = 987.648, to the cent 987.65.
        assert_eq!(amounts(&m[5]), (1, 1234.56, 987.65));
        // G was expected in September; H has no day; F is past the sixth month.
        assert_eq!(amounts(&f["overdue"]), (1, 800.0, 160.0));
        assert_eq!(amounts(&f["undated"]), (1, 900.0, 90.0));
        // Without a rate for euros, D and the deal won in euros are left out, and counted.
        assert_eq!(
            f["other_currencies"],
            json!([{"currency": "EUR", "deals": 2}])
        );
        assert_eq!(f["stages"][2]["probability"], json!(40));
        assert_eq!(f["stages"][2]["probability_source"], json!("configured"));

        // The months start at the month of the last day.
        let (_, later) = app
            .call(
                "GET",
                "/v1/reports/forecast?to=2026-11-02",
                Some(&key),
                None,
            )
            .await;
        assert_eq!(later["months"][0]["month"], json!("2026-11"));
        // October's A and B are overdue now, with G.
        assert_eq!(amounts(&later["overdue"]), (3, 2300.0, 150.0 + 160.0));
        assert_eq!(later["months"][0]["won"], json!(0.0));

        // A bad day is refused naming the field.
        let (status, body) = app
            .call(
                "GET",
                "/v1/reports/forecast?to=2026-02-30",
                Some(&key),
                None,
            )
            .await;
        assert_eq!(
            (status, body["error"]["field"].clone()),
            (422, json!("to")),
            "{body}"
        );
    }
}

/// Inserts a deal's opening and moves `days_ago` days back, and closes it (`won`/`lost`)
/// or leaves it open.
async fn history(
    db: &Db,
    account_id: AccountId,
    owner: UserId,
    path: &[StageId],
    end: &str,
    days_ago: i64,
) {
    let actor = Actor {
        account_id,
        user_id: Some(owner),
    };
    let id = deals::create_deal(
        db,
        actor,
        NewDeal {
            title: format!("{end} via {} stages", path.len()),
            value_cents: 10_000,
            stage_id: path.first().copied(),
            responsible_user_id: Some(owner),
            expected_close_date: Some(Utc::now().date_naive().to_string()),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id;
    let at = db::ts(Utc::now() - Duration::days(days_ago));
    // Moved by hand below: a position of its own (the seed's are positive) keeps the stage's
    // order unique.
    sqlx::query("DELETE FROM deal_events WHERE deal_id = $1")
        .bind(id)
        .execute(&db.pool)
        .await
        .unwrap();
    let mut from = None;
    for stage in path {
        sqlx::query(
            "INSERT INTO deal_events (account_id, deal_id, user_id, kind, from_stage_id, to_stage_id, data, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, '{}', $7)",
        )
        .bind(account_id)
        .bind(id)
        .bind(owner)
        .bind(if from.is_none() { "opened" } else { "stage_changed" })
        .bind(from.map(|s: StageId| s.0))
        .bind(stage.0)
        .bind(&at)
        .execute(&db.pool)
        .await
        .unwrap();
        from = Some(*stage);
    }
    let last = path.last().copied().unwrap();
    match end {
        "won" | "lost" => {
            let column = if end == "won" { "won_at" } else { "lost_at" };
            sqlx::query(&format!(
                "UPDATE deals SET status = $1, stage_id = $2, {column} = $3, position = $4 WHERE id = $5"
            ))
            .bind(end)
            .bind(last)
            .bind(&at)
            .bind(-id.0)
            .bind(id)
            .execute(&db.pool)
            .await
            .unwrap();
        }
        _ => {
            sqlx::query("UPDATE deals SET stage_id = $1, position = $2 WHERE id = $3")
                .bind(last)
                .bind(-id.0)
                .bind(id)
                .execute(&db.pool)
                .await
                .unwrap();
        }
    }
}

#[tokio::test]
async fn probabilities_are_learned_from_closed_deals_and_used_when_chosen() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, email, _) = app.account("Learning Co").await;
        let owner = owner_of(&app, &email).await;
        let s = stages(&app.db, account_id).await;
        let db = &app.db;
        // Six went New → Contacted and were won; five were lost in New; two were created in
        // Contacted and lost; three were won 400 days ago (too long ago to count); two are
        // open in New.
        for _ in 0..6 {
            history(db, account_id, owner, &[s[0], s[1]], "won", 20).await;
        }
        for _ in 0..5 {
            history(db, account_id, owner, &[s[0]], "lost", 40).await;
        }
        for _ in 0..2 {
            history(db, account_id, owner, &[s[1]], "lost", 10).await;
        }
        for _ in 0..3 {
            history(db, account_id, owner, &[s[0], s[1]], "won", 400).await;
        }
        for _ in 0..2 {
            history(db, account_id, owner, &[s[0]], "open", 5).await;
        }

        // By hand. New: 11 reached it and closed within the year, 6 won: 55% (600 / 11 =
        // 54.5…). Contacted: 6 + 2 = 8 closed, 6 won: 75%, but 8 is under the 10 needed.
        // Qualified: none.
        let admin = app.api_key(account_id, &["all"]).await;
        let (_, list) = app.call("GET", "/v1/pipelines", Some(&admin), None).await;
        let pipe = &list["data"][0];
        assert_eq!(pipe["probability_source"], json!("configured"), "{pipe}");
        let learned = |p: &Value| -> Vec<(Value, Value, Value)> {
            p["stages"]
                .as_array()
                .unwrap()
                .iter()
                .take(3)
                .map(|s| {
                    (
                        s["learned_probability"].clone(),
                        s["learned_from"].clone(),
                        s["probability_in_use"].clone(),
                    )
                })
                .collect()
        };
        assert_eq!(
            learned(pipe),
            [
                (json!(55), json!(11), json!(10)),
                (json!(75), json!(8), json!(20)),
                (Value::Null, json!(0), json!(40)),
            ]
        );

        // Choosing learned figures: New uses its 55%, Contacted keeps its configured 20%.
        let path = format!("/v1/pipelines/{}", pipe["id"].as_str().unwrap());
        for (body, field) in [
            (r#"{"probability_source": "guessed"}"#, "probability_source"),
            (r#"{}"#, "name"),
        ] {
            let (status, err) = app.call("PATCH", &path, Some(&admin), Some(body)).await;
            assert_eq!(
                (status, err["error"]["field"].clone()),
                (422, json!(field)),
                "{err}"
            );
        }
        let (status, changed) = app
            .call(
                "PATCH",
                &path,
                Some(&admin),
                Some(r#"{"probability_source": "learned"}"#),
            )
            .await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(changed["probability_source"], json!("learned"));
        assert_eq!(changed["name"], pipe["name"], "the name stays");
        assert_eq!(
            learned(&changed),
            [
                (json!(55), json!(11), json!(55)),
                (json!(75), json!(8), json!(20)),
                (Value::Null, json!(0), json!(40)),
            ]
        );

        // The board weighs New's two open deals (100.00 each) at 55%: 110.00.
        let actor = Actor {
            account_id,
            user_id: Some(owner),
        };
        let board = deals::board::load_board(
            db,
            actor,
            None,
            &BoardFilter::default(),
            deals::board::per_column(None),
        )
        .await
        .unwrap();
        let new = &board.stages[0];
        assert_eq!(new.probability, 55);
        assert_eq!(new.learned.map(|l| (l.closed, l.won)), Some((11, 6)));
        assert_eq!(
            dealflow::domain::board::column_totals(new).weighted_cents,
            11_000
        );
        assert_eq!(
            (board.stages[1].probability, board.stages[1].learned),
            (20, None)
        );

        // So does the forecast, and it says where the figure comes from.
        let (_, f) = app
            .call("GET", "/v1/reports/forecast", Some(&admin), None)
            .await;
        assert_eq!(
            amounts(&f["months"][0]["stages"][0]),
            (2, 200.0, 110.0),
            "{f}"
        );
        assert_eq!(f["stages"][0]["probability_source"], json!("learned"));
        assert_eq!(f["stages"][0]["learned_from"], json!(11));
        assert_eq!(f["stages"][1]["probability_source"], json!("configured"));

        // A key that only reads cannot change it.
        let reader = app.api_key(account_id, &["opportunities:read"]).await;
        let (status, _) = app
            .call(
                "PATCH",
                &path,
                Some(&reader),
                Some(r#"{"probability_source": "configured"}"#),
            )
            .await;
        assert_eq!(status, 403);
    }
}

/// Inserts an activity of `user` (done at `done`, due at `due`).
async fn activity(
    db: &Db,
    account_id: AccountId,
    user: UserId,
    kind: &str,
    done: Option<&str>,
    due: Option<&str>,
) {
    sqlx::query(
        "INSERT INTO activities (account_id, user_id, kind, title, due_at, done_at, created_at, updated_at) \
         VALUES ($1, $2, $3, $3, $4, $5, $6, $6)",
    )
    .bind(account_id)
    .bind(user)
    .bind(kind)
    .bind(due)
    .bind(done)
    .bind(db::now())
    .execute(&db.pool)
    .await
    .unwrap();
}

async fn points(db: &Db, account_id: AccountId, user: UserId, n: i64, at: &str) {
    sqlx::query(
        "INSERT INTO points_ledger (account_id, user_id, points, reason, created_at) VALUES ($1, $2, $3, 'activity', $4)",
    )
    .bind(account_id)
    .bind(user)
    .bind(n)
    .bind(at)
    .execute(&db.pool)
    .await
    .unwrap();
}

#[tokio::test]
async fn the_activity_report_counts_work_by_week_type_and_person() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, email, password) = app.account("Busy Co").await;
        let owner = owner_of(&app, &email).await;
        let db = &app.db;
        let sam = accounts::create_user(
            db,
            account_id,
            &format!("sam.{}@busy.test", account_id.0),
            "Sam",
            "sam-password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let t = |s: &str| format!("2026-{s}.000000Z");
        for (user, kind, done, due) in [
            (owner, "call", Some("11-03T09:00:00"), None),
            (owner, "call", Some("11-10T09:00:00"), None),
            (owner, "email", Some("11-10T15:00:00"), None),
            (owner, "meeting", Some("11-20T09:00:00"), None),
            (sam, "task", Some("11-02T00:30:00"), None),
            (sam, "note", Some("11-15T23:59:00"), None),
            (sam, "call", Some("11-01T23:00:00"), None),
            (sam, "task", None, Some("01-01T09:00:00")),
            (owner, "email", None, Some("01-02T09:00:00")),
        ] {
            activity(
                db,
                account_id,
                user,
                kind,
                done.map(t).as_deref(),
                due.map(t).as_deref(),
            )
            .await;
        }
        let far = db::ts(Utc::now() + Duration::days(30));
        activity(db, account_id, owner, "call", None, Some(&far)).await;
        points(db, account_id, owner, 10, &t("11-03T09:00:00")).await;
        points(db, account_id, owner, 5, &t("11-10T09:00:00")).await;
        points(db, account_id, owner, 100, &t("10-01T09:00:00")).await;
        points(db, account_id, sam, 3, &t("11-02T00:30:00")).await;

        let key = app.api_key(account_id, &["opportunities:read"]).await;
        let period = "/v1/reports/activity?from=2026-11-02&to=2026-11-15";
        let (status, r) = app.call("GET", period, Some(&key), None).await;
        assert_eq!(status, 200, "{r}");
        // By hand: the week of Monday 2 November holds the owner's call on the 3rd and Sam's
        // task on the 2nd; the week of the 9th the owner's call and e-mail on the 10th and
        // Sam's note late on the 15th. The meeting on the 20th and the call on the 1st are
        // outside.
        let week = |w: &Value| {
            (
                w["week"].as_str().unwrap().to_string(),
                ["call", "meeting", "email", "task", "note"]
                    .map(|k| w["done"][k].as_i64().unwrap()),
            )
        };
        let weeks: Vec<_> = r["weeks"].as_array().unwrap().iter().map(week).collect();
        assert_eq!(
            weeks,
            [
                ("2026-11-02".to_string(), [1, 0, 0, 1, 0]),
                ("2026-11-09".to_string(), [1, 0, 1, 0, 1]),
            ]
        );
        let person = |name: &str| {
            let p = r["people"]
                .as_array()
                .unwrap()
                .iter()
                .find(|p| p["name"] == json!(name))
                .unwrap_or_else(|| panic!("{name} in {r}"))
                .clone();
            (
                ["call", "meeting", "email", "task", "note"]
                    .map(|k| p["done"][k].as_i64().unwrap()),
                p["points"].as_i64().unwrap(),
                p["overdue"].as_i64().unwrap(),
            )
        };
        let (owner_name,): (String,) = sqlx::query_as("SELECT name FROM users WHERE id = $1")
            .bind(owner)
            .fetch_one(&db.pool)
            .await
            .unwrap();
        assert_eq!(person(&owner_name), ([2, 0, 1, 0, 0], 15, 1));
        assert_eq!(person("Sam"), ([0, 0, 0, 1, 1], 3, 1));

        // Sam's own key sees Sam alone.
        let sams = dealflow::server::auth::api_keys::create_key(
            db,
            account_id,
            Some(sam),
            "sam",
            &["opportunities:read".into()],
            None,
        )
        .await
        .unwrap()
        .token;
        let (_, mine) = app.call("GET", period, Some(&sams), None).await;
        assert_eq!(mine["people"].as_array().map(Vec::len), Some(1), "{mine}");
        assert_eq!(mine["people"][0]["name"], json!("Sam"));

        // The page's CSV file holds the same rows, and the page shows them.
        let client = app.signed_in(&email, &password).await;
        let res = client
            .get(app.url("/export/reports/activity.csv?from=2026-11-02&to=2026-11-15"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 200);
        let csv = res.text().await.unwrap();
        let lines: Vec<&str> = csv.trim_start_matches('\u{FEFF}').lines().collect();
        assert_eq!(
            lines[0],
            "breakdown,name,call,meeting,email,task,note,points,overdue"
        );
        assert!(lines.contains(&"week,2026-11-09,1,0,1,0,1,,"), "{csv}");
        assert!(
            lines.contains(&format!("person,{owner_name},2,0,1,0,0,15,1").as_str()),
            "{csv}"
        );
        assert!(lines.contains(&"person,Sam,0,0,0,1,1,3,1"), "{csv}");
        let res = client
            .get(app.url("/export/reports/activity.csv?from=someday"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 422);
        let res = client
            .get(app.url("/export/reports/nothing.csv"))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 404);
        let (status, page) = app
            .page(&client, "/reports?from=2026-11-02&to=2026-11-15")
            .await;
        assert_eq!(status, 200);
        for chart in [
            "chart-forecast",
            "chart-funnel",
            "chart-velocity",
            "chart-won-lost",
            "chart-activity",
        ] {
            assert!(page.contains(&format!("data-chart=\"{chart}\"")), "{chart}");
        }
        assert!(
            page.contains("data-value=\"15\""),
            "the owner's points in the table"
        );
    }
}
