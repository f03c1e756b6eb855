//! Users' time zones, on both databases: the preferences page keeps an IANA zone (and refuses
//! one that is not, naming the field), a due time typed in the activity form is the user's
//! wall-clock time, the list shows it back in their zone, and "today" is the user's day.

use chrono::{Duration, Timelike, Utc};
use chrono_tz::America::Sao_Paulo;

use crate::support::{backends, OnBackend, TestApp};

/// The part of a page between a marker and the next `</section>`.
fn section<'a>(html: &'a str, marker: &str) -> &'a str {
    let Some(at) = html.find(marker) else {
        return "";
    };
    let rest = &html[at..];
    &rest[..rest.find("</section>").unwrap_or(rest.len())]
}

#[tokio::test]
async fn due_times_are_typed_and_read_in_the_users_time_zone() {
    for db in backends().await {
        let _on = OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let (account_id, email, password) = app.account("Zonas").await;
        let client = app.signed_in(&email, &password).await;

        let (status, html) = app.page(&client, "/preferences").await;
        assert_eq!(status, 200);
        assert!(html.contains("data-testid=\"time-zone-select\""));
        assert!(
            html.contains(">America/Sao_Paulo<"),
            "every zone is offered"
        );

        // Not a zone: refused, naming the field; nothing saved.
        for bad in ["Mars/Olympus", "America/Sao_Paulo\0", &"x".repeat(5000)] {
            let (status, body) = app
                .rpc(&client, "save_time_zone", &[("time_zone", bad.to_string())])
                .await;
            assert_eq!(status, 422, "{body}");
            assert!(body.contains("time_zone"), "{body}");
        }
        let (status, body) = app
            .rpc(
                &client,
                "save_time_zone",
                &[("time_zone", "America/Sao_Paulo".into())],
            )
            .await;
        assert!(status < 400, "{status} {body}");
        let (_, html) = app.page(&client, "/preferences").await;
        assert!(
            html.contains("value=\"America/Sao_Paulo\" selected"),
            "the saved zone is selected"
        );

        // 22:00 on the user's today, typed as a browser's datetime-local sends it.
        let now_there = Utc::now().with_timezone(&Sao_Paulo);
        let typed = format!("{}T22:00", now_there.format("%Y-%m-%d"));
        let (status, body) = app
            .rpc(
                &client,
                "add_activity",
                &[
                    ("kind", "call".into()),
                    ("title", "Call Rita".into()),
                    ("due_at", typed.clone()),
                ],
            )
            .await;
        assert!(status < 400, "{status} {body}");
        let (stored,): (String,) =
            sqlx::query_as("SELECT due_at FROM activities WHERE account_id = $1")
                .bind(account_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        // São Paulo is three hours behind UTC all year.
        let expected =
            (now_there.date_naive().and_hms_opt(22, 0, 0).unwrap() + Duration::hours(3)).and_utc();
        assert_eq!(
            dealflow::domain::dates::parse_time(&stored),
            Some(expected),
            "stored {stored}"
        );

        let (_, html) = app.page(&client, "/activities").await;
        assert!(
            html.contains(&format!("value=\"{typed}\"")),
            "the edit form shows the time as typed"
        );
        let shown = format!("{} 22:00", now_there.format("%m/%d/%Y"));
        assert!(html.contains(&shown), "the list shows {shown}");
        // Before 21:00 there, UTC is still on the same day, where 22:00 there is tomorrow:
        // only the user's calendar puts the call in "today".
        if now_there.hour() < 21 {
            assert!(
                section(&html, "data-testid=\"today\"").contains("Call Rita"),
                "the call is due on the user's today"
            );
        }

        // Back to UTC: the same call reads three hours later.
        let (status, _) = app
            .rpc(&client, "save_time_zone", &[("time_zone", String::new())])
            .await;
        assert!(status < 400);
        let (_, html) = app.page(&client, "/activities").await;
        let utc_typed = expected.format("%Y-%m-%dT%H:%M").to_string();
        assert!(
            html.contains(&format!("value=\"{utc_typed}\"")),
            "in UTC the call is due at {utc_typed}"
        );
    }
}
