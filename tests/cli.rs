//! The `dealflow` binary's commands, run as a user would run them.

use dealflow::domain::AccountId;
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
    static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let dir = std::env::temp_dir().join("dealflow-tests");
    std::fs::create_dir_all(&dir).expect("temp dir");
    // Tests run in parallel threads: the counter keeps their files apart.
    let path = dir.join(format!(
        "cli-{}-{}-{}.db",
        std::process::id(),
        N.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
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
    let account_id: AccountId = last_line(&out)
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

/// Counts the rows of `table` in the SQLite database at `db_url`.
fn count(db_url: &str, table: &str) -> i64 {
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(db_url).await.expect("open");
        let (n,): (i64,) = sqlx::query_as(&format!("SELECT COUNT(*) FROM {table}"))
            .fetch_one(&mut conn)
            .await
            .expect("count");
        n
    })
}

#[test]
fn backup_and_restore_round_trip() {
    let db = temp_db();
    let (ok, _, err) = dealflow(&db, &["demo"]);
    assert!(ok, "{err}");
    let deals = count(&db, "deals");
    assert!(deals > 0);

    let dir = std::env::temp_dir().join("dealflow-tests");
    let file = dir.join(format!(
        "backup-{}-{}.db",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    ));
    let file_s = file.to_str().unwrap();
    let (ok, out, err) = dealflow(&db, &["backup", file_s]);
    assert!(ok, "{err}");
    assert!(out.contains("backup written"), "{out}");
    // Never over an existing file.
    let (ok, _, err) = dealflow(&db, &["backup", file_s]);
    assert!(!ok && err.contains("exists"), "{err}");

    // Data lost after the backup comes back with the restore.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&db).await.unwrap();
        sqlx::query("DELETE FROM deals")
            .execute(&mut conn)
            .await
            .unwrap();
    });
    assert_eq!(count(&db, "deals"), 0);
    let (ok, out, err) = dealflow(&db, &["restore", file_s]);
    assert!(ok, "{err}");
    assert!(out.contains("restored"), "{out}");
    assert_eq!(count(&db, "deals"), deals);

    // A file that is not a Dealflow database is refused and the database stays as it is.
    let junk = dir.join(format!("junk-{}.db", std::process::id()));
    std::fs::write(&junk, b"not a database").unwrap();
    let (ok, _, err) = dealflow(&db, &["restore", junk.to_str().unwrap()]);
    assert!(!ok, "junk restored");
    assert!(
        err.contains("not a SQLite database") || err.contains("not a Dealflow database"),
        "{err}"
    );
    assert_eq!(count(&db, "deals"), deals);
    // PostgreSQL users are pointed to pg_dump.
    let (ok, _, err) = dealflow(
        "postgres://postgres@127.0.0.1:5432/test",
        &["restore", file_s],
    );
    assert!(!ok && err.contains("pg_dump"), "{err}");
}

#[test]
fn restore_is_refused_while_a_server_uses_the_database() {
    let db = temp_db();
    let (ok, _, err) = dealflow(&db, &["demo"]);
    assert!(ok, "{err}");
    let dir = std::env::temp_dir().join("dealflow-tests");
    let file = dir.join(format!(
        "backup-live-{}-{}.db",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    ));
    let file_s = file.to_str().unwrap();
    let (ok, _, err) = dealflow(&db, &["backup", file_s]);
    assert!(ok, "{err}");
    let deals = count(&db, "deals");

    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let mut server = Command::new(env!("CARGO_BIN_EXE_dealflow"))
        .env("DATABASE_URL", &db)
        .env("RUST_LOG", "warn")
        .env("LEPTOS_SITE_ROOT", std::env::temp_dir())
        .args(["serve", "--addr", &format!("127.0.0.1:{port}")])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("serve");
    let up = (0..300).any(|_| {
        std::thread::sleep(std::time::Duration::from_millis(100));
        std::net::TcpStream::connect(("127.0.0.1", port)).is_ok()
    });
    assert!(up, "the server did not start");
    // A write the server acknowledged stays: the restore is refused and says what to do.
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&db).await.unwrap();
        sqlx::query("DELETE FROM deals WHERE id IN (SELECT id FROM deals LIMIT 1)")
            .execute(&mut conn)
            .await
            .unwrap();
    });
    let (ok, _, err) = dealflow(&db, &["restore", file_s]);
    assert!(!ok, "restored under a running server");
    assert!(
        err.contains("in use") && err.contains("stop it first"),
        "{err}"
    );
    assert_eq!(count(&db, "deals"), deals - 1);
    // Once the server is stopped, the restore goes through.
    server.kill().unwrap();
    server.wait().unwrap();
    let (ok, _, err) = dealflow(&db, &["restore", file_s]);
    assert!(ok, "{err}");
    assert_eq!(count(&db, "deals"), deals);
}
