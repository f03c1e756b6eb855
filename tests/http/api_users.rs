//! `/v1/users` on both databases: the account's users as the API names them (`user_…`, the
//! `assigned_to` of opportunities), one user, scopes, another account's users not found.

use dealflow::domain::{AccountId, Role, UserId};
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

/// A key of the account that acts for the user with `email`.
async fn key_of(app: &TestApp, account_id: AccountId, email: &str, scopes: &[&str]) -> String {
    let (user,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let scopes: Vec<String> = scopes.iter().map(|s| s.to_string()).collect();
    dealflow::server::auth::api_keys::create_key(
        &app.db,
        account_id,
        Some(UserId(user)),
        "team",
        &scopes,
        None,
    )
    .await
    .unwrap()
    .token
}

#[tokio::test]
async fn contacts_and_tags_are_linked_to_an_opportunity_through_the_api() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Links API").await;
        let (other, _, _) = app.account("Other links").await;
        let all = app.api_key(account_id, &["all"]).await;
        let theirs = app.api_key(other, &["all"]).await;
        let (_, opp) = app
            .call(
                "POST",
                "/v1/opportunities",
                Some(&all),
                Some(r#"{"name": "Linked"}"#),
            )
            .await;
        let opp_id = opp["id"].as_str().unwrap().to_string();
        let base = format!("/v1/opportunities/{opp_id}");
        let mut contacts = Vec::new();
        for name in ["Ana Lima", "Bruno Reis"] {
            let body = json!({ "name": name }).to_string();
            let (status, c) = app
                .call("POST", "/v1/contacts", Some(&all), Some(&body))
                .await;
            assert_eq!(status, 201, "{c}");
            contacts.push(c["id"].as_str().unwrap().to_string());
        }
        let (status, tag) = app
            .call("POST", "/v1/tags", Some(&all), Some(r#"{"name": "VIP"}"#))
            .await;
        assert_eq!(status, 201, "{tag}");
        let tag = tag["id"].as_str().unwrap().to_string();

        // Contacts: the first becomes the primary one (the opportunity's lead).
        for c in &contacts {
            let body = json!({ "contact_id": c }).to_string();
            let (status, linked) = app
                .call("POST", &format!("{base}/contacts"), Some(&all), Some(&body))
                .await;
            assert_eq!(status, 200, "{linked}");
        }
        let (_, linked) = app
            .call("GET", &format!("{base}/contacts"), Some(&all), None)
            .await;
        assert_eq!(
            linked["data"],
            json!([{"id": contacts[0], "name": "Ana Lima"}, {"id": contacts[1], "name": "Bruno Reis"}])
        );
        let (_, read) = app.call("GET", &base, Some(&all), None).await;
        assert_eq!(read["lead_id"], json!(contacts[0]));
        // Taking the primary off makes the next one primary.
        let (status, _) = app
            .call(
                "DELETE",
                &format!("{base}/contacts/{}", contacts[0]),
                Some(&all),
                None,
            )
            .await;
        assert_eq!(status, 204);
        let (_, read) = app.call("GET", &base, Some(&all), None).await;
        assert_eq!(read["lead_id"], json!(contacts[1]));

        // Tags.
        let body = json!({ "tag_id": tag }).to_string();
        let (status, tags) = app
            .call("POST", &format!("{base}/tags"), Some(&all), Some(&body))
            .await;
        assert_eq!(
            (status, tags["data"].clone()),
            (200, json!([{"id": tag, "name": "VIP"}]))
        );
        // Each role reads its own field, and names it when it is missing or wrong.
        for (role, body, field) in [
            ("tags", json!({"user_id": "user_x"}), "tag_id"),
            ("tags", json!({"tag_id": "tag_0000"}), "tag_id"),
            ("contacts", json!({"contact_id": tag}), "contact_id"),
            ("followers", json!({"contact_id": contacts[1]}), "user_id"),
        ] {
            let (status, err) = app
                .call(
                    "POST",
                    &format!("{base}/{role}"),
                    Some(&all),
                    Some(&body.to_string()),
                )
                .await;
            assert_eq!(
                (status, err["error"]["field"].clone()),
                (422, json!(field)),
                "{role} {body}: {err}"
            );
        }
        let (status, _) = app
            .call("GET", &format!("{base}/tags"), Some(&theirs), None)
            .await;
        assert_eq!(status, 404, "another account's opportunity");
        let (status, _) = app
            .call("DELETE", &format!("{base}/tags/{tag}"), Some(&theirs), None)
            .await;
        assert_eq!(status, 404);
        let (status, _) = app
            .call("DELETE", &format!("{base}/tags/{tag}"), Some(&all), None)
            .await;
        assert_eq!(status, 204);
        let (_, tags) = app
            .call("GET", &format!("{base}/tags"), Some(&all), None)
            .await;
        assert_eq!(tags["data"], json!([]));
        let (status, _) = app
            .call("DELETE", &format!("{base}/tags/tag_0000"), Some(&all), None)
            .await;
        assert_eq!(status, 404, "an unknown tag");
    }
}

#[tokio::test]
async fn an_opportunity_changes_every_field_of_the_deal_form_through_the_api() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Fields API").await;
        let (other, _, _) = app.account("Other fields").await;
        let all = app.api_key(account_id, &["all"]).await;
        let theirs = app.api_key(other, &["all"]).await;
        let (_, org) = app
            .call(
                "POST",
                "/v1/organizations",
                Some(&all),
                Some(r#"{"name": "Acme"}"#),
            )
            .await;
        let (_, their_org) = app
            .call(
                "POST",
                "/v1/organizations",
                Some(&theirs),
                Some(r#"{"name": "Theirs"}"#),
            )
            .await;
        let (status, source) = app
            .call(
                "POST",
                "/v1/lead-sources",
                Some(&all),
                Some(r#"{"name": "Fair"}"#),
            )
            .await;
        assert_eq!(status, 201, "{source}");
        let (_, users) = app.call("GET", "/v1/users", Some(&all), None).await;
        let owner = users["data"][0]["id"].clone();
        let body = json!({"name": "Fields", "assigned_to": owner}).to_string();
        let (_, opp) = app
            .call("POST", "/v1/opportunities", Some(&all), Some(&body))
            .await;
        let path = format!("/v1/opportunities/{}", opp["id"].as_str().unwrap());
        let change = json!({
            "organization_id": org["id"],
            "lead_source_id": source["id"],
            "quality_rating": 4,
            "quality_reason": "Budget confirmed",
            "visibility": 1,
            "temperature": "3",
            "assigned_to": null,
        });
        let (status, after) = app
            .call("PATCH", &path, Some(&all), Some(&change.to_string()))
            .await;
        assert_eq!(status, 200, "{after}");
        let (_, read) = app.call("GET", &path, Some(&all), None).await;
        for (field, want) in [
            ("organization_id", org["id"].clone()),
            ("lead_source_id", source["id"].clone()),
            ("lead_source", json!("Fair")),
            ("quality_rating", json!(4)),
            ("quality_reason", json!("Budget confirmed")),
            ("visibility", json!(1)),
            ("temperature", json!(3)),
            ("assigned_to", json!(null)),
        ] {
            assert_eq!(read[field], want, "{field}: {read}");
        }
        // `null` clears; what is left out stays.
        let (status, read) = app
            .call(
                "PATCH",
                &path,
                Some(&all),
                Some(r#"{"temperature": null, "organization_id": null}"#),
            )
            .await;
        assert_eq!(status, 200, "{read}");
        assert_eq!(
            (
                read["temperature"].clone(),
                read["organization_id"].clone(),
                read["quality_rating"].clone()
            ),
            (json!(null), json!(null), json!(4))
        );
        for (body, field) in [
            (json!({"quality_rating": 9}), "quality_rating"),
            (json!({"visibility": 5}), "visibility"),
            (json!({"visibility": null}), "visibility"),
            (json!({"temperature": "warm"}), "temperature"),
            (
                json!({"organization_id": their_org["id"]}),
                "organization_id",
            ),
            (json!({"lead_source_id": "src_nope"}), "lead_source_id"),
        ] {
            let (status, err) = app
                .call("PATCH", &path, Some(&all), Some(&body.to_string()))
                .await;
            assert_eq!(
                (status, err["error"]["field"].clone()),
                (422, json!(field)),
                "{body}: {err}"
            );
        }
        let (_, still) = app.call("GET", &path, Some(&all), None).await;
        assert_eq!(
            still["visibility"],
            json!(1),
            "a refused change changes nothing"
        );
    }
}

#[tokio::test]
async fn users_are_added_and_managed_through_the_api_as_the_keys_creator() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, owner_email, _) = app.account("Team API").await;
        let (other, other_email, _) = app.account("Other team").await;
        let owner_key = key_of(
            &app,
            account_id,
            &owner_email,
            &["users:write", "users:read"],
        )
        .await;
        let no_user = app.api_key(account_id, &["all"]).await;
        let read_only = key_of(&app, account_id, &owner_email, &["users:read"]).await;
        let theirs = key_of(&app, other, &other_email, &["all"]).await;

        let new = r#"{"email": "Nina@Team.test", "name": "Nina", "password": "first password 1"}"#;
        let (status, nina) = app
            .call("POST", "/v1/users", Some(&owner_key), Some(new))
            .await;
        assert_eq!(status, 201, "{nina}");
        assert_eq!(
            (
                nina["email"].clone(),
                nina["role"].clone(),
                nina["active"].clone()
            ),
            (json!("nina@team.test"), json!("sales"), json!(true))
        );
        let nina_id = nina["id"].as_str().unwrap().to_string();
        let (status, err) = app
            .call("POST", "/v1/users", Some(&owner_key), Some(new))
            .await;
        assert!(
            status == 409 || status == 422,
            "the same e-mail twice: {status} {err}"
        );
        let (status, err) = app
            .call(
                "POST",
                "/v1/users",
                Some(&owner_key),
                Some(r#"{"email": "x@team.test"}"#),
            )
            .await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("password"))
        );
        let (status, err) = app
            .call(
                "POST",
                "/v1/users",
                Some(&owner_key),
                Some(r#"{"email": "y@team.test", "password": "first password 1", "role": "boss"}"#),
            )
            .await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("role"))
        );

        let path = format!("/v1/users/{nina_id}");
        let (status, changed) = app
            .call(
                "PATCH",
                &path,
                Some(&owner_key),
                Some(r#"{"role": "admin"}"#),
            )
            .await;
        assert_eq!(
            (status, changed["role"].clone()),
            (200, json!("admin")),
            "{changed}"
        );
        let (status, changed) = app
            .call(
                "PATCH",
                &path,
                Some(&owner_key),
                Some(r#"{"active": false}"#),
            )
            .await;
        assert_eq!(
            (status, changed["active"].clone()),
            (200, json!(false)),
            "{changed}"
        );

        // Who may not: a key for no user, a key without the scope, another account, an
        // admin touching the owner, and the account's last owner turned off.
        let (status, _) = app
            .call("PATCH", &path, Some(&no_user), Some(r#"{"active": true}"#))
            .await;
        assert_eq!(status, 403, "a key that acts for no user");
        let (status, _) = app
            .call(
                "PATCH",
                &path,
                Some(&read_only),
                Some(r#"{"active": true}"#),
            )
            .await;
        assert_eq!(status, 403, "users:read only");
        let (status, _) = app
            .call("PATCH", &path, Some(&theirs), Some(r#"{"active": true}"#))
            .await;
        assert_eq!(status, 404, "another account's user");
        app.call(
            "PATCH",
            &path,
            Some(&owner_key),
            Some(r#"{"active": true}"#),
        )
        .await;
        let nina_key = key_of(
            &app,
            account_id,
            "nina@team.test",
            &["users:write", "users:read"],
        )
        .await;
        let (_, users) = app.call("GET", "/v1/users", Some(&owner_key), None).await;
        let owner_id = users["data"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["role"] == "owner")
            .unwrap()["id"]
            .as_str()
            .unwrap()
            .to_string();
        let (status, _) = app
            .call(
                "PATCH",
                &format!("/v1/users/{owner_id}"),
                Some(&nina_key),
                Some(r#"{"role": "sales"}"#),
            )
            .await;
        assert_eq!(status, 403, "an admin cannot manage the owner");
        let (status, _) = app
            .call(
                "PATCH",
                &format!("/v1/users/{owner_id}"),
                Some(&owner_key),
                Some(r#"{"role": "sales"}"#),
            )
            .await;
        assert_eq!(status, 409, "the account keeps an active owner");
        let (_, users) = app.call("GET", "/v1/users", Some(&owner_key), None).await;
        assert!(
            users["data"]
                .as_array()
                .unwrap()
                .iter()
                .any(|u| u["id"] == json!(owner_id) && u["role"] == "owner"),
            "{users}"
        );
    }
}

#[tokio::test]
async fn an_opportunity_is_deleted_with_what_hangs_on_it_by_whom_may() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, owner_email, _) = app.account("Delete API").await;
        let (other, other_email, _) = app.account("Other delete").await;
        accounts::create_user(
            &app.db,
            account_id,
            "rita@delete.test",
            "Rita",
            "password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let owner = key_of(&app, account_id, &owner_email, &["all"]).await;
        let rita = key_of(&app, account_id, "rita@delete.test", &["all"]).await;
        let theirs = key_of(&app, other, &other_email, &["all"]).await;
        // A subscription to deal.deleted, written as the settings page writes it.
        sqlx::query(
            "INSERT INTO webhook_subscriptions (account_id, uuid, url, events, secret, active, \
             consecutive_failures, created_at, updated_at) \
             VALUES ($1, 'sub-delete', 'https://hooks.example/x', '[\"deal.deleted\"]', 'whsec_x', 1, 0, '2026-01-01T00:00:00.000000Z', '2026-01-01T00:00:00.000000Z')",
        )
        .bind(account_id)
        .execute(&app.db.pool)
        .await
        .unwrap();

        let (_, opp) = app
            .call(
                "POST",
                "/v1/opportunities",
                Some(&owner),
                Some(r#"{"name": "Doomed deal"}"#),
            )
            .await;
        let id = opp["id"].as_str().unwrap().to_string();
        let path = format!("/v1/opportunities/{id}");
        let (status, _) = app
            .call(
                "POST",
                &format!("{path}/notes"),
                Some(&owner),
                Some(r#"{"content": "a note"}"#),
            )
            .await;
        assert_eq!(status, 201);
        let body = json!({"type": "call", "title": "Call them", "opportunity_id": id}).to_string();
        let (status, activity) = app
            .call("POST", "/v1/activities", Some(&owner), Some(&body))
            .await;
        assert_eq!(status, 201, "{activity}");

        let (status, _) = app.call("DELETE", &path, Some(&theirs), None).await;
        assert_eq!(status, 404, "another account's");
        let (status, _) = app.call("DELETE", &path, Some(&rita), None).await;
        assert_eq!(status, 403, "a salesperson who is not responsible for it");
        let (status, _) = app.call("DELETE", &path, Some(&owner), None).await;
        assert_eq!(status, 204);
        let (status, _) = app.call("GET", &path, Some(&owner), None).await;
        assert_eq!(status, 404);
        let (status, _) = app.call("DELETE", &path, Some(&owner), None).await;
        assert_eq!(status, 404, "twice");
        let (activities,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM activities WHERE account_id = $1 AND title = 'Call them'",
        )
        .bind(account_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(activities, 0, "its activities went with it");
        let payloads: Vec<(String, String)> =
            sqlx::query_as("SELECT event, payload FROM webhook_deliveries WHERE account_id = $1")
                .bind(account_id)
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(payloads.len(), 1, "{payloads:?}");
        assert_eq!(payloads[0].0, "deal.deleted");
        assert!(
            payloads[0].1.contains("Doomed deal"),
            "the deal as it was: {}",
            payloads[0].1
        );

        // A salesperson deletes the deals they are responsible for.
        let (_, mine) = app
            .call(
                "POST",
                "/v1/opportunities",
                Some(&rita),
                Some(r#"{"name": "Rita's own"}"#),
            )
            .await;
        let (status, _) = app
            .call(
                "DELETE",
                &format!("/v1/opportunities/{}", mine["id"].as_str().unwrap()),
                Some(&rita),
                None,
            )
            .await;
        assert_eq!(status, 204);
    }
}
