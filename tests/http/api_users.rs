//! `/v1/users` on both databases: the account's users as the API names them (`user_…`, the
//! `assigned_to` of opportunities), one user, scopes, another account's users not found.

use dealflow::domain::Role;
use dealflow::server::services::accounts;
use serde_json::json;

use crate::support::{backends, OnBackend, TestApp};

#[tokio::test]
async fn users_are_listed_and_read_through_the_api() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, owner_email, _) = app.account("Users API").await;
        let (other, _, _) = app.account("Other users").await;
        accounts::create_user(
            &app.db,
            account_id,
            "rita@users.test",
            "Rita",
            "password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let key = app.api_key(account_id, &["users:read"]).await;
        let (status, users) = app.call("GET", "/v1/users", Some(&key), None).await;
        assert_eq!(status, 200, "{users}");
        let listed = users["data"].as_array().unwrap();
        let emails: Vec<_> = listed.iter().map(|u| u["email"].clone()).collect();
        assert!(emails.contains(&json!(owner_email)) && emails.contains(&json!("rita@users.test")));
        let rita = listed
            .iter()
            .find(|u| u["email"] == "rita@users.test")
            .unwrap();
        assert_eq!(rita["role"], "sales");
        let id = rita["id"].as_str().unwrap();
        assert!(id.starts_with("user_"), "{rita}");
        let (status, one) = app
            .call("GET", &format!("/v1/users/{id}"), Some(&key), None)
            .await;
        assert_eq!((status, one["name"].clone()), (200, json!("Rita")));
        // The opportunities name the same ids.
        let all = app.api_key(account_id, &["all"]).await;
        let body = json!({"name": "For Rita", "assigned_to": id}).to_string();
        let (status, opp) = app
            .call("POST", "/v1/opportunities", Some(&all), Some(&body))
            .await;
        assert_eq!(
            (status, opp["assigned_to"].clone()),
            (201, json!(id)),
            "{opp}"
        );
        // Another account, and a key without the scope.
        let theirs = app.api_key(other, &["all"]).await;
        let (status, _) = app
            .call("GET", &format!("/v1/users/{id}"), Some(&theirs), None)
            .await;
        assert_eq!(status, 404);
        let (_, their_users) = app.call("GET", "/v1/users", Some(&theirs), None).await;
        assert!(!their_users.to_string().contains("rita@users.test"));
        let contacts_only = app.api_key(account_id, &["contacts:read"]).await;
        let (status, _) = app
            .call("GET", "/v1/users", Some(&contacts_only), None)
            .await;
        assert_eq!(status, 403);
    }
}

#[tokio::test]
async fn assignees_and_followers_are_managed_through_the_api() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("People API").await;
        let (other, _, _) = app.account("Other people").await;
        accounts::create_user(
            &app.db,
            account_id,
            "sam@people.test",
            "Sam",
            "password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let all = app.api_key(account_id, &["all"]).await;
        let theirs = app.api_key(other, &["all"]).await;
        let (_, users) = app.call("GET", "/v1/users", Some(&all), None).await;
        let sam = users["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["name"] == "Sam")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (status, opp) = app
            .call(
                "POST",
                "/v1/opportunities",
                Some(&all),
                Some(r#"{"name": "Team deal"}"#),
            )
            .await;
        assert_eq!(status, 201, "{opp}");
        let base = format!("/v1/opportunities/{}", opp["id"].as_str().unwrap());
        for role in ["assignees", "followers"] {
            let path = format!("{base}/{role}");
            let body = json!({"user_id": sam}).to_string();
            let (status, people) = app.call("POST", &path, Some(&all), Some(&body)).await;
            assert_eq!(status, 200, "{role}: {people}");
            assert_eq!(
                people["data"],
                json!([{"id": sam, "name": "Sam"}]),
                "{role}"
            );
            // Twice changes nothing.
            let (_, again) = app.call("POST", &path, Some(&all), Some(&body)).await;
            assert_eq!(again["data"].as_array().unwrap().len(), 1);
            let (status, err) = app
                .call("POST", &path, Some(&all), Some(r#"{"user_id": "nobody"}"#))
                .await;
            assert_eq!(
                (status, err["error"]["field"].clone()),
                (422, json!("user_id")),
                "{err}"
            );
            let (status, _) = app.call("GET", &path, Some(&theirs), None).await;
            assert_eq!(status, 404, "another account");
            let (status, _) = app
                .call("DELETE", &format!("{path}/{sam}"), Some(&all), None)
                .await;
            assert_eq!(status, 204);
            let (_, left) = app.call("GET", &path, Some(&all), None).await;
            assert_eq!(left["data"], json!([]), "{role}");
        }
        let (status, _) = app
            .call("GET", &format!("{base}/watchers"), Some(&all), None)
            .await;
        assert_eq!(status, 404);
    }
}

#[tokio::test]
async fn notes_are_read_and_written_through_the_api() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Notes API").await;
        let (other, _, _) = app.account("Other notes").await;
        let all = app.api_key(account_id, &["all"]).await;
        let theirs = app.api_key(other, &["all"]).await;
        let (_, opp) = app
            .call(
                "POST",
                "/v1/opportunities",
                Some(&all),
                Some(r#"{"name": "Noted"}"#),
            )
            .await;
        let path = format!("/v1/opportunities/{}/notes", opp["id"].as_str().unwrap());
        let (status, note) = app
            .call(
                "POST",
                &path,
                Some(&all),
                Some(r#"{"content": "Called them"}"#),
            )
            .await;
        assert_eq!(status, 201, "{note}");
        assert_eq!(
            (note["content"].clone(), note["pinned"].clone()),
            (json!("Called them"), json!(false))
        );
        let (status, err) = app
            .call("POST", &path, Some(&all), Some(r#"{"content": "  "}"#))
            .await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("content")),
            "{err}"
        );
        let (status, listed) = app.call("GET", &path, Some(&all), None).await;
        assert_eq!(status, 200);
        assert_eq!(listed["data"].as_array().unwrap().len(), 1);
        let (status, _) = app.call("GET", &path, Some(&theirs), None).await;
        assert_eq!(status, 404);
    }
}
