//! Seed 002 — `POST /integrations/external/deals` — on both databases: the document's example
//! replayed literally and checked field by field in the database, deduplication, marketing
//! normalization with trackers, the allowed domain, and each bad value refused with its field.

use dealflow::domain::{AccountId, Role, StageId, UserId};
use dealflow::server::auth::api_keys;
use dealflow::server::db::Db;
use dealflow::server::services::deals::{self, NewDeal};
use dealflow::server::services::{accounts, catalog, Actor};
use serde_json::{json, Value};

use crate::support::{backends, TestApp};

const EXAMPLE: &str = r#"
{
  "title": "Implementação completa CRM",
  "value": 75000.5,
  "expected_close_date": "2024-03-15T00:00:00.000Z",
  "quality_rating": 4,
  "quality_reason": "Cliente com budget aprovado",
  "visibility": 0,
  "temperature": 3,
  "marketing": {
    "url_conversion": "https://landing.wegly.com.br/obrigado?wegly_code=OPP123&utm_campaign=crm-enterprise&gclid=XYZ"
  },
  "lead_source": {
    "name": "LinkedIn Ads"
  },
  "tags": [
    "enterprise",
    "crm"
  ],
  "person": {
    "name": "Roberto Martins",
    "contacts": [
      {
        "type": 0,
        "value": "+55 11 99988-7766"
      }
    ],
    "avoid_duplicate": true,
    "duplicate_check_types": [
      0
    ]
  },
  "organization": {
    "name": "Tech Innovators S.A."
  },
  "followers": [
    {
      "user_id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890",
      "role_id": "b2c3d4e5-f6a7-8901-bcde-f23456789012"
    }
  ],
  "note": {
    "content": "Oportunidade originada da campanha enterprise.",
    "is_pinned": true
  }
}
"#;

const PATH: &str = "/integrations/external/deals";

/// The account, its owner's id and a `deals:write` key created by the owner.
struct Setup {
    account_id: AccountId,
    email: String,
    password: String,
    owner: UserId,
    key: String,
}

