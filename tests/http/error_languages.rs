//! Validation errors in the reader's language, on both databases: a server function answers in
//! the language of the `dealflow_lang` cookie, with the same code and the field's machine name;
//! the JSON API answers the same mistakes in English whatever the cookie says.

use serde_json::Value;

use crate::fixtures::first_stage;
use crate::support::{backends, OnBackend, TestApp};

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"))
}

#[tokio::test]
async fn server_functions_explain_in_portuguese_the_api_in_english() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, email, password) = app.account("Erros").await;
        let (other_account, _, _) = app.account("Outra").await;
        let stage = first_stage(&app.db, account_id).await;
        let foreign_stage = first_stage(&app.db, other_account).await;
        let client = app.signed_in(&email, &password).await;
        let (status, body) = app
            .rpc(
                &client,
                "set_language",
                &[("lang", "pt-BR".into()), ("next", "/".into())],
            )
            .await;
        assert!(status < 400, "set_language answered {status}: {body}");

        // The same mistakes through a server function: Portuguese, same code and field.
        let quick_add = |stage: String, title: &str, value: &str| {
            vec![
                ("stage_id", stage),
                ("title", title.to_string()),
                ("value", value.to_string()),
            ]
        };
        let cases = [
            (
                quick_add(stage.to_string(), "Frota", "12.345"),
                "value",
                "o valor tem mais de 2 casas decimais",
            ),
            (
                quick_add(stage.to_string(), "   ", ""),
                "title",
                "não pode ficar vazio",
            ),
            (
                quick_add(foreign_stage.to_string(), "Frota", ""),
                "stage_id",
                "essa etapa não existe nesta conta",
            ),
        ];
        for (form, field, message) in cases {
            let (status, body) = app.rpc(&client, "quick_add_deal", &form).await;
            assert_eq!(status, 422, "{body}");
            let error = json(&body);
            assert_eq!(error["code"], "VALIDATION_ERROR", "{body}");
            assert_eq!(error["field"], field, "{body}");
            assert_eq!(error["message"], message, "{body}");
        }

        // The JSON API: English, byte for byte (its message names the field), with the language
        // cookie sent all the same.
        let key = app.api_key(account_id, &["all"]).await;
        for (body, field, message) in [
            (
                r#"{"name": "Frota", "value": "12.345"}"#,
                "value",
                "value: amount has more than 2 decimals",
            ),
            (r#"{"name": "   "}"#, "title", "title: must not be empty"),
        ] {
            let res = app
                .client()
                .post(app.url("/v1/opportunities"))
                .header("authorization", format!("Bearer {key}"))
                .header("cookie", "dealflow_lang=pt-BR")
                .header("accept-language", "pt-BR")
                .header("content-type", "application/json")
                .body(body)
                .send()
                .await
                .expect("request");
            assert_eq!(res.status().as_u16(), 422, "{body}");
            let error = json(&res.text().await.unwrap_or_default());
            assert_eq!(error["error"]["code"], "VALIDATION_ERROR", "{error}");
            assert_eq!(error["error"]["field"], field, "{error}");
            assert_eq!(error["error"]["message"], message, "{error}");
        }
    }
}
