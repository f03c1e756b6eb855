//! Quotes on both databases: numbering per account, totals computed on the server, validation,
//! quotes made from a deal's products, sending with the portal link, the public portal, account
//! isolation and the once-only expiry notice.

use dealflow::domain::{AccountId, DealId, ProductId, QuoteId};
use dealflow::server::db::Db;
use dealflow::server::services::deals::page as deal_page;
use dealflow::server::services::deals::products::{self as deal_products, NewLine};
use dealflow::server::services::quotes::{self, NewQuote};
use dealflow::server::ServiceError;

use crate::fixtures::{actor, by_hand, client_deal, field_of, item};
use crate::support::{backends, TestApp};

async fn count(db: &Db, sql: &str, id: impl Into<i64>) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .bind(id.into())
        .fetch_one(&db.pool)
        .await
        .unwrap();
    n
}

async fn token_of(db: &Db, quote_id: QuoteId) -> String {
    let (t,): (String,) = sqlx::query_as("SELECT public_token FROM quotes WHERE id = $1")
        .bind(quote_id)
        .fetch_one(&db.pool)
        .await
        .unwrap();
    t
}

async fn deal_events(db: &Db, deal_id: DealId) -> Vec<String> {
    let rows: Vec<(String,)> =
        sqlx::query_as("SELECT kind FROM deal_events WHERE deal_id = $1 ORDER BY id")
            .bind(deal_id)
            .fetch_all(&db.pool)
            .await
            .unwrap();
    rows.into_iter().map(|(k,)| k).collect()
}

#[tokio::test]
async fn totals_are_computed_on_the_server_with_rounded_discounts() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, email, password) = app.account("Totals").await;
        let deal_id = client_deal(&app.db, actor(account_id), None).await;
        let mut new = by_hand(
            deal_id,
            vec![
                item("Seat", "10.01", 3, "12.5"),
                item("Pin", "0.05", 1, "50"),
            ],
        );
        new.tax = "1.50".into();
        new.shipping = "2".into();
        let q = quotes::create(&app.db, actor(account_id), &new)
            .await
            .unwrap();
        // 30.03 × 87.5 % = 26.27625 → 26.28; 0.05 × 50 % = 0.025 → 0.03 (half away from zero).
        let lines: Vec<i64> = q.items.iter().map(|i| i.line_total_cents).collect();
        assert_eq!(lines, vec![2628, 3]);
        assert_eq!(q.items[0].discount_basis_points, 1250);
        assert_eq!(
            (
                q.subtotal_cents,
                q.tax_cents,
                q.shipping_cents,
                q.total_cents
            ),
            (2631, 150, 200, 2981)
        );
        assert_eq!(q.currency, "EUR", "the deal's currency");
        assert_eq!(q.status, "GENERATED");

        // Through the form: a total sent along is not a field of the quote and changes nothing.
        let client = app.signed_in(&email, &password).await;
        let (status, body) = app
            .rpc(
                &client,
                "create_quote",
                &[
                    ("id", deal_id.to_string()),
                    ("items[0][product_name]", "Seat".into()),
                    ("items[0][unit_price]", "100".into()),
                    ("items[0][quantity]", "2".into()),
                    ("items[0][discount_pct]", "10".into()),
                    ("items[3][product_name]", "Gap row".into()),
                    ("items[3][unit_price]", "1".into()),
                    ("tax", "5".into()),
                    ("total", "0.01".into()),
                    ("total_cents", "1".into()),
                    ("subtotal_cents", "1".into()),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let listed = quotes::list_for_deal(&app.db, actor(account_id), deal_id)
            .await
            .unwrap();
        let newest = quotes::get(&app.db, actor(account_id), listed[0].id)
            .await
            .unwrap();
        assert_eq!(newest.items.len(), 2);
        assert_eq!(newest.items[1].quantity, 1, "an empty quantity is 1");
        assert_eq!(newest.subtotal_cents, 18_000 + 100);
        assert_eq!(newest.total_cents, 18_100 + 500);
    }
}