async fn setup(app: &TestApp) -> Setup {
    let (account_id, email, password) = app.account("Wegly").await;
    let (owner,): (UserId,) = sqlx::query_as("SELECT id FROM users WHERE account_id = $1")
        .bind(account_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
    let key = api_keys::create_key(
        &app.db,
        account_id,
        Some(owner),
        "site",
        &["deals:write".to_string()],
        None,
    )
    .await
    .unwrap()
    .token;
    let user = dealflow::server::auth::session_user::load_user(&app.db, owner)
        .await
        .unwrap()
        .unwrap();
    for tag in ["enterprise", "crm"] {
        catalog::add_tag(&app.db, &user, tag).await.unwrap();
    }
    let follower = accounts::create_user(
        &app.db,
        account_id,
        "follower@wegly.test",
        "Fernanda",
        "password-1",
        Role::Sales,
    )
    .await
    .unwrap();
    sqlx::query("UPDATE users SET uuid = 'a1b2c3d4-e5f6-7890-abcd-ef1234567890' WHERE id = $1")
        .bind(follower)
        .execute(&app.db.pool)
        .await
        .unwrap();
    Setup {
        account_id,
        email,
        password,
        owner,
        key,
    }
}

async fn count(db: &Db, sql: &str, id: impl Into<i64>) -> i64 {
    let (n,): (i64,) = sqlx::query_as(sql)
        .bind(id.into())
        .fetch_one(&db.pool)
        .await
        .unwrap();
    n
}

/// The stored deal with the given UUID: its main columns.
#[derive(sqlx::FromRow, Debug)]
struct Stored {
    id: i64,
    code: i64,
    title: String,
    value_cents: i64,
    expected_close_date: Option<String>,
    quality_rating: Option<i64>,
    quality_reason: Option<String>,
    visibility: i64,
    temperature: Option<i64>,
    marketing: String,
    responsible_user_id: Option<UserId>,
    contact_id: Option<i64>,
    organization_id: Option<i64>,
    lead_source_id: Option<i64>,
    stage_id: StageId,
}

async fn stored(db: &Db, uuid: &str) -> Stored {
    sqlx::query_as(
        "SELECT id, code, title, value_cents, expected_close_date, quality_rating, quality_reason, visibility, \
         temperature, marketing, responsible_user_id, contact_id, organization_id, lead_source_id, stage_id \
         FROM deals WHERE uuid = $1",
    )
    .bind(uuid)
    .fetch_one(&db.pool)
    .await
    .unwrap()
}

async fn name_of(db: &Db, table: &str, id: Option<i64>) -> String {
    let (name,): (String,) = sqlx::query_as(&format!(
        "SELECT {} FROM {table} WHERE id = $1",
        if table == "contacts" {
            "full_name"
        } else {
            "name"
        }
    ))
    .bind(id.expect("linked"))
    .fetch_one(&db.pool)
    .await
    .unwrap();
    name
}

#[tokio::test]
async fn intake_replays_the_document() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = setup(&app).await;
        let (status, body) = app.call("POST", PATH, Some(&s.key), Some(EXAMPLE)).await;
        assert_eq!(status, 201, "{body}");
        let id = body["id"].as_str().unwrap().to_string();
        assert!(uuid::Uuid::parse_str(&id).is_ok(), "id is a UUID: {id}");
        assert_eq!(body["code"], json!(1), "the account's first deal");
        assert_eq!(body["title"], json!("Implementação completa CRM"));

        let d = stored(&app.db, &id).await;
        assert_eq!(d.code, 1);
        assert_eq!(d.title, "Implementação completa CRM");
        assert_eq!(d.value_cents, 7_500_050);
        assert_eq!(d.expected_close_date.as_deref(), Some("2024-03-15"));
        assert_eq!(d.quality_rating, Some(4));
        assert_eq!(
            d.quality_reason.as_deref(),
            Some("Cliente com budget aprovado")
        );
        assert_eq!(d.visibility, 0);
        assert_eq!(d.temperature, Some(3));
        assert_eq!(d.responsible_user_id, Some(s.owner), "the key's creator");
        let (first_stage,): (StageId,) = sqlx::query_as(
            "SELECT s.id FROM stages s JOIN pipelines p ON p.id = s.pipeline_id \
             WHERE s.account_id = $1 AND p.is_primary = 1 ORDER BY s.position LIMIT 1",
        )
        .bind(s.account_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(
            d.stage_id, first_stage,
            "first stage of the primary pipeline"
        );
        let marketing: Value = serde_json::from_str(&d.marketing).unwrap();
        assert_eq!(marketing["wegly_code"], json!("OPP123"));
        assert_eq!(marketing["utm_campaign"], json!("crm-enterprise"));
        assert_eq!(marketing["wegly_campaign"], json!("crm-enterprise"));
        assert_eq!(marketing["gclid"], json!("XYZ"));
        assert!(marketing["url_conversion"]
            .as_str()
            .unwrap()
            .starts_with("https://landing.wegly.com.br/obrigado"));
        assert_eq!(
            name_of(&app.db, "lead_sources", d.lead_source_id).await,
            "LinkedIn Ads"
        );
        assert_eq!(
            name_of(&app.db, "organizations", d.organization_id).await,
            "Tech Innovators S.A."
        );
        assert_eq!(
            name_of(&app.db, "contacts", d.contact_id).await,
            "Roberto Martins",
            "the person is the primary one"
        );
        let (phone,): (Option<String>,) =
            sqlx::query_as("SELECT phone FROM contacts WHERE id = $1")
                .bind(d.contact_id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(phone.as_deref(), Some("+5511999887766"), "normalized");
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM deal_tags WHERE deal_id = $1",
                d.id
            )
            .await,
            2
        );
        let (role,): (Option<String>,) =
            sqlx::query_as("SELECT role_id FROM deal_followers WHERE deal_id = $1")
                .bind(d.id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(
            role.as_deref(),
            Some("b2c3d4e5-f6a7-8901-bcde-f23456789012")
        );
        let (content, pinned): (String, i64) =
            sqlx::query_as("SELECT content, is_pinned FROM notes WHERE deal_id = $1")
                .bind(d.id)
                .fetch_one(&app.db.pool)
                .await
                .unwrap();
        assert_eq!(content, "Oportunidade originada da campanha enterprise.");
        assert_eq!(pinned, 1);

        // The same lead again: the person (matched by phone), organization and source are
        // reused; the code goes on.
        let (status, again) = app.call("POST", PATH, Some(&s.key), Some(EXAMPLE)).await;
        assert_eq!(status, 201, "{again}");
        assert_eq!(again["code"], json!(2));
        let second = stored(&app.db, again["id"].as_str().unwrap()).await;
        assert_eq!(second.contact_id, d.contact_id);
        assert_eq!(second.organization_id, d.organization_id);
        assert_eq!(second.lead_source_id, d.lead_source_id);
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM contacts WHERE account_id = $1",
                s.account_id
            )
            .await,
            1
        );

        // Users see it on their board at once.
        let client = app.signed_in(&s.email, &s.password).await;
        let (status, html) = app.page(&client, "/").await;
        assert_eq!(status, 200);
        assert!(html.contains("Implementação completa CRM"));
    }
}

