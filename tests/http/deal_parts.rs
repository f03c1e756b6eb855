//! The deal page over HTTP on both databases: the people, products, notes and activities it
//! shows.

use dealflow::server::services::Actor;

use crate::fixtures::{contact, deal, fixture};
use crate::support::{backends, TestApp};

#[tokio::test]
async fn deal_page_shows_people_products_notes_and_activities_over_http() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, email, password) = app.account("Page parts").await;
        let client = app.signed_in(&email, &password).await;
        let actor = Actor {
            account_id,
            user_id: None,
        };
        let ana = contact(&app.db, actor, "Ana Primary").await;
        let seat = fixture(
            &app.db,
            "INSERT INTO products (account_id, uuid, name, unit_amount_cents, created_at, updated_at) \
             VALUES ($1, $2, 'Seat licence', 999, $3, $3) RETURNING id",
            account_id,
        )
        .await;
        let id = deal(&app.db, actor, "Page deal").await;
        let deal_id = id.to_string();

        let (status, _) = app
            .rpc(
                &client,
                "change_deal_link",
                &[
                    ("id", deal_id.clone()),
                    ("kind", "person".into()),
                    ("op", "add".into()),
                    ("target", ana.to_string()),
                ],
            )
            .await;
        assert_eq!(status, 200);
        let (status, body) = app
            .rpc(
                &client,
                "add_deal_product",
                &[
                    ("id", deal_id.clone()),
                    ("product_id", seat.to_string()),
                    ("quantity", "0".into()),
                ],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("quantity"), "{body}");
        let (status, _) = app
            .rpc(
                &client,
                "add_deal_product",
                &[
                    ("id", deal_id.clone()),
                    ("product_id", seat.to_string()),
                    ("quantity", "3".into()),
                ],
            )
            .await;
        assert_eq!(status, 200);
        let (status, _) = app
            .rpc(
                &client,
                "add_deal_note",
                &[("id", deal_id.clone()), ("content", "Pin me".into())],
            )
            .await;
        assert_eq!(status, 200);
        let (status, _) = app
            .rpc(
                &client,
                "add_activity",
                &[
                    ("kind", "call".into()),
                    ("title", "Follow-up call".into()),
                    ("deal_id", deal_id.clone()),
                ],
            )
            .await;
        assert_eq!(status, 200);
        let (status, body) = app
            .rpc(
                &client,
                "change_deal_link",
                &[
                    ("id", deal_id.clone()),
                    ("kind", "tag".into()),
                    ("op", "add".into()),
                    ("target", "".into()),
                ],
            )
            .await;
        assert_eq!(status, 422, "an empty pick is a clear error: {body}");

        let (status, html) = app.page(&client, &format!("/deals/{id}")).await;
        assert_eq!(status, 200);
        for expected in [
            "Ana Primary",
            "data-testid=\"primary\"",
            "Seat licence",
            "29.97",
            "Pin me",
            "Follow-up call",
            "Product added: 3 × Seat licence",
        ] {
            assert!(html.contains(expected), "{expected} missing");
        }
    }
}
