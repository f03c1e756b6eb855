//! The deal page over HTTP on both databases: its stage control moves the deal as a drag on
//! the board does, only a deal one may see moves (from the page or the board), and a won
//! deal's header shows its final value.

use dealflow::domain::Role;
use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::{accounts, Actor};

use crate::fixtures::{seed, stage_ids, testid_text};
use crate::support::{backends, OnBackend, TestApp};

/// The HTML of the element that starts at `data-testid="{id}"`, up to `end`.
fn section<'a>(html: &'a str, id: &str, end: &str) -> &'a str {
    let at = html
        .find(&format!("data-testid=\"{id}\""))
        .unwrap_or_else(|| panic!("no {id} on the page"));
    let rest = &html[at..];
    &rest[..rest.find(end).unwrap_or(rest.len())]
}

async fn stage_events(app: &TestApp, deal: dealflow::domain::DealId) -> i64 {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM deal_events WHERE deal_id = $1 AND kind = 'stage_changed'",
    )
    .bind(deal)
    .fetch_one(&app.db.pool)
    .await
    .unwrap();
    n
}

#[tokio::test]
async fn the_deal_page_moves_its_deal_to_another_stage_of_its_pipeline() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Stage control", 1).await;
        let client = app.signed_in(&s.email, &s.password).await;
        let id = stage_ids(&app.db, s.account_id, s.stages[0]).await[0];
        let page = format!("/deals/{id}");

        let (status, html) = app.page(&client, &page).await;
        assert_eq!(status, 200);
        assert!(html.contains("action=\"/rpc/change_deal_stage\""));
        let form = section(&html, "stage-form", "</form>");
        for stage in &s.stages {
            assert!(form.contains(&format!("value=\"{stage}\"")), "{form}");
        }
        assert!(
            form.contains(&format!("<option value=\"{}\" selected", s.stages[0])),
            "the deal's stage is the one selected: {form}"
        );

        let (status, body) = app
            .rpc(
                &client,
                "change_deal_stage",
                &[
                    ("id", id.to_string()),
                    ("stage_id", s.stages[2].to_string()),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert!(stage_ids(&app.db, s.account_id, s.stages[2])
            .await
            .contains(&id));
        assert_eq!(stage_events(&app, id).await, 1, "one stage_changed event");
        let (_, html) = app.page(&client, &page).await;
        assert!(
            section(&html, "stage-form", "</form>")
                .contains(&format!("<option value=\"{}\" selected", s.stages[2])),
            "the page shows the new stage"
        );

        // Asked for the stage it is in, nothing moves.
        let (status, _) = app
            .rpc(
                &client,
                "change_deal_stage",
                &[
                    ("id", id.to_string()),
                    ("stage_id", s.stages[2].to_string()),
                ],
            )
            .await;
        assert_eq!(status, 200);
        assert_eq!(stage_events(&app, id).await, 1);

        // Another account's stage is not there.
        let other = seed(&app.db, "Stage elsewhere", 0).await;
        let (status, body) = app
            .rpc(
                &client,
                "change_deal_stage",
                &[
                    ("id", id.to_string()),
                    ("stage_id", other.stages[1].to_string()),
                ],
            )
            .await;
        assert_eq!(status, 404, "{body}");
        assert!(stage_ids(&app.db, s.account_id, s.stages[2])
            .await
            .contains(&id));
    }
}