#[tokio::test]
async fn intake_normalizes_marketing_and_uses_trackers() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = setup(&app).await;
        let mut tx = app.db.begin().await.unwrap();
        let source = catalog::lead_source_named(&mut tx, s.account_id, "Newsletter")
            .await
            .unwrap();
        tx.commit().await.unwrap();
        sqlx::query(
            "INSERT INTO marketing_trackers (account_id, code, lead_source_id, created_at) VALUES ($1, 'TRK1', $2, '2025-01-01T00:00:00.000000Z')",
        )
        .bind(s.account_id)
        .bind(source)
        .execute(&app.db.pool)
        .await
        .unwrap();
        let body = json!({
            "title": "From the newsletter",
            "marketing": {
                "utm_source": "  mail ", "utm_medium": "", "utm_term": "crm",
                "url_conversion": "https://site.test/?wegly_code=TRK1&fbclid=FB1&utm_source=ignored"
            },
            "followers": [
                {"user_id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890"},
                {"user_id": "a1b2c3d4-e5f6-7890-abcd-ef1234567890", "role_id": "x"}
            ]
        });
        let (status, res) = app
            .call("POST", PATH, Some(&s.key), Some(&body.to_string()))
            .await;
        assert_eq!(status, 201, "{res}");
        let d = stored(&app.db, res["id"].as_str().unwrap()).await;
        assert_eq!(d.lead_source_id, Some(source), "the tracker's source");
        let m: Value = serde_json::from_str(&d.marketing).unwrap();
        assert_eq!(
            m["utm_source"],
            json!("mail"),
            "trimmed; sent wins over the URL"
        );
        assert_eq!(m["wegly_source"], json!("mail"));
        assert!(m.get("utm_medium").is_none(), "empty values are ignored");
        assert_eq!(m["utm_search_term"], json!("crm"));
        assert!(m.get("utm_term").is_none());
        assert_eq!(m["fbclid"], json!("FB1"));
        assert_eq!(m["wegly_code"], json!("TRK1"));
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM deal_followers WHERE deal_id = $1",
                d.id
            )
            .await,
            1,
            "a repeated follower is ignored"
        );
        // A code that names no tracker leaves the source empty.
        let body = json!({"title": "Unknown code", "marketing": {"wegly_code": "NOPE"}});
        let (status, res) = app
            .call("POST", PATH, Some(&s.key), Some(&body.to_string()))
            .await;
        assert_eq!(status, 201, "{res}");
        assert_eq!(
            stored(&app.db, res["id"].as_str().unwrap())
                .await
                .lead_source_id,
            None
        );
    }
}

