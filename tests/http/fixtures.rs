//! What the tests share: an account seeded with deals, readers of the board, and the records
//! (contacts, deals, quotes by hand) the service-level and HTTP tests both make.

use dealflow::domain::automation::AutomationBody;
use dealflow::domain::{positions, AccountId, ContactId, DealId, PipelineId, StageId};
use dealflow::server::db::Db;
use dealflow::server::services::contacts::{self, NewContact};
use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::quotes::{NewItem, NewQuote};
use dealflow::server::services::{organizations, pipelines, Actor};
use dealflow::server::ServiceError;

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

/// The field a validation error names; any other outcome fails the test.
pub fn field_of<T: std::fmt::Debug>(r: Result<T, ServiceError>) -> String {
    match r {
        Err(ServiceError::Validation { field, .. }) => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

/// An automation definition written as the API's JSON.
pub fn automation_body(definition: serde_json::Value) -> AutomationBody {
    serde_json::from_value(definition).expect("an automation body")
}

/// The account acting without a user (as an API key without a creator would).
pub fn actor(account_id: AccountId) -> Actor {
    Actor {
        account_id,
        user_id: None,
    }
}

/// A quote item typed by hand.
pub fn item(name: &str, unit: &str, quantity: i64, discount: &str) -> NewItem {
    NewItem {
        product_name: name.into(),
        model: String::new(),
        unit_price: unit.into(),
        quantity,
        discount_pct: discount.into(),
    }
}

/// A quote typed by hand for a deal, with nothing but its items.
pub fn by_hand(deal_id: DealId, items: Vec<NewItem>) -> NewQuote {
    NewQuote {
        deal_id,
        items,
        tax: String::new(),
        shipping: String::new(),
        notes: String::new(),
        valid_until: None,
        currency: String::new(),
    }
}

/// A deal whose primary contact (with `email`, at an organization) is the client.
pub async fn client_deal(db: &Db, actor: Actor, email: Option<&str>) -> DealId {
    let (existing,): (i64,) =
        sqlx::query_as("SELECT COUNT(*) FROM organizations WHERE account_id = $1")
            .bind(actor.account_id)
            .fetch_one(&db.pool)
            .await
            .unwrap();
    let name = match existing {
        0 => "Acme Corp".to_string(),
        n => format!("Acme Corp {n}"),
    };
    let org = organizations::create_organization(db, actor, &name)
        .await
        .unwrap();
    let contact = contacts::create_contact(
        db,
        actor,
        NewContact {
            full_name: "María López".into(),
            email: email.map(str::to_string),
            organization_id: Some(org),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id;
    deals::create_deal(
        db,
        actor,
        NewDeal {
            title: "Quoted deal".into(),
            value_cents: 10_000,
            currency: Some("EUR".into()),
            contact_id: Some(contact),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id
}

/// A new contact of the actor's account; returns its id.
pub async fn contact(db: &Db, actor: Actor, name: &str) -> ContactId {
    contacts::create_contact(
        db,
        actor,
        NewContact {
            full_name: name.into(),
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id
}

/// A new deal of the actor's account, worth 100.00; returns its id.
pub async fn deal(db: &Db, actor: Actor, title: &str) -> DealId {
    deals::create_deal(
        db,
        actor,
        NewDeal {
            title: title.into(),
            value_cents: 10_000,
            ..Default::default()
        },
    )
    .await
    .unwrap()
    .id
}

/// A row of `table` (tags or products) inserted as a fixture; returns its id.
pub async fn fixture(db: &Db, sql: &str, account_id: AccountId) -> i64 {
    let (id,): (i64,) = sqlx::query_as(sql)
        .bind(account_id)
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(dealflow::server::db::now())
        .fetch_one(&db.pool)
        .await
        .unwrap();
    id
}

/// The first stage of the account's primary pipeline.
pub async fn first_stage(db: &Db, account_id: AccountId) -> StageId {
    let (id,): (StageId,) = sqlx::query_as(
        "SELECT s.id FROM stages s JOIN pipelines p ON p.id = s.pipeline_id \
         WHERE s.account_id = $1 ORDER BY p.is_primary DESC, p.id, s.position LIMIT 1",
    )
    .bind(account_id)
    .fetch_one(&db.pool)
    .await
    .unwrap();
    id
}
