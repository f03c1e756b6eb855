//! Getting in without an admin typing a password, on both databases with the real worker:
//! invitations by e-mail (through a real SMTP listener), accepted once, refused once expired,
//! re-sent or revoked; reset links asked for with the same answer whatever the address, used
//! once and within the hour, ending every session of the user; a password change that needs
//! the current one and ends the other sessions; a deactivation that ends the user's sessions
//! and lists the API keys they made.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use dealflow::server::db::Db;
use dealflow::server::delivery::Delivery;
use serde_json::Value;

use crate::automations::{smtp_delivery, Mail};
use crate::support::{backends, wait_for, TestApp};

/// Long ago, as stored timestamps read.
const PAST: &str = "2000-01-01T00:00:00.000000Z";

/// The token of the first `{marker}{token}` link in `text` (quoted-printable soft breaks
/// and `=3D` undone first).
pub fn token_in(text: &str, marker: &str) -> String {
    let text = text
        .replace("=\r\n", "")
        .replace("=\n", "")
        .replace("=3D", "=");
    let start = text
        .find(marker)
        .unwrap_or_else(|| panic!("no {marker} link in {text}"))
        + marker.len();
    text[start..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

/// The first message the SMTP listener got for `to` (waiting up to 30 seconds for it).
pub async fn mail_to(inbox: &Arc<Mutex<Vec<Mail>>>, to: &str) -> Mail {
    wait_for(
        Duration::from_secs(30),
        &format!("an e-mail to {to}"),
        || {
            let inbox = inbox.clone();
            let to = to.to_string();
            async move {
                inbox
                    .lock()
                    .unwrap()
                    .iter()
                    .find(|m| m.to.iter().any(|t| t.contains(&to)))
                    .cloned()
            }
        },
    )
    .await
}

/// The newest outbox message to `to`: (body, secret flag).
async fn last_mail(db: &Db, to: &str) -> Option<(String, i64)> {
    sqlx::query_as(
        "SELECT body, secret FROM outgoing_emails WHERE to_address = $1 ORDER BY id DESC LIMIT 1",
    )
    .bind(to)
    .fetch_optional(&db.pool)
    .await
    .unwrap()
}

/// Is this client signed in? (The board answers it; a visitor is sent to the login page.)
pub async fn signed_in(app: &TestApp, client: &reqwest::Client) -> bool {
    match app.page(client, "/").await.0 {
        200 => true,
        302 | 303 | 307 => false,
        other => panic!("the board answered {other}"),
    }
}

fn field_of(body: &str) -> String {
    serde_json::from_str::<Value>(body)
        .ok()
        .and_then(|v| v["field"].as_str().map(str::to_string))
        .unwrap_or_else(|| body.to_string())
}

#[tokio::test]
async fn an_invitation_is_accepted_once_and_only_while_it_lives() {
    for db in backends().await {
        let (delivery, inbox) = smtp_delivery().await;
        let app = TestApp::start_with_worker(db, delivery).await;
        let (account_id, email, password) = app.account("Inviting Team").await;
        let owner = app.signed_in(&email, &password).await;
        let invitee = format!("invitee.{}@team.test", account_id.0);

        let (status, body) = app
            .rpc(
                &owner,
                "invite_user",
                &[("email", invitee.clone()), ("role", "admin".into())],
            )
            .await;
        assert!(status < 400, "{status} {body}");

        // The e-mail goes through SMTP; the outbox lists it without its text.
        let mail = mail_to(&inbox, &invitee).await;
        let token = token_in(&mail.data, "/invitations/");
        assert_eq!(token.len(), 64, "{}", mail.data);
        assert_eq!(last_mail(&app.db, &invitee).await.unwrap().1, 1);
        let (status, outbox) = app.rpc(&owner, "outbox", &[("page", "1".into())]).await;
        assert_eq!(status, 200);
        assert!(
            !outbox.contains(&token),
            "the outbox shows the link: {outbox}"
        );
        // Only the hash is kept.
        let (stored,): (String,) =
            sqlx::query_as("SELECT token_hash FROM invitations WHERE email = $1")
                .bind(&invitee)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_ne!(stored, token);

        // The pending list shows it.
        let (status, list) = app.rpc(&owner, "invitations", &[]).await;
        assert_eq!(status, 200);
        assert!(list.contains(&invitee), "{list}");

        // The link's page, without a session.
        let visitor = app.client();
        let (status, page) = app.page(&visitor, &format!("/invitations/{token}")).await;
        assert_eq!(status, 200);
        assert!(
            page.contains("Inviting Team") && page.contains(&invitee),
            "{page}"
        );

        // A short password is refused and the link still works.
        let (status, body) = app
            .rpc(
                &visitor,
                "accept_invitation",
                &[
                    ("token", token.clone()),
                    ("name", "Ivo".into()),
                    ("password", "short".into()),
                ],
            )
            .await;
        assert_eq!(
            (status, field_of(&body).as_str()),
            (422, "password"),
            "{body}"
        );

        let (status, body) = app
            .rpc(
                &visitor,
                "accept_invitation",
                &[
                    ("token", token.clone()),
                    ("name", "Ivo Invited".into()),
                    ("password", "a long new password".into()),
                ],
            )
            .await;
        assert!(status < 400, "{status} {body}");
        assert!(signed_in(&app, &visitor).await, "accepting signs in");
        let (name, role): (String, String) =
            sqlx::query_as("SELECT name, role FROM users WHERE email = $1 AND account_id = $2")
                .bind(&invitee)
                .bind(account_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!((name.as_str(), role.as_str()), ("Ivo Invited", "admin"));
        app.signed_in(&invitee, "a long new password").await;

        // Once only.
        let other = app.client();
        let (status, body) = app
            .rpc(
                &other,
                "accept_invitation",
                &[
                    ("token", token.clone()),
                    ("name", "Again".into()),
                    ("password", "a long new password".into()),
                ],
            )
            .await;
        assert_eq!((status, field_of(&body).as_str()), (422, "token"), "{body}");
        let (_, page) = app.page(&other, &format!("/invitations/{token}")).await;
        assert!(page.contains("data-testid=\"dead-link\""), "{page}");
        // Someone with an account already is not invited.
        let (status, body) = app
            .rpc(
                &owner,
                "invite_user",
                &[("email", invitee.clone()), ("role", "sales".into())],
            )
            .await;
        assert_eq!((status, field_of(&body).as_str()), (422, "email"), "{body}");

        // Expired: refused; sent again: the new link works, the old one does not.
        let late = format!("late.{}@team.test", account_id.0);
        app.rpc(
            &owner,
            "invite_user",
            &[("email", late.clone()), ("role", "sales".into())],
        )
        .await;
        let first = wait_for(Duration::from_secs(30), "the second invitation", || {
            let db = app.db.clone();
            let late = late.clone();
            async move { last_mail(&db, &late).await }
        })
        .await;
        let old = token_in(&first.0, "/invitations/");
        sqlx::query("UPDATE invitations SET expires_at = $1 WHERE email = $2")
            .bind(PAST)
            .bind(&late)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let accept = |token: String| {
            let app = &app;
            async move {
                app.rpc(
                    &app.client(),
                    "accept_invitation",
                    &[
                        ("token", token),
                        ("name", "Late".into()),
                        ("password", "a long new password".into()),
                    ],
                )
                .await
            }
        };
        assert_eq!(accept(old.clone()).await.0, 422, "an expired link");
        let (_, list) = app.rpc(&owner, "invitations", &[]).await;
        let list: Value = serde_json::from_str(&list).unwrap();
        let row = list
            .as_array()
            .unwrap()
            .iter()
            .find(|i| i["email"] == late.as_str())
            .unwrap()
            .clone();
        assert_eq!(row["expired"], true);
        let (status, body) = app
            .rpc(
                &owner,
                "change_invitation",
                &[("id", row["id"].to_string()), ("op", "resend".into())],
            )
            .await;
        assert!(status < 400, "{status} {body}");
        let new = wait_for(Duration::from_secs(30), "the invitation sent again", || {
            let db = app.db.clone();
            let late = late.clone();
            let old = old.clone();
            async move {
                last_mail(&db, &late)
                    .await
                    .map(|(body, _)| token_in(&body, "/invitations/"))
                    .filter(|t| *t != old)
            }
        })
        .await;
        assert_eq!(accept(old).await.0, 422, "the link sent before");
        let (status, body) = accept(new.clone()).await;
        assert!(status < 400, "{status} {body}");

        // Revoked: refused.
        let gone = format!("gone.{}@team.test", account_id.0);
        app.rpc(
            &owner,
            "invite_user",
            &[("email", gone.clone()), ("role", "sales".into())],
        )
        .await;
        let (body, _) = wait_for(Duration::from_secs(30), "the third invitation", || {
            let db = app.db.clone();
            let gone = gone.clone();
            async move { last_mail(&db, &gone).await }
        })
        .await;
        let (id,): (i64,) = sqlx::query_as("SELECT id FROM invitations WHERE email = $1")
            .bind(&gone)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let (status, _) = app
            .rpc(
                &owner,
                "change_invitation",
                &[("id", id.to_string()), ("op", "revoke".into())],
            )
            .await;
        assert!(status < 400);
        assert_eq!(accept(token_in(&body, "/invitations/")).await.0, 422);
        let (users,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE account_id = $1")
            .bind(account_id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(users, 3, "the owner, Ivo and the late one");
    }
}

#[tokio::test]
async fn a_reset_link_works_once_within_the_hour_and_ends_every_session() {
    for db in backends().await {
        let app = TestApp::start_with_worker(db, Delivery::default()).await;
        let (account_id, email, password) = app.account("Resetting").await;
        let (laptop, phone) = (
            app.signed_in(&email, &password).await,
            app.signed_in(&email, &password).await,
        );

        // The same answer for an address with an account and one without.
        let visitor = app.client();
        let known = app
            .rpc(&visitor, "forgot_password", &[("email", email.clone())])
            .await;
        let unknown = app
            .rpc(
                &visitor,
                "forgot_password",
                &[("email", format!("nobody.{}@reset.test", account_id.0))],
            )
            .await;
        assert!(known.0 < 400, "{known:?}");
        assert_eq!(known, unknown);
        let (body, secret) = wait_for(Duration::from_secs(30), "the reset e-mail", || {
            let db = app.db.clone();
            let email = email.clone();
            async move { last_mail(&db, &email).await }
        })
        .await;
        assert_eq!(secret, 1, "the outbox keeps the link's text to itself");
        let token = token_in(&body, "/reset-password/");
        let (status, page) = app
            .page(&visitor, &format!("/reset-password/{token}"))
            .await;
        assert_eq!(status, 200);
        assert!(page.contains("name=\"password\""), "{page}");

        let reset = |token: String, password: &'static str| {
            let app = &app;
            async move {
                app.rpc(
                    &app.client(),
                    "reset_password",
                    &[("token", token), ("password", password.to_string())],
                )
                .await
            }
        };
        let (status, body) = reset(token.clone(), "a brand new password").await;
        assert!(status < 400, "{status} {body}");
        assert!(
            !signed_in(&app, &laptop).await,
            "the laptop's session ended"
        );
        assert!(!signed_in(&app, &phone).await, "the phone's session ended");
        assert!(
            app.login(&app.client(), &email, &password)
                .await
                .status()
                .is_client_error(),
            "the old password"
        );
        let laptop = app.signed_in(&email, "a brand new password").await;

        // Once only.
        let (status, body) = reset(token.clone(), "another new password").await;
        assert_eq!((status, field_of(&body).as_str()), (422, "token"), "{body}");
        let (_, page) = app
            .page(&visitor, &format!("/reset-password/{token}"))
            .await;
        assert!(page.contains("data-testid=\"dead-link\""), "{page}");

        // Within the hour only.
        app.rpc(&visitor, "forgot_password", &[("email", email.clone())])
            .await;
        let late = wait_for(Duration::from_secs(30), "the second reset e-mail", || {
            let db = app.db.clone();
            let email = email.clone();
            let token = token.clone();
            async move {
                last_mail(&db, &email)
                    .await
                    .map(|(body, _)| token_in(&body, "/reset-password/"))
                    .filter(|t| *t != token)
            }
        })
        .await;
        sqlx::query("UPDATE password_resets SET expires_at = $1 WHERE used_at IS NULL")
            .bind(PAST)
            .execute(&app.db.pool)
            .await
            .unwrap();
        assert_eq!(reset(late, "another new password").await.0, 422);
        assert!(
            signed_in(&app, &laptop).await,
            "a refused reset ends nothing"
        );

        // A change needs the current password and ends the other sessions only.
        let desk = app.signed_in(&email, "a brand new password").await;
        let (status, body) = app
            .rpc(
                &laptop,
                "change_password",
                &[
                    ("current_password", "not it at all".into()),
                    ("new_password", "the third password".into()),
                ],
            )
            .await;
        assert_eq!(
            (status, field_of(&body).as_str()),
            (422, "current_password"),
            "{body}"
        );
        assert!(signed_in(&app, &desk).await);
        let (status, body) = app
            .rpc(
                &laptop,
                "change_password",
                &[
                    ("current_password", "a brand new password".into()),
                    ("new_password", "the third password".into()),
                ],
            )
            .await;
        assert!(status < 400, "{status} {body}");
        assert!(
            signed_in(&app, &laptop).await,
            "the session that changed it stays"
        );
        assert!(!signed_in(&app, &desk).await, "the other session ended");
        app.signed_in(&email, "the third password").await;

        // A deactivated user's sessions end.
        let sales_email = format!("sales.{}@reset.test", account_id.0);
        dealflow::server::services::accounts::create_user(
            &app.db,
            account_id,
            &sales_email,
            "Sam Sales",
            "sales password 1",
            dealflow::domain::Role::Sales,
        )
        .await
        .unwrap();
        let sales = app.signed_in(&sales_email, "sales password 1").await;
        let (sales_id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(&sales_email)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let (status, _) = app
            .rpc(
                &laptop,
                "change_user",
                &[("id", sales_id.to_string()), ("op", "deactivate".into())],
            )
            .await;
        assert!(status < 400);
        assert!(!signed_in(&app, &sales).await);
        let (sessions,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM sessions WHERE user_id = $1")
                .bind(sales_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(sessions, 0, "the deactivated user's sessions are gone");
        // The keys they made are listed for the admin to revoke or keep.
        let _ = dealflow::server::auth::api_keys::create_key(
            &app.db,
            account_id,
            Some(dealflow::domain::UserId(sales_id)),
            "Sam's script",
            &["opportunities:read".to_string()],
            None,
        )
        .await
        .unwrap();
        let (_, team) = app.rpc(&laptop, "team", &[]).await;
        let team: Value = serde_json::from_str(&team).unwrap();
        let sam = team[0]
            .as_array()
            .unwrap()
            .iter()
            .find(|m| m["email"] == sales_email.as_str())
            .unwrap()
            .clone();
        assert_eq!(
            (sam["active"].clone(), sam["live_keys"].clone()),
            (false.into(), 1.into())
        );
        let (_, keys) = app.rpc(&laptop, "api_keys", &[]).await;
        let keys: Value = serde_json::from_str(&keys).unwrap();
        let key = keys
            .as_array()
            .unwrap()
            .iter()
            .find(|k| k["name"] == "Sam's script")
            .unwrap()
            .clone();
        assert_eq!(
            (key["made_by"].clone(), key["made_by_deactivated"].clone()),
            ("Sam Sales".into(), true.into())
        );
        let (status, page) = app.page(&laptop, "/settings").await;
        assert_eq!(status, 200);
        assert!(
            page.contains("data-testid=\"user-live-keys\""),
            "the team list points at the keys"
        );
    }
}