#[tokio::test]
async fn intake_refuses_bad_values_naming_the_field_and_saves_nothing() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = setup(&app).await;
        let ok = |extra: Value| {
            let mut body = json!({"title": "Valid lead"});
            for (k, v) in extra.as_object().unwrap() {
                body[k] = v.clone();
            }
            body.to_string()
        };
        let existing = json!({"title": "Existing", "person": {"name": "Ana", "contacts": [{"type": 1, "value": "ana@x.test"}]}});
        let (status, _) = app
            .call("POST", PATH, Some(&s.key), Some(&existing.to_string()))
            .await;
        assert_eq!(status, 201);
        let deals_before = count(
            &app.db,
            "SELECT COUNT(*) FROM deals WHERE account_id = $1",
            s.account_id,
        )
        .await;
        let nobody = "00000000-0000-0000-0000-000000000000";
        let cases: Vec<(String, &str)> = vec![
            (json!({"value": 1}).to_string(), "title"),
            (ok(json!({"title": "x".repeat(151)})), "title"),
            (ok(json!({"stage_id": nobody})), "stage_id"),
            (ok(json!({"responsible_id": nobody})), "responsible_id"),
            (ok(json!({"quality_rating": 6})), "quality_rating"),
            (ok(json!({"value": 10.005})), "value"),
            (ok(json!({"value": "lots"})), "value"),
            (ok(json!({"visibility": 3})), "visibility"),
            (ok(json!({"temperature": 0})), "temperature"),
            (
                ok(json!({"expected_close_date": "someday"})),
                "expected_close_date",
            ),
            (ok(json!({"tags": ["enterprise", "unknown-tag"]})), "tags"),
            (ok(json!({"persons_id": [nobody]})), "persons_id"),
            (
                ok(json!({"primary_person_id": nobody})),
                "primary_person_id",
            ),
            (
                ok(json!({"organization_id": nobody, "organization": {"name": "Both"}})),
                "organization",
            ),
            (ok(json!({"organization_id": nobody})), "organization_id"),
            (
                ok(json!({"crm_lead_source_id": nobody, "lead_source": {"name": "Both"}})),
                "lead_source",
            ),
            (
                ok(json!({"crm_lead_source_id": nobody})),
                "crm_lead_source_id",
            ),
            (ok(json!({"followers": [{"user_id": nobody}]})), "followers"),
            (
                ok(json!({"person": {"name": "P", "contacts": [{"type": 9, "value": "x"}]}})),
                "person.contacts[0].type",
            ),
            (
                ok(json!({"person": {"name": "", "contacts": []}})),
                "person.full_name",
            ),
            (ok(json!({"note": {"content": "  "}})), "note.content"),
            (
                ok(json!({"marketing": {"utm_source": ["a"]}})),
                "marketing.utm_source",
            ),
            (
                ok(json!({"custom_fields": [{"id": nobody, "value": 1}]})),
                "custom_fields[0].id",
            ),
            (ok(json!({"tags": "enterprise"})), "tags"),
        ];
        for (body, field) in &cases {
            let (status, err) = app.call("POST", PATH, Some(&s.key), Some(body)).await;
            assert_eq!(status, 422, "{body}: {err}");
            assert_eq!(err["error"]["code"], json!("VALIDATION_ERROR"));
            assert_eq!(err["error"]["field"], json!(field), "{body}: {err}");
        }
        // A pipeline that demands a quality reason.
        sqlx::query("UPDATE pipelines SET requires_quality_reason = 1 WHERE account_id = $1")
            .bind(s.account_id)
            .execute(&app.db.pool)
            .await
            .unwrap();
        let (status, err) = app
            .call(
                "POST",
                PATH,
                Some(&s.key),
                Some(&ok(json!({"quality_rating": 3}))),
            )
            .await;
        assert_eq!(status, 422);
        assert_eq!(err["error"]["field"], json!("quality_reason"));
        assert_eq!(
            count(
                &app.db,
                "SELECT COUNT(*) FROM deals WHERE account_id = $1",
                s.account_id
            )
            .await,
            deals_before,
            "nothing was saved"
        );
        let (status, err) = app
            .call("POST", PATH, Some(&s.key), Some("{\"title\": "))
            .await;
        assert_eq!(status, 400, "{err}");
    }
}

