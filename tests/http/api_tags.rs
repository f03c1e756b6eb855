//! `/v1/tags` on both databases: the account's tags listed with `opportunities:read` and
//! created, renamed and deleted with `config:manage`, by the rules of the settings page;
//! another account's tags not found.

use serde_json::json;

use crate::support::{backends, OnBackend, TestApp};

#[tokio::test]
async fn tags_are_managed_through_the_api() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Tags API").await;
        let (other, _, _) = app.account("Other tags").await;
        let admin = app
            .api_key(account_id, &["config:manage", "opportunities:read"])
            .await;
        let reader = app.api_key(account_id, &["opportunities:read"]).await;
        let theirs = app.api_key(other, &["all"]).await;
        let (status, vip) = app
            .call("POST", "/v1/tags", Some(&admin), Some(r#"{"name": "VIP"}"#))
            .await;
        assert_eq!(status, 201, "{vip}");
        let id = vip["id"].as_str().unwrap().to_string();
        assert!(id.starts_with("tag_"), "{vip}");
        for (body, field) in [
            (r#"{"name": " vip "}"#, "name"),
            (r#"{"name": ""}"#, "name"),
        ] {
            let (status, err) = app.call("POST", "/v1/tags", Some(&admin), Some(body)).await;
            assert_eq!(
                (status, err["error"]["field"].clone()),
                (422, json!(field)),
                "{body}: {err}"
            );
        }
        let (status, _) = app
            .call("POST", "/v1/tags", Some(&reader), Some(r#"{"name": "X"}"#))
            .await;
        assert_eq!(status, 403, "changing tags needs config:manage");
        let path = format!("/v1/tags/{id}");
        let (status, renamed) = app
            .call(
                "PATCH",
                &path,
                Some(&admin),
                Some(r#"{"name": "Key account"}"#),
            )
            .await;
        assert_eq!(
            (status, renamed["name"].clone()),
            (200, json!("Key account"))
        );
        let (status, listed) = app.call("GET", "/v1/tags", Some(&reader), None).await;
        assert_eq!(status, 200);
        assert_eq!(listed["data"], json!([{"id": id, "name": "Key account"}]));
        for method in ["PATCH", "DELETE"] {
            let (status, _) = app
                .call(method, &path, Some(&theirs), Some(r#"{"name": "x"}"#))
                .await;
            assert_eq!(status, 404, "{method} with another account's key");
        }
        let (status, _) = app.call("DELETE", &path, Some(&admin), None).await;
        assert_eq!(status, 204);
        let (_, listed) = app.call("GET", "/v1/tags", Some(&reader), None).await;
        assert_eq!(listed["data"], json!([]));
    }
}
