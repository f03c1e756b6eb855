//! The list pages in the user's language, on both databases: a browser that carries the
//! `dealflow_lang=es` cookie gets the activities, contacts and organizations pages and the
//! leaderboard in Spanish (headings, buttons, counts, dates, money and the errors of their
//! forms), with none of their English headings left.

use crate::support::{backends, OnBackend, TestApp};

/// Fails naming the page when `html` lacks one of `wanted` or holds one of `unwanted`.
fn assert_words(page: &str, html: &str, wanted: &[&str], unwanted: &[&str]) {
    assert!(
        html.contains("<html lang=\"es\""),
        "{page}: not a Spanish page"
    );
    for word in wanted {
        assert!(html.contains(word), "{page}: no {word:?}");
    }
    for word in unwanted {
        assert!(!html.contains(word), "{page}: English left: {word:?}");
    }
}

#[tokio::test]
async fn list_pages_speak_spanish_when_the_browser_chose_it() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (_, email, password) = app.account("Listas").await;
        let client = app.signed_in_speaking(&email, &password, "es").await;

        // Activities: empty, then one upcoming call with its date written day first.
        let (status, html) = app.page(&client, "/activities").await;
        assert_eq!(status, 200);
        assert_words(
            "/activities (empty)",
            &html,
            &["Aún no hay actividades aquí", "Agregar una actividad"],
            &["No activities here yet", ">Activities<"],
        );
        let (status, body) = app
            .rpc(
                &client,
                "add_activity",
                &[
                    ("kind", "call".into()),
                    ("title", "Llamar a Ana".into()),
                    ("due_at", "2099-01-02T10:00".into()),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, html) = app.page(&client, "/activities?user=all").await;
        assert_words(
            "/activities",
            &html,
            &[
                ">Actividades<",
                "Vencidas (0)",
                "Próximas (1)",
                "Completadas (0)",
                ">llamada<",
                ">Llamada<",
                "Todos los tipos",
                "02/01/2099 10:00",
                ">Completar<",
                "¿Eliminar esta actividad?",
            ],
            &[
                "Overdue",
                "Upcoming",
                "Add an activity",
                "All types",
                ">Complete<",
                "2099-01-02 10:00",
            ],
        );
        let (status, body) = app
            .rpc(
                &client,
                "change_activity",
                &[("id", "1".into()), ("op", "explode".into())],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("operación desconocida"), "{body}");

        // Contacts: the list, its pager in the singular, and an unreadable form's error.
        let (status, body) = app
            .rpc(
                &client,
                "add_contact",
                &[
                    ("full_name", "Ana Souza".into()),
                    ("email", "ana@listas.test".into()),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, html) = app.page(&client, "/contacts").await;
        assert_eq!(status, 200);
        assert_words(
            "/contacts",
            &html,
            &[
                ">Contactos<",
                "Agregar contacto",
                "Buscar contactos",
                "Negocios abiertos",
                "1 contacto · página 1 de 1",
                "Ana Souza",
            ],
            &[
                ">Contacts<",
                "Add contact",
                "Search contacts",
                "Open deals",
                "page 1 of",
            ],
        );
        let (status, body) = app
            .rpc(&client, "add_contact", &[("email", "x@listas.test".into())])
            .await;
        assert_eq!(status, 400, "{body}");
        assert!(body.contains("no se pudo leer el formulario"), "{body}");

        // Organizations: the list, then one with its counts.
        let (status, body) = app
            .rpc(&client, "save_organization", &[("name", "Acme".into())])
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, html) = app.page(&client, "/organizations").await;
        assert_eq!(status, 200);
        assert_words(
            "/organizations",
            &html,
            &[
                ">Organizaciones<",
                "Agregar organización",
                "Buscar organizaciones",
                "1 organización · página 1 de 1",
            ],
            &[
                ">Organizations<",
                "Add organization",
                "Search organizations",
                "page 1 of",
            ],
        );
        let (status, body) = app
            .rpc(
                &client,
                "save_organization",
                &[("id", "x".into()), ("name", "Acme".into())],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("\\\"x\\\" no es un número"), "{body}");
        let id = html
            .split("href=\"/organizations/")
            .nth(1)
            .and_then(|rest| rest.split('"').next())
            .expect("a link to the organization")
            .to_string();
        let (status, html) = app.page(&client, &format!("/organizations/{id}")).await;
        assert_eq!(status, 200);
        assert_words(
            "/organizations/:id",
            &html,
            &[
                "0 contactos · 0 negocios abiertos",
                ">Personas<",
                "Cambiar nombre",
                "Aún no hay negocios con esta organización.",
            ],
            &["open deals", ">People<", ">Rename<", "No deals with"],
        );

        // The leaderboard, its money written the Spanish way.
        let (status, html) = app.page(&client, "/leaderboard").await;
        assert_eq!(status, 200);
        assert_words(
            "/leaderboard",
            &html,
            &[
                ">Clasificación<",
                "Vendedor",
                "Esta semana",
                "Negocios ganados",
                "0,00 US$",
            ],
            &[">Leaderboard<", "Salesperson", "This week", "Won deals"],
        );
    }
}
