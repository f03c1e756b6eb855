//! Two-factor sign-in on both databases, over HTTP as a browser signs in: enrolment with a
//! code computed here from the key the page shows, the second step with a right, a wrong, a
//! replayed and a recovery code, the lockout after wrong codes, and the owner's rule that
//! makes everyone enrol (signing out those who have not).

use hmac::{Hmac, Mac};
use serde_json::Value;
use sha1::Sha1;

use crate::support::{backends, TestApp};
use crate::team_access::signed_in;

/// The six-digit TOTP code of a base32 key for the 30-second step `offset` steps from now
/// (RFC 6238, written here apart from the server's).
fn code_for(key: &str, offset: i64) -> String {
    let clean: String = key.split_whitespace().collect();
    let secret = data_encoding::BASE32_NOPAD
        .decode(clean.as_bytes())
        .expect("a base32 key");
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64;
    let step = now / 30 + offset;
    let mut mac = Hmac::<Sha1>::new_from_slice(&secret).unwrap();
    mac.update(&step.to_be_bytes());
    let h = mac.finalize().into_bytes();
    let o = (h[19] & 0x0f) as usize;
    let n = u32::from_be_bytes([h[o] & 0x7f, h[o + 1], h[o + 2], h[o + 3]]) % 1_000_000;
    format!("{n:06}")
}

fn json(body: &str) -> Value {
    serde_json::from_str(body).unwrap_or_else(|_| panic!("not JSON: {body}"))
}

/// Enrols the signed-in `client`: answers (key, recovery codes).
async fn enrol(app: &TestApp, client: &reqwest::Client) -> (String, Vec<String>) {
    let (status, body) = app.rpc(client, "two_factor_status", &[]).await;
    assert_eq!(status, 200, "{body}");
    let status_json = json(&body);
    assert_eq!(status_json["enabled"], false);
    let key = status_json["setup"]["key"].as_str().unwrap().to_string();
    assert!(status_json["setup"]["qr_svg"]
        .as_str()
        .unwrap()
        .contains("<svg"));
    // A wrong first code turns nothing on.
    let (status, body) = app
        .rpc(client, "confirm_two_factor", &[("code", code_for(&key, 9))])
        .await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(json(&body)["field"], "code");
    let (status, body) = app
        .rpc(client, "confirm_two_factor", &[("code", code_for(&key, 0))])
        .await;
    assert!(status < 400, "{status} {body}");
    let (_, body) = app.rpc(client, "two_factor_status", &[]).await;
    let on = json(&body);
    assert_eq!(on["enabled"], true);
    assert_eq!(on["recovery_left"], 10);
    let codes: Vec<String> = on["new_codes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap().to_string())
        .collect();
    assert_eq!(codes.len(), 10);
    // Shown once.
    let (_, body) = app.rpc(client, "two_factor_status", &[]).await;
    assert_eq!(json(&body)["new_codes"], serde_json::json!([]));
    (key, codes)
}

/// Posts the password step on a new client; answers it (waiting for its code).
async fn password_step(app: &TestApp, email: &str, password: &str) -> reqwest::Client {
    let client = app.client();
    let res = app.login(&client, email, password).await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "login: {}",
        res.status()
    );
    client
}

#[tokio::test]
async fn codes_work_once_recovery_codes_once_and_wrong_ones_are_refused() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (_, email, password) = app.account("Two Steps").await;
        let owner = app.signed_in(&email, &password).await;
        let (key, codes) = enrol(&app, &owner).await;
        // Only a hash of each recovery code is kept.
        let (stored,): (i64,) = sqlx::query_as(
            "SELECT COUNT(*) FROM recovery_codes WHERE code_hash = $1 OR code_hash = $2",
        )
        .bind(&codes[0])
        .bind(codes[0].replace('-', ""))
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(stored, 0);

        // The password alone does not sign in.
        let browser = password_step(&app, &email, &password).await;
        assert!(!signed_in(&app, &browser).await);
        let (status, body) = app.rpc(&browser, "second_step", &[]).await;
        assert_eq!(
            (status, body.as_str()),
            (200, "null"),
            "a code, no enrolment"
        );
        // A wrong code is refused naming the field.
        let (status, body) = app
            .rpc(&browser, "finish_sign_in", &[("code", code_for(&key, 7))])
            .await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(json(&body)["field"], "code");
        assert!(!signed_in(&app, &browser).await);
        // The right one signs in (the next step's: enrolling used this one).
        let code = code_for(&key, 1);
        let (status, body) = app
            .rpc(&browser, "finish_sign_in", &[("code", code.clone())])
            .await;
        assert!(status < 400, "{status} {body}");
        assert!(signed_in(&app, &browser).await);

        // The same code again, on another sign-in, is a replay.
        let again = password_step(&app, &email, &password).await;
        let (status, body) = app.rpc(&again, "finish_sign_in", &[("code", code)]).await;
        assert_eq!(status, 422, "a replayed code: {body}");
        assert!(!signed_in(&app, &again).await);

        // A recovery code (typed in capitals, without its dash) works once.
        let typed = codes[3].to_uppercase().replace('-', "");
        let (status, body) = app
            .rpc(&again, "finish_sign_in", &[("code", typed.clone())])
            .await;
        assert!(status < 400, "{status} {body}");
        assert!(signed_in(&app, &again).await);
        let (_, body) = app.rpc(&again, "two_factor_status", &[]).await;
        assert_eq!(json(&body)["recovery_left"], 9);
        let third = password_step(&app, &email, &password).await;
        let (status, _) = app.rpc(&third, "finish_sign_in", &[("code", typed)]).await;
        assert_eq!(status, 422, "a used recovery code");

        // Without a password step there is nothing to finish.
        let stranger = app.client();
        let (status, body) = app
            .rpc(&stranger, "finish_sign_in", &[("code", codes[5].clone())])
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(!signed_in(&app, &stranger).await);

        // Wrong codes count (each refused code and attempt in progress keeps its slot; a
        // right one gives its slot back): after five, even a good code waits for the window.
        for _ in 0..2 {
            let (status, _) = app
                .rpc(&third, "finish_sign_in", &[("code", code_for(&key, 11))])
                .await;
            assert_eq!(status, 422);
        }
        let (status, body) = app
            .rpc(&third, "finish_sign_in", &[("code", codes[6].clone())])
            .await;
        assert_eq!(status, 429, "{body}");
        assert!(!signed_in(&app, &third).await);

        // Turning it off needs the password; then the password alone signs in.
        let (status, body) = app
            .rpc(
                &owner,
                "turn_off_two_factor",
                &[("current_password", "not it".into())],
            )
            .await;
        assert_eq!(
            (status, json(&body)["field"].clone()),
            (422, "current_password".into())
        );
        let (status, body) = app
            .rpc(
                &owner,
                "turn_off_two_factor",
                &[("current_password", password.clone())],
            )
            .await;
        assert!(status < 400, "{status} {body}");
        let plain = password_step(&app, &email, &password).await;
        assert!(signed_in(&app, &plain).await);
    }
}

