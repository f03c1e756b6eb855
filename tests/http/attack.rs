//! What an attacker or a careless client tries, on SQLite and PostgreSQL: parallel password
//! guessing, floods, crafted input (NUL bytes, huge lists, extreme numbers), open redirects,
//! path tricks, readiness of a read-only database, security headers and the upsert of an
//! unknown id.

use std::net::IpAddr;

use dealflow::domain::AccountId;
use dealflow::server::db::Db;
use dealflow::server::guard::{Family, Guard};
use serde_json::{json, Value};

use crate::support::{backend_urls, backends, OnBackend, TestApp};

/// A guard that believes `X-Forwarded-For` from the test client (loopback) and has the given
/// budgets, so a test can speak from any address.
fn behind_proxy(budgets: &[(Family, u32)]) -> Guard {
    Guard::new(vec!["127.0.0.1".parse().expect("block")], budgets)
}

/// Posts the login form from `client_ip` (through the trusted proxy).
async fn login_from(app: &TestApp, client_ip: &str, email: &str, password: &str) -> (u16, String) {
    let res = app
        .client()
        .post(app.url("/rpc/login"))
        .header("accept", "application/json")
        .header("x-forwarded-for", client_ip)
        .form(&[("email", email), ("password", password)])
        .send()
        .await
        .expect("login");
    let status = res.status().as_u16();
    (status, res.text().await.unwrap_or_default())
}

/// A GET of `path` exactly as written, over a plain connection; the whole answer.
async fn raw_get(app: &TestApp, path: &str) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let host = app.base.trim_start_matches("http://");
    let mut conn = tokio::net::TcpStream::connect(host).await.expect("connect");
    let request = format!("GET {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n\r\n");
    conn.write_all(request.as_bytes()).await.expect("write");
    let mut answer = Vec::new();
    conn.read_to_end(&mut answer).await.expect("read");
    String::from_utf8_lossy(&answer).into_owned()
}

async fn failures_kept(db: &Db, email: &str) -> i64 {
    let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM login_failures WHERE email = $1")
        .bind(email)
        .fetch_one(&db.pool)
        .await
        .expect("count");
    n
}

#[tokio::test]
async fn parallel_guesses_get_at_most_five_evaluated_and_a_success_erases_nothing() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start_guarded(db.clone(), behind_proxy(&[])).await;
        let (_, email, password) = app.account("Burst").await;
        // 63 wrong passwords and the right one, all at once, from one address.
        let attempts = (0..64).map(|i| {
            let (app, email) = (&app, email.clone());
            let guess = if i == 40 {
                password.clone()
            } else {
                format!("wrong-{i}")
            };
            async move { login_from(app, "203.0.113.7", &email, &guess).await }
        });
        let answers = futures_util::future::join_all(attempts).await;
        let evaluated = answers.iter().filter(|(s, _)| *s != 429).count();
        let refused = answers.iter().filter(|(s, _)| *s == 429).count();
        assert!(
            evaluated <= 5,
            "{evaluated} of 64 parallel sign-ins were evaluated: {:?}",
            answers.iter().map(|(s, _)| *s).collect::<Vec<_>>()
        );
        assert_eq!(evaluated + refused, 64);
        // Whatever happened to the right password, the wrong ones stay on record and keep the
        // address locked out.
        let failed = answers.iter().filter(|(s, _)| *s == 422).count() as i64;
        assert_eq!(failures_kept(&app.db, &email).await, failed);
        let (status, text) = login_from(&app, "203.0.113.7", &email, &password).await;
        assert_eq!(status, 429, "{text}");
        // The stranger's burst does not lock the salesperson out from their own address.
        let (status, text) = login_from(&app, "198.51.100.20", &email, &password).await;
        assert!(
            status == 200 || (300..400).contains(&status),
            "{status} {text}"
        );
        assert_eq!(
            failures_kept(&app.db, &email).await,
            failed,
            "a success erases nothing"
        );
    }
}