#[tokio::test]
async fn intake_checks_the_key_and_its_allowed_domain() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = setup(&app).await;
        let body = r#"{"title": "Domain check"}"#;
        let (status, err) = app.call("POST", PATH, None, Some(body)).await;
        assert_eq!(status, 401, "{err}");
        let (status, _) = app.call("POST", PATH, Some("dfk_wrong"), Some(body)).await;
        assert_eq!(status, 401);
        let read_only = app.api_key(s.account_id, &["deals:read"]).await;
        let (status, _) = app.call("POST", PATH, Some(&read_only), Some(body)).await;
        assert_eq!(status, 403);
        let scoped = api_keys::create_key(
            &app.db,
            s.account_id,
            Some(s.owner),
            "landing",
            &["deals:write".to_string()],
            Some("landing.wegly.com.br"),
        )
        .await
        .unwrap()
        .token;
        let send = |header: Option<(&'static str, &'static str)>| {
            let client = app.client();
            let mut req = client
                .post(app.url(PATH))
                .header("authorization", format!("Bearer {scoped}"))
                .header("content-type", "application/json")
                .body(body);
            if let Some((k, v)) = header {
                req = req.header(k, v);
            }
            req.send()
        };
        assert_eq!(send(None).await.unwrap().status().as_u16(), 403);
        assert_eq!(
            send(Some(("origin", "https://evil.test")))
                .await
                .unwrap()
                .status()
                .as_u16(),
            403
        );
        assert_eq!(
            send(Some(("origin", "https://landing.wegly.com.br")))
                .await
                .unwrap()
                .status()
                .as_u16(),
            201
        );
        assert_eq!(
            send(Some((
                "referer",
                "https://landing.wegly.com.br/obrigado?x=1"
            )))
            .await
            .unwrap()
            .status()
            .as_u16(),
            201
        );
    }
}

