//! The activities page over HTTP on both databases: an activity's deal is picked by its title
//! among the deals its user may see, and the activity shows that title.

use dealflow::domain::Role;
use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::{accounts, Actor};

use crate::support::{backends, OnBackend, TestApp};

#[tokio::test]
async fn an_activitys_deal_is_picked_by_title_among_the_deals_one_may_see() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, _, _) = app.account("Picker").await;
        let system = Actor {
            account_id,
            user_id: None,
        };
        let password = "sales-pass-1";
        let email = format!("rita.{account_id}@picker.test");
        accounts::create_user(&app.db, account_id, &email, "Rita", password, Role::Sales)
            .await
            .unwrap();
        let mut ids = Vec::new();
        for (title, visibility) in [("Public Picker deal", 2), ("Private Picker deal", 0)] {
            let deal = deals::create_deal(
                &app.db,
                system,
                NewDeal {
                    title: title.into(),
                    visibility: Some(visibility),
                    ..Default::default()
                },
            )
            .await
            .unwrap();
            ids.push(deal.id);
        }
        let client = app.signed_in(&email, password).await;

        let (status, html) = app.page(&client, "/activities").await;
        assert_eq!(status, 200);
        let at = html
            .find("data-testid=\"activity-deal\"")
            .expect("a deal picker in the add form");
        let picker = &html[at..at + html[at..].find("</select>").unwrap()];
        assert!(
            picker.contains(&format!(
                "<option value=\"{}\">Public Picker deal</option>",
                ids[0]
            )),
            "{picker}"
        );
        assert!(!picker.contains("Private Picker deal"), "{picker}");
        assert!(!html.contains("Deal #id"));

        let (status, body) = app
            .rpc(
                &client,
                "add_activity",
                &[
                    ("kind", "call".into()),
                    ("title", "Call about the public deal".into()),
                    ("deal_id", ids[0].to_string()),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (_, html) = app.page(&client, "/activities").await;
        let at = html
            .find("data-testid=\"activity-deal-title\"")
            .expect("the activity names its deal");
        let link = &html[at.saturating_sub(80)..at + html[at..].find("</a>").unwrap() + 4];
        assert!(
            link.contains(&format!("href=\"/deals/{}\"", ids[0])),
            "{link}"
        );
        assert!(link.contains(">Public Picker deal<"), "{link}");
        // A deal one may not see cannot be named by its id either.
        let (status, body) = app
            .rpc(
                &client,
                "add_activity",
                &[
                    ("kind", "call".into()),
                    ("title", "Call about the private deal".into()),
                    ("deal_id", ids[1].to_string()),
                ],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("deal_id"), "{body}");
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM activities WHERE deal_id = $1")
            .bind(ids[1])
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(n, 0);
        // Its edit form offers the deals too, with its own selected.
        assert!(
            html.contains(&format!("<option value=\"{}\" selected", ids[0])),
            "the edit form keeps the activity's deal"
        );
    }
}
