//! What the page tests share: an account seeded with deals, and readers of the board.

use dealflow::domain::{positions, AccountId, DealId, PipelineId, StageId};
use dealflow::server::db::Db;
use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::{pipelines, Actor};

use crate::support::new_account;

/// An account with `per_stage` deals in each of the first three stages of its primary pipeline.
pub struct Seeded {
    pub account_id: AccountId,
    pub email: String,
    pub password: String,
    pub pipeline_id: PipelineId,
    pub stages: Vec<StageId>,
}

pub async fn seed(db: &Db, name: &str, per_stage: usize) -> Seeded {
    let (account_id, email, password) = new_account(db, name).await;
    let actor = Actor {
        account_id,
        user_id: None,
    };
    let pipeline_id = pipelines::primary_pipeline_id(db, account_id)
        .await
        .expect("pipeline");
    let stages: Vec<StageId> = pipelines::stages_of(db, account_id, pipeline_id)
        .await
        .expect("stages")
        .into_iter()
        .map(|s| s.id)
        .collect();
    for (si, stage) in stages.iter().take(3).enumerate() {
        for i in 0..per_stage {
            deals::create_deal(
                db,
                actor,
                NewDeal {
                    title: format!("{name} deal {si}-{i}"),
                    value_cents: 100_000 * (i as i64 + 1),
                    stage_id: Some(*stage),
                    ..Default::default()
                },
            )
            .await
            .expect("deal");
        }
    }
    Seeded {
        account_id,
        email,
        password,
        pipeline_id,
        stages,
    }
}

/// Deal ids of a stage in position order, straight from the database.
pub async fn stage_ids(db: &Db, account_id: AccountId, stage_id: StageId) -> Vec<DealId> {
    let rows: Vec<(DealId,)> = sqlx::query_as(
        "SELECT id FROM deals WHERE account_id = $1 AND stage_id = $2 ORDER BY position",
    )
    .bind(account_id)
    .bind(stage_id)
    .fetch_all(&db.pool)
    .await
    .expect("ids");
    rows.into_iter().map(|(id,)| id).collect()
}

/// The text of the first element with `data-testid="{id}"`.
pub fn testid_text(html: &str, id: &str) -> Option<String> {
    let at = html.find(&format!("data-testid=\"{id}\""))?;
    let rest = &html[at..];
    let start = rest.find('>')? + 1;
    let end = rest[start..].find('<')? + start;
    Some(rest[start..end].to_string())
}

/// No two cards of a stage share a position.
pub async fn assert_ordered(db: &Db, account_id: AccountId) {
    for (stage, positions) in deals::stage_positions(db, account_id)
        .await
        .expect("positions")
    {
        assert!(
            positions::is_strictly_ordered(&positions),
            "stage {stage} has cards on the same place: {positions:?}"
        );
    }
}
