//! The OpenAPI document fuzzed with schemathesis (from PyPI, installed by `scripts/setup.sh`)
//! against a running server with the demo data, on SQLite and PostgreSQL: a bounded run with a
//! fixed seed, no server error and no answer outside the document's schemas and statuses.

use dealflow::server::services::demo;

use serde_json::{json, Value};

use crate::support::{backends, python_tool, OnBackend, TestApp};

#[tokio::test]
async fn schemathesis_finds_no_server_error_or_schema_violation() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let account_id = demo::load_demo(&app.db).await.expect("demo").account_id;
        // A key as the settings page makes them: it acts for its creator, the owner (team
        // changes are refused to a key that acts for no one).
        let (owner,): (i64,) = sqlx::query_as(
            "SELECT id FROM users WHERE account_id = $1 AND role = 'owner' ORDER BY id LIMIT 1",
        )
        .bind(account_id)
        .fetch_one(&app.db.pool)
        .await
        .expect("the demo owner");
        let key = dealflow::server::auth::api_keys::create_key(
            &app.db,
            account_id,
            Some(dealflow::domain::UserId(owner)),
            "fuzz",
            &["all".to_string()],
            None,
        )
        .await
        .expect("key")
        .token;
        let tool = python_tool("schemathesis");
        let url = app.url("/api/openapi.json");
        let auth = format!("Authorization: Bearer {key}");
        // Run on the blocking pool so this runtime keeps serving the requests.
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new(&tool)
                .args(["run", &url, "-H", &auth])
                .args(["--max-examples", "15", "--workers", "1", "--seed", "1"])
                .args(["--phases", "examples,fuzzing,stateful"])
                // NUL characters in generated strings too (PostgreSQL cannot store them).
                .args(["--generation-allow-x00", "true"])
                .args([
                    "--checks",
                    "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance",
                ])
                .env("NO_COLOR", "1")
                .output()
                .unwrap_or_else(|e| {
                    panic!("cannot run {} ({e}); scripts/setup.sh installs it", tool.display())
                })
        })
        .await
        .expect("schemathesis run");
        let stdout = String::from_utf8_lossy(&out.stdout);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            out.status.success(),
            "schemathesis found problems:\n{stdout}\n{stderr}"
        );
        assert!(stdout.contains("passed"), "no test case ran:\n{stdout}");
        assert!(!stdout.contains(" failed"), "{stdout}");
    }
}

/// Values no schema generator is likely to try: NUL characters, huge lists, numbers at and
/// past the edges of 64 bits, deep nesting.
fn hostile_values() -> Vec<Value> {
    vec![
        json!("a\u{0}b"),
        json!("\u{0}"),
        json!(vec![1; 20_000]),
        json!(vec!["x"; 20_000]),
        json!(i64::MAX),
        json!(i64::MIN),
        json!(u64::MAX),
        json!(1e300),
        json!(-1),
        json!("99999999999999999999999"),
        json!("-9223372036854775808"),
        (0..64).fold(json!(1), |v, _| json!([v])),
    ]
}

/// The same values as a query string carries them.
fn hostile_query_values() -> Vec<String> {
    vec![
        "%00".into(),
        "a%00b".into(),
        "9223372036854775807".into(),
        "-9223372036854775808".into(),
        "99999999999999999999999".into(),
        "1e300".into(),
        "-1".into(),
        vec!["1"; 5_000].join(","),
    ]
}

/// `schema` with its `$ref` followed.
fn resolved<'a>(spec: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(r) => r
            .strip_prefix("#/")
            .map(|p| p.split('/').fold(spec, |v, part| &v[part]))
            .unwrap_or(schema),
        None => schema,
    }
}

#[tokio::test]
async fn crafted_inputs_never_get_a_server_error() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let account_id = demo::load_demo(&app.db).await.expect("demo").account_id;
        let key = app.api_key(account_id, &["all"]).await;
        let (status, spec) = app.call("GET", "/api/openapi.json", None, None).await;
        assert_eq!(status, 200);
        let client = app.client();
        let mut sent = 0;
        let mut server_errors = Vec::new();
        let paths = spec["paths"].as_object().expect("paths");
        for (template, item) in paths {
            let path = template
                .replace("{account_id}", &account_id.to_string())
                .split('/')
                .map(|seg| if seg.starts_with('{') { "1" } else { seg })
                .collect::<Vec<_>>()
                .join("/");
            for method in ["get", "post", "put", "patch", "delete"] {
                let Some(op) = item.get(method) else { continue };
                let mut tries: Vec<(String, Option<String>)> = Vec::new();
                let params = op["parameters"].as_array().cloned().unwrap_or_default();
                for p in params.iter().map(|p| resolved(&spec, p)) {
                    let name = p["name"].as_str().unwrap_or_default();
                    for v in hostile_query_values() {
                        match p["in"].as_str() {
                            Some("query") => tries.push((format!("{path}?{name}={v}"), None)),
                            Some("path") => tries.push((
                                template
                                    .replace(&format!("{{{name}}}"), &v)
                                    .replace("{account_id}", &account_id.to_string()),
                                None,
                            )),
                            _ => {}
                        }
                    }
                }
                let schema = resolved(
                    &spec,
                    &op["requestBody"]["content"]["application/json"]["schema"],
                );
                if !schema.is_null() {
                    let base = schema
                        .get("example")
                        .filter(|e| e.is_object())
                        .cloned()
                        .unwrap_or_else(|| json!({}));
                    let fields: Vec<String> = schema["properties"]
                        .as_object()
                        .map(|p| p.keys().cloned().collect())
                        .unwrap_or_default();
                    for field in fields {
                        for v in hostile_values() {
                            let mut body = base.clone();
                            body[&field] = v;
                            tries.push((path.clone(), Some(body.to_string())));
                        }
                    }
                }
                for (url, body) in tries {
                    let mut req = client
                        .request(
                            method.to_uppercase().parse().expect("method"),
                            app.url(&url),
                        )
                        .header("authorization", format!("Bearer {key}"));
                    if let Some(b) = &body {
                        req = req
                            .header("content-type", "application/json")
                            .body(b.clone());
                    }
                    let res = req.send().await.expect("request");
                    sent += 1;
                    if res.status().is_server_error() {
                        let shown: String = body.unwrap_or_default().chars().take(200).collect();
                        server_errors.push(format!("{} {method} {url} {shown}", res.status()));
                    }
                }
            }
        }
        eprintln!(
            "crafted inputs on {:?}: {sent} requests, {} server errors",
            app.db.backend,
            server_errors.len()
        );
        assert!(sent > 300, "only {sent} crafted requests were made");
        assert!(
            server_errors.is_empty(),
            "{} of {sent} crafted requests got a server error:\n{}",
            server_errors.len(),
            server_errors.join("\n")
        );
    }
}
