//! Housekeeping on both databases: expired sessions, used links and old invitations go at
//! once; finished work goes after its account's retention (90 days unless its owners chose
//! otherwise), and nothing still to do goes whatever its age; the run is scheduled once
//! however often it is asked for; the settings show and change the retention.

use chrono::{Duration, Utc};
use dealflow::domain::AccountId;
use dealflow::server::db::{self, Db};
use dealflow::server::services::housekeeping;

use crate::support::{backends, TestApp};

fn days_ago(days: i64) -> String {
    db::ts(Utc::now() - Duration::days(days))
}

async fn email(db: &Db, account_id: AccountId, subject: &str, status: &str, age: i64) {
    sqlx::query(
        "INSERT INTO outgoing_emails (account_id, to_address, subject, body, status, created_at) \
         VALUES ($1, 'x@example.test', $2, 'body', $3, $4)",
    )
    .bind(account_id)
    .bind(subject)
    .bind(status)
    .bind(days_ago(age))
    .execute(&db.pool)
    .await
    .unwrap();
}

async fn job(db: &Db, account_id: AccountId, kind: &str, status: &str, age: i64) {
    sqlx::query(
        "INSERT INTO jobs (account_id, kind, payload, run_at, status, created_at, updated_at) \
         VALUES ($1, $2, '{}', $3, $4, $3, $3)",
    )
    .bind(account_id)
    .bind(kind)
    .bind(days_ago(age))
    .bind(status)
    .execute(&db.pool)
    .await
    .unwrap();
}

async fn texts(db: &Db, sql: &str, account_id: AccountId) -> Vec<String> {
    let rows: Vec<(String,)> = sqlx::query_as(sql)
        .bind(account_id)
        .fetch_all(&db.pool)
        .await
        .unwrap();
    rows.into_iter().map(|(s,)| s).collect()
}

#[tokio::test]
async fn housekeeping_deletes_what_is_done_and_old_and_keeps_the_rest() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (a, a_email, password) = app.account("Keeps ninety").await;
        let (b, b_email, _) = app.account("Keeps ten").await;
        let owner_b = app.signed_in(&b_email, &password).await;

        // The retention is set on the settings page, within its bounds.
        let (status, body) = app
            .rpc(&owner_b, "set_retention", &[("retention_days", "3".into())])
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("retention_days"), "{body}");
        let (status, body) = app
            .rpc(
                &owner_b,
                "set_retention",
                &[("retention_days", "10".into())],
            )
            .await;
        assert!(status < 400, "{status} {body}");

        for (account, subject, status, age) in [
            (a, "a sent long ago", "sent", 100),
            (a, "a kept long ago", "kept", 100),
            (a, "a still queued", "queued", 100),
            (a, "a sent last month", "sent", 30),
            (b, "b sent last month", "sent", 30),
            (b, "b sent this week", "sent", 5),
        ] {
            email(&app.db, account, subject, status, age).await;
        }
        for (account, kind, status, age) in [
            (a, "old_done", "done", 100),
            (a, "old_failed", "failed", 100),
            (a, "old_pending", "pending", 100),
            (a, "recent_done", "done", 20),
            (b, "b_recent_done", "done", 20),
        ] {
            job(&app.db, account, kind, status, age).await;
        }
        let (owner_a,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(&a_email)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        for (id, expiry) in [
            ("expired-session", days_ago(1)),
            ("live-session", days_ago(-1)),
        ] {
            sqlx::query(
                "INSERT INTO sessions (id, data, expiry_date, user_id) VALUES ($1, '{}', $2, $3)",
            )
            .bind(id)
            .bind(expiry)
            .bind(owner_a)
            .execute(&app.db.pool)
            .await
            .unwrap();
        }
        for (hash, used, expires) in [
            ("used-link", Some(days_ago(0)), days_ago(-1)),
            ("expired-link", None, days_ago(1)),
            ("live-link", None, days_ago(-1)),
        ] {
            sqlx::query(
                "INSERT INTO password_resets (user_id, token_hash, expires_at, used_at, created_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(owner_a)
            .bind(hash)
            .bind(expires)
            .bind(used)
            .bind(days_ago(1))
            .execute(&app.db.pool)
            .await
            .unwrap();
        }
        for (email, hash, accepted, expires) in [
            (
                "accepted@x.test",
                "inv-accepted",
                Some(days_ago(1)),
                days_ago(-5),
            ),
            (
                "long-expired@x.test",
                "inv-long-expired",
                None,
                days_ago(40),
            ),
            ("just-expired@x.test", "inv-just-expired", None, days_ago(2)),
            ("waiting@x.test", "inv-waiting", None, days_ago(-5)),
        ] {
            sqlx::query(
                "INSERT INTO invitations (account_id, email, role, token_hash, expires_at, accepted_at, created_at, updated_at) \
                 VALUES ($1, $2, 'sales', $3, $4, $5, $6, $6)",
            )
            .bind(a)
            .bind(email)
            .bind(hash)
            .bind(expires)
            .bind(accepted)
            .bind(days_ago(10))
            .execute(&app.db.pool)
            .await
            .unwrap();
        }

        let gone = housekeeping::purge(&app.db, Utc::now()).await.unwrap();
        assert!(gone >= 9, "{gone} rows deleted");

        let subjects = "SELECT subject FROM outgoing_emails WHERE account_id = $1 ORDER BY id";
        assert_eq!(
            texts(&app.db, subjects, a).await,
            ["a still queued", "a sent last month"]
        );
        assert_eq!(texts(&app.db, subjects, b).await, ["b sent this week"]);
        let kinds = "SELECT kind FROM jobs WHERE account_id = $1 ORDER BY id";
        assert_eq!(
            texts(&app.db, kinds, a).await,
            ["old_pending", "recent_done"]
        );
        assert!(
            texts(&app.db, kinds, b).await.is_empty(),
            "b keeps ten days"
        );
        let sessions: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM sessions WHERE id IN ('expired-session', 'live-session')",
        )
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(sessions, [("live-session".to_string(),)]);
        let links: Vec<(String,)> =
            sqlx::query_as("SELECT token_hash FROM password_resets WHERE user_id = $1")
                .bind(owner_a)
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(links, [("live-link".to_string(),)]);
        assert_eq!(
            texts(
                &app.db,
                "SELECT email FROM invitations WHERE account_id = $1 ORDER BY id",
                a
            )
            .await,
            ["just-expired@x.test", "waiting@x.test"]
        );

        // What is kept, as the settings show it.
        let owner_a_client = app.signed_in(&a_email, &password).await;
        let (status, body) = app.rpc(&owner_a_client, "kept", &[]).await;
        assert_eq!(status, 200);
        let kept: (i64, i64, i64, i64, i64) = serde_json::from_str(&body).unwrap();
        assert_eq!((kept.0, kept.1, kept.4), (90, 1, 2), "{body}");

        // Asked for twice, the run is queued once.
        sqlx::query("DELETE FROM jobs WHERE kind = $1")
            .bind(housekeeping::JOB)
            .execute(&app.db.pool)
            .await
            .unwrap();
        housekeeping::schedule(&app.db).await.unwrap();
        housekeeping::schedule(&app.db).await.unwrap();
        let (queued,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM jobs WHERE kind = $1")
            .bind(housekeeping::JOB)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(queued, 1);
    }
}
