//! The OpenAPI document fuzzed with schemathesis (from PyPI, installed by `scripts/setup.sh`)
//! against a running server with the demo data, on SQLite and PostgreSQL: a bounded run with a
//! fixed seed, no server error and no answer outside the document's schemas and statuses.

use dealflow::server::services::demo;

use crate::support::{backends, python_tool, TestApp};

#[tokio::test]
async fn schemathesis_finds_no_server_error_or_schema_violation() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let account_id = demo::load_demo(&app.db).await.expect("demo").account_id;
        let key = app.api_key(account_id, &["all"]).await;
        let tool = python_tool("schemathesis");
        let url = app.url("/api/openapi.json");
        let auth = format!("Authorization: Bearer {key}");
        // Run on the blocking pool so this runtime keeps serving the requests.
        let out = tokio::task::spawn_blocking(move || {
            std::process::Command::new(&tool)
                .args(["run", &url, "-H", &auth])
                .args(["--max-examples", "15", "--workers", "1", "--seed", "1"])
                .args(["--phases", "examples,fuzzing,stateful"])
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
