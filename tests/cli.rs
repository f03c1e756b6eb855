//! The `dealflow` binary's commands, run as a user would run them.

use std::process::Command;

fn dealflow(db_url: &str, args: &[&str]) -> (bool, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_dealflow"))
        .env("DATABASE_URL", db_url)
        .env("RUST_LOG", "warn")
        .args(args)
        .output()
        .expect("run dealflow");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn last_line(s: &str) -> &str {
    s.lines().last().unwrap_or("").trim()
}

fn temp_db() -> String {
    let dir = std::env::temp_dir().join("dealflow-tests");
    std::fs::create_dir_all(&dir).expect("temp dir");
    let path = dir.join(format!(
        "cli-{}-{}.db",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    ));
    format!("sqlite://{}", path.display())
}

#[test]
fn migrate_account_and_api_key_commands() {
    let db = temp_db();
    let (ok, _, err) = dealflow(&db, &["migrate"]);
    assert!(ok, "{err}");

    let (ok, out, err) = dealflow(
        &db,
        &[
            "account",
            "create",
            "--name",
            "Acme",
            "--owner-email",
            "boss@acme.test",
            "--owner-password",
            "s3cret-pass",
        ],
    );
    assert!(ok, "{err}");
    let account_id: i64 = last_line(&out)
        .parse()
        .expect("account id on the last line");

    let (ok, _, err) = dealflow(
        &db,
        &[
            "account",
            "create",
            "--name",
            "Again",
            "--owner-email",
            "BOSS@acme.test",
            "--owner-password",
            "s3cret-pass",
        ],
    );
    assert!(!ok, "a taken e-mail is refused");
    assert!(err.contains("already exists"), "{err}");

    let (ok, _, err) = dealflow(
        &db,
        &[
            "account",
            "create",
            "--name",
            "Bad",
            "--owner-email",
            "nope",
            "--owner-password",
            "x",
        ],
    );
    assert!(!ok);
    assert!(err.contains("e-mail"), "{err}");

    let id = account_id.to_string();
    let (ok, out, err) = dealflow(
        &db,
        &[
            "api-key",
            "create",
            "--account-id",
            &id,
            "--name",
            "Zapier",
            "--scope",
            "opportunities:read",
            "--scope",
            "activities:write",
        ],
    );
    assert!(ok, "{err}");
    let token = last_line(&out).to_string();
    assert!(token.starts_with("dfk_") && token.len() > 30, "{token}");

    let (ok, _, err) = dealflow(
        &db,
        &[
            "api-key",
            "create",
            "--account-id",
            &id,
            "--name",
            "X",
            "--scope",
            "everything",
        ],
    );
    assert!(!ok, "unknown scope refused");
    assert!(err.contains("scope"), "{err}");
    let (ok, _, _) = dealflow(
        &db,
        &[
            "api-key",
            "create",
            "--account-id",
            "987654",
            "--name",
            "X",
            "--scope",
            "all",
        ],
    );
    assert!(!ok, "unknown account refused");

    // Stored hashed: the token itself is nowhere in the database file.
    let path = db.trim_start_matches("sqlite://");
    let _ = dealflow(&db, &["migrate"]); // checkpoints nothing, just reopens
    let bytes: Vec<u8> = [path.to_string(), format!("{path}-wal")]
        .iter()
        .filter_map(|p| std::fs::read(p).ok())
        .flatten()
        .collect();
    let hex_part = token.trim_start_matches("dfk_");
    assert!(
        !bytes
            .windows(hex_part.len())
            .any(|w| w == hex_part.as_bytes()),
        "token stored in clear"
    );
}

#[test]
fn demo_is_idempotent() {
    let db = temp_db();
    let (ok, out, err) = dealflow(&db, &["demo"]);
    assert!(ok, "{err}");
    assert!(
        out.contains("owner@demo.test") && out.contains("dealflow-demo"),
        "{out}"
    );
    let (ok, out2, err) = dealflow(&db, &["demo"]);
    assert!(ok, "{err}");
    assert!(out2.contains("already"), "{out2}");
}
