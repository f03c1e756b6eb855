//! The deal page's parts on both databases: persons with one primary, assignees, followers,
//! tags, custom attributes, product lines, notes and activity edits.

use dealflow::domain::{ContactId, DealId, NoteId, ProductId, Role};
use dealflow::server::auth::session_user::load_user;
use dealflow::server::db::Db;
use dealflow::server::services::activities::{self, NewActivity};
use dealflow::server::services::deals::links::{self as deal_links, Link};
use dealflow::server::services::deals::products::{self as deal_products, NewLine};
use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::deals::{notes, page as deal_page};
use dealflow::server::services::{accounts, Actor};
use dealflow::server::ServiceError;

use crate::fixtures::{contact, deal, field_of, fixture};
use crate::support::{backends, TestDb};

async fn events(db: &Db, deal_id: DealId) -> Vec<String> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT kind FROM deal_events WHERE deal_id = $1 ORDER BY id")
            .bind(deal_id)
            .fetch_all(&db.pool)
            .await
            .unwrap();
    rows.into_iter().map(|(k,)| k).collect()
}

#[tokio::test]
async fn persons_keep_exactly_one_primary_mirrored_on_the_deal() {
    for db in backends().await {
        let app = TestDb::new(db);
        let (account_id, _, _) = app.account("People").await;
        let (other_account, _, _) = app.account("Elsewhere").await;
        let actor = Actor {
            account_id,
            user_id: None,
        };
        let foreign = Actor {
            account_id: other_account,
            user_id: None,
        };
        let ana = contact(&app.db, actor, "Ana").await;
        let bo = contact(&app.db, actor, "Bo").await;
        let stranger = contact(&app.db, foreign, "Stranger").await;
        let id = deal(&app.db, actor, "Two people").await;

        deal_links::add_link(&app.db, actor, id, Link::Person(ana))
            .await
            .unwrap();
        deal_links::add_link(&app.db, actor, id, Link::Person(bo))
            .await
            .unwrap();
        deal_links::add_link(&app.db, actor, id, Link::Person(bo))
            .await
            .expect("linking twice is a no-op");
        let d = deal_page::load(&app.db, actor, id).await.unwrap();
        let persons: Vec<(ContactId, bool)> = d
            .persons
            .iter()
            .map(|p| (p.contact_id, p.primary))
            .collect();
        assert_eq!(
            persons,
            vec![(ana, true), (bo, false)],
            "first person is primary"
        );
        assert_eq!(
            deals::get_deal(&app.db, actor, id)
                .await
                .unwrap()
                .contact_id,
            Some(ana)
        );

        deal_links::set_primary_person(&app.db, actor, id, bo)
            .await
            .unwrap();
        let d = deal_page::load(&app.db, actor, id).await.unwrap();
        assert_eq!(d.persons.iter().filter(|p| p.primary).count(), 1);
        assert_eq!(d.persons[0].contact_id, bo, "primary listed first");
        assert_eq!(
            deals::get_deal(&app.db, actor, id)
                .await
                .unwrap()
                .contact_id,
            Some(bo)
        );

        deal_links::remove_link(&app.db, actor, id, Link::Person(bo))
            .await
            .unwrap();
        let d = deal_page::load(&app.db, actor, id).await.unwrap();
        assert_eq!(
            d.persons
                .iter()
                .map(|p| (p.contact_id, p.primary))
                .collect::<Vec<_>>(),
            vec![(ana, true)],
            "the remaining person is promoted"
        );
        deal_links::remove_link(&app.db, actor, id, Link::Person(ana))
            .await
            .unwrap();
        assert_eq!(
            deals::get_deal(&app.db, actor, id)
                .await
                .unwrap()
                .contact_id,
            None
        );

        assert_eq!(
            field_of(deal_links::add_link(&app.db, actor, id, Link::Person(stranger)).await),
            "persons",
            "another account's contact"
        );
        assert!(matches!(
            deal_links::add_link(&app.db, foreign, id, Link::Person(stranger)).await,
            Err(ServiceError::NotFound(_))
        ));
        assert!(matches!(
            deal_links::remove_link(&app.db, actor, id, Link::Person(ana)).await,
            Err(ServiceError::NotFound(_))
        ));
        // A deal created with a contact starts with it as the primary person; a foreign
        // contact is refused at creation too.
        let with_contact = deals::create_deal(
            &app.db,
            actor,
            NewDeal {
                title: "Created with Ana".into(),
                contact_id: Some(ana),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let d = deal_page::load(&app.db, actor, with_contact.id)
            .await
            .unwrap();
        assert_eq!(d.persons.len(), 1);
        assert!(d.persons[0].primary);
        assert_eq!(
            field_of(
                deals::create_deal(
                    &app.db,
                    actor,
                    NewDeal {
                        title: "Foreign contact".into(),
                        contact_id: Some(stranger),
                        ..Default::default()
                    },
                )
                .await
            ),
            "contact_id"
        );
    }
}

#[tokio::test]
async fn assignees_followers_tags_and_attributes() {
    for db in backends().await {
        let app = TestDb::new(db);
        let (account_id, _, _) = app.account("Team").await;
        let actor = Actor {
            account_id,
            user_id: None,
        };
        let sam = accounts::create_user(
            &app.db,
            account_id,
            "sam@team.test",
            "Sam",
            "long enough pw",
            Role::Sales,
        )
        .await
        .unwrap();
        let gone = accounts::create_user(
            &app.db,
            account_id,
            "gone@team.test",
            "Gone",
            "long enough pw",
            Role::Sales,
        )
        .await
        .unwrap();
        sqlx::query("UPDATE users SET active = 0 WHERE id = $1")
            .bind(gone)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let vip = fixture(
            &app.db,
            "INSERT INTO tags (account_id, uuid, name, created_at) VALUES ($1, $2, 'VIP', $3) RETURNING id",
            account_id,
        )
        .await;
        let id = deal(&app.db, actor, "Team deal").await;

        deal_links::add_link(&app.db, actor, id, Link::Assignee(sam))
            .await
            .unwrap();
        deal_links::add_link(&app.db, actor, id, Link::Follower(sam))
            .await
            .unwrap();
        deal_links::add_link(&app.db, actor, id, Link::Tag(vip))
            .await
            .unwrap();
        assert_eq!(
            field_of(deal_links::add_link(&app.db, actor, id, Link::Assignee(gone)).await),
            "assignees",
            "deactivated users are not assigned"
        );
        let d = deal_page::load(&app.db, actor, id).await.unwrap();
        assert_eq!(
            d.assignees.iter().map(|u| u.id).collect::<Vec<_>>(),
            vec![sam.0]
        );
        assert_eq!(
            d.followers.iter().map(|u| u.id).collect::<Vec<_>>(),
            vec![sam.0]
        );
        assert_eq!(
            d.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(),
            vec!["VIP"]
        );
        let texts: Vec<String> = d
            .timeline
            .iter()
            .filter_map(|i| match i {
                dealflow::domain::deal::TimelineItem::Event(e) => Some(e.text.clone()),
                _ => None,
            })
            .collect();
        assert!(texts.iter().any(|t| t == "Added to tags: VIP"), "{texts:?}");

        // Custom attributes: bad keys and long values are refused and nothing changes.
        for bad in ["", "Has Space", "1st", "ümlaut"] {
            assert_eq!(
                field_of(deal_links::set_attribute(&app.db, actor, id, bad, "x").await),
                "key",
                "{bad:?}"
            );
        }
        assert_eq!(
            field_of(deal_links::set_attribute(&app.db, actor, id, "plan", &"x".repeat(501)).await),
            "value"
        );
        deal_links::set_attribute(&app.db, actor, id, "plan", "gold")
            .await
            .unwrap();
        deal_links::set_attribute(&app.db, actor, id, "seats", " 25 ")
            .await
            .unwrap();
        deal_links::set_attribute(&app.db, actor, id, "plan", "platinum")
            .await
            .unwrap();
        let d = deal_page::load(&app.db, actor, id).await.unwrap();
        let mut attrs = d.custom_attributes.clone();
        attrs.sort();
        assert_eq!(
            attrs,
            vec![
                ("plan".to_string(), "platinum".to_string()),
                ("seats".to_string(), "25".to_string())
            ]
        );
        deal_links::remove_attribute(&app.db, actor, id, "plan")
            .await
            .unwrap();
        assert!(matches!(
            deal_links::remove_attribute(&app.db, actor, id, "plan").await,
            Err(ServiceError::NotFound(_))
        ));
        let d = deal_page::load(&app.db, actor, id).await.unwrap();
        assert_eq!(d.custom_attributes, vec![("seats".into(), "25".into())]);

        // Removing the tag from the catalog removes it from the deal.
        sqlx::query("DELETE FROM tags WHERE id = $1")
            .bind(vip)
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert!(deal_page::load(&app.db, actor, id)
            .await
            .unwrap()
            .tags
            .is_empty());
    }
}

#[tokio::test]
async fn product_lines_total_and_leave_a_trail() {
    for db in backends().await {
        let app = TestDb::new(db);
        let (account_id, _, _) = app.account("Catalog").await;
        let (other_account, _, _) = app.account("Other catalog").await;
        let actor = Actor {
            account_id,
            user_id: None,
        };
        let seat = fixture(
            &app.db,
            "INSERT INTO products (account_id, uuid, name, identifier, unit_amount_cents, created_at, updated_at) \
             VALUES ($1, $2, 'Seat', 'SEAT-1', 1250, $3, $3) RETURNING id",
            account_id,
        )
        .await;
        let retired = fixture(
            &app.db,
            "INSERT INTO products (account_id, uuid, name, unit_amount_cents, active, created_at, updated_at) \
             VALUES ($1, $2, 'Old', 100, 0, $3, $3) RETURNING id",
            account_id,
        )
        .await;
        let foreign = fixture(
            &app.db,
            "INSERT INTO products (account_id, uuid, name, unit_amount_cents, created_at, updated_at) \
             VALUES ($1, $2, 'Theirs', 100, $3, $3) RETURNING id",
            other_account,
        )
        .await;
        let id = deal(&app.db, actor, "Seats").await;
        let line = |product_id: i64, quantity: i64, unit_amount: &str| NewLine {
            product_id: ProductId(product_id),
            quantity,
            unit_amount: unit_amount.into(),
        };

        for (bad, field) in [
            (line(seat, 0, ""), "quantity"),
            (line(seat, 1, "12.345"), "unit_amount"),
            (line(seat, 1, "-1"), "unit_amount"),
            (line(seat, 1, "abc"), "unit_amount"),
            (line(retired, 1, ""), "product_id"),
            (line(foreign, 1, ""), "product_id"),
            // Amounts and line totals are bounded, so no sum of them overflows.
            (line(seat, 1, "100000000000.01"), "unit_amount"),
            (line(seat, 1, "92233720368547758.07"), "unit_amount"),
            (line(seat, 1_000_000, "100000000000.00"), "quantity"),
            (line(seat, 1_000_001, ""), "quantity"),
        ] {
            assert_eq!(
                field_of(deal_products::add_line(&app.db, actor, id, &bad).await),
                field
            );
        }
        assert!(deal_page::load(&app.db, actor, id)
            .await
            .unwrap()
            .lines
            .is_empty());

        deal_products::add_line(&app.db, actor, id, &line(seat, 4, ""))
            .await
            .unwrap();
        let custom = deal_products::add_line(&app.db, actor, id, &line(seat, 2, "10.50"))
            .await
            .unwrap();
        let d = deal_page::load(&app.db, actor, id).await.unwrap();
        let lines: Vec<(i64, i64, i64)> = d
            .lines
            .iter()
            .map(|l| (l.quantity, l.unit_amount_cents, l.total_amount_cents))
            .collect();
        assert_eq!(lines, vec![(4, 1250, 5000), (2, 1050, 2100)]);
        assert_eq!(d.products_total_cents(), 7100);
        assert_eq!(d.lines[0].product_identifier, "SEAT-1");

        deal_products::remove_line(&app.db, actor, id, custom)
            .await
            .unwrap();
        assert!(matches!(
            deal_products::remove_line(&app.db, actor, id, custom).await,
            Err(ServiceError::NotFound(_))
        ));
        assert_eq!(
            deal_page::load(&app.db, actor, id)
                .await
                .unwrap()
                .products_total_cents(),
            5000
        );
        assert_eq!(
            events(&app.db, id).await,
            vec![
                "opened",
                "product_added",
                "product_added",
                "product_removed"
            ]
        );
    }
}

#[tokio::test]
async fn notes_pin_to_the_top_and_only_authors_or_admins_delete_them() {
    for db in backends().await {
        let app = TestDb::new(db);
        let (account_id, _, _) = app.account("Notes").await;
        let ana_id = accounts::create_user(
            &app.db,
            account_id,
            "ana@notes.test",
            "Ana",
            "long enough pw",
            Role::Sales,
        )
        .await
        .unwrap();
        let bo_id = accounts::create_user(
            &app.db,
            account_id,
            "bo@notes.test",
            "Bo",
            "long enough pw",
            Role::Sales,
        )
        .await
        .unwrap();
        let admin_id = accounts::create_user(
            &app.db,
            account_id,
            "admin@notes.test",
            "Admin",
            "long enough pw",
            Role::Admin,
        )
        .await
        .unwrap();
        let ana = load_user(&app.db, ana_id).await.unwrap().unwrap();
        let bo = load_user(&app.db, bo_id).await.unwrap().unwrap();
        let admin = load_user(&app.db, admin_id).await.unwrap().unwrap();
        let id = deal(&app.db, (&ana).into(), "Noted").await;

        assert_eq!(
            field_of(notes::add_note(&app.db, (&ana).into(), id, "   ").await),
            "content"
        );
        let first = notes::add_note(&app.db, (&ana).into(), id, "Budget approved")
            .await
            .unwrap();
        let second = notes::add_note(&app.db, (&ana).into(), id, "Call back Friday")
            .await
            .unwrap();
        notes::set_pinned(&app.db, (&bo).into(), first, true)
            .await
            .unwrap();
        let d = deal_page::load(&app.db, (&ana).into(), id).await.unwrap();
        assert_eq!(
            d.pinned_notes.iter().map(|n| n.id).collect::<Vec<_>>(),
            vec![first]
        );
        let in_timeline: Vec<NoteId> = d
            .timeline
            .iter()
            .filter_map(|i| match i {
                dealflow::domain::deal::TimelineItem::Note(n) => Some(n.id),
                _ => None,
            })
            .collect();
        assert_eq!(in_timeline, vec![second], "pinned notes are not repeated");

        assert!(matches!(
            notes::delete_note(&app.db, &bo, second).await,
            Err(ServiceError::Forbidden(_))
        ));
        notes::delete_note(&app.db, &ana, second).await.unwrap();
        notes::delete_note(&app.db, &admin, first).await.unwrap();
        let d = deal_page::load(&app.db, (&ana).into(), id).await.unwrap();
        assert!(d.pinned_notes.is_empty());
        assert!(
            notes::add_note(&app.db, (&ana).into(), DealId(999_999), "nowhere")
                .await
                .is_err_and(|e| matches!(e, ServiceError::NotFound(_)))
        );
    }
}

#[tokio::test]
async fn activities_are_edited_with_the_same_checks_as_creation() {
    for db in backends().await {
        let app = TestDb::new(db);
        let (account_id, _, _) = app.account("Edits").await;
        let (other_account, _, _) = app.account("Other edits").await;
        let actor = Actor {
            account_id,
            user_id: None,
        };
        let id = deal(&app.db, actor, "Edited").await;
        let foreign_deal = deal(
            &app.db,
            Actor {
                account_id: other_account,
                user_id: None,
            },
            "Theirs",
        )
        .await;
        let a = activities::create_activity(
            &app.db,
            actor,
            NewActivity {
                kind: "call".into(),
                title: "Intro".into(),
                deal_id: Some(id),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let edit = |kind: &str, title: &str, due: &str, deal_id: Option<DealId>| NewActivity {
            kind: kind.into(),
            title: title.into(),
            description: "agenda".into(),
            due_at: Some(due.into()),
            deal_id,
            user_id: None,
        };
        for (bad, field) in [
            (edit("fax", "Intro", "", Some(id)), "kind"),
            (edit("call", " ", "", Some(id)), "title"),
            (edit("call", "Intro", "tomorrow", Some(id)), "due_at"),
            (edit("call", "Intro", "", Some(foreign_deal)), "deal_id"),
        ] {
            assert_eq!(
                field_of(activities::update_activity(&app.db, actor, a.id, bad).await),
                field
            );
        }
        let changed = activities::update_activity(
            &app.db,
            actor,
            a.id,
            edit("meeting", "Demo", "2026-12-01T15:30", Some(id)),
        )
        .await
        .unwrap();
        assert_eq!(
            (
                changed.kind.as_str(),
                changed.title.as_str(),
                changed.description.as_str()
            ),
            ("meeting", "Demo", "agenda")
        );
        assert!(changed.due_at.unwrap().starts_with("2026-12-01T15:30"));
        assert!(matches!(
            activities::update_activity(
                &app.db,
                Actor {
                    account_id: other_account,
                    user_id: None
                },
                a.id,
                edit("call", "Mine now", "", None)
            )
            .await,
            Err(ServiceError::NotFound(_))
        ));
    }
}
