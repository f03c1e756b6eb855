//! The deal table (`/deals`) on both databases: every deal of the account, open, won or lost,
//! with its filters (status, pipeline, stage, owner, value, dates, tag, lead source, text
//! without accents), ordered by any sortable column (empty values last), 50 rows a page, a bad
//! filter refused naming it, only deals the user may see, and the page with the chosen
//! columns; saved views, private or shared, opened on the table and on the board.

use dealflow::domain::deal_table::{Column, TableQuery};
use dealflow::domain::{DealId, DealStatus, Role, UserId};
use dealflow::server::auth::session_user::load_user;
use dealflow::server::services::deals::links::{self, Link};
use dealflow::server::services::deals::{self, table, views, NewDeal};
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
            (q(|q| q.q = "x".repeat(101)), "q"),
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

#[tokio::test]
async fn views_are_saved_shared_and_opened_on_the_table_and_the_board() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Views", 0).await;
        let (owner_id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(&s.email)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let owner = Actor {
            account_id: s.account_id,
            user_id: Some(UserId(owner_id)),
        };
        let rita_id = accounts::create_user(
            &app.db,
            s.account_id,
            "rita@views.test",
            "Rita",
            "password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let rita = Actor {
            account_id: s.account_id,
            user_id: Some(rita_id),
        };
        let (other, _, _) = app.account("Other views").await;
        let stranger = Actor {
            account_id: other,
            user_id: None,
        };

        // Kept as the table reads it, without its page; private until shared.
        let mine = views::save(
            &app.db,
            owner,
            " Won big ",
            "status=won&min_value=100&cols=title&cols=value&page=3",
            false,
        )
        .await
        .unwrap();
        let listed = views::list(&app.db, owner).await.unwrap();
        assert_eq!(listed.len(), 1);
        assert_eq!(listed[0].name, "Won big");
        assert!(listed[0].mine && !listed[0].shared);
        assert_eq!(
            listed[0].table_href,
            "/deals?status=won&min_value=100&cols=title&cols=value"
        );
        assert_eq!(listed[0].board_href, "/?status=won&min_value=100");
        assert!(
            views::list(&app.db, rita).await.unwrap().is_empty(),
            "another user's private view"
        );

        let pipeline = s.pipeline_id.to_string();
        let query = format!("pipeline={pipeline}&q=S%C3%A3o&sort=value&dir=desc");
        views::save(&app.db, owner, "Team", &query, true)
            .await
            .unwrap();
        let seen = views::list(&app.db, rita).await.unwrap();
        assert_eq!(seen.len(), 1, "{seen:?}");
        assert!(seen[0].shared && !seen[0].mine);
        assert_eq!(seen[0].table_href, format!("/deals?{query}"));
        assert_eq!(
            seen[0].board_href,
            format!("/pipelines/{pipeline}?status=all&q=S%C3%A3o")
        );
        assert!(
            views::list(&app.db, stranger).await.unwrap().is_empty(),
            "another account"
        );

        // Only its author deletes a view.
        assert!(matches!(
            views::delete(&app.db, rita, seen[0].id).await,
            Err(ServiceError::NotFound(_))
        ));
        assert!(matches!(
            views::delete(&app.db, stranger, mine).await,
            Err(ServiceError::NotFound(_))
        ));
        views::delete(&app.db, owner, mine).await.unwrap();
        assert_eq!(views::list(&app.db, owner).await.unwrap().len(), 1);

        // A view that would not open is not kept.
        for (name, query, field) in [
            ("Bad", "status=sold", "status"),
            ("Bad", "sort=tags", "sort"),
            ("  ", "status=won", "name"),
            (&"x".repeat(81) as &str, "", "name"),
        ] {
            match views::save(&app.db, owner, name, query, false).await {
                Err(ServiceError::Validation { field: f, .. }) => assert_eq!(f, field, "{query}"),
                other => panic!("{name} {query}: {other:?}"),
            }
        }
        assert!(matches!(
            views::save(&app.db, stranger, "Keyless", "", false).await,
            Err(ServiceError::Forbidden(_))
        ));

        // The table page lists them and offers to save the table as it is.
        let client = app.signed_in(&s.email, &s.password).await;
        let html = client
            .get(app.url("/deals?status=open"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(html.contains("data-testid=\"view-link\""), "the views");
        assert!(
            html.contains("value=\"status=open\""),
            "the save form keeps the query"
        );
        let html = client
            .get(app.url("/"))
            .send()
            .await
            .unwrap()
            .text()
            .await
            .unwrap();
        assert!(
            html.contains("data-testid=\"board-views\""),
            "the board's views"
        );
        assert!(
            html.contains(&format!("href=\"/pipelines/{pipeline}?status=all")),
            "a view opens on its pipeline's board"
        );
    }
}

#[tokio::test]
async fn picked_deals_change_together_or_not_at_all() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Bulk", 2).await;
        let (other, _, _) = app.account("Other bulk").await;
        let owner = Actor {
            account_id: s.account_id,
            user_id: None,
        };
        let rita = accounts::create_user(
            &app.db,
            s.account_id,
            "rita@bulk.test",
            "Rita",
            "password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let (owner_id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(&s.email)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let owner_user = load_user(&app.db, UserId(owner_id)).await.unwrap().unwrap();
        let vip = catalog::add_tag(&app.db, &owner_user, "VIP").await.unwrap();
        let foreign = deals::create_deal(
            &app.db,
            Actor {
                account_id: other,
                user_id: None,
            },
            NewDeal {
                title: "Theirs".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let ids: Vec<i64> =
            sqlx::query_as::<_, (i64,)>("SELECT id FROM deals WHERE account_id = $1 ORDER BY id")
                .bind(s.account_id)
                .fetch_all(&app.db.pool)
                .await
                .unwrap()
                .into_iter()
                .map(|(id,)| id)
                .collect();
        assert_eq!(ids.len(), 6);
        let client = app.signed_in(&s.email, &s.password).await;
        let post = |form: String| {
            let request = client
                .post(app.url("/deals/bulk"))
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form);
            async move {
                let res = request.send().await.unwrap();
                assert_eq!(res.status().as_u16(), 303, "a redirect back to the table");
                res.headers()["location"].to_str().unwrap().to_string()
            }
        };
        let picked = |n: usize| {
            ids[..n]
                .iter()
                .map(|id| format!("ids={id}"))
                .collect::<Vec<_>>()
                .join("&")
        };
        let field = |sql: &'static str| {
            let db = app.db.clone();
            async move {
                sqlx::query_as::<_, (i64,)>(sql)
                    .fetch_one(&db.pool)
                    .await
                    .unwrap()
                    .0
            }
        };

        // Give two an owner.
        let to = post(format!(
            "{}&action=assign&owner={rita}&back=%2Fdeals%3Fstatus%3Dopen",
            picked(2)
        ))
        .await;
        assert_eq!(to, "/deals?status=open&bulk_done=2");
        let with_rita: i64 = sqlx::query_as::<_, (i64,)>(
            "SELECT COUNT(*) FROM deals WHERE responsible_user_id = $1",
        )
        .bind(rita)
        .fetch_one(&app.db.pool)
        .await
        .unwrap()
        .0;
        assert_eq!(with_rita, 2);

        // Move three to a stage of another pipeline; tag them.
        let stage = dealflow::server::services::pipelines::NewStage {
            key: "renewal".into(),
            name: "Renewal".into(),
            probability: 50,
            rotting_days: None,
        };
        let other_pipeline = dealflow::server::services::pipelines::create_pipeline(
            &app.db,
            s.account_id,
            "Renewals",
            false,
            &[stage],
        )
        .await
        .unwrap();
        let target =
            dealflow::server::services::pipelines::stages_of(&app.db, s.account_id, other_pipeline)
                .await
                .unwrap();
        let target = target.first().map(|st| st.id).expect("a stage");
        let to = post(format!("{}&action=move&stage={target}", picked(3))).await;
        assert_eq!(to, "/deals?bulk_done=3");
        let moved: i64 =
            sqlx::query_as::<_, (i64,)>("SELECT COUNT(*) FROM deals WHERE stage_id = $1")
                .bind(target)
                .fetch_one(&app.db.pool)
                .await
                .unwrap()
                .0;
        assert_eq!(moved, 3);
        let to = post(format!("{}&action=tag&tag={vip}", picked(3))).await;
        assert!(to.ends_with("bulk_done=3"), "{to}");

        // Mark lost: the open ones only.
        deals::closing::mark_won(&app.db, owner, DealId(ids[0]), None, "")
            .await
            .unwrap();
        let to = post(format!("{}&action=lose&reason=Price", picked(3))).await;
        assert!(to.ends_with("bulk_done=2"), "the won one stays won: {to}");
        assert_eq!(
            field("SELECT COUNT(*) FROM deals WHERE status = 'lost'").await,
            2
        );

        // Delete asks for the tick; a deal of another account spoils the whole batch.
        let to = post(format!("{}&action=delete", picked(2))).await;
        assert!(to.contains("bulk_error="), "{to}");
        let to = post(format!(
            "{}&ids={}&action=delete&confirm=yes",
            picked(2),
            foreign.id
        ))
        .await;
        assert!(to.contains("bulk_error="), "{to}");
        assert_eq!(
            field("SELECT COUNT(*) FROM deals").await,
            7,
            "nothing deleted"
        );
        let to = post(format!(
            "{}&action=delete&confirm=yes&back=https%3A%2F%2Fevil.test%2F",
            picked(2)
        ))
        .await;
        assert_eq!(to, "/deals?bulk_done=2", "back only to the table");
        assert_eq!(field("SELECT COUNT(*) FROM deals").await, 5);

        // Nothing picked, or an unknown action, is said so.
        assert!(post("action=tag&tag=1".into())
            .await
            .contains("bulk_error="));
        assert!(post(format!("{}&action=explode", picked(1)))
            .await
            .contains("bulk_error="));
    }
}

