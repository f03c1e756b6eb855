//! The account's configuration and the salespeople's standing through `/v1`, on both databases:
//! settings, lost reasons, activity points, lead sources and trackers (read with the read
//! scopes, changed with `config:manage`), the leaderboard, and notes and activities changed or
//! deleted as on the pages; another account's ids not found.

use serde_json::{json, Value};

use crate::support::{backends, OnBackend, TestApp};

fn field(err: &Value) -> Value {
    err["error"]["field"].clone()
}

#[tokio::test]
async fn settings_lost_reasons_and_points_are_managed_through_the_api() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Settings API").await;
        let (other, _, _) = app.account("Other settings").await;
        let admin = app
            .api_key(
                account_id,
                &[
                    "config:manage",
                    "opportunities:read",
                    "activities:read",
                    "activities:write",
                    "opportunities:write",
                    "users:read",
                ],
            )
            .await;
        let reader = app
            .api_key(account_id, &["opportunities:read", "activities:read"])
            .await;
        let theirs = app.api_key(other, &["all"]).await;

        // Settings: the phone country.
        let (status, err) = app
            .call(
                "PATCH",
                "/v1/settings",
                Some(&admin),
                Some(r#"{"default_country": "XX"}"#),
            )
            .await;
        assert_eq!(
            (status, field(&err)),
            (422, json!("default_country")),
            "{err}"
        );
        let (status, _) = app
            .call(
                "PATCH",
                "/v1/settings",
                Some(&reader),
                Some(r#"{"default_country": "BR"}"#),
            )
            .await;
        assert_eq!(status, 403);
        let (status, set) = app
            .call(
                "PATCH",
                "/v1/settings",
                Some(&admin),
                Some(r#"{"default_country": "br"}"#),
            )
            .await;
        assert_eq!(
            (status, set["default_country"].clone()),
            (200, json!("BR")),
            "{set}"
        );
        let (_, unchanged) = app
            .call("PATCH", "/v1/settings", Some(&admin), Some("{}"))
            .await;
        assert_eq!(unchanged["default_country"], json!("BR"));
        let (_, read) = app.call("GET", "/v1/settings", Some(&reader), None).await;
        assert_eq!(read["default_country"], json!("BR"));
        let (_, cleared) = app
            .call(
                "PATCH",
                "/v1/settings",
                Some(&admin),
                Some(r#"{"default_country": null}"#),
            )
            .await;
        assert_eq!(cleared["default_country"], Value::Null);

        // Lost reasons.
        let (status, price) = app
            .call(
                "POST",
                "/v1/lost-reasons",
                Some(&admin),
                Some(r#"{"name": "Price"}"#),
            )
            .await;
        assert_eq!(status, 201, "{price}");
        let (status, err) = app
            .call(
                "POST",
                "/v1/lost-reasons",
                Some(&admin),
                Some(r#"{"name": "price"}"#),
            )
            .await;
        assert_eq!((status, field(&err)), (422, json!("name")));
        let (_, listed) = app
            .call("GET", "/v1/lost-reasons", Some(&reader), None)
            .await;
        assert!(
            listed["data"]
                .as_array()
                .unwrap()
                .iter()
                .any(|r| r["name"] == "Price"),
            "{listed}"
        );
        let reason = format!("/v1/lost-reasons/{}", price["id"].as_str().unwrap());
        let (status, _) = app.call("DELETE", &reason, Some(&theirs), None).await;
        assert_eq!(status, 404, "another account's reason");
        let (status, _) = app.call("DELETE", &reason, Some(&admin), None).await;
        assert_eq!(status, 204);

        // Points per type, then earned by completing an activity, on the leaderboard.
        let points = "/v1/activities/points";
        for (body, want) in [
            (r#"{"type": "call", "points": 1001}"#, "points"),
            (r#"{"type": "call", "points": null}"#, "points"),
            (r#"{"type": "call"}"#, "points"),
            (r#"{"type": "lunch", "points": 5}"#, "type"),
            (r#"{"points": 5}"#, "type"),
        ] {
            let (status, err) = app.call("PUT", points, Some(&admin), Some(body)).await;
            assert_eq!((status, field(&err)), (422, json!(want)), "{body}: {err}");
        }
        let (status, _) = app
            .call(
                "PUT",
                points,
                Some(&reader),
                Some(r#"{"type": "call", "points": 7}"#),
            )
            .await;
        assert_eq!(status, 403);
        let (status, rules) = app
            .call(
                "PUT",
                points,
                Some(&admin),
                Some(r#"{"type": "call", "points": 7}"#),
            )
            .await;
        assert_eq!(status, 200, "{rules}");
        assert!(
            rules["data"]
                .as_array()
                .unwrap()
                .contains(&json!({"type": "call", "points": 7})),
            "{rules}"
        );
        let (_, read) = app.call("GET", points, Some(&reader), None).await;
        assert_eq!(read, rules);
        let (_, users) = app.call("GET", "/v1/users", Some(&admin), None).await;
        let (status, opp) = app
            .call(
                "POST",
                "/v1/opportunities",
                Some(&admin),
                Some(&json!({"name": "Called", "assigned_to": users["data"][0]["id"]}).to_string()),
            )
            .await;
        assert_eq!(status, 201, "{opp}");
        let (status, call) = app
            .call(
                "POST",
                "/v1/activities",
                Some(&admin),
                Some(
                    &json!({"type": "call", "title": "Intro call", "opportunity_id": opp["id"]})
                        .to_string(),
                ),
            )
            .await;
        assert_eq!(status, 201, "{call}");
        let act = format!("/v1/activities/{}", call["id"].as_str().unwrap());
        let (status, edited) = app
            .call(
                "PATCH",
                &act,
                Some(&admin),
                Some(r#"{"title": "Discovery call", "due_date": "2030-01-02T10:00:00Z"}"#),
            )
            .await;
        assert_eq!(status, 200, "{edited}");
        assert_eq!(
            (edited["title"].clone(), edited["type"].clone()),
            (json!("Discovery call"), json!("call")),
            "{edited}"
        );
        for (body, want) in [
            (r#"{"title": "x", "completed": true}"#, "completed"),
            (r#"{"type": "lunch"}"#, "type"),
            (r#"{"due_date": "soon"}"#, "due_date"),
            (r#"{"opportunity_id": "opp_nope"}"#, "opportunity_id"),
        ] {
            let (status, err) = app.call("PATCH", &act, Some(&admin), Some(body)).await;
            assert_eq!((status, field(&err)), (422, json!(want)), "{body}: {err}");
        }
        let (status, _) = app
            .call("PATCH", &act, Some(&admin), Some(r#"{"completed": true}"#))
            .await;
        assert_eq!(status, 200);
        let (status, board) = app
            .call("GET", "/v1/leaderboard", Some(&reader), None)
            .await;
        assert_eq!(status, 200, "{board}");
        let top = &board["data"][0];
        assert_eq!(
            (top["points_week"].clone(), top["points_all"].clone()),
            (json!(7), json!(7)),
            "{board}"
        );
        assert!(
            top["user_id"].as_str().unwrap().starts_with("user_"),
            "{board}"
        );
        let (status, _) = app.call("DELETE", &act, Some(&theirs), None).await;
        assert_eq!(status, 404, "another account's activity");
        let (status, _) = app.call("DELETE", &act, Some(&admin), None).await;
        assert_eq!(status, 204);
        let (_, board) = app
            .call("GET", "/v1/leaderboard", Some(&reader), None)
            .await;
        assert_eq!(
            board["data"][0]["points_all"],
            json!(0),
            "points go with the activity"
        );
        let (status, _) = app.call("DELETE", &act, Some(&admin), None).await;
        assert_eq!(status, 404);
    }
}

#[tokio::test]
async fn lead_sources_trackers_and_notes_through_the_api() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Sources API").await;
        let (other, _, _) = app.account("Other sources").await;
        let admin = app
            .api_key(
                account_id,
                &["config:manage", "opportunities:read", "opportunities:write"],
            )
            .await;
        let writer = app
            .api_key(account_id, &["opportunities:read", "opportunities:write"])
            .await;
        let theirs = app.api_key(other, &["all"]).await;

        let (status, web) = app
            .call(
                "POST",
                "/v1/lead-sources",
                Some(&admin),
                Some(r#"{"name": "Website"}"#),
            )
            .await;
        assert_eq!(status, 201, "{web}");
        assert!(web["id"].as_str().unwrap().starts_with("src_"));
        let (status, err) = app
            .call(
                "POST",
                "/v1/lead-sources",
                Some(&admin),
                Some(r#"{"name": "Website"}"#),
            )
            .await;
        assert_eq!((status, field(&err)), (422, json!("name")));
        let (status, _) = app
            .call(
                "POST",
                "/v1/lead-sources",
                Some(&writer),
                Some(r#"{"name": "Fair"}"#),
            )
            .await;
        assert_eq!(status, 403);
        for (body, want) in [
            (json!({"code": "has space"}), "code"),
            (json!({"code": ""}), "code"),
            (json!({"code": "x".repeat(101)}), "code"),
            (
                json!({"code": "ok", "lead_source_id": "src_nope"}),
                "lead_source_id",
            ),
        ] {
            let (status, err) = app
                .call(
                    "POST",
                    "/v1/trackers",
                    Some(&admin),
                    Some(&body.to_string()),
                )
                .await;
            assert_eq!((status, field(&err)), (422, json!(want)), "{body}: {err}");
        }
        let (status, tracker) = app
            .call(
                "POST",
                "/v1/trackers",
                Some(&admin),
                Some(&json!({"code": "web-1", "lead_source_id": web["id"]}).to_string()),
            )
            .await;
        assert_eq!(status, 201, "{tracker}");
        assert_eq!(
            (
                tracker["lead_source"].clone(),
                tracker["lead_source_id"].clone()
            ),
            (json!("Website"), web["id"].clone())
        );
        let (status, err) = app
            .call(
                "POST",
                "/v1/trackers",
                Some(&admin),
                Some(r#"{"code": "web-1"}"#),
            )
            .await;
        assert_eq!((status, field(&err)), (422, json!("code")));
        let (_, listed) = app.call("GET", "/v1/trackers", Some(&writer), None).await;
        assert_eq!(listed["data"].as_array().map(Vec::len), Some(1), "{listed}");
        let (_, theirs_listed) = app.call("GET", "/v1/trackers", Some(&theirs), None).await;
        assert_eq!(theirs_listed["data"], json!([]));
        let (status, _) = app
            .call("DELETE", "/v1/trackers/web-1", Some(&theirs), None)
            .await;
        assert_eq!(status, 404);
        let source = format!("/v1/lead-sources/{}", web["id"].as_str().unwrap());
        let (status, _) = app.call("DELETE", &source, Some(&theirs), None).await;
        assert_eq!(status, 404);
        let (status, _) = app.call("DELETE", &source, Some(&admin), None).await;
        assert_eq!(status, 204);
        let (_, listed) = app.call("GET", "/v1/trackers", Some(&writer), None).await;
        assert_eq!(
            listed["data"][0]["lead_source"],
            Value::Null,
            "the tracker keeps no source"
        );
        let (status, _) = app
            .call("DELETE", "/v1/trackers/web-1", Some(&admin), None)
            .await;
        assert_eq!(status, 204);

        // Notes: pinned and deleted as on the deal page.
        let (_, opp) = app
            .call(
                "POST",
                "/v1/opportunities",
                Some(&writer),
                Some(r#"{"name": "Noted"}"#),
            )
            .await;
        let notes = format!("/v1/opportunities/{}/notes", opp["id"].as_str().unwrap());
        let (_, note) = app
            .call(
                "POST",
                &notes,
                Some(&writer),
                Some(r#"{"content": "Asked for a discount"}"#),
            )
            .await;
        let note_path = format!("{notes}/{}", note["id"].as_str().unwrap());
        let (status, err) = app
            .call(
                "PATCH",
                &note_path,
                Some(&writer),
                Some(r#"{"pinned": "yes"}"#),
            )
            .await;
        assert_eq!((status, field(&err)), (422, json!("pinned")), "{err}");
        let (status, pinned) = app
            .call(
                "PATCH",
                &note_path,
                Some(&writer),
                Some(r#"{"pinned": true}"#),
            )
            .await;
        assert_eq!(
            (status, pinned["pinned"].clone()),
            (200, json!(true)),
            "{pinned}"
        );
        let (status, _) = app.call("DELETE", &note_path, Some(&theirs), None).await;
        assert_eq!(status, 404);
        let (status, _) = app.call("DELETE", &note_path, Some(&writer), None).await;
        assert_eq!(status, 204, "a note the key wrote");
        let (_, listed) = app.call("GET", &notes, Some(&writer), None).await;
        assert_eq!(listed["data"], json!([]));
    }
}