#[tokio::test]
async fn unknown_emails_are_locked_like_known_ones_and_leave_no_failure_rows() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start_guarded(db.clone(), behind_proxy(&[])).await;
        let (_, known, _) = app.account("Known").await;
        let unknown = "nobody-here@example.test";
        for email in [known.as_str(), unknown] {
            let mut statuses = Vec::new();
            for i in 0..7 {
                let (status, _) =
                    login_from(&app, "192.0.2.44", email, &format!("guess-{i}")).await;
                statuses.push(status);
            }
            // The same answers whether the e-mail exists or not: nothing to enumerate.
            assert_eq!(statuses, [422, 422, 422, 422, 422, 429, 429], "{email}");
        }
        assert_eq!(failures_kept(&app.db, &known).await, 5);
        assert_eq!(failures_kept(&app.db, unknown).await, 0);
        // Spread over many addresses, one e-mail still gets a bounded number of guesses.
        let mut evaluated = 0;
        for i in 0..40 {
            let (status, _) = login_from(&app, &format!("10.9.0.{i}"), unknown, "x").await;
            if status != 429 {
                evaluated += 1;
            }
        }
        assert!(
            evaluated <= 20,
            "{evaluated} guesses evaluated across addresses"
        );
    }
}

#[tokio::test]
async fn each_family_of_routes_has_its_own_budget_per_address() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let guard = behind_proxy(&[
            (Family::SignIn, 3),
            (Family::Api, 4),
            (Family::Intake, 2),
            (Family::Portal, 2),
        ]);
        let app = TestApp::start_guarded(db.clone(), guard).await;
        let (account_id, email, _) = app.account("Limits").await;
        let key = app.api_key(account_id, &["deals:read"]).await;
        let call = |ip: &'static str, path: &'static str| {
            let (app, key) = (&app, key.clone());
            async move {
                app.client()
                    .get(app.url(path))
                    .header("authorization", format!("Bearer {key}"))
                    .header("x-forwarded-for", ip)
                    .send()
                    .await
                    .expect("call")
            }
        };
        for _ in 0..4 {
            let res = call("203.0.113.1", "/v1/opportunities").await;
            assert_ne!(res.status().as_u16(), 429);
        }
        let res = call("203.0.113.1", "/v1/opportunities").await;
        assert_eq!(res.status().as_u16(), 429);
        let wait: u64 = res.headers()["retry-after"]
            .to_str()
            .expect("text")
            .parse()
            .expect("seconds");
        assert!((1..=60).contains(&wait), "{wait}");
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["error"]["code"], "RATE_LIMITED");
        // The stage-update surface answers in its own shape.
        let res = call("203.0.113.1", "/external/v1/opportunities/opp_x/stage").await;
        assert_eq!(res.status().as_u16(), 429);
        let body: Value = res.json().await.expect("json");
        assert_eq!(
            (body["success"].clone(), body["error"]["code"].clone()),
            (json!(false), json!("RATE_LIMITED"))
        );
        // Another address has its own budget; other families are not spent by the API.
        assert_ne!(
            call("203.0.113.2", "/v1/opportunities")
                .await
                .status()
                .as_u16(),
            429
        );
        for i in 0..3 {
            let (status, _) = login_from(&app, "203.0.113.1", &email, &format!("w{i}")).await;
            assert_eq!(status, 422);
        }
        let (status, _) = login_from(&app, "203.0.113.1", &email, "w").await;
        assert_eq!(status, 429);
        // The login page itself is not a sign-in.
        let page = app
            .client()
            .get(app.url("/login"))
            .header("x-forwarded-for", "203.0.113.1")
            .send()
            .await
            .expect("page");
        assert_eq!(page.status().as_u16(), 200);
        for _ in 0..2 {
            assert_ne!(
                call("203.0.113.1", "/q/unknown-token")
                    .await
                    .status()
                    .as_u16(),
                429
            );
        }
        assert_eq!(
            call("203.0.113.1", "/q/unknown-token")
                .await
                .status()
                .as_u16(),
            429
        );
        // A client that is not the trusted proxy cannot pick its address: without the proxy
        // in front, X-Forwarded-For is ignored and the peer (loopback) is the client.
        let direct =
            TestApp::start_guarded(db.clone(), Guard::new(vec![], &[(Family::Api, 2)])).await;
        let mut statuses = Vec::new();
        for i in 0..3 {
            let res = direct
                .client()
                .get(direct.url("/v1/opportunities"))
                .header("x-forwarded-for", format!("198.18.0.{i}"))
                .send()
                .await
                .expect("call");
            statuses.push(res.status().as_u16());
        }
        assert_eq!(statuses, [401, 401, 429]);
    }
}

