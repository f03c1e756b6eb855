//! Settings on both databases: pipelines and stages, tags and products, each refused to
//! salespeople.

use dealflow::domain::{AccountId, CurrentUser, DealId, PipelineId, Role, UserId};
use dealflow::server::auth::session_user::load_user;
use dealflow::server::db::Db;
use dealflow::server::services::catalog::{self, ProductInput};
use dealflow::server::services::deals::links::{self as deal_links, Link};
use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::pipelines::settings::{self as pipeline_settings, StageInput};
use dealflow::server::services::{accounts, pipelines, Actor};
use dealflow::server::ServiceError;

use crate::fixtures::field_of;
use crate::support::{backends, TestDb};

fn forbidden<T: std::fmt::Debug>(r: Result<T, ServiceError>) -> bool {
    matches!(r, Err(ServiceError::Forbidden(_)))
}

/// An account with its owner, an admin and a salesperson, as signed-in users.
struct Team {
    account_id: AccountId,
    owner: CurrentUser,
    admin: CurrentUser,
    sales: CurrentUser,
}

async fn team_of(app: &TestDb, name: &str) -> Team {
    let (account_id, owner_email, _) = app.account(name).await;
    let tag = name.to_lowercase().replace(' ', "-");
    let mut users = Vec::new();
    for (who, role) in [("admin", Role::Admin), ("sales", Role::Sales)] {
        let id = accounts::create_user(
            &app.db,
            account_id,
            &format!("{who}-{tag}-{account_id}@team.test"),
            who,
            "password-1",
            role,
        )
        .await
        .unwrap();
        users.push(load_user(&app.db, id).await.unwrap().unwrap());
    }
    let owner_id: (UserId,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
        .bind(&owner_email)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let sales = users.pop().unwrap();
    let admin = users.pop().unwrap();
    Team {
        account_id,
        owner: load_user(&app.db, owner_id.0).await.unwrap().unwrap(),
        admin,
        sales,
    }
}

fn stage(name: &str, probability: i64) -> StageInput {
    StageInput {
        name: name.into(),
        key: String::new(),
        probability,
        rotting_days: None,
    }
}

async fn stage_names(db: &Db, account_id: AccountId, pipeline_id: PipelineId) -> Vec<String> {
    pipelines::stages_of(db, account_id, pipeline_id)
        .await
        .unwrap()
        .into_iter()
        .map(|s| s.name)
        .collect()
}

#[tokio::test]
async fn stages_are_added_reordered_and_deleted_with_their_deals() {
    for db in backends().await {
        let app = TestDb::new(db);
        let t = team_of(&app, "Stages").await;
        let pipeline = pipelines::primary_pipeline_id(&app.db, t.account_id)
            .await
            .unwrap();
        let before = stage_names(&app.db, t.account_id, pipeline).await;

        // Salespeople change nothing.
        assert!(forbidden(
            pipeline_settings::add_stage(&app.db, &t.sales, pipeline, &stage("Demo", 50)).await
        ));
        assert!(forbidden(
            pipeline_settings::rename_pipeline(&app.db, &t.sales, pipeline, "Mine").await
        ));
        assert!(forbidden(
            pipeline_settings::add_pipeline(&app.db, &t.sales, "Mine").await
        ));
        assert_eq!(stage_names(&app.db, t.account_id, pipeline).await, before);

        // Bad fields are named; nothing is saved.
        for (input, field) in [
            (stage("", 10), "name"),
            (stage("Demo", 101), "probability"),
            (
                StageInput {
                    key: "new".into(),
                    ..stage("Another new", 10)
                },
                "key",
            ),
            (
                StageInput {
                    rotting_days: Some(0),
                    ..stage("Demo", 10)
                },
                "rotting_days",
            ),
        ] {
            assert_eq!(
                field_of(pipeline_settings::add_stage(&app.db, &t.admin, pipeline, &input).await),
                field
            );
        }
        assert_eq!(stage_names(&app.db, t.account_id, pipeline).await, before);

        let demo = pipeline_settings::add_stage(
            &app.db,
            &t.admin,
            pipeline,
            &StageInput {
                rotting_days: Some(14),
                ..stage("Demo booked", 55)
            },
        )
        .await
        .unwrap();
        let added = pipelines::get_stage(&app.db, t.account_id, demo)
            .await
            .unwrap();
        assert_eq!(
            (
                added.key.as_str(),
                added.probability,
                added.rotting_days,
                added.position
            ),
            ("demo_booked", 55, Some(14), before.len() as i64)
        );

        // Reorder: to the front, then one step down; positions stay 0..n.
        pipeline_settings::move_stage(&app.db, &t.admin, demo, 0)
            .await
            .unwrap();
        assert_eq!(
            stage_names(&app.db, t.account_id, pipeline).await[0],
            "Demo booked"
        );
        pipeline_settings::move_stage(&app.db, &t.owner, demo, 1)
            .await
            .unwrap();
        let stages = pipelines::stages_of(&app.db, t.account_id, pipeline)
            .await
            .unwrap();
        assert_eq!(stages[1].id, demo);
        assert_eq!(
            stages.iter().map(|s| s.position).collect::<Vec<_>>(),
            (0..stages.len() as i64).collect::<Vec<_>>()
        );
        assert!(forbidden(
            pipeline_settings::move_stage(&app.db, &t.sales, demo, 3).await
        ));

        pipeline_settings::update_stage(
            &app.db,
            &t.admin,
            demo,
            &StageInput {
                key: "demo".into(),
                ..stage("Demo held", 60)
            },
        )
        .await
        .unwrap();
        let edited = pipelines::get_stage(&app.db, t.account_id, demo)
            .await
            .unwrap();
        assert_eq!(
            (
                edited.name.as_str(),
                edited.key.as_str(),
                edited.probability
            ),
            ("Demo held", "demo", 60)
        );

        // A stage with deals goes only with a target for them; they land after the ones there.
        let actor = Actor {
            account_id: t.account_id,
            user_id: Some(t.owner.id),
        };
        let target = stages[0].id;
        let mut moved = Vec::new();
        for (title, stage_id) in [("Stays", target), ("Moves A", demo), ("Moves B", demo)] {
            let d = deals::create_deal(
                &app.db,
                actor,
                NewDeal {
                    title: title.into(),
                    stage_id: Some(stage_id),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            if stage_id == demo {
                moved.push(d.id);
            }
        }
        assert_eq!(
            field_of(pipeline_settings::delete_stage(&app.db, &t.admin, demo, None).await),
            "move_to"
        );
        assert_eq!(
            field_of(pipeline_settings::delete_stage(&app.db, &t.admin, demo, Some(demo)).await),
            "move_to"
        );
        assert!(forbidden(
            pipeline_settings::delete_stage(&app.db, &t.sales, demo, Some(target)).await
        ));
        pipeline_settings::delete_stage(&app.db, &t.admin, demo, Some(target))
            .await
            .unwrap();
        assert!(matches!(
            pipelines::get_stage(&app.db, t.account_id, demo).await,
            Err(ServiceError::NotFound(_))
        ));
        let mut column: Vec<(i64, DealId)> = Vec::new();
        for id in moved.iter() {
            let d = deals::get_deal(&app.db, actor, *id).await.unwrap();
            assert_eq!(d.stage_id, target);
            column.push((d.position, d.id));
        }
        let (stays,): (i64,) =
            sqlx::query_as("SELECT position FROM deals WHERE stage_id = $1 AND title = 'Stays'")
                .bind(target)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert!(
            stays < column[0].0 && column[0].0 < column[1].0,
            "after the deal already there, in their old order: {stays} then {column:?}"
        );
        let (events,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM deal_events WHERE kind = 'stage_changed' AND from_stage_id = $1 AND to_stage_id = $2",
        )
        .bind(demo)
        .bind(target)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(events, 2, "each moved deal keeps a trail");
        assert_eq!(stage_names(&app.db, t.account_id, pipeline).await, before);

        // A pipeline keeps its last stage.
        let second = pipeline_settings::add_pipeline(&app.db, &t.admin, "Renewals")
            .await
            .unwrap();
        let only = pipelines::stages_of(&app.db, t.account_id, second)
            .await
            .unwrap();
        assert_eq!(only.len(), 1);
        assert!(matches!(
            pipeline_settings::delete_stage(&app.db, &t.admin, only[0].id, None).await,
            Err(ServiceError::Conflict(_))
        ));
        pipeline_settings::rename_pipeline(&app.db, &t.admin, second, "Upsell")
            .await
            .unwrap();
        assert!(pipelines::list_pipelines(&app.db, t.account_id)
            .await
            .unwrap()
            .iter()
            .any(|p| p.name == "Upsell"));

        // Another account's stage does not exist here.
        let other = team_of(&app, "Elsewhere").await;
        assert!(matches!(
            pipeline_settings::update_stage(&app.db, &other.admin, target, &stage("Mine", 1)).await,
            Err(ServiceError::NotFound(_))
        ));
    }
}

#[tokio::test]
async fn tags_and_products_are_managed_by_owners_and_admins() {
    for db in backends().await {
        let app = TestDb::new(db);
        let t = team_of(&app, "Catalog").await;
        assert!(forbidden(catalog::add_tag(&app.db, &t.sales, "VIP").await));
        let vip = catalog::add_tag(&app.db, &t.admin, "VIP").await.unwrap();
        assert_eq!(
            field_of(catalog::add_tag(&app.db, &t.admin, " vip ").await),
            "name"
        );
        assert_eq!(
            field_of(catalog::add_tag(&app.db, &t.admin, " ").await),
            "name"
        );
        catalog::rename_tag(&app.db, &t.owner, vip, "Key account")
            .await
            .unwrap();
        assert!(forbidden(
            catalog::rename_tag(&app.db, &t.sales, vip, "Mine").await
        ));

        let actor = Actor {
            account_id: t.account_id,
            user_id: Some(t.owner.id),
        };
        let deal = deals::create_deal(
            &app.db,
            actor,
            NewDeal {
                title: "Tagged".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        deal_links::add_link(&app.db, actor, deal.id, Link::Tag(vip))
            .await
            .unwrap();
        assert!(forbidden(catalog::delete_tag(&app.db, &t.sales, vip).await));
        catalog::delete_tag(&app.db, &t.admin, vip).await.unwrap();
        assert!(catalog::tags(&app.db, t.account_id)
            .await
            .unwrap()
            .is_empty());
        let (left,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM deal_tags WHERE deal_id = $1")
            .bind(deal.id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(left, 0, "the deal lost the deleted tag");

        let seat = ProductInput {
            name: "Seat".into(),
            identifier: "SEAT-1".into(),
            unit_amount: "49.90".into(),
            currency: "brl".into(),
        };
        assert!(forbidden(
            catalog::add_product(&app.db, &t.sales, &seat).await
        ));
        for (bad, field) in [
            (
                ProductInput {
                    unit_amount: "1.999".into(),
                    ..seat.clone()
                },
                "unit_amount",
            ),
            (
                ProductInput {
                    currency: "euro".into(),
                    ..seat.clone()
                },
                "currency",
            ),
            (
                ProductInput {
                    name: String::new(),
                    ..seat.clone()
                },
                "name",
            ),
        ] {
            assert_eq!(
                field_of(catalog::add_product(&app.db, &t.admin, &bad).await),
                field
            );
        }
        assert!(catalog::products(&app.db, t.account_id, false)
            .await
            .unwrap()
            .is_empty());
        let id = catalog::add_product(&app.db, &t.admin, &seat)
            .await
            .unwrap();
        let listed = &catalog::products(&app.db, t.account_id, true)
            .await
            .unwrap()[0];
        assert_eq!(
            (
                listed.unit_amount_cents,
                listed.currency.as_str(),
                listed.active
            ),
            (4990, "BRL", true)
        );
        catalog::update_product(
            &app.db,
            &t.admin,
            id,
            &ProductInput {
                unit_amount: "59".into(),
                ..seat.clone()
            },
        )
        .await
        .unwrap();
        assert!(forbidden(
            catalog::set_product_active(&app.db, &t.sales, id, false).await
        ));
        catalog::set_product_active(&app.db, &t.admin, id, false)
            .await
            .unwrap();
        assert!(catalog::products(&app.db, t.account_id, true)
            .await
            .unwrap()
            .is_empty());
        let all = catalog::products(&app.db, t.account_id, false)
            .await
            .unwrap();
        assert_eq!((all[0].unit_amount_cents, all[0].active), (5900, false));
        let other = team_of(&app, "Other catalog").await;
        assert!(matches!(
            catalog::set_product_active(&app.db, &other.admin, id, true).await,
            Err(ServiceError::NotFound(_))
        ));
    }
}
