//! Amounts sent as JSON numbers are read from the number's text, on both databases: more
//! than two decimals is refused at every magnitude (a float would have rounded `123456.789`
//! to a storable value), exponents and trailing zeros read as what they are, and a number
//! with more digits than a float keeps is judged on its digits, not on a rounded float.

use serde_json::{json, Value};

use crate::support::{backends, TestApp};

#[tokio::test]
async fn amounts_are_read_from_the_numbers_text_at_every_magnitude() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Exact Money").await;
        let key = app.api_key(account_id, &["all"]).await;
        let create = |value: &str| format!(r#"{{"name": "Deal at {value}", "value": {value}}}"#);

        for refused in [
            "1.005",
            "5000.005",
            "123456.789",
            "99999999999.999",
            "0.30000000000000004",
            "1e-3",
            "1.0000000000000000001",
        ] {
            let (status, body) = app
                .call(
                    "POST",
                    "/v1/opportunities",
                    Some(&key),
                    Some(&create(refused)),
                )
                .await;
            assert_eq!(status, 422, "{refused}: {body}");
            assert_eq!(body["error"]["field"], json!("value"), "{refused}: {body}");
            assert!(
                body["error"]["message"]
                    .as_str()
                    .unwrap()
                    .contains("more than 2 decimals"),
                "{refused}: {body}"
            );
        }
        for too_large in ["100000000000.01", "1e12", "123456789012345678901234567890"] {
            let (status, body) = app
                .call(
                    "POST",
                    "/v1/opportunities",
                    Some(&key),
                    Some(&create(too_large)),
                )
                .await;
            assert_eq!(status, 422, "{too_large}: {body}");
            assert_eq!(
                body["error"]["field"],
                json!("value"),
                "{too_large}: {body}"
            );
        }
        for (sent, cents) in [
            ("0.1", 10i64),
            ("1.50", 150),
            ("1e3", 100_000),
            ("5000.01", 500_001),
            ("123456.78", 12_345_678),
            ("99999999999.99", 9_999_999_999_999),
        ] {
            let (status, body) = app
                .call("POST", "/v1/opportunities", Some(&key), Some(&create(sent)))
                .await;
            assert_eq!(status, 201, "{sent}: {body}");
            let (stored,): (i64,) = sqlx::query_as(
                "SELECT value_cents FROM deals WHERE account_id = $1 AND title = $2",
            )
            .bind(account_id)
            .bind(format!("Deal at {sent}"))
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
            assert_eq!(stored, cents, "{sent}");
            assert_eq!(body["value"], Value::from(cents as f64 / 100.0), "{sent}");
        }
    }
}
