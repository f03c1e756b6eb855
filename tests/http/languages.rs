//! The UI's languages, on both databases: pages in the browser's language before sign-in, the
//! user's saved choice after it (in the cookie the sign-in sets), the picker's server function
//! refusing a language it does not know, and the demo data in Brazilian Portuguese with its
//! money and dates written the Brazilian way, and the app's notifications in the recipient's
//! language.

use dealflow::i18n::Locale;
use dealflow::server::services::{accounts, demo};

use crate::fixtures::testid_text;
use crate::support::{backends, OnBackend, TestApp};

#[tokio::test]
async fn pages_speak_the_browsers_language_then_the_users_choice() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let spanish = reqwest::Client::builder()
            .default_headers(
                [(
                    reqwest::header::ACCEPT_LANGUAGE,
                    reqwest::header::HeaderValue::from_static("es-MX,es;q=0.9,en;q=0.5"),
                )]
                .into_iter()
                .collect(),
            )
            .build()
            .unwrap();
        let (status, html) = app.page(&spanish, "/login").await;
        assert_eq!(status, 200);
        assert!(
            html.contains("<html lang=\"es\""),
            "{}",
            &html[..200.min(html.len())]
        );
        assert!(
            html.contains("Iniciar sesión"),
            "the sign-in button in Spanish"
        );

        let (account_id, email, password) = app.account("Idiomas").await;
        let client = app.signed_in(&email, &password).await;
        let (_, html) = app.page(&client, "/").await;
        assert!(
            html.contains("<html lang=\"en\""),
            "no choice yet, no Accept-Language: English"
        );
        assert!(html.contains(">Pipeline<"));

        // The picker: an unknown language is refused naming the field; a known one is kept.
        let (status, body) = app
            .rpc(
                &client,
                "set_language",
                &[("lang", "klingon".into()), ("next", "/".into())],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("lang"), "{body}");
        let (status, _) = app
            .rpc(
                &client,
                "set_language",
                &[("lang", "pt-BR".into()), ("next", "/".into())],
            )
            .await;
        assert!(status < 400, "set_language answered {status}");
        let owner: (dealflow::domain::UserId,) =
            sqlx::query_as("SELECT id FROM users WHERE account_id = $1")
                .bind(account_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(
            accounts::locale::locale_of(&app.db, owner.0).await.unwrap(),
            Some(Locale::PtBr)
        );
        // A new browser: the sign-in brings the saved language back.
        let fresh = app.signed_in(&email, &password).await;
        let (_, html) = app.page(&fresh, "/").await;
        assert!(
            html.contains("<html lang=\"pt-BR\""),
            "the saved choice after sign-in"
        );
        assert!(
            html.contains(">Funil<") && html.contains(">Atividades<"),
            "the navigation in Portuguese"
        );
    }
}

#[tokio::test]
async fn the_demo_in_portuguese_writes_money_and_dates_as_brazilians_do() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        demo::load_demo_in(&app.db, Locale::PtBr)
            .await
            .expect("demo");
        let client = app
            .signed_in(demo::DEMO_OWNER_EMAIL, demo::DEMO_PASSWORD)
            .await;
        let (status, html) = app.page(&client, "/").await;
        assert_eq!(status, 200);
        assert!(html.contains("<html lang=\"pt-BR\""));
        assert!(html.contains(">Negociação<"), "stage names in Portuguese");
        let value = testid_text(&html, "card-value").expect("a card");
        assert!(value.starts_with("R$ ") && value.contains(','), "{value}");
        let total = testid_text(&html, "column-total").expect("a column");
        assert!(total.starts_with("R$ "), "{total}");
        let close = html
            .find("fecha em ")
            .map(|at| &html[at + 9..at + 19])
            .expect("a close date");
        let parts: Vec<&str> = close.split('/').collect();
        assert_eq!(
            parts.iter().map(|p| p.len()).collect::<Vec<_>>(),
            vec![2, 2, 4],
            "{close}"
        );
        // The demo again in another language changes nothing: it exists.
        let again = demo::load_demo_in(&app.db, Locale::Es).await.unwrap();
        assert!(!again.created);
    }
}

#[tokio::test]
async fn the_apps_notifications_are_written_in_the_recipients_language() {
    use dealflow::server::services::notifications;
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let (account_id, _, _) = crate::support::new_account(&db, "Avisos").await;
        let (owner,): (dealflow::domain::UserId,) =
            sqlx::query_as("SELECT id FROM users WHERE account_id = $1")
                .bind(account_id)
                .fetch_one(&db.pool)
                .await
                .unwrap();
        let mut titles = Vec::new();
        for locale in [None, Some(Locale::PtBr), Some(Locale::Es)] {
            if let Some(locale) = locale {
                accounts::locale::set_locale(&db, owner, locale)
                    .await
                    .unwrap();
            }
            let mut tx = db.begin().await.unwrap();
            notifications::notify_message(
                &mut tx,
                account_id,
                owner,
                |l| {
                    dealflow::i18n::t_args(
                        l,
                        "mail-now-responsible",
                        &[("title", "Frota 2027".into())],
                    )
                },
                Some("/deals/1"),
            )
            .await
            .unwrap();
            tx.commit().await.unwrap();
            let (title,): (String,) = sqlx::query_as(
                "SELECT title FROM notifications WHERE user_id = $1 ORDER BY id DESC LIMIT 1",
            )
            .bind(owner)
            .fetch_one(&db.pool)
            .await
            .unwrap();
            titles.push(title);
        }
        assert_eq!(
            titles,
            [
                "You are now responsible for \"Frota 2027\"",
                "Agora você é responsável por \"Frota 2027\"",
                "Ahora eres responsable de \"Frota 2027\"",
            ]
        );
    }
}