#[tokio::test]
async fn the_table_exports_every_deal_its_filters_find() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        // 3 open deals in each of 3 stages, and 520 won ones: more than one page of the file.
        let s = seed(&app.db, "Table export", 3).await;
        let actor = Actor {
            account_id: s.account_id,
            user_id: None,
        };
        for i in 0..520 {
            deals::create_deal(
                &app.db,
                actor,
                NewDeal {
                    title: format!("Won {i}"),
                    status: DealStatus::Won,
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        let client = app.signed_in(&s.email, &s.password).await;
        let csv = |path: &'static str| {
            let request = client.get(app.url(path));
            async move {
                let res = request.send().await.unwrap();
                (res.status().as_u16(), res.text().await.unwrap())
            }
        };
        let (status, text) = csv("/export/table.csv").await;
        assert_eq!(status, 200);
        let lines: Vec<&str> = text
            .trim_start_matches('\u{FEFF}')
            .split("\r\n")
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(
            lines.len(),
            1 + 9 + 520,
            "every deal once, whatever its status"
        );
        let (_, text) = csv("/export/table.csv?status=open&sort=value&cols=title").await;
        assert_eq!(text.split("\r\n").filter(|l| !l.is_empty()).count(), 1 + 9);
        let (status, _) = csv("/export/table.csv?min_value=lots").await;
        assert_eq!(status, 422, "a bad filter before any byte");
    }
}

