//! `/v1/products` on both databases: the catalog listed with `opportunities:read`, added to and
//! changed (retired, restored) with `config:manage` by the rules of the settings page, the ids
//! `POST /v1/opportunities` takes, and another account's products not found.

use serde_json::json;

use crate::support::{backends, OnBackend, TestApp};

#[tokio::test]
async fn the_catalog_is_managed_through_the_api() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Products API").await;
        let (other, _, _) = app.account("Other products").await;
        let admin = app.api_key(account_id, &["all"]).await;
        let reader = app.api_key(account_id, &["opportunities:read"]).await;
        let theirs = app.api_key(other, &["all"]).await;
        let body = r#"{"name": "Seat licence", "identifier": "SEAT-1", "unit_amount": 12.5, "currency": "usd"}"#;
        let (status, seat) = app
            .call("POST", "/v1/products", Some(&admin), Some(body))
            .await;
        assert_eq!(status, 201, "{seat}");
        let id = seat["id"].as_str().unwrap().to_string();
        assert!(id.starts_with("product_"), "{seat}");
        assert_eq!(
            (
                seat["unit_amount"].clone(),
                seat["currency"].clone(),
                seat["active"].clone()
            ),
            (json!(12.5), json!("USD"), json!(true))
        );
        for (body, field) in [
            (r#"{"name": "", "unit_amount": "1"}"#, "name"),
            (r#"{"name": "X", "unit_amount": "1.234"}"#, "unit_amount"),
            (
                r#"{"name": "X", "unit_amount": "1", "currency": "dollars"}"#,
                "currency",
            ),
        ] {
            let (status, err) = app
                .call("POST", "/v1/products", Some(&admin), Some(body))
                .await;
            assert_eq!(
                (status, err["error"]["field"].clone()),
                (422, json!(field)),
                "{body}: {err}"
            );
        }
        let (status, _) = app
            .call("POST", "/v1/products", Some(&reader), Some(body))
            .await;
        assert_eq!(status, 403);
        // An opportunity takes its id.
        let opp = json!({"name": "Seats", "products": [id]}).to_string();
        let (status, created) = app
            .call("POST", "/v1/opportunities", Some(&admin), Some(&opp))
            .await;
        assert_eq!(status, 201, "{created}");
        // Retired, it is listed as such and no longer sold.
        let path = format!("/v1/products/{id}");
        let change = r#"{"name": "Seat licence", "identifier": "SEAT-1", "unit_amount": "15.00", "active": false}"#;
        let (status, retired) = app.call("PATCH", &path, Some(&admin), Some(change)).await;
        assert_eq!(status, 200, "{retired}");
        assert_eq!(
            (retired["unit_amount"].clone(), retired["active"].clone()),
            (json!(15.0), json!(false))
        );
        let (status, listed) = app.call("GET", "/v1/products", Some(&reader), None).await;
        assert_eq!(
            (status, listed["data"][0]["active"].clone()),
            (200, json!(false))
        );
        let (status, err) = app
            .call("POST", "/v1/opportunities", Some(&admin), Some(&opp))
            .await;
        assert_eq!(status, 422, "{err}");
        let (status, _) = app.call("PATCH", &path, Some(&theirs), Some(change)).await;
        assert_eq!(status, 404);
        let (_, theirs_listed) = app.call("GET", "/v1/products", Some(&theirs), None).await;
        assert_eq!(theirs_listed["data"], json!([]));
    }
}
