//! Currencies on both databases: ISO 4217 codes with their own decimals, exchange rates kept
//! per base currency through the API, and board columns, the forecast and the leaderboard
//! converting each deal at the rate of its day, against sums worked out by hand.

use chrono::Utc;
use dealflow::domain::{AccountId, BoardFilter, StageId, UserId};
use dealflow::server::db::Db;
use dealflow::server::services::deals::{self, create::NewDeal};
use dealflow::server::services::Actor;
use serde_json::{json, Value};

use crate::support::{backends, TestApp};

async fn first_stage(db: &Db, account_id: AccountId) -> StageId {
    let (id,): (StageId,) = sqlx::query_as(
        "SELECT s.id FROM stages s JOIN pipelines p ON p.id = s.pipeline_id \
         WHERE p.account_id = $1 AND p.is_primary = 1 ORDER BY s.position, s.id LIMIT 1",
    )
    .bind(account_id)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    id
}

#[tokio::test]
async fn currencies_are_iso_4217_with_their_own_decimals() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Yen Co").await;
        let key = app.api_key(account_id, &["all"]).await;
        for (body, field) in [
            (
                json!({"name": "Made up", "value": 10, "currency": "XYZ"}),
                "currency",
            ),
            (
                json!({"name": "Half a yen", "value": 1500.5, "currency": "JPY"}),
                "value",
            ),
            (
                json!({"name": "Three places", "value": 1.234, "currency": "BHD"}),
                "value",
            ),
        ] {
            let (status, err) = app
                .call(
                    "POST",
                    "/v1/opportunities",
                    Some(&key),
                    Some(&body.to_string()),
                )
                .await;
            assert_eq!(
                (status, err["error"]["field"].clone()),
                (422, json!(field)),
                "{body}: {err}"
            );
        }
        for body in [
            json!({"name": "Whole yen", "value": 1500, "currency": "jpy"}),
            json!({"name": "Dinars", "value": 1.23, "currency": "BHD"}),
        ] {
            let (status, created) = app
                .call(
                    "POST",
                    "/v1/opportunities",
                    Some(&key),
                    Some(&body.to_string()),
                )
                .await;
            assert_eq!(status, 201, "{body}: {created}");
        }
    }
}

/// (column count, total cents, unconverted cards) of the board's first column.
async fn first_column(app: &TestApp, account_id: AccountId, owner: UserId) -> (usize, i64, usize) {
    let actor = Actor {
        account_id,
        user_id: Some(owner),
    };
    let board = deals::board::load_board(
        &app.db,
        actor,
        None,
        &BoardFilter::default(),
        deals::board::per_column(None),
    )
    .await
    .unwrap();
    let t = dealflow::domain::board::column_totals(&board.stages[0]);
    (t.count, t.total_cents, t.unconverted)
}

