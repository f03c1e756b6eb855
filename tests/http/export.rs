//! The deals CSV export over HTTP on both databases: what the board shows with its filters,
//! every row once across the pages it is read in, cells quoted, a bad filter refused, and
//! only for someone signed in.

use std::collections::HashSet;

use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::Actor;

use crate::fixtures::seed;
use crate::support::{backends, OnBackend, TestApp};

/// The lines of a CSV answer, after its byte-order mark.
async fn lines(res: reqwest::Response) -> Vec<String> {
    let text = res.text().await.expect("body");
    let text = text
        .strip_prefix('\u{FEFF}')
        .expect("a byte-order mark first");
    text.split("\r\n")
        .filter(|l| !l.is_empty())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_board_exports_its_deals_as_csv() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        // 510 deals: more than one page of the export.
        let s = seed(&app.db, "Export", 170).await;
        let actor = Actor {
            account_id: s.account_id,
            user_id: None,
        };
        deals::create_deal(
            &app.db,
            actor,
            NewDeal {
                title: "Érica, \"the\" deal".into(),
                value_cents: 123_450,
                stage_id: Some(s.stages[0]),
                ..Default::default()
            },
        )
        .await
        .expect("deal");
        let client = app.signed_in(&s.email, &s.password).await;

        let res = client
            .get(app.url(&format!("/export/deals.csv?pipeline={}", s.pipeline_id)))
            .send()
            .await
            .expect("export");
        assert_eq!(res.status(), 200);
        let h = res.headers().clone();
        assert!(h["content-type"]
            .to_str()
            .unwrap_or("")
            .starts_with("text/csv"));
        assert!(h["content-disposition"]
            .to_str()
            .unwrap_or("")
            .starts_with("attachment"));
        let all = lines(res).await;
        assert_eq!(
            all[0],
            "id,title,pipeline,stage,status,value,currency,expected_close_date,contact,organization,owner"
        );
        assert_eq!(all.len(), 1 + 511, "a header and every deal");
        let ids: HashSet<&str> = all[1..]
            .iter()
            .map(|l| l.split(',').next().unwrap_or_default())
            .collect();
        assert_eq!(ids.len(), 511, "each deal once");
        assert!(
            all.iter()
                .any(|l| l.contains(",\"Érica, \"\"the\"\" deal\",") && l.contains(",1234.50,")),
            "the awkward title quoted, its value as a plain decimal"
        );

        // The board's text filter: "deal 2-16" is 2-16 and 2-160 … 2-169.
        let res = client
            .get(app.url("/export/deals.csv?q=deal+2-16"))
            .send()
            .await
            .expect("export");
        assert_eq!(res.status(), 200);
        assert_eq!(lines(res).await.len(), 1 + 11);
        // Won deals only: none yet.
        let res = client
            .get(app.url("/export/deals.csv?status=won"))
            .send()
            .await
            .expect("export");
        assert_eq!(lines(res).await.len(), 1);

        // A bad filter is refused before the download starts; no session, no export.
        let res = client
            .get(app.url("/export/deals.csv?min_value=lots"))
            .send()
            .await
            .expect("export");
        assert_eq!(res.status(), 422);
        let res = app
            .client()
            .get(app.url("/export/deals.csv"))
            .send()
            .await
            .expect("export");
        assert!(res.status().is_redirection(), "{}", res.status());
        assert!(res.headers()["location"]
            .to_str()
            .unwrap_or("")
            .starts_with("/login"));
    }
}