#[tokio::test]
async fn an_owner_requires_it_and_everyone_enrols_at_their_next_sign_in() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let (account_id, email, password) = app.account("Strict Team").await;
        let owner = app.signed_in(&email, &password).await;
        let seller_email = format!("seller.{}@strict.test", account_id.0);
        let (status, body) = app
            .rpc(
                &owner,
                "add_user",
                &[
                    ("email", seller_email.clone()),
                    ("name", "Sam Seller".into()),
                    ("password", "seller-pass-1".into()),
                    ("role", "sales".into()),
                ],
            )
            .await;
        assert!(status < 400, "{status} {body}");
        let seller = app.signed_in(&seller_email, "seller-pass-1").await;
        assert!(signed_in(&app, &seller).await);

        // Not before the owner uses it; never by anyone else.
        let (status, body) = app
            .rpc(&owner, "require_two_factor", &[("required", "on".into())])
            .await;
        assert_eq!(
            (status, json(&body)["field"].clone()),
            (422, "required".into())
        );
        let (status, _) = app
            .rpc(&seller, "require_two_factor", &[("required", "on".into())])
            .await;
        assert_eq!(status, 403);
        enrol(&app, &owner).await;
        let (status, body) = app
            .rpc(&owner, "require_two_factor", &[("required", "on".into())])
            .await;
        assert!(status < 400, "{status} {body}");
        assert!(signed_in(&app, &owner).await, "the owner stays in");
        assert!(!signed_in(&app, &seller).await, "the seller is signed out");

        // The seller's next sign-in enrols them before they are in.
        let browser = password_step(&app, &seller_email, "seller-pass-1").await;
        assert!(!signed_in(&app, &browser).await);
        let (status, body) = app.rpc(&browser, "second_step", &[]).await;
        assert_eq!(status, 200, "{body}");
        let key = json(&body)["key"].as_str().unwrap().to_string();
        let (status, body) = app
            .rpc(&browser, "finish_sign_in", &[("code", code_for(&key, 1))])
            .await;
        assert!(status < 400, "{status} {body}");
        assert!(signed_in(&app, &browser).await);
        let (_, body) = app.rpc(&browser, "two_factor_status", &[]).await;
        let s = json(&body);
        assert_eq!(
            (s["enabled"].clone(), s["required"].clone()),
            (true.into(), true.into())
        );
        assert_eq!(s["new_codes"].as_array().unwrap().len(), 10);
        // Required: it cannot be turned off.
        let (status, _) = app
            .rpc(
                &browser,
                "turn_off_two_factor",
                &[("current_password", "seller-pass-1".into())],
            )
            .await;
        assert_eq!(status, 422);

        // An owner clears the seller's (a lost phone): their sessions end, and they enrol again.
        let (seller_id,): (i64,) = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(&seller_email)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
        let (status, body) = app
            .rpc(
                &owner,
                "change_user",
                &[
                    ("id", seller_id.to_string()),
                    ("op", "clear_two_factor".into()),
                ],
            )
            .await;
        assert!(status < 400, "{status} {body}");
        assert!(!signed_in(&app, &browser).await);
        let next = password_step(&app, &seller_email, "seller-pass-1").await;
        let (_, body) = app.rpc(&next, "second_step", &[]).await;
        assert!(json(&body)["key"].is_string(), "enrols again: {body}");
    }
}