#[tokio::test]
async fn rates_convert_each_deal_at_the_rate_of_its_day() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, email, _) = app.account("Euro Co").await;
        let (owner,): (UserId,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(&email)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let key = app.api_key(account_id, &["all"]).await;

        // Bad rates are refused naming the field.
        for (body, field) in [
            (
                json!({"currency": "EUR", "day": "2026-10-01", "rate": "0"}),
                "rate",
            ),
            (
                json!({"currency": "EUR", "day": "2026-10-01", "rate": "1.123456789"}),
                "rate",
            ),
            (
                json!({"currency": "EUR", "day": "2026-10-01", "rate": "abc"}),
                "rate",
            ),
            (
                json!({"currency": "EUR", "day": "2026-13-01", "rate": 1.1}),
                "day",
            ),
            (
                json!({"currency": "EURO", "day": "2026-10-01", "rate": 1.1}),
                "currency",
            ),
            (
                json!({"currency": "USD", "day": "2026-10-01", "rate": 1.1}),
                "currency",
            ),
        ] {
            let (status, err) = app
                .call(
                    "PUT",
                    "/v1/exchange-rates",
                    Some(&key),
                    Some(&body.to_string()),
                )
                .await;
            assert_eq!(
                (status, err["error"]["field"].clone()),
                (422, json!(field)),
                "{body}: {err}"
            );
        }
        for (day, rate) in [("2026-10-01", json!(1.1)), ("2026-11-01", json!("1.2"))] {
            let body = json!({"currency": "eur", "day": day, "rate": rate}).to_string();
            let (status, set) = app
                .call("PUT", "/v1/exchange-rates", Some(&key), Some(&body))
                .await;
            assert_eq!(status, 200, "{set}");
            assert_eq!(set["currency"], json!("EUR"));
        }
        let (_, list) = app
            .call("GET", "/v1/exchange-rates", Some(&key), None)
            .await;
        assert_eq!(
            list,
            json!({"base_currency": "USD", "data": [
                {"currency": "EUR", "day": "2026-10-01", "rate": "1.1"},
                {"currency": "EUR", "day": "2026-11-01", "rate": "1.2"},
            ]})
        );

        // Open deals in the first stage, expected to close this month: 200.00 USD, 100.00 EUR
        // (today's rate is November's 1.2: 120.00) and 50.00 GBP, which has no rate. A deal
        // won on 15 October for 100.00 EUR is worth 110.00 at October's rate.
        let stage = first_stage(&app.db, account_id).await;
        let this_month = Utc::now().date_naive().to_string();
        let actor = Actor {
            account_id,
            user_id: Some(owner),
        };
        for (title, cents, currency) in [
            ("Dollars", 20_000, "USD"),
            ("Euros", 10_000, "EUR"),
            ("Pounds", 5_000, "GBP"),
        ] {
            deals::create_deal(
                &app.db,
                actor,
                NewDeal {
                    title: title.into(),
                    value_cents: cents,
                    currency: Some(currency.into()),
                    stage_id: Some(stage),
                    expected_close_date: Some(this_month.clone()),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        let won = deals::create_deal(
            &app.db,
            actor,
            NewDeal {
                title: "Won in euros".into(),
                value_cents: 10_000,
                currency: Some("EUR".into()),
                stage_id: Some(stage),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
        sqlx::query(
            "UPDATE deals SET status = 'won', won_at = '2026-10-15T12:00:00.000000Z' WHERE id = $1",
        )
        .bind(won)
        .execute(&app.db.pool)
        .await
        .unwrap();

        // The board's column: three cards, 320.00 USD, one left out.
        assert_eq!(first_column(&app, account_id, owner).await, (3, 32_000, 1));
        // The forecast says the same, and names what it left out.
        let (_, f) = app
            .call("GET", "/v1/reports/forecast", Some(&key), None)
            .await;
        assert_eq!(f["months"][0]["total"], json!(320.0), "{f}");
        assert_eq!(
            f["other_currencies"],
            json!([{"currency": "GBP", "deals": 1}])
        );
        let (_, october) = app
            .call(
                "GET",
                "/v1/reports/forecast?to=2026-10-31",
                Some(&key),
                None,
            )
            .await;
        assert_eq!(october["months"][0]["won"], json!(110.0), "{october}");
        // The leaderboard: the owner won 110.00 USD.
        let (_, board) = app.call("GET", "/v1/leaderboard", Some(&key), None).await;
        let me = board["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["won_count"] == json!(1))
            .cloned()
            .unwrap_or(Value::Null);
        assert_eq!(
            (me["won_value"].clone(), me["currency"].clone()),
            (json!(110.0), json!("USD")),
            "{board}"
        );

        // A rate deleted: November's gone, today converts at October's 1.1.
        let (status, _) = app
            .call(
                "DELETE",
                "/v1/exchange-rates/EUR/2026-11-01",
                Some(&key),
                None,
            )
            .await;
        assert_eq!(status, 204);
        let (status, _) = app
            .call(
                "DELETE",
                "/v1/exchange-rates/EUR/2026-11-01",
                Some(&key),
                None,
            )
            .await;
        assert_eq!(status, 404);
        assert_eq!(first_column(&app, account_id, owner).await, (3, 31_000, 1));

        // Another base currency: the rates to dollars stay aside, and without rates to euros
        // only the euro deal converts.
        for (body, field) in [(json!({"base_currency": "EURO"}), "base_currency")] {
            let (status, err) = app
                .call("PATCH", "/v1/settings", Some(&key), Some(&body.to_string()))
                .await;
            assert_eq!(
                (status, err["error"]["field"].clone()),
                (422, json!(field)),
                "{err}"
            );
        }
        let (status, settings) = app
            .call(
                "PATCH",
                "/v1/settings",
                Some(&key),
                Some(r#"{"base_currency": "eur"}"#),
            )
            .await;
        assert_eq!(
            (status, settings["base_currency"].clone()),
            (200, json!("EUR")),
            "{settings}"
        );
        let (_, list) = app
            .call("GET", "/v1/exchange-rates", Some(&key), None)
            .await;
        assert_eq!(list, json!({"base_currency": "EUR", "data": []}));
        assert_eq!(first_column(&app, account_id, owner).await, (3, 10_000, 2));
        // A deal given no currency is in the base currency.
        let (status, made) = app
            .call(
                "POST",
                "/v1/opportunities",
                Some(&key),
                Some(r#"{"name": "No currency given", "value": 5}"#),
            )
            .await;
        assert_eq!(status, 201, "{made}");
        let (currency,): (String,) =
            sqlx::query_as("SELECT currency FROM deals WHERE account_id = $1 AND title = $2")
                .bind(account_id)
                .bind("No currency given")
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(currency, "EUR");
        sqlx::query("DELETE FROM deals WHERE account_id = $1 AND title = $2")
            .bind(account_id)
            .bind("No currency given")
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (_, _) = app
            .call(
                "PATCH",
                "/v1/settings",
                Some(&key),
                Some(r#"{"base_currency": "USD"}"#),
            )
            .await;
        assert_eq!(first_column(&app, account_id, owner).await, (3, 31_000, 1));

        // Reading needs opportunities:read; changing needs config:manage.
        let reader = app.api_key(account_id, &["opportunities:read"]).await;
        let (status, _) = app
            .call("GET", "/v1/exchange-rates", Some(&reader), None)
            .await;
        assert_eq!(status, 200);
        let body = json!({"currency": "GBP", "day": "2026-10-01", "rate": 1.3}).to_string();
        let (status, _) = app
            .call("PUT", "/v1/exchange-rates", Some(&reader), Some(&body))
            .await;
        assert_eq!(status, 403);
    }
}
