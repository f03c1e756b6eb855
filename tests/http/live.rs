//! The live board's event stream: a change made through the API reaches a signed-in browser's
//! `/events/board` within a second — on SQLite by the in-process watcher, on PostgreSQL from
//! another app instance through LISTEN/NOTIFY.

use dealflow::domain::{AccountId, PipelineId};
use std::time::Duration;

use dealflow::server::db::{Backend, Db};
use serde_json::json;

use crate::support::{backends, fresh_url, TestApp};

/// Reads the event stream until a `board` event arrives; answers its data.
async fn next_board_event(res: &mut reqwest::Response) -> String {
    let mut buf = String::new();
    loop {
        let chunk = tokio::time::timeout(Duration::from_secs(5), res.chunk())
            .await
            .expect("an event within 5 s")
            .expect("stream")
            .expect("stream open");
        buf.push_str(&String::from_utf8_lossy(&chunk));
        while let Some(end) = buf.find("\n\n") {
            let event: String = buf[..end].to_string();
            buf.drain(..end + 2);
            if event.lines().any(|l| l == "event: board") {
                if let Some(data) = event.lines().find_map(|l| l.strip_prefix("data: ")) {
                    return data.to_string();
                }
            }
        }
    }
}

async fn primary_pipeline(db: &Db, account_id: AccountId) -> PipelineId {
    let (id,): (PipelineId,) =
        sqlx::query_as("SELECT id FROM pipelines WHERE account_id = $1 ORDER BY id LIMIT 1")
            .bind(account_id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    id
}

/// Opens the stream as a signed-in user and checks that an API change shows up on it.
async fn change_reaches_stream(watching: &TestApp, changing: &TestApp) {
    let (account_id, email, password) = watching.account("Live").await;
    let key = changing
        .api_key(account_id, &["opportunities:write", "opportunities:read"])
        .await;
    let browser = watching.signed_in(&email, &password).await;
    let mut stream = browser
        .get(watching.url("/events/board"))
        .header("accept", "text/event-stream")
        .send()
        .await
        .unwrap();
    assert_eq!(stream.status().as_u16(), 200);
    assert!(stream.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/event-stream"));
    // Another account's change first: it must not be what this user hears.
    let (other, _, _) = watching.account("Elsewhere").await;
    let other_key = changing.api_key(other, &["opportunities:write"]).await;
    let (status, _) = changing
        .call(
            "POST",
            "/v1/opportunities",
            Some(&other_key),
            Some(r#"{"name": "Not yours"}"#),
        )
        .await;
    assert_eq!(status, 201);
    tokio::time::sleep(Duration::from_millis(700)).await;
    let started = std::time::Instant::now();
    let (status, body) = changing
        .call(
            "POST",
            "/v1/opportunities",
            Some(&key),
            Some(&json!({"name": "Walk-in"}).to_string()),
        )
        .await;
    assert_eq!(status, 201, "{body}");
    let pipeline = next_board_event(&mut stream).await;
    assert_eq!(
        pipeline,
        primary_pipeline(&watching.db, account_id).await.to_string()
    );
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "took {:?}",
        started.elapsed()
    );
}

#[tokio::test]
async fn board_changes_reach_open_boards() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        change_reaches_stream(&app, &app).await;
        // Without a session the stream is not served.
        let res = app
            .client()
            .get(app.url("/events/board"))
            .send()
            .await
            .unwrap();
        assert!(res.status().is_redirection(), "{}", res.status());
    }
}

#[tokio::test]
async fn board_changes_cross_instances_through_postgres() {
    let Some(url) = fresh_url(Backend::Postgres).await else {
        return;
    };
    // Two app instances on one database, each listening as `dealflow serve` does.
    let a = TestApp::start_listening(Db::connect(&url).await.unwrap(), Some(url.clone())).await;
    let b = TestApp::start_listening(Db::connect(&url).await.unwrap(), Some(url.clone())).await;
    // LISTEN is set up in the background; give it a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;
    change_reaches_stream(&b, &a).await;
}

/// On SQLite the writer announces a change once its transaction has committed: a board
/// hears nothing while the write is still open, then hears the pipeline it touched.
#[tokio::test]
async fn sqlite_announces_changes_after_commit() {
    use dealflow::server::live::LiveBoard;
    let db = Db::connect(&fresh_url(Backend::Sqlite).await.expect("sqlite"))
        .await
        .unwrap();
    db.migrate().await.unwrap();
    assert!(
        db.written().is_some(),
        "a file database has a writer of its own"
    );
    let app = TestApp::start(db.clone()).await;
    let (account_id, _, _) = app.account("After commit").await;
    let pipeline = primary_pipeline(&db, account_id).await;
    let live = LiveBoard::start(db.clone(), None);
    let mut watch = live.subscribe(account_id);
    // The watcher records where the pipelines stand when a board starts watching.
    tokio::time::sleep(Duration::from_millis(300)).await;

    let mut tx = db.begin().await.unwrap();
    sqlx::query(
        "INSERT INTO deals (account_id, uuid, code, title, pipeline_id, stage_id, position, \
         stage_changed_at, created_at, updated_at) \
         SELECT $1, 'after-commit', 9999, 'Uncommitted', $2, s.id, 1, 'x', 'x', '2099-01-01' \
         FROM stages s WHERE s.pipeline_id = $2 ORDER BY s.position LIMIT 1",
    )
    .bind(account_id)
    .bind(pipeline)
    .execute(&mut *tx)
    .await
    .unwrap();
    tokio::time::sleep(Duration::from_millis(500)).await;
    assert!(
        matches!(
            watch.changes.try_recv(),
            Err(tokio::sync::broadcast::error::TryRecvError::Empty)
        ),
        "nothing is announced before the commit"
    );
    tx.commit().await.unwrap();
    let change = tokio::time::timeout(Duration::from_secs(2), watch.changes.recv())
        .await
        .expect("announced within 2 s of the commit")
        .unwrap();
    assert_eq!(
        (change.account_id, change.pipeline_id),
        (account_id, pipeline)
    );
}