#[tokio::test]
async fn invalid_quotes_name_the_field_and_save_nothing() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, email, password) = app.account("Invalid").await;
        let me = actor(account_id);
        let deal_id = client_deal(&app.db, me, None).await;
        let ok = || item("Seat", "10", 1, "");
        let with = |f: &dyn Fn(&mut NewQuote)| {
            let mut q = by_hand(deal_id, vec![ok(), ok(), ok()]);
            f(&mut q);
            q
        };
        let cases: Vec<(NewQuote, &str)> = vec![
            (by_hand(deal_id, vec![]), "items"),
            (with(&|q| q.items[2].quantity = 0), "items[2].quantity"),
            (
                with(&|q| q.items[1].quantity = 1_000_001),
                "items[1].quantity",
            ),
            (
                with(&|q| q.items[1].product_name = "  ".into()),
                "items[1].product_name",
            ),
            (
                with(&|q| q.items[0].product_name = "x".repeat(151)),
                "items[0].product_name",
            ),
            (
                with(&|q| q.items[0].unit_price = "abc".into()),
                "items[0].unit_price",
            ),
            (
                with(&|q| q.items[0].unit_price = "-1".into()),
                "items[0].unit_price",
            ),
            (
                with(&|q| q.items[0].unit_price = "1.234".into()),
                "items[0].unit_price",
            ),
            (
                with(&|q| q.items[2].discount_pct = "12.345".into()),
                "items[2].discount_pct",
            ),
            (
                with(&|q| q.items[2].discount_pct = "100.01".into()),
                "items[2].discount_pct",
            ),
            (with(&|q| q.tax = "-1".into()), "tax"),
            (with(&|q| q.shipping = "lots".into()), "shipping"),
            (with(&|q| q.notes = "n".repeat(5001)), "notes"),
            (
                with(&|q| q.valid_until = Some("next week".into())),
                "valid_until",
            ),
            (with(&|q| q.currency = "EURO".into()), "currency"),
        ];
        for (bad, field) in cases {
            assert_eq!(field_of(quotes::create(&app.db, me, &bad).await), field);
        }
        assert!(matches!(
            quotes::create(&app.db, me, &by_hand(DealId(deal_id.0 + 1000), vec![ok()])).await,
            Err(ServiceError::NotFound("deal"))
        ));

        let client = app.signed_in(&email, &password).await;
        let (status, body) = app
            .rpc(
                &client,
                "create_quote",
                &[
                    ("id", deal_id.to_string()),
                    ("items[0][product_name]", "Seat".into()),
                    ("items[0][unit_price]", "1".into()),
                    ("items[0][quantity]", "two".into()),
                ],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("items[0].quantity"), "{body}");

        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM quotes WHERE account_id = $1",
                account_id
            )
            .await,
            0,
            "nothing saved"
        );
        assert_eq!(
            count(
                &app.db,
                "SELECT next_quote_number FROM accounts WHERE id = $1",
                account_id
            )
            .await,
            1,
            "no number used up"
        );
    }
}

#[tokio::test]
async fn create_from_deal_copies_the_deal_lines_and_client() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, email, password) = app.account("From deal").await;
        let me = actor(account_id);
        let (seat,): (ProductId,) = sqlx::query_as(
            "INSERT INTO products (account_id, uuid, name, identifier, unit_amount_cents, created_at, updated_at) \
             VALUES ($1, $2, 'Seat', 'SEAT-1', 1250, $3, $3) RETURNING id",
        )
        .bind(account_id)
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(dealflow::server::db::now())
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let deal_id = client_deal(&app.db, me, Some("maria@acme.test")).await;
        assert_eq!(
            field_of(quotes::create_from_deal(&app.db, me, deal_id).await),
            "items",
            "a deal without products"
        );
        for (quantity, unit) in [(4, ""), (2, "10.50")] {
            let line = NewLine {
                product_id: seat,
                quantity,
                unit_amount: unit.into(),
            };
            deal_products::add_line(&app.db, me, deal_id, &line)
                .await
                .unwrap();
        }
        let q = quotes::create_from_deal(&app.db, me, deal_id)
            .await
            .unwrap();
        let items: Vec<(&str, &str, i64, i64, i64)> = q
            .items
            .iter()
            .map(|i| {
                (
                    i.product_name.as_str(),
                    i.model.as_str(),
                    i.unit_price_cents,
                    i.quantity,
                    i.discount_basis_points,
                )
            })
            .collect();
        assert_eq!(
            items,
            vec![
                ("Seat", "SEAT-1", 1250, 4, 0),
                ("Seat", "SEAT-1", 1050, 2, 0)
            ]
        );
        assert_eq!((q.subtotal_cents, q.total_cents), (7100, 7100));
        assert_eq!(q.currency, "EUR");
        assert_eq!(q.client_name.as_deref(), Some("María López"));
        assert_eq!(q.client_company.as_deref(), Some("Acme Corp"));
        assert_eq!(q.client_email.as_deref(), Some("maria@acme.test"));
        assert_eq!(q.public_token.as_ref().map(String::len), Some(64));
        assert!(deal_events(&app.db, deal_id)
            .await
            .contains(&"quote_created".to_string()));

        let client = app.signed_in(&email, &password).await;
        let (status, body) = app
            .rpc(
                &client,
                "create_quote_from_deal",
                &[("id", deal_id.to_string())],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let page = deal_page::load(&app.db, me, deal_id).await.unwrap();
        assert_eq!(page.quotes.len(), 2);
        assert_eq!(page.quotes[0].total_cents, 7100);
        let (status, html) = app.page(&client, &format!("/deals/{deal_id}")).await;
        assert_eq!(status, 200);
        assert_eq!(html.matches("data-testid=\"quote-row\"").count(), 2);
        assert!(html.contains("COT-0002"), "the number label is shown");
        assert!(html.contains("Quote COT-0001 created"), "timeline entry");
        let (status, html) = app.page(&client, &format!("/quotes/{}", q.id)).await;
        assert_eq!(status, 200);
        assert!(html.contains("Quote COT-0001"));
        assert!(html.contains(&format!(
            "/q/{}",
            q.public_token.clone().unwrap_or_default()
        )));
    }
}

