//! The OpenAPI document: valid OpenAPI 3 (checked by `openapi-spec-validator`, installed by
//! `scripts/setup.sh`), listing every path and method of the seed documents, and matching
//! what the router serves: each documented operation is answered (401 without a key, never a
//! 404 or 405), and every other method on a documented path is 405.

use std::collections::BTreeSet;
use std::path::PathBuf;

use serde_json::Value;

use crate::support::{backends, python_tool, TestApp};

/// Every operation the five seed documents name.
const SEED_OPERATIONS: &[(&str, &str)] = &[
    ("get", "/v1/opportunities"),
    ("post", "/v1/opportunities"),
    ("patch", "/v1/opportunities/{id}"),
    ("post", "/v1/opportunities/{id}/close"),
    ("get", "/v1/pipeline/stages"),
    ("get", "/v1/activities"),
    ("post", "/v1/activities"),
    ("post", "/api/v1/accounts/{account_id}/deals"),
    ("post", "/api/v1/accounts/{account_id}/deals/search"),
    ("get", "/api/v1/accounts/{account_id}/deals/{id}"),
    ("put", "/api/v1/accounts/{account_id}/deals/{id}"),
    ("post", "/api/v1/accounts/{account_id}/deals/upsert"),
    ("post", "/integrations/external/deals"),
    ("patch", "/external/v1/opportunities/{id}/stage"),
    ("get", "/api/automations"),
    ("post", "/api/automations"),
    ("get", "/api/automations/{id}"),
    ("patch", "/api/automations/{id}"),
    ("delete", "/api/automations/{id}"),
    ("get", "/api/automations/{id}/logs"),
];

const METHODS: [&str; 5] = ["get", "post", "put", "patch", "delete"];

/// The validator's executable: `OPENAPI_SPEC_VALIDATOR`, else the one `scripts/setup.sh`
/// installs under the tools cache.
fn validator() -> PathBuf {
    std::env::var_os("OPENAPI_SPEC_VALIDATOR")
        .map(PathBuf::from)
        .unwrap_or_else(|| python_tool("openapi-spec-validator"))
}

fn documented(spec: &Value) -> BTreeSet<(String, String)> {
    let mut out = BTreeSet::new();
    for (path, item) in spec["paths"].as_object().expect("paths") {
        for method in METHODS {
            if item.get(method).is_some() {
                out.insert((method.to_string(), path.clone()));
            }
        }
    }
    out
}

/// A concrete URL for a templated path (ids that exist nowhere: auth is checked first).
fn concrete(path: &str) -> String {
    path.replace("{account_id}", "1")
        .replace("{id}", "opp_0000")
}

#[tokio::test]
async fn openapi_document_is_valid_and_matches_the_router() {
    let db = backends().await.into_iter().next().expect("sqlite");
    let app = TestApp::start(db).await;

    let res = app
        .client()
        .get(app.url("/api/openapi.json"))
        .send()
        .await
        .expect("openapi.json");
    assert_eq!(res.status().as_u16(), 200);
    let spec: Value = res.json().await.expect("JSON document");
    assert!(
        spec["openapi"]
            .as_str()
            .is_some_and(|v| v.starts_with("3.")),
        "not OpenAPI 3: {}",
        spec["openapi"]
    );

    // Valid by an independent validator.
    let file = std::env::temp_dir().join(format!("dealflow-openapi-{}.json", std::process::id()));
    std::fs::write(&file, spec.to_string()).expect("write spec");
    let validator = validator();
    let out = std::process::Command::new(&validator)
        .arg(&file)
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "cannot run {} ({e}); scripts/setup.sh installs it",
                validator.display()
            )
        });
    let _ = std::fs::remove_file(&file);
    assert!(
        out.status.success(),
        "openapi-spec-validator refused the document:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );

    // Every seed operation is documented, with responses and a tag.
    let ops = documented(&spec);
    for (method, path) in SEED_OPERATIONS {
        assert!(
            ops.contains(&(method.to_string(), path.to_string())),
            "{method} {path} missing from the document"
        );
        let op = &spec["paths"][path][method];
        assert!(
            op["tags"].as_array().is_some_and(|t| !t.is_empty()),
            "{method} {path}: no tag"
        );
        for status in ["200", "401"] {
            let has = op["responses"].as_object().is_some_and(|r| {
                r.contains_key(status) || (status == "200" && r.contains_key("201"))
            });
            assert!(has, "{method} {path}: no {status} response documented");
        }
    }

    // What the document lists, the router serves, and nothing else on those paths.
    let client = app.client();
    let paths: BTreeSet<&String> = ops.iter().map(|(_, p)| p).collect();
    for path in paths {
        let url = app.url(&concrete(path));
        for method in METHODS {
            let res = client
                .request(method.to_uppercase().parse().expect("method"), &url)
                .header("content-type", "application/json")
                .body("{}")
                .send()
                .await
                .expect("request");
            let status = res.status().as_u16();
            let is_json = res
                .headers()
                .get("content-type")
                .and_then(|v| v.to_str().ok())
                .is_some_and(|v| v.starts_with("application/json"));
            assert!(is_json, "{method} {path}: answer is not JSON");
            if ops.contains(&(method.to_string(), path.to_string())) {
                assert_eq!(status, 401, "{method} {path} without a key");
            } else {
                assert_eq!(status, 405, "{method} {path} is served but not documented");
            }
        }
    }

    // Paths under the API prefixes that are not documented are JSON 404s.
    for path in [
        "/v1/nothing",
        "/api/v1/nothing",
        "/integrations/nothing",
        "/external/v1/nothing",
    ] {
        let (status, body) = app.call("GET", path, None, None).await;
        assert_eq!(status, 404, "{path}");
        assert_eq!(body["error"]["code"], "NOT_FOUND", "{path}: {body}");
    }

    // The reference page renders every documented path, without scripts from elsewhere.
    let (status, html) = app.page(&client, "/api/docs").await;
    assert_eq!(status, 200);
    for (_, path) in &ops {
        assert!(
            html.contains(path.as_str()),
            "{path} missing from /api/docs"
        );
    }
    assert!(
        !html.contains("<script"),
        "the reference page loads scripts"
    );
    for external in ["src=\"http", "href=\"http", "@import", "url("] {
        assert!(
            !html.contains(external),
            "the reference page loads {external}…"
        );
    }
}
