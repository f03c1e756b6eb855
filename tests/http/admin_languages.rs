//! The owner's screens in Brazilian Portuguese, on both databases: with the `dealflow_lang`
//! cookie set to `pt-BR`, the automations list, the builder (new and editing), the run log, the
//! outbox and the settings page speak Portuguese, keep their machine values (trigger codes,
//! option values) and show no English heading; counts use the Portuguese plural.

use dealflow::server::services::automations;
use serde_json::json;

use crate::fixtures::{actor, automation_body, seed};
use crate::support::{backends, OnBackend, TestApp};

/// Asserts the page is Portuguese: each of `words` is there, none of `english` is.
fn speaks_portuguese(path: &str, html: &str, words: &[&str], english: &[&str]) {
    assert!(
        html.contains("<html lang=\"pt-BR\""),
        "{path}: {}",
        &html[..200.min(html.len())]
    );
    for word in words {
        assert!(html.contains(word), "{path}: no {word:?} in the page");
    }
    for leftover in english {
        assert!(
            !html.contains(leftover),
            "{path}: {leftover:?} left in English"
        );
    }
}

#[tokio::test]
async fn automations_and_settings_speak_portuguese() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Idioma admin", 1).await;
        let automation = automations::create(
            &app.db,
            actor(s.account_id),
            &automation_body(
                json!({"name": "Negócio na proposta", "trigger": "DEAL_STAGE_CHANGED",
                "conditions": [{"field": "value", "operator": "gt", "value": 1000}],
                "actions": [{"type": "send_notification", "title": "{{title}} avançou"}]}),
            ),
        )
        .await
        .unwrap();
        app.api_key(s.account_id, &["deals:read"]).await;
        let client = app.signed_in_speaking(&s.email, &s.password, "pt-BR").await;

        let (status, html) = app.page(&client, "/automations").await;
        assert_eq!(status, 200);
        speaks_portuguese(
            "/automations",
            &html,
            &[
                ">Automações</h1>",
                ">Caixa de saída<",
                ">Nova automação<",
                "Um negócio mudou de etapa",
                "<code>DEAL_STAGE_CHANGED</code>",
                ">0 execuções<",
                ">Ativa<",
                ">Excluir<",
                "data-confirm=\"Excluir esta automação",
                "Assinatura dos webhooks",
                "Mostrar o segredo de assinatura",
            ],
            &[
                ">Automations</h1>",
                ">New automation<",
                "A deal moved to another stage",
                "0 runs",
                "Webhook signatures",
                "Show the signing secret",
            ],
        );

        let (status, html) = app.page(&client, "/automations/new").await;
        assert_eq!(status, 200);
        speaks_portuguese(
            "/automations/new",
            &html,
            &[
                ">Nova automação</h1>",
                "Avise-me sobre orçamentos grandes",
                ">Quando",
                "value=\"QUOTE_SENT\"",
                "Um orçamento foi enviado ao cliente (QUOTE_SENT)",
                "Somente se todas estas condições valerem",
                "Então, nesta ordem",
                "+ Enviar um e-mail",
                "+ Notificar no app quem criou o orçamento",
                ">Testar</h2>",
                ">Salvar automação<",
                "{{quoteNumber}}",
            ],
            &[
                ">New automation</h1>",
                "Only if all of these hold",
                "Then, in this order",
                "A quote was sent to the client",
                "Save automation",
                "Try it",
            ],
        );

        let path = format!("/automations/{}", automation.id);
        let (status, html) = app.page(&client, &path).await;
        assert_eq!(status, 200);
        speaks_portuguese(
            &path,
            &html,
            &[
                ">Editar automação</h1>",
                "Etapa (chave)",
                ">maior que<",
                "value=\"gt\"",
                "Notificar no app o responsável pelo negócio",
                "Vai para o responsável pelo negócio",
                ">Remover<",
            ],
            &[
                ">Edit automation</h1>",
                "Stage (key)",
                ">greater than<",
                "Goes to",
            ],
        );

        let (automation_row,): (i64,) =
            sqlx::query_as("SELECT id FROM automations WHERE uuid = $1")
                .bind(&automation.id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        sqlx::query(
            "INSERT INTO automation_logs (account_id, uuid, automation_id, status, triggered_at) \
             VALUES ($1, $2, $3, 'COMPLETED', $4)",
        )
        .bind(s.account_id)
        .bind(uuid::Uuid::new_v4().to_string())
        .bind(automation_row)
        .bind(dealflow::server::db::now())
        .execute(&app.db.pool)
        .await
        .unwrap();
        let path = format!("/automations/{}/logs", automation.id);
        let (status, html) = app.page(&client, &path).await;
        assert_eq!(status, 200);
        speaks_portuguese(
            &path,
            &html,
            &[
                "Execuções de “Negócio na proposta”",
                ">Concluída<",
                "value=\"COMPLETED\"",
                "Disparada em",
                "Página 1 de 1 · 1 execução<",
            ],
            &["Runs of", ">COMPLETED<", ">Triggered<", "1 run<"],
        );
        let (_, html) = app.page(&client, "/automations").await;
        assert!(html.contains(">1 execução<"), "one run, in the singular");

        let (status, html) = app.page(&client, "/outbox").await;
        assert_eq!(status, 200);
        speaks_portuguese(
            "/outbox",
            &html,
            &[">Caixa de saída</h1>", "Nenhum e-mail ainda."],
            &[">Outbox</h1>", "No e-mails yet"],
        );

        let (status, html) = app.page(&client, "/settings").await;
        assert_eq!(status, 200);
        speaks_portuguese(
            "/settings",
            &html,
            &[
                ">Configurações</h1>",
                ">Motivos de perda<",
                ">Pontos por atividade concluída<",
                ">ligação<",
                ">Telefones<",
                ">Funis e etapas<",
                ">principal<",
                ">1 negócio<",
                ">Adicionar etapa<",
                ">Tags<",
                ">Produtos<",
                ">Usuários<",
                ">Proprietário<",
                "value=\"owner\"",
                ">Adicionar usuário<",
                ">Chaves de API<",
                ">nunca usada<",
                ">Criar chave<",
                ">Webhooks<",
                "Nenhum webhook ainda.",
                ">Adicionar webhook<",
            ],
            &[
                ">Settings</h1>",
                ">Lost reasons<",
                ">Points per completed activity<",
                ">Phone numbers<",
                ">Pipelines and stages<",
                ">Products<",
                ">Users<",
                ">API keys<",
                ">Add stage<",
                "1 deal<",
                "never used",
                "No webhooks yet.",
            ],
        );
    }
}