#[tokio::test]
async fn sending_emails_the_portal_link_and_needs_a_client_email() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, email, password) = app.account("Sender").await;
        let me = actor(account_id);
        let silent = client_deal(&app.db, me, None).await;
        let q = quotes::create(&app.db, me, &by_hand(silent, vec![item("A", "5", 1, "")]))
            .await
            .unwrap();
        assert_eq!(
            field_of(quotes::send(&app.db, me, q.id, "https://crm.example.test").await),
            "client_email"
        );
        assert_eq!(
            quotes::get(&app.db, me, q.id).await.unwrap().status,
            "GENERATED"
        );
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM outgoing_emails WHERE account_id = $1",
                account_id
            )
            .await,
            0
        );

        let deal_id = client_deal(&app.db, me, Some("maria@acme.test")).await;
        let q = quotes::create(&app.db, me, &by_hand(deal_id, vec![item("A", "5", 1, "")]))
            .await
            .unwrap();
        let sent = quotes::send(&app.db, me, q.id, "https://crm.example.test/")
            .await
            .unwrap();
        assert_eq!(sent.status, "SENT");
        assert!(sent.sent_at.is_some());
        let token = token_of(&app.db, q.id).await;
        let mails: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT to_address, subject, body FROM outgoing_emails WHERE account_id = $1",
        )
        .bind(account_id)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(mails.len(), 1);
        assert_eq!(mails[0].0, "maria@acme.test");
        assert!(mails[0].1.contains("COT-0002"), "{}", mails[0].1);
        assert!(
            mails[0]
                .2
                .contains(&format!("https://crm.example.test/q/{token}")),
            "{}",
            mails[0].2
        );
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM jobs WHERE account_id = $1 AND kind = 'send_email'",
                account_id
            )
            .await,
            1,
            "delivery is scheduled"
        );

        // Through the page's server function, sending again is allowed while SENT.
        let client = app.signed_in(&email, &password).await;
        let (status, body) = app
            .rpc(&client, "send_quote", &[("quote_id", q.id.to_string())])
            .await;
        assert_eq!(status, 200, "{body}");
        let bodies: Vec<(String,)> =
            sqlx::query_as("SELECT body FROM outgoing_emails WHERE account_id = $1 ORDER BY id")
                .bind(account_id)
                .fetch_all(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(bodies.len(), 2);
        assert!(
            bodies[1].0.contains(&format!("/q/{token}")),
            "{}",
            bodies[1].0
        );

        let (status, _) = app
            .rpc(&client, "mark_quote_won", &[("quote_id", q.id.to_string())])
            .await;
        assert_eq!(status, 200);
        assert!(matches!(
            quotes::send(&app.db, me, q.id, "https://x.test").await,
            Err(ServiceError::Conflict(_))
        ));
        assert!(matches!(
            quotes::mark_lost(&app.db, me, q.id).await,
            Err(ServiceError::Conflict(_))
        ));
        let kinds = deal_events(&app.db, deal_id).await;
        for kind in ["quote_created", "quote_sent", "quote_won"] {
            assert!(kinds.contains(&kind.to_string()), "{kinds:?}");
        }
    }
}

