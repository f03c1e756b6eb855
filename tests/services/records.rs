//! Service-level integration tests on both databases: closing deals, activities and their
//! points, contacts.

use dealflow::domain::{DealId, OrganizationId, Role, UserId};
use dealflow::server::services::activities::{self, NewActivity};
use dealflow::server::services::contacts::{self, NewContact};
use dealflow::server::services::deals::closing;
use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::{accounts, Actor};
use dealflow::server::ServiceError;

use crate::support::{backends, TestDb};

fn field_of(e: ServiceError) -> String {
    match e {
        ServiceError::Validation { field, .. } => field,
        other => panic!("expected a validation error, got {other:?}"),
    }
}

#[tokio::test]
async fn won_lost_and_reopen_set_and_clear_their_timestamps() {
    for db in backends().await {
        let app = TestDb::new(db);
        let (account_id, _, _) = app.account("Closing").await;
        let actor = Actor {
            account_id,
            user_id: None,
        };
        let deal = deals::create_deal(
            &app.db,
            actor,
            NewDeal {
                title: "Renewal".into(),
                value_cents: 50_000,
                ..Default::default()
            },
        )
        .await
        .unwrap();

        let won = closing::mark_won(&app.db, actor, deal.id, None, "  signed  ")
            .await
            .unwrap();
        assert_eq!(won.status, "won");
        assert!(won.won_at.is_some() && won.lost_at.is_none());
        assert_eq!(
            won.final_value_cents,
            Some(50_000),
            "final value defaults to the value"
        );
        assert_eq!(won.close_notes.as_deref(), Some("signed"));

        let err = closing::mark_lost(&app.db, actor, deal.id, "   ")
            .await
            .unwrap_err();
        assert_eq!(field_of(err), "lost_reason");
        assert_eq!(
            deals::get_deal(&app.db, actor, deal.id)
                .await
                .unwrap()
                .status,
            "won",
            "unchanged"
        );

        let lost = closing::mark_lost(&app.db, actor, deal.id, "Too expensive")
            .await
            .unwrap();
        assert_eq!(lost.status, "lost");
        assert!(lost.lost_at.is_some() && lost.won_at.is_none());
        assert_eq!(lost.lost_reason, "Too expensive");
        assert_eq!(lost.final_value_cents, None);

        let open = closing::reopen(&app.db, actor, deal.id).await.unwrap();
        assert_eq!(open.status, "open");
        assert!(open.won_at.is_none() && open.lost_at.is_none());
        assert_eq!(open.lost_reason, "");
        assert_eq!(
            field_of(closing::reopen(&app.db, actor, deal.id).await.unwrap_err()),
            "status"
        );

        let err = closing::mark_won(&app.db, actor, deal.id, Some(-1), "")
            .await
            .unwrap_err();
        assert_eq!(field_of(err), "final_value");
        let won = closing::mark_won(&app.db, actor, deal.id, Some(42_00), "")
            .await
            .unwrap();
        assert_eq!(won.final_value_cents, Some(4_200));

        let kinds: Vec<(String,)> =
            sqlx::query_as("SELECT kind FROM deal_events WHERE deal_id = $1 ORDER BY id")
                .bind(deal.id)
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        let kinds: Vec<&str> = kinds.iter().map(|(k,)| k.as_str()).collect();
        assert_eq!(kinds, ["opened", "won", "lost", "reopened", "won"]);

        let (other, _, _) = app.account("Other").await;
        let stranger = Actor {
            account_id: other,
            user_id: None,
        };
        assert!(matches!(
            closing::mark_lost(&app.db, stranger, deal.id, "x").await,
            Err(ServiceError::NotFound(_))
        ));
    }
}

