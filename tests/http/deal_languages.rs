//! The deal page and the client's quote portal in Brazilian Portuguese, on both databases: a
//! signed-in user whose browser asks for `pt-BR` and a client whose cookie says `pt-BR` read
//! Portuguese labels, money written `R$ 1.234,56` and dates written `31/12/2026`; a server
//! function's error comes back in Portuguese too.

use dealflow::server::services::contacts::{self, NewContact};
use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::{organizations, quotes};

use crate::fixtures::{actor, by_hand, item, testid_text};
use crate::support::{backends, OnBackend, TestApp};

/// A client that sends `header: value` with every request and keeps its cookies.
fn client_with(header: reqwest::header::HeaderName, value: &'static str) -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(60))
        .default_headers(
            [(header, reqwest::header::HeaderValue::from_static(value))]
                .into_iter()
                .collect(),
        )
        .build()
        .unwrap()
}

#[tokio::test]
async fn the_deal_page_and_the_quote_portal_speak_brazilian_portuguese() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, email, password) = app.account("Negócios em reais").await;
        let me = actor(account_id);
        let org = organizations::create_organization(&app.db, me, "Padaria Estrela")
            .await
            .unwrap();
        let contact = contacts::create_contact(
            &app.db,
            me,
            NewContact {
                full_name: "João Souza".into(),
                email: Some("joao@padaria.test".into()),
                organization_id: Some(org),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
        let deal_id = deals::create_deal(
            &app.db,
            me,
            NewDeal {
                title: "Fornos novos".into(),
                value_cents: 123_456,
                currency: Some("BRL".into()),
                contact_id: Some(contact),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;

        // Signed in with a browser that asks for Brazilian Portuguese.
        let browser = client_with(reqwest::header::ACCEPT_LANGUAGE, "pt-BR,pt;q=0.9,en;q=0.5");
        let res = app.login(&browser, &email, &password).await;
        assert!(res.status().as_u16() < 400, "login: {}", res.status());
        let (status, html) = app.page(&browser, &format!("/deals/{deal_id}")).await;
        assert_eq!(status, 200);
        assert!(html.contains("<html lang=\"pt-BR\""), "the page's language");
        assert_eq!(
            testid_text(&html, "deal-value").as_deref(),
            Some("R$ 1.234,56"),
            "the deal's value in reais"
        );
        assert_eq!(testid_text(&html, "deal-status").as_deref(), Some("aberto"));
        for words in [
            "Detalhes",
            "Fechamento previsto",
            "Marcar como ganho",
            "Orçamentos",
            "Nenhum orçamento para este negócio ainda.",
            "Notas e histórico",
            "Escreva uma nota…",
        ] {
            assert!(
                html.contains(words),
                "{words} is missing from the deal page"
            );
        }
        assert!(
            !html.contains("Mark won"),
            "no English left on the deal page"
        );

        // A server function answers in the request's language, naming the field as it is.
        let (status, body) = app
            .rpc(
                &browser,
                "change_deal_link",
                &[
                    ("id", deal_id.to_string()),
                    ("kind", "tag".into()),
                    ("op", "add".into()),
                    ("target", "".into()),
                ],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(
            body.contains("tag") && body.contains("escolha um da lista"),
            "{body}"
        );

        // A quote in reais, sent: the client, not signed in, reads it with a pt-BR cookie.
        let mut new = by_hand(deal_id, vec![item("Forno industrial", "1234.56", 2, "")]);
        new.valid_until = Some("2030-12-31".into());
        let q = quotes::create(&app.db, me, &new).await.unwrap();
        assert_eq!(q.currency, "BRL", "the deal's currency");
        quotes::send(&app.db, me, q.id, "https://crm.example.test")
            .await
            .unwrap();
        let (token,): (String,) = sqlx::query_as("SELECT public_token FROM quotes WHERE id = $1")
            .bind(q.id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        // The deal's timeline tells it in Portuguese too.
        let (_, html) = app.page(&browser, &format!("/deals/{deal_id}")).await;
        for said in [
            "Orçamento COT-0001 criado",
            "Orçamento COT-0001 enviado ao cliente",
        ] {
            assert!(html.contains(said), "the timeline says {said}");
        }
        assert!(!html.contains("sent to the client"));
        let client = client_with(reqwest::header::COOKIE, "dealflow_lang=pt-BR");
        let (status, html) = app.page(&client, &format!("/q/{token}")).await;
        assert_eq!(status, 200);
        assert!(
            html.contains("<html lang=\"pt-BR\""),
            "the portal's language"
        );
        assert_eq!(
            testid_text(&html, "quote-number").as_deref(),
            Some("Orçamento COT-0001")
        );
        assert_eq!(
            testid_text(&html, "quote-total").as_deref(),
            Some("R$ 2.469,12")
        );
        assert_eq!(
            testid_text(&html, "quote-valid-until").as_deref(),
            Some("31/12/2030")
        );
        assert_eq!(
            testid_text(&html, "quote-status").as_deref(),
            Some("Enviado")
        );
        for words in ["Preço unitário", "Aceitar orçamento", "Recusar", "1.234,56"] {
            assert!(html.contains(words), "{words} is missing from the portal");
        }

        // Without a language the portal is English, as before.
        let (_, html) = app.page(&app.client(), &format!("/q/{token}")).await;
        assert!(html.contains("Quote COT-0001") && html.contains("Accept quote"));
        assert!(html.contains("2,469.12"), "English amounts");

        // The signed-in user's quote page is Portuguese too, with its view count.
        let (status, html) = app.page(&browser, &format!("/quotes/{}", q.id)).await;
        assert_eq!(status, 200);
        assert_eq!(
            testid_text(&html, "quote-views").as_deref(),
            Some("Visto 2 vezes")
        );
        assert!(html.contains("Marcar como perdido") && html.contains("Enviar de novo"));
    }
}