#[tokio::test]
async fn next_after_sign_in_never_leaves_the_site() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (_, email, password) = app.account("Redirect").await;
        for (next, expected) in [
            ("/\\evil.test/x", "/"),
            ("/\t/evil.test", "/"),
            ("//evil.test", "/"),
            ("https://evil.test/", "/"),
            ("/%5Cevil.test", "/%5Cevil.test"),
            ("/activities?when=today", "/activities?when=today"),
        ] {
            let res = app
                .client()
                .post(app.url("/rpc/login"))
                .header("accept", "text/html")
                .form(&[
                    ("email", email.as_str()),
                    ("password", &password),
                    ("next", next),
                ])
                .send()
                .await
                .expect("login");
            let location = res.headers()["location"]
                .to_str()
                .expect("text")
                .to_string();
            assert_eq!(location, expected, "next={next:?}");
        }
    }
}

#[tokio::test]
async fn dot_segments_are_resolved_before_the_login_guard_decides() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        // Sent as written (an HTTP client library would resolve the dots itself).
        for path in ["/pkg/../settings", "/pkg/%2e%2e/settings", "/q/../settings"] {
            let answer = raw_get(&app, path).await;
            let head = answer
                .split("\r\n\r\n")
                .next()
                .unwrap_or_default()
                .to_lowercase();
            assert!(head.starts_with("http/1.1 308"), "{path}: {head}");
            assert!(
                head.contains("\r\nlocation: /settings\r\n"),
                "{path}: {head}"
            );
            assert!(!answer.contains("<nav"), "{path} rendered the page frame");
        }
        // Followed, the resolved path asks for a sign-in.
        let res = app
            .client()
            .get(app.url("/settings"))
            .send()
            .await
            .expect("get");
        assert_eq!(res.headers()["location"], "/login?next=/settings");
    }
}

/// A new account and an API key of it with every scope.
async fn api_setup(app: &TestApp, name: &str) -> (AccountId, String) {
    let (account_id, _, _) = app.account(name).await;
    let key = app.api_key(account_id, &["all"]).await;
    (account_id, key)
}

