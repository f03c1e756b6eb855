//! Quotes, product lines, moves and reopening through `/v1`, on both databases: a quote made
//! with items or from the opportunity's products, priced by the server, changed while a draft,
//! sent (which needs the client's e-mail), answered on the portal and closed; the same rules
//! and status codes as the pages; another account's ids not found.

use serde_json::{json, Value};

use crate::support::{backends, OnBackend, TestApp};

/// Creates a contact with an e-mail address and an opportunity for them; returns the
/// opportunity's id.
async fn client_opportunity(app: &TestApp, key: &str, email: Option<&str>) -> String {
    let (status, contact) = app
        .call(
            "POST",
            "/v1/contacts",
            Some(key),
            Some(&json!({"name": "Marta Client", "email": email}).to_string()),
        )
        .await;
    assert_eq!(status, 201, "{contact}");
    let (status, opp) = app
        .call(
            "POST",
            "/v1/opportunities",
            Some(key),
            Some(
                &json!({"name": "Acme renewal", "value": 1000, "lead_id": contact["id"]})
                    .to_string(),
            ),
        )
        .await;
    assert_eq!(status, 201, "{opp}");
    opp["id"].as_str().unwrap().to_string()
}

#[tokio::test]
async fn quotes_are_made_sent_and_closed_through_the_api() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Quotes API").await;
        let (other, _, _) = app.account("Other quotes").await;
        let key = app
            .api_key(
                account_id,
                &[
                    "opportunities:read",
                    "opportunities:write",
                    "contacts:write",
                    "config:manage",
                ],
            )
            .await;
        let reader = app.api_key(account_id, &["opportunities:read"]).await;
        let theirs = app.api_key(other, &["all"]).await;
        let opp = client_opportunity(&app, &key, Some("marta@client.test")).await;
        let quotes = format!("/v1/opportunities/{opp}/quotes");

        // Bad items name the field; a reader may not write.
        for (body, field) in [
            (
                json!({"items": [{"product_name": "", "unit_price": 10}]}),
                "items[0].product_name",
            ),
            (
                json!({"items": [{"product_name": "Seat", "unit_price": -1}]}),
                "items[0].unit_price",
            ),
            (
                json!({"items": [{"product_name": "Seat", "unit_price": 10, "discount_pct": 101}]}),
                "items[0].discount_pct",
            ),
            (
                json!({"items": [{"product_name": "Seat", "unit_price": 10, "quantity": 0}]}),
                "items[0].quantity",
            ),
            (
                json!({"items": [{"product_name": "Seat", "unit_price": [1]}]}),
                "items[0].unit_price",
            ),
            (json!({"items": []}), "items"),
            (json!({"from_products": true}), "items"),
        ] {
            let (status, err) = app
                .call("POST", &quotes, Some(&key), Some(&body.to_string()))
                .await;
            assert_eq!(status, 422, "{body}: {err}");
            assert!(
                err["error"]["field"]
                    .as_str()
                    .unwrap_or_default()
                    .starts_with(field),
                "{body}: {err}"
            );
        }
        let (status, _) = app
            .call(
                "POST",
                &quotes,
                Some(&reader),
                Some(r#"{"items": [{"product_name": "x", "unit_price": 1}]}"#),
            )
            .await;
        assert_eq!(status, 403);

        // Items typed: the server prices them.
        let body = json!({"items": [
            {"product_name": "Seat licence", "model": "PRO", "unit_price": 120, "quantity": 10, "discount_pct": 12.5},
            {"product_name": "Onboarding", "unit_price": "300.00"}
        ], "tax": 50, "shipping": "10", "notes": "Annual", "valid_until": "2099-12-31"});
        let (status, quote) = app
            .call("POST", &quotes, Some(&key), Some(&body.to_string()))
            .await;
        assert_eq!(status, 201, "{quote}");
        assert!(
            quote["id"].as_str().unwrap().starts_with("quote_"),
            "{quote}"
        );
        assert_eq!(quote["opportunity_id"], json!(opp));
        assert_eq!(quote["status"], json!("GENERATED"));
        assert_eq!(quote["items"][0]["line_total"], json!(1050.0), "{quote}");
        assert_eq!(quote["items"][0]["discount_pct"], json!("12.5"));
        assert_eq!(
            (quote["subtotal"].clone(), quote["total"].clone()),
            (json!(1350.0), json!(1410.0)),
            "{quote}"
        );
        assert_eq!(quote["client_email"], json!("marta@client.test"));
        assert!(
            quote["portal_url"].as_str().unwrap().contains("/q/"),
            "{quote}"
        );
        let path = format!("/v1/quotes/{}", quote["id"].as_str().unwrap());

        // A draft's items change; then it is sent, and no longer changes.
        let (status, changed) = app
            .call("PUT", &path, Some(&key), Some(r#"{"items": [{"product_name": "Seat licence", "unit_price": 100, "quantity": 2}]}"#))
            .await;
        assert_eq!(
            (status, changed["total"].clone()),
            (200, json!(200.0)),
            "{changed}"
        );
        let (status, sent) = app
            .call("POST", &format!("{path}/send"), Some(&key), None)
            .await;
        assert_eq!(
            (status, sent["status"].clone()),
            (200, json!("SENT")),
            "{sent}"
        );
        assert!(sent["sent_at"].is_string(), "{sent}");
        let (status, _) = app
            .call(
                "PUT",
                &path,
                Some(&key),
                Some(r#"{"items": [{"product_name": "x", "unit_price": 1}]}"#),
            )
            .await;
        assert_eq!(status, 409, "a sent quote's items stay");
        let emails: Vec<(String,)> =
            sqlx::query_as("SELECT to_address FROM outgoing_emails WHERE account_id = $1")
                .bind(account_id)
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(emails, vec![("marta@client.test".to_string(),)]);

        // The client accepts on the portal; the API reads the answer.
        let token = sent["portal_url"]
            .as_str()
            .unwrap()
            .rsplit('/')
            .next()
            .unwrap()
            .to_string();
        let (status, _) = app
            .rpc(&app.client(), "portal_accept_quote", &[("token", token)])
            .await;
        assert!(status < 400, "portal accept: {status}");
        let (status, read) = app.call("GET", &path, Some(&reader), None).await;
        assert_eq!(
            (status, read["status"].clone()),
            (200, json!("ACCEPTED")),
            "{read}"
        );
        let (status, _) = app
            .call("POST", &format!("{path}/send"), Some(&key), None)
            .await;
        assert_eq!(status, 409, "an accepted quote is not sent again");
        let (status, won) = app
            .call("POST", &format!("{path}/won"), Some(&key), None)
            .await;
        assert_eq!((status, won["status"].clone()), (200, json!("WON")));
        let (status, _) = app
            .call("POST", &format!("{path}/lost"), Some(&key), None)
            .await;
        assert_eq!(status, 409, "a won quote is not lost");

        // Labels: one of the account's, by id.
        let label: i64 = sqlx::query_as::<_, (i64,)>(
            "INSERT INTO labels (account_id, uuid, name, color, created_at) \
             VALUES ($1, 'f2b9c6de-0000-4000-8000-000000000001', 'Priority', '#f00', '2026-01-01T00:00:00Z') RETURNING id",
        )
        .bind(account_id)
        .fetch_one(&app.db.pool)
        .await
        .map(|(id,)| id)
        .unwrap();
        let (status, labelled) = app
            .call("PUT", &format!("{path}/labels/{label}"), Some(&key), None)
            .await;
        assert_eq!(status, 200, "{labelled}");
        assert_eq!(labelled["labels"][0]["name"], json!("Priority"));
        let (status, err) = app
            .call("PUT", &format!("{path}/labels/abc"), Some(&key), None)
            .await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("label_id"))
        );
        let (status, unlabelled) = app
            .call(
                "DELETE",
                &format!("{path}/labels/{label}"),
                Some(&key),
                None,
            )
            .await;
        assert_eq!((status, unlabelled["labels"].clone()), (200, json!([])));

        // A quote from the opportunity's product lines.
        let (_, product) = app
            .call(
                "POST",
                "/v1/products",
                Some(&key),
                Some(r#"{"name": "Support plan", "unit_amount": 49.9}"#),
            )
            .await;
        let lines = format!("/v1/opportunities/{opp}/products");
        for (body, field) in [
            (json!({"product_id": "product_nope"}), "product_id"),
            (
                json!({"product_id": product["id"], "quantity": 0}),
                "quantity",
            ),
            (
                json!({"product_id": product["id"], "unit_amount": -3}),
                "unit_amount",
            ),
        ] {
            let (status, err) = app
                .call("POST", &lines, Some(&key), Some(&body.to_string()))
                .await;
            assert_eq!(
                (status, err["error"]["field"].clone()),
                (422, json!(field)),
                "{body}: {err}"
            );
        }
        let (status, line) = app
            .call(
                "POST",
                &lines,
                Some(&key),
                Some(&json!({"product_id": product["id"], "quantity": 3}).to_string()),
            )
            .await;
        assert_eq!(status, 201, "{line}");
        assert_eq!(
            (line["total_amount"].clone(), line["product_name"].clone()),
            (json!(149.7), json!("Support plan"))
        );
        let (status, listed) = app.call("GET", &lines, Some(&reader), None).await;
        assert_eq!(
            (status, listed["data"].as_array().map(Vec::len)),
            (200, Some(1))
        );
        let (status, from_products) = app
            .call(
                "POST",
                &quotes,
                Some(&key),
                Some(r#"{"from_products": true}"#),
            )
            .await;
        assert_eq!(status, 201, "{from_products}");
        assert_eq!(
            from_products["items"][0]["product_name"],
            json!("Support plan")
        );
        assert_eq!(from_products["total"], json!(149.7));
        let (status, listed) = app.call("GET", &quotes, Some(&reader), None).await;
        assert_eq!(status, 200);
        let numbers: Vec<i64> = listed["data"]
            .as_array()
            .unwrap()
            .iter()
            .map(|q| q["number"].as_i64().unwrap())
            .collect();
        assert_eq!(numbers.len(), 2);
        assert!(numbers[0] > numbers[1], "newest first: {numbers:?}");
        let line_path = format!("{lines}/{}", line["id"].as_str().unwrap());
        let (status, _) = app.call("DELETE", &line_path, Some(&key), None).await;
        assert_eq!(status, 204);
        let (status, _) = app.call("DELETE", &line_path, Some(&key), None).await;
        assert_eq!(status, 404);

        // Another account's key finds none of it.
        for (method, p) in [
            ("GET", path.clone()),
            ("PUT", path.clone()),
            ("POST", format!("{path}/send")),
            ("POST", format!("{path}/won")),
            ("GET", quotes.clone()),
            ("POST", quotes.clone()),
            ("GET", lines.clone()),
        ] {
            let (status, _) = app
                .call(
                    method,
                    &p,
                    Some(&theirs),
                    Some(r#"{"items": [{"product_name": "x", "unit_price": 1}]}"#),
                )
                .await;
            assert_eq!(status, 404, "{method} {p}");
        }
    }
}

#[tokio::test]
async fn a_quote_without_a_client_email_is_not_sent() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("No e-mail").await;
        let key = app
            .api_key(
                account_id,
                &[
                    "opportunities:read",
                    "opportunities:write",
                    "contacts:write",
                ],
            )
            .await;
        let opp = client_opportunity(&app, &key, None).await;
        let (_, quote) = app
            .call(
                "POST",
                &format!("/v1/opportunities/{opp}/quotes"),
                Some(&key),
                Some(r#"{"items": [{"product_name": "Seat", "unit_price": 10}]}"#),
            )
            .await;
        let path = format!("/v1/quotes/{}/send", quote["id"].as_str().unwrap());
        let (status, err) = app.call("POST", &path, Some(&key), None).await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("client_email")),
            "{err}"
        );
    }
}

