//! Hardening, on SQLite and PostgreSQL: sign-in lockout after repeated failures, liveness and
//! readiness probes, and refusal of cross-site state changes.

use crate::support::{backends, TestApp};

#[tokio::test]
async fn repeated_failed_sign_ins_lock_the_email_for_a_while() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (_, email, password) = app.account("Locked").await;
        let (_, other_email, other_password) = app.account("Unlocked").await;
        let client = app.client();
        for i in 0..5 {
            let res = app.login(&client, &email, "not the password").await;
            assert_eq!(res.status().as_u16(), 422, "failure {i}");
            assert!(res
                .text()
                .await
                .unwrap()
                .contains("wrong e-mail or password"));
        }
        // Locked now, even with the right password; the message says for how long.
        let res = app.login(&client, &email, &password).await;
        assert_eq!(res.status().as_u16(), 429);
        let text = res.text().await.unwrap();
        assert!(
            text.contains("too many failed sign-ins") && text.contains("15 minutes"),
            "{text}"
        );
        // Without JavaScript the login page says so.
        let res = client
            .post(app.url("/rpc/login"))
            .header("accept", "text/html")
            .form(&[("email", email.as_str()), ("password", password.as_str())])
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["location"], "/login?locked=1");
        // Other e-mails are not affected.
        app.signed_in(&other_email, &other_password).await;
        // Once the window has passed, the right password works; the failures stay on record
        // (a success never erases the evidence of a burst).
        sqlx::query("UPDATE login_throttle SET window_start = $1 WHERE scope LIKE $2")
            .bind("2000-01-01T00:00:00.000000Z")
            .bind(format!("%{email}"))
            .execute(&app.db.pool)
            .await
            .unwrap();
        app.signed_in(&email, &password).await;
        let (left,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM login_failures WHERE email = $1")
                .bind(&email)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(left, 5);
    }
}

#[tokio::test]
async fn probes_and_cross_site_requests() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let client = app.client();
        for (path, body) in [("/healthz", "ok"), ("/readyz", "ready")] {
            let res = client.get(app.url(path)).send().await.unwrap();
            assert_eq!(res.status().as_u16(), 200, "{path}");
            // Every answer names its request (made here, or the caller's own id echoed).
            let id = res.headers()["x-request-id"].to_str().unwrap().to_string();
            assert_eq!(id.len(), 36, "{id}");
            assert_eq!(res.text().await.unwrap(), body);
        }
        let res = client
            .get(app.url("/healthz"))
            .header("x-request-id", "trace-me-42")
            .send()
            .await
            .unwrap();
        assert_eq!(res.headers()["x-request-id"], "trace-me-42");

        let (_, email, password) = app.account("Csrf").await;
        let host = app.base.trim_start_matches("http://").to_string();
        let login = |origin: Option<&str>, fetch_site: Option<&str>| {
            let mut req = client
                .post(app.url("/rpc/login"))
                .header("accept", "application/json")
                .form(&[("email", email.as_str()), ("password", password.as_str())]);
            if let Some(o) = origin {
                req = req.header("origin", o);
            }
            if let Some(f) = fetch_site {
                req = req.header("sec-fetch-site", f);
            }
            req.send()
        };
        // Another site's form or script is refused before anything happens.
        let res = login(Some("https://evil.example"), None).await.unwrap();
        assert_eq!(res.status().as_u16(), 403);
        assert_eq!(res.text().await.unwrap(), "cross-site request refused");
        let res = login(None, Some("cross-site")).await.unwrap();
        assert_eq!(res.status().as_u16(), 403);
        // The app's own pages (same origin) and clients that send no Origin work.
        let res = login(Some(&format!("http://{host}")), Some("same-origin"))
            .await
            .unwrap();
        assert!(res.status().is_success(), "{}", res.status());
        let res = login(None, None).await.unwrap();
        assert!(res.status().is_success(), "{}", res.status());
        // The JSON API answers with its own checks (here: no key → 401), not this guard.
        let res = client
            .post(app.url("/v1/opportunities"))
            .header("origin", "https://evil.example")
            .header("content-type", "application/json")
            .body("{}")
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 401);
    }
}

#[tokio::test]
async fn server_function_errors_carry_code_field_and_message() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (_, email, password) = app.account("Errors").await;
        let json = |body: &str| serde_json::from_str::<serde_json::Value>(body).expect(body);
        let anon = app.client();
        let (status, body) = app.rpc(&anon, "move_deal", &[]).await;
        assert_eq!(status, 401);
        assert_eq!(
            json(&body),
            serde_json::json!({"code": "UNAUTHORIZED", "message": "authentication required"})
        );
        let client = app.signed_in(&email, &password).await;
        let quick_add = [
            ("stage_id", "1".to_string()),
            ("title", "Big one".into()),
            ("value", "12.345".into()),
        ];
        let (status, body) = app.rpc(&client, "quick_add_deal", &quick_add).await;
        assert_eq!(status, 422, "{body}");
        let error = json(&body);
        assert_eq!(error["code"], "VALIDATION_ERROR");
        assert_eq!(error["field"], "value");
        assert!(
            error["message"].as_str().unwrap().contains("2 decimals"),
            "{body}"
        );
        let (status, body) = app
            .rpc(&client, "move_deal", &[("deal_id", "abc".into())])
            .await;
        assert_eq!(status, 400, "{body}");
        assert_eq!(json(&body)["code"], "INVALID_ARGUMENTS");
        // A form posted without JavaScript shows the answer itself: the message as text.
        let res = client
            .post(app.url("/rpc/quick_add_deal"))
            .header("accept", "text/html")
            .header("referer", app.url("/"))
            .form(&quick_add)
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), 422);
        assert!(res.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/plain"));
        let text = res.text().await.unwrap();
        assert!(
            text.starts_with("value: ") && text.contains("2 decimals"),
            "{text}"
        );
    }
}