#[tokio::test]
async fn nul_bytes_are_refused_with_the_field_named_on_every_surface() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (_, key) = api_setup(&app, "Nul").await;
        // The anonymous sign-in.
        let res = app
            .client()
            .post(app.url("/rpc/login"))
            .header("accept", "application/json")
            .form(&[("email", "ana\0@x.test"), ("password", "whatever1")])
            .send()
            .await
            .expect("login");
        assert_eq!(res.status().as_u16(), 422);
        let body: Value = res.json().await.expect("json");
        assert_eq!(body["field"], "email", "{body}");
        // JSON bodies of each API surface, nested fields named by their path.
        for (method, path, body, field) in [
            (
                "POST",
                "/v1/opportunities",
                r#"{"name": "A\u0000B", "value": 1}"#,
                "name",
            ),
            (
                "POST",
                "/integrations/external/deals",
                r#"{"title": "t", "person": {"name": "x\u0000"}}"#,
                "person.name",
            ),
            (
                "POST",
                "/api/v1/accounts/1/deals",
                r#"{"name": "n", "stage_id": 1, "contact_attributes": {"full_name": "\u0000"}}"#,
                "contact_attributes.full_name",
            ),
            (
                "POST",
                "/api/automations",
                r#"{"name": "n", "trigger": "DEAL_WON", "actions": [{"type": "send_notification", "title": "a\u0000"}]}"#,
                "actions[0].title",
            ),
        ] {
            let (status, err) = app.call(method, path, Some(&key), Some(body)).await;
            assert_eq!(status, 422, "{path}: {err}");
            assert_eq!(err["error"]["field"], field, "{path}: {err}");
        }
        let (status, err) = app
            .call(
                "PATCH",
                "/external/v1/opportunities/opp_x/stage",
                Some(&key),
                Some(r#"{"status": "a\u0000"}"#),
            )
            .await;
        // The stage-update surface answers bad input the way document 004 says: 400.
        assert_eq!(
            (status, err["success"].clone(), err["error"]["code"].clone()),
            (400, json!(false), json!("INVALID_STATUS")),
            "{err}"
        );
        assert_eq!(err["error"]["field"], "status");
        // Query strings and paths.
        let (status, err) = app
            .call("GET", "/v1/opportunities?search=%00", Some(&key), None)
            .await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("search"))
        );
        let (status, err) = app
            .call("GET", "/v1/opportunities/opp_%00", Some(&key), None)
            .await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("path"))
        );
    }
}

#[tokio::test]
async fn upsert_with_an_unknown_id_creates_as_the_document_says() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, key) = api_setup(&app, "Upsert").await;
        let stage = crate::fixtures::first_stage(&app.db, account_id).await;
        let body = json!({"id": 987654, "name": "From the ERP", "stage_id": stage,
            "contact_attributes": {"full_name": "Ana Upsert", "email": "ana.upsert@example.test"}});
        let (status, created) = app
            .call(
                "POST",
                "/api/v1/accounts/1/deals/upsert",
                Some(&key),
                Some(&body.to_string()),
            )
            .await;
        assert_eq!(status, 201, "{created}");
        assert_eq!(created["name"], "From the ERP");
        assert_ne!(created["id"], 987654, "ids are the database's");
        // Sent again with the id it got, it updates.
        let again = json!({"id": created["id"], "name": "Renamed", "stage_id": stage});
        let (status, updated) = app
            .call(
                "POST",
                "/api/v1/accounts/1/deals/upsert",
                Some(&key),
                Some(&again.to_string()),
            )
            .await;
        assert_eq!((status, updated["name"].clone()), (200, json!("Renamed")));
    }
}

#[tokio::test]
async fn pages_and_answers_carry_the_security_headers() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let res = app
            .client()
            .get(app.url("/login"))
            .send()
            .await
            .expect("page");
        let h = res.headers().clone();
        let policy = h["content-security-policy"]
            .to_str()
            .expect("text")
            .to_string();
        let html = res.text().await.unwrap_or_default();
        let nonce = policy
            .split("'nonce-")
            .nth(1)
            .and_then(|r| r.split('\'').next())
            .unwrap_or_else(|| panic!("no nonce in {policy}"));
        assert!(nonce.len() >= 16, "{nonce}");
        assert!(policy.contains("frame-ancestors 'none'"), "{policy}");
        assert!(policy.contains("script-src 'self' 'nonce-"), "{policy}");
        assert!(
            !policy.contains("unsafe-inline' 'wasm")
                && !policy.contains("script-src 'unsafe-inline")
        );
        // Every inline script of the page carries this response's nonce.
        let scripts = html.matches("<script").count();
        let with_nonce = html.matches(&format!("nonce=\"{nonce}\"")).count();
        assert!(
            scripts > 0 && with_nonce == scripts,
            "{scripts} scripts, {with_nonce} with the nonce"
        );
        assert!(!html.contains(" onclick=") && !html.contains(" onfocus="));
        // A new response, a new nonce.
        let again = app
            .client()
            .get(app.url("/login"))
            .send()
            .await
            .expect("page");
        assert_ne!(
            again.headers()["content-security-policy"].to_str().unwrap(),
            policy
        );
        for path in [
            "/login",
            "/healthz",
            "/v1/opportunities",
            "/q/nope",
            "/api/docs",
        ] {
            let res = app.client().get(app.url(path)).send().await.expect("get");
            let h = res.headers();
            assert_eq!(h["x-content-type-options"], "nosniff", "{path}");
            assert_eq!(h["referrer-policy"], "same-origin", "{path}");
            assert_eq!(h["x-frame-options"], "DENY", "{path}");
            let policy = h["content-security-policy"].to_str().expect("text");
            assert!(
                policy.contains("frame-ancestors 'none'"),
                "{path}: {policy}"
            );
        }
    }
}

