//! The colour theme, on both databases: the page carries the browser's choice (its cookie) or,
//! in a browser that has none, the signed-in user's saved one on `<html>` in the response's
//! first bytes; the toggle's server function saves the choice with the user and refuses a
//! theme it does not know.

use dealflow::app::theme::Theme;
use dealflow::server::services::accounts;

use crate::support::{backends, OnBackend, TestApp};

/// The opening `<html …>` tag of a page, which must come first (after the doctype).
fn html_tag(html: &str) -> &str {
    let start = html.find("<html").expect("an <html> tag");
    assert!(
        start < 32,
        "<html> is not at the start: {}",
        &html[..200.min(html.len())]
    );
    let end = start + html[start..].find('>').expect("a closed <html> tag");
    &html[start..=end]
}

/// The `class` attribute of the page's `<html>` tag; asserts there is at most one.
fn html_class(html: &str) -> Option<String> {
    let tag = html_tag(html);
    assert!(tag.matches(" class=").count() <= 1, "{tag}");
    let at = tag.find(" class=\"")? + " class=\"".len();
    tag[at..].split('"').next().map(str::to_string)
}

/// The theme the header's toggle shows as chosen.
fn toggle_shows(html: &str) -> Option<&str> {
    let at = html.find("data-testid=\"theme-toggle\"")?;
    let tag_start = html[..at].rfind('<')?;
    let tag = &html[tag_start..tag_start + html[tag_start..].find('>')?];
    let value = tag.find("data-theme=\"")? + "data-theme=\"".len();
    tag[value..].split('"').next()
}

#[tokio::test]
async fn the_saved_theme_is_on_html_from_the_first_byte() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, email, password) = app.account("Temas").await;
        let owner: (dealflow::domain::UserId,) =
            sqlx::query_as("SELECT id FROM users WHERE account_id = $1")
                .bind(account_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();

        // No choice anywhere: no class, so the stylesheet follows the system.
        let client = app.signed_in(&email, &password).await;
        let (status, html) = app.page(&client, "/").await;
        assert_eq!(status, 200);
        assert_eq!(html_class(&html), None, "{}", html_tag(&html));
        assert_eq!(toggle_shows(&html), Some("system"));
        assert!(html.contains("data-testid=\"theme-dark\""));

        // The toggle: an unknown theme is refused naming the field; a known one is kept.
        let (status, body) = app
            .rpc(
                &client,
                "set_theme",
                &[("theme", "sepia".into()), ("next", "/".into())],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("theme"), "{body}");
        let (status, _) = app
            .rpc(
                &client,
                "set_theme",
                &[("theme", "dark".into()), ("next", "/activities".into())],
            )
            .await;
        assert!(status < 400, "set_theme answered {status}");
        assert_eq!(
            accounts::theme::theme_of(&app.db, owner.0).await.unwrap(),
            Theme::Dark
        );
        let (_, html) = app.page(&client, "/activities").await;
        assert_eq!(html_class(&html).as_deref(), Some("dark"));
        assert_eq!(toggle_shows(&html), Some("dark"));

        // A new browser: the first page after sign-in is dark already, and so are the next.
        let fresh = app.signed_in(&email, &password).await;
        for path in ["/", "/contacts"] {
            let (status, html) = app.page(&fresh, path).await;
            assert_eq!(status, 200, "{path}");
            assert_eq!(html_class(&html).as_deref(), Some("dark"), "{path}");
            assert_eq!(toggle_shows(&html), Some("dark"), "{path}");
        }

        // Light pins the light theme; "system" forgets the choice (NULL) and drops the class.
        app.rpc(&fresh, "set_theme", &[("theme", "light".into())])
            .await;
        let (_, html) = app.page(&fresh, "/").await;
        assert_eq!(html_class(&html).as_deref(), Some("light"));
        app.rpc(&fresh, "set_theme", &[("theme", "system".into())])
            .await;
        assert_eq!(
            accounts::theme::theme_of(&app.db, owner.0).await.unwrap(),
            Theme::System
        );
        let stored: (Option<String>,) = sqlx::query_as("SELECT theme FROM users WHERE id = $1")
            .bind(owner.0)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(stored.0, None);
        let (_, html) = app.page(&fresh, "/").await;
        assert_eq!(html_class(&html), None);
        assert_eq!(toggle_shows(&html), Some("system"));

        // Signed out, the browser's cookie alone decides (the sign-in page too).
        let (status, html) = app.page(&app.client(), "/login").await;
        assert_eq!(status, 200);
        assert_eq!(html_class(&html), None);
        let dark_browser = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .default_headers(
                [(
                    reqwest::header::COOKIE,
                    reqwest::header::HeaderValue::from_static("dealflow_theme=dark"),
                )]
                .into_iter()
                .collect(),
            )
            .build()
            .unwrap();
        let (_, html) = app.page(&dark_browser, "/login").await;
        assert_eq!(html_class(&html).as_deref(), Some("dark"));
    }
}
