//! `/v1/pipelines` and `/v1/stages` on both databases: pipelines and stages listed with
//! `opportunities:read`, created, renamed, reordered and deleted with `config:manage` by the
//! rules of the settings page; another account's ids not found; bad input a 4xx naming the
//! field.

use serde_json::{json, Value};

use crate::support::{backends, OnBackend, TestApp};

fn keys(pipeline: &Value) -> Vec<String> {
    pipeline["stages"]
        .as_array()
        .map(|s| {
            s.iter()
                .map(|s| s["key"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

#[tokio::test]
async fn pipelines_and_stages_are_managed_through_the_api() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Pipelines API").await;
        let (other, _, _) = app.account("Other pipelines").await;
        let admin = app
            .api_key(
                account_id,
                &["config:manage", "opportunities:read", "opportunities:write"],
            )
            .await;
        let reader = app.api_key(account_id, &["opportunities:read"]).await;
        let theirs = app.api_key(other, &["all"]).await;

        let (status, listed) = app.call("GET", "/v1/pipelines", Some(&reader), None).await;
        assert_eq!(status, 200, "{listed}");
        let primary = listed["data"][0].clone();
        assert_eq!(primary["is_primary"], json!(true), "{listed}");
        assert!(primary["id"].as_str().unwrap().starts_with("pipe_"));
        assert_eq!(primary["stages"][0]["order"], json!(1), "{primary}");

        let (status, _) = app
            .call(
                "POST",
                "/v1/pipelines",
                Some(&reader),
                Some(r#"{"name": "X"}"#),
            )
            .await;
        assert_eq!(status, 403, "creating a pipeline needs config:manage");
        let (status, err) = app
            .call(
                "POST",
                "/v1/pipelines",
                Some(&admin),
                Some(r#"{"name": "  "}"#),
            )
            .await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("name")),
            "{err}"
        );
        let (status, renewals) = app
            .call(
                "POST",
                "/v1/pipelines",
                Some(&admin),
                Some(r#"{"name": "Renewals"}"#),
            )
            .await;
        assert_eq!(status, 201, "{renewals}");
        assert_eq!(keys(&renewals), vec!["new"]);
        let pipe = renewals["id"].as_str().unwrap().to_string();

        let stages = format!("/v1/pipelines/{pipe}/stages");
        for (body, field) in [
            (r#"{"name": "Demo", "probability": 101}"#, "probability"),
            (r#"{"name": "Demo", "key": "Bad Key"}"#, "key"),
            (r#"{"name": "Demo", "rotting_days": 0}"#, "rotting_days"),
            (r#"{"name": "Demo", "probability": "many"}"#, "probability"),
            (r#"{"name": "New"}"#, "key"),
        ] {
            let (status, err) = app.call("POST", &stages, Some(&admin), Some(body)).await;
            assert_eq!(
                (status, err["error"]["field"].clone()),
                (422, json!(field)),
                "{body}: {err}"
            );
        }
        let (status, demo) = app
            .call(
                "POST",
                &stages,
                Some(&admin),
                Some(r#"{"name": "Demo", "probability": 40, "rotting_days": 7}"#),
            )
            .await;
        assert_eq!(status, 201, "{demo}");
        assert_eq!(
            (demo["key"].clone(), demo["order"].clone()),
            (json!("demo"), json!(2))
        );
        let (_, signed) = app
            .call("POST", &stages, Some(&admin), Some(r#"{"name": "Signed"}"#))
            .await;
        let (new_id, demo_id, signed_id) = (
            renewals["stages"][0]["id"].as_str().unwrap().to_string(),
            demo["id"].as_str().unwrap().to_string(),
            signed["id"].as_str().unwrap().to_string(),
        );

        // Reorder: the whole order, each stage once.
        let order = format!("/v1/pipelines/{pipe}/stages/order");
        let (status, err) = app
            .call(
                "PUT",
                &order,
                Some(&admin),
                Some(&json!({"stage_ids": [signed_id, demo_id]}).to_string()),
            )
            .await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("stage_ids")),
            "{err}"
        );
        let (status, err) = app
            .call(
                "PUT",
                &order,
                Some(&admin),
                Some(&json!({"stage_ids": [signed_id, demo_id, "stage_nope"]}).to_string()),
            )
            .await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("stage_ids")),
            "{err}"
        );
        let (status, reordered) = app
            .call(
                "PUT",
                &order,
                Some(&admin),
                Some(&json!({"stage_ids": [signed_id, demo_id, new_id]}).to_string()),
            )
            .await;
        assert_eq!(status, 200, "{reordered}");
        assert_eq!(keys(&reordered), vec!["signed", "demo", "new"]);

        // Change one stage's fields and move it.
        let demo_path = format!("/v1/stages/{demo_id}");
        let (status, changed) = app
            .call(
                "PATCH",
                &demo_path,
                Some(&admin),
                Some(r#"{"name": "Live demo", "rotting_days": null, "order": 1}"#),
            )
            .await;
        assert_eq!(status, 200, "{changed}");
        assert_eq!(
            (
                changed["name"].clone(),
                changed["key"].clone(),
                changed["rotting_days"].clone(),
                changed["order"].clone(),
                changed["probability"].clone()
            ),
            (
                json!("Live demo"),
                json!("demo"),
                Value::Null,
                json!(1),
                json!(40)
            )
        );
        for (body, field) in [
            (r#"{"order": 0}"#, "order"),
            (r#"{"probability": null}"#, "probability"),
        ] {
            let (status, err) = app
                .call("PATCH", &demo_path, Some(&admin), Some(body))
                .await;
            assert_eq!(
                (status, err["error"]["field"].clone()),
                (422, json!(field)),
                "{body}: {err}"
            );
        }

        // A deal in a stage: its stage is deleted only with somewhere for it to go, and the
        // pipeline is not deleted while it holds deals.
        let (status, deal) = app
            .call(
                "POST",
                "/v1/opportunities",
                Some(&admin),
                Some(r#"{"name": "Renewal Acme", "value": 100}"#),
            )
            .await;
        assert_eq!(status, 201, "{deal}");
        let opp = deal["id"].as_str().unwrap().to_string();
        let (status, moved) = app
            .call(
                "POST",
                &format!("/v1/opportunities/{opp}/move"),
                Some(&admin),
                Some(&json!({"stage_id": demo_id}).to_string()),
            )
            .await;
        assert_eq!(
            (status, moved["stage"].clone()),
            (200, json!("demo")),
            "{moved}"
        );
        let (status, err) = app.call("DELETE", &demo_path, Some(&admin), None).await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("move_to")),
            "{err}"
        );
        let (status, err) = app
            .call(
                "DELETE",
                &format!("/v1/pipelines/{pipe}"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(status, 409, "{err}");
        let (status, _) = app
            .call(
                "DELETE",
                &format!("{demo_path}?move_to={signed_id}"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(status, 204);
        let (_, after) = app
            .call(
                "GET",
                &format!("/v1/opportunities/{opp}"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(after["stage"], json!("signed"), "{after}");

        // Another account sees none of it.
        for (method, path) in [
            ("GET", format!("/v1/pipelines/{pipe}")),
            ("PATCH", format!("/v1/pipelines/{pipe}")),
            ("DELETE", format!("/v1/pipelines/{pipe}")),
            ("POST", stages.clone()),
            ("PATCH", format!("/v1/stages/{signed_id}")),
            ("DELETE", format!("/v1/stages/{signed_id}")),
        ] {
            let (status, _) = app
                .call(method, &path, Some(&theirs), Some(r#"{"name": "Theirs"}"#))
                .await;
            assert_eq!(status, 404, "{method} {path} with another account's key");
        }

        // The primary pipeline stays; an empty one goes with its stages.
        let primary_id = primary["id"].as_str().unwrap();
        let (status, _) = app
            .call(
                "DELETE",
                &format!("/v1/pipelines/{primary_id}"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(status, 409, "the primary pipeline is not deleted");
        let (status, renamed) = app
            .call(
                "PATCH",
                &format!("/v1/pipelines/{pipe}"),
                Some(&admin),
                Some(r#"{"name": "Renewals 2027"}"#),
            )
            .await;
        assert_eq!(
            (status, renamed["name"].clone()),
            (200, json!("Renewals 2027"))
        );
        let (_, empty) = app
            .call(
                "POST",
                "/v1/pipelines",
                Some(&admin),
                Some(r#"{"name": "Scratch"}"#),
            )
            .await;
        let scratch = empty["id"].as_str().unwrap();
        let (status, _) = app
            .call(
                "DELETE",
                &format!("/v1/pipelines/{scratch}"),
                Some(&admin),
                None,
            )
            .await;
        assert_eq!(status, 204);
        let (_, listed) = app.call("GET", "/v1/pipelines", Some(&reader), None).await;
        let names: Vec<&str> = listed["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names.len(), 2, "{listed}");
        assert!(
            names.contains(&"Renewals 2027") && !names.contains(&"Scratch"),
            "{listed}"
        );
    }
}
