//! Searches ignore case and accents on both databases: the header's search of everything (its
//! server function and `/search`), the board's filter (through its CSV export), the contacts
//! and organizations lists, and the accounts API's `name_cont`; rows written before the folded
//! columns existed are filled in by `migrate`; deals stay within their visibility.

use dealflow::domain::Role;
use dealflow::server::services::contacts::{self, NewContact};
use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::{accounts, organizations, search, Actor};
use dealflow::server::ServiceError;
use serde_json::json;

use crate::support::{backends, OnBackend, TestApp};

#[tokio::test]
async fn searches_ignore_case_and_accents_on_every_surface() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, email, password) = app.account("Acentos").await;
        let (other, _, _) = app.account("Outra").await;
        let actor = Actor {
            account_id,
            user_id: None,
        };
        let org = organizations::create_organization(&app.db, actor, "São Paulo Imóveis")
            .await
            .unwrap();
        let erica = contacts::create_contact(
            &app.db,
            actor,
            NewContact {
                full_name: "Érica Núñez".into(),
                email: Some("erica@imoveis.test".into()),
                phone: Some("+5511987654321".into()),
                organization_id: Some(org),
            },
        )
        .await
        .unwrap();
        let deal = deals::create_deal(
            &app.db,
            actor,
            NewDeal {
                title: "Ação Comercial Ñandú".into(),
                organization_id: Some(org),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        // Another account's namesakes are never found.
        let theirs = Actor {
            account_id: other,
            user_id: None,
        };
        organizations::create_organization(&app.db, theirs, "São Paulo Outra")
            .await
            .unwrap();

        // The search of everything, straight and over the page.
        let hits = search::find(&app.db, actor, "  ERICA nunez ")
            .await
            .unwrap();
        assert_eq!(hits.contacts.len(), 1, "{hits:?}");
        assert_eq!(hits.contacts[0].href, format!("/contacts/{}", erica.id));
        let hits = search::find(&app.db, actor, "sao paulo").await.unwrap();
        assert_eq!(hits.organizations.len(), 1, "{hits:?}");
        assert_eq!(
            hits.contacts.len(),
            1,
            "a contact by its organization: {hits:?}"
        );
        assert_eq!(hits.deals.len(), 1, "a deal by its organization: {hits:?}");
        assert_eq!(hits.deals[0].href, format!("/deals/{}", deal.id));
        let hits = search::find(&app.db, actor, "acao").await.unwrap();
        assert_eq!(hits.deals.len(), 1, "{hits:?}");
        let hits = search::find(&app.db, actor, "(11) 98765-4321")
            .await
            .unwrap();
        assert_eq!(
            hits.contacts.len(),
            1,
            "a phone as people type it: {hits:?}"
        );
        assert!(search::find(&app.db, actor, "   ")
            .await
            .unwrap()
            .is_empty());
        assert!(search::find(&app.db, actor, "100%_")
            .await
            .unwrap()
            .is_empty());
        match search::find(&app.db, actor, &"x".repeat(101)).await {
            Err(ServiceError::Validation { field, .. }) => assert_eq!(field, "q"),
            other => panic!("a 101-character search: {other:?}"),
        }
        let client = app.signed_in(&email, &password).await;
        let text = |path: &str| {
            let request = client.get(app.url(path));
            async move { request.send().await.unwrap().text().await.unwrap() }
        };
        let (status, page) = app.page(&client, "/search?query=IMOVEIS").await;
        assert_eq!(status, 200, "the /search page");
        assert!(page.contains("São Paulo Imóveis"), "the /search page");
        assert!(page.contains("Érica Núñez"), "the /search page");
        assert!(!page.contains("São Paulo Outra"), "another account's");

        // The board's filter (its export reads the same filter).
        let csv = text("/export/deals.csv?q=ACAO%20comercial").await;
        assert!(csv.contains("Ação Comercial Ñandú"), "{csv}");
        let csv = text("/export/deals.csv?q=erica").await;
        assert!(
            !csv.contains("Ação"),
            "the deal has no contact Érica: {csv}"
        );

        // Every search refuses text longer than 100 characters, naming it.
        let long = "x".repeat(101);
        let refused = contacts::list(&app.db, actor, &long, 1).await;
        assert!(
            matches!(refused, Err(ServiceError::Validation { ref field, .. }) if field == "q"),
            "{refused:?}"
        );
        let refused = organizations::list(&app.db, actor, &long, 1).await;
        assert!(
            matches!(refused, Err(ServiceError::Validation { ref field, .. }) if field == "q"),
            "{refused:?}"
        );
        let res = client
            .get(app.url(&format!("/export/deals.csv?q={long}")))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "the board's filter");

        // The contacts and organizations lists.
        for (path, want) in [
            ("/contacts?q=erica", "Érica Núñez"),
            ("/contacts?q=NUNEZ", "Érica Núñez"),
            ("/contacts?q=98765-4321", "Érica Núñez"),
            ("/contacts?q=sao%20paulo", "Érica Núñez"),
            ("/organizations?q=imoveis", "São Paulo Imóveis"),
        ] {
            // A page that missed its render deadline under load is asked for again, as a
            // browser's user would (`TestApp::page`).
            let (status, page) = app.page(&client, path).await;
            assert_eq!(status, 200, "{path}");
            assert!(page.contains(want), "{path}");
        }

        // The accounts API's `name_cont` (through the trigram table on SQLite).
        let key = app.api_key(account_id, &["deals:read"]).await;
        let search_path = format!("/api/v1/accounts/{}/deals/search", account_id.0);
        for text in ["ACAO", "nandu", "ção", "Ação Comercial"] {
            let body = json!({"query": {"name_cont": text}}).to_string();
            let (status, found) = app
                .call("POST", &search_path, Some(&key), Some(&body))
                .await;
            assert_eq!(status, 200, "{found}");
            assert_eq!(
                found["data"].as_array().map(Vec::len),
                Some(1),
                "{text}: {found}"
            );
        }
        let body = json!({"query": {"name_not_cont": "acao"}}).to_string();
        let (_, found) = app
            .call("POST", &search_path, Some(&key), Some(&body))
            .await;
        assert_eq!(found["data"], json!([]), "not_cont folds too");
    }
}

