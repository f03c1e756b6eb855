//! Quotes on both databases: numbering per account and the expiry notice.

use dealflow::server::db::Db;
use dealflow::server::services::quotes::{self};

use crate::fixtures::{actor, by_hand, client_deal, item};
use crate::support::{backends, TestDb};

async fn count(db: &Db, sql: &str, id: impl Into<i64>) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .bind(id.into())
        .fetch_one(&db.pool)
        .await
        .unwrap();
    n
}

#[tokio::test]
async fn numbers_are_sequential_per_account() {
    for db in backends().await {
        let app = TestDb::new(db);
        let (a, _, _) = app.account("Numbers A").await;
        let (b, _, _) = app.account("Numbers B").await;
        let deal_a = client_deal(&app.db, actor(a), None).await;
        let deal_b = client_deal(&app.db, actor(b), None).await;
        let mut numbers = Vec::new();
        for _ in 0..3 {
            let q = quotes::create(
                &app.db,
                actor(a),
                &by_hand(deal_a, vec![item("X", "1", 1, "")]),
            )
            .await
            .unwrap();
            numbers.push(q.number);
        }
        assert_eq!(numbers, vec![1, 2, 3]);
        let q = quotes::create(
            &app.db,
            actor(b),
            &by_hand(deal_b, vec![item("Y", "1", 1, "")]),
        )
        .await
        .unwrap();
        assert_eq!(q.number, 1, "each account counts on its own");
        let listed: Vec<i64> = quotes::list_for_deal(&app.db, actor(a), deal_a)
            .await
            .unwrap()
            .iter()
            .map(|q| q.number)
            .collect();
        assert_eq!(listed, vec![3, 2, 1], "newest first");
        assert_eq!(
            count(
                &app.db,
                "SELECT next_quote_number FROM accounts WHERE id = $1",
                a
            )
            .await,
            4
        );
    }
}

#[tokio::test]
async fn expiring_quotes_are_announced_once() {
    for db in backends().await {
        let app = TestDb::new(db);
        let (account_id, _, _) = app.account("Expiry").await;
        let me = actor(account_id);
        sqlx::query(
            "INSERT INTO automations (account_id, uuid, name, trigger_event, created_at, updated_at) \
             VALUES ($1, $2, 'Expiry reminder', 'QUOTE_EXPIRING', $3, $3)",
        )
        .bind(account_id)
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(dealflow::server::db::now())
        .execute(&app.db.pool)
        .await
        .unwrap();
        let deal_id = client_deal(&app.db, me, Some("c@a.test")).await;
        let now = chrono::Utc::now();
        let day = |offset: i64| {
            (now + chrono::Duration::days(offset))
                .date_naive()
                .format("%Y-%m-%d")
                .to_string()
        };
        let mut ids = Vec::new();
        for valid_until in [day(0), day(1), day(-1), day(0)] {
            let mut new = by_hand(deal_id, vec![item("A", "1", 1, "")]);
            new.valid_until = Some(valid_until);
            ids.push(quotes::create(&app.db, me, &new).await.unwrap().id);
        }
        // The last one ends today too, but is already won.
        quotes::mark_won(&app.db, me, ids[3]).await.unwrap();
        let jobs = "SELECT COUNT(*) FROM jobs WHERE account_id = $1 AND kind = 'automation_event' \
                    AND payload LIKE '%QUOTE_EXPIRING%'";
        assert_eq!(count(&app.db, jobs, account_id).await, 0);

        assert_eq!(quotes::emit_expiring(&app.db, now).await.unwrap(), 1);
        assert_eq!(
            quotes::emit_expiring(&app.db, now).await.unwrap(),
            0,
            "only once"
        );
        let marked: Vec<(i64,)> = sqlx::query_as(
            "SELECT id FROM quotes WHERE account_id = $1 AND expiring_notified_at IS NOT NULL",
        )
        .bind(account_id)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(marked, vec![(i64::from(ids[0]),)]);
        assert_eq!(count(&app.db, jobs, account_id).await, 1, "one event");
    }
}
