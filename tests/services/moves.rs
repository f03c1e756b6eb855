//! Moves on both databases: a stage is numbered again once neighbours touch.

use dealflow::server::services::{deals, Actor};

use crate::fixtures::{assert_ordered, seed, stage_ids};
use crate::support::{backends, TestDb};

#[tokio::test]
async fn moves_into_one_gap_renumber_the_stage_once_neighbours_touch() {
    for db in backends().await {
        let app = TestDb::new(db);
        // Stage 0 holds A and B; every deal of stage 1 is dropped right before B in turn, so
        // the gap before B halves each time until it is gone and the stage is numbered again.
        let s = seed(&app.db, "Gap", 14).await;
        let actor = Actor {
            account_id: s.account_id,
            user_id: None,
        };
        let first = stage_ids(&app.db, s.account_id, s.stages[0]).await;
        for extra in &first[2..] {
            deals::move_deal(&app.db, actor, *extra, s.stages[2], deals::Slot::End)
                .await
                .expect("clear stage 0");
        }
        let (a, b) = (first[0], first[1]);
        let dropped = stage_ids(&app.db, s.account_id, s.stages[1]).await;
        for deal in &dropped {
            deals::move_deal(&app.db, actor, *deal, s.stages[0], deals::Slot::Before(b))
                .await
                .expect("move");
        }
        let mut expected = vec![a];
        expected.extend(&dropped);
        expected.push(b);
        assert_eq!(
            stage_ids(&app.db, s.account_id, s.stages[0]).await,
            expected
        );
        let (lowest_gap,): (i64,) = sqlx::query_as(
            "SELECT MIN(n.position - p.position) FROM deals p JOIN deals n \
             ON n.stage_id = p.stage_id AND n.position > p.position \
             AND NOT EXISTS (SELECT 1 FROM deals m WHERE m.stage_id = p.stage_id \
                             AND m.position > p.position AND m.position < n.position) \
             WHERE p.stage_id = $1",
        )
        .bind(s.stages[0])
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert!(
            lowest_gap > 1,
            "the stage was numbered again instead of running out of room (gap {lowest_gap})"
        );
        // Index slots count the other cards, whatever the stored numbers are.
        let last = *dropped.last().unwrap();
        deals::move_deal(&app.db, actor, last, s.stages[0], deals::Slot::Index(1))
            .await
            .unwrap();
        let order = stage_ids(&app.db, s.account_id, s.stages[0]).await;
        assert_eq!(&order[..3], &[a, last, dropped[0]]);
        assert_ordered(&app.db, s.account_id).await;
    }
}