#[tokio::test]
async fn portal_counts_views_and_takes_the_clients_answer() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Portal").await;
        let me = actor(account_id);
        let deal_id = client_deal(&app.db, me, Some("maria@acme.test")).await;
        let q = quotes::create(
            &app.db,
            me,
            &by_hand(deal_id, vec![item("Seat", "99.90", 2, "")]),
        )
        .await
        .unwrap();
        let token = token_of(&app.db, q.id).await;
        let anon = app.client();

        let (status, html) = app.page(&anon, &format!("/q/{token}")).await;
        assert_eq!(status, 200, "the portal needs no session");
        assert!(html.contains("Quote COT-0001"), "{html}");
        assert!(html.contains("199.80"));
        assert!(!html.contains("Log out"), "no app frame");
        assert_eq!(quotes::get(&app.db, me, q.id).await.unwrap().view_count, 1);
        let (status, _) = app.page(&anon, &format!("/q/{token}")).await;
        assert_eq!(status, 200);
        assert_eq!(quotes::get(&app.db, me, q.id).await.unwrap().view_count, 2);

        for missing in [format!("/q/{}", "ab".repeat(32)), "/q/nope".to_string()] {
            let (status, html) = app.page(&anon, &missing).await;
            assert_eq!(status, 404, "{missing}");
            assert!(html.contains("Quote not found"), "{html}");
        }

        // A draft cannot be answered yet.
        let (status, body) = app
            .rpc(&anon, "portal_accept_quote", &[("token", token.clone())])
            .await;
        assert_eq!(status, 409, "{body}");
        quotes::send(&app.db, me, q.id, "https://crm.example.test")
            .await
            .unwrap();
        let (status, body) = app
            .rpc(&anon, "portal_accept_quote", &[("token", token.clone())])
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(
            quotes::get(&app.db, me, q.id).await.unwrap().status,
            "ACCEPTED"
        );
        let (status, _) = app
            .rpc(&anon, "portal_reject_quote", &[("token", token.clone())])
            .await;
        assert_eq!(status, 409, "answered already");
        let (status, _) = app
            .rpc(&anon, "portal_accept_quote", &[("token", "ab".repeat(32))])
            .await;
        assert_eq!(status, 404);

        let other = quotes::create(&app.db, me, &by_hand(deal_id, vec![item("B", "1", 1, "")]))
            .await
            .unwrap();
        let other_token = token_of(&app.db, other.id).await;
        quotes::send(&app.db, me, other.id, "https://crm.example.test")
            .await
            .unwrap();
        let rejected = quotes::portal_reject(&app.db, &other_token).await.unwrap();
        assert_eq!(rejected.status, "REJECTED");
        assert_eq!(
            rejected.public_token, None,
            "the portal never shows the token"
        );
        let kinds = deal_events(&app.db, deal_id).await;
        assert!(kinds.contains(&"quote_accepted".to_string()), "{kinds:?}");
        assert!(kinds.contains(&"quote_rejected".to_string()), "{kinds:?}");
        let (status, html) = app.page(&anon, &format!("/q/{token}")).await;
        assert_eq!(status, 200);
        assert!(
            html.contains("portal-closed"),
            "no more buttons once answered"
        );
        assert!(!html.contains("portal-accept"));
    }
}

#[tokio::test]
async fn another_accounts_quote_is_not_found() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (a, _, _) = app.account("Owner A").await;
        let (b, b_email, b_password) = app.account("Intruder B").await;
        let deal_a = client_deal(&app.db, actor(a), Some("c@a.test")).await;
        let q = quotes::create(
            &app.db,
            actor(a),
            &by_hand(deal_a, vec![item("A", "1", 1, "")]),
        )
        .await
        .unwrap();
        let intruder = actor(b);
        assert!(matches!(
            quotes::get(&app.db, intruder, q.id).await,
            Err(ServiceError::NotFound("quote"))
        ));
        assert!(matches!(
            quotes::send(&app.db, intruder, q.id, "https://x.test").await,
            Err(ServiceError::NotFound("quote"))
        ));
        assert!(matches!(
            quotes::mark_won(&app.db, intruder, q.id).await,
            Err(ServiceError::NotFound("quote"))
        ));
        assert!(matches!(
            quotes::update_items(&app.db, intruder, q.id, &[item("Z", "0", 1, "")], "", "").await,
            Err(ServiceError::NotFound("quote"))
        ));
        assert!(matches!(
            quotes::create_from_deal(&app.db, intruder, deal_a).await,
            Err(ServiceError::NotFound("deal"))
        ));
        assert!(quotes::list_for_deal(&app.db, intruder, deal_a)
            .await
            .unwrap()
            .is_empty());

        let label = |account: AccountId, name: &'static str| {
            let db = app.db.clone();
            async move {
                let (id,): (i64,) = sqlx::query_as(
                    "INSERT INTO labels (account_id, uuid, name, created_at) VALUES ($1, $2, $3, $4) RETURNING id",
                )
                .bind(account)
                .bind(uuid::Uuid::new_v4().to_string())
                .bind(name)
                .bind(dealflow::server::db::now())
                .fetch_one(&db.pool)
                .await
                .unwrap();
                id
            }
        };
        let mine = label(a, "Rush").await;
        let theirs = label(b, "Theirs").await;
        quotes::add_label(&app.db, actor(a), q.id, mine)
            .await
            .unwrap();
        quotes::add_label(&app.db, actor(a), q.id, mine)
            .await
            .expect("twice is a no-op");
        assert_eq!(
            field_of(quotes::add_label(&app.db, actor(a), q.id, theirs).await),
            "label_id"
        );
        assert!(matches!(
            quotes::add_label(&app.db, intruder, q.id, theirs).await,
            Err(ServiceError::NotFound("quote"))
        ));
        let names: Vec<String> = quotes::get(&app.db, actor(a), q.id)
            .await
            .unwrap()
            .labels
            .into_iter()
            .map(|l| l.name)
            .collect();
        assert_eq!(names, vec!["Rush"]);
        quotes::remove_label(&app.db, actor(a), q.id, mine)
            .await
            .unwrap();
        assert!(quotes::get(&app.db, actor(a), q.id)
            .await
            .unwrap()
            .labels
            .is_empty());

        let client = app.signed_in(&b_email, &b_password).await;
        let (status, _) = app.page(&client, &format!("/quotes/{}", q.id)).await;
        assert_eq!(status, 404);
        for name in ["send_quote", "mark_quote_won", "mark_quote_lost"] {
            let (status, body) = app
                .rpc(&client, name, &[("quote_id", q.id.to_string())])
                .await;
            assert_eq!(status, 404, "{name}: {body}");
        }
        let untouched = quotes::get(&app.db, actor(a), q.id).await.unwrap();
        assert_eq!(
            (untouched.status.as_str(), untouched.view_count),
            ("GENERATED", 0)
        );
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM outgoing_emails WHERE account_id = $1",
                a
            )
            .await,
            0
        );
    }
}