#[tokio::test]
async fn a_lead_is_never_lost_to_a_duplicate_person() {
    for db in backends().await {
        let _on = crate::support::OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let s = setup(&app).await;
        let lead =
            |title: &str, person: Value| json!({"title": title, "person": person}).to_string();
        let ana = json!({"name": "Ana", "contacts": [{"type": 0, "value": "+55 11 91234-5678"}, {"type": 1, "value": "ana@x.test"}]});
        let (status, first) = app
            .call("POST", PATH, Some(&s.key), Some(&lead("First", ana)))
            .await;
        assert_eq!(status, 201, "{first}");
        let contacts = || {
            count(
                &app.db,
                "SELECT COUNT(*) FROM contacts WHERE account_id = $1",
                s.account_id,
            )
        };
        assert_eq!(contacts().await, 1);
        // Asked to avoid duplicates by phone: the same person is reused.
        let same = json!({"name": "Ana Maria", "contacts": [{"type": 0, "value": "+5511912345678"}],
                          "avoid_duplicate": true, "duplicate_check_types": [0]});
        let (status, second) = app
            .call("POST", PATH, Some(&s.key), Some(&lead("Second", same)))
            .await;
        assert_eq!(status, 201, "{second}");
        assert_eq!(contacts().await, 1);
        // Not asked to (or asked only about another type): the lead is created all the same,
        // with a new person flagged as a possible duplicate of the first.
        for (title, person) in [
            (
                "Third",
                json!({"name": "Ana Copy", "contacts": [{"type": 0, "value": "+5511912345678"}], "avoid_duplicate": false}),
            ),
            (
                "Fourth",
                json!({"name": "Ana Again", "contacts": [{"type": 0, "value": "+5511912345678"}],
                              "avoid_duplicate": true, "duplicate_check_types": [1]}),
            ),
            (
                "Fifth",
                json!({"name": "Ana Mail", "contacts": [{"type": 1, "value": "ana@x.test"}], "avoid_duplicate": false}),
            ),
        ] {
            let (status, created) = app
                .call("POST", PATH, Some(&s.key), Some(&lead(title, person)))
                .await;
            assert_eq!(status, 201, "{title}: {created}");
            let (flagged,): (Option<i64>,) = sqlx::query_as(
                "SELECT c.duplicate_of FROM deals d JOIN contacts c ON c.id = d.contact_id WHERE d.uuid = $1",
            )
            .bind(created["id"].as_str().unwrap())
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
            let (original,): (i64,) = sqlx::query_as(
                "SELECT id FROM contacts WHERE account_id = $1 AND full_name = 'Ana'",
            )
            .bind(s.account_id)
            .fetch_one(&app.db.pool)
            .await
            .unwrap();
            assert_eq!(flagged, Some(original), "{title}");
        }
        assert_eq!(contacts().await, 4);
        // The contact page says so.
        let owner = app.signed_in(&s.email, &s.password).await;
        let (duplicate,): (i64,) = sqlx::query_as(
            "SELECT id FROM contacts WHERE account_id = $1 AND full_name = 'Ana Copy'",
        )
        .bind(s.account_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        let (status, page) = app.page(&owner, &format!("/contacts/{duplicate}")).await;
        assert_eq!(status, 200);
        assert!(
            page.contains("data-testid=\"possible-duplicate\""),
            "{page}"
        );
    }
}

#[tokio::test]
async fn phone_numbers_are_read_as_people_type_them_in_the_accounts_country() {
    for db in backends().await {
        let _on = crate::support::OnBackend(db.backend);
        let app = TestApp::start(db).await;
        let s = setup(&app).await;
        let lead = |title: &str, phone: &str| {
            json!({"title": title, "person": {"name": "Rita", "contacts": [{"type": 0, "value": phone}],
                   "avoid_duplicate": true, "duplicate_check_types": [0]}})
            .to_string()
        };
        // Without a country, a national number is refused, saying what is missing.
        let (status, err) = app
            .call(
                "POST",
                PATH,
                Some(&s.key),
                Some(&lead("Early", "(11) 98765-4321")),
            )
            .await;
        assert_eq!(
            (status, err["error"]["field"].clone()),
            (422, json!("person.phone")),
            "{err}"
        );
        assert!(
            err["error"]["message"]
                .as_str()
                .unwrap()
                .contains("country code"),
            "{err}"
        );
        // The owner sets the account's country (a country that is not one is refused).
        let owner = app.signed_in(&s.email, &s.password).await;
        let (status, body) = app
            .rpc(
                &owner,
                "set_default_country",
                &[("country", "Brazil".into())],
            )
            .await;
        assert_eq!(status, 422, "{body}");
        assert!(body.contains("default_country"), "{body}");
        let (status, body) = app
            .rpc(&owner, "set_default_country", &[("country", "br".into())])
            .await;
        assert_eq!(status, 200, "{body}");
        // Typed as people type it, stored in E.164, and matched however it is typed next.
        for (title, phone) in [
            ("First", "(11) 98765-4321"),
            ("Second", "+55 11 98765-4321"),
            ("Third", "0055 11 987654321"),
        ] {
            let (status, body) = app
                .call("POST", PATH, Some(&s.key), Some(&lead(title, phone)))
                .await;
            assert_eq!(status, 201, "{title}: {body}");
        }
        let people: Vec<(String,)> = sqlx::query_as(
            "SELECT phone FROM contacts WHERE account_id = $1 AND full_name = 'Rita'",
        )
        .bind(s.account_id)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(
            people,
            vec![("+5511987654321".to_string(),)],
            "one person, in E.164"
        );
        // The pages read numbers the same way.
        let (status, body) = app
            .rpc(
                &owner,
                "add_contact",
                &[
                    ("full_name", "Caio".into()),
                    ("phone", "(21) 3456-7890".into()),
                ],
            )
            .await;
        assert_eq!(status, 200, "{body}");
        let (stored,): (String,) = sqlx::query_as(
            "SELECT phone FROM contacts WHERE account_id = $1 AND full_name = 'Caio'",
        )
        .bind(s.account_id)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!(stored, "+552134567890");
    }
}

#[tokio::test]
async fn concurrent_leads_each_get_their_own_code_and_place() {
    for db in backends().await {
        let app = TestApp::start(db).await;
        let s = setup(&app).await;
        let stages: Vec<(StageId,)> = sqlx::query_as(
            "SELECT s.id FROM stages s JOIN pipelines p ON p.id = s.pipeline_id \
             WHERE s.account_id = $1 AND p.is_primary = 1 ORDER BY s.position",
        )
        .bind(s.account_id)
        .fetch_all(&app.db.pool)
        .await
        .unwrap();
        let (first, second) = (stages[0].0, stages[1].0);
        let actor = Actor {
            account_id: s.account_id,
            user_id: Some(s.owner),
        };
        let mut moving = Vec::new();
        for i in 0..12 {
            let new = NewDeal {
                title: format!("Moved {i}"),
                stage_id: Some(second),
                ..Default::default()
            };
            moving.push(deals::create_deal(&app.db, actor, new).await.unwrap().id);
        }
        // 24 leads into the first stage while 12 deals are moved to its end: half of the leads
        // with a person of their own, half with one shared person that must be created once
        // (`avoid_duplicate`).
        let bodies: Vec<String> = (0..24)
            .map(|i| {
                let email = if i % 2 == 0 {
                    format!("lead{i}@race.test")
                } else {
                    "shared@race.test".to_string()
                };
                json!({
                    "title": format!("Race lead {i}"),
                    "value": 100 + i,
                    "person": {
                        "name": format!("Lead {i}"),
                        "contacts": [{ "type": 1, "value": email }],
                        "avoid_duplicate": true
                    }
                })
                .to_string()
            })
            .collect();
        let client = app.signed_in(&s.email, &s.password).await;
        let moves = moving.iter().map(|deal| {
            client
                .post(app.url("/rpc/move_deal"))
                .header("accept", "application/json")
                .form(&[
                    ("deal_id", deal.to_string()),
                    ("stage_id", first.to_string()),
                ])
                .send()
        });
        let leads = bodies
            .iter()
            .map(|body| app.call("POST", PATH, Some(&s.key), Some(body)));
        let (answers, moved) = tokio::join!(
            futures_util::future::join_all(leads),
            futures_util::future::join_all(moves)
        );
        for res in moved {
            assert_eq!(res.unwrap().status().as_u16(), 200, "every move succeeds");
        }
        let mut codes = Vec::new();
        for (status, body) in &answers {
            assert_eq!(*status, 201, "{body}");
            codes.push(body["code"].as_i64().expect("a code"));
        }
        codes.sort_unstable();
        assert_eq!(
            codes,
            (13..=36).collect::<Vec<i64>>(),
            "one code each, none skipped"
        );
        let (positions, deals): (i64, i64) = sqlx::query_as(
            "SELECT COUNT(DISTINCT position), COUNT(*) FROM deals WHERE account_id = $1 AND stage_id = $2",
        )
        .bind(s.account_id)
        .bind(first)
        .fetch_one(&app.db.pool)
        .await
        .unwrap();
        assert_eq!((positions, deals), (36, 36), "a place of its own each");
        assert_eq!(
            count(
                &app.db,
                "SELECT deal_count FROM accounts WHERE id = $1",
                s.account_id
            )
            .await,
            36,
            "the account's count of deals"
        );
        let shared = count(
            &app.db,
            "SELECT COUNT(*) FROM contacts WHERE account_id = $1 AND email = 'shared@race.test'",
            s.account_id,
        )
        .await;
        assert_eq!(shared, 1, "the shared person is created once");
        let people = count(
            &app.db,
            "SELECT COUNT(*) FROM deal_persons WHERE account_id = $1 AND is_primary = 1",
            s.account_id,
        )
        .await;
        assert_eq!(people, 24, "each lead's person is its primary");
    }
}