#[tokio::test]
async fn rows_written_before_the_folded_columns_are_found_after_migrate() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Antes").await;
        let actor = Actor {
            account_id,
            user_id: None,
        };
        deals::create_deal(
            &app.db,
            actor,
            NewDeal {
                title: "Óculos Élite".into(),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let org = organizations::create_organization(&app.db, actor, "Ótica Ímpar")
            .await
            .unwrap();
        // As a database from before the folded columns holds them.
        for table in [
            "deals SET title_key",
            "contacts SET name_key",
            "organizations SET name_key",
        ] {
            sqlx::query(&format!("UPDATE {table} = NULL"))
                .execute(&app.db.pool)
                .await
                .unwrap();
        }
        assert!(search::find(&app.db, actor, "oculos")
            .await
            .unwrap()
            .is_empty());
        app.db.migrate().await.unwrap();
        let hits = search::find(&app.db, actor, "oculos elite").await.unwrap();
        assert_eq!(hits.deals.len(), 1, "{hits:?}");
        let hits = search::find(&app.db, actor, "OTICA").await.unwrap();
        assert_eq!(hits.organizations[0].href, format!("/organizations/{org}"));
    }
}

#[tokio::test]
async fn the_search_of_everything_shows_only_deals_the_user_may_see() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Visível").await;
        let rita = accounts::create_user(
            &app.db,
            account_id,
            "rita@vis.test",
            "Rita",
            "password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let sam = accounts::create_user(
            &app.db,
            account_id,
            "sam@vis.test",
            "Sam",
            "password-1",
            Role::Sales,
        )
        .await
        .unwrap();
        let as_user = |user| Actor {
            account_id,
            user_id: Some(user),
        };
        deals::create_deal(
            &app.db,
            as_user(rita),
            NewDeal {
                title: "Sigilo Único".into(),
                responsible_user_id: Some(rita),
                visibility: Some(0),
                ..Default::default()
            },
        )
        .await
        .unwrap();
        let mine = search::find(&app.db, as_user(rita), "sigilo unico")
            .await
            .unwrap();
        assert_eq!(mine.deals.len(), 1, "{mine:?}");
        let theirs = search::find(&app.db, as_user(sam), "sigilo unico")
            .await
            .unwrap();
        assert!(
            theirs.deals.is_empty(),
            "a private deal of another user: {theirs:?}"
        );
    }
}