/// The "next" link of the table reads the following page from a cursor: the same rows as the
/// page of that number, for each order a cursor serves (newest first, value, status, updated),
/// ties included; other orders page by number; a bad cursor is refused naming `after`.
#[tokio::test]
async fn next_pages_from_a_cursor_are_the_pages_by_number() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Cursor table", 0).await;
        let actor = Actor {
            account_id: s.account_id,
            user_id: None,
        };
        for i in 0..120 {
            deals::create_deal(
                &app.db,
                actor,
                NewDeal {
                    title: format!("Row {i:03}"),
                    value_cents: 1_000 * (i % 7),
                    stage_id: Some(s.stages[i as usize % 3]),
                    status: if i % 5 == 0 {
                        DealStatus::Won
                    } else {
                        DealStatus::Open
                    },
                    ..Default::default()
                },
            )
            .await
            .unwrap();
        }
        // Twenty deals created in the same microsecond, across the first page's end.
        sqlx::query(
            "UPDATE deals SET created_at = '2026-06-01T10:00:00.000000Z', updated_at = '2026-06-01T10:00:00.000000Z' \
             WHERE account_id = $1 AND id IN (SELECT id FROM deals WHERE account_id = $1 ORDER BY id DESC LIMIT 20 OFFSET 40)",
        )
        .bind(s.account_id)
        .execute(&app.db.pool)
        .await
        .unwrap();
        let ids = |p: &dealflow::domain::deal_table::TablePage| -> Vec<DealId> {
            p.rows.iter().map(|r| r.id).collect()
        };
        for (sort, dir) in [
            ("", ""),
            ("value", "asc"),
            ("value", "desc"),
            ("status", "asc"),
            ("updated", "desc"),
        ] {
            let base = TableQuery {
                sort: sort.into(),
                dir: dir.into(),
                ..Default::default()
            };
            let mut query = base.clone();
            let mut seen = Vec::new();
            for number in 1..=3 {
                let by_cursor = table::page(&app.db, actor, &query).await.unwrap();
                let by_number = table::page(
                    &app.db,
                    actor,
                    &TableQuery {
                        page: number.to_string(),
                        ..base.clone()
                    },
                )
                .await
                .unwrap();
                assert_eq!(by_cursor.page, number, "{sort} {dir}");
                assert_eq!(
                    ids(&by_cursor),
                    ids(&by_number),
                    "{sort} {dir}, page {number}"
                );
                seen.extend(ids(&by_cursor));
                match by_cursor.next {
                    Some(next) => {
                        assert!(number < 3, "no cursor after the last page");
                        query = TableQuery {
                            after: next,
                            ..base.clone()
                        };
                    }
                    None => assert_eq!(number, 3, "{sort} {dir}: a cursor until the last page"),
                }
            }
            seen.sort();
            seen.dedup();
            assert_eq!(seen.len(), 120, "{sort} {dir}: every deal once");
        }
        // An order with empty values pages by number only.
        let by_close = table::page(
            &app.db,
            actor,
            &TableQuery {
                sort: "expected_close".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(by_close.next, None);

        // The page's "next" link carries the cursor; a bad one is refused, naming it.
        let client = app.signed_in(&s.email, &s.password).await;
        let (status, html) = app.page(&client, "/deals").await;
        assert_eq!(status, 200);
        let first = table::page(&app.db, actor, &TableQuery::default())
            .await
            .unwrap();
        let next = first.next.expect("a next page");
        assert!(
            html.contains(&format!("href=\"/deals?after={next}\"")),
            "the next link"
        );
        let (status, html) = app.page(&client, &format!("/deals?after={next}")).await;
        assert_eq!(status, 200);
        assert_eq!(
            crate::fixtures::testid_text(&html, "pager").as_deref(),
            Some("120 deals · page 2 of 3"),
            "the page's number, from the cursor"
        );
        let err = table::page(
            &app.db,
            actor,
            &TableQuery {
                after: "nope".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap_err();
        assert!(
            matches!(&err, ServiceError::Validation { field, .. } if field == "after"),
            "{err:?}"
        );
    }
}