#[tokio::test]
async fn opportunities_move_reopen_and_read_back_what_the_intake_stored() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Moves API").await;
        let key = app
            .api_key(
                account_id,
                &[
                    "opportunities:read",
                    "opportunities:write",
                    "deals:write",
                    "config:manage",
                ],
            )
            .await;
        let (_, pipelines) = app.call("GET", "/v1/pipelines", Some(&key), None).await;
        let stages: Vec<Value> = pipelines["data"][0]["stages"].as_array().unwrap().clone();
        let second = stages[1]["id"].as_str().unwrap().to_string();
        let mut opps = Vec::new();
        for name in ["One", "Two", "Three"] {
            let (_, opp) = app
                .call(
                    "POST",
                    "/v1/opportunities",
                    Some(&key),
                    Some(&json!({"name": name}).to_string()),
                )
                .await;
            let id = opp["id"].as_str().unwrap().to_string();
            let (status, moved) = app
                .call(
                    "POST",
                    &format!("/v1/opportunities/{id}/move"),
                    Some(&key),
                    Some(&json!({"stage_id": second}).to_string()),
                )
                .await;
            assert_eq!(
                (status, moved["stage"].clone()),
                (200, stages[1]["key"].clone()),
                "{moved}"
            );
            opps.push(id);
        }
        // "Three" goes first, then "One" right before "Two".
        let (status, _) = app
            .call(
                "POST",
                &format!("/v1/opportunities/{}/move", opps[2]),
                Some(&key),
                Some(&json!({"stage_id": second, "position": 1}).to_string()),
            )
            .await;
        assert_eq!(status, 200);
        let order: Vec<(String,)> =
            sqlx::query_as("SELECT title FROM deals WHERE account_id = $1 ORDER BY position")
                .bind(account_id)
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(
            order.into_iter().map(|(t,)| t).collect::<Vec<_>>(),
            vec!["Three", "One", "Two"]
        );
        for (body, field) in [
            (json!({"stage_id": "stage_nope"}), "stage_id"),
            (json!({"stage_id": second, "position": 0}), "position"),
            (
                json!({"stage_id": second, "position": 1, "before": opps[1]}),
                "position",
            ),
            (json!({"stage_id": second, "before": "opp_nope"}), "before"),
        ] {
            let (status, err) = app
                .call(
                    "POST",
                    &format!("/v1/opportunities/{}/move", opps[0]),
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

        // Reopen: only a closed one.
        let one = format!("/v1/opportunities/{}", opps[0]);
        let (status, err) = app
            .call("POST", &format!("{one}/reopen"), Some(&key), None)
            .await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("status")),
            "{err}"
        );
        let (status, _) = app
            .call(
                "POST",
                &format!("{one}/close"),
                Some(&key),
                Some(r#"{"status": "won", "final_value": 900, "close_notes": "Signed"}"#),
            )
            .await;
        assert_eq!(status, 200);
        let (status, reopened) = app
            .call("POST", &format!("{one}/reopen"), Some(&key), None)
            .await;
        assert_eq!(status, 200, "{reopened}");
        assert_eq!(
            (reopened["status"].clone(), reopened["final_value"].clone()),
            (json!("open"), Value::Null),
            "{reopened}"
        );

        // What the intake stored is read back on the opportunity.
        let (status, tracker_source) = app
            .call(
                "POST",
                "/v1/lead-sources",
                Some(&key),
                Some(r#"{"name": "Spring fair"}"#),
            )
            .await;
        assert_eq!(status, 201, "{tracker_source}");
        let (status, tracker) = app
            .call(
                "POST",
                "/v1/trackers",
                Some(&key),
                Some(
                    &json!({"code": "fair-2027", "lead_source_id": tracker_source["id"]})
                        .to_string(),
                ),
            )
            .await;
        assert_eq!(status, 201, "{tracker}");
        let lead = json!({
            "title": "Fair lead",
            "person": {"name": "Rui"},
            "marketing": {"utm_source": "fair", "wegly_code": "fair-2027"},
            "custom_fields": [{"key": "seats", "value": "50"}],
        });
        let (status, created) = app
            .call(
                "POST",
                "/integrations/external/deals",
                Some(&key),
                Some(&lead.to_string()),
            )
            .await;
        assert!(status == 200 || status == 201, "{created}");
        let uuid: (String,) =
            sqlx::query_as("SELECT uuid FROM deals WHERE account_id = $1 AND title = 'Fair lead'")
                .bind(account_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        let (status, read) = app
            .call(
                "GET",
                &format!("/v1/opportunities/opp_{}", uuid.0.replace('-', "")),
                Some(&key),
                None,
            )
            .await;
        assert_eq!(status, 200, "{read}");
        assert_eq!(read["lead_source"], json!("Spring fair"), "{read}");
        assert_eq!(read["marketing"]["utm_source"], json!("fair"), "{read}");
        assert_eq!(read["custom_attributes"], json!({"seats": "50"}), "{read}");
        let attribute = format!(
            "/v1/opportunities/opp_{}/attributes/seats",
            uuid.0.replace('-', "")
        );
        let (status, set) = app
            .call("PUT", &attribute, Some(&key), Some(r#"{"value": "60"}"#))
            .await;
        assert_eq!(
            (status, set["custom_attributes"].clone()),
            (200, json!({"seats": "60"})),
            "{set}"
        );
        let (status, err) = app
            .call(
                "PUT",
                &attribute,
                Some(&key),
                Some(&json!({"value": "x".repeat(501)}).to_string()),
            )
            .await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("value")),
            "{err}"
        );
        let (status, removed) = app.call("DELETE", &attribute, Some(&key), None).await;
        assert_eq!(
            (status, removed["custom_attributes"].clone()),
            (200, json!({})),
            "{removed}"
        );
    }
}