#[tokio::test]
async fn readiness_says_a_read_only_database_is_not_ready() {
    for url in backend_urls().await {
        let db = Db::connect(&url).await.expect("connect");
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db.clone()).await;
        let res = app
            .client()
            .get(app.url("/readyz"))
            .send()
            .await
            .expect("get");
        assert_eq!(res.status().as_u16(), 200);
        // The same database, opened so that it answers reads and refuses every write.
        let read_only = if url.starts_with("sqlite") {
            format!("{url}?mode=ro")
        } else {
            format!("{url}%20-c%20default_transaction_read_only%3Don")
        };
        let ro = TestApp::start(Db::connect(&read_only).await.expect("connect")).await;
        let res = ro
            .client()
            .get(ro.url("/readyz"))
            .send()
            .await
            .expect("get");
        assert_eq!(res.status().as_u16(), 503);
        let why = res.text().await.unwrap_or_default();
        assert!(why.contains("cannot take writes"), "{why}");
        // Liveness is another matter: the process answers.
        let res = ro
            .client()
            .get(ro.url("/healthz"))
            .send()
            .await
            .expect("get");
        assert_eq!(res.status().as_u16(), 200);
    }
}

/// The client address the guard settles on, as the tests above rely on.
#[test]
fn the_tests_speak_through_a_trusted_loopback_proxy() {
    let guard = behind_proxy(&[]);
    let mut headers = axum::http::HeaderMap::new();
    headers.insert("x-forwarded-for", "203.0.113.7".parse().unwrap());
    let loopback: IpAddr = "127.0.0.1".parse().unwrap();
    assert_eq!(
        guard.client_addr(Some(loopback), &headers),
        "203.0.113.7".parse::<IpAddr>().unwrap()
    );
}

#[tokio::test]
async fn huge_lists_and_far_pages_get_a_clear_answer() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, key) = api_setup(&app, "Lists").await;
        let path = format!("/api/v1/accounts/{account_id}/deals/search");
        let many: Vec<i64> = (1..=20_000).collect();
        let body = json!({"query": {"id_in": many}}).to_string();
        let (status, err) = app.call("POST", &path, Some(&key), Some(&body)).await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("query.id_in")),
            "{err}"
        );
        // A page far past the end is an empty page, whatever its number.
        let body = json!({"query": {}, "page": i64::MAX, "items": 100}).to_string();
        let (status, found) = app.call("POST", &path, Some(&key), Some(&body)).await;
        assert_eq!(status, 200, "{found}");
        assert_eq!(found["data"], json!([]));
        let (status, listed) = app
            .call(
                "GET",
                &format!("/v1/opportunities?page={}&per_page=100", i64::MAX),
                Some(&key),
                None,
            )
            .await;
        assert_eq!(status, 200, "{listed}");
        assert_eq!(listed["data"], json!([]), "{listed}");
    }
}
