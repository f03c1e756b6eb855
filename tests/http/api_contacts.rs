//! `/v1/contacts` on both databases: create, read, search, change and delete a contact through
//! the API with the same rules as the pages (unique e-mail and phone, phones in E.164), scopes,
//! and another account's contacts not found.

use serde_json::{json, Value};

use crate::support::{backends, OnBackend, TestApp};

#[tokio::test]
async fn contacts_can_be_managed_through_the_api() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Contacts API").await;
        let (other, _, _) = app.account("Other contacts").await;
        let key = app
            .api_key(account_id, &["contacts:read", "contacts:write"])
            .await;
        let k = Some(key.as_str());
        let theirs = app.api_key(other, &["all"]).await;
        let reader = app.api_key(account_id, &["contacts:read"]).await;
        let opportunities = app.api_key(account_id, &["opportunities:read"]).await;

        let (status, ana) = app
            .call(
                "POST",
                "/v1/contacts",
                k,
                Some(r#"{"name": "Ana Costa", "email": "Ana@Acme.test", "phone": "+55 (11) 98765-4321"}"#),
            )
            .await;
        assert_eq!(status, 201, "{ana}");
        let id = ana["id"].as_str().unwrap().to_string();
        assert!(id.starts_with("lead_"), "{ana}");
        assert_eq!(
            (ana["email"].clone(), ana["phone"].clone()),
            (json!("ana@acme.test"), json!("+5511987654321"))
        );
        // The same rules as the pages, each refusal naming its field.
        for (body, field) in [
            (json!({"email": "x@y.test"}), "full_name"),
            (json!({"name": "Copy", "email": "ana@acme.test"}), "email"),
            (json!({"name": "Copy", "phone": "+5511987654321"}), "phone"),
            (
                json!({"name": "Local", "phone": "(11) 91111-2222"}),
                "phone",
            ),
            (
                json!({"name": "Org", "organization_id": "nope"}),
                "organization_id",
            ),
            (json!({"name": 5}), "name"),
        ] {
            let (status, err) = app
                .call("POST", "/v1/contacts", k, Some(&body.to_string()))
                .await;
            assert_eq!(
                (status, err["error"]["field"].clone()),
                (422, json!(field)),
                "{body}: {err}"
            );
        }
        let path = format!("/v1/contacts/{id}");
        let (status, got) = app.call("GET", &path, k, None).await;
        assert_eq!((status, got["name"].clone()), (200, json!("Ana Costa")));
        let (status, changed) = app
            .call("PATCH", &path, k, Some(r#"{"name": "Ana Maria Costa"}"#))
            .await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(changed["name"], "Ana Maria Costa");
        assert_eq!(changed["email"], "ana@acme.test", "fields left out stay");
        let (status, found) = app.call("GET", "/v1/contacts?search=maria", k, None).await;
        assert_eq!(status, 200);
        let names: Vec<Value> = found["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["name"].clone())
            .collect();
        assert_eq!(names, vec![json!("Ana Maria Costa")]);
        assert_eq!(found["meta"]["per_page"], 20);
        // Scopes, and another account.
        let (status, _) = app
            .call("PATCH", &path, Some(&reader), Some(r#"{"name": "x"}"#))
            .await;
        assert_eq!(status, 403);
        let (status, _) = app.call("GET", &path, Some(&opportunities), None).await;
        assert_eq!(status, 403);
        for method in ["GET", "PATCH", "DELETE"] {
            let (status, _) = app
                .call(method, &path, Some(&theirs), Some(r#"{"name": "x"}"#))
                .await;
            assert_eq!(status, 404, "{method} with another account's key");
        }
        let (_, listed) = app.call("GET", "/v1/contacts", Some(&theirs), None).await;
        assert_eq!(listed["data"], json!([]));
        // Deleted, it is gone.
        let (status, _) = app.call("DELETE", &path, k, None).await;
        assert_eq!(status, 204);
        let (status, _) = app.call("GET", &path, k, None).await;
        assert_eq!(status, 404);
    }
}

#[tokio::test]
async fn organizations_can_be_managed_through_the_api() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Orgs API").await;
        let (other, _, _) = app.account("Other orgs").await;
        let key = app
            .api_key(account_id, &["contacts:read", "contacts:write"])
            .await;
        let k = Some(key.as_str());
        let theirs = app.api_key(other, &["all"]).await;
        let (status, acme) = app
            .call("POST", "/v1/organizations", k, Some(r#"{"name": "Acme"}"#))
            .await;
        assert_eq!(status, 201, "{acme}");
        let org = acme["id"].as_str().unwrap().to_string();
        assert!(org.starts_with("org_"), "{acme}");
        let (status, err) = app
            .call("POST", "/v1/organizations", k, Some(r#"{"name": "ACME"}"#))
            .await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("name")),
            "{err}"
        );
        // A contact of it, shown with it.
        let body = json!({"name": "Bea", "organization_id": org}).to_string();
        let (status, bea) = app.call("POST", "/v1/contacts", k, Some(&body)).await;
        assert_eq!(status, 201, "{bea}");
        assert_eq!(
            (
                bea["organization_id"].clone(),
                bea["organization_name"].clone()
            ),
            (json!(org), json!("Acme"))
        );
        let path = format!("/v1/organizations/{org}");
        let (status, got) = app.call("GET", &path, k, None).await;
        assert_eq!((status, got["contacts"].clone()), (200, json!(1)), "{got}");
        let (status, renamed) = app
            .call("PATCH", &path, k, Some(r#"{"name": "Acme Ltda"}"#))
            .await;
        assert_eq!((status, renamed["name"].clone()), (200, json!("Acme Ltda")));
        let (status, found) = app
            .call("GET", "/v1/organizations?search=ltda", k, None)
            .await;
        assert_eq!((status, found["data"][0]["id"].clone()), (200, json!(org)));
        for method in ["GET", "PATCH", "DELETE"] {
            let (status, _) = app
                .call(method, &path, Some(&theirs), Some(r#"{"name": "x"}"#))
                .await;
            assert_eq!(status, 404, "{method} with another account's key");
        }
        // Deleted, its people stay without it.
        let (status, _) = app.call("DELETE", &path, k, None).await;
        assert_eq!(status, 204);
        let (_, bea) = app
            .call(
                "GET",
                &format!("/v1/contacts/{}", bea["id"].as_str().unwrap()),
                k,
                None,
            )
            .await;
        assert_eq!(
            (bea["name"].clone(), bea["organization_id"].clone()),
            (json!("Bea"), Value::Null)
        );
    }
}