#[tokio::test]
async fn a_deal_one_may_not_see_moves_neither_from_its_page_nor_from_the_board() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Hidden moves", 1).await;
        let system = Actor {
            account_id: s.account_id,
            user_id: None,
        };
        let password = "sales-pass-1";
        let email = format!("sam.{}@hidden.test", s.account_id);
        let sam =
            accounts::create_user(&app.db, s.account_id, &email, "Sam", password, Role::Sales)
                .await
                .unwrap();
        let mine = deals::create_deal(
            &app.db,
            system,
            NewDeal {
                title: "Sam's deal".into(),
                responsible_user_id: Some(sam),
                visibility: Some(0),
                stage_id: Some(s.stages[0]),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
        let hidden = deals::create_deal(
            &app.db,
            system,
            NewDeal {
                title: "Someone else's private deal".into(),
                visibility: Some(0),
                stage_id: Some(s.stages[0]),
                ..Default::default()
            },
        )
        .await
        .unwrap()
        .id;
        let client = app.signed_in(&email, password).await;
        let before = stage_ids(&app.db, s.account_id, s.stages[1]).await[0];

        let tries = [
            (
                "change_deal_stage",
                vec![
                    ("id", hidden.to_string()),
                    ("stage_id", s.stages[1].to_string()),
                ],
            ),
            (
                "move_deal",
                vec![
                    ("deal_id", hidden.to_string()),
                    ("stage_id", s.stages[1].to_string()),
                ],
            ),
            (
                "move_deal",
                vec![
                    ("deal_id", hidden.to_string()),
                    ("stage_id", s.stages[1].to_string()),
                    ("before_id", before.to_string()),
                ],
            ),
        ];
        for (rpc, form) in &tries {
            let (status, body) = app.rpc(&client, rpc, form).await;
            assert_eq!(status, 404, "{rpc} {form:?}: {body}");
            assert!(
                stage_ids(&app.db, s.account_id, s.stages[0])
                    .await
                    .contains(&hidden),
                "{rpc} {form:?} moved a deal its user may not see"
            );
        }
        assert_eq!(stage_events(&app, hidden).await, 0);

        // Their own deal moves, from the page and from the board.
        let (status, body) = app
            .rpc(
                &client,
                "change_deal_stage",
                &[
                    ("id", mine.to_string()),
                    ("stage_id", s.stages[1].to_string()),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (status, body) = app
            .rpc(
                &client,
                "move_deal",
                &[
                    ("deal_id", mine.to_string()),
                    ("stage_id", s.stages[2].to_string()),
                    (
                        "before_id",
                        stage_ids(&app.db, s.account_id, s.stages[2]).await[0].to_string(),
                    ),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        assert_eq!(stage_ids(&app.db, s.account_id, s.stages[2]).await[0], mine);
    }
}

#[tokio::test]
async fn a_won_deal_shows_its_final_value_in_its_header() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Final value", 1).await;
        let client = app.signed_in(&s.email, &s.password).await;
        let id = stage_ids(&app.db, s.account_id, s.stages[0]).await[0];
        let page = format!("/deals/{id}");
        let (_, html) = app.page(&client, &page).await;
        let value = testid_text(&html, "deal-value").unwrap_or_default();
        assert!(value.contains("1,000.00"), "{value}");

        let (status, body) = app
            .rpc(
                &client,
                "mark_deal_won",
                &[("id", id.to_string()), ("final_value", "1234.50".into())],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, html) = app.page(&client, &page).await;
        let value = testid_text(&html, "deal-value").unwrap_or_default();
        assert!(
            value.contains("1,234.50"),
            "the header shows the final value: {value}"
        );
        let outcome = testid_text(&html, "outcome").unwrap_or_default();
        assert!(outcome.contains("1,234.50"), "{outcome}");

        // Reopened, the deal is worth its value again.
        let (status, _) = app
            .rpc(&client, "reopen_deal", &[("id", id.to_string())])
            .await;
        assert_eq!(status, 200);
        let (_, html) = app.page(&client, &page).await;
        let value = testid_text(&html, "deal-value").unwrap_or_default();
        assert!(value.contains("1,000.00"), "{value}");
    }
}

#[tokio::test]
async fn a_deal_moves_to_another_pipeline_from_its_page() {
    use dealflow::server::services::pipelines::{self, NewStage};
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let s = seed(&app.db, "Pipeline move", 1).await;
        let stage = |key: &str, name: &str| NewStage {
            key: key.into(),
            name: name.into(),
            probability: 10,
            rotting_days: None,
        };
        let partners = pipelines::create_pipeline(
            &app.db,
            s.account_id,
            "Partnerships",
            false,
            &[stage("intro", "Introduced"), stage("signed", "Signed")],
        )
        .await
        .expect("pipeline");
        let targets = pipelines::stages_of(&app.db.pool, s.account_id, partners)
            .await
            .expect("stages");
        let client = app.signed_in(&s.email, &s.password).await;
        let id = stage_ids(&app.db, s.account_id, s.stages[0]).await[0];
        let page = format!("/deals/{id}");

        // The page offers the other pipeline's stages under its name, not its own pipeline's.
        let (status, html) = app.page(&client, &page).await;
        assert_eq!(status, 200);
        let control = section(&html, "pipeline-move", "</details>");
        assert!(control.contains("label=\"Partnerships\""), "{control}");
        for t in &targets {
            assert!(
                control.contains(&format!("value=\"{}\"", t.id)),
                "{control}"
            );
        }
        assert!(
            !control.contains(&format!("value=\"{}\"", s.stages[1])),
            "{control}"
        );

        let (status, body) = app
            .rpc(
                &client,
                "change_deal_stage",
                &[
                    ("id", id.to_string()),
                    ("stage_id", targets[1].id.to_string()),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (pipeline, stage): (i64, i64) =
            sqlx::query_as("SELECT pipeline_id, stage_id FROM deals WHERE id = $1")
                .bind(id)
                .fetch_one(&app.db.pool)
                .await
                .expect("deal");
        assert_eq!(
            (pipeline, stage),
            (i64::from(partners), i64::from(targets[1].id))
        );
        // Its page now offers the first pipeline as the elsewhere.
        let (_, html) = app.page(&client, &page).await;
        let control = section(&html, "pipeline-move", "</details>");
        assert!(
            control.contains(&format!("value=\"{}\"", s.stages[1])),
            "{control}"
        );
    }
}