#[tokio::test]
async fn completing_activities_keeps_an_honest_points_ledger() {
    for db in backends().await {
        let app = TestDb::new(db);
        let (account_id, _, _) = app.account("Points").await;
        let owner_actor = Actor {
            account_id,
            user_id: None,
        };
        let sam = accounts::create_user(
            &app.db,
            account_id,
            "sam@points.test",
            "Sam",
            "password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let rita = accounts::create_user(
            &app.db,
            account_id,
            "rita@points.test",
            "Rita",
            "password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let deal = deals::create_deal(
            &app.db,
            owner_actor,
            NewDeal {
                title: "Sam's deal".into(),
                responsible_user_id: Some(sam),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let rita_actor = Actor {
            account_id,
            user_id: Some(rita),
        };
        let points = |user| activities::user_points(&app.db, account_id, user);

        // A call on Sam's deal, logged by Rita: the points go to the deal's salesperson.
        let call = activities::create_activity(
            &app.db,
            rita_actor,
            NewActivity {
                kind: "call".into(),
                title: "Discovery call".into(),
                deal_id: Some(deal.id),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        activities::complete(&app.db, rita_actor, call.id)
            .await
            .unwrap();
        assert_eq!(points(sam).await.unwrap(), 10);
        assert_eq!(points(rita).await.unwrap(), 0);

        // Completing again, sequentially and concurrently, never counts twice.
        activities::complete(&app.db, rita_actor, call.id)
            .await
            .unwrap();
        let (a, b) = tokio::join!(
            activities::complete(&app.db, rita_actor, call.id),
            activities::complete(&app.db, rita_actor, call.id)
        );
        a.unwrap();
        b.unwrap();
        assert_eq!(points(sam).await.unwrap(), 10);

        // Reopening takes them back; reopening twice takes nothing more.
        let reopened = activities::reopen(&app.db, rita_actor, call.id)
            .await
            .unwrap();
        assert!(reopened.done_at.is_none());
        activities::reopen(&app.db, rita_actor, call.id)
            .await
            .unwrap();
        assert_eq!(points(sam).await.unwrap(), 0);

        // Without a deal, the activity's own user earns them.
        let meeting = activities::create_activity(
            &app.db,
            rita_actor,
            NewActivity {
                kind: "Meeting".into(),
                title: "Lunch".into(),
                due_at: Some("2026-11-23T12:30".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(
            meeting.due_at.as_deref(),
            Some("2026-11-23T12:30:00.000000Z")
        );
        activities::complete(&app.db, rita_actor, meeting.id)
            .await
            .unwrap();
        assert_eq!(points(rita).await.unwrap(), 20);

        // Deleting a completed activity takes its points back; the ledger keeps the history.
        activities::delete(&app.db, rita_actor, meeting.id)
            .await
            .unwrap();
        assert_eq!(points(rita).await.unwrap(), 0);
        let (entries,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM points_ledger WHERE account_id = $1")
                .bind(account_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(entries, 4, "+10, -10, +20, -20");
        assert!(matches!(
            activities::complete(&app.db, rita_actor, meeting.id).await,
            Err(ServiceError::NotFound(_))
        ));

        // Bad input is refused with the field named, and nothing is stored.
        for (new, field) in [
            (
                NewActivity {
                    kind: "lunch".into(),
                    title: "x".into(),
                    ..Default::default()
                },
                "kind",
            ),
            (
                NewActivity {
                    kind: "task".into(),
                    title: " ".into(),
                    ..Default::default()
                },
                "title",
            ),
            (
                NewActivity {
                    kind: "task".into(),
                    title: "x".into(),
                    due_at: Some("tomorrow".into()),
                    ..Default::default()
                },
                "due_at",
            ),
            (
                NewActivity {
                    kind: "task".into(),
                    title: "x".into(),
                    deal_id: Some(DealId(999_999)),
                    ..Default::default()
                },
                "deal_id",
            ),
        ] {
            let err = activities::create_activity(&app.db, rita_actor, new)
                .await
                .unwrap_err();
            assert_eq!(field_of(err), field);
        }
        let (left,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM activities WHERE account_id = $1")
                .bind(account_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(left, 1, "only the call remains");
    }
}

#[tokio::test]
async fn duplicate_contacts_are_refused() {
    for db in backends().await {
        let app = TestDb::new(db);
        let (account_id, _, _) = app.account("Contacts").await;
        let actor = Actor {
            account_id,
            user_id: None,
        };
        let ana = contacts::create_contact(
            &app.db,
            actor,
            NewContact {
                full_name: " Ana Lima ".into(),
                email: Some("Ana@Example.COM".into()),
                phone: Some("+55 (11) 98765-4321".into()),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        assert_eq!(ana.full_name, "Ana Lima");
        assert_eq!(ana.email.as_deref(), Some("ana@example.com"));
        assert_eq!(ana.phone.as_deref(), Some("+5511987654321"));

        let same_email = NewContact {
            full_name: "Other".into(),
            email: Some("ANA@example.com".into()),
            ..Default::default()
        };
        let err = contacts::create_contact(&app.db, actor, same_email)
            .await
            .unwrap_err();
        assert!(
            err.public_message()
                .contains("Ana Lima already has the e-mail"),
            "{}",
            err.public_message()
        );
        let same_phone = NewContact {
            full_name: "Other".into(),
            phone: Some("0055 11 98765 4321".into()),
            ..Default::default()
        };
        assert_eq!(
            field_of(
                contacts::create_contact(&app.db, actor, same_phone)
                    .await
                    .unwrap_err()
            ),
            "phone"
        );
        let bad_phone = NewContact {
            full_name: "Other".into(),
            phone: Some("98765-4321".into()),
            ..Default::default()
        };
        assert_eq!(
            field_of(
                contacts::create_contact(&app.db, actor, bad_phone)
                    .await
                    .unwrap_err()
            ),
            "phone"
        );
        let bad_email = NewContact {
            full_name: "Other".into(),
            email: Some("ana@".into()),
            ..Default::default()
        };
        assert_eq!(
            field_of(
                contacts::create_contact(&app.db, actor, bad_email)
                    .await
                    .unwrap_err()
            ),
            "email"
        );

        // Another account may have the same person.
        let (other, _, _) = app.account("Elsewhere").await;
        let twin = NewContact {
            full_name: "Ana".into(),
            email: Some("ana@example.com".into()),
            ..Default::default()
        };
        contacts::create_contact(
            &app.db,
            Actor {
                account_id: other,
                user_id: None,
            },
            twin,
        )
        .await
        .unwrap();

        let (count,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM contacts WHERE account_id = $1")
                .bind(account_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(count, 1, "nothing else was stored");
    }
}

#[tokio::test]
async fn deal_edits_are_validated_field_by_field() {
    use dealflow::server::services::deals::edit::{update_deal, DealEdit};
    for db in backends().await {
        let app = TestDb::new(db);
        let (account_id, _, _) = app.account("Edits").await;
        let actor = Actor {
            account_id,
            user_id: None,
        };
        let (other, _, _) = app.account("Foreign").await;
        let foreign_user: (UserId,) = sqlx::query_as("SELECT id FROM users WHERE account_id = $1")
            .bind(other)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let deal = deals::create_deal(
            &app.db,
            actor,
            NewDeal {
                title: "Original".into(),
                value_cents: 1_000,
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let good = DealEdit {
            title: "Bigger deal".into(),
            value: "12,500.50".into(),
            currency: "eur".into(),
            expected_close_date: "2027-03-31".into(),
            quality_rating: Some(4),
            visibility: 2,
            temperature: Some(3),
            ..Default::default()
        };
        let bad = [
            (
                DealEdit {
                    title: " ".into(),
                    ..good.clone()
                },
                "title",
            ),
            (
                DealEdit {
                    title: "x".repeat(151),
                    ..good.clone()
                },
                "title",
            ),
            (
                DealEdit {
                    value: "12.345".into(),
                    ..good.clone()
                },
                "value",
            ),
            (
                DealEdit {
                    value: "twelve".into(),
                    ..good.clone()
                },
                "value",
            ),
            (
                DealEdit {
                    value: "-5".into(),
                    ..good.clone()
                },
                "value",
            ),
            (
                DealEdit {
                    currency: "EURO".into(),
                    ..good.clone()
                },
                "currency",
            ),
            (
                DealEdit {
                    expected_close_date: "31/03/2027".into(),
                    ..good.clone()
                },
                "expected_close_date",
            ),
            (
                DealEdit {
                    quality_rating: Some(6),
                    ..good.clone()
                },
                "quality_rating",
            ),
            (
                DealEdit {
                    visibility: 3,
                    ..good.clone()
                },
                "visibility",
            ),
            (
                DealEdit {
                    temperature: Some(0),
                    ..good.clone()
                },
                "temperature",
            ),
            (
                DealEdit {
                    responsible_user_id: Some(foreign_user.0),
                    ..good.clone()
                },
                "responsible_user_id",
            ),
            (
                DealEdit {
                    organization_id: Some(OrganizationId(999_999)),
                    ..good.clone()
                },
                "organization_id",
            ),
        ];
        for (edit, field) in bad {
            let err = update_deal(&app.db, actor, deal.id, &edit)
                .await
                .unwrap_err();
            let message = err.public_message();
            assert_eq!(field_of(err), field, "{message}");
            let stored = deals::get_deal(&app.db, actor, deal.id).await.unwrap();
            assert_eq!(
                (stored.title.as_str(), stored.value_cents),
                ("Original", 1_000),
                "nothing saved"
            );
        }
        let saved = update_deal(&app.db, actor, deal.id, &good).await.unwrap();
        assert_eq!(saved.title, "Bigger deal");
        assert_eq!(saved.value_cents, 1_250_050);
        assert_eq!(saved.currency, "EUR");
        assert_eq!(saved.expected_close_date.as_deref(), Some("2027-03-31"));
        assert_eq!(saved.temperature, Some(3));
        let (data,): (String,) = sqlx::query_as(
            "SELECT data FROM deal_events WHERE deal_id = $1 AND kind = 'field_changed'",
        )
        .bind(deal.id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert!(
            data.contains("\"value_cents\"") && data.contains("1250050"),
            "{data}"
        );
        assert!(matches!(
            update_deal(
                &app.db,
                Actor {
                    account_id: other,
                    user_id: None
                },
                deal.id,
                &good
            )
            .await,
            Err(ServiceError::NotFound(_))
        ));
    }
}

#[tokio::test]
async fn settings_are_forbidden_to_salespeople() {
    use dealflow::server::auth::session_user::load_user;
    use dealflow::server::services::settings;
    for db in backends().await {
        let app = TestDb::new(db);
        let (account_id, _, _) = app.account("Settings").await;
        let sales_id = accounts::create_user(
            &app.db,
            account_id,
            "s@settings.test",
            "Sal",
            "password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let admin_id = accounts::create_user(
            &app.db,
            account_id,
            "a@settings.test",
            "Ada",
            "password-1",
            Role::Admin,
        )
        .await
        .unwrap();
        let sales = load_user(&app.db, sales_id).await.unwrap().unwrap();
        let admin = load_user(&app.db, admin_id).await.unwrap().unwrap();

        let forbidden = |r: Result<(), ServiceError>| matches!(r, Err(ServiceError::Forbidden(_)));
        assert!(forbidden(
            settings::add_lost_reason(&app.db, &sales, "Price")
                .await
                .map(|_| ())
        ));
        assert!(forbidden(
            settings::set_points(&app.db, &sales, "call", 99).await
        ));
        let reason = settings::add_lost_reason(&app.db, &admin, "Price")
            .await
            .unwrap();
        assert!(forbidden(
            settings::delete_lost_reason(&app.db, &sales, reason.id).await
        ));
        assert_eq!(
            settings::lost_reasons(&app.db, account_id).await.unwrap(),
            vec![reason.clone()]
        );
        assert_eq!(
            field_of(
                settings::add_lost_reason(&app.db, &admin, " price ")
                    .await
                    .unwrap_err()
            ),
            "name",
            "duplicates refused"
        );

        let points = settings::point_rules(&app.db, account_id).await.unwrap();
        assert_eq!(
            points.iter().find(|(k, _)| k == "call").unwrap().1,
            10,
            "untouched by the sales user"
        );
        settings::set_points(&app.db, &admin, "call", 15)
            .await
            .unwrap();
        assert_eq!(
            field_of(
                settings::set_points(&app.db, &admin, "call", -1)
                    .await
                    .unwrap_err()
            ),
            "points"
        );
        let points = settings::point_rules(&app.db, account_id).await.unwrap();
        assert_eq!(points.iter().find(|(k, _)| k == "call").unwrap().1, 15);
        settings::delete_lost_reason(&app.db, &admin, reason.id)
            .await
            .unwrap();
        assert!(settings::lost_reasons(&app.db, account_id)
            .await
            .unwrap()
            .is_empty());
    }
}