#[tokio::test]
async fn drafts_items_change_and_others_do_not() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, email, password) = app.account("Edits").await;
        let me = actor(account_id);
        let deal_id = client_deal(&app.db, me, Some("c@a.test")).await;
        let q = quotes::create(&app.db, me, &by_hand(deal_id, vec![item("A", "1", 1, "")]))
            .await
            .unwrap();
        let edited = quotes::update_items(
            &app.db,
            me,
            q.id,
            &[item("B", "20", 2, "25"), item("C", "0.99", 1, "")],
            "3",
            "",
        )
        .await
        .unwrap();
        assert_eq!(edited.items.len(), 2);
        assert_eq!(
            (edited.subtotal_cents, edited.total_cents),
            (3000 + 99, 3099 + 300)
        );
        assert_eq!(
            field_of(quotes::update_items(&app.db, me, q.id, &[], "", "").await),
            "items"
        );

        // The quote page offers the edit form while the quote is a draft, and saves through it.
        let client = app.signed_in(&email, &password).await;
        let (status, html) = app.page(&client, &format!("/quotes/{}", q.id)).await;
        assert_eq!(status, 200);
        assert!(html.contains("quote-edit-form"));
        assert!(html.contains("value=\"0.99\""), "rows start with the items");
        let (status, body) = app
            .rpc(
                &client,
                "update_quote_items",
                &[
                    ("quote_id", q.id.to_string()),
                    ("items[0][product_name]", "B".into()),
                    ("items[0][unit_price]", "20".into()),
                    ("items[0][quantity]", "2".into()),
                    ("items[0][discount_pct]", "12.5".into()),
                    ("items[1][product_name]", "C".into()),
                    ("items[1][unit_price]", "0.99".into()),
                    ("shipping", "1".into()),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let saved = quotes::get(&app.db, me, q.id).await.unwrap();
        assert_eq!(
            (saved.subtotal_cents, saved.tax_cents, saved.total_cents),
            (3500 + 99, 0, 3599 + 100)
        );
        let (status, body) = app
            .rpc(
                &client,
                "update_quote_items",
                &[
                    ("quote_id", q.id.to_string()),
                    ("items[0][product_name]", "B".into()),
                    ("items[0][unit_price]", "20".into()),
                    ("items[0][discount_pct]", "120".into()),
                ],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("items[0].discount_pct"), "{body}");

        quotes::send(&app.db, me, q.id, "https://x.test")
            .await
            .unwrap();
        assert!(matches!(
            quotes::update_items(&app.db, me, q.id, &[item("D", "1", 1, "")], "", "").await,
            Err(ServiceError::Conflict(_))
        ));
        assert_eq!(quotes::get(&app.db, me, q.id).await.unwrap().items.len(), 2);
    }
}
