//! The deal table (`/deals`) on both databases: every deal of the account, open, won or lost,
//! with its filters (status, pipeline, stage, owner, value, dates, tag, lead source, text
//! without accents), ordered by any sortable column (empty values last), 50 rows a page, a bad
//! filter refused naming it, only deals the user may see, and the page with the chosen
//! columns.

use dealflow::domain::deal_table::{Column, TableQuery};
use dealflow::domain::{DealId, DealStatus, Role, UserId};
use dealflow::server::auth::session_user::load_user;
use dealflow::server::services::deals::links::{self, Link};
use dealflow::server::services::deals::{self, table, NewDeal};
use dealflow::server::services::{accounts, catalog, marketing, organizations, Actor};
use dealflow::server::ServiceError;

use crate::fixtures::seed;
use crate::support::{backends, OnBackend, TestApp};

/// The titles of a table page, in order.
async fn titles(app: &TestApp, actor: Actor, query: TableQuery) -> Vec<String> {
    table::page(&app.db, actor, &query)
        .await
        .unwrap_or_else(|e| panic!("{query:?}: {e:?}"))
        .rows
        .into_iter()
        .map(|r| r.title)
        .collect()
}

#[tokio::test]
async fn the_table_filters_sorts_and_pages_every_deal() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Table", 0).await;
        let (owner_id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(&s.email)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let owner = load_user(&app.db, UserId(owner_id)).await.unwrap().unwrap();
        let actor = Actor::from(&owner);
        let rita = accounts::create_user(
            &app.db,
            s.account_id,
            "rita@table.test",
            "Rita",
            "password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let vip = catalog::add_tag(&app.db, &owner, "VIP").await.unwrap();
        let fair = marketing::add_lead_source(&app.db, &owner, "Fair")
            .await
            .unwrap();
        let acme = organizations::create_organization(&app.db, actor, "Ação Imóveis")
            .await
            .unwrap();
        let mut made = Vec::new();
        for (title, cents, status, close, extra) in [
            ("Alpha", 50_000, DealStatus::Open, Some("2026-03-01"), 0),
            ("Bravo", 10_000, DealStatus::Won, None, 1),
            ("Charlie", 90_000, DealStatus::Lost, Some("2026-01-15"), 2),
            ("Delta", 30_000, DealStatus::Open, None, 3),
        ] {
            let deal = deals::create_deal(
                &app.db,
                actor,
                NewDeal {
                    title: title.into(),
                    value_cents: cents,
                    stage_id: Some(s.stages[extra % 2]),
                    status,
                    lost_reason: if status == DealStatus::Lost {
                        "Price".into()
                    } else {
                        String::new()
                    },
                    expected_close_date: close.map(str::to_string),
                    responsible_user_id: Some(if extra == 3 { rita } else { owner.id }),
                    organization_id: (extra == 2).then_some(acme),
                    lead_source_id: (extra == 1).then_some(fair),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            made.push(deal.id);
        }
        links::add_link(&app.db, actor, made[0], Link::Tag(vip))
            .await
            .unwrap();
        let q = |f: fn(&mut TableQuery)| {
            let mut q = TableQuery::default();
            f(&mut q);
            q
        };

        // Every deal, newest first, by default.
        assert_eq!(
            titles(&app, actor, q(|_| {})).await,
            ["Delta", "Charlie", "Bravo", "Alpha"]
        );
        assert_eq!(
            titles(&app, actor, q(|q| q.status = "open".into())).await,
            ["Delta", "Alpha"]
        );
        assert_eq!(
            titles(&app, actor, q(|q| q.status = "won".into())).await,
            ["Bravo"]
        );
        let stage = s.stages[1].to_string();
        let page = table::page(
            &app.db,
            actor,
            &TableQuery {
                stage: stage.clone(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            page.rows
                .iter()
                .map(|r| r.title.as_str())
                .collect::<Vec<_>>(),
            ["Delta", "Bravo"]
        );
        let page = table::page(
            &app.db,
            actor,
            &TableQuery {
                owner: rita.to_string(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(page.total, 1);
        let page = table::page(
            &app.db,
            actor,
            &TableQuery {
                tag: vip.to_string(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            (page.rows[0].title.as_str(), page.rows[0].tags.clone()),
            ("Alpha", vec!["VIP".to_string()])
        );
        let page = table::page(
            &app.db,
            actor,
            &TableQuery {
                lead_source: fair.to_string(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(page.rows[0].lead_source.as_deref(), Some("Fair"));
        assert_eq!(
            titles(
                &app,
                actor,
                q(|q| {
                    q.min_value = "200".into();
                    q.max_value = "600".into()
                })
            )
            .await,
            ["Delta", "Alpha"]
        );
        assert_eq!(
            titles(&app, actor, q(|q| q.q = "ACAO imoveis".into())).await,
            ["Charlie"],
            "the organization, without accents"
        );
        assert_eq!(
            titles(
                &app,
                actor,
                q(|q| {
                    q.close_from = "2026-02-01".into();
                    q.close_to = "2026-12-31".into()
                })
            )
            .await,
            ["Alpha"]
        );
        assert_eq!(
            titles(&app, actor, q(|q| q.created_from = "2999-01-01".into())).await,
            Vec::<String>::new()
        );
        let pipeline = s.pipeline_id.to_string();
        let page = table::page(
            &app.db,
            actor,
            &TableQuery {
                pipeline,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(page.total, 4);

        // Any sortable column, either way; deals without a close date come last both ways.
        assert_eq!(
            titles(&app, actor, q(|q| q.sort = "value".into())).await,
            ["Bravo", "Delta", "Alpha", "Charlie"]
        );
        assert_eq!(
            titles(
                &app,
                actor,
                q(|q| {
                    q.sort = "value".into();
                    q.dir = "desc".into()
                })
            )
            .await,
            ["Charlie", "Alpha", "Delta", "Bravo"]
        );
        assert_eq!(
            titles(&app, actor, q(|q| q.sort = "expected_close".into())).await[..2],
            ["Charlie", "Alpha"]
        );
        assert_eq!(
            titles(
                &app,
                actor,
                q(|q| {
                    q.sort = "expected_close".into();
                    q.dir = "desc".into()
                })
            )
            .await[..2],
            ["Alpha", "Charlie"]
        );
        assert_eq!(
            titles(&app, actor, q(|q| q.sort = "title".into())).await,
            ["Alpha", "Bravo", "Charlie", "Delta"]
        );

        // Columns: the default set, or the ones asked for (once each, in the asked order).
        let page = table::page(&app.db, actor, &TableQuery::default())
            .await
            .unwrap();
        assert_eq!(page.columns, Column::DEFAULT.to_vec());
        let page = table::page(
            &app.db,
            actor,
            &TableQuery {
                cols: vec!["value".into(), "title".into(), "value".into()],
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(page.columns, [Column::Value, Column::Title]);

        // Bad values are refused naming their field.
        for (query, field) in [
            (q(|q| q.status = "sold".into()), "status"),
            (q(|q| q.min_value = "lots".into()), "min_value"),
            (q(|q| q.created_from = "31/12/2026".into()), "created_from"),
            (q(|q| q.sort = "tags".into()), "sort"),
            (q(|q| q.dir = "up".into()), "dir"),
            (q(|q| q.cols = vec!["secret".into()]), "cols"),
            (q(|q| q.page = "0".into()), "page"),
            (q(|q| q.stage = "x".into()), "stage"),
        ] {
            match table::page(&app.db, actor, &query).await {
                Err(ServiceError::Validation { field: f, .. }) => assert_eq!(f, field, "{query:?}"),
                other => panic!("{query:?}: {other:?}"),
            }
        }

        // 50 rows a page.
        for i in 0..60 {
            deals::create_deal(
                &app.db,
                actor,
                NewDeal {
                    title: format!("Bulk {i:02}"),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        let second = table::page(
            &app.db,
            actor,
            &TableQuery {
                page: "2".into(),
                sort: "title".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!((second.total, second.rows.len()), (64, 14));
        // Alpha, Bravo and Bulk 00 … 47 fill the first page.
        assert_eq!(second.rows[0].title, "Bulk 48");

        // A salesperson sees only the deals visible to them.
        let rita_user = load_user(&app.db, rita).await.unwrap().unwrap();
        let private = deals::create_deal(
            &app.db,
            actor,
            NewDeal {
                title: "Owner's secret".into(),
                visibility: Some(0),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let seen: Vec<DealId> = table::page(
            &app.db,
            Actor::from(&rita_user),
            &TableQuery {
                q: "secret".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .rows
        .into_iter()
        .map(|r| r.id)
        .collect();
        assert!(
            !seen.contains(&private.id),
            "a private deal of another user"
        );

        // The page: the chosen columns, sortable headings, every row a link.
        let client = app.signed_in(&s.email, &s.password).await;
        let html = client
            .get(app.url("/deals?status=open&cols=title&cols=value&sort=value&dir=desc"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("data-testid=\"deal-table\""), "the table");
        assert!(
            html.contains("aria-sort=\"descending\""),
            "the current order"
        );
        assert!(
            html.contains(&format!("href=\"/deals/{}\"", made[0])),
            "a row links to its deal"
        );
        assert!(
            !html.contains("data-column=\"owner\""),
            "only the chosen columns"
        );
        let html = client
            .get(app.url("/deals?min_value=lots"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("role=\"alert\"") && html.contains("lots"),
            "the refusal is shown with the value"
        );
    }
}
